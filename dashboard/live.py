"""What a subject page waits for after a change, read along with the subject in one query.

A change that needs a recompute leaves a PendingWork row until its task is done;
"collect now" leaves a claim on the account until the collection and its rescore
land; a save of the workspace's parameters leaves a workspace row until the whole
history is rebuilt. The subject page marks itself "updating" while any of them
holds, and its script polls status.json (the same reading) until none does; the
newest snapshot's day and write time tell it that a new snapshot landed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from influence.collection.store import claimed
from influence.core.models import Account, PendingWork, ScoreSnapshot, Subject

Kind = PendingWork.Kind


def with_work_in_flight(subjects: QuerySet[Subject], now: dt.datetime, day: dt.date) -> QuerySet[Subject]:
    """Subjects annotated with their pending work and the version of their newest snapshot on or
    before `day`: each an EXISTS or a seek on an index, so the subject's query stays one query."""
    latest = ScoreSnapshot.objects.filter(subject=OuterRef("pk"), day__lte=day).order_by("-day")
    return subjects.annotate(
        live_recomputing=Exists(PendingWork.objects.filter(kind=Kind.SUBJECT, subject=OuterRef("pk"))),
        live_parameters=Exists(
            PendingWork.objects.filter(kind=Kind.WORKSPACE, recompute__workspace=OuterRef("workspace"))
        ),
        live_collecting=Exists(Account.objects.filter(claimed(now), subject=OuterRef("pk"))),
        live_day=Subquery(latest.values("day")[:1]),
        live_computed_at=Subquery(latest.values("computed_at")[:1]),
    )


@dataclass(frozen=True)
class WorkInFlight:
    """A subject's pending work, and a token that changes whenever its newest snapshot is written."""

    recomputing: bool
    collecting: bool
    parameters: bool
    version: str

    @classmethod
    def of(cls, subject: Subject) -> WorkInFlight:
        """Read from a subject fetched through with_work_in_flight."""
        day: dt.date | None = subject.live_day  # type: ignore[attr-defined]
        computed_at: dt.datetime | None = subject.live_computed_at  # type: ignore[attr-defined]
        return cls(
            recomputing=bool(subject.live_recomputing),  # type: ignore[attr-defined]
            collecting=bool(subject.live_collecting),  # type: ignore[attr-defined]
            parameters=bool(subject.live_parameters),  # type: ignore[attr-defined]
            version=f"{day.isoformat()}@{computed_at.isoformat()}" if day and computed_at else "",
        )

    @property
    def pending(self) -> bool:
        return self.recomputing or self.collecting or self.parameters

    def as_json(self) -> dict[str, Any]:
        return {
            "pending": self.pending,
            "recomputing": self.recomputing,
            "collecting": self.collecting,
            "parameters": self.parameters,
            "version": self.version,
        }
