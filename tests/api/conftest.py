"""Tokens for the personas, a client that sends one, and a cache of each test's own (for the rate limits)."""

import copy
import uuid

import pytest
from rest_framework.test import APIClient

from influence.apitokens.tokens import create_token
from tests.security.world import build_world


def token_client(user, workspace=None, can_write=True, **options) -> APIClient:
    secret = create_token(user, "test", workspace=workspace, can_write=can_write, **options).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Rate counters in the shared Redis start from zero in each test (pytest-django undoes the change)."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"{caches['default'].get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches


@pytest.fixture
def world(db):
    """The security tests' world: the personas' workspace with every kind of object, and another workspace."""
    return build_world()


@pytest.fixture
def owner_api(owner):
    return token_client(owner)


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def viewer_api(viewer):
    return token_client(viewer)


@pytest.fixture
def outsider_api(outsider):
    return token_client(outsider)
