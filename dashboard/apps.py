from typing import Any

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dashboard import sessions

        sessions.connect()
        user_logged_in.connect(_remember_if_confirmed, dispatch_uid="dashboard.remember_if_confirmed")


def _remember_if_confirmed(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    from dashboard.context_processors import remember_if_confirmed

    if request is not None and hasattr(request, "session"):
        remember_if_confirmed(request, user)
