import functools
import hashlib

from django import template
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import CharField, Count
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.urls import get_script_prefix, get_urlconf, reverse

from influence.core.choices import ActivityKind
from influence.core.models import Activity
from influence.core.permissions import membership_for

register = template.Library()

PER_PAGE = 20
# The counts of a subject's activities, and the table of a page of them, are kept under keys
# that name the activities' state (see activity_stamp): any change makes new keys, so an entry
# is never out of date; old ones are simply not asked for again and expire. The table holds
# the activities' own fields and, for editors, their edit links: it is kept apart for editors
# and viewers, and holds nothing of the user (no CSRF token, no name).
CACHE_SECONDS = 24 * 60 * 60
# The panel's own query parameters, named apart from those of the rest of the subject page.
KIND_PARAM, YEAR_PARAM, PAGE_PARAM = "activity_kind", "activity_year", "activity_page"


def _query(params, **changes) -> str:
    query = params.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return query.urlencode()


def activity_stamp_annotations() -> dict:
    """A subject annotation that tells the state of its activities, read along with the subject:
    their number (a deletion), the largest id (an addition) and the latest change (an edit).
    Plain SQL that SQLite and PostgreSQL both read: it is compiled on every page view, and the
    ORM's compilation of the same correlated subqueries costs more than running them."""
    table = Activity._meta.db_table
    subjects = Activity._meta.get_field("subject").related_model._meta.db_table
    sql = (
        f"SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(COALESCE(MAX(id), 0) AS TEXT) || ':' || "
        f"COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM {table} WHERE subject_id = {subjects}.id"
    )
    return {"activities_state": RawSQL(sql, [], output_field=CharField())}


def activity_stamp(subject) -> str | None:
    """The cache key part naming the state of the subject's activities, if the subject was read
    with activity_stamp_annotations (else the panel reads everything afresh)."""
    state = getattr(subject, "activities_state", None)
    if state is None:
        return None
    return f"activity-panel:{subject.pk}:{hashlib.md5(state.encode(), usedforsecurity=False).hexdigest()}"


def _cached(key: str | None, compute):
    if key is None:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _counts(subject) -> dict[tuple[int, str], int]:
    """The subject's activities counted per year and kind, in one query: the total, the years
    offered by the filter and the filtered count all come from it."""
    return {
        (year, kind): n
        for year, kind, n in subject.activities.order_by()
        .annotate(year=ExtractYear("date"))
        .values_list("year", "kind")
        .annotate(n=Count("pk"))
    }


@functools.cache
def _split_address(name: str, prefix: str, urlconf) -> tuple[str, str]:
    placeholder = "2147483647"
    head, tail = reverse(name, args=[int(placeholder)], urlconf=urlconf).split(placeholder, 1)
    return head, tail


def url_for_pk(name: str):
    """reverse(name, args=[pk]) for any pk at the cost of one reverse per process (per script
    prefix and URL configuration): the address with a placeholder pk, split around it. The
    subject page shows a score of addresses, and reversing each on every view was a tenth of it."""
    head, tail = _split_address(name, get_script_prefix(), get_urlconf())
    return lambda pk: f"{head}{pk}{tail}"


@functools.cache
def _address(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


def url_of(name: str) -> str:
    """reverse(name), once per process (per script prefix and URL configuration)."""
    return _address(name, get_script_prefix(), get_urlconf())


def _rows(activities) -> list[dict]:
    """The rows shown, as plain values: the template then only prints strings."""
    labels = dict(ActivityKind.choices)
    rows = []
    for a in activities:
        when = a.date.isoformat()
        if a.end_date:
            when += f" – {a.end_date.isoformat()}"
        elif a.is_ongoing_kind:
            when += " – ongoing"
        rows.append({
            "pk": a.pk,
            "when": when,
            "kind": labels.get(a.kind, a.kind),
            "title": a.title,
            "url": a.url,
            "notes": a.notes,
            "venue": a.venue,
            "audience": a.audience,
        })
    return rows


def _with_links(rows: list[dict], can_edit: bool) -> list[dict]:
    """Editors' rows get their edit and delete links."""
    if not can_edit:
        return rows
    edit_url, delete_url = url_for_pk("activity_edit"), url_for_pk("activity_delete")
    return [{**row, "edit_url": edit_url(row["pk"]), "delete_url": delete_url(row["pk"])} for row in rows]


class _Activities:
    """The panel's activities, newest first, as the paginator slices them: the query is built
    and run only when the rows of a page are read (not when the page's table is kept already)."""

    def __init__(self, subject, kind: str, year: int | None, bounds: slice | None = None):
        self.subject, self.kind, self.year, self.bounds = subject, kind, year, bounds

    def __getitem__(self, bounds: slice) -> "_Activities":
        return _Activities(self.subject, self.kind, self.year, bounds)

    def __iter__(self):
        activities = self.subject.activities.order_by("-date", "-pk")
        if self.kind:
            activities = activities.filter(kind=self.kind)
        if self.year:
            activities = activities.filter(date__year=self.year)
        return iter(activities[self.bounds] if self.bounds is not None else activities)


@register.inclusion_tag("activities/_panel.html", takes_context=True)
def activity_panel(context, subject):
    """The subject page's activity list, newest first, filtered by ?activity_kind= and ?activity_year=.

    Editors and owners get the links to add, edit, delete and import; viewers see the list only.
    Two queries whatever the number of activities: the counts, and the page shown; none when
    the subject was read with activity_stamp_annotations and its activities did not change since
    they were last shown.
    """
    request = context.get("request")
    params = request.GET if request is not None else None
    kind = params.get(KIND_PARAM, "") if params is not None else ""
    kind = kind if kind in ActivityKind.values else ""
    year_text = params.get(YEAR_PARAM, "") if params is not None else ""
    # At most four ASCII digits: str.isdigit() also accepts "²", which int() refuses.
    digits = len(year_text) <= 4 and year_text.isascii() and year_text.isdigit()
    year = int(year_text) if digits and int(year_text) >= 1 else None

    stamp = activity_stamp(subject)
    counts = _cached(f"{stamp}:counts" if stamp else None, lambda: _counts(subject))
    total = sum(counts.values())
    matching = sum(n for (y, k), n in counts.items() if (not kind or k == kind) and (not year or y == year))
    paginator = Paginator(_Activities(subject, kind, year) if matching else [], PER_PAGE)
    paginator.count = matching  # known already: the paginator need not count again
    page = paginator.get_page(params.get(PAGE_PARAM) if params is not None else 1)

    membership = getattr(subject, "membership", None)
    if membership is None and request is not None:
        membership = membership_for(request.user, subject.workspace_id)
    can_edit = bool(membership and membership.can_edit)
    context_out = {
        "subject": subject,
        "urls": {
            "create": url_for_pk("activity_create")(subject.pk),
            "import": url_for_pk("activity_import")(subject.pk),
            "export": url_for_pk("activity_export")(subject.pk),
            "template": url_of("activity_template"),
        },
        "page": page,
        # Read only when the table is not kept already.
        "rows": lambda: _with_links(_rows(page.object_list), can_edit),
        "matching": matching,
        "table_key": f"{stamp}:{kind}:{year or ''}:{page.number}:{'edit' if can_edit else 'view'}" if stamp else "",
        "cache_seconds": CACHE_SECONDS,
        "total": total,
        "kind": kind,
        "year": year,
        "filtering": bool(kind or year),
        "kinds": ActivityKind.choices,
        "years": sorted({y for y, _ in counts}, reverse=True),
        "can_edit": can_edit,
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
