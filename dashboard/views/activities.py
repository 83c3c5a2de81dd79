"""Activity pages: add (choose the kind, then the form that fits it), edit, delete, CSV import and export.

Objects are looked up through influence.core.permissions (404 for outsiders,
403 for viewers on changes); the subject always comes from the URL or from the
activity, never from what was posted.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from dashboard.forms.activities import ActivityForm, ImportForm
from influence.activities import csv as activity_csv
from influence.activities.rules import as_row, delete_activity, label_for, save_activity, scoring_rule
from influence.core.choices import ONGOING_KINDS, ActivityKind
from influence.core.models import Activity, Subject
from influence.core.permissions import get_activity_for_user, get_subject_for_user
from influence.scoring.parameters import Parameters
from influence.scoring.snapshots import parameters_for


def _subject_page(subject: Subject) -> str:
    return reverse("subject_detail", args=[subject.pk]) + "#activities"


def _kind_guide(params: Parameters) -> dict[str, dict[str, object]]:
    """What the page's script needs to adapt labels and help when the kind changes."""
    return {
        kind: {
            "help": scoring_rule(kind, params),
            "ongoing": kind in ONGOING_KINDS,
            "labels": {name: label_for(kind, name) for name in ("date", "end_date", "venue", "audience")},
        }
        for kind in ActivityKind.values
    }


def _render_form(
    request: HttpRequest, subject: Subject, form: ActivityForm, activity: Activity | None = None
) -> HttpResponseBase:
    context = {"subject": subject, "form": form, "activity": activity,
               "kind_guide": _kind_guide(parameters_for(subject))}
    return render(request, "activities/form.html", context)


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk, write=True)
    params = parameters_for(subject)
    if request.method == "POST":
        form = ActivityForm(request.POST, subject=subject, params=params)
        if form.is_valid():
            assert form.activity_data is not None  # a valid form holds its values
            activity = save_activity(subject, form.activity_data)
            messages.success(request, f"Added “{activity.title}”; the score is being updated.")
            return redirect(_subject_page(subject))
        return _render_form(request, subject, form)
    # One step: the kind is the form's first field (a talk unless the link named another), and the
    # labels and the scoring rule follow it in place.
    kind = request.GET.get("kind")
    if kind not in ActivityKind.values:
        kind = ActivityKind.TALK
    form = ActivityForm(subject=subject, params=params, kind=kind, initial={"kind": kind})
    return _render_form(request, subject, form)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    activity = get_activity_for_user(request, pk, write=True)
    subject = activity.subject
    params = parameters_for(subject)
    if request.method == "POST":
        form = ActivityForm(request.POST, subject=subject, params=params, activity=activity)
        if form.is_valid():
            assert form.activity_data is not None  # a valid form holds its values
            save_activity(subject, form.activity_data, activity)
            messages.success(request, f"Saved “{activity.title}”; the score is being updated.")
            return redirect(_subject_page(subject))
    else:
        kind = request.GET.get("kind")
        form = ActivityForm(subject=subject, params=params, activity=activity, kind=kind,
                            initial={**as_row(activity), **({"kind": kind} if kind in ActivityKind.values else {})})
    return _render_form(request, subject, form, activity)


@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    activity = get_activity_for_user(request, pk, write=True)
    subject = activity.subject
    if request.method == "POST":
        title = activity.title
        delete_activity(activity)
        messages.success(request, f"Deleted “{title}”; the score is being updated.")
        return redirect(_subject_page(subject))
    return render(request, "activities/confirm_delete.html", {"subject": subject, "activity": activity})


@require_http_methods(["GET", "POST"])
def activity_import(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk, write=True)
    row_errors: list[activity_csv.RowError] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            if form.checked.ok:
                result = activity_csv.import_rows(subject, form.checked.rows)
                messages.success(
                    request,
                    f"Imported the file: {result.created} new, {result.updated} updated, "
                    f"{result.unchanged} unchanged.",
                )
                return redirect(_subject_page(subject))
            row_errors = form.checked.errors
    else:
        form = ImportForm()
    context = {"subject": subject, "form": form, "row_errors": row_errors,
               "columns": ",".join(activity_csv.FIELDS), "max_rows": activity_csv.MAX_ROWS}
    return render(request, "activities/import.html", context)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET"])
def activity_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk)
    name = slugify(subject.name) or "subject"
    filename = f"activities-{name}-{timezone.now().date().isoformat()}.csv"
    return _csv_response(activity_csv.export_csv(subject.activities.order_by("date", "pk")), filename)


@require_http_methods(["GET"])
def activity_template(request: HttpRequest) -> HttpResponseBase:
    return _csv_response(activity_csv.template_csv(), "activities-template.csv")
