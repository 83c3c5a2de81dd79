"""The subject page's sharing panel: the subject's share links with their addresses (display only)."""

from typing import Any

from django import template

from dashboard.forms.sharing import ShareLinkForm
from influence.core.models import Subject
from influence.sharing import links

register = template.Library()


@register.inclusion_tag("sharing/_links.html")
def share_links(subject: Subject) -> dict[str, Any]:
    """Only editors and owners see the panel, so viewers' pages do not read the links at all."""
    rows = [(link, links.link_url(link), links.in_force(link)) for link in links.links_of(subject)]
    return {"subject": subject, "rows": rows, "form": ShareLinkForm()}
