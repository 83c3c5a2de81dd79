"""The signed-in user of a page.

Every page is behind the log-in (LoginRequiredMiddleware) unless its view says
`login_not_required`, so its request carries a real user, never the anonymous one.
"""

from django.http import HttpRequest

from influence.core.models import User


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise TypeError("This page is only for signed-in users; is it missing from the log-in requirement?")
    return user
