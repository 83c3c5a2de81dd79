"""Years of daily data for one subject, written in bulk: what the dashboard tests and the benchmark draw."""

import datetime as dt
import math

from influence.core.choices import AccountStatus, ActivityKind, Network
from influence.core.models import Account, Activity, Observation, ScoreSnapshot, Subject
from influence.scoring import latest
from influence.scoring.snapshots import recompute_history

KINDS = [
    ActivityKind.KEYNOTE, ActivityKind.TALK, ActivityKind.ARTICLE, ActivityKind.MEDIA, ActivityKind.WORKSHOP,
    ActivityKind.PANEL, ActivityKind.REFERRAL, ActivityKind.AWARD,
]


def build_history(subject, end: dt.date, years: float = 5, activities_per_year: int = 6) -> dict:
    """Daily Mastodon and GitHub numbers for `years` years up to `end`, a manual account last
    updated long ago (stale), activities spread over the years, and the snapshots of every day."""
    start = end - dt.timedelta(days=round(365 * years))
    mastodon = Account.objects.create(subject=subject, network=Network.MASTODON, handle="jane@example.social",
                                      instance_url="https://example.social")
    github = Account.objects.create(subject=subject, network=Network.GITHUB, handle="jane",
                                    status=AccountStatus.FAILING, last_error="502 from the API")
    manual = Account.objects.create(subject=subject, network=Network.MANUAL, handle="jane", label="LinkedIn")
    rows = []
    days = (end - start).days + 1
    for n in range(days):
        day = start + dt.timedelta(days=n)
        wave = 1 + 0.05 * math.sin(n / 7)
        rows += [
            Observation(account=mastodon, metric="followers", day=day, value=int(500 + 2 * n)),
            Observation(account=mastodon, metric="engagements_30d", day=day, value=int(80 * wave + n / 10)),
            Observation(account=github, metric="followers", day=day, value=int(100 + n / 3)),
            Observation(account=github, metric="stars", day=day, value=int(50 + n / 2)),
        ]
        if n % 30 == 0 and n < days - 200:
            rows.append(Observation(account=manual, metric="followers", day=day, value=2000 + n))
    Observation.objects.bulk_create(rows, batch_size=5000)
    activities = []
    count = max(1, round(years * activities_per_year))
    for i in range(count):
        date = start + dt.timedelta(days=int((i + 0.5) * days / count))
        kind = KINDS[i % len(KINDS)]
        activities.append(Activity(subject=subject, kind=kind, title=f"{kind.label} number {i + 1}", date=date,
                                   audience=50 + 10 * i))
    Activity.objects.bulk_create(activities)
    recompute_history(subject.pk, until=end)
    return {"start": start, "end": end, "mastodon": mastodon, "github": github, "manual": manual,
            "activities": activities, "observations": len(rows)}


def add_scored_subjects(workspace, n: int, end: dt.date, days: int = 40) -> list[Subject]:
    """n more subjects in `workspace`, each with `days` daily snapshots up to `end` and a failing
    account: enough for every list of subjects to show a score, a sparkline and a flag."""
    subjects = []
    for _ in range(n):
        subject = Subject.objects.create(workspace=workspace, name=f"Subject {Subject.objects.count() + 1}")
        ScoreSnapshot.objects.bulk_create(
            ScoreSnapshot(
                subject=subject, day=end - dt.timedelta(days=d), total=40 + d % 7, online=30, offline=10 + d % 7,
                online_points=3.0, offline_points=1.0, model_version="test",
            )
            for d in range(days)
        )
        latest.refresh([subject.pk])
        Account.objects.create(subject=subject, network=Network.GITHUB, handle=f"s{subject.pk}",
                               status=AccountStatus.FAILING)
        subjects.append(subject)
    return subjects
