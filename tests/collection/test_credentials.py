"""A workspace's API credentials: encrypted at rest, never shown back, preferred over the environment's."""

import base64
import re
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse

from influence.collection import collect_account
from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Credential
from influence.workspaces.credentials import credentials_for, decrypt, set_credential
from tests.collection.conftest import github_user
from tests.conftest import ROOT, worker_environment
from tests.factories import AccountFactory, WorkspaceFactory

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


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture
def old_and_new_keys(settings):
    """The credentials stored below are encrypted with `old`; `switch` puts the given keys in place."""
    old, new = new_key(), new_key()
    settings.FIELD_ENCRYPTION_KEYS = [old]

    def switch(*keys):
        settings.FIELD_ENCRYPTION_KEYS = list(keys)

    return old, new, switch


def test_a_credential_stored_with_an_older_key_is_read_while_that_key_is_listed(workspace, old_and_new_keys):
    old, new, switch = old_and_new_keys
    set_credential(workspace, "github_token", TOKEN)

    switch(new, old)
    assert credentials_for(workspace) == {"github_token": TOKEN}
    set_credential(workspace, "openalex_api_key", "openalex-key-abcd1234")
    # New values are written with the newest key only.
    stored = Credential.objects.get(workspace=workspace, name="openalex_api_key").ciphertext
    assert Fernet(new).decrypt(stored.encode()) == b"openalex-key-abcd1234"


def test_a_credential_no_key_opens_is_shown_as_needing_to_be_entered_again(owner_client, workspace, old_and_new_keys):
    old, new, switch = old_and_new_keys
    set_credential(workspace, "github_token", TOKEN)
    set_credential(workspace, "openalex_api_key", "openalex-key-abcd1234")
    switch(new)
    set_credential(workspace, "openalex_api_key", "openalex-key-efgh5678")

    response = owner_client.get(page(workspace))

    assert response.status_code == 200
    html = response.content.decode()
    github_stored = re.search(r"<td>GitHub token</td>\s*<td>(.*?)</td>", html).group(1)
    assert "needs to be entered again" in github_stored and "••••9876" not in html
    assert "••••5678" in html
    assert credentials_for(workspace) == {"openalex_api_key": "openalex-key-efgh5678"}

    # Entering it again replaces it, and the page shows its hint.
    owner_client.post(page(workspace), {"github_token": "ghp_enteredAgainToken4321"})
    html = owner_client.get(page(workspace)).content.decode()
    assert "needs to be entered again" not in html and "••••4321" in html


def test_collection_uses_the_instance_token_when_the_workspaces_cannot_be_opened(
    workspace, subject, api, settings, old_and_new_keys
):
    old, new, switch = old_and_new_keys
    set_credential(workspace, "github_token", TOKEN)
    switch(new)
    settings.GITHUB_TOKEN = "ghp_environmentToken0000"
    github_user(api, "octocat", followers=3)
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")

    outcome = collect_account(account.pk)

    assert outcome.result == "stored"
    assert {r.headers["Authorization"] for r in api.requests} == {"Bearer ghp_environmentToken0000"}


def test_collection_marks_the_account_as_needing_a_key_when_there_is_no_instance_token(
    workspace, subject, api, settings, old_and_new_keys
):
    old, new, switch = old_and_new_keys
    set_credential(workspace, "github_token", TOKEN)
    switch(new)
    settings.GITHUB_TOKEN = ""
    api.route("GET", "/users/octocat", status=401, json={"message": "Requires authentication"})
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")

    collect_account(account.pk)

    assert Account.objects.get(pk=account.pk).status == AccountStatus.NEEDS_KEY
    assert all("Authorization" not in r.headers for r in api.requests)


def rotate(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "rotate_credentials"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_rotate_credentials_re_encrypts_every_credential_with_the_newest_key(settings):
    old, older, new = new_key(), new_key(), new_key()
    first, second = WorkspaceFactory(name="First"), WorkspaceFactory(name="Second")
    settings.FIELD_ENCRYPTION_KEYS = [old]
    set_credential(first, "github_token", TOKEN)
    set_credential(second, "youtube_api_key", "AIzaYouTubeKey123456")
    settings.FIELD_ENCRYPTION_KEYS = [older]
    set_credential(second, "github_token", "ghp_olderKeyToken11112222")
    settings.FIELD_ENCRYPTION_KEYS = [new_key()]  # a key since dropped altogether
    set_credential(second, "openalex_api_key", "openalex-key-lost9999")

    result = rotate(worker_environment(FIELD_ENCRYPTION_KEYS=f"{new},{old},{older}"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Re-encrypted 3 credential(s) with the newest key."
    assert "1 credential(s) could not be opened with any key" in result.stderr
    assert f"workspace {second.pk} (Second): OpenAlex" in result.stderr
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert credentials_for(first) == {"github_token": TOKEN}
    assert credentials_for(second) == {
        "youtube_api_key": "AIzaYouTubeKey123456", "github_token": "ghp_olderKeyToken11112222"
    }

    # Run twice: the second run finds them all under the newest key already.
    again = rotate(worker_environment(FIELD_ENCRYPTION_KEYS=new))
    assert again.stdout.strip() == "Re-encrypted 3 credential(s) with the newest key."
    assert credentials_for(second)["github_token"] == "ghp_olderKeyToken11112222"
