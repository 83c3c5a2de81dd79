"""Hostile input: markup in every text field, ids of other workspaces in forms, a viewer posting directly."""

import pytest
from django.test import Client
from django.urls import reverse

from influence.core.choices import Role
from influence.core.models import Invitation, Membership, Subject
from influence.scoring.snapshots import compute_snapshot
from tests.security.url_matrix import TABLE
from tests.security.world import database_state

PAYLOAD = '<script>alert("owned")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile_world(world):
    """Markup in every text a user can type: workspace, subject, account, activity, invitation."""
    world.workspace.name = f"WS {PAYLOAD}"
    world.workspace.save()
    world.subject.name = f"Subject {PAYLOAD}"
    world.subject.save()
    world.account.label = f"Label {PAYLOAD}"
    world.account.save()
    world.activity.title = f"Activity {PAYLOAD}"
    world.activity.venue = f"Venue {PAYLOAD}"
    world.activity.notes = f"Notes {PAYLOAD}"
    world.activity.save()
    world.invitation.email = '"<script>alert(2)</script>"@example.com'
    world.invitation.save()
    world.users["viewer"].first_name = PAYLOAD
    world.users["viewer"].save()
    return world


HTML_PAGES = sorted(name for name, row in TABLE.items() if row.get["owner"] == 200)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_markup_typed_by_users_is_shown_escaped_on_every_page(name, hostile_world):
    row = TABLE[name]
    client = Client()
    client.force_login(hostile_world.users["owner"])

    response = client.get(reverse(name, kwargs=row.kwargs(hostile_world)))

    if not response["Content-Type"].startswith("text/html"):
        # Data (JSON, CSV, zip) carries the text as typed; the browser must not sniff it into a page.
        assert response["X-Content-Type-Options"] == "nosniff"
        return
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")


def test_home_page_shows_subject_and_workspace_names_escaped(hostile_world):
    client = Client()
    client.force_login(hostile_world.users["owner"])

    page = client.get(reverse("home")).content.decode()

    assert ESCAPED in page
    assert PAYLOAD not in page


def test_invitation_landing_page_shows_the_workspace_and_email_escaped(hostile_world):
    page = Client().get(reverse("invitation", args=[hostile_world.invitation_token])).content.decode()

    assert ESCAPED in page
    assert "<script>alert(2)</script>" not in page


def _owner_client(world) -> Client:
    client = Client()
    client.force_login(world.users["owner"])
    return client


def test_an_owner_cannot_invite_into_another_workspace_by_its_id(world):
    before = database_state()

    response = _owner_client(world).post(
        reverse("workspace_invite", args=[world.foreign_workspace.pk]),
        {"invite-email": "spy@example.com", "invite-role": Role.OWNER},
    )

    assert response.status_code == 404
    assert database_state() == before
    assert not Invitation.objects.filter(email="spy@example.com").exists()


def test_an_owner_cannot_change_the_role_of_a_member_of_another_workspace(world):
    foreign = world.memberships["outsider"]
    before = database_state()
    client = _owner_client(world)

    # The foreign membership through our workspace's URL, and through the foreign workspace's URL.
    through_ours = client.post(reverse("member_role", args=[world.workspace.pk, foreign.pk]), {"role": Role.VIEWER})
    through_theirs = client.post(
        reverse("member_role", args=[world.foreign_workspace.pk, foreign.pk]), {"role": Role.VIEWER}
    )

    assert (through_ours.status_code, through_theirs.status_code) == (404, 404)
    assert database_state() == before


def test_an_owner_cannot_withdraw_an_invitation_of_another_workspace(world):
    foreign = Invitation.objects.create(
        workspace=world.foreign_workspace,
        email="x@example.com",
        role=Role.VIEWER,
        expires_at=world.invitation.expires_at,
    )
    before = database_state()

    response = _owner_client(world).post(reverse("invitation_revoke", args=[world.workspace.pk, foreign.pk]))

    assert response.status_code == 302
    assert database_state() == before


def test_switching_to_another_workspace_by_its_id_is_refused(world):
    before = database_state()

    response = _owner_client(world).post(reverse("workspace_switch"), {"workspace": world.foreign_workspace.pk})

    assert response.status_code == 404
    assert database_state() == before


def test_a_viewer_posting_the_forms_directly_is_refused_and_changes_nothing(world):
    client = Client()
    client.force_login(world.users["viewer"])
    attempts = [
        ("workspace_rename", [world.workspace.pk], {"rename-name": "Mine now"}),
        ("workspace_invite", [world.workspace.pk], {"invite-email": "friend@example.com", "invite-role": "owner"}),
        ("member_role", [world.workspace.pk, world.memberships["viewer"].pk], {"role": Role.OWNER}),
        ("workspace_transfer", [world.workspace.pk], {"transfer-membership": world.memberships["viewer"].pk}),
        ("subject_rename", [world.subject.pk], {"name": "Defaced"}),
        ("subject_delete", [world.subject.pk], {}),
    ]
    before = database_state()

    statuses = {name: client.post(reverse(name, args=args), data).status_code for name, args, data in attempts}

    assert statuses == {name: 403 for name, _, _ in attempts}
    assert database_state() == before
    assert Membership.objects.get(pk=world.memberships["viewer"].pk).role == Role.VIEWER
    assert Subject.objects.get(pk=world.subject.pk).name == "Jane Doe"


@pytest.mark.parametrize("name", ["compare", "compare_data", "compare_csv"])
def test_subject_ids_of_another_workspace_in_the_compare_query_reveal_nothing(name, world):
    compute_snapshot(world.foreign_subject.pk, world.snapshot.day)
    client = Client()
    client.force_login(world.users["outsider"])

    response = client.get(reverse(name), {"subjects": f"{world.subject.pk},{world.foreign_subject.pk}"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Jane Doe" not in body
    assert "Their subject" in body


def test_a_foreign_subject_id_slipped_into_the_activity_form_is_ignored(world):
    client = Client()
    client.force_login(world.users["editor"])
    data = dict(
        TABLE["activity_create"].data(world), subject=world.foreign_subject.pk, subject_id=world.foreign_subject.pk
    )

    response = client.post(reverse("activity_create", args=[world.subject.pk]), data)

    assert response.status_code == 302
    assert not world.foreign_subject.activities.exists()
    assert world.subject.activities.filter(title="A talk").exists()


def test_an_editor_cannot_add_an_activity_to_a_subject_of_another_workspace(world):
    client = Client()
    client.force_login(world.users["editor"])
    before = database_state()

    response = client.post(
        reverse("activity_create", args=[world.foreign_subject.pk]), TABLE["activity_create"].data(world)
    )

    assert response.status_code == 404
    assert database_state() == before
