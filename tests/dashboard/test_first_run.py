"""The first run: the home page's guide (what the score is, three steps with progress), the
sample story (read-only, paused, removable) and the workspace named after its person."""

import pytest
from django.urls import reverse

from influence.core.choices import AccountStatus, ActivityKind, Network, Role
from influence.core.models import Account, Activity, ScoreSnapshot, Subject
from influence.core.permissions import SAMPLE_READ_ONLY
from influence.core.workspace_names import default_workspace_name
from influence.demo.story import add_sample_subject
from tests.factories import AccountFactory, ActivityFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_a_new_workspace_explains_the_score_and_offers_three_steps(owner_client):
    html = _home(owner_client)
    assert 'id="first-run"' in html
    assert "out of 100" in html and "online numbers" in html and "offline activities" in html
    assert "traced back" in html
    assert "0 of 3 done" in html
    for title in ("Add yourself or a client", "Connect an account or type counts",
                  "Log an offline activity: a talk, a book, a class"):
        assert title in html
    assert 'href="/#new-subject"' in html
    assert html.count("(after the first step)") == 2  # no subject yet: nothing to add an account to


def test_the_steps_move_as_each_is_done_and_link_to_the_first_subjects_forms(owner_client, workspace):
    first = SubjectFactory(workspace=workspace, name="Alex")
    SubjectFactory(workspace=workspace, name="Another")
    html = _home(owner_client)
    assert "1 of 3 done" in html
    assert f'href="{reverse("account_create", args=[first.pk])}"' in html
    assert f'href="{reverse("activity_create", args=[first.pk])}"' in html
    AccountFactory(subject=first, network=Network.MANUAL, handle="in/alex")
    assert "2 of 3 done" in _home(owner_client)
    ActivityFactory(subject=first, kind=ActivityKind.TALK)
    assert 'id="first-run"' not in _home(owner_client)  # all done: the guide is gone


def test_the_guide_can_be_closed_for_good(owner_client, owner):
    response = owner_client.post(reverse("first_run_dismiss"), follow=True)
    assert "The getting-started guide is closed." in response.content.decode()
    assert 'id="first-run"' not in response.content.decode()
    owner.refresh_from_db()
    assert owner.first_run_over


def test_viewers_get_no_guide(viewer_client):
    html = _home(viewer_client)
    assert 'id="first-run"' not in html and "Ask an editor or an owner" in html


def test_the_sample_story_is_added_once_paused_marked_and_read_only(owner_client, workspace):
    response = owner_client.post(reverse("sample_create"))
    sample = Subject.objects.get(workspace=workspace, is_sample=True)
    assert response.status_code == 302 and response["Location"] == reverse("subject_detail", args=[sample.pk])
    assert sample.name == "Maya Chen"
    assert set(sample.accounts.values_list("status", flat=True)) == {AccountStatus.PAUSED}
    assert sample.activities.exists()
    snapshots = ScoreSnapshot.objects.filter(subject=sample)
    assert 360 <= snapshots.count() <= 366  # a year of history, scored
    # Once: asking again leads to the same one.
    again = owner_client.post(reverse("sample_create"))
    assert again["Location"] == reverse("subject_detail", args=[sample.pk])
    assert Subject.objects.filter(workspace=workspace, is_sample=True).count() == 1

    page = owner_client.get(reverse("subject_detail", args=[sample.pk])).content.decode()
    assert '<span class="badge sample">Sample</span>' in page and 'id="sample-note"' in page
    for action in ("subject_rename", "account_create", "activity_create"):
        assert reverse(action, args=[sample.pk]) not in page
    assert reverse("subject_delete", args=[sample.pk]) in page
    account = sample.accounts.first()
    assert reverse("account_collect", args=[account.pk]) not in page
    assert reverse("account_edit", args=[account.pk]) not in page
    assert '<span class="badge sample">Sample</span>' in _home(owner_client)


def test_the_sample_does_not_count_toward_the_steps(owner_client, workspace):
    owner_client.post(reverse("sample_create"))
    html = _home(owner_client)
    assert "0 of 3 done" in html
    assert "Look at the sample story (Maya Chen)" in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("subject_rename", {"name": "Mine now"}),
        ("account_create", {"network": "manual", "handle": "x"}),
        ("activity_create", {"kind": "talk", "title": "T", "date": "2024-01-01"}),
        ("anomaly_dismiss", {}),
        ("share_create", {}),
    ],
)
def test_the_server_refuses_changes_of_a_sample_with_the_reason(owner_client, workspace, name, data):
    sample = add_sample_subject(workspace)
    response = owner_client.post(reverse(name, args=[sample.pk]), data)
    assert response.status_code == 403
    assert SAMPLE_READ_ONLY in response.content.decode()


def test_the_samples_accounts_and_activities_refuse_changes_too(owner_client, workspace):
    sample = add_sample_subject(workspace)
    account = sample.accounts.first()
    activity = sample.activities.first()
    for url in (reverse("account_resume", args=[account.pk]), reverse("account_collect", args=[account.pk]),
                reverse("account_delete", args=[account.pk]), reverse("activity_delete", args=[activity.pk])):
        response = owner_client.post(url)
        assert response.status_code == 403, url
        assert SAMPLE_READ_ONLY in response.content.decode()
    assert Account.objects.get(pk=account.pk).status == AccountStatus.PAUSED
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_sample_is_removable_like_any_subject(owner_client, workspace):
    sample = add_sample_subject(workspace)
    response = owner_client.post(reverse("subject_delete", args=[sample.pk]), follow=True)
    assert "Maya Chen and all its data were deleted." in response.content.decode()
    assert not Subject.objects.filter(pk=sample.pk).exists()
    assert "Look at a sample story" in response.content.decode()


def test_viewers_cannot_add_the_sample(viewer_client, workspace):
    assert viewer_client.post(reverse("sample_create")).status_code == 403
    assert not Subject.objects.filter(workspace=workspace).exists()


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("alex@example.org", "Alex’s workspace"),
        ("alex.smith+work@example.org", "Alex Smith’s workspace"),
        ("mary-jane_o@example.org", "Mary Jane O’s workspace"),
        ("@example.org", "My workspace"),
    ],
)
def test_the_default_workspace_is_named_after_the_person(email, name):
    assert default_workspace_name(email) == name


def test_owners_rename_the_workspace_on_the_home_page(owner_client, workspace):
    html = _home(owner_client)
    assert 'id="workspace-rename"' in html
    response = owner_client.post(
        reverse("workspace_rename", args=[workspace.pk]), {"rename-name": "Alex & Co", "next": "/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    html = response.content.decode()
    assert "Workspace renamed to Alex &amp; Co." in html
    assert '<h1 id="workspace-title">Alex &amp; Co</h1>' in html
    refused = owner_client.post(
        reverse("workspace_rename", args=[workspace.pk]), {"rename-name": "  ", "next": "/"}, follow=True
    )
    assert "Not renamed: Give the workspace a name." in refused.content.decode()
    workspace.refresh_from_db()
    assert workspace.name == "Alex & Co"


def test_editors_do_not_get_the_rename(editor_client):
    assert 'id="workspace-rename"' not in _home(editor_client)


def test_the_old_address_named_workspaces_are_renamed_by_the_migration(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("core", "0011_account_retry")], [("core", "0012_sample_subject_and_guide")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    User, Workspace = apps.get_model("core", "User"), apps.get_model("core", "Workspace")
    Membership_ = apps.get_model("core", "Membership")
    alex = User.objects.create(email="alex@example.org", password="x")
    own = Workspace.objects.create(name="alex@example.org's workspace")
    chosen = Workspace.objects.create(name="Alex's agency")
    theirs = Workspace.objects.create(name="sam@example.org's workspace")  # alex is only an editor there
    Membership_.objects.create(workspace=own, user=alex, role=Role.OWNER)
    Membership_.objects.create(workspace=chosen, user=alex, role=Role.OWNER)
    Membership_.objects.create(workspace=theirs, user=alex, role=Role.EDITOR)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    Workspace = executor.loader.project_state(after).apps.get_model("core", "Workspace")
    assert Workspace.objects.get(pk=own.pk).name == "Alex’s workspace"
    assert Workspace.objects.get(pk=chosen.pk).name == "Alex's agency"
    assert Workspace.objects.get(pk=theirs.pk).name == "sam@example.org's workspace"
    # Leave the schema as the other tests expect it: every migration applied.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_guide_costs_two_queries_while_shown_and_none_once_done(
    owner_client, owner, workspace, django_assert_num_queries
):
    from tests.dashboard.test_home import HOME_QUERIES

    first = SubjectFactory(workspace=workspace, name="Alex")
    AccountFactory(subject=first)
    assert owner_client.get(reverse("home")).status_code == 200  # the session's first page (see settled)
    # The steps, and the sample subject.
    with django_assert_num_queries(HOME_QUERIES + 2):
        assert "2 of 3 done" in _home(owner_client)
    ActivityFactory(subject=first)
    # The steps once more, all done, and the session's note of that (a write in a savepoint): over.
    with django_assert_num_queries(HOME_QUERIES + 4):
        assert 'id="first-run"' not in _home(owner_client)
    with django_assert_num_queries(HOME_QUERIES):
        _home(owner_client)
