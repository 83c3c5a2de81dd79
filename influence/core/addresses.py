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


def mark_verified(user: User) -> None:
    """Record the user's email as their confirmed, primary address (for accounts the product
    itself creates, such as the demo's)."""
    email = user.email.lower()
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(primary=False)
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
