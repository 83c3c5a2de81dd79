"""The home page's first-run guide: what the score is, and three steps from nothing to a first score.

The steps count the workspace's own subjects only: a sample subject (the demo's story, added
from the guide) shows what a score looks like but does nothing towards the user's first one.
The guide shows to those who can do the steps (editors and owners) until the three are done or
the user closes it.
"""

from dataclasses import dataclass

from django.db.models import Exists
from django.urls import reverse

from influence.core.models import Account, Activity, Membership, Subject, User


@dataclass(frozen=True)
class Step:
    title: str
    # The form that does the step; None while it needs an earlier step (a subject) first.
    url: str | None
    done: bool


@dataclass(frozen=True)
class Guide:
    steps: list[Step]
    # The workspace's sample subject, if it has one: the guide links to it instead of adding one.
    sample: Subject | None

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)


def guide_for(user: User, membership: Membership | None) -> Guide | None:
    """The guide of the user's current workspace; None when it is not shown (a viewer, closed, or done)."""
    if membership is None or not membership.can_edit or user.first_run_dismissed:
        return None
    guide = _guide(membership)
    return None if guide.complete else guide


def _guide(membership: Membership) -> Guide:
    """The three steps (one query: the first own subject, and whether any own subject has an
    account or an activity) and the sample subject (another)."""
    own = Subject.objects.filter(workspace_id=membership.workspace_id, is_sample=False)
    first = (
        own.order_by("pk")
        .annotate(
            any_account=Exists(Account.objects.filter(subject__in=own.values("pk"))),
            any_activity=Exists(Activity.objects.filter(subject__in=own.values("pk"))),
        )
        .values("pk", "any_account", "any_activity")
        .first()
    )
    sample = Subject.objects.filter(workspace_id=membership.workspace_id, is_sample=True).first()
    pk = first["pk"] if first else None
    steps = [
        Step("Add yourself or a client", reverse("home") + "#new-subject", first is not None),
        Step(
            "Connect an account or type counts",
            reverse("account_create", args=[pk]) if pk else None,
            bool(first and first["any_account"]),
        ),
        Step(
            "Log an offline activity: a talk, a book, a class",
            reverse("activity_create", args=[pk]) if pk else None,
            bool(first and first["any_activity"]),
        ),
    ]
    return Guide(steps, sample)
