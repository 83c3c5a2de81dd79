"""manage.py seed_demo: refuses in production unless forced, --if-empty, prints the login, idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from influence.core.models import User, Workspace
from influence.demo import story


def test_seed_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(email=story.DEMO_EMAIL).exists()


def test_seed_demo_if_empty_does_nothing_when_users_exist(db, owner, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "no demo seeded" in out.getvalue()
    assert not Workspace.objects.filter(name=story.WORKSPACE_NAME).exists()


def test_seed_demo_prints_the_login_and_is_idempotent(db, time_machine, settings):
    settings.DEBUG = True
    time_machine.move_to(dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC))
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert "Demo login: demo@example.com / demo-influence" in first.getvalue()
    assert "nothing changed" in second.getvalue()
    assert Workspace.objects.filter(name=story.WORKSPACE_NAME).count() == 1


def test_seed_demo_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "Demo login: demo@example.com / demo-influence" in out.getvalue()
