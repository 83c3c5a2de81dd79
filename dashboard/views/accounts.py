from django.shortcuts import render

from influence.core.permissions import get_workspace_for_user


def workspace_credentials(request, pk):
    workspace = get_workspace_for_user(request, pk, owner=True)
    return render(request, "accounts/credentials.html", {"workspace": workspace})
