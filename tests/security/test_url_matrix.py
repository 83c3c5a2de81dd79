"""Every URL of the project, tried by every persona, against the table in url_matrix.py.

The URLs come from the resolver, not from a list: a new URL without a row in
the table fails here, naming it. Refused requests (login redirects, 403, 404,
405) are also shown to have changed nothing in the database. Requests of the
roles that may change data run inside a savepoint rolled back afterwards, so
every persona meets the same world.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.url_matrix import LOGIN, TABLE
from tests.security.world import PERSONAS, database_state

SKIPPED_PREFIXES = ("admin/", "static/", "media/")


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, name


def project_urls() -> list[tuple[str, str | None]]:
    return list(_walk(get_resolver().url_patterns))


URL_NAMES = sorted({name or f"<unnamed {route}>" for route, name in project_urls()})


def test_every_url_of_the_project_has_a_row_in_the_matrix():
    unnamed = [route for route, name in project_urls() if not name]
    missing = [name for name in URL_NAMES if name not in TABLE and not name.startswith("<unnamed")]
    stale = sorted(set(TABLE) - set(URL_NAMES))
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    assert not missing, f"URLs without a row in tests/security/url_matrix.py: {missing}"
    assert not stale, f"Rows in tests/security/url_matrix.py for URLs that no longer exist: {stale}"


def _clients(world) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for persona in PERSONAS[1:]:
        clients[persona] = Client()
        clients[persona].force_login(world.users[persona])
    return clients


def _check(response, expected, persona: str, method: str, name: str, url: str) -> None:
    where = f"{method} {url} ({name}) as {persona}"
    if expected == LOGIN:
        login = reverse("account_login")
        assert response.status_code == 302, f"{where}: {response.status_code}, expected a redirect to log in"
        assert response["Location"].startswith(f"{login}?next="), f"{where}: redirected to {response['Location']}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"


def _refused(expected) -> bool:
    return expected == LOGIN or expected in (400, 401, 403, 404, 405, 410)


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n in TABLE])
def test_url_answers_every_persona_as_its_row_says(name, world):
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(world))
    clients = _clients(world)

    # A refused GET changes nothing: one look at the database before and after all of them.
    before = database_state()
    for persona in PERSONAS:
        if _refused(row.get[persona]):
            _check(clients[persona].get(url), row.get[persona], persona, "GET", name, url)
    assert database_state() == before, f"a refused GET {url} ({name}) changed data"
    for persona in PERSONAS:
        if not _refused(row.get[persona]):
            _check(clients[persona].get(url), row.get[persona], persona, "GET", name, url)

    if row.post is None:
        # Not a form; still, a POST from a stranger a POST from a stranger must not get further than the login page.
        if row.get["anonymous"] == LOGIN:
            _check(clients["anonymous"].post(url), LOGIN, "anonymous", "POST", name, url)
            assert database_state() == before, f"an anonymous POST {url} ({name}) changed data"
        return
    data = row.data(world)
    before = database_state()
    for persona in PERSONAS:
        expected = row.post[persona]
        with transaction.atomic():
            response = clients[persona].post(url, data)
            changed = _refused(expected) and database_state() != before
            transaction.set_rollback(True)
        _check(response, expected, persona, "POST", name, url)
        assert not changed, f"POST {url} ({name}) as {persona} was refused but changed data"
