"""Log-in with GitHub or Google (allauth's social accounts), fitted to the product: a provider is
switched on by its env vars alone (settings.py), so the log-in page asks the database nothing to
know its buttons; an account created this way gets its personal workspace, like a sign-up from
the form."""

from typing import Any

from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.http import HttpRequest

from influence.core.models import User
from influence.core.workspace_names import default_workspace_name
from influence.workspaces.members import create_workspace


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """The apps of SOCIALACCOUNT_PROVIDERS only (allauth would read its SocialApp table too)."""
        apps = []
        for provider_id, configuration in app_settings.PROVIDERS.items():
            if provider is not None and provider != provider_id:
                continue
            for app in configuration.get("APPS", []):
                if client_id is None or app["client_id"] == client_id:
                    apps.append(
                        SocialApp(
                            provider=provider_id,
                            client_id=app["client_id"],
                            secret=app["secret"],
                            key=app.get("key", ""),
                            settings=app.get("settings", {}),
                        )
                    )
        return apps

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> User:
        user = super().save_user(request, sociallogin, form)
        assert isinstance(user, User)
        create_workspace(user, default_workspace_name(user.email))
        return user
