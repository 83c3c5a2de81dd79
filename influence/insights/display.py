"""Insights as sentences, for what is rendered on the server: the shared report and the weekly email.

(The subject page lays out insights.json in the browser, with the same wording.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from influence.core.choices import ActivityKind, Metric
from influence.insights.loader import KIND_PLURALS, SubjectInsights


def signed(value: int) -> str:
    return f"{value:+,}".replace("-", "−") if value else "±0"


def short_day(day: dt.date) -> str:
    """12 Oct"""
    return f"{day.day} {day:%b}"


def anomaly_text(account_label: str, metric: str, change: int, day: str) -> str:
    """GitHub: sam followers +5,000 on 12 Oct: unusual"""
    metric_label = dict(Metric.choices).get(metric, metric).lower()
    return f"{account_label} {metric_label} {signed(change)} on {day}: unusual"


def kind_text(kind: str, median_ratio: float, activities: int) -> str:
    """Keynotes: median 2.1x over 6 keynotes"""
    plural = KIND_PLURALS.get(ActivityKind(kind), kind) if kind in ActivityKind.values else kind
    one = dict(ActivityKind.choices).get(kind, kind).lower()
    counted = plural if activities != 1 else one
    return f"{plural[:1].upper()}{plural[1:]}: median {median_ratio:.1f}x over {activities} {counted}"


@dataclass(frozen=True)
class EffectLine:
    activities: str
    series: str
    before_per_day: float
    after_per_day: float
    ratio: float | None
    flagged: bool

    @property
    def text(self) -> str:
        if self.ratio is not None:
            return (f"{self.series}: {self.ratio:.1f}x the usual daily gain ({self.before_per_day:.1f} a day before, "
                    f"{self.after_per_day:.1f} a day in the 14 days after)")
        return (f"{self.series}: {self.after_per_day:.1f} a day in the 14 days after, against "
                f"{self.before_per_day:.1f} a day before")


@dataclass(frozen=True)
class ProjectionRow:
    series: str
    # (days ahead, value, low, high) for each horizon.
    horizons: list[tuple[int, int, int, int]]


@dataclass
class InsightsDisplay:
    effects: list[EffectLine] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    projections: list[ProjectionRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.effects or self.kinds or self.anomalies or self.projections)


def for_display(insights: SubjectInsights, max_effects: int = 5, max_anomalies: int = 10) -> InsightsDisplay:
    """The strongest effects, the per-kind summary, the latest unusual days and the projections, as text."""
    metrics = dict(Metric.choices)

    # Named by network, without the handle: these texts go to people outside the workspace too.
    def series(account: int, metric: str) -> str:
        return f"{insights.networks.get(account, account)} {metrics.get(metric, metric).lower()}"

    def names(ids: list[int]) -> str:
        return " and ".join(
            f"{a['kind_label']} “{a['title']}” ({a['date']})" for pk in ids if (a := insights.activities.get(pk))
        )

    shown = InsightsDisplay()
    shown.effects = [
        EffectLine(names(e.effect.group.ids), series(e.account, e.metric), e.effect.before_per_day,
                   e.effect.after_per_day, e.effect.ratio, e.effect.flagged)
        for e in insights.effects[:max_effects]
    ]
    shown.kinds = [kind_text(k.kind, k.median_ratio, k.activities) for k in insights.kinds]
    shown.anomalies = [
        anomaly_text(insights.networks.get(a.account, str(a.account)), a.metric, a.anomaly.change,
                     a.anomaly.day.isoformat())
        for a in insights.anomalies[:max_anomalies]
    ]
    rows: dict[tuple[int, str], list[tuple[int, int, int, int]]] = {}
    for (account, metric), p in insights.projections:
        rows.setdefault((account, metric), []).append((p.days_ahead, p.value, p.low, p.high))
    shown.projections = [ProjectionRow(series(*key), horizons) for key, horizons in rows.items()]
    return shown
