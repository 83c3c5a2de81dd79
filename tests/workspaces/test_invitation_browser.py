"""An invitation followed in a real browser: the link, logging in, accepting; pages clean under the CSP."""

import pytest

from influence.core.choices import Role
from influence.core.models import Membership
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
    page.click("text=Log in to accept")
    page.fill("#id_username", "newcomer@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(link.url)
    page.click("text=Accept and join")
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
