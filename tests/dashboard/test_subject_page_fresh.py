"""The subject page keeps its activity list between requests, and still shows every change at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from influence import scoring
from influence.core.choices import AccountStatus, ActivityKind
from influence.core.models import Activity, ScoreSnapshot
from influence.scoring.snapshots import recompute_history, today
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _page(client, subject, **params) -> str:
    response = client.get(reverse("subject_detail", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _titles(html: str) -> list[str]:
    """The titles in the activity table, in order."""
    return re.findall(r"<td>(?:<a [^>]*>)?([^<\n]+?)(?:</a>)?\n", html)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sentence(html: str) -> str:
    sentence = re.search(r'id="score-sentence">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", sentence)).strip()


def test_an_added_activity_shows_at_once(owner_client, recent, subject):
    assert "Brand new keynote" not in _page(owner_client, subject)
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, title="Brand new keynote", date=today())
    assert _titles(_page(owner_client, subject))[0] == "Brand new keynote"


def test_an_edited_activity_shows_at_once(owner_client, recent, subject):
    newest = Activity.objects.filter(subject=subject).order_by("-date", "-pk").first()
    assert _titles(_page(owner_client, subject))[0] == newest.title
    newest.title = "Renamed in place"
    newest.save()
    assert _titles(_page(owner_client, subject))[0] == "Renamed in place"


def test_a_deleted_activity_disappears_at_once(owner_client, recent, subject):
    newest = Activity.objects.filter(subject=subject).order_by("-date", "-pk").first()
    assert newest.title in _titles(_page(owner_client, subject))
    newest.delete()
    assert newest.title not in _titles(_page(owner_client, subject))


def test_a_new_snapshot_shows_at_once(owner_client, recent, subject):
    before = _sentence(_page(owner_client, subject))
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, title="Big stage", date=today(), audience=5000)
    recompute_history(subject.pk)
    latest = ScoreSnapshot.objects.filter(subject=subject).latest("day")
    total, sides = scoring.display_parts(latest.total, {"online": latest.online, "offline": latest.offline})
    expected = f"{total} = online {sides['online']} + offline {sides['offline']}"
    assert expected != before
    assert _sentence(_page(owner_client, subject)) == expected


def test_an_account_status_change_shows_at_once(owner_client, recent, subject):
    mastodon = recent["mastodon"]
    assert "429 from the instance" not in _page(owner_client, subject)
    mastodon.status = AccountStatus.FAILING
    mastodon.last_error = "429 from the instance"
    mastodon.save()
    html = _page(owner_client, subject)
    row = re.search(rf'<tr id="account-{mastodon.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "429 from the instance" in row and "badge failing" in row


def test_a_viewer_after_an_editor_gets_no_edit_links(editor, viewer, recent, subject):
    newest = Activity.objects.filter(subject=subject).order_by("-date", "-pk").first()
    edit_url = reverse("activity_edit", args=[newest.pk])
    editor_client, viewer_client = _client(editor), _client(viewer)
    assert edit_url in _page(editor_client, subject)
    assert edit_url not in _page(viewer_client, subject)
    assert edit_url in _page(editor_client, subject)


def test_filters_and_pages_each_show_their_own_rows(owner_client, five_years, subject):
    ordered = [a.title for a in Activity.objects.filter(subject=subject).order_by("-date", "-pk")]
    assert len(ordered) > 20
    assert _titles(_page(owner_client, subject)) == ordered[:20]
    assert _titles(_page(owner_client, subject, activity_page="2")) == ordered[20:40]
    talks = Activity.objects.filter(subject=subject, kind=ActivityKind.TALK).order_by("-date", "-pk")
    assert _titles(_page(owner_client, subject, activity_kind=ActivityKind.TALK)) == [a.title for a in talks]
    assert _titles(_page(owner_client, subject)) == ordered[:20]


def test_a_repeated_view_reads_only_the_subject_memberships_and_accounts(
    owner_client, five_years, subject, django_assert_max_num_queries
):
    _page(owner_client, subject)
    # Session and user; the subject with its latest breakdown and the state of its activities;
    # the user's memberships; the accounts. The activity counts and rows are still good.
    with django_assert_max_num_queries(5):
        _page(owner_client, subject)


def test_editors_get_each_accounts_actions_and_viewers_none(editor, viewer, recent, subject):
    mastodon, manual = recent["mastodon"], recent["manual"]
    editor_html, viewer_html = _page(_client(editor), subject), _page(_client(viewer), subject)
    for url in (
        reverse("account_edit", args=[mastodon.pk]), reverse("account_collect", args=[mastodon.pk]),
        reverse("account_pause", args=[mastodon.pk]), reverse("account_delete", args=[mastodon.pk]),
        reverse("account_counts", args=[manual.pk]),
    ):
        assert url in editor_html and url not in viewer_html
