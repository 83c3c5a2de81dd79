"""Forms that fit people: the duplicate-name warning, the messages after quiet actions (logout among
them), and the one time zone field of sign-up and the weekly email's settings."""

import pytest
from django.contrib.messages import WARNING
from django.urls import reverse

from dashboard.forms.auth import SignUpForm
from dashboard.forms.digests import DigestPreferencesForm
from dashboard.forms.timezones import TimeZoneInput
from influence.core.models import Subject
from tests.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def _messages(response) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in response.context["messages"]]


def test_a_duplicate_subject_name_is_saved_with_a_warning(owner_client, workspace):
    SubjectFactory(workspace=workspace, name="Jane Doe")
    response = owner_client.post(reverse("subject_create"), {"name": "jane doe"}, follow=True)
    assert Subject.objects.filter(workspace=workspace, name__iexact="jane doe").count() == 2
    assert (WARNING, "There is already a subject named jane doe in this workspace.") in _messages(response)


def test_a_rename_to_a_taken_name_is_saved_with_a_warning(owner_client, workspace):
    SubjectFactory(workspace=workspace, name="Jane Doe")
    other = SubjectFactory(workspace=workspace, name="John")
    response = owner_client.post(reverse("subject_rename", args=[other.pk]), {"name": "Jane Doe"}, follow=True)
    other.refresh_from_db()
    assert other.name == "Jane Doe"
    assert (WARNING, "There is already a subject named Jane Doe in this workspace.") in _messages(response)


def test_a_name_used_in_another_workspace_is_no_duplicate(owner_client, workspace, outsider):
    SubjectFactory(workspace=outsider.memberships.get().workspace, name="Jane Doe")
    response = owner_client.post(reverse("subject_create"), {"name": "Jane Doe"}, follow=True)
    assert all(level != WARNING for level, _ in _messages(response))


def test_logging_out_says_so_on_the_page_it_lands_on(owner_client):
    response = owner_client.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "You have logged out." in response.content.decode()


def test_quiet_actions_say_what_they_did(owner_client, owner, workspace, subject, editor):
    """Pausing an account, renaming and deleting a subject, changing a member's role, revoking a
    token: each says so on the page it leads to."""
    from influence.apitokens.tokens import create_token
    from tests.factories import AccountFactory

    account = AccountFactory(subject=subject)
    token = create_token(owner, "Reports")
    said = [
        (reverse("account_pause", args=[account.pk]), {}, "Paused "),
        (reverse("subject_rename", args=[subject.pk]), {"name": "Jane Roe"}, "Renamed to Jane Roe."),
        (reverse("member_role", args=[workspace.pk, editor.memberships.get().pk]), {"role": "viewer"},
         "editor@example.com is now viewer."),
        (reverse("token_revoke", args=[token.token.pk]), {}, "Revoked the token"),
        (reverse("subject_delete", args=[subject.pk]), {}, "Jane Roe and all its data were deleted."),
    ]
    for url, data, message in said:
        response = owner_client.post(url, data, follow=True)
        assert any(message in text for _, text in _messages(response)), url


def test_both_forms_use_the_one_time_zone_widget():
    assert isinstance(SignUpForm().fields["time_zone"].widget, TimeZoneInput)
    assert isinstance(DigestPreferencesForm().fields["time_zone"].widget, TimeZoneInput)
    html = str(SignUpForm()["time_zone"])
    assert 'list="id_time_zone-zones"' in html and '<datalist id="id_time_zone-zones">' in html
    assert '<option value="Europe/Paris">' in html


def _schedule(zone: str) -> dict:
    return {"action": "schedule", "digest_enabled": "on", "digest_weekday": 0, "digest_hour": 8, "time_zone": zone}


def test_the_settings_refuse_an_unknown_zone_with_a_message(owner_client, owner):
    response = owner_client.post(reverse("digest_preferences"), _schedule("Europe/Parx"))
    assert response.status_code in (200, 400)
    assert "“Europe/Parx” is not a known time zone" in response.content.decode()
    owner.refresh_from_db()
    assert owner.time_zone == "UTC"
    owner_client.post(reverse("digest_preferences"), _schedule("Europe/Paris"))
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Paris"


def test_sign_up_refuses_an_unknown_zone(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "alex@example.org", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42",
         "time_zone": "Mars/Olympus"},
    )
    assert "“Mars/Olympus” is not a known time zone" in response.content.decode()
