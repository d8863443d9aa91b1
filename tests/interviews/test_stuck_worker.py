"""A step stuck while an interview's row is locked cannot stop the worker serving everyone else.

At a task's hard time limit Celery runs its failure handler in the worker's parent process,
before it kills the stuck child. Were that handler to wait for the row the child still holds,
the parent would block, and no interview would get its next question again. Here the test holds
the row lock (standing in for the stuck holder) and the step waits on it past its time limit.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

from interviews import services, tasks
from interviews.models import Interview
from interviews.state import State
from tests.processes import Worker, needs_services

pytestmark = [pytest.mark.django_db(transaction=True), needs_services]

TIME_LIMIT = 3  # seconds, for every task of the worker below


def _until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _state(interview: Interview) -> str:
    interview.refresh_from_db()
    return interview.state


@pytest.fixture
def stuck_worker():
    """One pool process; a task waits on a row lock longer than its hard time limit."""
    worker = Worker(
        {
            # For the tasks the worker sends itself (recording the failure).
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "CELERY_TASK_SOFT_TIME_LIMIT": "0",
            "DB_LOCK_TIMEOUT_SECONDS": "600",
        },
        queues=("interviews",),
        name="stuck",
    )
    worker.start()
    yield worker
    worker.stop()


def test_a_step_stuck_on_a_locked_row_neither_blocks_the_worker_nor_loses_its_failure(
    student, second_student, make_interview, stuck_worker
):
    stuck = make_interview(student)
    other = make_interview(second_student)
    # As if a worker had been asked to choose its first question.
    Interview.objects.filter(pk=stuck.pk).update(state=State.DECIDING)

    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=False
    )
    try:
        holder.execute("SELECT 1 FROM interviews_interview WHERE id = %s FOR UPDATE", [stuck.pk])
        # Celery's time limits travel with the task, set by whoever sends it.
        tasks.advance_interview.apply_async(
            (str(stuck.pk),), time_limit=TIME_LIMIT, soft_time_limit=None
        )
        time.sleep(TIME_LIMIT + 1)  # the step hit its hard limit; its failure handler has run

        # The worker still serves: its parent answers, and another interview gets its question.
        assert stuck_worker.ping(timeout=2)
        services.interview_start(interview_id=other.pk, user=second_student)
        _until(lambda: _state(other) == State.LISTENING, 30, "the other interview's question")
        assert _state(stuck) == State.DECIDING  # its failure waits for the row, not the worker
    finally:
        holder.rollback()  # the stuck holder lets go (a killed process's session ends)
        holder.close()

    _until(lambda: _state(stuck) == State.ERROR, 60, "the failure to be recorded")
    assert "choosing your next question" in stuck.error_message
    services.interview_resume(interview_id=stuck.pk, user=student)
    _until(lambda: _state(stuck) == State.LISTENING, 30, "the retried step")
