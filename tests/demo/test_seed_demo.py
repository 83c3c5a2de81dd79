"""The demo: its story holds, its statuses give the dashboard something to flag, and seeding is idempotent."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from influence.core.models import Account, Activity, Observation, ScoreSnapshot, Subject, User, Workspace
from influence.demo import story
from tests.support.demo import DEMO_DAY

TODAY = DEMO_DAY
YEAR_AGO = TODAY - dt.timedelta(days=365)


def snapshot(subject, day):
    return ScoreSnapshot.objects.get(subject=subject, day=day)


def maya():
    return Subject.objects.get(name="Maya Chen", workspace__name=story.WORKSPACE_NAME)


def state():
    """Every demo row that seeding could touch, with the values a second run must not change."""
    return {
        "users": list(User.objects.values_list("email", "digest_enabled")),
        "workspaces": list(Workspace.objects.values_list("pk", "name")),
        "accounts": list(Account.objects.values_list("pk", "status", "last_error").order_by("pk")),
        "observations": Observation.objects.count(),
        "activities": list(Activity.objects.values_list("pk", "kind", "date").order_by("pk")),
        "snapshots": list(
            ScoreSnapshot.objects.values_list("subject_id", "day", "total", "online_points", "offline_points")
            .order_by("subject_id", "day")
        ),
    }


@pytest.mark.django_db
def test_the_demo_has_three_subjects_with_two_years_of_daily_history(seeded_demo):
    subjects = Subject.objects.filter(workspace=seeded_demo.workspace)
    assert sorted(s.name for s in subjects) == ["Dr. Sam Okafor", "Maya Chen", "Northwind Coffee"]
    for subject in subjects:
        days = ScoreSnapshot.objects.filter(subject=subject).values_list("day", flat=True)
        assert min(days) == TODAY - dt.timedelta(days=story.DAYS - 1) and max(days) == TODAY
        assert len(days) == story.DAYS
        networks = set(Account.objects.filter(subject=subject).values_list("network", flat=True))
        assert len(networks) >= 4
    kinds = set(Activity.objects.filter(subject__workspace=seeded_demo.workspace).values_list("kind", flat=True))
    assert len(kinds) == 14  # every kind of activity appears somewhere


@pytest.mark.django_db
def test_the_pr_director_sat_in_the_low_60s_online_a_year_ago(seeded_demo):
    before = snapshot(maya(), YEAR_AGO)
    assert 60 <= before.breakdown["online_only"] < 66


@pytest.mark.django_db
def test_over_the_final_year_online_points_fall_offline_points_rise_and_the_total_holds_up(seeded_demo):
    before, now = snapshot(maya(), YEAR_AGO), snapshot(maya(), TODAY)
    assert now.online_points < before.online_points
    assert now.offline_points > before.offline_points
    online_only_change = now.breakdown["online_only"] - before.breakdown["online_only"]
    assert online_only_change < 0
    assert now.total - before.total > online_only_change


@pytest.mark.django_db
def test_posting_and_engagement_fall_and_followers_flatten_while_she_is_away(seeded_demo):
    mastodon = Account.objects.get(subject=maya(), network="mastodon")

    def value(metric, day):
        return Observation.objects.get(account=mastodon, metric=metric, day=day).value

    assert value("engagements_30d", TODAY) < value("engagements_30d", YEAR_AGO) / 5
    gained_first_year = value("followers", YEAR_AGO) - value("followers", TODAY - dt.timedelta(days=730))
    gained_last_months = value("followers", TODAY) - value("followers", TODAY - dt.timedelta(days=200))
    assert gained_first_year > 3000 and abs(gained_last_months) < gained_first_year / 10


@pytest.mark.django_db
def test_the_demo_flags_a_failing_account_and_a_stale_manual_one(seeded_demo):
    failing = Account.objects.get(subject__workspace=seeded_demo.workspace, status="failing")
    assert failing.last_error and failing.consecutive_failures >= 5
    instagram = Account.objects.get(subject__workspace=seeded_demo.workspace, label="Instagram")
    latest = Observation.objects.filter(account=instagram).latest("day").day
    assert (TODAY - latest).days > 90
    stale = snapshot(instagram.subject, TODAY).breakdown["stale"]
    assert any(entry["key"].startswith(f"account:{instagram.pk}:") for entry in stale)


@pytest.mark.django_db
def test_the_demo_user_logs_in_with_the_printed_password_and_gets_the_weekly_summary(seeded_demo):
    assert seeded_demo.user.check_password(story.DEMO_PASSWORD)
    assert seeded_demo.user.digest_enabled and seeded_demo.user.current_workspace_id == seeded_demo.workspace.pk


@pytest.mark.django_db
def test_the_demo_user_logs_in_from_the_login_page_with_a_confirmed_address_and_no_second_factor(seeded_demo, client):
    address = EmailAddress.objects.get(user=seeded_demo.user)
    assert (address.email, address.verified, address.primary) == (story.DEMO_EMAIL, True, True)
    assert not Authenticator.objects.filter(user=seeded_demo.user).exists()

    response = client.post(reverse("account_login"), {"login": story.DEMO_EMAIL, "password": story.DEMO_PASSWORD})

    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "Maya Chen" in home
    assert f"Confirm {story.DEMO_EMAIL}" not in home


@pytest.mark.django_db
def test_reset_removes_a_second_factor_the_demo_user_set_up(seeded_demo):
    Authenticator.objects.create(user=seeded_demo.user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    story.seed(today=TODAY, reset=True)
    assert not Authenticator.objects.filter(user=seeded_demo.user).exists()
    assert EmailAddress.objects.get(user=seeded_demo.user).verified


@pytest.mark.django_db
def test_seeding_twice_changes_nothing(seeded_demo):
    before = state()
    again = story.seed(today=TODAY)
    assert again.created is False and again.workspace.pk == seeded_demo.workspace.pk
    assert state() == before


@pytest.mark.django_db
def test_reset_rebuilds_the_same_history(seeded_demo):
    before = state()
    rebuilt = story.seed(today=TODAY, reset=True)
    assert rebuilt.created and rebuilt.workspace.pk != seeded_demo.workspace.pk
    after = state()
    assert after["observations"] == before["observations"]
    strip = [row[1:] for row in before["snapshots"]]
    assert [row[1:] for row in after["snapshots"]] == strip
    assert not Workspace.objects.filter(pk=seeded_demo.workspace.pk).exists()
