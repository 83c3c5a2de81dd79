"""The API against its own live OpenAPI schema, with generated requests (schemathesis).

A read-write owner's token on a seeded workspace sends every operation many
generated requests, half of them aimed at the seeded objects' real ids: no
answer may be a server error, and every answer (status, content type, body,
headers) must be one the schema documents.
"""

import zlib

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from influence.apitokens.tokens import create_token
from tests.security.world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 30
calls: dict[str, int] = {}


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests through the WSGI handler, in the test's transaction: the handler would close the
    database connection at the end of each request (the test client holds the same signal back)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_settings(wsgi_in_test_transaction, settings):
    # The "add account" check would reach the networks: point them at a closed local port.
    settings.COLLECT_CHECK_TIMEOUT = 0.5
    for name in ("GITHUB_API_URL", "BLUESKY_API_URL", "STACKEXCHANGE_API_URL", "HACKERNEWS_API_URL", "REDDIT_URL",
                 "OPENALEX_API_URL", "WIKIMEDIA_API_URL", "YOUTUBE_API_URL"):
        setattr(settings, name, "http://127.0.0.1:9")
    settings.API_RATE_LIMIT = "100000/min"


@pytest.fixture
def seeded(api_settings):
    world = build_world()
    world.secret = create_token(world.users["owner"], "conformance", can_write=True).secret
    return world


# The schema as the site serves it (read once, when the tests are collected).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


def _aim_at_seeded_objects(case, world) -> None:
    """Half the cases use the seeded objects' ids (else almost every generated id is a 404)."""
    params = case.path_parameters or {}
    if "id" not in params or zlib.crc32(repr(case.body).encode()) % 2:
        return
    resource = case.path.removeprefix("/api/v1/").split("/")[0]
    ids = {"subjects": world.subject.pk, "accounts": world.manual_account.pk, "activities": world.activity.pk}
    params["id"] = ids.get(resource, params["id"])
    if "day" in params:
        params["day"] = world.snapshot.day.isoformat()


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_answer_conforms_to_the_schema(case, seeded):
    _aim_at_seeded_objects(case, seeded)
    calls[case.operation.label] = calls.get(case.operation.label, 0) + 1
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded.secret}"}, checks=CHECKS)


def test_generated_cases_were_counted():
    """Runs last in this module: prints how many operations and generated requests were tried."""
    if calls:
        print(f"\nschema conformance: {len(calls)} operations, {sum(calls.values())} generated requests")
