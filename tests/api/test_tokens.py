"""Personal access tokens: created on /settings/, shown once, stored as a hash, scoped, revocable, rate-limited."""

import datetime as dt

import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from influence.apitokens.tokens import PREFIX, create_token
from influence.core.choices import Role
from influence.core.models import AccessToken, Subject
from tests.api.conftest import token_client
from tests.factories import MembershipFactory, SubjectFactory, WorkspaceFactory


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_settings_page_creates_a_token_and_shows_its_secret_once(owner_client, owner, workspace):
    form = {"name": "CRM sync", "workspace": str(workspace.pk), "access": "write", "expires": "30"}
    response = owner_client.post("/settings/tokens/new/", form)
    assert response.status_code == 200
    token = AccessToken.objects.get(user=owner)
    secret = response.context["new_token"].secret
    assert secret.startswith(PREFIX)
    assert secret in response.content.decode()
    assert (token.name, token.workspace, token.can_write) == ("CRM sync", workspace, True)
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()

    page = owner_client.get("/settings/").content.decode()
    assert "CRM sync" in page and token.prefix in page
    assert secret not in page
    assert _bearer(secret).get("/api/v1/subjects/").status_code == 200


def test_the_token_table_holds_no_clear_secret(owner):
    new = create_token(owner, "stored")
    row = AccessToken.objects.filter(pk=new.token.pk).values().get()
    assert row["secret_hash"] != new.secret
    for value in row.values():
        assert new.secret not in str(value)
    # The shown prefix is a few characters, not the secret.
    assert len(row["prefix"]) < len(new.secret) // 4


def test_a_revoked_token_gets_401(owner_client, owner, subject):
    new = create_token(owner, "to revoke")
    client = _bearer(new.secret)
    assert client.get("/api/v1/subjects/").status_code == 200
    assert owner_client.post(f"/settings/tokens/{new.token.pk}/revoke/").status_code == 302
    response = client.get("/api/v1/subjects/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert "revoked" in response.json()["error"]["message"]


def test_an_expired_token_gets_401(owner, subject):
    new = create_token(owner, "short", expires_at=timezone.now() + dt.timedelta(days=1))
    client = _bearer(new.secret)
    assert client.get("/api/v1/subjects/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        response = client.get("/api/v1/subjects/")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_no_token_or_an_unknown_one_gets_401_with_a_bearer_challenge(db):
    for client in (APIClient(), _bearer(PREFIX + "x" * 43), _bearer("not-ours")):
        response = client.get("/api/v1/workspaces/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert set(response.json()["error"]) == {"code", "message", "details"}


def test_a_browser_session_is_not_an_api_token(owner_client, workspace):
    assert owner_client.get("/api/v1/workspaces/").status_code == 401
    # So a cross-site form posting with the user's cookies gets nowhere either.
    response = owner_client.post(
        "/api/v1/subjects/", {"workspace": workspace.pk, "name": "Forged"}, HTTP_ORIGIN="https://evil.test"
    )
    assert response.status_code == 401
    assert not Subject.objects.filter(name="Forged").exists()


def test_a_users_revoke_of_another_users_token_does_nothing(owner, outsider_client):
    new = create_token(owner, "mine")
    outsider_client.post(f"/settings/tokens/{new.token.pk}/revoke/")
    assert AccessToken.objects.get(pk=new.token.pk).revoked_at is None


def test_last_use_is_recorded(owner, subject):
    new = create_token(owner, "used")
    assert new.token.last_used_at is None
    _bearer(new.secret).get("/api/v1/subjects/")
    assert AccessToken.objects.get(pk=new.token.pk).last_used_at is not None


def test_a_read_only_token_gets_403_on_writes(owner, workspace, subject):
    client = token_client(owner, can_write=False)
    assert client.get(f"/api/v1/subjects/{subject.pk}/").status_code == 200
    response = client.patch(f"/api/v1/subjects/{subject.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]["message"]
    response = client.post("/api/v1/subjects/", {"workspace": workspace.pk, "name": "New"}, format="json")
    assert response.status_code == 403
    assert Subject.objects.get(pk=subject.pk).name == "Jane Doe"


def test_a_token_of_one_workspace_does_not_reach_the_users_others(owner, workspace, subject):
    other = WorkspaceFactory(name="Second agency")
    MembershipFactory(workspace=other, user=owner, role=Role.OWNER)
    elsewhere = SubjectFactory(workspace=other, name="Other client")
    client = token_client(owner, workspace=workspace)
    names = [row["name"] for row in client.get("/api/v1/subjects/").json()["results"]]
    assert names == ["Jane Doe"]
    assert [row["id"] for row in client.get("/api/v1/workspaces/").json()] == [workspace.pk]
    assert client.get(f"/api/v1/subjects/{elsewhere.pk}/").status_code == 404
    assert client.delete(f"/api/v1/subjects/{elsewhere.pk}/").status_code == 404
    assert client.post("/api/v1/subjects/", {"workspace": other.pk, "name": "x"}, format="json").status_code == 404
    assert Subject.objects.filter(pk=elsewhere.pk).exists()


def test_requests_beyond_the_rate_get_429_with_retry_after(settings, owner, subject):
    settings.API_RATE_LIMIT = "3/min"
    client = token_client(owner)
    statuses = [client.get("/api/v1/subjects/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/subjects/")
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    # Counted per token: another token of the same user has its own count.
    assert token_client(owner).get("/api/v1/subjects/").status_code == 200


def test_a_token_for_a_workspace_the_user_is_not_in_is_refused(owner, outsider):
    foreign = outsider.memberships.get().workspace
    try:
        create_token(owner, "sneaky", workspace=foreign)
    except ValueError:
        pass
    else:
        raise AssertionError("created a token for a workspace of someone else")


def test_the_settings_form_offers_only_the_users_workspaces(owner_client, outsider):
    foreign = outsider.memberships.get().workspace
    response = owner_client.post(
        "/settings/tokens/new/", {"name": "x", "workspace": str(foreign.pk), "access": "read", "expires": ""}
    )
    assert response.status_code == 400
    assert not AccessToken.objects.exists()
