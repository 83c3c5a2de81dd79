"""The weekly email's one-click unsubscribe: a signed token naming the user."""

from __future__ import annotations

from django.core import signing

from influence.core.models import User

# Kept as it is: tokens already sent in emails are signed with it.
UNSUBSCRIBE_SALT = "influence.digests.unsubscribe"


def unsubscribe_token(user: User) -> str:
    """A signed token naming the user; the salt keeps other signed values from passing for one."""
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=False)


def user_for_token(token: str) -> User | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    return User.objects.filter(pk=payload["u"]).first()


def unsubscribe(user: User) -> bool:
    """Turn the summary off; False when it was already off."""
    return bool(User.objects.filter(pk=user.pk, digest_enabled=True).update(digest_enabled=False))
