"""Every page reachable from the demo, in Chromium at phone (390 px) and desktop (1280 px) width:
nothing scrolls sideways, no console or Content-Security-Policy error, no accessibility
violation of impact serious or critical (axe-core). A screenshot of each is kept under
var/test-output/pages/, with a report listing every page and its results.

The URL list is the URL matrix's (tests/security/url_matrix.py, itself checked against the
resolver): every HTML page the owner, or an anonymous visitor, may open, with the demo's ids.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from influence.apitokens.tokens import create_token
from influence.core.choices import Network, Role
from influence.core.models import Account, Invitation, Membership, ScoreSnapshot, Subject, User
from influence.demo.story import DEMO_EMAIL, DEMO_PASSWORD
from influence.sharing.links import create_link
from influence.workspaces import invitations
from tests.factories import AccountFactory, MembershipFactory, SubjectFactory, UserFactory, WorkspaceFactory
from tests.security.url_matrix import TABLE
from tests.security.world import World
from tests.support.axe import serious_violations
from tests.support.browser import log_in, record_errors

pytestmark = [pytest.mark.browser]

OUTPUT_DIR = Path(os.environ.get("TEST_OUTPUT_DIR", "var/test-output")) / "pages"
WIDTHS = {"phone": 390, "desktop": 1280}
# Pages whose markup is not ours: checked for overflow and errors, not for accessibility.
NOT_OUR_MARKUP = {
    "api_docs": "the API's interactive documentation is the vendored OpenAPI viewer's own markup",
}


@dataclass
class Visit:
    name: str
    url: str
    persona: str


def demo_world() -> World:
    """The demo's workspace seen as the URL matrix's world: its owner, a subject, its objects."""
    call_command("seed_demo", force=True)
    owner = User.objects.get(email=DEMO_EMAIL)
    membership = Membership.objects.filter(user=owner, role=Role.OWNER).select_related("workspace").first()
    workspace = membership.workspace
    subject = Subject.objects.filter(workspace=workspace).order_by("pk").first()
    viewer = UserFactory(email="viewer@example.com")
    viewer_membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.VIEWER)
    manual = Account.objects.filter(subject=subject, network=Network.MANUAL).first() or AccountFactory(
        subject=subject, network=Network.MANUAL, handle="Typed in"
    )
    invitation = Invitation.objects.create(
        workspace=workspace, email="newcomer@example.com", role=Role.EDITOR, invited_by=owner,
        expires_at=timezone.now() + invitations.INVITATION_VALID_FOR,
    )
    foreign = WorkspaceFactory(name="Elsewhere")
    return World(
        workspace=workspace,
        users={"owner": owner, "viewer": viewer},
        memberships={"owner": membership, "viewer": viewer_membership},
        subject=subject,
        account=subject.accounts.exclude(network=Network.MANUAL).order_by("pk").first(),
        manual_account=manual,
        observation=subject.accounts.first().observations.order_by("-day").first(),
        activity=subject.activities.order_by("pk").first(),
        snapshot=ScoreSnapshot.objects.filter(subject=subject).order_by("-day").first(),
        invitation=invitation,
        invitation_token=invitations.invitation_token(invitation),
        foreign_workspace=foreign,
        foreign_subject=SubjectFactory(workspace=foreign),
        share_link=create_link(subject, owner),
    )


def visits(world: World) -> list[Visit]:
    found = []
    for name, row in sorted(TABLE.items()):
        for persona in ("owner", "anonymous"):
            if row.get.get(persona) == 200:
                found.append(Visit(name, reverse(name, kwargs=row.kwargs(world)), persona))
                break
    return found


def check_page(page, base_url: str, visit: Visit, width: str) -> dict:
    errors = record_errors(page)
    response = page.request.get(base_url + visit.url)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return {"skipped": response.headers.get("content-type", "")}
    page.goto(base_url + visit.url)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=OUTPUT_DIR / f"{visit.name}-{width}.png", full_page=True)
    axe = [] if visit.name in NOT_OUR_MARKUP else serious_violations(page)
    return {"overflow": overflow, "errors": list(errors), "axe": axe}


def test_every_page_fits_phone_and_desktop_without_errors_or_serious_accessibility_problems(
    transactional_db, live_server, browser
):
    world = demo_world()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    problems, report = [], []
    for width, pixels in WIDTHS.items():
        contexts = {}
        for persona in ("owner", "anonymous"):
            contexts[persona] = browser.new_context(viewport={"width": pixels, "height": 900})
        log_in(contexts["owner"].new_page(), live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
        for visit in visits(world):
            page = contexts[visit.persona].new_page()
            result = check_page(page, live_server.url, visit, width)
            page.close()
            if "skipped" in result:
                continue
            line = f"{visit.url} ({visit.name}, {visit.persona}, {pixels} px): overflow {result['overflow']} px, "
            line += f"{len(result['errors'])} console errors, {len(result['axe'])} serious/critical"
            report.append(line)
            if result["overflow"] > 1:
                problems.append(f"{line}: scrolls sideways")
            problems += [f"{line}: {error}" for error in result["errors"] + result["axe"]]
        for context in contexts.values():
            context.close()
    (OUTPUT_DIR / "report.txt").write_text("\n".join(report + ["", "Problems:"] + problems) + "\n")
    assert len(report) >= 40, report
    assert not problems, "\n".join(problems)


def test_the_accessibility_check_fails_on_a_seeded_violation(transactional_db, live_server, browser, owner):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server.url, owner.email)
    assert serious_violations(page) == []
    # An image with no text alternative and a field with no label: both "critical" in axe-core.
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/icons/icon-192.png";
            const input = document.createElement("input");
            input.type = "text";
            document.querySelector("main").append(img, input);
        }"""
    )
    found = serious_violations(page)
    context.close()
    assert any("image-alt" in line for line in found), found
    assert any("label" in line for line in found), found


def on_screen(page, selector: str, width: int) -> int:
    """How many elements match; each one shown must lie within the viewport's width."""
    found = page.locator(selector + " >> visible=true")
    for index in range(found.count()):
        box = found.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, index, box)
    return found.count()


def test_on_a_phone_every_list_row_keeps_its_cells_and_actions_on_screen(transactional_db, live_server, browser):
    """The list tables (accounts, activities, members, tokens, sessions, client report links)
    become one card per row at 390 px: every cell, role select and action within the screen."""
    world = demo_world()
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + reverse("subject_detail", args=[world.subject.pk]))
    assert on_screen(page, "#accounts table.stack td", 390) >= 4
    assert on_screen(page, "#accounts table.stack td.actions :is(a, button)", 390) >= 2
    assert on_screen(page, "#activities table.stack td.actions :is(a, button)", 390) >= 2
    # Each card names its cells: the label is drawn before the value.
    label = page.evaluate(
        """() => getComputedStyle(document.querySelector('#accounts td[data-label="Status"]'), '::before').content"""
    )
    assert "Status" in label
    page.goto(live_server.url + reverse("workspace_settings", args=[world.workspace.pk]))
    assert on_screen(page, "table.stack.members td select", 390) >= 2
    assert on_screen(page, "table.stack.members td.actions :is(a, button)", 390) >= 4
    for select in page.locator("table.stack.members td select").all():
        assert select.bounding_box()["width"] >= 120  # a usable select, not collapsed
    create_token(world.users["owner"], "Reporting script", world.workspace)
    page.goto(live_server.url + reverse("user_settings"))
    assert on_screen(page, "table.stack.tokens td", 390) >= 7
    assert on_screen(page, "table.stack.sessions td", 390) >= 3
    page.goto(live_server.url + reverse("subject_detail", args=[world.subject.pk]))
    assert on_screen(page, "table.stack.share-links td :is(input, button)", 390) >= 2
    context.close()
