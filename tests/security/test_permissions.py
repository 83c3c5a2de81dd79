"""The permission helpers every view looks its objects up through."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from influence.core.choices import Role
from influence.core.permissions import (
    current_membership,
    get_account_for_user,
    get_activity_for_user,
    get_owned_workspace_for_user,
    get_subject_for_user,
    get_workspace_for_user,
    visible_subjects,
)
from tests.factories import AccountFactory, ActivityFactory, MembershipFactory, SubjectFactory, WorkspaceFactory


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def objects(subject):
    return {
        get_subject_for_user: subject.pk,
        get_account_for_user: AccountFactory(subject=subject).pk,
        get_activity_for_user: ActivityFactory(subject=subject).pk,
        get_workspace_for_user: subject.workspace_id,
    }


def test_outsiders_get_404_for_every_kind_of_object(objects, outsider):
    for lookup, pk in objects.items():
        with pytest.raises(Http404):
            lookup(_request(outsider), pk)


def test_viewers_read_but_get_403_on_write(objects, viewer):
    for lookup, pk in objects.items():
        assert lookup(_request(viewer), pk).membership.role == Role.VIEWER
        with pytest.raises(PermissionDenied):
            lookup(_request(viewer), pk, write=True)


def test_editors_write_but_only_owners_pass_the_owner_check(objects, editor, owner, workspace):
    for lookup, pk in objects.items():
        assert lookup(_request(editor), pk, write=True).membership.can_edit
    with pytest.raises(PermissionDenied):
        get_owned_workspace_for_user(_request(editor), workspace.pk)
    assert get_owned_workspace_for_user(_request(owner), workspace.pk).membership.is_owner


def test_a_missing_object_is_404_like_a_foreign_one(owner):
    with pytest.raises(Http404):
        get_subject_for_user(_request(owner), 999999)


def test_memberships_are_looked_up_once_per_request(objects, owner, django_assert_num_queries):
    request = _request(owner)
    get_workspace_for_user(request, objects[get_workspace_for_user])
    with django_assert_num_queries(1):  # the subject itself; the membership is remembered
        get_subject_for_user(request, objects[get_subject_for_user], write=True)
    current_membership(request)
    with django_assert_num_queries(0):
        current_membership(request)


def test_current_membership_is_the_chosen_workspace_else_the_first_by_name(owner, workspace):
    second = WorkspaceFactory(name="Zeta")
    MembershipFactory(workspace=second, user=owner, role=Role.VIEWER)
    assert current_membership(_request(owner)).workspace == workspace

    owner.current_workspace = second
    owner.save()
    assert current_membership(_request(owner)).workspace == second


def test_visible_subjects_are_those_of_the_users_workspaces(subject, owner, outsider):
    SubjectFactory(name="Foreign")
    assert list(visible_subjects(owner)) == [subject]
    assert list(visible_subjects(outsider)) == []
