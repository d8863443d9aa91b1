"""The Celery app: JSON only, late acknowledgement, one task at a time per worker process."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rehearse")
# Every CELERY_* setting in config/settings.py: serialisation, time limits, acks_late,
# reject-on-worker-lost, prefetch 1 and the shared visibility timeout.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
