import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["home", "compare", "account_change_password", "account_email", "digest_preferences"]
)
def test_private_pages_send_an_anonymous_visitor_to_login_and_back(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_a_private_page_opens_after_logging_in_from_the_redirect(client, owner):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("account_login") + "?next=/compare/", {"login": owner.email, "password": PASSWORD, "next": "/compare/"}
    )
    assert response.url == "/compare/"
    assert client.get("/compare/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/auth/login/",
        "/auth/signup/",
        "/auth/password/reset/",
        "/auth/password/reset/done/",
        "/auth/password/reset/key/done/",
        "/auth/password/reset/key/1-not-a-token/",
        "/auth/confirm-email/not-a-key/",
    ],
)
def test_public_pages_answer_an_anonymous_visitor(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_health_and_static_files_need_no_login(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    health = client.get("/healthz")
    assert health["Content-Type"] == "application/json"
    assert set(health.json()) == {"database", "broker"}
    static = client.get("/static/js/signup.js")
    assert static.status_code == 200
    assert b"resolvedOptions().timeZone" in b"".join(static.streaming_content)


def test_logout_is_post_only(owner_client):
    # A GET (a link, a prefetch) only shows the button; the session stays.
    page = owner_client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert '<form method="post" action="/auth/logout/">' in page.content.decode()
    assert owner_client.get(reverse("home")).status_code == 200
    assert owner_client.post(reverse("account_logout")).status_code == 302
    assert owner_client.get(reverse("home")).status_code == 302
