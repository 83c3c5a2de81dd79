"""Chart data as JSON (what the page scripts draw) and as CSV (the same series, for export)."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse, JsonResponse
from django.utils.text import slugify

from influence.core.permissions import get_subject_for_user
from influence.reports import series
from influence.scoring.snapshots import parameters_for, today


def requested_range(request) -> series.DateRange:
    return series.parse_range(request.GET.get("range"), request.GET.get("from"), request.GET.get("to"), today())


def bad_request(error: Exception) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=400)


def csv_response(rows: Iterable[list], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(rows)
    return response


def wants_csv(request, fmt: str) -> bool:
    return fmt == "csv" or request.GET.get("format") == "csv"


def subject_series(request, pk, fmt="json"):
    """The score over a range: total, online and offline shares, online-only score, activity markers."""
    subject = get_subject_for_user(request, pk)
    try:
        rng = requested_range(request)
    except series.RangeError as error:
        return bad_request(error)
    data = series.score_series(subject.pk, rng, parameters_for(subject))
    if wants_csv(request, fmt):
        return csv_response(series.series_csv_rows(data), f"{slugify(subject.name) or 'subject'}-score.csv")
    first = data["range"]["from"]
    data.update(series.activity_markers(subject.pk, rng, series.parse_date(first, "from") if first else None))
    data["subject"] = {"id": subject.pk, "name": subject.name}
    return JsonResponse(data)


def subject_metrics(request, pk, fmt="json"):
    """One chart per account metric; ?metric= narrows to one metric."""
    subject = get_subject_for_user(request, pk)
    try:
        rng = requested_range(request)
    except series.RangeError as error:
        return bad_request(error)
    data = series.metric_series(subject.pk, rng, metric=request.GET.get("metric") or None)
    if wants_csv(request, fmt):
        suffix = request.GET.get("metric") or "metrics"
        return csv_response(series.metric_csv_rows(data), f"{slugify(subject.name) or 'subject'}-{slugify(suffix)}.csv")
    return JsonResponse(data)
