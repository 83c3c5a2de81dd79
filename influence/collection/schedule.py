"""Which accounts are due, and claiming them so that each is queued once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Case, DateTimeField, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from influence.collection.store import unclaimed
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account

# The dispatcher runs hourly and an attempt is dated when it was queued, so a
# daily account comes back at the same hour; the slack absorbs the seconds
# between one dispatch and the next so that it is not pushed an hour later.
SLACK = dt.timedelta(minutes=10)
# Failing accounts are still tried, but at most daily.
FAILING_INTERVAL_HOURS = 24


def due_accounts(now: dt.datetime) -> QuerySet[Account]:
    """Accounts to collect at `now`: not paused, not manual, not queued, last attempt older than their interval."""
    interval_hours = Case(
        When(
            status__in=[AccountStatus.FAILING, AccountStatus.NEEDS_KEY],
            then=Greatest(F("collect_interval_hours"), Value(FAILING_INTERVAL_HOURS)),
        ),
        default=F("collect_interval_hours"),
    )
    next_due = ExpressionWrapper(
        F("last_attempt_at")
        + ExpressionWrapper(interval_hours * Value(dt.timedelta(hours=1)), output_field=DurationField()),
        output_field=DateTimeField(),
    )
    return (
        Account.objects.exclude(status=AccountStatus.PAUSED)
        .exclude(network=Network.MANUAL)
        .filter(unclaimed(now))
        .annotate(next_due=next_due)
        .filter(Q(last_attempt_at__isnull=True) | Q(next_due__lte=now + SLACK))
    )


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
        Account.objects.filter(pk__in=ids).update(queued_at=now)
    return ids
