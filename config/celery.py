"""The Celery app: JSON only, late acknowledgement, one task at a time per worker process."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rehearse")
# Every CELERY_* setting in config/settings.py: serialisation, time limits, acks_late,
# reject-on-worker-lost, prefetch 1 and the shared visibility timeout.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _push_events_from_one_loop(**kwargs: Any) -> None:
    from interviews.events import push_from_background_loop

    push_from_background_loop()


@task_prerun.connect
@task_postrun.connect
def _return_database_connections(task: Any = None, **kwargs: Any) -> None:
    # Hand the connection back to this process's pool (and drop it if it broke); an eager task
    # runs inside its caller's work, whose connection is not ours to touch.
    if task is not None and not task.request.is_eager:
        from django.db import close_old_connections

        close_old_connections()
