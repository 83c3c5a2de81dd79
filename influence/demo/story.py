"""The demo: a user, the workspace "Demo Agency" and two years of realistic history.

Everything is generated from seeded random numbers and dated relative to
`today`, so the same day always gives the same rows. Three subjects:
- Maya Chen, a PR director: her online-only score sat in the low 60s; in the
  final year she stepped away from social media (posting and engagement fall,
  followers flatten) while speaking at conferences, teaching a class and
  publishing a book. Her online points fall, her offline points rise, and her
  total holds up better than the online-only score: the story this product
  exists to tell.
- Northwind Coffee, a brand: a viral video, a follower plateau, and a manual
  Instagram account nobody has updated for months (stale).
- Dr. Sam Okafor, a developer and researcher, whose Hacker News account is
  failing to collect, and whose GitHub followers jumped by hundreds five days
  ago (an unusual day).
Maya's keynotes 300 and 180 days ago each bring followers faster for two weeks:
the effect "What moved your online numbers" reports.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from influence.core.addresses import mark_verified
from influence.core.choices import AccountStatus, ActivityKind, Role
from influence.core.models import Account, Activity, Membership, Observation, Subject, User, Workspace
from influence.scoring import snapshots

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-influence"
WORKSPACE_NAME = "Demo Agency"
DAYS = 731  # two years, today included
SAMPLE_DAYS = 365  # the sample subject's history: the story's last year
SEED = 20240611
# Two years of daily values are ~16,000 observation rows: inserted a few thousand per statement.
OBSERVATION_BATCH = 2000

K = ActivityKind


@dataclass
class SeedResult:
    user: User
    workspace: Workspace
    created: bool


# --- series ------------------------------------------------------------------------
# A series is one value per day (index 0 = two years ago); followers are
# cumulative sums of daily gains, "_30d" metrics rolling sums of daily counts.


def _weekly(day: dt.date, weekend: float = 0.55) -> float:
    """The working week's rhythm: less happens on Saturdays and Sundays."""
    return weekend if day.weekday() >= 5 else 1.0


def _cumulative(start: float, gains: list[float]) -> list[int]:
    values, total = [], start
    for gain in gains:
        total = max(total + gain, 0)
        values.append(round(total))
    return values


def _rolling(daily: list[float], window: int) -> list[int]:
    values, acc = [], 0.0
    for i, value in enumerate(daily):
        acc += value
        if i >= window:
            acc -= daily[i - window]
        values.append(round(max(acc, 0)))
    return values


def _smooth_step(i: int, start: int, length: int) -> float:
    """0 before `start`, 1 after `start + length`, an S-curve between."""
    if i <= start:
        return 0.0
    if i >= start + length:
        return 1.0
    x = (i - start) / length
    return x * x * (3 - 2 * x)


@dataclass
class Story:
    """The day indexes that shape the demo (0 is two years ago, DAYS - 1 is today)."""

    away: int = DAYS - 330  # Maya starts stepping away from social media
    viral: int = DAYS - 200  # Northwind's video goes viral
    plateau: tuple[int, int] = (120, 300)  # Northwind's followers stall
    # Maya's keynotes 300 and 180 days ago (her activities below): followers come faster for two weeks.
    keynotes: tuple[int, ...] = (DAYS - 1 - 300, DAYS - 1 - 180)
    # Sam's post reaches a news site's front page: one day brings hundreds of GitHub followers.
    front_page: int = DAYS - 1 - 5


def _after_keynote(i: int, story: Story, lift: float) -> float:
    """The extra daily gain after a keynote: `lift` on its day, fading to nothing over three weeks."""
    return sum(lift * (1 - (i - k) / 21) for k in story.keynotes if k <= i < k + 21)


def _maya_series(rng: random.Random, days: list[dt.date], story: Story) -> dict[str, dict[str, list[int]]]:
    n = len(days)
    away = [_smooth_step(i, story.away, 90) for i in range(n)]
    posts = [3.2 * _weekly(d) * (1 - 0.93 * a) * rng.uniform(0.6, 1.4) for d, a in zip(days, away, strict=True)]
    likes = [p * rng.uniform(140, 190) for p in posts]
    masto_gain = [(14 + 4 * i / n) * (1 - 1.05 * a) * _weekly(d, 0.8) + rng.gauss(0, 3) + _after_keynote(i, story, 30)
                  for i, (d, a) in enumerate(zip(days, away, strict=True))]
    bsky_gain = [(10 + 6 * i / n) * (1 - 1.05 * a) * _weekly(d, 0.8) + rng.gauss(0, 3) + _after_keynote(i, story, 24)
                 for i, (d, a) in enumerate(zip(days, away, strict=True))]
    return {
        "mastodon": {
            "followers": _cumulative(11_000, masto_gain),
            "following": _cumulative(820, [rng.choice((0, 0, 0, 1)) for _ in days]),
            "posts": _cumulative(9_400, posts),
            "engagements_30d": _rolling(likes, 30),
        },
        "bluesky": {
            "followers": _cumulative(6_500, bsky_gain),
            "engagements_30d": _rolling([v * 0.6 for v in likes], 30),
        },
        "youtube": {
            "subscribers": _cumulative(5_200, [(4 * (1 - 0.9 * a)) + rng.gauss(0, 1.5) for a in away]),
            "views": _cumulative(310_000, [(420 * (1 - 0.7 * a)) * rng.uniform(0.5, 1.5) for a in away]),
            "videos": _cumulative(85, [0.05 * (1 - a) for a in away]),
        },
        "rss": {"posts_90d": _rolling([0.35 * (1 - 0.9 * a) for a in away], 90)},
        "manual": {"followers": _cumulative(18_000, [(9 * (1 - 0.8 * a)) + rng.gauss(0, 2) for a in away])},
    }


def _northwind_series(rng: random.Random, days: list[dt.date], story: Story) -> dict[str, dict[str, list[int]]]:
    n = len(days)
    lo, hi = story.plateau

    def spike(i: int, size: float) -> float:
        return size * math.exp(-(i - story.viral) / 4) if i >= story.viral else 0.0

    def growth(i: int, rate: float) -> float:
        return 0.3 * rng.gauss(0, 1) if lo <= i < hi else rate * (1 + i / n)

    daily_engagement = [(120 + spike(i, 6_000)) * _weekly(d) * rng.uniform(0.7, 1.3) for i, d in enumerate(days)]
    return {
        "mastodon": {
            "followers": _cumulative(2_400, [growth(i, 3) + spike(i, 300) + rng.gauss(0, 2) for i in range(n)]),
            "engagements_30d": _rolling(daily_engagement, 30),
        },
        "youtube": {
            "subscribers": _cumulative(900, [growth(i, 2) + spike(i, 2_500) for i in range(n)]),
            "views": _cumulative(40_000, [(150 + spike(i, 90_000)) * rng.uniform(0.6, 1.4) for i in range(n)]),
        },
        "reddit": {"karma": _cumulative(350, [rng.gauss(1.5, 6) for _ in range(n)])},
        "manual": {"followers": _cumulative(7_800, [growth(i, 6) + spike(i, 900) for i in range(n)])},
    }


def _sam_series(rng: random.Random, days: list[dt.date], story: Story) -> dict[str, dict[str, list[int]]]:
    n = len(days)
    return {
        "github": {
            "followers": _cumulative(
                1_150, [1.1 * _weekly(d) + rng.gauss(0, 0.8) + (480 if i == story.front_page else 0)
                        for i, d in enumerate(days)]
            ),
            "stars": _cumulative(4_800, [6 * _weekly(d) * rng.uniform(0, 2) for d in days]),
            "public_repos": _cumulative(48, [rng.choice((0,) * 30 + (1,)) for _ in days]),
        },
        "stackexchange": {"reputation": _cumulative(23_500, [18 * _weekly(d) * rng.uniform(0, 2) for d in days])},
        "hackernews": {"karma": _cumulative(3_100, [rng.gauss(2.5, 8) for _ in days])},
        "openalex": {
            "citations": _cumulative(640, [0.45 * (1 + i / n) * rng.uniform(0, 2) for i in range(n)]),
            "works": _cumulative(31, [rng.choice((0,) * 90 + (1,)) for _ in days]),
        },
    }


# --- subjects ----------------------------------------------------------------------

@dataclass
class AccountPlan:
    network: str
    handle: str
    instance_url: str = ""
    label: str = ""
    every: int = 1  # observed every N days (manual accounts: when someone types them)
    stop_days_ago: int = 0  # no observation in the last N days (a failing or neglected account)
    status: str = AccountStatus.OK
    last_error: str = ""
    consecutive_failures: int = 0


@dataclass
class SubjectPlan:
    name: str
    series: Callable[[random.Random, list[dt.date], Story], dict[str, dict[str, list[int]]]]
    accounts: list[AccountPlan]
    # (kind, title, days ago, end days ago or None, audience, venue)
    activities: list[tuple[str, str, int, int | None, int, str]]


PLANS = [
    SubjectPlan(
        "Maya Chen",
        _maya_series,
        [
            AccountPlan("mastodon", "maya", instance_url="https://mastodon.social"),
            AccountPlan("bluesky", "mayachen.bsky.social"),
            AccountPlan("youtube", "@mayachenpr"),
            AccountPlan("rss", "https://mayachen.example/feed.xml"),
            AccountPlan("manual", "in/mayachen", label="LinkedIn", every=7),
        ],
        [
            (K.PANEL, "Crisis comms in the age of feeds", 700, None, 300, "PR Summit"),
            (K.ARTICLE, "Five myths about earned media", 640, None, 0, "Trade Weekly"),
            (K.MEDIA, "Radio interview on brand trust", 590, None, 20_000, "City FM"),
            (K.REFERRAL, "Referral: Harbor Bank", 560, None, 0, "Harbor Bank"),
            (K.TALK, "Storytelling for engineers", 500, None, 150, "DevConf"),
            (K.MENTORING, "Mentoring two junior strategists", 480, 180, 0, ""),
            (K.KEYNOTE, "Reputation is a long game", 300, None, 1_200, "Comms Europe"),
            (K.TEACHING, "Public relations, evening class", 260, 20, 40, "City College"),
            (K.WORKSHOP, "Media training for founders", 230, None, 60, "Startup Hub"),
            (K.KEYNOTE, "What the press wants now", 180, None, 2_000, "PRWorld"),
            (K.BOOK, "Quiet Influence", 120, None, 3_000, "Northbank Press"),
            (K.MEDIA, "Podcast: Quiet Influence", 100, None, 5_000, "The Comms Pod"),
            (K.AWARD, "Communicator of the year", 75, None, 0, "PR Guild"),
            (K.BOARD, "Advisory board, Open Newsroom", 60, None, 0, "Open Newsroom"),
            (K.TALK, "Influence without the feed", 30, None, 300, "Brand Days"),
            (K.KEYNOTE, "Closing keynote", -20, None, 900, "Comms North"),
        ],
    ),
    SubjectPlan(
        "Northwind Coffee",
        _northwind_series,
        [
            AccountPlan("mastodon", "northwind", instance_url="https://fosstodon.org"),
            AccountPlan("youtube", "@northwindcoffee"),
            AccountPlan("reddit", "northwind_coffee"),
            AccountPlan("manual", "@northwind.coffee", label="Instagram", every=14, stop_days_ago=120),
        ],
        [
            (K.EVENT, "Latte art championship", 610, None, 400, "Northwind Roastery"),
            (K.MEDIA, "Feature in Food & Drink", 420, None, 50_000, "Food & Drink"),
            (K.AWARD, "Best independent roaster", 350, None, 0, "Coffee Awards"),
            (K.EVENT, "Community cupping night", 150, None, 80, "Northwind Roastery"),
            (K.OTHER, "Charity coffee morning", 40, None, 120, "Town Hall"),
        ],
    ),
    SubjectPlan(
        "Dr. Sam Okafor",
        _sam_series,
        [
            AccountPlan("github", "samokafor"),
            AccountPlan("stackexchange", "stackoverflow:204877"),
            AccountPlan(
                "hackernews", "sokafor", stop_days_ago=8, status=AccountStatus.FAILING,
                last_error="Hacker News answered HTTP 503 Service Unavailable (after 3 retries).",
                consecutive_failures=7,
            ),
            AccountPlan("openalex", "A5023888391"),
        ],
        [
            (K.TALK, "Type systems for data pipelines", 650, None, 250, "PyData"),
            (K.ARTICLE, "Incremental view maintenance, revisited", 520, None, 0, "VLDB"),
            (K.TEACHING, "Databases, graduate course", 400, 250, 35, "State University"),
            (K.WORKSHOP, "Property-based testing", 300, None, 40, "EuroPython"),
            (K.MENTORING, "Open-source mentoring programme", 200, None, 0, "Outreach"),
            (K.TALK, "Fast histories in Python", 90, None, 400, "PyCon"),
            (K.REFERRAL, "Referral: Delta Analytics", 45, None, 0, "Delta Analytics"),
        ],
    ),
]


# --- seeding -----------------------------------------------------------------------


def demo_workspace(user: User) -> Workspace | None:
    return Workspace.objects.filter(memberships__user=user, memberships__role=Role.OWNER, name=WORKSPACE_NAME).first()


def seed(today: dt.date | None = None, reset: bool = False) -> SeedResult:
    """Create the demo user, workspace and history; does nothing when they exist (unless `reset`)."""
    today = today or snapshots.today()
    with transaction.atomic():
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, time_zone="Europe/London")
        # Logging in from the log-in page works at once: a confirmed address, no second factor.
        mark_verified(user)
        workspace = demo_workspace(user)
        if workspace is not None and reset:
            workspace.delete()
            workspace = None
        if reset:
            Authenticator.objects.filter(user=user).delete()
            user.set_password(DEMO_PASSWORD)
            user.digest_enabled = True
            user.save()
        if workspace is not None:
            return SeedResult(user, workspace, created=False)
        workspace = Workspace.objects.create(name=WORKSPACE_NAME)
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        user.current_workspace = workspace
        user.digest_enabled = True
        user.save(update_fields=["current_workspace", "digest_enabled"])
        subjects = [_build_subject(workspace, plan, index, today) for index, plan in enumerate(PLANS)]
        for subject in subjects:
            snapshots.recompute_history(subject.pk, until=today)
    return SeedResult(user, workspace, created=True)


def add_sample_subject(workspace: Workspace, today: dt.date | None = None) -> Subject:
    """The first subject of the story (Maya Chen), with its last year, as a read-only sample in
    someone's workspace: its accounts paused so nothing is collected for it, its history scored."""
    today = today or snapshots.today()
    with transaction.atomic():
        subject = _build_subject(workspace, PLANS[0], 0, today, keep=SAMPLE_DAYS, sample=True)
        snapshots.recompute_history(subject.pk, until=today)
    return subject


def _build_subject(
    workspace: Workspace, plan: SubjectPlan, index: int, today: dt.date, keep: int = DAYS, sample: bool = False
) -> Subject:
    """The plan's subject with its `keep` last days of history (the series are the whole story's,
    so a shorter history is the same story's end); a sample's accounts are paused."""
    rng = random.Random(SEED + index)
    subject = Subject.objects.create(workspace=workspace, name=plan.name, is_sample=sample)
    days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    series = plan.series(rng, days, Story())
    collected = timezone.make_aware(dt.datetime.combine(today, dt.time(6, 0)), dt.UTC)
    observations: list[Observation] = []
    for account_plan in plan.accounts:
        last = DAYS - 1 - account_plan.stop_days_ago
        account = Account.objects.create(
            subject=subject,
            network=account_plan.network,
            handle=account_plan.handle,
            instance_url=account_plan.instance_url,
            label=account_plan.label,
            status=AccountStatus.PAUSED if sample else account_plan.status,
            last_error=account_plan.last_error,
            consecutive_failures=account_plan.consecutive_failures,
            last_attempt_at=collected,
            last_collected_at=collected - dt.timedelta(days=account_plan.stop_days_ago),
        )
        for metric, values in series[account_plan.network].items():
            observations.extend(
                Observation(account=account, metric=metric, day=days[i], value=values[i], collected_at=collected)
                for i in range(last, DAYS - 1 - keep, -account_plan.every)
            )
    Observation.objects.bulk_create(observations, batch_size=OBSERVATION_BATCH)
    Activity.objects.bulk_create(
        Activity(
            subject=subject, kind=kind, title=title, date=today - dt.timedelta(days=ago),
            end_date=today - dt.timedelta(days=end) if end is not None else None,
            audience=audience, venue=venue,
        )
        for kind, title, ago, end, audience, venue in plan.activities
        if ago < keep
    )
    return subject
