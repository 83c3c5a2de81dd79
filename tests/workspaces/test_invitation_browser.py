"""An invitation followed in a real browser: the link, logging in or signing up, joining; pages clean
under the CSP."""

import re

import pytest
from django.core import mail

from influence.core.choices import Role
from influence.core.models import Membership, User
from influence.workspaces import invitations
from tests.factories import PASSWORD, UserFactory
from tests.support.browser import record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_person_logs_in_from_the_link_and_joins_with_the_role(live_server, browser, settings, owner,
                                                                         workspace):
    settings.WHITENOISE_USE_FINDERS = True
    settings.SITE_URL = live_server.url
    newcomer = UserFactory(email="newcomer@example.com")
    link = invitations.invite(workspace, owner, "newcomer@example.com", Role.EDITOR)
    page = browser.new_page()
    errors = record_errors(page)

    page.goto(link.url)
    assert page.locator("h1").inner_text() == "Join Acme PR"
    page.click("text=Log in to join")
    page.fill("#id_login", "newcomer@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(link.url)
    page.click("button:has-text('Join Acme PR')")
    page.wait_for_url(f"{live_server.url}/")

    assert "Welcome to Acme PR: you are editor." in page.content()
    assert Membership.objects.get(workspace=workspace, user=newcomer).role == Role.EDITOR
    page.goto(f"{live_server.url}/workspaces/{workspace.pk}/settings/")
    assert "owner@example.com" in page.content()
    # Content-Security-Policy violations show up as console errors.
    assert errors == []
    page.goto(link.url)
    assert "already been used" in page.content()
    page.close()


def test_a_newcomer_signs_up_from_the_link_confirms_by_email_and_lands_in_the_workspace(
    live_server, browser, settings, owner, workspace
):
    settings.WHITENOISE_USE_FINDERS = True
    settings.SITE_URL = live_server.url
    link = invitations.invite(workspace, owner, "newcomer@example.com", Role.EDITOR)
    mail.outbox.clear()
    page = browser.new_page()
    errors = record_errors(page)

    page.goto(link.url)
    assert page.locator("h1").inner_text() == "Join Acme PR"
    email = page.locator("#id_email")
    assert email.input_value() == "newcomer@example.com"
    assert email.get_attribute("readonly") is not None
    page.fill("#id_password1", "tall-lighthouse-orbit-57")
    page.fill("#id_password2", "tall-lighthouse-orbit-57")
    page.click("button:has-text('Create account')")

    # Signed up and logged in, but not a member until the address is confirmed.
    page.wait_for_selector("h1:has-text('Confirm your address')")
    assert page.url.startswith(f"{live_server.url}/invite/")
    newcomer = User.objects.get(email="newcomer@example.com")
    assert not Membership.objects.filter(user=newcomer).exists()

    # The confirmation link, read from the email that was sent.
    (message,) = [m for m in mail.outbox if m.to == ["newcomer@example.com"]]
    confirm_url = re.search(r"http://\S+/auth/confirm-email/\S+/", message.body).group(0)
    page.goto(confirm_url)
    page.click("button:has-text('Confirm and join Acme PR')")
    page.wait_for_url(f"{live_server.url}/")

    assert "Welcome to Acme PR: you are editor." in page.content()
    assert "Confirm newcomer@example.com" not in page.content()
    assert Membership.objects.get(workspace=workspace, user=newcomer).role == Role.EDITOR
    # No personal workspace of their own: only the one they were invited to.
    assert list(Membership.objects.filter(user=newcomer).values_list("workspace", flat=True)) == [workspace.pk]
    assert errors == []
    page.close()


def test_an_owner_changes_a_role_from_the_members_table(live_server, browser, settings, client, owner, viewer,
                                                        workspace):
    settings.WHITENOISE_USE_FINDERS = True
    client.force_login(owner)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors = record_errors(page)
    viewer_membership = Membership.objects.get(user=viewer)

    page.goto(f"{live_server.url}/workspaces/{workspace.pk}/settings/")
    page.select_option(f"#role-{viewer_membership.pk}", Role.EDITOR)
    page.click(f"#role-form-{viewer_membership.pk} button")
    page.wait_for_selector("text=viewer@example.com is now editor.")

    viewer_membership.refresh_from_db()
    assert viewer_membership.role == Role.EDITOR
    assert errors == []
    context.close()
