"""This week's email as the user would get it now: shown on their settings page, and sent to
them on request. Neither claims the week's email (no Digest row): the scheduled send still
goes out, and a "send it now" is limited to a few an hour."""

from __future__ import annotations

import base64
import datetime as dt
from email.mime.image import MIMEImage

from django.core.mail import EmailMultiAlternatives

from influence.core.models import User
from influence.core.ratelimit import Limit, take
from influence.digests.content import DigestData
from influence.digests.message import build_message
from influence.digests.selection import local_week_start, zone

SEND_NOW_LIMIT = Limit("digest-send-now", count=3, period=3600)


def this_week(user: User, now: dt.datetime) -> EmailMultiAlternatives | None:
    """The email the user would get this week, built as the scheduled send builds it; None
    when they see no subject (then no email is sent either)."""
    data = DigestData([user], now)
    if not data.covered_count(user.pk):
        return None
    return build_message(user, local_week_start(now, zone(user.time_zone)), data)


def as_page(message: EmailMultiAlternatives) -> str:
    """The message's HTML with its inline charts as data: URLs, for a browser to show."""
    html = next(str(body) for body, mimetype in message.alternatives if mimetype == "text/html")
    for part in message.attachments:
        if isinstance(part, MIMEImage):
            content_id = str(part["Content-ID"]).strip("<>")
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)  # a MIMEImage's payload decodes to its bytes
            png = base64.b64encode(payload).decode()
            html = html.replace(f"cid:{content_id}", f"data:image/png;base64,{png}")
    return html


def send_now(user: User, now: dt.datetime) -> bool:
    """Send this week's email to the user at once; False when there is nothing to send.
    RateLimited past SEND_NOW_LIMIT."""
    take(SEND_NOW_LIMIT, f"user:{user.pk}")
    message = this_week(user, now)
    if message is None:
        return False
    message.send()
    return True
