"""The Celery app: JSON only, late acknowledgement, one task at a time per worker process.

Three queues (config/settings.py routes the tasks): `interviews` for the steps of a live
interview, `speech` for hearing recorded answers and `documents` for reading resumes, each served
by its own worker, so that a slow or stuck document never holds up an interview's next question.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import task_postrun, task_prerun, worker_ready, worker_shutdown
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

    # A claim on the object says which worker is on its step, so that the sweep tells a step
    # still running from one whose worker died (see step_lost). One Redis command at each end
    # (about 0.1 ms of CPU), sent without pickling.
    def before_start(self, task_id: str, args: Any, kwargs: Any) -> None:
        redis = _redis()
        if redis is not None and not self.request.is_eager:
            limit = self.time_limit or self.app.conf.task_time_limit or 3600
            redis.set(_claim(_object_id(args, kwargs)), self.request.hostname, ex=limit)

    def after_return(
        self, status: str, retval: Any, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        redis = _redis()
        if redis is not None and not self.request.is_eager:
            redis.delete(_claim(_object_id(args, kwargs)))


def _object_id(args: Any, kwargs: Any) -> str:
    return str(args[0] if args else next(iter(kwargs.values())))


def _redis() -> Any:
    """The cache's Redis client, or None where the cache is not Redis (the embedded default,
    whose tasks run in-process and are never lost to a dead worker)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(write=True)  # type: ignore[attr-defined]


def _claim(object_id: str) -> str:
    return f"rehearse:step-claim:{object_id}"


def _alive(hostname: str) -> str:
    return f"rehearse:worker-alive:{hostname}"


# A worker says it is alive this often; once it has not for WORKER_LOST_SECONDS, it is lost.
HEARTBEAT_SECONDS = 5
WORKER_LOST_SECONDS = 15


def step_lost(object_id: str, *, idle_seconds: float, stall_seconds: float) -> bool:
    """Tell whether the object's step needs sending again: the worker on it died (its heartbeat
    stopped), or no worker has taken it for `stall_seconds` (the task was lost on the way)."""
    redis = _redis()
    holder = redis.get(_claim(object_id)) if redis is not None else None
    if holder is not None:
        return not redis.exists(_alive(holder.decode()))
    return idle_seconds >= stall_seconds


def step_claim(object_id: str, hostname: str, *, alive: bool | None = None) -> None:
    """Claim the object's step for a worker, and say it is alive or dead (None: as its own
    heartbeat says). For the tests of the sweep."""
    redis = _redis()
    redis.set(_claim(object_id), hostname, ex=300)
    if alive:
        redis.set(_alive(hostname), 1, ex=300)
    elif alive is not None:
        redis.delete(_alive(hostname))


def worker_alive(hostname: str) -> bool:
    """Whether the worker's heartbeat is fresh."""
    redis = _redis()
    return redis is not None and bool(redis.exists(_alive(hostname)))


@worker_ready.connect
def _start_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    """The worker's main process says it is alive until it stops or is killed."""
    hostname = sender.hostname

    def beat() -> None:
        while True:
            try:
                redis = _redis()
                if redis is not None:
                    redis.set(_alive(hostname), 1, ex=WORKER_LOST_SECONDS)
            except Exception:
                log.warning("Could not send the worker's heartbeat", exc_info=True)
            if _stopping.wait(HEARTBEAT_SECONDS):
                return

    threading.Thread(target=beat, name="heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    _stopping.set()


_stopping = threading.Event()


@task_prerun.connect
@task_postrun.connect
def _return_database_connections(task: Any = None, **kwargs: Any) -> None:
    # Hand the connection back to this process's pool (and drop it if it broke); an eager task
    # runs inside its caller's work, whose connection is not ours to touch.
    if task is not None and not task.request.is_eager:
        close_old_connections()
