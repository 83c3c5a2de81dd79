"""The weekly email as sent: its sections and rest line composed into one message, kept under
MAX_MESSAGE_BYTES by dropping charts, then sections, until it fits."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from influence.core.emails import render_email
from influence.core.models import User
from influence.digests.content import DigestData, SubjectSection, absolute
from influence.digests.tokens import unsubscribe_token

log = logging.getLogger(__name__)

# The whole message as sent, in bytes: mail clients clip long HTML and servers refuse large
# messages. A message that would pass it loses charts, then sections, until it fits.
MAX_MESSAGE_BYTES = 300_000


class MessageTooLarge(Exception):
    """Even without any full section the message would pass MAX_MESSAGE_BYTES."""


def message_size(message: EmailMultiAlternatives) -> int:
    """The message's size as sent: headers, both parts and the images, encoded."""
    return len(message.message().as_bytes())


def build_message(
    user: User,
    week_start: dt.date,
    data: DigestData,
    connection: BaseEmailBackend | None = None,
    max_bytes: int | None = None,
) -> EmailMultiAlternatives:
    """The user's email for that week: text, HTML, one inline chart per full section, the rest
    in one line, unsubscribe headers; always under `max_bytes` (default MAX_MESSAGE_BYTES). A message that would pass it
    drops the charts of its last sections first, then its last sections (counted in the rest
    line), until it fits; MessageTooLarge if nothing is left to drop."""
    limit = MAX_MESSAGE_BYTES if max_bytes is None else max_bytes
    full = data.full_sections_of(user.pk)
    sections, charts = len(full), len(full)
    while True:
        message = _compose(user, week_start, data, full[:sections], charts, connection)
        size = message_size(message)
        if size < limit:
            if sections < len(full) or charts < len(full):
                log.info("digest user=%s bytes=%s sections=%s/%s charts=%s", user.pk, size, sections, len(full), charts)
            return message
        if charts > 0:
            charts = min(charts, sections) - 1
        elif sections > 0:
            sections -= 1
        else:
            raise MessageTooLarge(f"{size} bytes without any section, over the limit of {limit}")


def _compose(
    user: User,
    week_start: dt.date,
    data: DigestData,
    full: list[SubjectSection],
    charts: int,
    connection: BaseEmailBackend | None,
) -> EmailMultiAlternatives:
    """The message with these full sections, the first `charts` of them with their chart."""
    sections = [data.section(summary, week_start, with_chart=index < charts) for index, summary in enumerate(full)]
    unsubscribe_url = absolute(reverse("digest_unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "week_start": week_start,
        "sections": sections,
        "rest": data.rest_of(user.pk, {summary.pk for summary in full}),
        "site_url": settings.SITE_URL,
        "home_url": absolute(reverse("home")),
        "preferences_url": absolute(reverse("digest_preferences")),
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    images = [section.image for section in sections if section.image]
    return render_email("digest", context, [user.email], headers=headers, inline_images=images, connection=connection)
