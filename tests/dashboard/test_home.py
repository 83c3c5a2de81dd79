"""The home page: each subject's score, changes, sparkline and flags; creating, renaming, deleting."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.views.subjects import HOME_PAGE_SIZE
from influence import scoring
from influence.core.choices import Network, Role
from influence.core.models import Account, Activity, Observation, ScoreSnapshot, Subject, User
from influence.reports.subscores import sub_scores_with_k
from influence.reports.summaries import SPARKLINE_DAYS, shown
from influence.scoring.snapshots import recompute_history, today
from tests.dashboard.history import add_scored_subjects, build_history
from tests.factories import PASSWORD, MembershipFactory, SubjectFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def test_home_lists_each_subject_with_score_changes_sparkline_and_flags(owner_client, recent, subject):
    html = owner_client.get(reverse("home")).content.decode()
    latest = ScoreSnapshot.objects.filter(subject=subject).latest("day")
    assert f'aria-label="Score {round(latest.total)} out of 100"' in html
    assert "over 7 days" in html and "over 30 days" in html  # the screen-reader labels of both changes
    assert '<svg class="sparkline"' in html and "<polyline points=" in html
    # Said in the card, not only to screen readers: the score's scale and the sparkline's period.
    assert '<span class="out-of muted small" aria-hidden="true">out of 100</span>' in html
    assert '<figcaption class="muted small">Score, last 90 days (0–100)</figcaption>' in html
    assert "Failing" in html and "GitHub: jane" in html  # the failing account
    assert "Stale" in html and "LinkedIn: jane" in html  # the manual account not updated for months


def test_a_week_of_growth_shows_an_upward_arrow_and_says_so(owner_client, subject):
    account = Account.objects.create(subject=subject, network=Network.MASTODON, handle="jane@example.social")
    end = today()
    Observation.objects.bulk_create(
        Observation(account=account, metric="followers", day=end - dt.timedelta(days=n), value=10 ** (5 - n // 5))
        for n in range(40)
    )
    recompute_history(subject.pk, until=end)
    html = owner_client.get(reverse("home")).content.decode()
    assert 'class="change up"' in html and "▲" in html
    assert re.search(r"up \d+ points over 7 days", html)


def _card(html: str, subject) -> str:
    """The home card of `subject`: up to the next card, or the end of the page."""
    start = html.index(f'<li class="card subject-card">\n    <h2><a href="/subjects/{subject.pk}/">')
    end = html.find('<li class="card subject-card">', start + 1)
    return html[start:end if end > 0 else len(html)]


def _online_offline(html: str, subject) -> tuple[int, int]:
    """The Online and Offline sub-scores on the card of `subject`."""
    card = _card(html, subject)
    found = re.search(r'class="online">Online (\d+)</span> · <span class="offline">Offline (\d+)<', card)
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("days_ago", [0, SPARKLINE_DAYS + 30])
def test_each_card_shows_the_latest_days_sub_scores_however_old_that_day(owner_client, subject, days_ago):
    # Another subject scored differently on other days: each card reads its own latest day.
    other = SubjectFactory(workspace=subject.workspace, name="Other")
    build_history(other, today() - dt.timedelta(days=3), years=40 / 365, activities_per_year=30)
    build_history(subject, today() - dt.timedelta(days=days_ago), years=60 / 365)
    html = owner_client.get(reverse("home")).content.decode()
    k = scoring.Parameters.from_overrides(subject.workspace.score_parameters).k
    for each in (subject, other):
        latest = ScoreSnapshot.objects.filter(subject=each).latest("day")
        expected = sub_scores_with_k(latest.online_points, latest.offline_points, k)
        assert latest.offline_points > 0 and latest.online_points > 0
        assert _online_offline(html, each) == (shown(expected.online), shown(expected.offline))
    # Past the sparkline's 90 days, the card still has its score and sub-scores, without a sparkline.
    assert ('<svg class="sparkline"' in _card(html, subject)) == (days_ago < SPARKLINE_DAYS)
    # A history shorter than the sparkline's window: its period is said from its first day.
    first = ScoreSnapshot.objects.filter(subject=other).earliest("day").day
    assert f"Score, since {first.day} {first:%b}" in _card(html, other)


# Session, user, the user's memberships; the count of the workspace's subjects and the page of them
# (with their latest score and changes); and two for the page's cards (the last 90 days of scores with
# the latest day's shares and points, the flagged accounts).
HOME_QUERIES = 7


def settled(client) -> None:
    """One page first: a session's first page after signing in also finds the address confirmed and
    remembers so in the session (a read and a session write), once; the pins count the pages after,
    of users past their first run (the first-run guide's own queries are pinned in test_first_run)."""
    User.objects.update(first_run_over=True)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("verified", [True, False])
def test_signing_in_remembers_a_confirmed_address_so_no_page_asks_again(client, workspace, verified):
    user = UserFactory(verified=verified)
    MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    asked = [q["sql"] for q in queries.captured_queries if "account_emailaddress" in q["sql"]]
    # A confirmed address is known from the log-in on; an unconfirmed one is asked on each page, and reminded.
    assert (len(asked), f"Confirm {user.email}" in html) == ((0, False) if verified else (1, True))


def test_home_query_count_does_not_grow_with_five_years_of_data(
    owner_client, five_years, other_subject, django_assert_max_num_queries
):
    settled(owner_client)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = owner_client.get(reverse("home"))
    assert response.status_code == 200


def test_home_reads_as_many_queries_for_60_subjects_as_for_5(owner_client, workspace, django_assert_max_num_queries):
    settled(owner_client)
    counts = []
    for subjects, cards in ((5, 5), (60, HOME_PAGE_SIZE)):
        add_scored_subjects(workspace, subjects - workspace.subjects.count(), today())
        with django_assert_max_num_queries(HOME_QUERIES) as queries:
            html = owner_client.get(reverse("home")).content.decode()
        assert len(re.findall(r'<svg class="sparkline"', html)) == cards
        assert html.count("Failing") >= cards
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert f"1–{HOME_PAGE_SIZE} of 60 subjects" in html and "Page 1 of 2" in html


def test_home_is_no_larger_for_60_subjects_than_for_a_full_page_of_them(owner_client, workspace):
    sizes = {}
    for subjects in (HOME_PAGE_SIZE, 60):
        add_scored_subjects(workspace, subjects - workspace.subjects.count(), today())
        sizes[subjects] = len(owner_client.get(reverse("home")).content)
    # 60 subjects show the same 50 cards, with paging links: not 20% more cards.
    assert sizes[60] <= 1.1 * sizes[HOME_PAGE_SIZE]


def test_a_workspace_without_subjects_invites_to_create_one(owner_client):
    html = owner_client.get(reverse("home")).content.decode()
    assert "No subjects yet" in html
    assert "Create subject" in html


def test_a_new_subject_says_no_data_yet(owner_client, subject):
    html = owner_client.get(reverse("home")).content.decode()
    assert "No data yet" in html


def test_an_editor_creates_a_subject(editor_client, workspace):
    response = editor_client.post(reverse("subject_create"), {"name": "  Acme Ltd "})
    subject = Subject.objects.get(workspace=workspace, name="Acme Ltd")
    assert response.status_code == 302 and response["Location"] == reverse("subject_detail", args=[subject.pk])


def test_a_subject_without_a_name_is_refused_with_a_message(owner_client, workspace):
    response = owner_client.post(reverse("subject_create"), {"name": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A subject needs a name" in html or "This field is required" in html
    assert not Subject.objects.filter(workspace=workspace).exists()


def test_a_viewer_sees_no_forms_and_cannot_create(viewer_client, subject):
    html = viewer_client.get(reverse("home")).content.decode()
    assert "Create subject" not in html
    assert viewer_client.post(reverse("subject_create"), {"name": "Nope"}).status_code == 403
    detail = viewer_client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "Rename" not in detail and reverse("subject_delete", args=[subject.pk]) not in detail


def test_an_editor_renames_a_subject(editor_client, subject):
    editor_client.post(reverse("subject_rename", args=[subject.pk]), {"name": "Jane Q. Doe"})
    subject.refresh_from_db()
    assert subject.name == "Jane Q. Doe"


def test_a_viewer_cannot_rename_or_delete(viewer_client, subject):
    assert viewer_client.post(reverse("subject_rename", args=[subject.pk]), {"name": "X"}).status_code == 403
    assert viewer_client.get(reverse("subject_delete", args=[subject.pk])).status_code == 403
    assert viewer_client.post(reverse("subject_delete", args=[subject.pk])).status_code == 403
    subject.refresh_from_db()
    assert subject.name == "Jane Doe"


def test_delete_asks_for_confirmation_then_removes_the_subject_and_its_data(owner_client, recent, subject):
    confirm = owner_client.get(reverse("subject_delete", args=[subject.pk]))
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert Subject.objects.filter(pk=subject.pk).exists()
    response = owner_client.post(reverse("subject_delete", args=[subject.pk]))
    assert response.status_code == 302
    assert not Subject.objects.filter(pk=subject.pk).exists()
    assert not ScoreSnapshot.objects.filter(subject_id=subject.pk).exists()
    assert not Observation.objects.filter(account__subject_id=subject.pk).exists()
    assert not Activity.objects.filter(subject_id=subject.pk).exists()


@pytest.mark.parametrize("name", ["subject_rename", "subject_delete"])
def test_an_outsider_gets_404_for_subject_changes(outsider_client, subject, name):
    assert outsider_client.post(reverse(name, args=[subject.pk]), {"name": "Mine"}).status_code == 404
    subject.refresh_from_db()
    assert subject.name == "Jane Doe"


def test_an_outsider_sees_only_their_own_workspace_on_home(outsider_client, subject):
    SubjectFactory(workspace=subject.workspace, name="Secret Client")
    html = outsider_client.get(reverse("home")).content.decode()
    assert "Jane Doe" not in html and "Secret Client" not in html


def test_a_member_of_two_workspaces_can_switch_from_the_top_bar(owner_client, owner, workspace):
    from influence.core.choices import Role
    from tests.factories import MembershipFactory

    MembershipFactory(workspace=WorkspaceFactory(name="Second Agency"), user=owner, role=Role.VIEWER)
    html = owner_client.get(reverse("home")).content.decode()
    assert f'action="{reverse("workspace_switch")}" class="workspace-switch"' in html
    assert ">Second Agency</option>" in html and f'value="{workspace.pk}" selected' in html


def test_a_member_of_one_workspace_sees_no_switcher(owner_client):
    assert 'class="workspace-switch"' not in owner_client.get(reverse("home")).content.decode()
