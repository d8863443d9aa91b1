"""The interview room in a real browser: lose the server mid-answer, then the worker; nothing
lost or doubled.

Daphne and a Celery worker run as separate processes on the test database (PostgreSQL, Redis);
headless Chromium from Debian is driven by Playwright.
"""

from __future__ import annotations

import pytest

from interviews.models import Answer, Interview, Turn
from tests.browser import log_in, needs_chromium, wait_until
from tests.processes import needs_services

pytestmark = [pytest.mark.django_db(transaction=True), needs_services, needs_chromium]
ANSWER = (
    "I would reproduce it first with a load test, then profile to find where the time goes, "
    "because guessing wastes time. Last year I found an N+1 query that way and cut p95 by 80%."
)


def test_the_room_survives_a_dropped_connection_and_a_killed_worker(
    student, software, worker, daphne, browser, settings
):
    page = browser.new_page()
    page.set_default_timeout(20_000)
    page.clock.install()  # time runs as usual; the test jumps it ahead once (below)
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    page.select_option("select[name=level]", "3")
    page.fill("input[name=num_questions]", "3")
    page.check("input[name=interview_type][value=technical]")
    page.select_option("select[name=answer_mode]", "text")
    page.click("main button[type=submit]")
    page.wait_for_selector("#start")
    page.click("#start")
    page.wait_for_selector(".bubble.interviewer")
    page.wait_for_selector("#answer:enabled")

    # Keyboard only: type, then Ctrl+Enter sends.
    page.focus("#answer")
    page.keyboard.type(ANSWER)
    page.keyboard.press("Control+Enter")
    wait_until(page, "document.querySelectorAll('.bubble.interviewer').length === 2")
    page.wait_for_selector("#answer:enabled")

    daphne.stop()
    wait_until(page, "document.getElementById('connection').textContent.includes('reconnecting')")
    page.fill("#answer", "My second answer, typed while the server was gone: " + ANSWER)
    page.click("#send")
    page.wait_for_selector("text=your answer is kept")

    daphne.start()
    wait_until(
        page, "document.querySelectorAll('.bubble.interviewer').length === 3", timeout=40_000
    )
    wait_until(page, "document.getElementById('connection').textContent === 'connected'")
    assert page.locator(".bubble.you").count() == 2  # each shown once, although sent twice
    assert page.locator(".bubble.interviewer").count() == 3

    # The worker is killed: the answer is kept, the student is told after a while, and the
    # interview goes on by itself once a worker is back.
    worker.kill()
    page.fill("#answer", "My third answer, sent while no worker was running: " + ANSWER)
    page.click("#send")
    page.wait_for_selector("#waiting:visible")
    assert page.text_content("#waiting") == "The interviewer is thinking…"
    page.clock.fast_forward(16_000)
    page.wait_for_selector("#waiting:has-text('taking longer than usual')")
    assert "Your answers are saved" in page.text_content("#waiting")
    worker.start()
    page.wait_for_selector("#waiting", state="hidden", timeout=40_000)
    assert page.text_content("#waiting") == "The interviewer is thinking…"
    shown_questions = page.locator(".bubble.interviewer").count()
    page.close()

    interview = Interview.objects.get(user=student)
    assert Answer.objects.filter(interview=interview).count() == 3
    assert interview.answers.filter(evaluation__isnull=True).count() == 0
    assert shown_questions == Turn.objects.filter(interview=interview).count()
