from django import template

register = template.Library()


@register.inclusion_tag("accounts/_panel.html", takes_context=True)
def account_panel(context, subject):
    """The subject page's account list: status, last collected, last error."""
    return {"subject": subject, "accounts": subject.accounts.all()}
