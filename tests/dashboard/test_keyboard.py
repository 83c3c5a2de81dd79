"""Keyboard use, in Chromium at phone and desktop width: the first Tab reaches "Skip to the
content", and every control reached by Tab shows a visible focus ring."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from influence.core.models import Subject, User
from influence.demo.story import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser]

FOCUS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {tag: el.tagName, text: (el.innerText || el.value || el.id || "").slice(0, 40),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_control_reached_by_tab_shows_its_focus(transactional_db, live_server, browser, width):
    call_command("seed_demo", force=True)
    owner = User.objects.get(email=DEMO_EMAIL)
    subject = Subject.objects.filter(workspace__memberships__user=owner).order_by("pk").first()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + reverse("subject_detail", args=[subject.pk]))
    page.wait_for_load_state("networkidle")

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    assert first["text"] == "Skip to the content", first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    unseen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["outline"] == "none" or focus["width"] < 2:
            unseen.append(focus)
    context.close()
    assert not unseen, unseen
