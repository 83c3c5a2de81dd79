from django.utils.functional import SimpleLazyObject

from influence.core.models import Membership
from influence.core.permissions import current_membership


def navigation(request):
    """The workspace switcher's data, computed only when a template asks for it."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": SimpleLazyObject(lambda: current_membership(request)),
        "nav_memberships": SimpleLazyObject(
            lambda: list(Membership.objects.filter(user=request.user).select_related("workspace"))
        ),
    }
