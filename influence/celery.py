import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "influence.settings")

app = Celery("influence")
# Every CELERY_* Django setting configures Celery (JSON only, time limits, beat scheduler).
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks live in influence/tasks/, one module per area.
app.autodiscover_tasks(["influence"])
