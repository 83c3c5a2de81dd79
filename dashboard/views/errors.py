"""The error pages (400, 403, 404, 500) in the product's look, with the navigation when the
visitor is logged in. A 403 shows the reason the code gave ("Viewers cannot change anything in
this workspace."); a 404 never says whether the object exists elsewhere. Under /api/ the
same errors answer in the API's JSON shape.

The 500 page is rendered with the request when that still works, and without it (no
navigation, nothing read from the database) when the failure is what broke the first try.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template import loader

from dashboard.views import security
from influence.core.twofactor import TwoFactorRequired

logger = logging.getLogger(__name__)

BAD_REQUEST = "The request could not be understood. Go back and try again."
NOT_FOUND = (
    "There is nothing here, or it is not yours to see. Check the address, or start again from your subjects."
)
FORBIDDEN = "You are not allowed to do that here."
SERVER_ERROR = (
    "Something went wrong on our side and the page could not be shown. "
    "Nothing you saved is lost; try again in a moment."
)


CSRF_FAILED = (
    "This form had expired or came from another site, so nothing was saved. "
    "Go back, reload the page and send it again."
)
API_CODES = {400: "parse_error", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        error = {"code": API_CODES[status], "message": message, "details": {}}
        return JsonResponse({"error": error}, status=status)
    context = {"status": status, "title": title, "message": message}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400, "Bad request", BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    if isinstance(exception, TwoFactorRequired):
        return security.two_factor_required(request, exception)
    # PermissionDenied carries the sentence the permission check wrote for people.
    reason = str(exception) or FORBIDDEN
    return _page(request, 403, "Not allowed", reason)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, "Form expired", CSRF_FAILED)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404, "Page not found", NOT_FOUND)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500, "Something went wrong", SERVER_ERROR)
    except Exception:
        logger.exception("The 500 page could not use the request; rendered without it.")
        context = {"status": 500, "title": "Something went wrong", "message": SERVER_ERROR}
        return HttpResponse(loader.render_to_string("errors/error.html", context), status=500)
