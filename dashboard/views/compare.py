"""Several subjects of the user's workspaces on one chart."""

import re

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from dashboard.forms.home import SubjectSearchForm
from dashboard.users import signed_in_user
from dashboard.views.charts import bad_request, csv_response, requested_range, wants_csv
from influence import scoring
from influence.core.models import Subject, User
from influence.core.permissions import shown_membership, visible_subjects
from influence.reports import series, summaries

# An id has at most this many digits (a bigint has 19); longer numbers are junk like any other.
MAX_ID_DIGITS = 18
ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")
# Subjects offered to add, a page at a time; and those chosen when none are asked for.
PICKER_PAGE_SIZE = 20
DEFAULT_CHOSEN = 3


def _chosen_ids(raw: list[str]) -> list[int]:
    """Subject ids from ?subjects=1,2 or repeated ?subjects=1&subjects=2; junk is dropped.

    Only ASCII digits make an id: str.isdigit() also accepts "²", which int() refuses.
    """
    ids: list[int] = []
    for chunk in raw:
        for part in chunk.split(","):
            part = part.strip()
            if ID.fullmatch(part) and int(part) not in ids:
                ids.append(int(part))
    return ids[: series.MAX_COMPARE]


def _visible(user: User, ids: list[int]) -> list[Subject]:
    """Only subjects of workspaces the user belongs to; any other id is ignored, as if unknown."""
    found = {s.pk: s for s in visible_subjects(user).filter(pk__in=ids).select_related("workspace")}
    return [found[pk] for pk in ids if pk in found]


@require_safe
def compare(request: HttpRequest) -> HttpResponseBase:
    """The chosen subjects (kept in ?subjects=) on one chart, and a search of the workspace's other
    subjects to add, a page at a time: the page's size does not grow with the workspace's."""
    membership = shown_membership(request)
    query = SubjectSearchForm(request.GET, auto_id="compare-%s").query()
    subjects = membership.workspace.subjects.all() if membership else Subject.objects.none()
    ids = _chosen_ids(request.GET.getlist("subjects"))
    if ids:
        found = {s.pk: s for s in subjects.filter(pk__in=ids)}
        chosen = [found[pk] for pk in ids if pk in found]
    else:
        chosen = list(subjects[:DEFAULT_CHOSEN])
    others = summaries.matching(subjects, query.q).exclude(pk__in=[s.pk for s in chosen])
    results = Paginator(others, PICKER_PAGE_SIZE).get_page(query.page)
    try:
        measure = series.measure_key(request.GET.get("measure"))
    except series.RangeError:
        measure = "total"
    range_key = request.GET.get("range") if request.GET.get("range") in series.RANGE_LABELS else series.DEFAULT_RANGE
    config = {
        "dataUrl": reverse("compare_data"),
        "csvUrl": reverse("compare_csv"),
    }
    return render(
        request,
        "dashboard/compare.html",
        {
            "membership": membership,
            "chosen": chosen,
            "results": results,
            "query": query,
            "search_form": SubjectSearchForm(initial={"q": query.q}, auto_id="compare-%s"),
            "has_subjects": bool(chosen or results.paginator.count or query.q),
            "max_chosen": series.MAX_COMPARE,
            "measure": measure,
            "measure_label": series.MEASURES[measure],
            "measures": list(series.MEASURES.items()),
            "range_key": range_key,
            "ranges": [(key, label) for key, label in series.RANGE_LABELS.items() if key != "custom"],
            "chart_config": config,
        },
    )


@require_safe
def compare_data(request: HttpRequest, fmt: str = "json") -> HttpResponseBase:
    subjects = _visible(signed_in_user(request), _chosen_ids(request.GET.getlist("subjects")))
    try:
        rng = requested_range(request)
        k_by_subject = {s.pk: scoring.Parameters.from_overrides(s.workspace.score_parameters).k for s in subjects}
        data = series.compare_series(
            [(s.pk, s.name) for s in subjects], request.GET.get("measure") or "total", rng, k_by_subject
        )
    except series.RangeError as error:
        return bad_request(error)
    if wants_csv(request, fmt):
        return csv_response(series.compare_csv_rows(data), f"compare-{data['measure']}.csv")
    return JsonResponse(data)

