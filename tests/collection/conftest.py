"""Collection fixtures: the fake API behind GitHub, Hacker News and Wikipedia, with quick retries."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from influence.celery import app
from influence.collection.tasks import collect_account_task
from influence.core.models import Account, Observation
from tests.support.fake_api import FakeAPI

# Every base URL the tests use, pointed at the fake API.
API_SETTINGS = ("GITHUB_API_URL", "HACKERNEWS_API_URL", "WIKIMEDIA_API_URL")
# Small waits so that retries and timeouts take a fraction of a second.
QUICK = {
    "COLLECT_BACKOFF_BASE": 0.05,
    "COLLECT_BACKOFF_MAX": 0.2,
    "COLLECT_HTTP_TIMEOUT": 0.5,
    "COLLECT_CHECK_TIMEOUT": 0.5,
    "COLLECT_MAX_RETRIES": 2,
    "COLLECT_FAILING_AFTER": 2,
    "COLLECT_RATE_LIMITS_ENABLED": False,
}


@pytest.fixture(scope="module")
def shared_api():
    # One server per module: stopping one waits for its half-second poll.
    with FakeAPI() as server:
        yield server


@pytest.fixture
def api(shared_api, settings):
    """The fake API as GitHub, Hacker News and Wikimedia (no routes yet), with quick retry settings."""
    fake_api = shared_api
    fake_api.routes.clear()
    fake_api.delay = 0.0
    fake_api.requests = []
    for name in API_SETTINGS:
        setattr(settings, name, fake_api.url)
    for name, value in QUICK.items():
        setattr(settings, name, value)
    return fake_api


def api_environment(api) -> dict:
    """The same settings, as environment variables of a worker process."""
    env = {name: api.url for name in API_SETTINGS}
    env.update({k: ("0" if v is False else str(v)) for k, v in QUICK.items()})
    return env


def github_user(api, login: str, followers: int, public_repos: int = 2, stars: tuple[int, ...] = (5, 7)) -> None:
    api.route("GET", f"/users/{login}", json={"login": login, "followers": followers, "public_repos": public_repos})
    repos = [{"name": f"r{i}", "fork": False, "stargazers_count": s} for i, s in enumerate(stars)]
    repos.append({"name": "a-fork", "fork": True, "stargazers_count": 1000})
    api.route("GET", f"/users/{login}/repos", json=repos)


def hn_user(api, name: str, karma: int) -> None:
    api.route("GET", f"/user/{name}.json", json={"id": name, "karma": karma})


def observations(account) -> dict[tuple[str, dt.date], int]:
    return {
        (metric, day): value
        for metric, day, value in Observation.objects.filter(account=account).values_list("metric", "day", "value")
    }



def run_collect_task(account_id: int, attempt: int = 0):
    """The collection task's body as a worker runs it: a retry it asks for is raised (and the
    message it published to the broker purged)."""
    collect_account_task.push_request(
        id="test", args=[account_id], kwargs={"attempt": attempt}, retries=0, called_directly=False
    )
    try:
        return collect_account_task.run(account_id, attempt=attempt)
    finally:
        collect_account_task.pop_request()
        app.control.purge()


def state_cell(page: str, account: Account) -> str:
    """The text of the account's status cell on the page, tags removed."""
    row = re.search(rf'<tr id="account-{account.pk}">(.*?)</tr>', page, re.S).group(1)
    cell = re.search(r'<td data-label="Status">(.*?)</td>', row, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())
