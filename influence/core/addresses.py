"""Whether a user has proved an email address: the rule joining a workspace by invitation
and receiving the weekly email both wait for.

Addresses and their confirmation are django-allauth's (its EmailAddress rows); a
user's `email` counts once the row for it is verified.
"""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef

from influence.core.models import User


def has_verified_address(user: User, email: str | None = None) -> bool:
    """True when `email` (by default the user's own) is one of the user's confirmed addresses."""
    address = (email if email is not None else user.email).strip()
    return bool(address) and EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def email_is_verified() -> Exists:
    """For a query of users: their `email` is a confirmed address."""
    # Both sides are stored lower-case.
    return Exists(EmailAddress.objects.filter(user=OuterRef("pk"), email=OuterRef("email"), verified=True))
