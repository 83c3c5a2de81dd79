"""Joining by invitation with a confirmed address: signing up on the invitation's page, confirming
and joining in one step, the "confirm your address" page, the reminder, and the owner's side
(copying a pending invitation's link, removing a member after a confirmation)."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from influence.core.choices import Role
from influence.core.models import Invitation, Membership, User, Workspace
from influence.workspaces import invitations
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tall-lighthouse-orbit-57"
CONFIRM_LINK = re.compile(r"http://testserver(/auth/confirm-email/[^/\s]+/)")


@pytest.fixture
def invite(workspace, owner, django_capture_on_commit_callbacks):
    def make(email="newcomer@example.com", role=Role.EDITOR):
        with django_capture_on_commit_callbacks(execute=True):
            link = invitations.invite(workspace, owner, email, role)
        mail.outbox.clear()
        token = invitations.invitation_token(link.invitation)
        return link.invitation, token, reverse("invitation", args=[token])

    return make


def sign_up_from(client, token, **overrides):
    data = {
        "invitation": token,
        "email": "newcomer@example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "time_zone": "UTC",
        "digest_enabled": "on",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def confirmation_path(to: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [to]]
    return CONFIRM_LINK.search(message.body).group(1)


def test_an_invited_sign_up_takes_the_invited_address_and_gets_no_workspace_of_its_own(client, invite, workspace):
    invitation, token, url = invite()

    # Whatever the post says, the address is the invitation's.
    response = sign_up_from(client, token, email="someone.else@example.com")

    assert response.status_code == 302
    assert response.url.startswith("/invite/")
    assert invitations.read_invitation(response.url.split("/")[2]) == invitation
    user = User.objects.get(email="newcomer@example.com")
    assert not User.objects.filter(email="someone.else@example.com").exists()
    assert not Membership.objects.filter(user=user).exists()
    assert Workspace.objects.count() == 1
    assert user.current_workspace is None
    invitation.refresh_from_db()
    assert invitation.claimed_by == user and invitation.accepted_at is None
    assert EmailAddress.objects.get(user=user).verified is False

    # Until the address is confirmed, the invitation's page asks for it.
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm your address" in page.content.decode()
    assert "Send the link again" in page.content.decode()
    assert client.post(url).status_code == 200
    assert not Membership.objects.filter(user=user).exists()


def test_the_confirmation_link_confirms_and_joins_in_one_step(client, invite, workspace):
    invitation, token, url = invite()
    sign_up_from(client, token)
    path = confirmation_path("newcomer@example.com")

    page = client.get(path)
    assert "Confirm and join Acme PR" in page.content.decode()
    response = client.post(path, follow=True)

    user = User.objects.get(email="newcomer@example.com")
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.EDITOR
    assert EmailAddress.objects.get(user=user).verified is True
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    user.refresh_from_db()
    assert user.current_workspace == workspace
    assert "Welcome to Acme PR: you are editor." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")


def test_the_confirmation_link_opened_in_another_browser_joins_too(client, invite, workspace):
    invitation, token, url = invite()
    sign_up_from(client, token)
    path = confirmation_path("newcomer@example.com")

    elsewhere = Client()
    assert elsewhere.post(path).status_code == 302

    user = User.objects.get(email="newcomer@example.com")
    assert Membership.objects.filter(workspace=workspace, user=user).exists()


def test_an_invitation_withdrawn_before_the_confirmation_is_not_joined(owner_client, invite, workspace):
    invitation, token, url = invite()
    newcomer = Client()
    sign_up_from(newcomer, token)
    path = confirmation_path("newcomer@example.com")
    owner_client.post(reverse("invitation_revoke", args=[workspace.pk, invitation.pk]))

    newcomer.post(path)

    user = User.objects.get(email="newcomer@example.com")
    assert EmailAddress.objects.get(user=user).verified is True
    assert not Membership.objects.filter(user=user).exists()


def test_a_sign_up_with_an_unusable_invitation_creates_nothing(client, invite, workspace):
    invitation, token, url = invite()
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, seconds=1)):
        response = sign_up_from(client, token)

    assert response.status_code == 200
    assert "This invitation can no longer be used" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.com").exists()


def test_an_unconfirmed_user_with_the_invited_address_confirms_then_joins(client, invite, workspace):
    invitation, token, url = invite()
    newcomer = UserFactory(email="newcomer@example.com", verified=False)
    client.force_login(newcomer)

    refused = client.post(url)
    assert refused.status_code == 200
    assert "Confirm your address" in refused.content.decode()
    assert not Membership.objects.filter(user=newcomer, workspace=workspace).exists()
    with pytest.raises(invitations.AddressNotConfirmed):
        invitations.accept_invitation(token, newcomer)

    # The page's button mails the link; following it joins.
    client.post(reverse("resend_confirmation"), {"next": url})
    client.post(confirmation_path("newcomer@example.com"))
    assert Membership.objects.get(user=newcomer, workspace=workspace).role == Role.EDITOR


def test_a_confirmed_user_joins_in_one_click(client, invite, workspace):
    invitation, token, url = invite()
    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)

    response = client.post(url)

    assert response.status_code == 302 and response.url == reverse("home")
    assert Membership.objects.get(user=newcomer, workspace=workspace).role == Role.EDITOR


def test_an_unconfirmed_user_sees_the_one_line_reminder_and_can_have_the_link_sent_again(client):
    user = UserFactory(email="late@example.com", verified=False)
    client.force_login(user)

    home = client.get(reverse("home")).content.decode()
    assert "Confirm late@example.com" in home
    assert f'action="{reverse("resend_confirmation")}"' in home

    sent = client.post(reverse("resend_confirmation"), {"next": "/compare/"})
    assert sent.status_code == 302 and sent.url == "/compare/"
    assert [m.to for m in mail.outbox] == [["late@example.com"]]
    # Once every 3 minutes per address: sooner, the 429 page and nothing sent.
    again = client.post(reverse("resend_confirmation"))
    assert again.status_code == 429
    assert "Too many requests" in again.content.decode()
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3, seconds=5)):
        assert client.post(reverse("resend_confirmation")).status_code == 302
    assert len(mail.outbox) == 2

    client.post(CONFIRM_LINK.search(mail.outbox[-1].body).group(1))
    assert "Confirm late@example.com" not in client.get(reverse("home")).content.decode()


def test_a_confirmed_user_sees_no_reminder(owner_client, owner):
    assert "Confirm owner@example.com" not in owner_client.get(reverse("home")).content.decode()
    response = owner_client.post(reverse("resend_confirmation"))
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_settings_page_shows_a_pending_invitations_link_to_copy(owner_client, invite, workspace):
    invitation, token, url = invite()
    page = owner_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()
    assert f'value="{invitations.invitation_url(invitation)}" readonly' in page
    assert 'data-copy="invite-link-' in page
    assert "/static/js/copy.js" in page


def test_removing_a_member_asks_first(owner_client, editor, workspace, viewer):
    membership = Membership.objects.get(user=viewer, workspace=workspace)
    url = reverse("member_remove", args=[workspace.pk, membership.pk])

    settings_page = owner_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()
    assert f'href="{url}"' in settings_page
    question = owner_client.get(url)
    assert question.status_code == 200
    assert "Remove viewer@example.com?" in question.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    as_editor = Client()
    as_editor.force_login(editor)
    assert as_editor.get(url).status_code == 403

    assert owner_client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_existing_users_addresses_count_as_confirmed_after_the_migration(db):
    """The data migration's rule: a user without an address row gets their email, verified and primary."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("influence.core.migrations.0006_accounts")
    user = User.objects.create_user("old.timer@example.com", PASSWORD)
    kept = UserFactory(email="kept@example.com", verified=False)
    migration.verify_existing_addresses(apps, None)

    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("old.timer@example.com", True, True)
    assert EmailAddress.objects.get(user=kept).verified is False
    assert Invitation.objects.count() == 0
