"""The Online and Offline sub-scores through the real pages, endpoints and recompute: adding an offline
activity moves the score, the Offline sub-score and the shares, and never the Online sub-score."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from influence import scoring
from influence.core.models import PendingWork, ScoreSnapshot
from influence.digests.content import DigestData
from influence.scoring.snapshots import today
from influence.scoring.tasks import run_pending_work
from tests.api.conftest import token_client
from tests.dashboard.history import build_history

pytestmark = pytest.mark.django_db


def _headline(html: str) -> str:
    headline = re.search(r'id="score-headline">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", headline)).strip()


def _card(html: str, subject) -> str:
    """The home card's text of `subject`."""
    start = rf'<li class="card subject-card">\s*<h2><a href="/subjects/{subject.pk}/">'
    card = re.search(start + r".*?</li>\s*(?=<li class=\"card|</ul>)", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))


def _shown(client, subject, owner) -> dict:
    page = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    series = client.get(reverse("subject_series", args=[subject.pk]), {"range": "30d"}).json()
    api = token_client(owner).get(reverse("api_subject_score_day", args=[subject.pk, today().isoformat()])).json()
    home = _card(client.get(reverse("home")).content.decode(), subject)
    return {"headline": _headline(page), "series": series, "api": api, "home": home}


def test_an_offline_activity_added_through_the_form_never_moves_the_online_sub_score(
    owner_client, owner, subject, django_capture_on_commit_callbacks
):
    build_history(subject, today(), years=60 / 365, activities_per_year=20)
    before = _shown(owner_client, subject, owner)
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(
            reverse("activity_create", args=[subject.pk]),
            {"kind": "keynote", "title": "DataConf keynote", "date": (today() - dt.timedelta(days=10)).isoformat(),
             "audience": "800"},
        )
    assert response.status_code == 302
    # The recompute the new activity asked for, done as the worker does it.
    (work,) = PendingWork.objects.all()
    run_pending_work(work.pk)
    after = _shown(owner_client, subject, owner)

    # The API's day: the Online sub-score is exactly the same number; the Offline one and the score rose.
    assert after["api"]["online_score"] == before["api"]["online_score"]
    assert after["api"]["offline_score"] > before["api"]["offline_score"]
    assert after["api"]["total"] > before["api"]["total"]
    # The online share fell although nothing online changed: the reason the headline never shows a share.
    assert after["api"]["online_share"] < before["api"]["online_share"]
    # The chart's series over the last 30 days: Online untouched on every day, Offline up from the keynote on.
    assert after["series"]["online_score"] == before["series"]["online_score"]
    assert after["series"]["offline_score"][-1] > before["series"]["offline_score"][-1]
    # The headline and the home card show the same Online number before and after.
    online = round(after["api"]["online_score"])
    assert f"Online {online}" in before["headline"] and f"Online {online}" in after["headline"]
    assert f"Online {online} " in before["home"] and f"Online {online} " in after["home"]
    assert before["headline"] != after["headline"]


def test_the_home_card_and_the_weekly_email_show_the_subject_pages_three_numbers(owner_client, owner, subject):
    build_history(subject, today(), years=60 / 365)
    page = _headline(owner_client.get(reverse("subject_detail", args=[subject.pk])).content.decode())
    total, online, offline = re.fullmatch(r"(\d+) · Online (\d+) · Offline (\d+)", page).groups()
    card = _card(owner_client.get(reverse("home")).content.decode(), subject)
    assert f" {total} " in card and f"Online {online} · Offline {offline}" in card

    data = DigestData([owner], timezone.now())
    (section,) = data.full_sections_of(owner.pk)
    rendered = data.section(section, today(), with_chart=False)
    assert f"Score now: {total} · Online {online} · Offline {offline}" in rendered.text
    latest = ScoreSnapshot.objects.filter(subject=subject).latest("day")
    shown, shares = scoring.display_parts(latest.total, {"online": latest.online, "offline": latest.offline})
    assert f"({shown} = {shares['online']} from online + {shares['offline']} from offline)" in rendered.text
    assert f"Online {online}</span>" in rendered.html and f"Offline {offline}</span>" in rendered.html
