"""Adding an account while the network cannot be asked: saved unchecked on request, never a host that does not exist.

The built-in networks' API hosts come from the operator's settings: pointed
at `.invalid` names (which never resolve, RFC 6761) they stand for a server
offline. Hosts users type (Mastodon instances, feeds) are `.invalid` too.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from influence.collection.accounts import server_offline
from influence.connectors.base import API_BASE_SETTINGS
from influence.core.models import Account, Observation
from tests.collection.conftest import github_user

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def offline(settings, api):
    """No API host of the operator's settings resolves: this server is offline."""
    for name in API_BASE_SETTINGS:
        setattr(settings, name, f"https://{name.lower().replace('_', '-')}.invalid")


def add(client, subject, **data):
    return client.post(reverse("account_create", args=[subject.pk]), data, follow=True)


def test_offline_the_form_offers_to_save_unchecked_and_saves_nothing_until_asked(owner_client, subject, offline):
    response = add(owner_client, subject, network="github", handle="octocat")

    page = response.content.decode()
    assert "Couldn&#x27;t check it now" in page and "does not resolve here" in page and "offline" in page
    assert 'name="save_unchecked" value="1"' in page and "Save without checking" in page
    assert not Account.objects.exists()


def test_offline_an_account_saved_unchecked_is_marked_so_and_its_first_collection_queued(
    owner_client, subject, offline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = add(owner_client, subject, network="github", handle="octocat", save_unchecked="1")

    account = Account.objects.get(subject=subject)
    assert account.handle == "octocat" and account.last_collected_at is None
    assert account.last_error.startswith("Not checked yet: GitHub: the name github-api-url.invalid does not resolve")
    assert account.last_error.endswith("It will be collected when the network answers.")
    assert account.queued_at == NOW and len(queued) == 1  # its first collection
    assert not Observation.objects.exists()
    page = response.content.decode()
    assert "without checking it: couldn&#x27;t check it now; it will be collected when the network answers" in page
    assert "collecting…" in page  # its first collection, queued


def test_an_account_saved_unchecked_shows_not_checked_yet_until_collected(owner_client, subject, offline, settings):
    add(owner_client, subject, network="github", handle="octocat", save_unchecked="1")
    account = Account.objects.get()

    # Its first collection was lost, or failed offline: no claim left, nothing collected yet.
    Account.objects.filter(pk=account.pk).update(queued_at=None, claimed_until=None)
    page = owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()

    assert "not checked yet" in page and "collecting…" not in page and ">OK<" not in page


def test_a_mastodon_instance_that_does_not_exist_is_refused_even_when_asked_to_save_unchecked(
    owner_client, subject, api, settings
):
    settings.GITHUB_API_URL = api.url  # the server is online: a configured host resolves
    for extra in ({}, {"save_unchecked": "1"}):
        response = add(owner_client, subject, network="mastodon", handle="ada@social.invalid", **extra)
        page = response.content.decode()
        assert "the host social.invalid does not exist" in page and "Check the address" in page
        assert "Save without checking" not in page
    response = add(owner_client, subject, network="rss", handle="https://blog.invalid/feed.xml", save_unchecked="1")
    assert "the host blog.invalid does not exist" in response.content.decode()
    assert not Account.objects.exists()


def test_a_typed_host_that_does_not_resolve_while_the_server_is_offline_may_be_saved_unchecked(
    owner_client, subject, offline
):
    assert server_offline()
    first = add(owner_client, subject, network="mastodon", handle="ada@social.invalid")
    assert "Save without checking" in first.content.decode() and not Account.objects.exists()

    add(owner_client, subject, network="mastodon", handle="ada@social.invalid", save_unchecked="1")

    account = Account.objects.get()
    assert account.instance_url == "https://social.invalid" and account.last_error.startswith("Not checked yet")


def test_a_network_that_answers_is_checked_even_when_asked_to_save_unchecked(owner_client, subject, api):
    github_user(api, "octocat", followers=120, stars=(5,))

    add(owner_client, subject, network="github", handle="octocat", save_unchecked="1")

    account = Account.objects.get()
    assert account.last_collected_at == NOW and account.last_error == ""
    assert Observation.objects.filter(account=account, metric="followers").get().value == 120


def test_a_handle_the_network_does_not_know_is_never_saved_unchecked(owner_client, subject, api):
    api.route("GET", "/users/nobody", status=404, json={"message": "Not Found"})

    response = add(owner_client, subject, network="github", handle="nobody", save_unchecked="1")

    assert "Check the spelling" in response.content.decode() and not Account.objects.exists()


def test_a_network_that_does_not_answer_in_time_may_be_saved_unchecked(owner_client, subject, api):
    api.route("GET", "/users/slow", delay=1.5, json={})

    add(owner_client, subject, network="github", handle="slow", save_unchecked="1")

    assert "did not answer in time" in Account.objects.get().last_error


def test_the_api_refuses_offline_unless_asked_then_adds_the_account_unchecked(
    subject, owner, offline, django_capture_on_commit_callbacks
):
    from tests.api.conftest import token_client

    client = token_client(owner, subject.workspace)
    url = f"/api/v1/subjects/{subject.pk}/accounts/"

    refused = client.post(url, {"network": "github", "handle": "octocat"}, format="json")
    assert refused.status_code == 400
    assert "save_unchecked" in refused.json()["error"]["details"]["network"][0]
    assert not Account.objects.exists()

    with django_capture_on_commit_callbacks() as queued:
        added = client.post(url, {"network": "github", "handle": "octocat", "save_unchecked": True}, format="json")
    assert added.status_code == 201 and added.json()["last_error"].startswith("Not checked yet")
    assert len(queued) == 1
