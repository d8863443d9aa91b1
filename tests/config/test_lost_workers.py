"""A step whose worker died is sent again within seconds, not after the stall threshold: the
worker on a step holds a claim on it, and each worker's heartbeat says it is alive."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import WORKER_LOST_SECONDS, step_claim, worker_alive
from config.celery import app as celery_app
from interviews import services, tasks
from interviews.models import Answer, Interview
from interviews.selectors import open_turn
from interviews.state import State
from tests.processes import Worker, needs_services

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "I would measure the slow page first, then fix the query and check the p95 again."


def _processing(student, make_interview, *, idle_seconds: float) -> Interview:
    """An interview whose answer is stored and whose step a worker should be on."""
    interview = make_interview(student)
    saved, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    try:  # the first question is asked here, whatever the test's workers
        services.interview_start(interview_id=interview.pk, user=student)
    finally:
        celery_app.conf.task_always_eager = saved
    turn = open_turn(interview)
    assert turn is not None
    Answer.objects.create(interview=interview, turn=turn, kind="text", text=ANSWER, client_id="a")
    Interview.objects.filter(pk=interview.pk).update(
        state=State.PROCESSING, updated_at=timezone.now() - timedelta(seconds=idle_seconds)
    )
    return interview


@needs_services  # claims live in Redis
@pytest.mark.usefixtures("eager_tasks")
def test_the_sweep_resends_at_once_a_step_whose_worker_is_gone_and_leaves_a_live_ones(
    student, make_interview
):
    interview = _processing(student, make_interview, idle_seconds=WORKER_LOST_SECONDS + 5)
    step_claim(str(interview.pk), "w1@host", alive=True)
    assert tasks.sweep_stalled() == 0  # its worker is alive: still on it
    step_claim(str(interview.pk), "w1@host", alive=False)
    assert tasks.sweep_stalled() == 1  # its worker stopped beating: sent again now
    assert Interview.objects.get(pk=interview.pk).state == State.LISTENING


@pytest.mark.usefixtures("eager_tasks")
def test_an_unclaimed_step_waits_for_the_stall_threshold(student, make_interview, settings):
    interview = _processing(student, make_interview, idle_seconds=WORKER_LOST_SECONDS + 5)
    assert tasks.sweep_stalled() == 0  # no worker took it yet: it may still be queued
    Interview.objects.filter(pk=interview.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.INTERVIEW_STALL_SECONDS + 1)
    )
    assert tasks.sweep_stalled() == 1


@needs_services
def test_a_killed_worker_is_noticed_within_its_heartbeat_and_its_step_done_by_another(
    student, make_interview, service_env
):
    first = Worker(service_env, name="doomed")
    first.start()
    hostname = f"doomed@{socket.gethostname()}"
    try:
        deadline = time.monotonic() + 10
        while not worker_alive(hostname):
            assert time.monotonic() < deadline, "the worker sent no heartbeat"
            time.sleep(0.1)
        interview = _processing(student, make_interview, idle_seconds=WORKER_LOST_SECONDS + 5)
        # As if this worker had taken the step when it was killed.
        step_claim(str(interview.pk), hostname)
        first.kill()
    finally:
        first.stop()
    started = time.monotonic()
    while not tasks.sweep_stalled():
        assert time.monotonic() - started < WORKER_LOST_SECONDS + 5, "the loss was not noticed"
        time.sleep(0.5)
    noticed = time.monotonic() - started
    assert noticed <= WORKER_LOST_SECONDS + 1
    second = Worker(service_env, name="spare")
    second.start()
    try:
        deadline = time.monotonic() + 30
        while Interview.objects.get(pk=interview.pk).state != State.LISTENING:
            assert time.monotonic() < deadline, "the spare worker did not do the step"
            time.sleep(0.2)
    finally:
        second.stop()
