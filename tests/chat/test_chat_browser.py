"""A chat exchange in a real browser with the local engine: ask, read a sourced answer, follow
the source, go on to practise, come back to the conversation.

Daphne runs as a separate process on the test database; headless Chromium from Debian is driven
by Playwright.
"""

from __future__ import annotations

import pytest

from chat.models import Conversation
from tests.browser import log_in, needs_chromium, watch_errors
from tests.processes import needs_services

pytestmark = [pytest.mark.django_db(transaction=True), needs_services, needs_chromium]


def test_a_student_asks_the_coach_and_goes_on_to_practise(bank, student, daphne, browser, settings):
    page = browser.new_page()
    page.set_default_timeout(20_000)
    errors = watch_errors(page)
    log_in(page, daphne, student, settings)
    page.click("nav >> text=Ask the coach")
    page.fill("#id_text", "How should I answer 'tell me about yourself' for a nursing role?")
    page.click("#ask button[type=submit]")

    answer = page.locator(".bubble.interviewer").last
    answer.wait_for()
    assert "professional summary" in answer.inner_text()
    assert "For Healthcare and Nursing roles" in answer.inner_text()
    assert page.locator("#conversations li").count() == 1

    # A question from the bank: its key points, and a link to it.
    page.fill(
        "#id_text", "What does a good answer to a question about a deteriorating patient cover?"
    )
    page.click("#ask button[type=submit]")
    page.wait_for_selector(".bubble.interviewer >> nth=1")
    latest = page.locator(".bubble.interviewer").nth(1)
    assert "A strong answer covers" in latest.inner_text()
    latest.locator(".sources a").first.click()
    page.wait_for_selector("h2:has-text('What a strong answer covers')")
    page.go_back()

    # Off topic: refused politely.
    page.fill("#id_text", "What's the capital of France?")
    page.click("#ask button[type=submit]")
    page.wait_for_selector(".bubble.interviewer >> nth=2")
    refusal = page.locator(".bubble.interviewer").nth(2).inner_text()
    assert "only help you prepare for interviews" in refusal
    # 20,000 characters (past the box's own limit, as a script could send): a clear error, the
    # text still in the box, the conversation as it was.
    page.evaluate("document.getElementById('id_text').removeAttribute('maxlength')")
    page.fill("#id_text", "Why? " * 4_000)
    page.click("#ask button[type=submit]")
    page.wait_for_selector("#text-errors:has-text('the coach reads at most 2,000')")
    assert len(page.input_value("#id_text")) > 19_000
    assert page.locator(".bubble.interviewer").count() == 3

    # "Practise this now" sets up an interview on that skill.
    page.locator(".bubble.interviewer").nth(1).locator("a.practise").click()
    page.wait_for_url("**/interviews/new/**")
    assert page.locator("input[name=skills]:checked").count() == 1
    assert errors == []
    conversation = Conversation.objects.get(user=student)
    assert conversation.messages.count() == 6
