"""Reddit: total karma, anonymously or through app-only OAuth."""

import base64

import pytest

from influence.connectors import NeedsKey, NotFound, get_connector
from influence.connectors.reddit import RedditConnector, oauth_base, parse_about, parse_token
from tests.connectors.conftest import serve, stored, stored_bytes
from tests.connectors.scenarios import route_reddit


def test_about_gives_total_karma():
    assert parse_about(stored("reddit", "about.json")) == {"karma": 940211}


def test_a_suspended_account_is_not_found():
    with pytest.raises(NotFound, match="suspended"):
        parse_about(stored("reddit", "about_suspended.json"), "banned_example")


def test_the_token_answer_gives_token_and_lifetime():
    assert parse_token(stored("reddit", "token.json")) == ("eyJhbGciOiJSUzI1NiIsImtpZCI6InNLd2wyWWxXVGtzOHNGU", 86400)


def test_anonymous_fetch_uses_the_descriptive_user_agent(api, settings):
    settings.INFLUENCE_USER_AGENT = "Influence/0.1 (+https://influence.example)"
    scenario = route_reddit(api)
    assert get_connector("reddit").fetch(scenario.handle) == scenario.expected
    assert api.requests[0].headers["User-Agent"] == "Influence/0.1 (+https://influence.example)"


def test_with_an_app_the_fetch_goes_through_oauth_and_reuses_its_token(api):
    serve(api, "reddit", "/user/spez_example/about", "about.json")
    api.route("POST", "/api/v1/access_token", body=stored_bytes("reddit", "token.json"),
              content_type="application/json")
    credentials = {"reddit_client_id": "app-id", "reddit_client_secret": "s3cret"}
    assert get_connector("reddit", credentials).fetch("u/spez_example") == {"karma": 940211}
    assert get_connector("reddit", credentials).fetch("spez_example") == {"karma": 940211}
    [token_request] = api.requests_to("/api/v1/access_token")
    user, _, password = base64.b64decode(token_request.headers["Authorization"].split()[1]).decode().partition(":")
    assert (user, password) == (credentials["reddit_client_id"], "s3cret")
    assert token_request.body == b"grant_type=client_credentials"
    about = api.requests_to("/user/spez_example/about")
    token = stored("reddit", "token.json")["access_token"]
    assert [r.headers["Authorization"] for r in about] == [f"Bearer {token}"] * 2


def test_refused_app_credentials_ask_for_the_key(api):
    api.route("POST", "/api/v1/access_token", status=401, json={"message": "Unauthorized", "error": 401})
    with pytest.raises(NeedsKey, match="refused the configured credentials"):
        get_connector("reddit", {"reddit_client_id": "bad", "reddit_client_secret": "bad"}).fetch("spez_example")


def test_a_refused_anonymous_request_asks_for_an_app(api):
    api.route("GET", "/user/spez_example/about.json", status=403, body="<html>blocked</html>", content_type="text/html")
    with pytest.raises(NeedsKey, match="Reddit app client id"):
        get_connector("reddit").fetch("spez_example")


def test_an_unknown_user_is_not_found(api):
    serve(api, "reddit", "/user/nobody_here/about.json", "error_not_found.json", status=404)
    with pytest.raises(NotFound, match="no user “nobody_here”"):
        get_connector("reddit").fetch("nobody_here")


def test_oauth_goes_to_oauth_reddit_com_beside_www_and_stays_on_other_bases():
    assert oauth_base("https://www.reddit.com") == "https://oauth.reddit.com"
    assert oauth_base("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("handle", "expected"),
    [("spez", "spez"), ("u/spez", "spez"), ("/u/spez", "spez"), ("https://www.reddit.com/user/spez/", "spez")],
)
def test_user_names_as_users_type_them(handle, expected):
    assert RedditConnector.normalize_handle(handle) == (expected, "")
