"""Share links of one subject's report: created by editors and owners, opened by anyone who has one.

The link carries a signed token of the row's id (like an invitation), so nothing
secret is stored and the subject page can offer the link again. A link works
until it expires or is revoked; an optional password is hashed like a user's.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from influence.core.models import ShareLink, Subject, User

SALT = "influence.sharing.link"
EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)
DEFAULT_EXPIRY_DAYS = 30
MAX_PASSWORD = 128
# Wrong guesses of a link's password from one address: enough for a client's typos, too few
# to guess one. Counted in the shared cache, for a quarter of an hour from the first miss.
PASSWORD_GUESSES = 10
PASSWORD_GUESSES_PERIOD = 15 * 60


class LinkNotFound(Exception):
    """Not a link this site made (a mistyped or forged address)."""


class LinkGone(Exception):
    """A link that worked once and no longer does (revoked, expired or its subject deleted)."""


class TooManyGuesses(Exception):
    """Too many wrong passwords for this link from this address; try again later."""


def create_link(
    subject: Subject, created_by: User, days: int = DEFAULT_EXPIRY_DAYS, password: str = "",
    now: dt.datetime | None = None,
) -> ShareLink:
    """A new link to `subject`'s report, valid `days` days, with an optional password."""
    if days not in EXPIRY_CHOICES_DAYS:
        raise ValueError(f"Choose an expiry of {', '.join(map(str, EXPIRY_CHOICES_DAYS))} days.")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"Keep the password to {MAX_PASSWORD} characters.")
    now = now or timezone.now()
    return ShareLink.objects.create(
        subject=subject,
        created_by=created_by,
        expires_at=now + dt.timedelta(days=days),
        password_hash=make_password(password) if password else "",
    )


def link_token(link: ShareLink) -> str:
    return signing.dumps(link.pk, salt=SALT)


def link_path(link: ShareLink) -> str:
    return reverse("shared_report", args=[link_token(link)])


def link_url(link: ShareLink) -> str:
    return settings.SITE_URL + link_path(link)


def links_of(subject: Subject) -> list[ShareLink]:
    return list(subject.share_links.select_related("created_by").order_by("-created_at", "-pk"))


def in_force(link: ShareLink, now: dt.datetime | None = None) -> bool:
    return link.revoked_at is None and link.expires_at > (now or timezone.now())


def open_link(token: str, now: dt.datetime | None = None) -> ShareLink:
    """The link a token names, if it still works: LinkNotFound or LinkGone otherwise."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise LinkNotFound("There is no report at this address.") from None
    link = ShareLink.objects.select_related("subject__workspace").filter(pk=pk).first()
    if link is None:
        raise LinkGone("This report is no longer shared.")
    if link.revoked_at is not None:
        raise LinkGone("This report is no longer shared: its link was revoked.")
    if link.expires_at <= (now or timezone.now()):
        raise LinkGone("This report's link has expired. Ask whoever sent it for a new one.")
    return link


def password_matches(link: ShareLink, password: str, client: str) -> bool:
    """Whether `password` opens the link; TooManyGuesses after too many wrong ones from `client`."""
    key = f"share-link-misses:{link.pk}:{client}"
    if (cache.get(key) or 0) >= PASSWORD_GUESSES:
        raise TooManyGuesses("Too many wrong passwords: wait a quarter of an hour and try again.")
    if password and check_password(password, link.password_hash):
        return True
    cache.add(key, 0, timeout=PASSWORD_GUESSES_PERIOD)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: a new period starts
        cache.add(key, 1, timeout=PASSWORD_GUESSES_PERIOD)
    return False


def record_view(link: ShareLink, now: dt.datetime | None = None) -> None:
    ShareLink.objects.filter(pk=link.pk).update(last_viewed_at=now or timezone.now())


def revoke_link(link: ShareLink, now: dt.datetime | None = None) -> bool:
    return bool(ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now()))


__all__ = [
    "LinkGone",
    "LinkNotFound",
    "TooManyGuesses",
    "create_link",
    "in_force",
    "link_path",
    "link_token",
    "link_url",
    "links_of",
    "open_link",
    "password_matches",
    "record_view",
    "revoke_link",
]
