"""The home page (a workspace's subjects), a subject's page, its "what changed", and subject changes."""

import datetime as dt
import functools
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import JSONField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dashboard.forms.subjects import SubjectForm
from dashboard.templatetags.account_tags import accounts_in_order
from dashboard.templatetags.activity_tags import activity_stamp_annotations, url_for_pk
from influence import scoring
from influence.core.models import ScoreSnapshot, Subject
from influence.core.permissions import check_subject_for_user, current_membership, get_subject_for_user
from influence.core.rows import convert_row
from influence.reports import series
from influence.reports.explanation import explain, group_label
from influence.reports.summaries import shown, subject_summaries
from influence.scoring.snapshots import today

CHANGES_DEFAULT_DAYS = 7
SCORE_CARD_SECONDS = 24 * 60 * 60
NAME_MAX_LENGTH = Subject._meta.get_field("name").max_length


def home(request):
    membership = current_membership(request)
    subjects = list(membership.workspace.subjects.all()) if membership else []
    return render(
        request,
        "dashboard/home.html",
        {
            "membership": membership,
            "summaries": subject_summaries(subjects, today()),
            "form": SubjectForm() if membership and membership.can_edit else None,
        },
    )


@require_POST
def subject_create(request):
    membership = current_membership(request)
    if membership is None:
        raise Http404("No workspace.")
    if not membership.can_edit:
        raise PermissionDenied("Viewers cannot change anything in this workspace.")
    form = SubjectForm(request.POST)
    if not form.is_valid():
        summaries = subject_summaries(list(membership.workspace.subjects.all()), today())
        return render(
            request, "dashboard/home.html", {"membership": membership, "summaries": summaries, "form": form},
            status=400,
        )
    subject = form.save(commit=False)
    subject.workspace = membership.workspace
    subject.save()
    messages.success(request, f"{subject.name} added. Add accounts and activities to start a score.")
    return redirect("subject_detail", subject.pk)


def _latest_snapshot(subject: Subject, on_or_before: dt.date) -> ScoreSnapshot | None:
    return subject.snapshots.filter(day__lte=on_or_before).order_by("-day").first()


def _latest_breakdown(day: dt.date) -> RawSQL:
    """The breakdown of a subject's latest snapshot on or before `day`, as a subject annotation.
    Plain SQL that SQLite and PostgreSQL both read: the ORM's compilation of the same correlated
    subquery, on every page view, cost more than running it."""
    snapshots, subjects = ScoreSnapshot._meta.db_table, Subject._meta.db_table
    return RawSQL(
        f"SELECT breakdown FROM {snapshots} WHERE subject_id = {subjects}.id AND day <= %s ORDER BY day DESC LIMIT 1",
        [day], output_field=JSONField(),
    )


_SENTINEL_DAY, _SENTINEL_PK = dt.date(1901, 2, 3), 2147483646


@functools.cache
def _page_subject_query(vendor: str) -> tuple:
    """The subject page's subject query, compiled once per process (compiling it on every view
    cost more than running it): its SQL, where the day and the pk go among its parameters, and
    the conversions the ORM applies to its columns."""
    queryset = (
        Subject.objects.annotate(latest_breakdown=_latest_breakdown(_SENTINEL_DAY), **activity_stamp_annotations())
        .filter(pk=_SENTINEL_PK)
        .order_by()
    )
    compiler = queryset.query.get_compiler(connection.alias)
    sql, params = compiler.as_sql()
    slots = [
        ("day", None) if p == _SENTINEL_DAY else ("pk", None) if p == _SENTINEL_PK else ("value", p) for p in params
    ]
    selected = compiler.get_converters([column for column, _, _ in compiler.select])
    converters = [(position, functions, column) for position, (functions, column) in selected.items()]
    names = [field.attname for field in compiler.klass_info["model"]._meta.concrete_fields]
    return sql, slots, converters, names, dict(compiler.annotation_col_map)


def _page_subject(pk: int, day: dt.date) -> Subject | None:
    """The subject with its latest snapshot's breakdown (on or before `day`) and the state of its
    activities (whether the activity panel's kept counts and rows still hold), in one query."""
    sql, slots, converters, names, annotations = _page_subject_query(connection.vendor)
    values = {"day": day, "pk": pk}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[kind] if kind in values else value for kind, value in slots])
        rows = cursor.fetchall()
    if not rows:
        return None
    row = convert_row(rows[0], converters)
    subject = Subject.from_db(connection.alias, names, row[: len(names)])
    for name, position in annotations.items():
        setattr(subject, name, row[position])
    return subject


def subject_detail(request, pk):
    try:
        subject_pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such subject.") from None
    subject = check_subject_for_user(request, _page_subject(subject_pk, today()))
    breakdown = subject.latest_breakdown
    explanation = score_key = None
    if breakdown:
        # Which network a stale input belongs to; only asked when something is stale.
        stale = breakdown.get("stale")
        networks = {account.pk: account.network for account in accounts_in_order(subject)} if stale else {}
        explanation = explain(breakdown, networks)
        # The score card is kept rendered under the digest of what it shows (the explanation's
        # every field): a new snapshot or a change of labels shows at once, under a new key.
        score_key = hashlib.md5(repr(explanation).encode(), usedforsecurity=False).hexdigest()
    try:
        rng = series.parse_range(request.GET.get("range"), request.GET.get("from"), request.GET.get("to"), today())
    except series.RangeError as error:
        messages.error(request, str(error))
        rng = series.parse_range(None, None, None, today())
    config = {
        "seriesUrl": url_for_pk("subject_series")(subject.pk),
        "seriesCsvUrl": url_for_pk("subject_series_csv")(subject.pk),
        "metricsUrl": url_for_pk("subject_metrics")(subject.pk),
        "metricsCsvUrl": url_for_pk("subject_metrics_csv")(subject.pk),
        "range": rng.key,
        "from": rng.start.isoformat() if rng.start and rng.key == "custom" else "",
        "to": rng.end.isoformat() if rng.key == "custom" else "",
    }
    return render(
        request,
        "dashboard/subject_detail.html",
        {
            "subject": subject,
            "can_edit": subject.membership.can_edit,
            "explanation": explanation,
            "score_key": score_key,
            "score_seconds": SCORE_CARD_SECONDS,
            "chart_config": config,
            "urls": {name: url_for_pk(f"subject_{name}")(subject.pk) for name in ("changes", "rename", "delete")},
            "range": rng,
            "ranges": [(key, label) for key, label in series.RANGE_LABELS.items() if key != "custom"],
            # The rename field is written in the template: a form widget's own template costs more
            # to render than the rest of the page head.
            "name_max_length": NAME_MAX_LENGTH,
        },
    )


@require_POST
def subject_rename(request, pk):
    subject = get_subject_for_user(request, pk, write=True)
    form = SubjectForm(request.POST, instance=subject)
    if form.is_valid():
        form.save()
        messages.success(request, f"Renamed to {subject.name}.")
    else:
        for error in form.errors.get("name", []):
            messages.error(request, f"Not renamed: {error}")
    return redirect("subject_detail", subject.pk)


def subject_delete(request, pk):
    """GET asks for confirmation; POST deletes the subject with all its data."""
    subject = get_subject_for_user(request, pk, write=True)
    if request.method == "POST":
        name = subject.name
        subject.delete()
        messages.success(request, f"{name} and all its data were deleted.")
        return redirect("home")
    counts = {
        "accounts": subject.accounts.count(),
        "activities": subject.activities.count(),
        "snapshots": subject.snapshots.count(),
    }
    return render(request, "dashboard/subject_delete.html", {"subject": subject, "counts": counts})


def subject_changes(request, pk):
    """The components that moved the score most between two days (default: the last 7)."""
    subject = get_subject_for_user(request, pk)
    latest = _latest_snapshot(subject, today())
    end_default = latest.day if latest else today()
    error = None
    try:
        end = series.parse_date(request.GET["to"], "to") if request.GET.get("to") else end_default
        start = (
            series.parse_date(request.GET["from"], "from")
            if request.GET.get("from")
            else end - dt.timedelta(days=CHANGES_DEFAULT_DAYS)
        )
        if start > end:
            raise series.RangeError("The “from” date is after the “to” date.")
    except series.RangeError as exc:
        error = str(exc)
        end = end_default
        start = end - dt.timedelta(days=CHANGES_DEFAULT_DAYS)
    before = _latest_snapshot(subject, start)
    after = _latest_snapshot(subject, end)
    movements = [
        {"movement": m, "label": group_label(m.side, m.group)}
        for m in scoring.what_changed(before.breakdown if before else None, after.breakdown if after else None)
    ]
    return render(
        request,
        "dashboard/subject_changes.html",
        {
            "subject": subject,
            "start": start,
            "end": end,
            "before": before,
            "after": after,
            "before_total": shown(before.total) if before else None,
            "after_total": shown(after.total) if after else None,
            "movements": movements,
            "error": error,
        },
        status=400 if error else 200,
    )
