"""A weekly email of bounded size whatever the workspace: ten full sections at most, the rest in
one line of counts, the whole message under 300 KB, and the same queries for 10 or 10,000 subjects."""

import datetime as dt
import email
import email.policy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from influence.core.choices import AccountStatus, ActivityKind, Network, Role
from influence.core.models import Account, Activity, Digest, ScoreSnapshot, Subject
from influence.digests import content, selection, sending
from influence.digests import message as email_message
from influence.scoring import latest
from tests.digests.conftest import give_history
from tests.factories import MembershipFactory, SubjectFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

CAP = 300_000


def week_of(user, now):
    return selection.local_week_start(now, selection.zone(user.time_zone))


def build(user, max_bytes=email_message.MAX_MESSAGE_BYTES):
    """The user's message built as a batch builds it, with the queries it took."""
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        data = content.DigestData([user], now)
        message = email_message.build_message(user, week_of(user, now), data, max_bytes=max_bytes)
    return message, len(queries.captured_queries)


def parts(message):
    """The text and HTML parts of the message as sent."""
    sent = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    return sent.get_body(preferencelist=("plain",)).get_content(), sent.get_body(preferencelist=("html",)).get_content()


def section_names(text):
    return [line.removeprefix("==== ").rsplit(" (", 1)[0] for line in text.splitlines() if line.startswith("==== ")]


def images(message):
    return [part["Content-ID"].strip("<>") for part in message.attachments]


def seed_scores(subject_changes, today):
    """Snapshots over two weeks: each subject's total moves by its change a week ago."""
    rows = []
    for subject, change in subject_changes:
        for offset in range(15):
            day = today - dt.timedelta(days=offset)
            total = 50.0 + (change if offset < 7 else 0)
            rows.append(ScoreSnapshot(subject=subject, day=day, total=total, online=total / 2, offline=total / 2,
                                      online_points=10, offline_points=10, model_version="test"))
    ScoreSnapshot.objects.bulk_create(rows)
    latest.refresh(subject.pk for subject, _ in subject_changes)


def failing_account(subject, error="HTTP 503 from the instance"):
    return Account(subject=subject, network=Network.MASTODON, handle=f"h{subject.pk}", status=AccountStatus.FAILING,
                   last_error=error)


def test_ten_thousand_subjects_give_ten_sections_and_one_line_under_300_kb_in_the_same_queries(owner, workspace):
    today = timezone.now().date()
    # A small workspace first: the queries of its email are the yardstick.
    small_owner = UserFactory(email="small@example.com")
    small = WorkspaceFactory(name="Small")
    MembershipFactory(workspace=small, user=small_owner, role=Role.OWNER)
    seed_scores([(SubjectFactory(workspace=small, name=f"Small {i}"), i) for i in range(10)], today)
    small_message, small_queries = build(small_owner)
    small_text, _ = parts(small_message)
    assert len(section_names(small_text)) == 10 and "more:" not in small_text

    subjects = Subject.objects.bulk_create(
        [Subject(workspace=workspace, name=f"Client {i:05d}") for i in range(10_000)]
    )
    # A sample with scores over two weeks: 10 big movers, a tie at the edge, and small moves.
    movers = [(subjects[i], change) for i, change in
              enumerate([30, -29, 28, -27, 26, -25, 24, -23, 22])]  # nine clear winners
    tie = [(subjects[100], -21), (subjects[99], 21)]  # same size of move: the name decides (Client 00099)
    small_moves = [(subjects[200 + i], change) for i, change in enumerate([5, 4, -3, 2, 0, 1, -1, -2, 7, 0])]
    seed_scores(movers + tie + small_moves, today)
    top_failing = failing_account(subjects[0])
    Account.objects.bulk_create([top_failing] + [failing_account(subjects[5000 + i]) for i in range(3)]
                                + [failing_account(subjects[100])])

    message, queries = build(owner)
    text, html = parts(message)

    size = email_message.message_size(message)
    assert size < CAP
    assert queries == small_queries
    # The ten that moved most, in the list's order (by name), and the charts of those alone.
    assert section_names(text) == [f"Client {i:05d}" for i in [*range(9), 99]]
    assert len(images(message)) == 10
    # Over the rest: up = 5, 4, 2, 1, 7; down = -21 (the tie's loser), -3, -1, -2; failing: three
    # untouched subjects and the tie's loser (the top subject's failing account is in its section).
    line = "and 9,990 more: 5 up, 4 down, 4 with failing accounts"
    assert f"{line}: http://testserver/" in text
    assert f'<a href="http://testserver/" style="color:#2f5bd3">{line}</a>' in html


def test_ten_subjects_or_fewer_all_get_a_full_section_and_no_rest_line(owner, workspace, smtp_inbox):
    names = ["Ada", "Grace", "Linus"]
    for name in names:
        give_history(SubjectFactory(workspace=workspace, name=name))

    now = timezone.now()
    assert len(sending.send_batch([selection.Due(owner.pk, week_of(owner, now))], now).sent) == 1
    [message] = smtp_inbox.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()

    assert section_names(text) == names
    assert " more:" not in text


def test_the_rest_line_reaches_the_inbox_in_both_parts(owner, workspace, smtp_inbox):
    today = timezone.now().date()
    subjects = [SubjectFactory(workspace=workspace, name=f"Person {i:02d}") for i in range(12)]
    seed_scores([(s, 12 - i) for i, s in enumerate(subjects)], today)  # Person 10 and 11 moved least
    Account.objects.bulk_create([failing_account(subjects[11])])

    now = timezone.now()
    sending.send_batch([selection.Due(owner.pk, week_of(owner, now))], now)
    [message] = smtp_inbox.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()

    assert section_names(text) == [f"Person {i:02d}" for i in range(10)]
    assert "and 2 more: 2 up, 0 down, 1 with failing accounts: http://testserver/" in text
    assert ">and 2 more: 2 up, 0 down, 1 with failing accounts</a>" in html


def hostile_subject(workspace, index, today):
    """A subject whose section is as large as user text can make it: long names of characters
    HTML must escape, ten failing accounts with long errors, ten activities this week."""
    subject = Subject.objects.create(workspace=workspace, name=f"{index:02d} " + "&<>" * 32)
    Account.objects.bulk_create([
        Account(subject=subject, network=Network.MANUAL, label="&" * 100, handle=f"{n}" + "<" * 290,
                status=AccountStatus.FAILING, last_error="&" * 200)
        for n in range(12)
    ])
    Activity.objects.bulk_create([
        Activity(subject=subject, kind=ActivityKind.TALK, title="&" * 200, venue="<" * 200, date=today, audience=10)
        for _ in range(12)
    ])
    return subject


def test_a_message_that_would_pass_300_kb_drops_charts_then_sections_and_counts_them_in_the_rest(owner, workspace):
    today = timezone.now().date()
    subjects = [hostile_subject(workspace, i, today) for i in range(10)]
    seed_scores([(s, 10 - i) for i, s in enumerate(subjects)], today)

    message, _ = build(owner)
    text, html = parts(message)

    assert email_message.message_size(message) < CAP
    shown = section_names(text)
    assert 0 < len(shown) < 10
    assert images(message) == []  # the charts went first
    dropped = 10 - len(shown)
    assert f"and {dropped} more: {dropped} up, 0 down, {dropped} with failing accounts" in text
    # Lists stop at ten lines and say how many more there are.
    assert "  - and 2 more\n" in text and "<li>and 2 more</li>" in html


def test_the_last_sections_lose_their_chart_first(owner, workspace):
    today = timezone.now().date()
    subjects = [SubjectFactory(workspace=workspace, name=f"Person {i}") for i in range(3)]
    seed_scores([(s, 1) for s in subjects], today)
    full, _ = build(owner)
    assert len(images(full)) == 3

    # A little less than it took (the Date and Message-ID headers vary by a few bytes; a chart is far larger).
    trimmed, _ = build(owner, max_bytes=email_message.message_size(full) - 100)

    text, html = parts(trimmed)
    assert section_names(text) == ["Person 0", "Person 1", "Person 2"]
    kept = images(trimmed)
    assert len(kept) == 2 and f"chart-{subjects[2].pk}-" not in " ".join(kept)
    assert f"cid:chart-{subjects[2].pk}-" not in html
    assert email_message.message_size(trimmed) < email_message.message_size(full)


def test_a_message_that_cannot_fit_is_never_sent_and_the_week_fails_with_the_reason(owner, subject, smtp_inbox,
                                                                                    monkeypatch):
    give_history(subject)
    monkeypatch.setattr(email_message, "MAX_MESSAGE_BYTES", 2_000)  # less than the frame of any email

    now = timezone.now()
    result = sending.send_batch([selection.Due(owner.pk, week_of(owner, now))], now)

    assert result.sent == [] and len(result.failed) == 1
    digest = Digest.objects.get(user=owner)
    assert digest.status == "failed" and "MessageTooLarge" in digest.last_error
    assert smtp_inbox.messages == []


def test_the_email_covers_the_picked_subjects_only(owner, workspace):
    ada, grace, linus = (SubjectFactory(workspace=workspace, name=n) for n in ["Ada", "Grace", "Linus"])
    for subject in (ada, grace, linus):
        give_history(subject)
    owner.digest_subjects.set([ada, linus])

    message, _ = build(owner)
    text, _ = parts(message)

    assert section_names(text) == ["Ada", "Linus"]
    assert " more:" not in text


def test_a_picked_subject_the_user_can_no_longer_see_is_ignored(owner, workspace):
    ada = SubjectFactory(workspace=workspace, name="Ada")
    give_history(ada)
    elsewhere = SubjectFactory(workspace=WorkspaceFactory(name="Left"), name="Hidden")
    owner.digest_subjects.set([elsewhere])

    data = content.DigestData([owner], timezone.now())

    # Nothing picked that they can see: all they can see, and never the hidden one.
    assert [s.name for s in data.full_subjects_of(owner.pk)] == ["Ada"]
    owner.digest_subjects.add(ada)
    data = content.DigestData([owner], timezone.now())
    assert [s.name for s in data.full_subjects_of(owner.pk)] == ["Ada"]


def test_the_weeks_change_counts_from_the_latest_snapshot_as_the_home_page_does(owner, workspace):
    today = timezone.now().date()
    # Today's snapshot has not run yet: the latest is yesterday's, and a week before it, 8 days ago.
    moved = SubjectFactory(workspace=workspace, name="Moved")
    ScoreSnapshot.objects.bulk_create([
        ScoreSnapshot(subject=moved, day=today - dt.timedelta(days=offset), total=55.0 if offset < 8 else 50.0,
                      online=25, offline=25, online_points=10, offline_points=10, model_version="test")
        for offset in range(1, 16)
    ])
    latest.refresh([moved.pk])
    still = [SubjectFactory(workspace=workspace, name=f"Still {i:02d}") for i in range(10)]
    seed_scores([(s, 0) for s in still], today)

    message, _ = build(owner)
    text, _ = parts(message)

    assert "Moved" in section_names(text)  # the only one that moved: ranked first
    assert "A week ago: 50 (change +5)" in text
    assert "and 1 more: 0 up, 0 down, 0 with failing accounts" in text


def test_the_ten_that_moved_most_are_read_from_the_kept_change_for_every_user_of_a_workspace_at_once(
    owner, workspace
):
    today = timezone.now().date()
    subjects = [SubjectFactory(workspace=workspace, name=f"Person {i:02d}") for i in range(14)]
    seed_scores([(s, i - 7) for i, s in enumerate(subjects)], today)  # -7 .. +6
    colleagues = [UserFactory() for _ in range(2)]
    for user in colleagues:
        MembershipFactory(workspace=workspace, user=user, role=Role.VIEWER)

    with CaptureQueriesContext(connection) as alone:
        content.DigestData([owner], timezone.now())
    with CaptureQueriesContext(connection) as together:
        data = content.DigestData([owner, *colleagues], timezone.now())

    assert len(together.captured_queries) == len(alone.captured_queries)
    moved = [q["sql"] for q in together.captured_queries if "ABS(COALESCE" in q["sql"]]
    assert len(moved) == 1 and "core_scoresnapshot" not in moved[0]
    for user in (owner, *colleagues):
        # Moved 7, 6, 6, 5, 5, 4, 4, 3, 3, then of the two that moved 2 the first by name; by name.
        assert [s.name for s in data.full_subjects_of(user.pk)] == [
            f"Person {i:02d}" for i in (0, 1, 2, 3, 4, 5, 10, 11, 12, 13)
        ]
        assert data.rest_of(user.pk, {s.pk for s in data.full_subjects_of(user.pk)}).line == (
            "and 4 more: 2 up, 1 down, 0 with failing accounts"
        )
