"""/healthz: does this process reach its database and its broker?"""

import logging
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection
from kombu.exceptions import KombuError

log = logging.getLogger(__name__)

# A probe must answer before the orchestrator's own timeout gives up on it.
BROKER_TIMEOUT = 3


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        log.warning("health check: database unreachable: %s", error)
        return f"error: {type(error).__name__}"
    return "ok"


def check_broker() -> str:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    broker = Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT, transport_options=options)
    try:
        with broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)
            if broker.transport_cls == "filesystem":
                _check_folders(options)
    except (OSError, KombuError, *broker.connection_errors, *broker.channel_errors) as error:
        log.warning("health check: broker unreachable: %s", error)
        return f"error: {type(error).__name__}"
    return "ok"


def _check_folders(options: dict) -> None:
    # The file-system broker "connects" to anything; what can fail is its folders.
    for key in ("data_folder_in", "data_folder_out"):
        folder = options.get(key)
        if folder and not os.access(folder, os.W_OK):
            raise OSError(f"{key} {folder} is missing or not writable")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponseBase:
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
