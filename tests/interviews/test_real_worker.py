"""The whole flow once through the production shape: a real Celery worker process and Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from config.celery import app as celery_app
from interviews.state import State
from tests.interviews.test_consumer import _open, _until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (as in CI)",
    ),
]


@pytest.fixture
def worker():
    """Start `celery worker` on the test database and wait until it answers a ping."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
            "-n",
            "test@%h",
        ],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": url},
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=0.5):
        assert process.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker did not start"
    yield process
    process.terminate()
    process.wait(timeout=20)


async def test_a_full_interview_through_a_real_worker_and_redis(student, make_interview, worker):
    assert not celery_app.conf.task_always_eager
    interview = await sync_to_async(make_interview)(student, num_questions=3)
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await ws.send_json_to({"type": "start"})
    await _until(ws, "state", state="listening")

    for n in range(3):
        await ws.send_json_to(
            {
                "type": "end" if n == 2 else "answer",
                "client_id": f"w{n}",
                "text": "I would measure first, then fix the slowest part and check the result.",
            }
        )
        if n < 2:
            await _until(ws, "state", state="listening")
    await _until(ws, "report.ready")
    await ws.disconnect()

    await interview.arefresh_from_db()
    assert interview.state == State.FINISHED
    assert await interview.answers.acount() == 2
