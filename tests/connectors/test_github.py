"""GitHub: the user, then every page of their repositories for the stars of their own (non-fork) ones."""

from datetime import timedelta

import pytest

from influence.connectors import NotFound, RateLimited, get_connector
from influence.connectors.github import GitHubConnector, parse_repos, parse_user
from tests.connectors.conftest import NOW, serve, stored
from tests.connectors.scenarios import route_github


def test_user_gives_followers_and_public_repositories():
    assert parse_user(stored("github", "user.json")) == {"followers": 21345, "public_repos": 5}


def test_stars_of_forks_are_not_the_users():
    assert parse_repos(stored("github", "repos_page1.json")) == 12850 + 3120
    assert parse_repos(stored("github", "repos_page2.json")) == 901


def test_fetch_sums_stars_over_every_page(api):
    scenario = route_github(api)
    assert get_connector("github").fetch(scenario.handle) == scenario.expected
    first = api.requests_to("/users/octocat/repos")[0]
    assert first.query == {"type": ["owner"], "per_page": ["100"]}
    assert api.requests_to("/user/583231/repos")[0].query["page"] == ["2"]
    assert "Authorization" not in first.headers


def test_the_token_is_sent_when_given(api, settings):
    route_github(api)
    settings.GITHUB_TOKEN = "instance-token"
    get_connector("github", {"github_token": "workspace-token"}).fetch("octocat")
    assert {r.headers["Authorization"] for r in api.requests} == {"Bearer workspace-token"}
    assert api.requests[0].headers["X-GitHub-Api-Version"] == "2022-11-28"


def test_an_unknown_user_is_not_found(api):
    serve(api, "github", "/users/ghost-user", "error_not_found.json", status=404)
    with pytest.raises(NotFound, match="GitHub: there is no user “ghost-user”."):
        get_connector("github").fetch("ghost-user")


def test_an_exhausted_rate_limit_is_rate_limited_until_the_reset(api, frozen):
    reset = int((NOW + timedelta(minutes=20)).timestamp())
    serve(api, "github", "/users/octocat", "error_rate_limited.json", status=403,
          headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    with pytest.raises(RateLimited) as caught:
        get_connector("github").fetch("octocat")
    assert caught.value.retry_after == 1200


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("octocat", "octocat"),
        ("@octocat", "octocat"),
        (" Octo-Cat ", "Octo-Cat"),
        ("https://github.com/octocat/", "octocat"),
    ],
)
def test_logins_as_users_type_them(handle, expected):
    assert GitHubConnector.normalize_handle(handle) == (expected, "")


@pytest.mark.parametrize("handle", ["", "-octocat", "octo--cat", "octo cat", "a" * 40])
def test_impossible_logins_are_refused(handle):
    with pytest.raises(ValueError):
        GitHubConnector.normalize_handle(handle)
