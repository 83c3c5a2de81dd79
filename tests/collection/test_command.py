"""`manage.py collect --account | --subject | --all [--queue]`: the storing side."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from influence.core.choices import AccountStatus, Network
from influence.core.models import Account, Observation, ScoreSnapshot
from tests.collection.conftest import github_user, hn_user
from tests.factories import AccountFactory, SubjectFactory

NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def run(*args) -> str:
    out = StringIO()
    call_command("collect", *args, stdout=out)
    return out.getvalue()


def test_all_collects_every_account_inline_with_one_line_each_and_scores_every_subject(api, subject):
    other = SubjectFactory(workspace=subject.workspace)
    github_user(api, "octocat", followers=120)
    hn_user(api, "pg", karma=1000)
    gh = AccountFactory(subject=subject, network=Network.GITHUB, handle="octocat")
    hn = AccountFactory(subject=other, network=Network.HACKERNEWS, handle="pg")
    AccountFactory(subject=other, network=Network.MANUAL, handle="me", label="LinkedIn")

    lines = run("--all").splitlines()

    assert lines == [
        f"account {gh.pk} (GitHub octocat): stored followers=120, public_repos=2, stars=12",
        f"account {hn.pk} (Hacker News pg): stored karma=1000",
    ]
    assert Observation.objects.count() == 4
    assert set(ScoreSnapshot.objects.values_list("subject_id", "day")) == {
        (subject.pk, NOW.date()), (other.pk, NOW.date()),
    }


def test_a_failed_account_is_one_line_and_the_command_exits_non_zero(api, subject):
    api.route("GET", "/user/nobody.json", json=None)
    account = AccountFactory(subject=subject, network=Network.HACKERNEWS, handle="nobody")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 collection"):
        call_command("collect", "--account", str(account.pk), stdout=out)
    assert out.getvalue() == (
        f"account {account.pk} (Hacker News nobody): failed: Hacker News: there is no user “nobody”. (status ok)\n"
    )
    account.refresh_from_db()
    assert account.consecutive_failures == 1


def test_queue_claims_the_accounts_so_a_second_run_queues_none(subject, django_capture_on_commit_callbacks):
    AccountFactory.create_batch(2, subject=subject, network=Network.HACKERNEWS)
    AccountFactory(subject=subject, status=AccountStatus.PAUSED)

    with django_capture_on_commit_callbacks() as queued:
        first = run("--subject", str(subject.pk), "--queue")
        second = run("--subject", str(subject.pk), "--queue")

    assert first.strip() == "Queued 2 collection(s); 0 already under way."
    assert second.strip() == "Queued 0 collection(s); 2 already under way."
    assert len(queued) == 2
    assert Account.objects.filter(queued_at=NOW).count() == 2
