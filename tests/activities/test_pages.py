"""The activity panel on the subject page and the add, edit and delete pages."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from influence.core.models import Activity, PendingWork
from tests.factories import ActivityFactory, SubjectFactory

XSS_TITLE = '<script>alert("title")</script>'
XSS_NOTES = '<img src=x onerror=alert("notes")>\nsecond line'


def page(client, subject, **params) -> str:
    response = client.get(reverse("subject_detail", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_lists_activities_newest_first(viewer_client, subject):
    ActivityFactory(subject=subject, title="Older talk", date=dt.date(2025, 1, 5))
    ActivityFactory(subject=subject, title="Newest talk", date=dt.date(2026, 2, 1))
    ActivityFactory(subject=subject, title="Middle book", kind="book", date=dt.date(2025, 8, 1))
    html = page(viewer_client, subject)
    assert html.index("Newest talk") < html.index("Middle book") < html.index("Older talk")


def test_the_panel_filters_by_kind_and_year(viewer_client, subject):
    ActivityFactory(subject=subject, title="Talk of 2025", date=dt.date(2025, 3, 1))
    ActivityFactory(subject=subject, title="Talk of 2026", date=dt.date(2026, 3, 1))
    ActivityFactory(subject=subject, title="Book of 2026", kind="book", date=dt.date(2026, 4, 1))
    html = page(viewer_client, subject, activity_kind="talk", activity_year="2026")
    assert "Talk of 2026" in html
    assert "Talk of 2025" not in html and "Book of 2026" not in html
    assert '<option value="2025">2025</option>' in html
    html = page(viewer_client, subject, activity_year="2025")
    assert "Talk of 2025" in html and "Talk of 2026" not in html
    html = page(viewer_client, subject, activity_kind="award")
    assert "No activities match this filter." in html


def test_nonsense_filter_values_are_ignored(viewer_client, subject):
    ActivityFactory(subject=subject, title="Still listed")
    html = page(viewer_client, subject, activity_kind="<x>", activity_year="year", activity_page="-4")
    assert "Still listed" in html


def test_the_panel_pages_by_twenty_and_keeps_the_filter_and_other_parameters(viewer_client, subject):
    for n in range(25):
        ActivityFactory(subject=subject, title=f"Talk number {n:02d}", date=dt.date(2025, 1, 1) + dt.timedelta(days=n))
    html = page(viewer_client, subject, activity_kind="talk", range="90")
    assert "Talk number 24" in html and "Talk number 05" in html and "Talk number 04" not in html
    assert "Page 1 of 2 (25 activities)" in html
    assert "?activity_kind=talk&amp;range=90&amp;activity_page=2#activities" in html
    assert '<input type="hidden" name="range" value="90">' in html
    html = page(viewer_client, subject, activity_kind="talk", activity_page="2")
    assert "Talk number 04" in html and "Talk number 05" not in html


def test_the_panel_runs_a_fixed_number_of_queries_however_many_activities(
    subject, owner, django_assert_max_num_queries
):
    ActivityFactory.create_batch(60, subject=subject)
    request = RequestFactory().get("/", {"activity_kind": "talk"})
    request.user = owner
    with django_assert_max_num_queries(5):
        html = Template("{% load activity_tags %}{% activity_panel subject %}").render(
            Context({"request": request, "subject": subject})
        )
    assert html.count("/edit/") == 20


def test_viewers_see_the_list_without_any_way_to_change_it(viewer_client, subject):
    activity = ActivityFactory(subject=subject, title="Visible talk")
    html = page(viewer_client, subject)
    assert "Visible talk" in html
    assert reverse("activity_create", args=[subject.pk]) not in html
    assert reverse("activity_import", args=[subject.pk]) not in html
    assert reverse("activity_edit", args=[activity.pk]) not in html
    assert reverse("activity_delete", args=[activity.pk]) not in html
    assert reverse("activity_export", args=[subject.pk]) in html


@pytest.mark.parametrize("persona", ["owner_client", "editor_client"])
def test_editors_and_owners_get_add_edit_delete_and_import_links(request, persona, subject):
    client = request.getfixturevalue(persona)
    activity = ActivityFactory(subject=subject)
    html = page(client, subject)
    for url in (reverse("activity_create", args=[subject.pk]), reverse("activity_import", args=[subject.pk]),
                reverse("activity_edit", args=[activity.pk]), reverse("activity_delete", args=[activity.pk])):
        assert url in html


def test_adding_is_one_form_with_the_kind_first_and_only_that_kinds_scoring_rule(editor_client, subject):
    subject.workspace.score_parameters = {"bases": {"talk": 7, "book": 1}, "half_lives": {"talk": 200}}
    subject.workspace.save()
    html = editor_client.get(reverse("activity_create", args=[subject.pk])).content.decode()
    form = html.split('id="activity-form"')[1]
    assert form.index('name="kind"') < form.index('name="title"')
    assert '<option value="talk" selected>' in form
    assert "Talk scores 7 points" in html and "halving every 200 days after its date" in html
    assert "Book scores" not in html.split("</form>")[0]
    assert reverse("activity_import", args=[subject.pk]) in html
    html = editor_client.get(reverse("activity_create", args=[subject.pk]), {"kind": "book"}).content.decode()
    assert "Book scores 1 point times" in html


@pytest.mark.parametrize(
    ("kind", "present", "end_hidden"),
    [
        ("talk", ["Event", "Audience (people)", "Talk scores 4 points"], True),
        ("keynote", ["Event", "Keynote scores 6 points"], True),
        ("book", ["Publisher", "Copies sold", "Publication date", "halving every 1095 days"], True),
        ("referral", ["Client referred"], True),
        ("media", ["Outlet", "halving every 180 days"], True),
        ("teaching", ["Start date", "End date (leave empty while it runs)", "in full while it runs"], False),
        ("mentoring", ["Start date", "Mentoring scores 1.5 points"], False),
        ("board", ["Start date", "Organisation"], False),
    ],
)
def test_the_form_fits_the_kind_chosen(editor_client, subject, kind, present, end_hidden):
    html = editor_client.get(reverse("activity_create", args=[subject.pk]), {"kind": kind}).content.decode()
    for text in present:
        assert text in html
    assert f'<option value="{kind}" selected>' in html
    assert ('data-field="end_date" hidden' in html) is end_hidden
    assert 'id="activity-kind-guide" type="application/json"' in html
    assert "js/activity_form.js" in html


def test_an_editor_adds_an_activity_to_the_subject_of_the_url_whatever_is_posted(editor_client, subject, frozen_today):
    other = SubjectFactory(workspace=subject.workspace)
    response = editor_client.post(
        reverse("activity_create", args=[subject.pk]),
        {"kind": "book", "title": "My book", "date": "2026-01-15", "audience": "", "venue": "North Press",
         "subject": other.pk, "subject_id": other.pk},
    )
    assert response.status_code == 302
    assert response.url == reverse("subject_detail", args=[subject.pk]) + "#activities"
    activity = Activity.objects.get()
    assert (activity.subject, activity.kind, activity.title, activity.audience, activity.venue) == (
        subject, "book", "My book", 0, "North Press")
    assert other.activities.count() == 0


def test_an_editor_edits_an_activity(editor_client, subject, frozen_today):
    activity = ActivityFactory(subject=subject, kind="teaching", title="Class", date=dt.date(2026, 1, 1))
    html = editor_client.get(reverse("activity_edit", args=[activity.pk])).content.decode()
    assert 'value="Class"' in html and 'value="2026-01-01"' in html
    response = editor_client.post(
        reverse("activity_edit", args=[activity.pk]),
        {"kind": "teaching", "title": "Evening class", "date": "2026-01-01", "end_date": "2026-06-01",
         "audience": "30", "subject": SubjectFactory().pk},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.subject, activity.title, activity.end_date, activity.audience) == (
        subject, "Evening class", dt.date(2026, 6, 1), 30)


def test_an_end_date_given_to_a_talk_stays_visible_on_its_edit_page(editor_client, subject):
    activity = ActivityFactory(subject=subject, kind="workshop", date=dt.date(2026, 1, 1),
                               end_date=dt.date(2026, 1, 2))
    html = editor_client.get(reverse("activity_edit", args=[activity.pk])).content.decode()
    assert 'data-field="end_date" hidden' not in html
    assert 'value="2026-01-02"' in html


def test_deleting_asks_for_confirmation_first(owner_client, subject):
    activity = ActivityFactory(subject=subject, title="Doomed talk")
    response = owner_client.get(reverse("activity_delete", args=[activity.pk]))
    assert response.status_code == 200
    assert "Delete this activity?" in response.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    response = owner_client.post(reverse("activity_delete", args=[activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_typed_markup_comes_back_escaped_on_the_subject_page_and_the_edit_page(editor_client, subject, frozen_today):
    editor_client.post(
        reverse("activity_create", args=[subject.pk]),
        {"kind": "talk", "title": XSS_TITLE, "date": "2026-01-15", "venue": '"><b>venue</b>', "notes": XSS_NOTES},
    )
    activity = Activity.objects.get()
    assert activity.title == XSS_TITLE
    for html in (page(editor_client, subject),
                 editor_client.get(reverse("activity_edit", args=[activity.pk])).content.decode(),
                 editor_client.get(reverse("activity_delete", args=[activity.pk])).content.decode()):
        assert XSS_TITLE not in html
        assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    subject_html = page(editor_client, subject)
    assert "<img src=x" not in subject_html
    assert "&lt;img src=x onerror=alert(&quot;notes&quot;)&gt;<br>second line" in subject_html
    assert "<b>venue</b>" not in subject_html
    edit_html = editor_client.get(reverse("activity_edit", args=[activity.pk])).content.decode()
    assert "&lt;img src=x onerror=alert(&quot;notes&quot;)&gt;" in edit_html
    assert "<img src=x" not in edit_html


def test_the_success_message_escapes_the_title(editor_client, subject, frozen_today):
    response = editor_client.post(
        reverse("activity_create", args=[subject.pk]),
        {"kind": "talk", "title": XSS_TITLE, "date": "2026-01-15"}, follow=True,
    )
    html = response.content.decode()
    assert XSS_TITLE not in html
    assert "Added “&lt;script&gt;" in html


def test_saving_editing_and_deleting_queue_a_recompute_from_the_earliest_date_touched(
    editor_client, subject, frozen_today, django_capture_on_commit_callbacks
):
    def queued(callbacks):
        """The day the recompute recorded with the change starts from (the record is then cleared)."""
        assert len(callbacks) == 1  # sent once the change commits
        (work,) = PendingWork.objects.filter(kind=PendingWork.Kind.SUBJECT, subject=subject)
        work.delete()
        return work.since.isoformat()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(reverse("activity_create", args=[subject.pk]),
                           {"kind": "talk", "title": "T", "date": "2026-03-01"})
    assert queued(callbacks) == "2026-03-01"
    activity = Activity.objects.get()
    edit = reverse("activity_edit", args=[activity.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(edit, {"kind": "talk", "title": "T", "date": "2026-05-01"})
    assert queued(callbacks) == "2026-03-01"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(edit, {"kind": "talk", "title": "T", "date": "2026-04-01"})
    assert queued(callbacks) == "2026-04-01"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(reverse("activity_delete", args=[activity.pk]))
    assert queued(callbacks) == "2026-04-01"


def test_a_refused_form_queues_nothing(editor_client, subject, frozen_today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        editor_client.post(reverse("activity_create", args=[subject.pk]), {"kind": "talk", "title": ""})
    assert callbacks == [] and not PendingWork.objects.exists()



def test_an_activity_after_today_carries_an_upcoming_badge(viewer_client, subject, frozen_today):
    later = frozen_today + dt.timedelta(days=30)
    ActivityFactory(subject=subject, title="Keynote next month", kind="keynote", date=later)
    ActivityFactory(subject=subject, title="Talk today", date=frozen_today)
    html = page(viewer_client, subject)
    rows = {row.split("</tr>")[0] for row in html.split("<tr>")}
    future = next(row for row in rows if "Keynote next month" in row)
    present = next(row for row in rows if "Talk today" in row)
    assert 'class="badge upcoming">upcoming<' in future
    assert "upcoming" not in present
