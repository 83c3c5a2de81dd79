"""What a shared report shows: one subject's score, sub-scores, breakdown, trend, offline activities and insights.

Everything is read for the link's subject alone; the activities go without their
notes (they are the team's, not the client's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from influence.core.choices import ActivityKind
from influence.core.models import ScoreSnapshot, ShareLink
from influence.insights import load
from influence.insights.display import InsightsDisplay, for_display
from influence.reports import series
from influence.reports.explanation import Explanation, explain
from influence.scoring.snapshots import parameters_for

# The report is meant to print on a few pages: the most recent activities only.
MAX_ACTIVITIES = 100


@dataclass(frozen=True)
class SharedActivity:
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None

    @property
    def kind_label(self) -> str:
        return ActivityKind(self.kind).label if self.kind in ActivityKind.values else self.kind


@dataclass
class SharedReport:
    subject_name: str
    day: dt.date | None = None
    explanation: Explanation | None = None
    online_score: int | None = None
    offline_score: int | None = None
    activities: list[SharedActivity] = field(default_factory=list)
    more_activities: bool = False
    insights: InsightsDisplay = field(default_factory=InsightsDisplay)


def build_report(link: ShareLink, today: dt.date) -> SharedReport:
    """The report of the link's subject as of `today` (its latest snapshot on or before it)."""
    subject = link.subject
    report = SharedReport(subject_name=subject.name)
    snapshot = (
        ScoreSnapshot.objects.filter(subject=subject, day__lte=today)
        .order_by("-day")
        .only("day", "breakdown", "online_points", "offline_points")
        .first()
    )
    if snapshot is not None and snapshot.breakdown:
        params = parameters_for(subject)
        report.day = snapshot.day
        report.explanation = explain(snapshot.breakdown, {}, params.k)
        report.online_score = report.explanation.online_score
        report.offline_score = report.explanation.offline_score
    rows = list(
        subject.activities.filter(date__lte=today)
        .order_by("-date", "-pk")
        .values_list("kind", "title", "date", "end_date")[: MAX_ACTIVITIES + 1]
    )
    report.activities = [SharedActivity(*row) for row in rows[:MAX_ACTIVITIES]]
    report.more_activities = len(rows) > MAX_ACTIVITIES
    report.insights = for_display(load(subject.pk, today))
    return report


def report_series(link: ShareLink, range_key: str | None, today: dt.date) -> dict[str, Any]:
    """The trend chart's data (score, online-only score, shares) and the activity markers, for a named range
    (by default the last year, or the whole history when it is shorter: series.default_range_key)."""
    subject = link.subject
    key = range_key if range_key in series.RANGE_LABELS and range_key != "custom" else None
    rng = series.parse_range(key, None, None, today, series.first_score_day(subject.pk) if key is None else None)
    data = series.score_series(subject.pk, rng, parameters_for(subject))
    first = dt.date.fromisoformat(data["days"][0]) if data["days"] else None
    data.update(series.activity_markers(subject.pk, rng, first))
    return data
