from typing import Any

from django import template
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from dashboard.pages import can_change, page_membership
from influence.core.choices import ActivityKind
from influence.core.models import Subject
from influence.scoring.snapshots import today

register = template.Library()

PER_PAGE = 20
# The panel's own query parameters, named apart from those of the rest of the subject page.
KIND_PARAM, YEAR_PARAM, PAGE_PARAM = "activity_kind", "activity_year", "activity_page"


def _query(params: QueryDict, **changes: str | None) -> str:
    query = params.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return query.urlencode()


def _counts(subject: Subject) -> dict[tuple[int, str], int]:
    """The subject's activities counted per year and kind, in one query: the total, the years
    offered by the filter and the filtered count all come from it."""
    return {
        (year, kind): n
        for year, kind, n in subject.activities.order_by()
        .annotate(year=ExtractYear("date"))
        .values_list("year", "kind")
        .annotate(n=Count("pk"))
    }


@register.inclusion_tag("activities/_panel.html", takes_context=True)
def activity_panel(context: template.Context, subject: Subject) -> dict[str, Any]:
    """The subject page's activity list, newest first, filtered by ?activity_kind= and ?activity_year=.

    Editors and owners get the links to add, edit, delete and import; viewers see the list only.
    Two queries whatever the number of activities: the counts, and the page shown.
    """
    request = context.get("request")
    params = request.GET if request is not None else None
    kind = params.get(KIND_PARAM, "") if params is not None else ""
    kind = kind if kind in ActivityKind.values else ""
    year_text = params.get(YEAR_PARAM, "") if params is not None else ""
    # At most four ASCII digits: str.isdigit() also accepts "²", which int() refuses.
    digits = len(year_text) <= 4 and year_text.isascii() and year_text.isdigit()
    year = int(year_text) if digits and int(year_text) >= 1 else None

    counts = _counts(subject)
    matching = sum(n for (y, k), n in counts.items() if (not kind or k == kind) and (not year or y == year))
    activities = subject.activities.order_by("-date", "-pk")
    if kind:
        activities = activities.filter(kind=kind)
    if year:
        activities = activities.filter(date__year=year)
    paginator = Paginator(activities, PER_PAGE)
    paginator.count = matching  # known from the counts already: the paginator need not count again
    page = paginator.get_page(params.get(PAGE_PARAM) if params is not None else 1)

    membership = page_membership(subject, request)
    context_out = {
        "subject": subject,
        "page": page,
        "matching": matching,
        "total": sum(counts.values()),
        "kind": kind,
        "year": year,
        "filtering": bool(kind or year),
        "kinds": ActivityKind.choices,
        "years": sorted({y for y, _ in counts}, reverse=True),
        "can_edit": can_change(subject, membership),
        "today": today(),
        "keep_params": [],
    }
    if params is not None:
        context_out["keep_params"] = [
            (name, value) for name, value in params.items() if name not in (KIND_PARAM, YEAR_PARAM, PAGE_PARAM)
        ]
        context_out["clear_query"] = _query(params, **{KIND_PARAM: None, YEAR_PARAM: None, PAGE_PARAM: None})
        if page.has_previous():
            context_out["previous_query"] = _query(params, **{PAGE_PARAM: str(page.previous_page_number())})
        if page.has_next():
            context_out["next_query"] = _query(params, **{PAGE_PARAM: str(page.next_page_number())})
    return context_out
