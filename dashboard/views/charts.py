"""Chart data as JSON (what the page scripts draw) and as CSV (the same series, for export)."""

import csv
import datetime as dt
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from influence import insights
from influence.core.choices import Metric
from influence.core.csvsafe import csv_cell
from influence.core.permissions import get_subject_for_user
from influence.reports import series
from influence.scoring import changes
from influence.scoring.snapshots import parameters_for, today


def requested_range(request: HttpRequest, subject_id: int | None = None) -> series.DateRange:
    """The range of the query string; without one, the default for the subject's history
    (series.default_range_key), so that the data and its CSV agree with the chart drawn by default."""
    key, start, end = request.GET.get("range"), request.GET.get("from"), request.GET.get("to")
    first_day = series.first_score_day(subject_id) if subject_id and not (key or start or end) else None
    return series.parse_range(key, start, end, today(), first_day)


def bad_request(error: Exception) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=400)


def csv_response(rows: Iterable[list[object]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    # Every cell through the one escape: a subject or account label may start like a formula.
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response


def wants_csv(request: HttpRequest, fmt: str) -> bool:
    return fmt == "csv" or request.GET.get("format") == "csv"


@require_safe
def subject_series(request: HttpRequest, pk: int, fmt: str = "json") -> HttpResponseBase:
    """The score over a range: total, Online and Offline sub-scores, both sides' shares and points, activity
    markers and the days the scoring parameters changed."""
    subject = get_subject_for_user(request, pk)
    try:
        rng = requested_range(request, subject.pk)
    except series.RangeError as error:
        return bad_request(error)
    data = series.score_series(subject.pk, rng, parameters_for(subject))
    if wants_csv(request, fmt):
        return csv_response(series.series_csv_rows(data), f"{slugify(subject.name) or 'subject'}-score.csv")
    first = data["range"]["from"]
    # The first day with data, not a typed date: read as it is, without the bounds of a query string.
    first_day = dt.date.fromisoformat(first) if first else None
    data.update(series.activity_markers(subject.pk, rng, first_day))
    # The days the workspace's parameters were saved: the history drawn was recomputed with them.
    data["parameter_changes"] = changes.chart_markers(subject.workspace_id, rng.start or first_day, rng.end)
    data["subject"] = {"id": subject.pk, "name": subject.name}
    return JsonResponse(data)


@require_safe
def subject_metrics(request: HttpRequest, pk: int, fmt: str = "json") -> HttpResponseBase:
    """One chart per account metric; ?metric= narrows to one metric."""
    subject = get_subject_for_user(request, pk)
    try:
        rng = requested_range(request, subject.pk)
    except series.RangeError as error:
        return bad_request(error)
    metric = request.GET.get("metric") or None
    if metric is not None and metric not in Metric.values:
        return bad_request(ValueError(f"Unknown metric; use one of {', '.join(Metric.values)}."))
    data = series.metric_series(subject.pk, rng, metric=metric)
    if wants_csv(request, fmt):
        suffix = metric or "metrics"
        accounts = {line["account"] for chart in data["charts"] for line in chart["lines"]}
        growth = insights.growth_by_day(accounts, rng.start, rng.end, metric)
        rows = series.metric_csv_rows(data, growth)
        return csv_response(rows, f"{slugify(subject.name) or 'subject'}-{slugify(suffix)}.csv")
    return JsonResponse(data)
