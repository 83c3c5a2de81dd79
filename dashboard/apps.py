from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dashboard import sessions
        from dashboard.context_processors import remember_confirmed

        sessions.connect()
        user_logged_in.connect(remember_confirmed, dispatch_uid="influence-remember-confirmed-address")
