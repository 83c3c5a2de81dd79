from django import template

register = template.Library()


@register.inclusion_tag("activities/_panel.html", takes_context=True)
def activity_panel(context, subject):
    """The subject page's activity list (and its forms for editors)."""
    return {"subject": subject, "activities": subject.activities.all()[:50]}
