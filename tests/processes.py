"""Real processes for the tests whose point is the production shape: a Celery worker and Daphne
on the test database, PostgreSQL and Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
import pytest
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
needs_services = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (as in CI)",
)


def _service_env(extra: Mapping[str, str]) -> dict[str, str]:
    """Return the environment for a process that must use this test run's database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # Texts compared lexically, as in the test process (see tests/conftest.py).
    return (
        os.environ | {"DATABASE_URL": url, "DEBUG": "true", "EMBEDDINGS": "lexical"} | dict(extra)
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# Every queue (see config/celery.py); production serves each with a worker of its own.
QUEUES = ("interviews", "speech", "captions", "documents")


class Worker:
    """A Celery worker process on the test database; it can be killed and started again."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        queues: Sequence[str] = QUEUES,
        concurrency: int = 1,
        name: str = "test",
    ) -> None:
        self.env = _service_env(env)
        self.queues, self.concurrency, self.name = queues, concurrency, name
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                # The production pool: prefork children push from their own event loop.
                "--concurrency",
                str(self.concurrency),
                "--queues",
                ",".join(self.queues),
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                os.environ.get("TEST_WORKER_LOGLEVEL", "WARNING"),
                "-n",
                f"{self.name}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,  # its own process group, so that kill() takes the pool too
        )
        deadline = time.monotonic() + 60
        while not self.ping():
            assert self.process.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not start"

    def ping(self, timeout: float = 0.5) -> bool:
        """Whether this worker's parent answers (it does not while it is blocked)."""
        destination = [f"{self.name}@{socket.gethostname()}"]
        return bool(celery_app.control.ping(destination=destination, timeout=timeout))

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def kill(self) -> None:
        """SIGKILL the worker and its pool, as an out-of-memory kill or a pulled plug would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


class Daphne:
    """A Daphne server on a free port, serving the test database; it can be restarted."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = _service_env(env)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "config.serve",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, "daphne exited"
            assert time.monotonic() < deadline, "daphne did not start"
            time.sleep(0.2)

    def ping(self, timeout: float = 0.5) -> bool:
        """Whether this worker's parent answers (it does not while it is blocked)."""
        destination = [f"{self.name}@{socket.gethostname()}"]
        return bool(celery_app.control.ping(destination=destination, timeout=timeout))

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None
