"""The home page (a workspace's subjects), a subject's page, its "what changed", and subject changes."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard.firstrun import close_guide, guide_for
from dashboard.forms.home import HomeForm
from dashboard.forms.subjects import SubjectForm
from dashboard.forms.workspaces import WorkspaceForm
from dashboard.live import WorkInFlight, with_work_in_flight
from dashboard.pages import accounts_in_order, can_change
from dashboard.users import signed_in_user
from influence import scoring
from influence.core.models import Membership, ScoreSnapshot, Subject
from influence.core.permissions import current_membership_for_change, get_subject_for_user, shown_membership
from influence.demo.story import add_sample_subject
from influence.reports import series, summaries
from influence.reports.explanation import explain, full_list, group_label
from influence.reports.summaries import shown
from influence.scoring.snapshots import explain_day, parameters_for, today

CHANGES_DEFAULT_DAYS = 7
# Cards on a page of the home page: its queries and size stay the same whatever the workspace's size.
HOME_PAGE_SIZE = 50


@require_safe
def home(request: HttpRequest) -> HttpResponseBase:
    membership = shown_membership(request)
    form = SubjectForm() if membership and membership.can_edit else None
    return render(request, "dashboard/home.html", _home_context(request, membership, form))


def _home_context(request: HttpRequest, membership: Membership | None, form: SubjectForm | None) -> dict[str, Any]:
    """One page of the workspace's subjects as the query string asks (search, sort, filter, page)."""
    query = HomeForm(request.GET).query()
    day = today()
    subjects = membership.workspace.subjects.all() if membership else Subject.objects.none()
    # The sub-scores on the cards use the K in force in the workspace.
    params = scoring.Parameters.from_overrides(membership.workspace.score_parameters if membership else None)
    listed = summaries.list_subjects(subjects, search=query.q, sort=query.sort, only=query.only)
    page = Paginator(listed, HOME_PAGE_SIZE).get_page(query.page)
    renamed = membership.workspace if membership is not None and membership.is_owner else None
    return {
        "membership": membership,
        "guide": guide_for(request, membership),
        "workspace_rename_form": WorkspaceForm(instance=renamed, prefix="rename") if renamed else None,
        "page": page,
        "summaries": summaries.page_summaries(list(page.object_list), day, params.k),
        "query": query,
        "params": query.params(),
        "search_form": HomeForm.showing(query),
        "form": form,
    }


@require_POST
def subject_create(request: HttpRequest) -> HttpResponseBase:
    membership = current_membership_for_change(request)
    form = SubjectForm(request.POST)
    if not form.is_valid():
        return render(request, "dashboard/home.html", _home_context(request, membership, form), status=400)
    subject = form.save(commit=False)
    subject.workspace = membership.workspace
    subject.save()
    messages.success(request, f"{subject.name} added. Add accounts and activities to start a score.")
    _warn_if_named_twice(request, subject)
    return redirect("subject_detail", subject.pk)


def _warn_if_named_twice(request: HttpRequest, subject: Subject) -> None:
    """Two subjects may share a name (two people can), but it is more often a slip: saved, and said."""
    twins = Subject.objects.filter(workspace_id=subject.workspace_id, name__iexact=subject.name).exclude(pk=subject.pk)
    if twins.exists():
        messages.warning(request, f"There is already a subject named {subject.name} in this workspace.")


@require_POST
def sample_create(request: HttpRequest) -> HttpResponseBase:
    """Add the demo's story to the workspace as a read-only sample subject, once: while one is
    there, this leads to it."""
    membership = current_membership_for_change(request)
    sample = membership.workspace.subjects.filter(is_sample=True).first()
    if sample is not None:
        messages.info(request, f"The sample story is already here: {sample.name}.")
        return redirect("subject_detail", sample.pk)
    sample = add_sample_subject(membership.workspace)
    messages.success(
        request,
        f"Added {sample.name}, a sample subject with a year of history. It is read-only and nothing is "
        "collected for it; delete it when you no longer need it.",
    )
    return redirect("subject_detail", sample.pk)


@require_POST
def first_run_dismiss(request: HttpRequest) -> HttpResponseBase:
    """Close the home page's first-run guide for good (for this user)."""
    close_guide(signed_in_user(request))
    messages.success(request, "The getting-started guide is closed.")
    return redirect("home")


def _latest_snapshot(subject: Subject, on_or_before: dt.date) -> ScoreSnapshot | None:
    return subject.snapshots.filter(day__lte=on_or_before).order_by("-day").first()


def _with_latest_breakdown(day: dt.date) -> QuerySet[Subject]:
    """Subjects with the breakdown of their latest snapshot on or before `day`, read with the subject."""
    latest = ScoreSnapshot.objects.filter(subject=OuterRef("pk"), day__lte=day).order_by("-day")
    first = ScoreSnapshot.objects.filter(subject=OuterRef("pk")).order_by("day")
    return Subject.objects.annotate(
        latest_breakdown=Subquery(latest.values("breakdown")[:1]),
        first_score_day=Subquery(first.values("day")[:1]),
    )


@require_safe
def subject_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    # The work in flight too: a page reached after a change says "Updating…" and follows it.
    queryset = with_work_in_flight(_with_latest_breakdown(today()), timezone.now(), today())
    subject = get_subject_for_user(request, pk, queryset=queryset)
    # Read along with the subject by the queryset's annotation.
    breakdown: dict[str, Any] | None = subject.latest_breakdown  # type: ignore[attr-defined]
    explanation = None
    if breakdown:
        # Which network a stale input belongs to; only asked when something is stale.
        stale = breakdown.get("stale")
        networks = {account.pk: account.network for account in accounts_in_order(subject)} if stale else {}
        explanation = explain(breakdown, networks, parameters_for(subject).k)
    # Without a range asked for, a history shorter than a year is drawn whole (series.default_range_key).
    first_day: dt.date | None = subject.first_score_day  # type: ignore[attr-defined]
    try:
        rng = series.parse_range(
            request.GET.get("range"), request.GET.get("from"), request.GET.get("to"), today(), first_day
        )
    except series.RangeError as error:
        messages.error(request, str(error))
        rng = series.parse_range(None, None, None, today(), first_day)
    config = {
        "seriesUrl": reverse("subject_series", args=[subject.pk]),
        "seriesCsvUrl": reverse("subject_series_csv", args=[subject.pk]),
        "metricsUrl": reverse("subject_metrics", args=[subject.pk]),
        "metricsCsvUrl": reverse("subject_metrics_csv", args=[subject.pk]),
        "insightsUrl": reverse("subject_insights", args=[subject.pk]),
        "dismissUrl": reverse("anomaly_dismiss", args=[subject.pk]),
        "range": rng.key,
        "from": rng.start.isoformat() if rng.start and rng.key == "custom" else "",
        "to": rng.end.isoformat() if rng.key == "custom" else "",
    }
    # A sample subject offers no change but its deletion.
    can_delete = subject.membership.can_edit
    can_edit = can_change(subject, subject.membership)
    return render(
        request,
        "dashboard/subject_detail.html",
        {
            "subject": subject,
            "can_edit": can_edit,
            "can_delete": can_delete,
            "explanation": explanation,
            "chart_config": config,
            "range": rng,
            "ranges": [(key, label) for key, label in series.RANGE_LABELS.items() if key != "custom"],
            "rename_form": SubjectForm(instance=subject, auto_id="rename_%s") if can_edit else None,
            "live": WorkInFlight.of(subject),
        },
    )


@require_POST
def subject_rename(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk, write=True)
    form = SubjectForm(request.POST, instance=subject)
    if form.is_valid():
        form.save()
        messages.success(request, f"Renamed to {subject.name}.")
        _warn_if_named_twice(request, subject)
    else:
        for error in form.errors.get("name", []):
            messages.error(request, f"Not renamed: {error}")
    return redirect("subject_detail", subject.pk)


@require_http_methods(["GET", "POST"])
def subject_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    """GET asks for confirmation; POST deletes the subject with all its data (a sample one too)."""
    subject = get_subject_for_user(request, pk, write=True, deleting=True)
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


@require_safe
def subject_changes(request: HttpRequest, pk: int) -> HttpResponseBase:
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


@require_safe
def subject_items(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The full list of one day (default: the latest scored): every account metric and every activity
    with its points and its part of the score, computed on demand from the inputs of that day."""
    subject = get_subject_for_user(request, pk)
    error = None
    day = None
    if request.GET.get("day"):
        try:
            day = series.parse_date(request.GET["day"], "day")
        except series.RangeError as exc:
            error = str(exc)
    if day is None:
        latest = _latest_snapshot(subject, today())
        day = latest.day if latest else today()
    listed = full_list(explain_day(subject, day))
    return render(
        request,
        "dashboard/subject_items.html",
        {"subject": subject, "day": day, "listed": listed, "error": error},
        status=400 if error else 200,
    )
