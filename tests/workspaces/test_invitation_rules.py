"""Invitations: sending limits (429, no email), validity tied to the inviter still being an owner, sending again."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from influence.core.choices import Role
from influence.core.models import Invitation, Membership
from influence.workspaces.invitations import INVITATION_SALT
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

LINK = re.compile(r"http://testserver(/invite/[^/\s\"]+/)")
NO_LONGER = "The person who sent this invitation can no longer invite to this workspace."


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST the invitation form of `workspace` as `client`, running the after-commit email."""

    def post(client, workspace, email="newcomer@example.com", role=Role.EDITOR):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("workspace_invite", args=[workspace.pk]), {"invite-email": email, "invite-role": role}
            )

    return post


@pytest.fixture
def co_owner(workspace, client):
    """A second owner of the workspace, signed in on a client of their own."""
    user = UserFactory(email="co-owner@example.com")
    MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)
    other = Client()
    other.force_login(user)
    return other


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


# Limits -----------------------------------------------------------------------

def test_past_twenty_invitations_an_hour_a_workspace_gets_a_429_page_and_no_email(owner_client, workspace, send,
                                                                                 mailoutbox):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 40, tzinfo=dt.UTC), tick=False):
        for number in range(20):
            assert send(owner_client, workspace, f"person{number}@example.com").status_code == 302
        refused = send(owner_client, workspace, "person20@example.com")

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "<h1>Too many invitations</h1>" in page
    assert "Too many invitations sent from Acme PR: at most 20 an hour." in page
    assert "Nothing was sent. Try again in 20 minutes." in page
    assert refused["Retry-After"] == "1200"
    assert len(mailoutbox) == 20
    assert not Invitation.objects.filter(email="person20@example.com").exists()


def test_past_three_sendings_a_day_an_address_gets_a_429_from_any_workspace(owner_client, owner, workspace, send,
                                                                           mailoutbox):
    elsewhere = WorkspaceFactory(name="Elsewhere")
    MembershipFactory(workspace=elsewhere, user=owner, role=Role.OWNER)
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(3):  # the first, then "Send again" twice
            assert send(owner_client, workspace, "target@example.com").status_code == 302
        again = send(owner_client, workspace, "target@example.com")
        from_elsewhere = send(owner_client, elsewhere, "Target@Example.com")

    for refused in (again, from_elsewhere):
        assert refused.status_code == 429
        page = refused.content.decode()
        assert "Too many invitations sent to target@example.com: at most 3 a day, from all workspaces." in page
        assert "Try again in 60 minutes." in page
    assert [m.to for m in mailoutbox] == [["target@example.com"]] * 3
    assert not Invitation.objects.filter(workspace=elsewhere).exists()


def test_the_limits_start_again_in_the_next_window(owner_client, workspace, send, mailoutbox):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(3):
            send(owner_client, workspace, "target@example.com")
        assert send(owner_client, workspace, "target@example.com").status_code == 429
        clock.shift(dt.timedelta(days=1))
        assert send(owner_client, workspace, "target@example.com").status_code == 302
    assert len(mailoutbox) == 4


def test_an_outsider_cannot_use_up_a_workspaces_limit(outsider, workspace, send, owner_client):
    stranger = Client()
    stranger.force_login(outsider)
    for number in range(25):
        assert send(stranger, workspace, f"person{number}@example.com").status_code == 404
    assert send(owner_client, workspace).status_code == 302


# Validity while the inviter may invite ------------------------------------------

def test_an_invitation_stops_working_once_its_inviter_is_demoted(owner_client, owner, workspace, co_owner, send,
                                                                mailoutbox, client):
    send(owner_client, workspace)
    url = link_in(mailoutbox[0])
    membership = Membership.objects.get(workspace=workspace, user=owner)

    co_owner.post(reverse("member_role", args=[workspace.pk, membership.pk]), {"role": Role.EDITOR})

    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)
    seen, accepted = client.get(url), client.post(url)
    assert (seen.status_code, accepted.status_code) == (410, 410)
    assert NO_LONGER in seen.content.decode() and NO_LONGER in accepted.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    settings_page = co_owner.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()
    assert "its sender is no longer an owner" in settings_page


def test_an_invitation_stops_working_once_its_inviter_is_removed(owner_client, owner, workspace, co_owner, send,
                                                                mailoutbox, client):
    send(owner_client, workspace)
    url = link_in(mailoutbox[0])
    membership = Membership.objects.get(workspace=workspace, user=owner)

    co_owner.post(reverse("member_remove", args=[workspace.pk, membership.pk]))

    response = client.get(url)
    assert response.status_code == 410 and NO_LONGER in response.content.decode()


def test_an_invitation_stops_working_once_its_inviter_deleted_their_account(owner_client, owner, workspace,
                                                                           co_owner, send, mailoutbox, client):
    send(owner_client, workspace)
    url = link_in(mailoutbox[0])

    owner.delete()

    assert Invitation.objects.get().invited_by is None
    response = client.get(url)
    assert response.status_code == 410 and NO_LONGER in response.content.decode()


def test_an_owner_who_sends_it_again_becomes_its_inviter_and_the_link_works(owner_client, owner, workspace,
                                                                           co_owner, send, mailoutbox, client):
    send(owner_client, workspace, role=Role.VIEWER)
    url = link_in(mailoutbox[0])
    invitation = Invitation.objects.get()
    co_owner.post(reverse("member_role", args=[workspace.pk, Membership.objects.get(user=owner).pk]),
                  {"role": Role.EDITOR})
    assert client.get(url).status_code == 410

    later = timezone.now() + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        response = send(co_owner, workspace, "Newcomer@example.com", role=Role.EDITOR)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert Invitation.objects.count() == 1
    assert invitation.invited_by.email == "co-owner@example.com"
    assert invitation.role == Role.EDITOR
    assert invitation.expires_at == later + dt.timedelta(days=7)
    # The same invitation, sent again: the first link works too.
    assert len(mailoutbox) == 2
    assert signing.loads(link_in(mailoutbox[1]).split("/")[2], salt=INVITATION_SALT) == invitation.pk
    assert mailoutbox[1].subject == "co-owner@example.com invited you to Acme PR on Influence"

    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)
    with time_machine.travel(later + dt.timedelta(days=6)):
        assert client.post(url).status_code == 302
    assert Membership.objects.get(user=newcomer, workspace=workspace).role == Role.EDITOR


def test_the_settings_page_offers_to_send_a_pending_invitation_again(owner_client, workspace, send, mailoutbox):
    send(owner_client, workspace)

    page = owner_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()

    assert '<input type="hidden" name="invite-email" value="newcomer@example.com">' in page
    assert '<button type="submit" class="link">Send again</button>' in page
    assert "its sender is no longer an owner" not in page
