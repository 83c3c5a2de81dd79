from django import template

from influence.core.permissions import membership_for

register = template.Library()

ACCOUNTS_ATTRIBUTE = "accounts_in_order"


def accounts_in_order(subject) -> list:
    """The subject's accounts as the panel lists them, read once per subject object: a view
    that needs them too (the subject page) shares the same list."""
    accounts = getattr(subject, ACCOUNTS_ATTRIBUTE, None)
    if accounts is None:
        accounts = list(subject.accounts.order_by("network", "handle", "pk"))
        setattr(subject, ACCOUNTS_ATTRIBUTE, accounts)
    return accounts


@register.inclusion_tag("accounts/_panel.html", takes_context=True)
def account_panel(context, subject):
    """The subject page's account list: status, last collected, last error; editors get the actions."""
    membership = getattr(subject, "membership", None)
    request = context.get("request")
    if membership is None and request is not None:
        membership = membership_for(request.user, subject.workspace_id)
    return {
        "subject": subject,
        "accounts": accounts_in_order(subject),
        "can_edit": bool(membership and membership.can_edit),
        "is_owner": bool(membership and membership.is_owner),
        # The actions are POST forms rendered inside this tag's own template.
        "csrf_token": context.get("csrf_token"),
    }
