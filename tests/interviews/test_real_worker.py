"""The whole flow once through the production shape: a real Celery worker process and Redis."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from config.celery import app as celery_app
from interviews.state import State
from tests.interviews.test_consumer import _open, _until
from tests.processes import needs_services

pytestmark = [pytest.mark.django_db(transaction=True), needs_services]


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
