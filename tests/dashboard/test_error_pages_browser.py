"""The error pages in Chromium at phone and desktop width, with DEBUG off as in production: 403
with the reason the code gave, 404, 410, 429 and 500 in the product's look (its stylesheet, the
navigation when logged in), nothing scrolling sideways, no serious accessibility problem.
Screenshots go to var/test-output/errors/."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from influence.core.choices import Role
from influence.sharing.links import create_link, link_path, revoke_link
from tests.factories import MembershipFactory, SubjectFactory, UserFactory
from tests.support.axe import serious_violations
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.dashboard.error_urls")]

OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", "var/test-output")) / "errors"
WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture(autouse=True)
def production_debug(settings):
    settings.DEBUG = False


def page_problems(page, pixels: int) -> list[str]:
    """What would make the page not the product's: no stylesheet, sideways scrolling, axe."""
    problems = []
    styled = page.evaluate(
        "() => Array.from(document.styleSheets).some((s) => (s.href || '').includes('css/influence.css'))"
    )
    if not styled:
        problems.append("the product's stylesheet is not applied")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 1:
        problems.append(f"scrolls sideways by {overflow} px at {pixels} px")
    return problems + serious_violations(page)


def unexpected(errors: list[str]) -> list[str]:
    """Console errors but the browser's own line about the page's status (expected here)."""
    return [e for e in errors if "the server responded with a status of" not in e]


@pytest.mark.parametrize("width", WIDTHS)
def test_each_error_page_is_the_products_page_at_phone_and_desktop_width(
    transactional_db, live_server, browser, width
):
    pixels = WIDTHS[width]
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    viewer = UserFactory(email="viewer@example.com")
    subject = SubjectFactory(name="Maya Chen")
    MembershipFactory(workspace=subject.workspace, user=viewer, role=Role.VIEWER)
    owner = UserFactory(email="owner@example.com")
    MembershipFactory(workspace=subject.workspace, user=owner, role=Role.OWNER)
    link = create_link(subject, owner)
    revoke_link(link)

    member = browser.new_context(viewport={"width": pixels, "height": 900})
    stranger = browser.new_context(viewport={"width": pixels, "height": 900})
    log_in(member.new_page(), live_server.url, viewer.email)
    cases = [
        (member, "403", reverse("activity_create", args=[subject.pk]), 403,
         ["Not allowed", "Viewers cannot change anything in this workspace."], True),
        (member, "404", "/subjects/999999/", 404, ["Page not found"], True),
        (member, "500", "/broken/", 500, ["Something went wrong", "Nothing you saved is lost"], True),
        (stranger, "410", link_path(link), 410, ["no longer available", "revoked"], False),
        (stranger, "404-anonymous", "/no/such/page/", 404, ["Page not found", "Log in"], False),
    ]
    problems = []
    for context, name, url, status, texts, navigation in cases:
        page = context.new_page()
        errors = record_errors(page)
        response = page.goto(live_server.url + url)
        assert response.status == status, (name, response.status)
        text = page.inner_text("body")
        problems += [f"{name}: missing {t!r}" for t in texts if t not in text]
        if page.locator("nav[aria-label=Main]").count() != int(navigation):
            problems.append(f"{name}: navigation {'missing' if navigation else 'shown to a stranger'}")
        problems += [f"{name}: {p}" for p in page_problems(page, pixels) + unexpected(errors)]
        page.screenshot(path=OUTPUT_DIR / f"{name}-{width}.png", full_page=True)
        page.close()

    # 429: a sixth reset email for one address within the minute, through the form.
    page = stranger.new_page()
    errors = record_errors(page)
    UserFactory(email="jane@example.com")
    for _ in range(6):
        page.goto(live_server.url + reverse("account_reset_password"))
        page.fill("input[name=email]", "jane@example.com")
        with page.expect_navigation() as navigation:
            page.click("main button[type=submit]")
    assert navigation.value.status == 429
    assert "Too many requests" in page.inner_text("main")
    problems += [f"429: {p}" for p in page_problems(page, pixels) + unexpected(errors)]
    page.screenshot(path=OUTPUT_DIR / f"429-{width}.png", full_page=True)
    member.close()
    stranger.close()
    assert not problems, "\n".join(problems)
