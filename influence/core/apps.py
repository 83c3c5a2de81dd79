from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "influence.core"
    label = "core"
    verbose_name = "Influence"

    def ready(self) -> None:
        from influence.core.periodic import ensure_periodic_tasks

        post_migrate.connect(ensure_periodic_tasks, sender=self)
