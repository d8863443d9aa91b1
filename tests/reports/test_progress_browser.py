"""The progress page and a cohort's analytics in a real browser, on a desktop and a 390 px phone:
the charts are drawn inside their canvas, the heat map stays in its box, no page errors.

Daphne serves the test database (PostgreSQL, Redis); headless Chromium from Debian is driven by
Playwright. The interviews are taken in the test process (tasks run eagerly).
"""

from __future__ import annotations

import pytest

from accounts.models import Membership
from tests.browser import log_in, needs_chromium, wait_until
from tests.factories import MembershipFactory, UserFactory
from tests.processes import needs_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
    needs_services,
    needs_chromium,
]
ANSWERS = [
    "I'd guess it is the database and restart it.",
    "I would profile the endpoint first, find the slow query and add an index.",
    "I would reproduce the slowdown with a load test, profile it, find the N+1 query, fix it "
    "with select_related and an index, and confirm p95 went from 3 s back to 200 ms.",
]
# Each line chart's plotted points lie inside its canvas, and the canvas inside its box.
CHARTS = """(ids) => ids.map((id) => {
  const chart = Chart.getChart(id);
  const canvas = document.getElementById(id), box = canvas.parentElement.getBoundingClientRect();
  const rect = canvas.getBoundingClientRect();
  const points = chart.getDatasetMeta(0).data;
  return {
    datasets: chart.data.datasets.length,
    points: points.length,
    outside: points.filter(
      (p) => p.x < 0 || p.y < 0 || p.x > chart.width || p.y > chart.height).length,
    overflows: rect.right > box.right + 1 || rect.left < box.left - 1,
  };
})"""


@pytest.fixture
def progressed(student, coached_cohort, organization, finished_interview):
    """Three interviews of the student and one each of three classmates."""
    for text in ANSWERS:
        finished_interview(student, answer=text)
    for n in range(3):
        user = UserFactory.create(name=f"Classmate {n}")
        MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
        coached_cohort.students.add(user)
        finished_interview(user, answer=ANSWERS[n])
    return coached_cohort


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_progress_and_analytics_pages_draw_inside_their_boxes(
    progressed, student, coach, daphne, browser, settings, width
):
    errors: list[str] = []
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/progress/")
    wait_until(page, "window.Chart && Chart.getChart('dimensions-progress')")
    charts = page.evaluate(CHARTS, ["skills-progress", "dimensions-progress"])
    assert "Mastery by skill" in page.text_content("#mastery")
    assert page.locator("#study-plan a[role=button]").count() >= 1
    page.context.close()

    staff = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    staff.on("pageerror", lambda error: errors.append(str(error)))
    log_in(staff, daphne, coach, settings)
    staff.goto(f"{daphne.url}/cohorts/{progressed.pk}/analytics/")
    heat = staff.evaluate(
        """() => { const box = document.querySelector('#heatmap .table-scroll');
                   return {inside: box.getBoundingClientRect().right <= window.innerWidth + 1,
                           rows: box.querySelectorAll('tbody tr').length}; }"""
    )
    missed = staff.text_content("#trips")
    staff.context.close()

    assert errors == []
    for chart in charts:
        assert chart["datasets"] >= 1 and chart["points"] == 3
        assert chart["outside"] == 0 and not chart["overflows"]
    assert heat == {"inside": True, "rows": 4}
    assert "of 4" in missed  # a key point missed by 3 or more of the 4 students, counted
