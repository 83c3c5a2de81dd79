from django.urls import path

from dashboard.views import invitations, me, workspaces

urlpatterns = [
    path("workspaces/", workspaces.workspace_list, name="workspace_list"),
    path("workspaces/new/", workspaces.workspace_create, name="workspace_create"),
    path("workspaces/switch/", workspaces.workspace_switch, name="workspace_switch"),
    path("workspaces/<int:pk>/settings/", workspaces.workspace_settings, name="workspace_settings"),
    path("workspaces/<int:pk>/rename/", workspaces.workspace_rename, name="workspace_rename"),
    path("workspaces/<int:pk>/invitations/", workspaces.workspace_invite, name="workspace_invite"),
    path(
        "workspaces/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        workspaces.invitation_revoke,
        name="invitation_revoke",
    ),
    path("workspaces/<int:pk>/members/<int:member_pk>/role/", workspaces.member_role, name="member_role"),
    path("workspaces/<int:pk>/members/<int:member_pk>/remove/", workspaces.member_remove, name="member_remove"),
    path("workspaces/<int:pk>/transfer/", workspaces.workspace_transfer, name="workspace_transfer"),
    path("workspaces/<int:pk>/leave/", workspaces.workspace_leave, name="workspace_leave"),
    path("invite/<str:token>/", invitations.invitation, name="invitation"),
    # The user's own data; kept with the workspaces as it is about membership and ownership.
    path("me/", me.my_data, name="my_data"),
    path("me/export/", me.my_data_export, name="my_data_export"),
    path("me/delete/", me.my_account_delete, name="my_account_delete"),
]
