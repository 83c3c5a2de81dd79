from typing import Any

from django import template

from dashboard.pages import accounts_in_order, page_membership
from influence.core.models import Subject

register = template.Library()


@register.inclusion_tag("accounts/_panel.html", takes_context=True)
def account_panel(context: template.Context, subject: Subject) -> dict[str, Any]:
    """The subject page's account list: status, last collected, last error; editors get the actions."""
    membership = page_membership(subject, context.get("request"))
    return {
        "subject": subject,
        "accounts": accounts_in_order(subject),
        "can_edit": bool(membership and membership.can_edit),
        "is_owner": bool(membership and membership.is_owner),
        # The actions are POST forms rendered inside this tag's own template.
        "csrf_token": context.get("csrf_token"),
    }
