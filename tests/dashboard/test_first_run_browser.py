"""The first run and the forms that fit people, in Chromium at desktop (1280 px) and phone (390 px)
width: the guide's three steps and their progress, the sample story, renaming the workspace on
the spot, the parameters table, the time zone search, the duplicate-name warning and the logout
message. Each page is checked for sideways scrolling, console errors and serious axe violations."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from influence.core.choices import ActivityKind, Network
from influence.core.models import Subject
from tests.factories import AccountFactory, ActivityFactory, SubjectFactory
from tests.support.axe import serious_violations
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", "var/test-output")) / "first-run"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=list(WIDTHS))
def width(request):
    return request.param


@pytest.fixture
def page(browser, live_server, settings, width):
    settings.WHITENOISE_USE_FINDERS = True
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    page.errors = record_errors(page)
    page.width_name = width
    yield page
    context.close()


def _checked(page, name: str) -> None:
    """The page as it is: fits the width, no error, no serious accessibility violation; kept as a screenshot."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"
    assert serious_violations(page) == [], name
    assert page.errors == [], name
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / f"{name}-{page.width_name}.png"), full_page=True)


def _progress(page) -> str:
    return page.inner_text("#first-run-progress")


def test_a_new_users_home_walks_through_the_three_steps(page, live_server, owner, workspace):
    log_in(page, live_server.url, owner.email)
    guide = page.locator("#first-run")
    assert "out of 100" in guide.inner_text()
    assert _progress(page) == "0 of 3 done"
    _checked(page, "guide-empty")

    page.click("#first-run >> text=Add yourself or a client")
    page.fill("#new-subject input[name=name]", "Alex Example")
    page.click("#new-subject button[type=submit]")
    page.wait_for_url(f"{live_server.url}/subjects/*/")
    page.goto(live_server.url + reverse("home"))
    assert _progress(page) == "1 of 3 done"
    subject = Subject.objects.get(name="Alex Example")

    page.click("#first-run >> text=Connect an account or type counts")
    page.wait_for_url(live_server.url + reverse("account_create", args=[subject.pk]))
    AccountFactory(subject=subject, network=Network.MANUAL, handle="in/alex")
    page.goto(live_server.url + reverse("home"))
    assert _progress(page) == "2 of 3 done"
    _checked(page, "guide-two-done")

    page.click("#first-run >> text=Log an offline activity: a talk, a book, a class")
    page.wait_for_url(live_server.url + reverse("activity_create", args=[subject.pk]))
    ActivityFactory(subject=subject, kind=ActivityKind.TALK)
    page.goto(live_server.url + reverse("home"))
    assert page.locator("#first-run").count() == 0


def test_the_sample_story_is_marked_read_only_and_removable(page, live_server, owner, workspace):
    log_in(page, live_server.url, owner.email)
    page.click("text=Look at a sample story")
    page.wait_for_selector("#sample-note")
    assert page.inner_text("h1 .badge.sample") == "Sample"
    actions = page.locator(".page-head .actions")
    assert actions.locator("text=Rename").count() == 0
    assert page.locator("text=Add an activity").count() == 0 and page.locator("text=Collect now").count() == 0
    _checked(page, "sample-subject")

    page.goto(live_server.url + reverse("home"))
    assert page.locator(".subject-card .badge.sample").inner_text() == "Sample"
    assert _progress(page) == "0 of 3 done"  # the sample does not count
    _checked(page, "home-with-sample")

    page.click("text=Look at the sample story")
    page.click(".page-head >> text=Delete")
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))
    assert "and all its data were deleted" in page.inner_text(".messages")
    assert not Subject.objects.filter(workspace=workspace).exists()


def test_the_workspace_is_renamed_on_the_spot(page, live_server, owner, workspace):
    log_in(page, live_server.url, owner.email)
    page.click("#workspace-rename summary")
    page.fill("#workspace-rename input[name='rename-name']", "Alex & Co")
    page.click("#workspace-rename button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))
    assert page.inner_text("#workspace-title") == "Alex & Co"
    assert "Workspace renamed to Alex & Co." in page.inner_text(".messages")
    _checked(page, "workspace-renamed")


def test_the_parameters_form_is_a_table_with_named_inputs(page, live_server, owner, workspace):
    log_in(page, live_server.url, owner.email)
    page.goto(live_server.url + reverse("workspace_scoring", args=[workspace.pk]))
    headings = page.locator("#kinds-table thead th").all_inner_texts()
    assert headings == ["Kind", "Base points", "Half-life (days)"]
    assert page.locator("#kinds-table tbody tr").count() == len(ActivityKind)
    # Each input is named by its row and its column.
    base = page.get_by_role("spinbutton", name="Keynote Base points", exact=True)
    half_life = page.get_by_role("spinbutton", name="Keynote Half-life (days)", exact=True)
    assert base.count() == 1 and half_life.count() == 1
    assert page.get_by_role("spinbutton", name="GitHub followers Weight W", exact=True).count() == 1
    _checked(page, "parameters")


def test_the_time_zone_is_found_by_typing_part_of_it(page, live_server, owner):
    page.goto(live_server.url + reverse("account_signup"))
    zone = page.locator("#id_time_zone")
    zone.fill("Europe/Par")
    # What the browser offers: the options of the input's list that contain what was typed.
    offered = page.evaluate("""() => {
        const input = document.getElementById("id_time_zone");
        return Array.from(input.list.options).map((o) => o.value).filter((v) => v.includes(input.value));
    }""")
    assert offered == ["Europe/Paris"]
    _checked(page, "signup-time-zone")

    log_in(page, live_server.url, owner.email)
    page.goto(live_server.url + reverse("digest_preferences"))
    page.fill("#id_time_zone", "Europe/Parx")
    page.click("main form button[type=submit] >> text=Save")
    assert "“Europe/Parx” is not a known time zone" in page.inner_text("main")
    page.fill("#id_time_zone", "Europe/Paris")
    page.click("main form button[type=submit] >> text=Save")
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Paris"


def test_a_duplicate_name_warns_and_logout_says_so(page, live_server, owner, workspace):
    SubjectFactory(workspace=workspace, name="Jane Doe")
    log_in(page, live_server.url, owner.email)
    page.fill("#new-subject input[name=name]", "Jane Doe")
    page.click("#new-subject button[type=submit]")
    page.wait_for_url(f"{live_server.url}/subjects/*/")
    assert "There is already a subject named Jane Doe in this workspace." in page.inner_text(".messages")
    assert Subject.objects.filter(workspace=workspace, name="Jane Doe").count() == 2
    _checked(page, "duplicate-warning")

    page.click("text=Log out")
    page.wait_for_url(live_server.url + reverse("account_login"))
    assert "You have logged out." in page.inner_text(".messages")
    _checked(page, "logged-out")
