"""Helpers that only the dashboard's pages use, shared by views and template tags.

What more than one surface shows (a subject's summary, its explanation, chart series) lives in
influence.reports; this module holds what only these pages need to read.
"""

from django.http import HttpRequest

from influence.core.models import Account, Membership, Subject
from influence.core.permissions import membership_for


def accounts_in_order(subject: Subject) -> list[Account]:
    """The subject's accounts as the account panel lists them, read once per subject object: the
    subject page needs them too (to name the network of a stale input) and shares the list."""
    accounts = getattr(subject, "accounts_in_order", None)
    if accounts is None:
        accounts = list(subject.accounts.order_by("network", "handle", "pk"))
        # Kept on the object for the other panels of the same page.
        subject.accounts_in_order = accounts  # type: ignore[attr-defined]
    return accounts


def page_membership(subject: Subject, request: HttpRequest | None) -> Membership | None:
    """The user's membership of the subject's workspace: the one the page's permission check
    attached to the subject, else read for the user of `request` (None without a request)."""
    membership = getattr(subject, "membership", None)
    if membership is None and request is not None:
        membership = membership_for(request.user, subject.workspace_id)
    return membership


def can_change(subject: Subject, membership: Membership | None) -> bool:
    """Whether the page offers changes of the subject: to editors and owners, never of a sample."""
    return bool(membership and membership.can_edit) and not subject.is_sample
