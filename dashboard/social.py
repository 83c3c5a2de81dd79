"""Log-in with GitHub or Google (allauth's social accounts), fitted to the product: an account
created this way gets its personal workspace, like a sign-up from the form."""

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest

from influence.core.models import User
from influence.workspaces.members import create_workspace


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> User:
        user = super().save_user(request, sociallogin, form)
        assert isinstance(user, User)
        create_workspace(user, f"{user.email}'s workspace"[:100])
        return user
