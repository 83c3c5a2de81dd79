"""What an account's collection state is, as the pages show it: one honest badge and its detail.

An account is shown "OK" only when its last collection succeeded. While a
retry is pending it is "retrying" with the time of the next try (in the
reader's zone) and the attempt's number; "collecting…" lasts only while the
collection's claim is live (a lost task's claim expires, and the badge with
it); a failure short of the "failing" flag is "last try failed", never a green
"OK" beside a red error; an account saved without its check is "not checked
yet" until its first collection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from influence.collection.store import claim_live
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account


@dataclass(frozen=True)
class AccountState:
    """A badge: its CSS class, its words, an optional detail, and the next try's moment (retrying)."""

    css: str
    label: str
    detail: str = ""
    next_try: dt.datetime | None = None


def local_zone(name: str) -> ZoneInfo:
    """The reader's zone; a name the system does not know is UTC."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def account_state(account: Account, now: dt.datetime, zone: ZoneInfo) -> AccountState:
    """The state of `account` at `now`; times in `zone`."""
    if account.status == AccountStatus.PAUSED:
        return AccountState("paused", "Paused")
    if account.network == Network.MANUAL:
        return AccountState(account.status, account.get_status_display())
    if claim_live(account, now):
        # A retry whose moment has come is running (or about to): "collecting…".
        if account.retry_at is not None and account.retry_at > now:
            at = account.retry_at.astimezone(zone)
            detail = f"next try at {at:%H:%M}, attempt {account.retry_attempt} of {settings.COLLECT_MAX_RETRIES}"
            return AccountState("retrying", "retrying", detail, at)
        return AccountState("collecting", "collecting…")
    if account.status in (AccountStatus.FAILING, AccountStatus.NEEDS_KEY):
        return AccountState(account.status, account.get_status_display())
    if account.last_collected_at is None:
        return AccountState("unchecked", "not checked yet" if account.last_error else "not collected yet")
    if account.consecutive_failures:
        return AccountState("failed", "last try failed")
    return AccountState("ok", "OK")
