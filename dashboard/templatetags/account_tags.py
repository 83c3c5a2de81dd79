from django import template

from dashboard.templatetags.activity_tags import url_for_pk
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


LINKS = ("counts", "collect", "edit", "resume", "pause", "delete")


def _add_links(accounts: list) -> None:
    """Each account's action links (`account.links.edit` ...), from one reverse per action."""
    makers = {name: url_for_pk(f"account_{name}") for name in LINKS}
    for account in accounts:
        account.links = {name: make(account.pk) for name, make in makers.items()}


@register.inclusion_tag("accounts/_panel.html", takes_context=True)
def account_panel(context, subject):
    """The subject page's account list: status, last collected, last error; editors get the actions."""
    membership = getattr(subject, "membership", None)
    request = context.get("request")
    if membership is None and request is not None:
        membership = membership_for(request.user, subject.workspace_id)
    accounts = accounts_in_order(subject)
    if membership and membership.can_edit:
        _add_links(accounts)
    return {
        "subject": subject,
        "accounts": accounts,
        "can_edit": bool(membership and membership.can_edit),
        "is_owner": bool(membership and membership.is_owner),
        # The actions are POST forms rendered inside this tag's own template.
        "csrf_token": context.get("csrf_token"),
    }
