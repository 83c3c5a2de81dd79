import functools

from django import template
from django.db import connection
from django.utils import dateformat, timezone

from dashboard.templatetags.activity_tags import url_for_pk
from influence.core.choices import Network
from influence.core.models import Account
from influence.core.permissions import membership_for
from influence.core.rows import Converter, convert_row, field_converters

register = template.Library()

ACCOUNTS_ATTRIBUTE = "accounts_in_order"


def accounts_in_order(subject) -> list:
    """The subject's accounts as the panel lists them, read once per subject object: a view
    that needs them too (the subject page) shares the same list."""
    accounts = getattr(subject, ACCOUNTS_ATTRIBUTE, None)
    if accounts is None:
        accounts = _read_accounts(subject.pk)
        setattr(subject, ACCOUNTS_ATTRIBUTE, accounts)
    return accounts


@functools.cache
def _accounts_read(vendor: str) -> tuple[str, list[str], list[Converter]]:
    """`subject.accounts.order_by("network", "handle", "pk")` compiled once per process (it is
    read on every subject page, and compiling it cost more than running it), with the
    database-to-Python conversions the ORM would apply to its columns."""
    queryset = Account.objects.filter(subject_id=0).order_by("network", "handle", "pk")
    sql, _ = queryset.query.sql_with_params()
    fields = list(Account._meta.concrete_fields)
    return sql, [field.attname for field in fields], field_converters(fields)


def _read_accounts(subject_id: int) -> list[Account]:
    sql, names, converters = _accounts_read(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [subject_id])
        rows = cursor.fetchall()
    return [Account.from_db(connection.alias, names, convert_row(row, converters)) for row in rows]


LINKS = ("counts", "collect", "edit", "resume", "pause", "delete")


def _add_links(accounts: list) -> None:
    """Each account's action links (`account.links.edit` ...), from one reverse per action."""
    makers = {name: url_for_pk(f"account_{name}") for name in LINKS}
    for account in accounts:
        account.links = {name: make(account.pk) for name, make in makers.items()}


def _add_display(accounts: list) -> None:
    """What each row prints, computed here: the template then reads a few plain strings (its
    lookups, filters and display methods cost more than the rest of the panel)."""
    for account in accounts:
        account.is_manual = account.network == Network.MANUAL
        account.network_text = account.label if account.is_manual else account.get_network_display()
        account.status_text = account.get_status_display()
        collected = account.last_collected_at
        account.collected_iso = account.collected_text = ""
        if collected is not None:
            collected = timezone.localtime(collected) if timezone.is_aware(collected) else collected
            account.collected_iso = dateformat.format(collected, "c")
            account.collected_text = dateformat.format(collected, "Y-m-d H:i")
        failures = account.consecutive_failures
        account.failures_text = f"{failures} failure{'' if failures == 1 else 's'} in a row" if failures else ""


@register.inclusion_tag("accounts/_panel.html", takes_context=True)
def account_panel(context, subject):
    """The subject page's account list: status, last collected, last error; editors get the actions."""
    membership = getattr(subject, "membership", None)
    request = context.get("request")
    if membership is None and request is not None:
        membership = membership_for(request.user, subject.workspace_id)
    accounts = accounts_in_order(subject)
    _add_display(accounts)
    if membership and membership.can_edit:
        _add_links(accounts)
    return {
        "subject": subject,
        "urls": {
            "create": url_for_pk("account_create")(subject.pk),
            "credentials": url_for_pk("workspace_credentials")(subject.workspace_id),
        },
        "accounts": accounts,
        "can_edit": bool(membership and membership.can_edit),
        "is_owner": bool(membership and membership.is_owner),
        # The actions are POST forms rendered inside this tag's own template.
        "csrf_token": context.get("csrf_token"),
    }
