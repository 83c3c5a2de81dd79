"""A workspace that requires two factors: the owner's switch, the page members without them get
instead of the workspace, and the API refusing their tokens (issue 18's rule)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from influence.apitokens.tokens import create_token
from influence.core.choices import Role
from influence.core.models import Workspace
from influence.core.permissions import visible_subjects
from influence.digests.content import DigestData
from tests.factories import MembershipFactory, SubjectFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

ASKS = "requires two-factor authentication of every member"


def with_two_factor(user) -> None:
    """The user has an authenticator app (as the set-up pages leave it: tests/auth/test_two_factor.py)."""
    TOTP.activate(user, generate_totp_secret())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user, workspace=None) -> APIClient:
    client = APIClient()
    secret = create_token(user, "sync", workspace=workspace, can_write=True).secret
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def switch(client: Client, workspace: Workspace, on: bool):
    data = {"require_two_factor": "on"} if on else {}
    return client.post(reverse("workspace_two_factor", args=[workspace.pk]), data)


@pytest.fixture
def required(workspace, owner, subject):
    with_two_factor(owner)
    assert switch(signed_in(owner), workspace, True).status_code == 302
    workspace.refresh_from_db()
    assert workspace.require_two_factor
    return workspace


def test_an_owner_without_two_factors_cannot_require_them(workspace, owner):
    client = signed_in(owner)
    response = client.post(
        reverse("workspace_two_factor", args=[workspace.pk]), {"require_two_factor": "on"}, follow=True
    )
    workspace.refresh_from_db()
    assert not workspace.require_two_factor
    assert "Set up two-factor authentication for yourself first" in response.content.decode()


def test_the_owner_switches_it_on_and_off_and_sees_who_is_missing(required, owner, editor):
    page = signed_in(owner).get(reverse("workspace_settings", args=[required.pk])).content.decode()
    assert 'name="require_two_factor"' in page and "checked" in page
    assert editor.email in page.split('id="two-factor-title"')[1]  # listed as waiting
    assert switch(signed_in(owner), required, False).status_code == 302
    required.refresh_from_db()
    assert not required.require_two_factor


def test_only_owners_switch_it(workspace, editor):
    assert switch(signed_in(editor), workspace, True).status_code == 403
    workspace.refresh_from_db()
    assert not workspace.require_two_factor


def test_a_member_without_two_factors_sees_a_page_asking_for_them_and_nothing_of_the_workspace(
    required, editor, subject
):
    client = signed_in(editor)
    for url in (
        reverse("home"),
        reverse("compare"),
        reverse("subject_detail", args=[subject.pk]),
        reverse("workspace_settings", args=[required.pk]),
        reverse("activity_create", args=[subject.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert ASKS in html, url
        assert reverse("mfa_activate_totp") in html, url
        assert subject.name not in html, url
    # Nor can they change anything in it.
    client.post(reverse("subject_rename", args=[subject.pk]), {"name": "Changed"})
    subject.refresh_from_db()
    assert subject.name == "Jane Doe"
    assert not visible_subjects(editor).exists()


def test_once_set_up_the_member_sees_the_workspace_again(required, editor, subject):
    with_two_factor(editor)
    client = signed_in(editor)
    assert client.get(reverse("subject_detail", args=[subject.pk])).status_code == 200
    assert subject.name in client.get(reverse("home")).content.decode()
    assert list(visible_subjects(editor)) == [subject]


def test_their_other_workspaces_stay_open(required, editor, subject):
    other = WorkspaceFactory(name="Side project")
    MembershipFactory(workspace=other, user=editor, role=Role.OWNER)
    side = SubjectFactory(workspace=other, name="Side subject")
    client = signed_in(editor)
    assert client.post(reverse("workspace_switch"), {"workspace": other.pk}).status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert side.name in home.content.decode()
    assert subject.name not in home.content.decode()
    assert list(visible_subjects(editor)) == [side]
    # Switching back to the locked one shows the page asking for two factors.
    assert client.post(reverse("workspace_switch"), {"workspace": required.pk}).status_code == 403


def test_the_api_refuses_the_tokens_of_members_without_two_factors(required, editor, subject):
    scoped = api(editor, workspace=required)
    for url in ("/api/v1/workspaces/", "/api/v1/subjects/", f"/api/v1/subjects/{subject.pk}/"):
        response = scoped.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "two_factor_required"
        assert "set it up" in response.json()["error"]["message"]

    everywhere = api(editor)
    assert everywhere.get("/api/v1/workspaces/").json() == []
    assert everywhere.get("/api/v1/subjects/").json()["results"] == []
    refused = everywhere.get(f"/api/v1/subjects/{subject.pk}/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "two_factor_required"
    assert everywhere.patch(f"/api/v1/subjects/{subject.pk}/", {"name": "Changed"}, format="json").status_code == 403
    subject.refresh_from_db()
    assert subject.name == "Jane Doe"


def test_the_api_answers_members_with_two_factors_and_workspaces_without_the_rule(required, editor, owner, subject):
    assert api(owner, workspace=required).get(f"/api/v1/subjects/{subject.pk}/").status_code == 200
    with_two_factor(editor)
    assert api(editor, workspace=required).get(f"/api/v1/subjects/{subject.pk}/").status_code == 200
    names = [w["name"] for w in api(editor).get("/api/v1/workspaces/").json()]
    assert names == [required.name]


def test_the_weekly_email_leaves_the_workspace_out_until_two_factors_are_set_up(required, editor, subject):
    other = WorkspaceFactory(name="Side project")
    MembershipFactory(workspace=other, user=editor, role=Role.OWNER)
    side = SubjectFactory(workspace=other, name="Side subject")
    assert [s.pk for s in DigestData([editor], timezone.now()).full_subjects_of(editor.pk)] == [side.pk]
    with_two_factor(editor)
    assert {s.pk for s in DigestData([editor], timezone.now()).full_subjects_of(editor.pk)} == {side.pk, subject.pk}
