from django.shortcuts import render

from influence.core.permissions import get_workspace_for_user


def workspace_scoring(request, pk):
    workspace = get_workspace_for_user(request, pk)
    return render(request, "scoring/parameters.html", {"workspace": workspace})
