"""A subject's insights as JSON (the subject page draws them after it renders), and dismissing an unusual day."""

from django.contrib import messages
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from dashboard.forms.insights import DismissAnomalyForm
from influence import insights
from influence.core.permissions import get_subject_for_user
from influence.insights.dismissals import NotUnusual, dismiss
from influence.scoring.snapshots import today


@require_safe
def subject_insights(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Growth, projections, effects of activities and unusual days: the shape of insights.json."""
    subject = get_subject_for_user(request, pk)
    return JsonResponse(insights.load(subject.pk, today()).as_json())


@require_POST
def anomaly_dismiss(request: HttpRequest, pk: int) -> HttpResponseBase:
    subject = get_subject_for_user(request, pk, write=True)
    form = DismissAnomalyForm(request.POST)
    account = None
    if form.is_valid():
        account = subject.accounts.filter(pk=form.cleaned_data["account"]).first()
    if account is None:
        messages.error(request, "Not dismissed: that unusual day was not found.")
        return redirect("subject_detail", subject.pk)
    try:
        dismiss(account, form.cleaned_data["metric"], form.cleaned_data["day"], request.user)  # type: ignore[arg-type]
    except NotUnusual as error:
        messages.error(request, f"Not dismissed: {error}")
    else:
        day = form.cleaned_data["day"]
        messages.success(request, f"Dismissed the unusual day {day:%Y-%m-%d} of {account.display_name}.")
    return redirect("subject_detail", subject.pk)
