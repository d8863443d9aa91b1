"""A term's programme in a real browser: a coach assigns practice to a cohort, a student starts it
from the dashboard and finishes it, the coach opens the roster, reviews two answers and releases
the report, and the student reads the review. A coach of another cohort gets 404 at every step.

Daphne and a Celery worker run as separate processes on the test database (PostgreSQL, Redis);
headless Chromium from Debian is driven by Playwright.
"""

from __future__ import annotations

import re

import pytest

from accounts.models import Membership
from interviews.models import Assignment, Interview
from reports.models import Review
from tests.browser import log_in, needs_chromium, wait_until
from tests.factories import MembershipFactory, UserFactory
from tests.processes import needs_services

pytestmark = [pytest.mark.django_db(transaction=True), needs_services, needs_chromium]
ANSWER = (
    "I would reproduce it first with a load test, then profile to find where the time goes, "
    "because guessing wastes time. Last year I found an N+1 query that way and cut p95 by 80%."
)


def test_a_coach_assigns_practice_reviews_it_and_the_student_reads_the_review(
    coach, student, coached_cohort, organization, software, worker, daphne, browser, settings
):
    outsider = UserFactory.create(name="Olive Othercohort")
    MembershipFactory(user=outsider, organization=organization, role=Membership.Role.COACH)
    coach_page = browser.new_context().new_page()
    student_page = browser.new_context().new_page()
    outsider_page = browser.new_context().new_page()
    for page in (coach_page, student_page, outsider_page):
        page.set_default_timeout(20_000)

    def gets_404(path: str) -> bool:
        return outsider_page.goto(f"{daphne.url}{path}").status == 404

    # The coach assigns typed technical practice to their cohort, holding the feedback.
    log_in(coach_page, daphne, coach, settings)
    log_in(outsider_page, daphne, outsider, settings)
    coach_page.goto(f"{daphne.url}/assignments/new/?cohort={coached_cohort.pk}")
    coach_page.fill("input[name=title]", "Week 3 mock")
    coach_page.select_option("select[name=track]", str(software.pk))
    coach_page.select_option("select[name=level]", "3")
    coach_page.select_option("select[name=interview_type]", "technical")
    coach_page.fill("input[name=num_questions]", "3")
    coach_page.select_option("select[name=answer_mode]", "text")
    coach_page.check("input[name=hold_feedback]")
    coach_page.click("main form button[type=submit]")
    coach_page.wait_for_selector("#roster")
    assignment = Assignment.objects.get()
    assert "not started" in coach_page.text_content("#roster")
    assert gets_404(f"/assignments/{assignment.pk}/")
    assert gets_404(f"/students/{student.pk}/")

    # The student starts it from the dashboard and answers until the interview is over.
    log_in(student_page, daphne, student, settings)
    student_page.goto(f"{daphne.url}/dashboard/")
    assert "Week 3 mock" in student_page.text_content("#assigned")
    student_page.click("#assigned button[type=submit]")
    student_page.wait_for_selector("#start")
    student_page.click("#start")
    ready_or_over = (
        "!document.getElementById('done-panel').hidden || "
        "(!document.getElementById('answer-form').hidden && "
        "!document.getElementById('answer').disabled)"
    )
    for _ in range(12):  # three questions and their follow-ups
        wait_until(student_page, ready_or_over, timeout=40_000)
        if student_page.is_visible("#done-panel"):
            break
        asked = student_page.locator(".bubble.interviewer").count()
        student_page.fill("#answer", ANSWER)
        student_page.click("#send")
        wait_until(
            student_page,
            f"document.querySelectorAll('.bubble.interviewer').length > {asked} || "
            "!document.getElementById('done-panel').hidden",
            timeout=40_000,
        )
    student_page.wait_for_selector("#done-panel:visible")
    # The room says the report waits for the coach, not that it is ready.
    student_page.wait_for_selector("text=Your coach reviews the report", timeout=40_000)
    interview = Interview.objects.get(assignment=assignment)
    assert interview.feedback_held
    student_page.goto(f"{daphne.url}/interviews/{interview.pk}/report/")
    # While the report is written the page refreshes itself; then it says it awaits the coach.
    student_page.wait_for_selector("text=Awaiting your coach's review", timeout=40_000)
    assert "Question by question" not in student_page.content()
    assert gets_404(f"/interviews/{interview.pk}/report/")

    # The coach sees it done on the roster, reviews two answers and releases the report.
    coach_page.goto(f"{daphne.url}/assignments/{assignment.pk}/")
    assert re.search(r"\bdone\b", coach_page.text_content("#roster"))
    coach_page.click("#roster a[href$='/report/']")
    coach_page.wait_for_selector("#review-form")
    coach_page.select_option("select[name=rating_1]", "4")
    coach_page.fill("textarea[name=comment_1]", "Clear method; say which index you added.")
    coach_page.select_option("select[name=rating_2]", "3")
    coach_page.fill("textarea[name=comment]", "A good start. Quantify the impact next time.")
    coach_page.click("#review button[type=submit]")
    coach_page.wait_for_selector("text=Your review was saved")
    review = Review.objects.get()
    assert sorted(a.rating or 0 for a in review.answers.all()) == [3, 4]
    interview.refresh_from_db()
    assert not interview.feedback_held
    assert gets_404(f"/interviews/{interview.pk}/report/")

    # The student reads the report with the coach's review beside the AI's feedback.
    student_page.goto(f"{daphne.url}/interviews/{interview.pk}/report/")
    text = student_page.text_content("main")
    assert "Your coach's review" in text and "Quantify the impact next time." in text
    assert "4/5" in text and "say which index you added" in text
    assert "Question by question" in text
