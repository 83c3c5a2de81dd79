"""The email itself: inline chart, escaping, the same numbers in both parts, links, headers."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.utils import timezone

from influence.core.choices import AccountStatus, Network
from influence.core.models import Digest
from influence.digests import selection, sending
from influence.digests.tasks import retry_digest
from tests.digests.conftest import give_history, parts, send_now
from tests.factories import AccountFactory, ObservationFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_the_html_part_shows_each_chart_inline_by_content_id(owner, subject, smtp_inbox):
    give_history(subject)
    second = SubjectFactory(workspace=subject.workspace, name="Second")
    give_history(second)

    assert len(send_now(owner).sent) == 1
    [message] = smtp_inbox.wait_for(1)

    assert message.get_content_type() == "multipart/related"
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 2
    _, html = parts(message)
    for image in images:
        assert image.get_content_disposition() == "inline"
        assert image.get_content().startswith(b"\x89PNG")
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html


def test_user_text_is_escaped_in_the_html(owner, workspace, smtp_inbox):
    hostile = SubjectFactory(workspace=workspace, name="<script>alert(1)</script>")
    give_history(hostile)

    send_now(owner)
    [message] = smtp_inbox.wait_for(1)
    text, html = parts(message)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The plain-text part is not HTML: the name reads as typed.
    assert "<script>alert(1)</script>" in text
    assert "Press & Co" in text and "Press &amp; Co" in html


def test_the_text_part_has_the_same_numbers_as_the_html(owner, subject, smtp_inbox):
    give_history(subject)

    send_now(owner)
    [message] = smtp_inbox.wait_for(1)
    text, html = parts(message)
    # What the HTML says: its text, and the chart's numbers in its alt text (what a client without images shows).
    body = re.sub(r'<img [^>]*alt="([^"]*)"[^>]*>', r" \1 ", html.split("<body", 1)[1].split(">", 1)[1])
    visible = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))

    def numbers(s):
        return sorted(re.findall(r"[+-]?\d+(?:\.\d+)?", re.sub(r"https?://\S+", "", s)))

    assert numbers(text) == numbers(visible)
    assert len(numbers(text)) > 15  # score, parts, week ago, change, movers, weekly trend, dates
    assert "Score now:" in text and " from online + " in text and "Biggest movers" in text


def test_the_summary_lists_scores_movers_activities_and_accounts_that_need_care(owner, subject, smtp_inbox):
    today = timezone.now().date()
    give_history(subject)
    AccountFactory(subject=subject, network=Network.MASTODON, handle="jane@example.social",
                   status=AccountStatus.FAILING, last_error="HTTP 503 from the instance")
    stale = AccountFactory(subject=subject, network=Network.MANUAL, handle="jane-doe", label="LinkedIn")
    ObservationFactory(account=stale, metric="followers", day=today - dt.timedelta(days=45), value=900)
    fresh = AccountFactory(subject=subject, network=Network.MANUAL, handle="janedoe", label="Instagram")
    ObservationFactory(account=fresh, metric="followers", day=today - dt.timedelta(days=5), value=300)

    send_now(owner)
    [message] = smtp_inbox.wait_for(1)
    text, html = parts(message)

    assert re.search(r"Score now: \d+ · Online \d+ · Offline \d+\r?\n"
                     r"\(\d+ = \d+ from online \+ \d+ from offline\)", text)
    assert re.search(r"A week ago: \d+ \(change [+-]?\d+\)", text)
    assert "Book: The book, Press & Co" in text  # dated 3 days ago
    assert "Opening keynote" not in text  # 20 days ago: not new this week
    assert "  - Mastodon: jane@example.social — Failing: HTTP 503 from the instance\r\n" in text
    assert "LinkedIn: jane-doe (last updated" in text
    assert "Instagram" not in text
    link = f"http://testserver/subjects/{subject.pk}/"
    assert link in text and f'href="{link}"' in html
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    digest = Digest.objects.get(user=owner)
    assert (digest.status, digest.attempts) == ("sent", 1)
    assert digest.sent_at is not None


def test_a_user_without_subjects_gets_no_email_and_no_digest_row(owner, smtp_server, mail_to):
    mail_to(smtp_server)
    result = send_now(owner)

    assert result.sent == [] and result.skipped == [owner.pk]
    assert not Digest.objects.exists()
    assert smtp_server.messages == []


def test_the_sample_story_is_left_out_of_the_email_and_alone_sends_none(owner, subject, smtp_inbox):
    give_history(subject)
    sample = SubjectFactory(workspace=subject.workspace, name="Sample Maya", is_sample=True)
    give_history(sample)
    send_now(owner)
    text, html = parts(smtp_inbox.messages[0])
    assert subject.name in text and subject.name in html
    assert "Sample Maya" not in text and "Sample Maya" not in html

    subject.delete()
    due = selection.due_users(timezone.now() + dt.timedelta(days=8), ignore_schedule=True)
    assert owner.pk not in [d.user_id for d in due]


def test_a_claimed_week_is_sent_once_however_often_it_is_asked(owner, subject, smtp_inbox):
    give_history(subject)

    send_now(owner)
    second = send_now(owner)

    assert second.skipped == [owner.pk]
    assert len(smtp_inbox.wait_for(1)) == 1
    assert Digest.objects.filter(user=owner).count() == 1


def test_a_refused_send_is_recorded_retried_and_given_up_after_the_last_attempt(
    owner, viewer, subject, closed_smtp_port, mail_to, settings
):
    give_history(subject)
    mail_to(closed_smtp_port)
    settings.DIGEST_MAX_ATTEMPTS = 2
    now = timezone.now()
    week = selection.local_week_start(now, selection.zone("UTC"))

    result = sending.send_batch([selection.Due(owner.pk, week), selection.Due(viewer.pk, week)], now)

    # Both claimed, neither taken: each row keeps the reason and waits for its retry.
    assert len(result.refused) == 2 and result.sent == []
    for digest in Digest.objects.all():
        assert (digest.status, digest.attempts) == ("sending", 1)
        assert "Connection refused" in digest.last_error or "ConnectionRefused" in digest.last_error
    digest = Digest.objects.get(user=owner)
    digest_id = digest.pk

    assert retry_digest(digest_id) == "failed"  # the second and last attempt
    digest.refresh_from_db()
    assert (digest.status, digest.attempts) == ("failed", 2)

    closed_smtp_port.start()
    assert retry_digest(digest_id) == "gone"  # a late duplicate of the retry sends nothing
    assert closed_smtp_port.messages == []
    assert selection.due_users(timezone.now(), ignore_schedule=True) == []
