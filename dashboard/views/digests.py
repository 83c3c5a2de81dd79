from django.shortcuts import render


def preferences(request):
    return render(request, "digests/preferences.html", {})
