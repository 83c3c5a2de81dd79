"""Which accounts are due, and claiming them so that each is queued once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet

from influence.collection.store import claim_deadline, claim_token, lapsed, unclaimed
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account

# The dispatcher runs hourly and an attempt is dated when it was queued, so a
# daily account comes back at the same hour; the slack absorbs the seconds
# between one dispatch and the next so that it is not pushed an hour later.
SLACK = dt.timedelta(minutes=10)
# Failing accounts (and those waiting for a key) are still tried, but at most daily.
FAILING_INTERVAL_HOURS = 24
FLAGGED = [AccountStatus.FAILING, AccountStatus.NEEDS_KEY]
# An account never collected yet (saved unchecked while the network was away, or each try
# failed) is tried again at every hourly dispatch until its first success, not a day later;
# once flagged failing, daily like the others.
NEVER_COLLECTED_INTERVAL = dt.timedelta(hours=1)


def due_accounts(now: dt.datetime) -> QuerySet[Account]:
    """Accounts to collect at `now`: not paused, not manual, not queued, last attempt older than their interval."""
    candidates = (
        Account.objects.exclude(status=AccountStatus.PAUSED).exclude(network=Network.MANUAL).filter(unclaimed(now))
    )
    # One condition per interval in use (a handful: 24 for most), so that the
    # comparison is a plain date one that every database and the index serve.
    due = Q(last_attempt_at__isnull=True) | Q(
        ~Q(status__in=FLAGGED),
        last_collected_at__isnull=True,
        last_attempt_at__lte=now - NEVER_COLLECTED_INTERVAL + SLACK,
    )
    for hours in candidates.values_list("collect_interval_hours", flat=True).distinct().order_by():
        failing_hours = max(hours, FAILING_INTERVAL_HOURS)
        due |= Q(
            ~Q(status__in=FLAGGED),
            collect_interval_hours=hours,
            last_attempt_at__lte=now - dt.timedelta(hours=hours) + SLACK,
        )
        due |= Q(
            status__in=FLAGGED,
            collect_interval_hours=hours,
            last_attempt_at__lte=now - dt.timedelta(hours=failing_hours) + SLACK,
        )
    return candidates.filter(due)


def claim_due_accounts(now: dt.datetime) -> list[int]:
    """Mark the due accounts queued and return their ids, grouped by subject.

    Call inside a transaction and queue the ids on commit: a dispatcher that
    runs twice (or two at once, SKIP LOCKED) never queues an account twice.
    """
    with transaction.atomic():
        ids = list(
            due_accounts(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("subject_id", "pk")
            .values_list("pk", flat=True)
        )
        Account.objects.filter(pk__in=ids).update(queued_at=now, claimed_until=claim_deadline(now))
    return ids


def claim_lapsed_accounts(now: dt.datetime, limit: int = 5000) -> list[tuple[int, str]]:
    """Claim again the accounts whose claim lapsed (their task lost); (id, claim token) pairs to queue.

    Each keeps its queued_at (the attempt's date, and the token its first task
    still carries: whichever copy finishes first collects, the other finds the
    claim gone) and gets a new deadline. Call inside a transaction and queue on
    commit; two callers at once never take the same account (SKIP LOCKED).
    """
    with transaction.atomic():
        rows = list(
            Account.objects.filter(lapsed(now))
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("subject_id", "pk")
            .values_list("pk", "queued_at")[:limit]
        )
        Account.objects.filter(pk__in=[pk for pk, _ in rows]).update(claimed_until=claim_deadline(now))
    return [(pk, claim_token(queued_at)) for pk, queued_at in rows if queued_at is not None]
