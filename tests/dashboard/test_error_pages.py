"""The error pages in the product's look, with DEBUG off as in production: the stylesheet, the
navigation for a logged-in visitor, the reason a 403 was given, and JSON under /api/."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import SubjectFactory, WorkspaceFactory


@pytest.fixture(autouse=True)
def production_debug(settings):
    settings.DEBUG = False


def assert_product_page(response, status, *texts):
    assert response.status_code == status
    html = response.content.decode()
    assert "css/influence.css" in html
    assert "icons/favicon.svg" in html
    for text in texts:
        assert text in html
    return html


def test_404_for_a_logged_in_member_has_the_navigation(owner_client):
    other = SubjectFactory(workspace=WorkspaceFactory())
    html = assert_product_page(owner_client.get(f"/subjects/{other.pk}/"), 404, "Page not found")
    assert 'aria-label="Main"' in html
    assert other.name not in html


def test_404_for_an_unknown_address_without_login(client):
    html = assert_product_page(client.get("/no/such/page/"), 404, "Page not found", "Log in")
    assert 'aria-label="Main"' not in html


def test_403_shows_the_reason_the_permission_check_gave(viewer_client, subject):
    response = viewer_client.get(f"/subjects/{subject.pk}/activities/new/")
    html = assert_product_page(response, 403, "Not allowed", "Viewers cannot change anything in this workspace.")
    assert 'aria-label="Main"' in html


def test_400_on_a_host_the_site_does_not_serve(client):
    assert_product_page(client.get("/auth/login/", HTTP_HOST="evil.example"), 400, "Bad request")


def test_csrf_refusal_is_a_product_page_that_says_nothing_was_saved(owner, subject):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(f"/subjects/{subject.pk}/rename/", {"name": "Renamed"})
    assert_product_page(response, 403, "Form expired", "nothing was saved")
    subject.refresh_from_db()
    assert subject.name != "Renamed"


@pytest.mark.urls("tests.dashboard.error_urls")
def test_500_is_a_product_page_with_the_navigation(owner_client):
    owner_client.raise_request_exception = False
    html = assert_product_page(owner_client.get("/broken/"), 500, "Something went wrong", "Nothing you saved is lost")
    assert 'aria-label="Main"' in html


def test_api_errors_keep_the_api_shape(owner_client):
    response = owner_client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


ICONS = ["favicon.svg", "favicon-32.png", "apple-touch-icon.png", "icon-192.png", "icon-512.png"]
ICONS += ["manifest.webmanifest"]


@pytest.mark.parametrize("name", ICONS)
def test_icons_are_served_from_static(name):
    assert finders.find(f"icons/{name}")
