"""Personal access tokens: a random secret shown once, stored as its SHA-256.

A secret is "infl_" followed by 32 random bytes in URL-safe base64: the prefix
lets a leaked token be recognised by secret scanners and by people. SHA-256
(not a slow password hash) is right here: the secret has 256 bits of entropy,
so there is nothing to brute-force, and every API request looks a token up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from influence.core.models import AccessToken, Membership, User, Workspace

PREFIX = "infl_"
SHOWN_PREFIX_LENGTH = len(PREFIX) + 4
# A token's last use is written at most this often: a busy client should not
# turn every read into a write.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The secret matches no usable token (unknown, revoked, expired, or its user inactive)."""


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once to its user, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User,
    name: str,
    workspace: Workspace | None = None,
    can_write: bool = False,
    expires_at: dt.datetime | None = None,
) -> NewToken:
    """A new token of `user`; the workspace, if given, must be one of theirs (ValueError otherwise)."""
    if workspace is not None and not Membership.objects.filter(user=user, workspace=workspace).exists():
        raise ValueError("You are not a member of that workspace.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        workspace=workspace,
        can_write=can_write,
        expires_at=expires_at,
        secret_hash=hash_secret(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
    )
    return NewToken(token, secret)


def find_token(secret: str, now: dt.datetime | None = None) -> AccessToken:
    """The usable token with this secret, its last use recorded; TokenRefused otherwise."""
    now = now or timezone.now()
    if not secret.startswith(PREFIX):
        raise TokenRefused("This is not an Influence access token.")
    token = (
        AccessToken.objects.select_related("user", "workspace").filter(secret_hash=hash_secret(secret)).first()
    )
    if token is None or not token.user.is_active:
        raise TokenRefused("Unknown access token.")
    if token.revoked_at is not None:
        raise TokenRefused("This access token was revoked.")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused("This access token has expired.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> list[AccessToken]:
    """The user's tokens still in force or recently ended, newest first."""
    return list(AccessToken.objects.filter(user=user).select_related("workspace").order_by("-created_at", "-pk"))


def revoke_token(user: User, pk: int, now: dt.datetime | None = None) -> bool:
    """Revoke one of the user's own tokens; False when they have no such token in force."""
    return bool(
        AccessToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    )


def in_force(token: AccessToken, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)
