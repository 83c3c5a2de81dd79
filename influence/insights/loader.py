"""One subject's insights, read in a fixed number of queries whatever the length of its history.

The queries: the accounts, the observations of the last two years (audience
metrics) and of the last 180 days (the other metrics, for a 90-day growth window
ending on their last day), the activities, the dismissed days. Everything else is the pure rules of this
package. `as_json()` is the one shape the page, the API and the shared report use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from influence.core.choices import ActivityKind, Metric, Network
from influence.core.models import Account, Activity, AnomalyDismissal, Observation
from influence.insights import anomalies, effects, growth, projections
from influence.insights.anomalies import Anomaly
from influence.insights.effects import Effect, KindSummary
from influence.insights.growth import Growth
from influence.insights.projections import Projection
from influence.insights.series import AUDIENCE_METRICS

# Unusual days and effects are looked for over this much history (and the days
# a first effect's before-window needs): the work per request is bounded.
HISTORY_DAYS = 730
LOOKBACK_DAYS = HISTORY_DAYS + effects.BEFORE_DAYS + anomalies.HISTORY_DAYS + 1
# Growth of the other metrics: a 90-day window ending on their last day, for accounts stopped up to 90 days ago.
GROWTH_LOOKBACK_DAYS = 2 * max(growth.WINDOWS)
# The strongest effects listed; the per-kind summary uses all of them.
MAX_EFFECTS = 50
MAX_ANOMALIES = 100

KIND_PLURALS = {
    ActivityKind.KEYNOTE: "keynotes",
    ActivityKind.TALK: "talks",
    ActivityKind.WORKSHOP: "workshops",
    ActivityKind.PANEL: "panels",
    ActivityKind.BOOK: "books",
    ActivityKind.ARTICLE: "articles or publications",
    ActivityKind.TEACHING: "courses or classes",
    ActivityKind.MEDIA: "media interviews or mentions",
    ActivityKind.AWARD: "awards",
    ActivityKind.REFERRAL: "client referrals",
    ActivityKind.MENTORING: "mentoring activities",
    ActivityKind.BOARD: "board or advisory roles",
    ActivityKind.EVENT: "community events",
    ActivityKind.OTHER: "other activities",
}

SeriesKey = tuple[int, str]  # (account id, metric)


@dataclass(frozen=True)
class AccountAnomaly:
    account: int
    metric: str
    anomaly: Anomaly


@dataclass(frozen=True)
class AccountEffect:
    account: int
    metric: str
    effect: Effect


@dataclass
class SubjectInsights:
    accounts: dict[int, str] = field(default_factory=dict)
    # The network alone (a manual account's platform), for what is shown outside the workspace.
    networks: dict[int, str] = field(default_factory=dict)
    activities: dict[int, dict[str, Any]] = field(default_factory=dict)
    growth: list[tuple[SeriesKey, Growth]] = field(default_factory=list)
    projections: list[tuple[SeriesKey, Projection]] = field(default_factory=list)
    effects: list[AccountEffect] = field(default_factory=list)
    kinds: list[KindSummary] = field(default_factory=list)
    # Not dismissed, newest first.
    anomalies: list[AccountAnomaly] = field(default_factory=list)

    def _metrics(self) -> list[str]:
        return sorted({metric for (_, metric), _ in self.growth} | set(AUDIENCE_METRICS))

    def as_json(self) -> dict[str, Any]:
        metric_labels = dict(Metric.choices)
        kind_labels = dict(ActivityKind.choices)
        return {
            "growth": [
                {"account": account, "metric": metric, "window_days": g.window_days, "change": g.change,
                 "percent": g.percent}
                for (account, metric), g in self.growth
            ],
            "projections": [
                {"account": account, "metric": metric, "days_ahead": p.days_ahead, "day": p.day.isoformat(),
                 "value": p.value, "low": p.low, "high": p.high}
                for (account, metric), p in self.projections
            ],
            "effects": [
                {"activity": e.effect.group.ids[0], "activities": e.effect.group.ids, "account": e.account,
                 "metric": e.metric, "before_per_day": e.effect.before_per_day,
                 "after_per_day": e.effect.after_per_day, "ratio": e.effect.ratio, "flagged": e.effect.flagged}
                for e in self.effects[:MAX_EFFECTS]
            ],
            "anomalies": [
                {"account": a.account, "metric": a.metric, "day": a.anomaly.day.isoformat(),
                 "change": a.anomaly.change, "kind": a.anomaly.kind}
                for a in self.anomalies[:MAX_ANOMALIES]
            ],
            "kinds": [
                {"kind": s.kind, "label": kind_labels.get(s.kind, s.kind),
                 "plural": KIND_PLURALS.get(ActivityKind(s.kind), s.kind) if s.kind in ActivityKind.values else s.kind,
                 "median_ratio": s.median_ratio, "activities": s.activities}
                for s in self.kinds
            ],
            "labels": {
                "accounts": {str(pk): label for pk, label in self.accounts.items()},
                "metrics": {name: metric_labels.get(name, name) for name in self._metrics()},
                "activities": {str(pk): value for pk, value in self.activities.items()},
            },
        }


def _series(rows: Iterable[tuple[int, str, dt.date, int]]) -> dict[SeriesKey, list[tuple[dt.date, int]]]:
    grouped: dict[SeriesKey, list[tuple[dt.date, int]]] = {}
    for account_id, metric, day, value in rows:
        grouped.setdefault((account_id, metric), []).append((day, value))
    return grouped


def dismissed_days(account_ids: Iterable[int]) -> set[tuple[int, str, dt.date]]:
    rows = AnomalyDismissal.objects.filter(account_id__in=list(account_ids)).values_list("account_id", "metric", "day")
    return set(rows)


def series_anomalies(series: dict[SeriesKey, list[tuple[dt.date, int]]]) -> dict[SeriesKey, list[Anomaly]]:
    return {key: anomalies.find_anomalies(points) for key, points in series.items() if key[1] in AUDIENCE_METRICS}


@dataclass(frozen=True)
class UnusualDay:
    subject: int
    network: str  # the network alone (a manual account's platform)
    metric: str
    day: dt.date
    change: int


def _network_label(account: Account) -> str:
    return account.label if account.network == Network.MANUAL and account.label else account.get_network_display()


def unusual_days(subject_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[UnusualDay]]:
    """Per subject, its audience's unusual days from `start` to `end` not dismissed, newest first (three queries).

    For many subjects at once (the weekly email): only the 60 days each day is
    compared with are read before `start`.
    """
    # Filtered by subject, not by the accounts read: the same queries whether or not they have accounts.
    ids = list(subject_ids)
    accounts = {a.pk: a for a in Account.objects.filter(subject_id__in=ids)}
    since = start - dt.timedelta(days=anomalies.HISTORY_DAYS + 1)
    rows = (
        Observation.objects.filter(account__subject_id__in=ids, metric__in=AUDIENCE_METRICS,
                                   day__gte=since, day__lte=end)
        .order_by("account_id", "metric", "day")
        .values_list("account_id", "metric", "day", "value")
    )
    dismissed = set(
        AnomalyDismissal.objects.filter(account__subject_id__in=ids, day__gte=start).values_list(
            "account_id", "metric", "day"
        )
    )
    found: dict[int, list[UnusualDay]] = {}
    for (account_id, metric), anomalies_found in series_anomalies(_series(rows)).items():
        account = accounts[account_id]
        for a in anomalies.first_days(anomalies_found):
            if a.day >= start and (account_id, metric, a.day) not in dismissed:
                found.setdefault(account.subject_id, []).append(
                    UnusualDay(account.subject_id, _network_label(account), metric, a.day, a.change)
                )
    for days in found.values():
        days.sort(key=lambda u: (u.day, u.network, u.metric), reverse=True)
    return found


def growth_by_day(
    account_ids: Iterable[int], start: dt.date | None, end: dt.date, metric: str | None = None
) -> dict[tuple[int, str, dt.date], dict[int, Growth]]:
    """For every observed day from `start` to `end`, each metric's growth windows ending that day (one query).

    The metric CSV gives them beside each value; the days before `start` are read
    as far back as the longest window needs.
    """
    observations = Observation.objects.filter(account_id__in=list(account_ids), day__lte=end)
    if start is not None:
        observations = observations.filter(day__gte=start - dt.timedelta(days=max(growth.WINDOWS)))
    if metric is not None:
        observations = observations.filter(metric=metric)
    rows = observations.order_by("account_id", "metric", "day").values_list("account_id", "metric", "day", "value")
    series = _series(rows)
    table: dict[tuple[int, str, dt.date], dict[int, Growth]] = {}
    for (account_id, name), points in series.items():
        values = dict(points)
        for day, _ in points:
            if start is not None and day < start:
                continue
            windows = {w: g for w in growth.WINDOWS if (g := growth.change_over(values, day, w)) is not None}
            if windows:
                table[(account_id, name, day)] = windows
    return table


def load(subject_id: int, today: dt.date) -> SubjectInsights:
    """The subject's growth, projections, effects and unusual days as of `today`."""
    insights = SubjectInsights()
    accounts = list(Account.objects.filter(subject_id=subject_id).order_by("network", "handle", "pk"))
    insights.accounts = {account.pk: account.display_name for account in accounts}
    insights.networks = {account.pk: _network_label(account) for account in accounts}
    if not accounts:
        return insights
    audience_since = today - dt.timedelta(days=LOOKBACK_DAYS)
    others_since = today - dt.timedelta(days=GROWTH_LOOKBACK_DAYS)
    rows = (
        Observation.objects.filter(account_id__in=list(insights.accounts), day__lte=today)
        .filter(Q(metric__in=AUDIENCE_METRICS, day__gte=audience_since) | Q(day__gte=others_since))
        .order_by("account_id", "metric", "day")
        .values_list("account_id", "metric", "day", "value")
    )
    series = _series(rows)
    order = {pk: i for i, pk in enumerate(insights.accounts)}
    keys = sorted(series, key=lambda key: (order[key[0]], key[1]))
    for key in keys:
        # Every metric is read as far back as the other metrics were, so all grow alike.
        points = [p for p in series[key] if p[0] >= others_since]
        insights.growth.extend((key, g) for g in growth.growth(points))
        if key[1] in AUDIENCE_METRICS:
            insights.projections.extend((key, p) for p in projections.project(points))
    found = series_anomalies(series)
    _load_effects(insights, subject_id, series, found, today)
    dismissed = dismissed_days(insights.accounts)
    listed = [
        AccountAnomaly(key[0], key[1], a)
        for key in keys for a in anomalies.first_days(found.get(key, []))
        if (key[0], key[1], a.day) not in dismissed and a.day >= today - dt.timedelta(days=HISTORY_DAYS)
    ]
    insights.anomalies = sorted(listed, key=lambda a: (a.anomaly.day, -order[a.account], a.metric), reverse=True)
    return insights


def _load_effects(
    insights: SubjectInsights,
    subject_id: int,
    series: dict[SeriesKey, list[tuple[dt.date, int]]],
    found: dict[SeriesKey, list[Anomaly]],
    today: dt.date,
) -> None:
    since = today - dt.timedelta(days=HISTORY_DAYS)
    rows = list(
        Activity.objects.filter(subject_id=subject_id, date__gte=since, date__lte=today)
        .order_by("date", "pk")
        .values_list("pk", "date", "kind", "title")
    )
    kind_labels = dict(ActivityKind.choices)
    insights.activities = {
        pk: {"title": title, "date": day.isoformat(), "kind": kind, "kind_label": kind_labels.get(kind, kind)}
        for pk, day, kind, title in rows
    }
    groups = effects.group_activities(effects.ActivityRef(pk, day, kind) for pk, day, kind, _ in rows)
    measured = []
    for key, points in series.items():
        if key[1] not in AUDIENCE_METRICS:
            continue
        values = dict(points)
        unusual = {a.day for a in found.get(key, [])}
        for group in groups:
            result = effects.effect(values, group, unusual)
            if result is not None:
                measured.append(AccountEffect(key[0], key[1], result))
    measured.sort(key=lambda e: (e.effect.strength, e.effect.group.first), reverse=True)
    insights.effects = measured
    insights.kinds = effects.kind_summaries([e.effect for e in measured])
    # Only the activities an effect names are labelled.
    named = {pk for e in measured[:MAX_EFFECTS] for pk in e.effect.group.ids}
    insights.activities = {pk: value for pk, value in insights.activities.items() if pk in named}
