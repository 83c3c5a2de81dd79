"""Every operation of the schema, tried with another workspace's ids and with a viewer's token.

The paths come from the live schema (/api/v1/schema/), so a new endpoint is
checked without being listed here; its ids are filled in from the world's
objects by the name of the path's first segment.
"""

import pytest
import yaml
from rest_framework.test import APIClient

from influence.core.models import Account, Activity, Subject
from tests.api.conftest import token_client
from tests.security.world import database_state as _database_state

WRITES = ("post", "put", "patch", "delete")


def database_state() -> dict:
    """The domain's rows, but the tokens' (their last use moves with every request)."""
    state = _database_state()
    state.pop("AccessToken")
    return state


def _operations() -> list[tuple[str, str]]:
    schema = yaml.safe_load(APIClient().get("/api/v1/schema/").content)
    return [
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", *WRITES)
    ]


def _fill(path: str, subject, account, activity, day) -> str:
    """The path with the objects' ids: an account's operations take an account, and so on."""
    resource = path.removeprefix("/api/v1/").split("/")[0]
    pk = {"subjects": subject.pk, "accounts": account.pk, "activities": activity.pk}.get(resource)
    return path.replace("{id}", str(pk)).replace("{day}", day)


def _body(path: str, world) -> dict:
    """A body valid in every respect but permission, so that the answer is about permission alone."""
    if path.endswith("/subjects/"):
        return {"workspace": world.workspace.pk, "name": "Someone new"}
    if path.endswith("/activities/bulk/"):
        return {"activities": [{"kind": "talk", "title": "Bulk talk", "date": "2026-01-10"}]}
    if "/activities/" in path:
        return {"kind": "talk", "title": "A new talk", "date": "2026-01-10"}
    if path.endswith("/counts/"):
        return {"day": "2026-01-10", "counts": {"followers": 10}}
    if path.endswith("/accounts/"):
        return {"network": "manual", "handle": "Jane on X", "label": "X"}
    return {"name": "Renamed"}


@pytest.fixture
def api_world(world):
    world.manual = Account.objects.filter(subject=world.subject, network="manual").get()
    return world


def test_the_schema_lists_the_operations_it_should(db):
    operations = _operations()
    assert len(operations) >= 18
    assert ("/api/v1/subjects/{id}/activities/bulk/", "post") in operations


def test_outsiders_token_gets_404_for_every_object_of_another_workspace(api_world):
    world = api_world
    client = token_client(world.users["outsider"])
    before = database_state()
    checked = 0
    for path, method in _operations():
        if "{id}" not in path:
            continue
        for account in (world.account, world.manual):
            url = _fill(path, world.subject, account, world.activity, world.snapshot.day.isoformat())
            response = getattr(client, method)(url, _body(path, world), format="json")
            assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
            assert response.json()["error"]["code"] == "not_found"
            assert world.subject.name not in response.content.decode()
            checked += 1
    assert checked >= 30
    assert database_state() == before


def test_outsider_lists_show_nothing_of_another_workspace(api_world):
    client = token_client(api_world.users["outsider"])
    names = {row["name"] for row in client.get("/api/v1/subjects/").json()["results"]}
    assert names == {"Their subject"}
    assert [w["name"] for w in client.get("/api/v1/workspaces/").json()] == ["Elsewhere"]
    response = client.post(
        "/api/v1/subjects/", {"workspace": api_world.workspace.pk, "name": "Intruder"}, format="json"
    )
    assert response.status_code == 404
    assert not Subject.objects.filter(name="Intruder").exists()


def test_viewers_read_write_token_gets_403_on_every_write(api_world):
    world = api_world
    client = token_client(world.users["viewer"], can_write=True)
    before = database_state()
    checked = 0
    for path, method in _operations():
        if method not in WRITES:
            continue
        account = world.manual if path.endswith("/counts/") else world.account
        url = _fill(path, world.subject, account, world.activity, world.snapshot.day.isoformat())
        response = getattr(client, method)(url, _body(path, world), format="json")
        assert response.status_code == 403, f"{method.upper()} {url}: {response.status_code} {response.content[:200]}"
        assert response.json()["error"]["code"] == "permission_denied"
        checked += 1
    assert checked >= 10
    assert database_state() == before
    # Reading is what a viewer does.
    assert client.get(f"/api/v1/subjects/{world.subject.pk}/activities/").status_code == 200


def test_editors_token_may_write(api_world):
    world = api_world
    client = token_client(world.users["editor"])
    response = client.post(
        f"/api/v1/subjects/{world.subject.pk}/activities/", {"kind": "talk", "title": "Editor's talk",
                                                              "date": "2026-01-10"}, format="json",
    )
    assert response.status_code == 201
    assert Activity.objects.filter(title="Editor's talk", subject=world.subject).exists()
