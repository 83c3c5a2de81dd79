"""The demo tells the insights' story: a keynote with a visible effect, a flagged jump, projections."""

import datetime as dt

import pytest

from influence.core.models import Subject
from influence.insights import load
from tests.support.demo import DEMO_DAY

TODAY = DEMO_DAY


def insights_of(seeded_demo, name):
    return load(Subject.objects.get(workspace=seeded_demo.workspace, name=name).pk, TODAY)


@pytest.mark.django_db
def test_a_keynote_of_the_demo_has_a_visible_effect_and_leads_its_kind(seeded_demo):
    insights = insights_of(seeded_demo, "Maya Chen")
    strongest = insights.effects[0]
    titles = [insights.activities[pk]["title"] for pk in strongest.effect.group.ids]
    assert titles in (["Reputation is a long game"], ["What the press wants now"])
    keynote_ratios = [
        e.effect.ratio for e in insights.effects
        if insights.activities.get(e.effect.group.ids[0], {}).get("title") == "Reputation is a long game"
    ]
    assert max(r for r in keynote_ratios if r is not None) >= 2
    [keynotes] = [k for k in insights.kinds if k.kind == "keynote"]
    assert keynotes.median_ratio >= 2


@pytest.mark.django_db
def test_the_demo_flags_sams_github_jump_and_projects_the_main_accounts(seeded_demo):
    sam = insights_of(seeded_demo, "Dr. Sam Okafor")
    [jump] = [a for a in sam.anomalies if sam.networks[a.account] == "GitHub"]
    assert jump.anomaly.day == TODAY - dt.timedelta(days=5) and jump.anomaly.kind == "spike"
    assert jump.anomaly.change > 400
    maya = insights_of(seeded_demo, "Maya Chen")
    projected = {(maya.networks[account], metric) for (account, metric), _ in maya.projections}
    assert {("Mastodon", "followers"), ("Bluesky", "followers"), ("YouTube", "subscribers")} <= projected
