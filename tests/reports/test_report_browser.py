"""The report page in a real browser: both charts drawn, on a desktop and on a phone, every radar
label inside the chart (long skill names are wrapped on a narrow screen).

Daphne serves the test database (PostgreSQL, Redis); headless Chromium from Debian is driven by
Playwright. The interview is taken and reported on in the test process (tasks run eagerly).
"""

from __future__ import annotations

import pytest

from interviews import services
from interviews.state import State
from tests.browser import log_in, needs_chromium, wait_until, watch_errors
from tests.processes import needs_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
    needs_services,
    needs_chromium,
]
ANSWER = (
    "I would reproduce it first with a load test, then profile to find where the time goes, "
    "because guessing wastes time. Last year I found an N+1 query that way and cut p95 by 80%."
)
# Chart.js lays each radar label out in a box (its padding can poke out by a pixel); a label cut
# off by the canvas edge pokes out by its own width.
CHARTS = """() => {
  const radar = Chart.getChart("skills-chart"), bars = Chart.getChart("dimensions-chart");
  const boxes = radar.scales.r._pointLabelItems;
  return {
    type: radar.config.type,
    lines: radar.data.labels,
    points: radar.data.datasets[0].data.length,
    outside: boxes.filter((b) => b.left < -2 || b.top < -2 || b.right > radar.width + 2
                                 || b.bottom > radar.height + 2).length,
    dimensions: bars.data.labels.length,
  };
}"""


@pytest.fixture
def finished(student, make_interview):
    """A finished interview with its report (taken before the browser's event loop starts)."""
    interview = make_interview(student, num_questions=4)
    services.interview_start(interview_id=interview.pk, user=student)
    for number in range(1, 13):  # four questions, and their follow-ups
        interview.refresh_from_db()
        if interview.state != State.LISTENING:
            break
        services.answer_submit(
            interview_id=interview.pk, user=student, text=ANSWER, client_id=str(number)
        )
    interview.refresh_from_db()
    assert interview.state == State.FINISHED
    return interview


@pytest.mark.parametrize(("width", "line_chars"), [(1280, 24), (390, 14)], ids=["desktop", "phone"])
def test_the_report_draws_both_charts_with_every_label_inside(
    finished, student, daphne, browser, settings, width, line_chars
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = watch_errors(page)  # uncaught errors, and what the Content-Security-Policy refused
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/interviews/{finished.pk}/report/")
    wait_until(page, "window.Chart && Chart.getChart('skills-chart')")

    charts = page.evaluate(CHARTS)
    page.close()

    assert errors == []
    assert charts["type"] == "radar" and charts["points"] >= 3 and charts["dimensions"] == 5
    assert all(
        len(line) <= line_chars or " " not in line for lines in charts["lines"] for line in lines
    )
    assert charts["outside"] == 0
