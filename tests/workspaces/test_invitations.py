import datetime as dt
import re
from urllib.parse import quote

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from influence.core.choices import Role
from influence.core.models import Invitation, Membership
from influence.workspaces import invitations
from tests.factories import UserFactory

LINK = re.compile(r"http://testserver(/invite/[^/\s\"]+/)")


@pytest.fixture
def invite(workspace, owner, django_capture_on_commit_callbacks):
    def make(email="newcomer@example.com", role=Role.EDITOR):
        with django_capture_on_commit_callbacks(execute=True):
            link = invitations.invite(workspace, owner, email, role)
        return link.invitation, reverse("invitation", args=[invitations.invitation_token(link.invitation)])

    return make


def _parts(message):
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
            if not part.is_multipart()}


def test_owner_invites_by_email_and_the_link_arrives_by_smtp(owner_client, workspace, smtp_inbox,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(timezone.now(), tick=False):
        response = owner_client.post(
            reverse("workspace_invite", args=[workspace.pk]),
            {"invite-email": "Newcomer@Example.com", "invite-role": Role.VIEWER},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get(workspace=workspace)
    assert (invitation.email, invitation.role) == ("newcomer@example.com", Role.VIEWER)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    [message] = smtp_inbox.messages
    assert message["To"] == "newcomer@example.com"
    assert message["Subject"] == "owner@example.com invited you to Acme PR on Influence"
    parts = _parts(message)
    text_link = LINK.search(parts["text/plain"]).group(1)
    assert LINK.search(parts["text/html"]).group(1) == text_link
    assert signing.loads(text_link.split("/")[2], salt=invitations.INVITATION_SALT) == invitation.pk


def test_inviting_a_member_again_is_refused_with_a_message(owner_client, workspace, viewer, mailoutbox):
    response = owner_client.post(
        reverse("workspace_invite", args=[workspace.pk]), {"invite-email": "viewer@example.com", "invite-role": "owner"}
    )

    assert response.status_code == 400
    assert "viewer@example.com is already a member of Acme PR." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_invalid_invitation_form_rerenders_with_errors(owner_client, workspace):
    response = owner_client.post(
        reverse("workspace_invite", args=[workspace.pk]), {"invite-email": "not an email", "invite-role": "king"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page and "Select a valid choice." in page
    assert not Invitation.objects.exists()


def test_landing_page_shows_workspace_and_role_and_offers_login_to_a_visitor(client, invite):
    invitation, url = invite()

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Join Acme PR" in page and "<strong>editor</strong>" in page
    assert f"{reverse('account_login')}?next={quote(url)}" in page
    # The sign-up form is right there, the invited address filled in and fixed.
    assert f'action="{reverse("account_signup")}"' in page
    assert 'value="newcomer@example.com"' in page
    assert re.search(r'<input type="email" name="email"[^>]*readonly', page)
    assert 'name="workspace_name"' not in page


def test_the_invited_user_accepts_and_joins_with_the_role(client, invite, workspace):
    invitation, url = invite()
    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)

    assert "Join Acme PR</button>" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    assert Membership.objects.get(workspace=workspace, user=newcomer).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    newcomer.refresh_from_db()
    assert newcomer.current_workspace == workspace


def test_a_used_invitation_cannot_be_used_again(client, invite, workspace):
    invitation, url = invite()
    client.force_login(UserFactory(email="newcomer@example.com"))
    client.post(url)
    members = set(Membership.objects.values_list("pk", "role"))

    again = client.post(url)

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert set(Membership.objects.values_list("pk", "role")) == members


def test_an_expired_invitation_is_refused_and_changes_nothing(client, invite, workspace):
    invitation, url = invite()
    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)

    with time_machine.travel(timezone.now() + dt.timedelta(days=7, seconds=1)):
        seen = client.get(url)
        response = client.post(url)

    assert (seen.status_code, response.status_code) == (410, 410)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: signing.dumps(12345, salt="another-salt"),
    lambda token: "garbage",
])
def test_a_tampered_invitation_is_refused_and_changes_nothing(client, invite, tamper):
    invitation, url = invite()
    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)
    token = url.split("/")[2]

    response = client.post(reverse("invitation", args=[tamper(token)]))

    assert response.status_code == 410
    assert "not valid" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_withdrawn_invitation_no_longer_works(owner_client, client, invite, workspace):
    invitation, url = invite()
    owner_client.post(reverse("invitation_revoke", args=[workspace.pk, invitation.pk]))

    response = client.get(url)

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_someone_else_signed_in_cannot_accept_and_is_told_why(outsider_client, outsider, invite, workspace):
    invitation, url = invite()

    page = outsider_client.get(url).content.decode()
    response = outsider_client.post(url)

    assert "Only newcomer@example.com can accept this invitation" in page
    assert response.status_code == 403
    assert "This invitation is for newcomer@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=outsider, workspace=workspace).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_anonymous_post_goes_to_login_and_changes_nothing(client, invite):
    invitation, url = invite()

    response = client.post(url)

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invited_email_with_markup_is_shown_escaped(owner_client, invite, workspace):
    workspace.name = "<b>Bold</b> & co"
    workspace.save()
    invite(email='"<script>x</script>"@example.com')

    page = owner_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()

    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>Bold</b>" not in page
