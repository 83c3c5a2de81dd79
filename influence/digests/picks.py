"""The subjects a user's weekly email covers: their picks, or all they can see when none.

A pick is a row of User.digest_subjects; a picked subject the user can no longer
see (they left its workspace) stays in the table but is ignored by the email
(influence.digests.content) and by the counts here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from influence.core.models import Subject, User
from influence.core.permissions import visible_subjects


def picked(user: User) -> QuerySet[Subject]:
    """The user's picks that they can still see."""
    return visible_subjects(user).filter(pk__in=user.digest_subjects.values("pk"))


def update(user: User, shown: Iterable[Subject], chosen: Iterable[Subject]) -> None:
    """Among the `shown` subjects (one page of the list), pick the `chosen` ones and drop the
    others; picks on other pages stay as they are."""
    chosen_ids = {subject.pk for subject in chosen}
    dropped = [subject.pk for subject in shown if subject.pk not in chosen_ids]
    with transaction.atomic():
        user.digest_subjects.remove(*dropped)
        user.digest_subjects.add(*chosen_ids)


def cover_all(user: User) -> None:
    """Back to the default: every subject the user can see, now and later."""
    user.digest_subjects.clear()
