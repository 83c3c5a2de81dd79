"""Headless Chromium (Debian's) driven by Playwright, for the pages' tests in a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import reverse

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# This machine's network is closed: without the background-networking flags
# Chromium keeps trying to reach its own services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def launched_browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def record_errors(page) -> list[str]:
    """Console errors (Content-Security-Policy violations among them) and uncaught page errors."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    return errors


def log_in(page, base_url: str, email: str, password: str = PASSWORD, expect_url: str | None = None) -> None:
    """Log in through the form, as a person would."""
    page.goto(base_url + reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(expect_url or base_url + reverse("home"))
