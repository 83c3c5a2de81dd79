"""This week's email on the weekly email page: a preview in a frame, and "send it to me now",
which never counts as the week's email and is limited to a few an hour."""

import pytest

from influence.core.models import Digest
from tests.digests.conftest import give_history
from tests.factories import SubjectFactory
from tests.support.cache import use_own_cache

pytestmark = pytest.mark.django_db

PAGE, PREVIEW = "/settings/email/", "/settings/email/preview/"


def test_the_page_frames_a_preview_of_this_weeks_email_with_its_charts_inline(owner_client, subject):
    give_history(subject)
    page = owner_client.get(PAGE).text
    assert f'<iframe class="email-preview" src="{PREVIEW}"' in page

    response = owner_client.get(PREVIEW)
    assert response.status_code == 200
    html = response.text
    assert subject.name in html
    assert "cid:" not in html and "data:image/png;base64,iVBORw0KGgo" in html
    # Framed by our own page only; the email's inline styles allowed, scripts not at all.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src" not in policy and "default-src 'none'" in policy


def test_without_a_subject_the_preview_says_there_is_no_email(outsider_client):
    assert "there is no email to send" in outsider_client.get(PREVIEW).text


def test_send_it_now_sends_this_weeks_email_without_claiming_the_week(owner_client, owner, subject, smtp_inbox):
    give_history(subject)
    SubjectFactory(workspace=subject.workspace, name="Second client")

    response = owner_client.post(PAGE, {"action": "send_now"}, follow=True)

    assert "on its way to" in response.text
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == owner.email
    assert subject.name in message.get_body(("html",)).get_content()
    assert not Digest.objects.exists()  # the scheduled email of this week still goes out


def test_send_it_now_is_limited_to_three_an_hour(owner_client, subject, smtp_inbox, settings):
    use_own_cache(settings)
    give_history(subject)
    for _ in range(3):
        owner_client.post(PAGE, {"action": "send_now"})
    response = owner_client.post(PAGE, {"action": "send_now"}, follow=True)

    assert "Sent enough for now" in response.text
    assert len(smtp_inbox.wait_for(3)) == 3
