"""One shape for every error: {"error": {"code": ..., "message": ..., "details": {field: [messages]}}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from influence.core.twofactor import TwoFactorRequired

NON_FIELD = "non_field_errors"


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [...], "items.3.date": [...]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and detail and all(isinstance(item, str) for item in detail):
        return {prefix or NON_FIELD: [str(item) for item in detail]}
    if isinstance(detail, list):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD: [str(detail)]}


def exception_handler(exc: Exception, context: dict) -> Any:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such object.")
    elif isinstance(exc, TwoFactorRequired):
        exc = exceptions.PermissionDenied(str(exc), code="two_factor_required")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500, logged
    if isinstance(exc, exceptions.ValidationError):
        details = _flatten(exc.detail)
        code = "invalid"
        message = "Some values are not valid; see the details."
        if list(details) == [NON_FIELD] and len(details[NON_FIELD]) == 1:
            message = details[NON_FIELD][0]
    else:
        assert isinstance(exc, exceptions.APIException)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(exc.detail) if not isinstance(exc.detail, dict | list) else str(exc.default_detail)
        details = {}
    response.data = {"error": {"code": code, "message": message, "details": details}}
    return response


class ErrorBody(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """What every error answers (documented in the schema)."""

    error = ErrorBody()


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/v1/: a 404 in the API's shape rather than the site's HTML page."""
    body = {"error": {"code": "not_found", "message": "There is no such address in the API.", "details": {}}}
    return JsonResponse(body, status=404)
