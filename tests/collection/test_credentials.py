"""A workspace's API credentials: encrypted at rest, never shown back, preferred over the environment's."""

import pytest
from django.db import connection
from django.urls import reverse

from influence.collection import collect_account
from influence.core.choices import AccountStatus, Network
from influence.core.models import Credential
from influence.workspaces.credentials import credentials_for, decrypt, set_credential
from tests.collection.conftest import github_user
from tests.factories import AccountFactory

TOKEN = "ghp_workspaceSecretToken9876"


def page(workspace):
    return reverse("workspace_credentials", args=[workspace.pk])


def test_an_owner_enters_a_token_stored_encrypted_and_shown_only_by_its_last_characters(owner_client, workspace):
    response = owner_client.post(page(workspace), {"github_token": TOKEN}, follow=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext, hint FROM core_credential WHERE workspace_id = %s", [workspace.pk])
        ciphertext, hint = cursor.fetchone()
    assert TOKEN not in ciphertext and decrypt(ciphertext) == TOKEN
    assert hint == "9876"
    html = response.content.decode()
    assert "Saved 1 credential(s)." in html
    assert "••••9876" in html and TOKEN not in html
    assert credentials_for(workspace) == {"github_token": TOKEN}


def test_a_blank_field_keeps_the_stored_value_and_a_new_one_replaces_it(owner_client, workspace):
    set_credential(workspace, "github_token", TOKEN)
    owner_client.post(page(workspace), {"github_token": "", "openalex_api_key": "openalex-key-abcd1234"})
    assert credentials_for(workspace)["github_token"] == TOKEN

    owner_client.post(page(workspace), {"github_token": "ghp_replacementToken0000"})
    assert credentials_for(workspace)["github_token"] == "ghp_replacementToken0000"
    assert Credential.objects.filter(workspace=workspace).count() == 2


def test_a_credential_can_be_removed(owner_client, workspace):
    set_credential(workspace, "github_token", TOKEN)
    owner_client.post(page(workspace), {"remove": "github_token"})
    assert credentials_for(workspace) == {}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reddit_client_id": "abcdefghijkl"}, "needs both its client id and its secret"),
        ({"github_token": "two words"}, "no spaces or line breaks"),
    ],
)
def test_bad_credentials_are_refused_and_nothing_is_stored(owner_client, workspace, data, message):
    response = owner_client.post(page(workspace), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Credential.objects.exists()


def test_saving_a_key_collects_again_the_accounts_that_needed_one(
    owner_client, workspace, subject, django_capture_on_commit_callbacks
):
    waiting = AccountFactory(subject=subject, network=Network.YOUTUBE, status=AccountStatus.NEEDS_KEY)
    AccountFactory(subject=subject, network=Network.GITHUB)
    with django_capture_on_commit_callbacks() as queued:
        owner_client.post(page(workspace), {"youtube_api_key": "AIzaYouTubeKey123456"})
    assert len(queued) == 1
    waiting.refresh_from_db()
    assert waiting.queued_at is not None


def test_a_token_entered_on_the_page_is_sent_instead_of_the_environments(
    owner_client, workspace, subject, api, settings
):
    settings.GITHUB_TOKEN = "ghp_environmentToken0000"
    owner_client.post(page(workspace), {"github_token": TOKEN})
    github_user(api, "octocat", followers=3)

    collect_account(AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat").pk)

    assert {r.headers["Authorization"] for r in api.requests} == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize("client_name", ["editor_client", "viewer_client"])
def test_only_owners_manage_credentials(request, client_name, workspace):
    client = request.getfixturevalue(client_name)
    assert client.get(page(workspace)).status_code == 403
    assert client.post(page(workspace), {"github_token": TOKEN}).status_code == 403
    assert not Credential.objects.exists()


def test_outsiders_get_404_for_another_workspaces_credentials(outsider_client, workspace):
    set_credential(workspace, "github_token", TOKEN)
    assert outsider_client.get(page(workspace)).status_code == 404
    assert outsider_client.post(page(workspace), {"remove": "github_token"}).status_code == 404
    assert Credential.objects.count() == 1


def test_a_short_secret_shows_no_hint_at_all(workspace):
    assert set_credential(workspace, "stackexchange_key", "short1").hint == ""


def test_a_hint_is_escaped_where_the_form_shows_it(owner_client, workspace):
    set_credential(workspace, "github_token", "ghp_abcdefgh<svg")
    html = owner_client.get(page(workspace)).content.decode()
    assert "<svg" not in html and "••••&lt;svg" in html
