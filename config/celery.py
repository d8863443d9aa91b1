"""The Celery app: JSON only, late acknowledgement, one task at a time per worker process.

Three queues (config/settings.py routes the tasks): `interviews` for the steps of a live
interview, `speech` for hearing recorded answers and `documents` for reading resumes, each served
by its own worker, so that a slow or stuck document never holds up an interview's next question.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

log = logging.getLogger(__name__)

app = Celery("rehearse")
# Every CELERY_* setting in config/settings.py: queues and routes, serialisation, time limits,
# acks_late, reject-on-worker-lost, prefetch 1 and the shared visibility timeout.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Step(DjangoTask):
    """A step on one object (its id the task's one argument), retried with backoff; when the
    retries are spent, `give_up` has the failure recorded where the student sees it.

    Celery also runs `on_failure` in the worker's parent process, after a task's hard time limit
    and before it kills the stuck child, which may still hold the object's row lock. So
    `give_up` only enqueues a task that records the failure (in a pool process, once the lock is
    free); it never waits on the database, and the parent goes on serving.
    """

    autoretry_for = (Exception,)
    retry_backoff = 1
    retry_backoff_max = 30
    retry_jitter = True
    max_retries = 4

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        object_id = str(args[0] if args else next(iter(kwargs.values())))
        log.error("Step %s failed for good for %s: %r", self.name, object_id, exc)
        try:
            self.give_up(object_id, exc)
        except Exception:
            # The broker is unreachable: the beat sweep finds the object stalled and retries it.
            log.exception("Could not record the failure of %s for %s", self.name, object_id)

    def give_up(self, object_id: str, exc: BaseException) -> None:
        raise NotImplementedError


@task_prerun.connect
@task_postrun.connect
def _return_database_connections(task: Any = None, **kwargs: Any) -> None:
    # Hand the connection back to this process's pool (and drop it if it broke); an eager task
    # runs inside its caller's work, whose connection is not ours to touch.
    if task is not None and not task.request.is_eager:
        close_old_connections()
