"""Client reports: a share link opens one subject's report to anyone, and nothing else of its workspace."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from influence.core.models import ShareLink
from influence.scoring.snapshots import compute_snapshot
from influence.sharing import links
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory, SubjectFactory


@pytest.fixture
def shared(workspace, subject, owner):
    """Jane Doe with a score, a talk with private notes, and a colleague subject in the same workspace."""
    today = timezone.now().date()
    ObservationFactory(account=AccountFactory(subject=subject, handle="janedoe"), value=2000, day=today)
    ActivityFactory(subject=subject, kind="keynote", title="Keynote at PyCon", notes="Fee: 4,000 EUR, confidential",
                    date=today - dt.timedelta(days=20), audience=800)
    compute_snapshot(subject.pk, today)
    other = SubjectFactory(workspace=workspace, name="Zed Competitor")
    ActivityFactory(subject=other, title="Zed's secret launch")
    return links.create_link(subject, owner, days=30)


def test_the_report_shows_that_subject_and_nothing_else_of_the_workspace(shared):
    response = Client().get(links.link_path(shared))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jane Doe" in page
    assert "Keynote at PyCon" in page
    assert "Online" in page and "Offline" in page
    report = response.context["report"]
    assert report.online_score is not None and report.offline_score is not None
    for absent in ("Fee: 4,000 EUR", "confidential", "Zed Competitor", "Zed's secret launch", "Acme PR",
                   "janedoe", "owner@example.com", "/subjects/", "Log out"):
        assert absent not in page, absent
    assert '<meta name="robots" content="noindex' in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "print.css" in page
    assert ShareLink.objects.get(pk=shared.pk).last_viewed_at is not None


def test_the_report_chart_data_is_that_subjects_series(shared, subject):
    page = Client().get(links.link_path(shared))
    data = Client().get(page.context["series_url"] + "?range=1y").json()
    assert data["days"] == [timezone.now().date().isoformat()]
    assert data["total"][0] > 0
    assert [m["title"] for m in data["markers"]] == ["Keynote at PyCon"]
    assert "Zed" not in str(data)


def test_a_revoked_link_answers_410(shared, owner_client):
    assert owner_client.post(f"/shares/{shared.pk}/revoke/").status_code == 302
    response = Client().get(links.link_path(shared))
    assert response.status_code == 410
    assert "no longer shared" in response.content.decode()
    assert "Jane Doe" not in response.content.decode()
    assert Client().get(links.link_path(shared).rstrip("/") + "/series.json").status_code == 410


def test_an_expired_link_answers_410(shared):
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = Client().get(links.link_path(shared))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_forged_link_answers_404(shared):
    token = links.link_token(shared)
    assert Client().get(f"/r/{token[:-2]}xx/").status_code == 404


def test_a_password_protects_the_report(subject, owner):
    link = links.create_link(subject, owner, days=7, password="open sesame")
    client = Client()
    first = client.get(links.link_path(link))
    assert first.status_code == 403
    assert 'type="password"' in first.content.decode()
    assert "Jane Doe" not in first.content.decode()
    wrong = client.post(links.link_path(link), {"password": "guess"})
    assert wrong.status_code == 403
    assert "not the password" in wrong.content.decode()
    assert 'type="password"' in wrong.content.decode()
    assert client.get(links.link_path(link).rstrip("/") + "/series.json").status_code == 403
    right = client.post(links.link_path(link), {"password": "open sesame"})
    assert right.status_code == 302
    assert client.get(links.link_path(link)).status_code == 200
    # Another visitor still needs it.
    assert Client().get(links.link_path(link)).status_code == 403


def test_password_guesses_are_limited(subject, owner, settings):
    link = links.create_link(subject, owner, days=7, password="open sesame")
    client = Client()
    for _ in range(links.PASSWORD_GUESSES):
        client.post(links.link_path(link), {"password": "guess"})
    refused = client.post(links.link_path(link), {"password": "open sesame"})
    assert refused.status_code == 403
    assert "Too many wrong passwords" in refused.content.decode()


def test_editors_create_links_viewers_get_403_and_outsiders_404(subject, editor_client, viewer, outsider):
    assert editor_client.post(f"/subjects/{subject.pk}/share/", {"days": "30", "password": ""}).status_code == 302
    link = ShareLink.objects.get(subject=subject)
    assert not link.has_password
    assert (link.expires_at - timezone.now()).days in (29, 30)
    for user, status in ((viewer, 403), (outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.post(f"/subjects/{subject.pk}/share/", {"days": "30"}).status_code == status
        assert client.post(f"/shares/{link.pk}/revoke/").status_code == status
    assert ShareLink.objects.filter(subject=subject).count() == 1
    assert ShareLink.objects.get(pk=link.pk).revoked_at is None


def test_a_link_password_is_stored_hashed(subject, owner):
    link = links.create_link(subject, owner, password="open sesame")
    assert "open sesame" not in link.password_hash
    assert link.password_hash.startswith("argon2") or "$" in link.password_hash
