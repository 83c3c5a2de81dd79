from typing import Any

from django import template
from django.utils import timezone

from dashboard.pages import accounts_in_order, can_change, page_membership
from influence.collection.status import account_state, local_zone
from influence.core.models import Subject

register = template.Library()


@register.inclusion_tag("accounts/_panel.html", takes_context=True)
def account_panel(context: template.Context, subject: Subject) -> dict[str, Any]:
    """The subject page's account list: status, last collected, last error; editors get the actions."""
    request = context.get("request")
    membership = page_membership(subject, request)
    user = getattr(request, "user", None)
    zone = local_zone(getattr(user, "time_zone", "") or "UTC")
    now = timezone.now()
    accounts = accounts_in_order(subject)
    return {
        "subject": subject,
        "accounts": accounts,
        # Each account with its badge; times (a retry's next try) in the reader's zone.
        "rows": [(account, account_state(account, now, zone)) for account in accounts],
        "can_edit": can_change(subject, membership),
        "is_owner": bool(membership and membership.is_owner),
        # The actions are POST forms rendered inside this tag's own template.
        "csrf_token": context.get("csrf_token"),
    }
