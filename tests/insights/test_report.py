"""The client report (/r/<token>/) shows the subject's insights, without the accounts' handles."""

import pytest
from django.test import Client

from influence.sharing import links

pytestmark = pytest.mark.django_db


def test_the_shared_report_shows_the_effects_projections_and_unusual_days(subject, owner, story):
    link = links.create_link(subject, owner, days=30)
    response = Client().get(links.link_path(link))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What moved the online numbers" in page
    assert "Keynote “DataConf keynote”" in page and "x the usual daily gain" in page
    assert "Keynotes: median" in page and "over 1 keynote" in page
    change = response.context["report"].insights.anomalies[0]
    assert change.startswith("Mastodon followers +5,") and change.endswith(f"on {story['spike'].isoformat()}: unusual")
    assert change in page
    assert "Projections" in page and "Mastodon followers" in page
    assert "jane@example.social" not in page


def test_a_report_without_history_has_no_insights_section(subject, owner):
    link = links.create_link(subject, owner, days=30)
    page = Client().get(links.link_path(link)).content.decode()
    assert "What moved the online numbers" not in page
