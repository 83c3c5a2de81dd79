"""The rows every URL of the matrix is tried against: one workspace with its personas and objects."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from influence.core.choices import Network, Role
from influence.core.models import (
    Account,
    Activity,
    Invitation,
    Membership,
    Observation,
    ScoreSnapshot,
    ShareLink,
    Subject,
    User,
    Workspace,
)
from influence.scoring.snapshots import compute_snapshot
from influence.sharing.links import create_link
from influence.workspaces import invitations
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    MembershipFactory,
    ObservationFactory,
    SubjectFactory,
    UserFactory,
    WorkspaceFactory,
)

PERSONAS = ("anonymous", "outsider", "viewer", "editor", "owner")


@dataclass
class World:
    workspace: Workspace
    users: dict[str, User]
    memberships: dict[str, Membership]
    subject: Subject
    account: Account
    manual_account: Account
    observation: Observation
    activity: Activity
    snapshot: ScoreSnapshot
    invitation: Invitation
    invitation_token: str
    foreign_workspace: Workspace
    foreign_subject: Subject
    share_link: ShareLink


def build_world() -> World:
    workspace = WorkspaceFactory(name="Acme PR")
    users, memberships = {}, {}
    for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
        users[role] = UserFactory(email=f"{role}@example.com")
        memberships[role] = MembershipFactory(workspace=workspace, user=users[role], role=role)
    foreign_workspace = WorkspaceFactory(name="Elsewhere")
    users["outsider"] = UserFactory(email="outsider@example.com")
    memberships["outsider"] = MembershipFactory(workspace=foreign_workspace, user=users["outsider"], role=Role.OWNER)

    subject = SubjectFactory(workspace=workspace, name="Jane Doe")
    account = AccountFactory(subject=subject, handle="janedoe")
    today = timezone.now().date()
    observation = ObservationFactory(account=account, day=today - dt.timedelta(days=1), value=120)
    activity = ActivityFactory(subject=subject, title="Talk at a meetup")
    snapshot = compute_snapshot(subject.pk, today - dt.timedelta(days=1))
    invitation = Invitation.objects.create(
        workspace=workspace, email="newcomer@example.com", role=Role.EDITOR, invited_by=users[Role.OWNER],
        expires_at=timezone.now() + invitations.INVITATION_VALID_FOR,
    )
    return World(
        workspace=workspace,
        users=users,
        memberships=memberships,
        subject=subject,
        account=account,
        manual_account=AccountFactory(subject=subject, network=Network.MANUAL, handle="Jane on LinkedIn"),
        observation=observation,
        activity=activity,
        snapshot=snapshot,
        invitation=invitation,
        invitation_token=invitations.invitation_token(invitation),
        foreign_workspace=foreign_workspace,
        foreign_subject=SubjectFactory(workspace=foreign_workspace, name="Their subject"),
        share_link=create_link(subject, users[Role.OWNER]),
    )


def database_state() -> dict[str, list[tuple]]:
    """Every row of the domain's tables, to show that a refused request changed nothing."""
    from django.apps import apps

    state = {}
    for model in apps.get_app_config("core").get_models():
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        state[model.__name__] = sorted(model.objects.values_list(*fields), key=lambda row: row[0])
    return state
