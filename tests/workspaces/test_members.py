from django.urls import reverse

from influence.core.choices import Role
from influence.core.models import Membership
from tests.factories import MembershipFactory


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_owner_changes_a_members_role(owner_client, workspace, viewer, membership_of, roles):
    url = reverse("member_role", args=[workspace.pk, membership_of(viewer).pk])

    response = owner_client.post(url, {"role": Role.EDITOR}, follow=True)

    assert roles()["viewer@example.com"] == Role.EDITOR
    assert "viewer@example.com is now editor." in response.content.decode()


def test_unknown_role_is_refused_with_a_message(owner_client, workspace, viewer, membership_of, roles):
    before = roles()
    response = owner_client.post(
        reverse("member_role", args=[workspace.pk, membership_of(viewer).pk]), {"role": "god"}, follow=True
    )

    assert "Choose a role" in response.content.decode()
    assert roles() == before


def test_the_last_owner_cannot_be_demoted(owner_client, workspace, owner, membership_of, roles):
    before = roles()
    response = owner_client.post(
        reverse("member_role", args=[workspace.pk, membership_of(owner).pk]), {"role": Role.VIEWER}, follow=True
    )

    assert "is the last owner of Acme PR" in response.content.decode()
    assert roles() == before


def test_an_owner_can_step_down_when_another_owner_remains(
    owner_client, workspace, owner, editor, membership_of, roles
):
    Membership.objects.filter(user=editor).update(role=Role.OWNER)

    owner_client.post(reverse("member_role", args=[workspace.pk, membership_of(owner).pk]), {"role": Role.EDITOR})

    assert roles() == {"owner@example.com": Role.EDITOR, "editor@example.com": Role.OWNER}


def test_owner_removes_a_member(owner_client, workspace, viewer, membership_of, roles):
    viewer.current_workspace = workspace
    viewer.save()

    response = owner_client.post(reverse("member_remove", args=[workspace.pk, membership_of(viewer).pk]))

    assert response.status_code == 302
    assert "viewer@example.com" not in roles()
    viewer.refresh_from_db()
    assert viewer.current_workspace is None


def test_the_last_owner_cannot_be_removed_or_leave(owner_client, workspace, owner, editor, membership_of, roles):
    before = roles()

    removed = owner_client.post(reverse("member_remove", args=[workspace.pk, membership_of(owner).pk]), follow=True)
    left = owner_client.post(reverse("workspace_leave", args=[workspace.pk]), follow=True)

    assert "is the last owner of Acme PR" in removed.content.decode()
    assert "is the last owner of Acme PR" in left.content.decode()
    assert roles() == before


def test_a_viewer_leaves_the_workspace(viewer_client, workspace, owner, roles):
    response = viewer_client.post(reverse("workspace_leave", args=[workspace.pk]))

    assert response.status_code == 302
    assert roles() == {"owner@example.com": Role.OWNER}


def test_owner_transfers_the_ownership_and_stays_as_editor(owner_client, workspace, viewer, membership_of, roles):
    response = owner_client.post(
        reverse("workspace_transfer", args=[workspace.pk]), {"transfer-membership": membership_of(viewer).pk}
    )

    assert response.status_code == 302
    assert roles() == {"owner@example.com": Role.EDITOR, "viewer@example.com": Role.OWNER}


def test_ownership_cannot_go_to_a_member_of_another_workspace(owner_client, workspace, owner, outsider, roles):
    foreign = Membership.objects.get(user=outsider)
    before = roles()

    url = reverse("workspace_transfer", args=[workspace.pk])

    response = owner_client.post(url, {"transfer-membership": foreign.pk})

    assert response.status_code == 400
    assert roles() == before
    foreign.refresh_from_db()
    assert foreign.role == Role.OWNER and foreign.workspace_id != workspace.pk


def test_membership_ids_of_another_workspace_answer_404_in_role_and_remove(owner_client, workspace, owner, outsider):
    foreign = Membership.objects.get(user=outsider)

    role = owner_client.post(reverse("member_role", args=[workspace.pk, foreign.pk]), {"role": Role.VIEWER})
    remove = owner_client.post(reverse("member_remove", args=[workspace.pk, foreign.pk]))

    assert (role.status_code, remove.status_code) == (404, 404)
    foreign.refresh_from_db()
    assert foreign.role == Role.OWNER


def test_an_owner_of_two_workspaces_cannot_reach_one_through_the_other(owner_client, owner, workspace, outsider):
    """Own workspace in the URL, a membership of another workspace the user also owns: still refused."""
    foreign = Membership.objects.get(user=outsider)
    MembershipFactory(workspace=foreign.workspace, user=owner, role=Role.OWNER)

    response = owner_client.post(reverse("member_remove", args=[workspace.pk, foreign.pk]))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_editor_and_viewer_cannot_change_roles_remove_or_transfer(
    client, workspace, owner, editor, viewer, membership_of, roles
):
    before = roles()
    target = membership_of(owner).pk
    for user in (editor, viewer):
        client.force_login(user)
        role = client.post(reverse("member_role", args=[workspace.pk, target]), {"role": Role.VIEWER})
        assert role.status_code == 403
        assert client.post(reverse("member_remove", args=[workspace.pk, target])).status_code == 403
        transfer = client.post(reverse("workspace_transfer", args=[workspace.pk]), {"transfer-membership": target})
        assert transfer.status_code == 403
    assert roles() == before
