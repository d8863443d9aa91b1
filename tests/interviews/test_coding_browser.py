"""A coding interview in a real browser: the six steps, the editor, code run by Pyodide or a
Worker in the page, the hidden tests checked by the server, and the report.

Daphne and a Celery worker run as separate processes on the test database (PostgreSQL, Redis);
headless Chromium from Debian is driven by Playwright.
"""

from __future__ import annotations

import pytest

from interviews.models import Answer, Interview
from questionbank.coding import problems_load
from questionbank.models import CodingProblem
from tests.browser import log_in, needs_chromium, wait_until, watch_errors
from tests.processes import needs_services

pytestmark = [pytest.mark.django_db(transaction=True), needs_services, needs_chromium]

SAID = {
    "Understand": "I restate it: given the input, return the result in the stated order. Can it "
    "be empty, are there duplicates? On the first example I get the expected output.",
    "Match": "This matches a hash map or two pointers pattern, because a lookup in constant time "
    "avoids the nested loop.",
    "Plan": "Handle the empty case, loop once keeping what I have seen, build the result, "
    "return it.",
    "Review": "On the first example my loop visits each item once and returns the expected "
    "value; the empty input returns at once.",
}


@pytest.fixture
def coding(software):
    problems_load()


def _set_code(page, source: str) -> None:
    page.click("#code-editor .cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def _submit_code(page) -> None:
    """Submit the code; wait until the server has it (its answer bubble shows)."""
    before = page.locator(".bubble.you").count()
    page.click("#code-submit")
    wait_until(page, f"document.querySelectorAll('.bubble.you').length > {before}", timeout=120_000)


def _interview(page, daphne) -> Interview:
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    page.check("input[name=interview_type][value=coding]")
    page.click("main button[type=submit]")
    page.click("#start")
    page.wait_for_selector("#coding:visible")
    return Interview.objects.latest("created_at")


def _answer_in_words_until_implement(page, problem_text: str = "") -> None:
    """Answer each step (and any follow-up) in words until the Implement step is open."""
    for _ in range(12):
        wait_until(
            page, "document.getElementById('state').textContent === 'Waiting for your answer'"
        )
        step = page.inner_text("#coding-step").split(" (")[0]
        if step == "Implement" and page.locator("#code-submit").is_visible():
            return
        asked = page.locator(".bubble.interviewer").count()
        page.fill("#answer", SAID.get(step, "I would check the edge cases once more."))
        page.click("#send")
        wait_until(page, f"document.querySelectorAll('.bubble.interviewer').length > {asked}")
    raise AssertionError("never reached the Implement step")


def _finish_in_words(page, evaluate: str) -> None:
    """Answer the steps after Implement until the interview is over."""
    for _ in range(12):
        if page.locator("#done-panel").is_visible():
            return
        wait_until(
            page,
            "['Waiting for your answer', 'Interview complete', 'Writing your report', 'Finished']"
            ".includes(document.getElementById('state').textContent)",
        )
        if page.locator("#done-panel").is_visible():
            return
        step = page.inner_text("#coding-step").split(" (")[0]
        asked = page.locator(".bubble.interviewer").count()
        page.fill(
            "#answer", evaluate if step == "Evaluate" else SAID.get(step, "Edge cases are handled.")
        )
        page.click("#send")
        wait_until(
            page,
            f"document.querySelectorAll('.bubble.interviewer').length > {asked}"
            " || !document.getElementById('done-panel').hidden",
        )
    raise AssertionError("the interview never ended")


def test_a_coding_interview_with_a_correct_and_a_wrong_solution(
    student, coding, worker, daphne, browser, settings
):
    page = browser.new_page()
    page.set_default_timeout(30_000)
    errors = watch_errors(page)
    log_in(page, daphne, student, settings)

    # A correct solution in JavaScript passes every test, the hidden ones too.
    interview = _interview(page, daphne)
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    assert page.inner_text("#problem-title") == problem.title
    assert page.inner_text("#coding-step").startswith("Understand")
    assert "in all" in page.inner_text("#coding-timer")
    _answer_in_words_until_implement(page)
    assert page.locator("#answer").is_hidden()  # this step is answered with code
    page.select_option("#code-language", "javascript")
    _set_code(page, problem.reference_solution["javascript"])
    page.click("#code-run")
    page.wait_for_selector("#code-status:has-text('3 of 3 example tests passed')")
    _submit_code(page)
    answer = Answer.objects.get(interview=interview, turn__step="implement", turn__kind="core")
    assert answer.code["language"] == "javascript"
    assert all(result["passed"] for result in answer.code["results"])
    _finish_in_words(page, f"The time complexity is {problem.time_complexity}.")
    page.click("#report-link")
    page.wait_for_selector("h2:has-text('Question by question')")
    assert f"passed {len(problem.tests)} of {len(problem.tests)} tests" in page.inner_text("main")

    # A wrong one in Python (run by Pyodide in the page) fails them, and the report says which;
    # an endless loop is stopped by the page first.
    interview = _interview(page, daphne)
    problem = CodingProblem.objects.get(pk=interview.turns.get().question_id)
    _answer_in_words_until_implement(page)
    page.select_option("#code-language", "javascript")
    _set_code(page, f"function {problem.function['javascript']}() {{ while (true) {{}} }}")
    page.click("#code-run")
    page.wait_for_selector("#code-results:has-text('Stopped after 5 s')", timeout=20_000)
    page.select_option("#code-language", "python")
    params = ", ".join(problem.params)
    _set_code(page, f"def {problem.function['python']}({params}):\n    return None\n")
    _submit_code(page)
    answer = Answer.objects.get(interview=interview, turn__step="implement", turn__kind="core")
    assert answer.code["language"] == "python"
    failed_hidden = [r["id"] + 1 for r in answer.code["results"] if r["hidden"] and not r["passed"]]
    assert failed_hidden
    _finish_in_words(page, "I think it is O(n!) time.")
    page.click("#report-link")
    page.wait_for_selector("h2:has-text('Question by question')")
    text = page.inner_text("main")
    assert "failed hidden test" in text and ", ".join(map(str, failed_hidden)) in text
    assert errors == []
