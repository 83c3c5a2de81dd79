"""`manage.py collect --dry-run`: one JSON object on stdout, or one clear line on stderr and exit code 1."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from influence.core.choices import AccountStatus
from influence.core.models import Account, Observation
from tests.connectors.conftest import BASE_URL_SETTINGS, NOW
from tests.connectors.scenarios import ROUTES
from tests.factories import AccountFactory

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str) -> dict:
    out = StringIO()
    call_command("collect", "--dry-run", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1  # one JSON object, nothing else
    return json.loads(lines[0])


def failure(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("collect", *args, stdout=StringIO(), stderr=StringIO())
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    assert caught.value.returncode == 1
    return message


@pytest.mark.parametrize("network", sorted(ROUTES))
def test_a_dry_run_prints_the_metrics_of_a_handle_and_stores_nothing(network, api, frozen, settings, db):
    scenario = ROUTES[network](api)
    for name, value in (scenario.settings or {}).items():
        setattr(settings, name, value)
    args = ["--network", network, "--handle", scenario.handle]
    if scenario.instance:
        args += ["--instance", scenario.instance]
    assert dry_run(*args) == scenario.expected
    assert Observation.objects.count() == 0
    assert Account.objects.count() == 0


def test_a_handle_that_does_not_exist_is_one_clear_line(api):
    api.route("GET", "/users/ghost-user", status=404, json={"message": "Not Found"})
    assert failure("--dry-run", "--network", "github", "--handle", "ghost-user") == (
        "GitHub: there is no user “ghost-user”."
    )


def test_a_429_names_the_wait(api):
    api.route("GET", "/users/octocat", status=429, headers={"Retry-After": "30"}, json={})
    message = failure("--dry-run", "--network", "github", "--handle", "octocat")
    assert message == "GitHub is rate limiting us (HTTP 429; retry after 30 s)."


def test_a_server_error_is_one_line(api):
    api.route("GET", "/user/pg.json", status=500, body="<html><body>\n<h1>Internal error</h1>\n</body></html>",
              content_type="text/html")
    assert failure("--dry-run", "--network", "hackernews", "--handle", "pg") == (
        "Hacker News had a server error (HTTP 500)."
    )


def test_a_timeout_is_one_line(api):
    api.route("GET", "/authors/A5023888391", delay=2, json={})
    message = failure("--dry-run", "--network", "openalex", "--handle", "A5023888391", "--timeout", "0.2")
    assert message == "OpenAlex did not answer in time (127.0.0.1)."


def test_invalid_json_is_one_line(api):
    api.route("GET", "/user/spez_example/about.json", body=b"<html>\nnot json\n</html>",
              content_type="application/json")
    assert failure("--dry-run", "--network", "reddit", "--handle", "spez_example") == (
        "Reddit answered something that is not JSON (127.0.0.1)."
    )


def test_a_missing_key_is_one_line(api):
    message = failure("--dry-run", "--network", "youtube", "--handle", "@GoogleDevelopers")
    assert message.startswith("YouTube needs an API key")
    assert api.requests == []


def test_a_malformed_handle_is_one_line(api):
    message = failure("--dry-run", "--network", "mastodon", "--handle", "alice")
    assert message.startswith("Mastodon: “alice” is not a valid handle.")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--dry-run", "--handle", "octocat"], "--dry-run needs --network and --handle."),
        (["--dry-run", "--network", "github"], "--dry-run needs --network and --handle."),
        (["--dry-run", "--queue", "--network", "github", "--handle", "x"], "--queue does not go with --dry-run"),
        (["--network", "github", "--handle", "octocat"], "--network, --handle, --instance and --timeout go with"),
        ([], "Give --account ID, --subject ID or --all"),
        (["--account", "1", "--all"], "not allowed with argument"),
        (["--dry-run", "--account", "1"], "not allowed with argument"),
        (["--dry-run", "--network", "myspace", "--handle", "x"], "invalid choice: 'myspace'"),
    ],
)
def test_arguments_that_do_not_go_together_are_refused(args, expected):
    assert expected in failure(*args)


def _run(fake_api, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{name: fake_api.url for name in BASE_URL_SETTINGS})
    return subprocess.run(
        [sys.executable, "manage.py", "collect", "--dry-run", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


def test_a_real_run_prints_json_on_stdout_and_nothing_else(api):
    ROUTES["github"](api)
    done = _run(api, "--network", "github", "--handle", "octocat")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"followers": 21345, "public_repos": 5, "stars": 16871}
    assert done.stderr == ""


def test_a_real_failing_run_exits_1_with_one_line_and_no_traceback(api):
    api.route("GET", "/users/octocat", status=503, body="upstream down", content_type="text/plain")
    done = _run(api, "--network", "github", "--handle", "octocat")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == ["CommandError: GitHub had a server error (HTTP 503)."]
    assert "Traceback" not in done.stderr


def test_collecting_one_account_stores_its_metrics(api, frozen, subject):
    ROUTES["hackernews"](api)
    account = AccountFactory(subject=subject, network="hackernews", handle="jl")
    out = StringIO()
    call_command("collect", "--account", str(account.pk), stdout=out)
    assert "stored karma=4382" in out.getvalue()
    assert list(Observation.objects.values_list("account", "metric", "day", "value")) == [
        (account.pk, "karma", NOW.date(), 4382)
    ]


def test_collecting_a_subject_skips_paused_accounts_and_fails_when_one_fails(api, frozen, subject):

    ROUTES["hackernews"](api)
    api.route("GET", "/user/gone_user.json", json=None)
    AccountFactory(subject=subject, network="hackernews", handle="jl")
    AccountFactory(subject=subject, network="hackernews", handle="gone_user")
    AccountFactory(subject=subject, network="hackernews", handle="paused_one", status=AccountStatus.PAUSED)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 collection"):
        call_command("collect", "--subject", str(subject.pk), stdout=out)
    assert "stored karma=4382" in out.getvalue()
    assert "no user “gone_user”" in out.getvalue()
    assert {r.path for r in api.requests} == {"/user/jl.json", "/user/gone_user.json"}
