"""Emails from a template triple: emails/<name>-subject.txt, -body.txt and -body.html."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string


def render_email(
    name: str,
    context: Mapping[str, Any],
    to: list[str],
    *,
    headers: Mapping[str, str] | None = None,
    inline_images: Iterable[tuple[str, bytes]] = (),
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """One message with a plain-text body, an HTML alternative and the HTML's inline images.

    `inline_images` are (content_id, png) pairs, referenced in the HTML as <img src="cid:...">.
    """
    context = dict(context)
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=dict(headers or {}), connection=connection
    )
    message.attach_alternative(html, "text/html")
    images = list(inline_images)
    if images:
        # multipart/related: mail clients show the images inside the HTML, not as attachments.
        # Django 5.2 reads it; the type stubs follow Django 6, whose email API dropped it.
        message.mixed_subtype = "related"  # type: ignore[attr-defined]
        for content_id, png in images:
            image = MIMEImage(png, "png")
            image.add_header("Content-ID", f"<{content_id}>")
            image.add_header("Content-Disposition", "inline", filename=f"{content_id.split('@')[0]}.png")
            message.attach(image)
    return message
