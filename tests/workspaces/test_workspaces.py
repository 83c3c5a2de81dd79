import datetime as dt

from django.urls import reverse
from django.utils import timezone

from influence.core.choices import Role
from influence.core.models import Invitation, Membership, Workspace
from tests.factories import MembershipFactory, SubjectFactory, WorkspaceFactory


def test_member_switches_to_another_of_their_workspaces_and_home_shows_its_subjects(owner_client, owner):
    other = WorkspaceFactory(name="Agency clients")
    MembershipFactory(workspace=other, user=owner, role=Role.VIEWER)
    SubjectFactory(workspace=other, name="Client One")
    SubjectFactory(workspace=other, name="Client Two")

    response = owner_client.post(reverse("workspace_switch"), {"workspace": other.pk})

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.current_workspace == other
    page = owner_client.get(reverse("home")).content.decode()
    assert "Client One" in page and "Client Two" in page


def test_switching_to_a_workspace_of_others_answers_404_and_changes_nothing(owner_client, owner, outsider):
    foreign = Membership.objects.get(user=outsider).workspace

    response = owner_client.post(reverse("workspace_switch"), {"workspace": foreign.pk})

    assert response.status_code == 404
    owner.refresh_from_db()
    assert owner.current_workspace_id is None


def test_switching_without_a_workspace_id_answers_404(owner_client):
    assert owner_client.post(reverse("workspace_switch"), {"workspace": "x"}).status_code == 404


def test_workspace_list_shows_every_workspace_of_the_user_with_roles(owner_client, owner):
    MembershipFactory(workspace=WorkspaceFactory(name="Second"), user=owner, role=Role.EDITOR)

    page = owner_client.get(reverse("workspace_list")).content.decode()

    assert "Acme PR" in page and "Second" in page and "Editor" in page
    assert "Elsewhere" not in page


def test_creating_a_workspace_makes_the_creator_its_owner_and_current(viewer_client, viewer):
    response = viewer_client.post(reverse("workspace_create"), {"name": "  My agency  "})

    workspace = Workspace.objects.get(name="My agency")
    assert response.status_code == 302
    assert Membership.objects.get(workspace=workspace, user=viewer).role == Role.OWNER
    viewer.refresh_from_db()
    assert viewer.current_workspace == workspace


def test_creating_a_workspace_without_a_name_rerenders_with_an_error(viewer_client):
    response = viewer_client.post(reverse("workspace_create"), {"name": "   "})

    assert response.status_code == 200
    assert "Give the workspace a name." in response.content.decode() or "This field is required." in (
        response.content.decode()
    )
    assert not Workspace.objects.filter(name="").exists()


def test_settings_page_shows_members_roles_and_links_to_scoring_and_credentials(
    owner_client, workspace, editor, viewer
):
    page = owner_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()

    for email in ("owner@example.com", "editor@example.com", "viewer@example.com"):
        assert email in page
    assert reverse("workspace_scoring", args=[workspace.pk]) in page
    assert reverse("workspace_credentials", args=[workspace.pk]) in page
    assert reverse("workspace_invite", args=[workspace.pk]) in page


def test_viewer_sees_members_but_no_owner_forms(viewer_client, workspace, owner):
    page = viewer_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()

    assert "owner@example.com" in page
    assert reverse("workspace_invite", args=[workspace.pk]) not in page
    assert reverse("workspace_rename", args=[workspace.pk]) not in page


def test_owner_renames_the_workspace(owner_client, workspace):
    response = owner_client.post(reverse("workspace_rename", args=[workspace.pk]), {"rename-name": "Acme Agency"})

    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.name == "Acme Agency"


def test_renaming_to_nothing_keeps_the_name_and_says_why(owner_client, workspace):
    response = owner_client.post(reverse("workspace_rename", args=[workspace.pk]), {"rename-name": " "})

    assert response.status_code == 400
    assert "Acme PR" in response.content.decode()
    workspace.refresh_from_db()
    assert workspace.name == "Acme PR"


def test_editor_cannot_rename_the_workspace(editor_client, workspace, owner):
    response = editor_client.post(reverse("workspace_rename", args=[workspace.pk]), {"rename-name": "Hijacked"})

    assert response.status_code == 403
    workspace.refresh_from_db()
    assert workspace.name == "Acme PR"


def test_workspace_name_with_markup_is_shown_escaped(owner_client, workspace):
    workspace.name = '<script>alert("x")</script>'
    workspace.save()

    for name in ("workspace_settings", "workspace_list"):
        url = reverse(name, args=[workspace.pk]) if name == "workspace_settings" else reverse(name)
        page = owner_client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in page
        assert "&lt;script&gt;" in page


# Session, user, the user's memberships, the members, the pending invitations with their
# inviters, whether anyone else could take the ownership, and the transfer form's choice of
# members (read twice while the form renders), and the members without two factors (the owners'
# two-factor panel).
SETTINGS_PAGE_QUERIES = 9


def test_settings_page_queries_do_not_grow_with_members_and_invitations(
    owner_client, owner, workspace, django_assert_max_num_queries
):
    counts = []
    for members, invited in ((2, 1), (14, 12)):
        for n in range(workspace.memberships.count(), members):
            MembershipFactory(workspace=workspace, role=Role.VIEWER, user__email=f"member{n}@example.com")
        for n in range(workspace.invitations.count(), invited):
            Invitation.objects.create(workspace=workspace, email=f"guest{n}@example.com", invited_by=owner,
                                      expires_at=timezone.now() + dt.timedelta(days=7))
        with django_assert_max_num_queries(SETTINGS_PAGE_QUERIES) as queries:
            page = owner_client.get(reverse("workspace_settings", args=[workspace.pk])).content.decode()
        assert f"member{members - 1}@example.com" in page and f"guest{invited - 1}@example.com" in page
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_workspace_list_queries_do_not_grow_with_workspaces(owner_client, owner, django_assert_max_num_queries):
    counts = []
    for workspaces in (2, 12):
        for n in range(Membership.objects.filter(user=owner).count(), workspaces):
            MembershipFactory(workspace=WorkspaceFactory(name=f"Agency {n}"), user=owner, role=Role.VIEWER)
        with django_assert_max_num_queries(5) as queries:
            page = owner_client.get(reverse("workspace_list")).content.decode()
        assert f"Agency {workspaces - 1}" in page
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
