import csv
import io
import json
import zipfile

from django.urls import reverse

from influence.core.choices import CredentialName, Role
from influence.core.models import Credential, Membership, Subject, User, Workspace
from tests.factories import (
    PASSWORD,
    AccountFactory,
    ActivityFactory,
    MembershipFactory,
    ObservationFactory,
    SubjectFactory,
    WorkspaceFactory,
)


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_every_table_of_the_users_workspaces_as_json_and_csv(viewer_client, viewer, workspace, subject):
    account = AccountFactory(subject=subject, handle="janedoe")
    ObservationFactory(account=account, metric="followers", value=321)
    ActivityFactory(subject=subject, title="Keynote at <PyCon>", audience=800)
    SubjectFactory(workspace=WorkspaceFactory(name="Not mine"), name="Someone else")

    response = viewer_client.get(reverse("my_data_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="influence-data-')
    archive = _archive(response)
    tables = ["profile", "memberships", "access_tokens", "share_links", "digest_subjects", "workspaces", "subjects",
              "accounts", "observations", "activities", "scores"]
    assert sorted(archive.namelist()) == sorted(
        [f"{t}.json" for t in tables] + [f"{t}.csv" for t in tables] + ["README.txt"]
    )
    assert json.loads(archive.read("profile.json"))[0]["email"] == "viewer@example.com"
    assert [m["role"] for m in json.loads(archive.read("memberships.json"))] == [Role.VIEWER]
    assert [s["name"] for s in json.loads(archive.read("subjects.json"))] == ["Jane Doe"]
    assert [a["handle"] for a in json.loads(archive.read("accounts.json"))] == ["janedoe"]
    assert [o["value"] for o in json.loads(archive.read("observations.json"))] == [321]
    rows = list(csv.DictReader(io.StringIO(archive.read("activities.csv").decode())))
    assert [(r["title"], r["audience"]) for r in rows] == [("Keynote at <PyCon>", "800")]


def test_export_holds_the_subjects_picked_for_the_weekly_email_that_the_user_can_still_see(
    viewer_client, viewer, workspace, subject
):
    left = SubjectFactory(workspace=WorkspaceFactory(name="Left"), name="Someone they no longer see")
    viewer.digest_subjects.set([subject, left])

    archive = _archive(viewer_client.get(reverse("my_data_export")))

    assert json.loads(archive.read("digest_subjects.json")) == [
        {"subject_id": subject.pk, "subject__name": "Jane Doe", "subject__workspace_id": workspace.pk}
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("digest_subjects.csv").decode())))
    assert [r["subject__name"] for r in rows] == ["Jane Doe"]


def test_export_leaves_credential_secrets_out(owner_client, workspace):
    Credential.objects.create(
        workspace=workspace, name=CredentialName.values[0], ciphertext="SECRET-CIPHER", hint="abcd"
    )

    archive = _archive(owner_client.get(reverse("my_data_export")))

    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"SECRET-CIPHER" not in everything
    assert not any("credential" in name for name in archive.namelist())


def test_data_page_names_the_workspaces_that_would_go_with_the_account(owner_client, owner):
    page = owner_client.get(reverse("my_data")).content.decode()

    assert "You are the only owner of <strong>Acme PR</strong>" in page
    assert reverse("my_data_export") in page


def test_deleting_the_account_needs_the_password(owner_client, owner):
    response = owner_client.post(reverse("my_account_delete"), {"password": "wrong"})

    assert response.status_code == 400
    assert "That is not your password; nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()
    assert Workspace.objects.filter(name="Acme PR").exists()


def test_confirmation_page_warns_which_workspaces_are_deleted_too(owner_client, owner, editor):
    page = owner_client.get(reverse("my_account_delete")).content.decode()

    assert "You are the only owner of these workspaces" in page
    assert "<li><strong>Acme PR</strong></li>" in page


def test_deleting_the_account_deletes_the_workspaces_it_alone_owns_and_keeps_the_others(
    owner_client, owner, workspace, subject, editor
):
    shared = WorkspaceFactory(name="Shared")
    MembershipFactory(workspace=shared, user=owner, role=Role.OWNER)
    co_owner = MembershipFactory(workspace=shared, role=Role.OWNER).user
    SubjectFactory(workspace=shared, name="Kept subject")
    member_of = WorkspaceFactory(name="Member of")
    MembershipFactory(workspace=member_of, user=owner, role=Role.EDITOR)

    response = owner_client.post(reverse("my_account_delete"), {"password": PASSWORD}, follow=True)

    assert "Your account was deleted. Deleted with it: Acme PR." in response.content.decode()
    assert not User.objects.filter(pk=owner.pk).exists()
    assert not Workspace.objects.filter(pk=workspace.pk).exists()
    assert not Subject.objects.filter(pk=subject.pk).exists()
    assert Workspace.objects.filter(name__in=["Shared", "Member of"]).count() == 2
    assert Subject.objects.filter(name="Kept subject").exists()
    assert Membership.objects.filter(workspace=shared, user=co_owner).exists()
    # Logged out: the next page asks for a login.
    assert owner_client.get(reverse("home")).status_code == 302


def test_export_csv_escapes_text_a_spreadsheet_would_run_and_the_json_keeps_it_as_typed(
    viewer_client, workspace, subject
):
    subject.name = "=HYPERLINK(\"http://evil.example\")"
    subject.save()
    AccountFactory(subject=subject, network="manual", handle="@jane", label="+1 followers")
    starts = ("=", "+", "-", "@", "\t", "\r")
    for n, start in enumerate(starts):
        ActivityFactory(subject=subject, title=f"{start}cmd|' /C calc'!A0 #{n}", notes="-2+3")

    archive = _archive(viewer_client.get(reverse("my_data_export")))

    def rows(table):
        return list(csv.DictReader(io.StringIO(archive.read(f"{table}.csv").decode(), newline="")))

    assert [r["name"] for r in rows("subjects")] == ["'=HYPERLINK(\"http://evil.example\")"]
    assert [(r["handle"], r["label"]) for r in rows("accounts")] == [("'@jane", "'+1 followers")]
    titles = sorted(r["title"] for r in rows("activities"))
    assert titles == sorted(f"'{start}cmd|' /C calc'!A0 #{n}" for n, start in enumerate(starts))
    assert {r["notes"] for r in rows("activities")} == {"'-2+3"}
    # The JSON copy keeps every value as typed.
    assert [s["name"] for s in json.loads(archive.read("subjects.json"))] == ["=HYPERLINK(\"http://evil.example\")"]
