"""The home page's first-run guide: what the score is, and three steps from nothing to a first score.

The steps count the workspace's own subjects only: a sample subject (the demo's story, added
from the guide) shows what a score looks like but does nothing towards the user's first one.
The guide shows to those who can do the steps (editors and owners) until the three are done or
the user closes it (User.first_run_over). Once the steps are done, the session remembers so, and
the home page of someone past their first run costs no query for it (a page that only reads
changes no data: the session is not the user's data).
"""

from dataclasses import dataclass

from django.db.models import Exists
from django.http import HttpRequest
from django.urls import reverse

from dashboard.users import signed_in_user
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


# The session's note that the user's steps were all done.
STEPS_DONE = "first_run_steps_done"


def guide_for(request: HttpRequest, membership: Membership | None) -> Guide | None:
    """The guide of the user's current workspace; None when it is not shown (a viewer, closed, or done)."""
    user = signed_in_user(request)
    if membership is None or not membership.can_edit or user.first_run_over or request.session.get(STEPS_DONE):
        return None
    steps = _steps(membership)
    if all(step.done for step in steps):
        request.session[STEPS_DONE] = True
        return None
    return Guide(steps, Subject.objects.filter(workspace_id=membership.workspace_id, is_sample=True).first())


def close_guide(user: User) -> None:
    user.first_run_over = True
    user.save(update_fields=["first_run_over"])


def _steps(membership: Membership) -> list[Step]:
    """The three steps, in one query: the first own subject, and whether any own subject has an
    account or an activity."""
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
    pk = first["pk"] if first else None
    return [
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
