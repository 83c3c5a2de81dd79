"""The site the dashboard benchmark serves with gunicorn: the product's settings and URLs,
plus one trivial view (the floor a page's requests per second are compared with)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.dashboard_site")

from influence.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.dashboard_site"


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def _urls():
    from django.urls import include, path

    return [path("bench/trivial/", trivial), path("", include("influence.urls"))]


def __getattr__(name):
    # urlpatterns are built on first use, after settings are configured.
    if name == "urlpatterns":
        return _urls()
    raise AttributeError(name)


def application(environ, start_response):
    global _app
    if "_app" not in globals():
        from django.core.wsgi import get_wsgi_application

        _app = get_wsgi_application()
    return _app(environ, start_response)
