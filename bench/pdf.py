"""How long the report of a 15-question interview takes to render as a PDF, and how many pages.

Run: `.venv/bin/python bench/pdf.py [ROUNDS]` (default 10). It makes a temporary SQLite database
(no server needed; tasks run in the process), loads the question bank, and has a student take a
15-question interview with the local engine, answering well and weakly in turn so that follow-ups
come, then a coach reviews it. The report is rendered once to warm up (WeasyPrint's import, the
template, the fonts) and then ROUNDS times on each paper; the figures are the median and slowest
milliseconds of `reports.pdf.report_pdf`, and of the whole download (`GET .../report.pdf` through
Django's test client, with the queries and the response), the page count and the size.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="rehearse-bench-pdf-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["REDIS_URL"] = ""  # tasks run eagerly, in this process
os.environ["EMAIL_URL"] = "dummymail://"  # the review's email to the student goes nowhere
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

QUESTIONS = 15
GOOD = (
    "I would reproduce it first with a load test, then profile to find where the time goes, "
    "because guessing wastes time. Last year I found an N+1 query that way and cut p95 by 80%, "
    "and I added a regression test and a dashboard so that we would see it coming next time."
)
WEAK = "I am not sure; maybe add a cache, or ask someone who knows the system better."


def take_interview() -> tuple[Any, Any, Any]:
    """Make a student and their coach, and have the student take and finish the interview."""
    from django.core.management import call_command

    from accounts.models import Cohort, Membership, Organization, User
    from interviews import services
    from interviews.state import State
    from questionbank.models import Level, Track
    from reports import reviews

    call_command("migrate", verbosity=0)
    call_command("load_questionbank", verbosity=0)
    org = Organization.objects.create(name="Bench Centre", slug="bench")
    student = User.objects.create_user(email="student@bench.example", name="Sam Student")
    coach = User.objects.create_user(email="coach@bench.example", name="Casey Coach")
    Membership.objects.create(user=student, organization=org, role=Membership.Role.STUDENT)
    Membership.objects.create(user=coach, organization=org, role=Membership.Role.COACH)
    cohort = Cohort.objects.create(organization=org, name="Finalists")
    cohort.students.add(student)
    cohort.coaches.add(coach)
    interview = services.interview_create(
        user=student,
        track=Track.objects.get(slug="software-engineering"),
        level=Level.MID,
        interview_type="mixed",
        num_questions=QUESTIONS,
    )
    services.interview_start(interview_id=interview.pk, user=student)
    for number in range(1, 10 * QUESTIONS):
        interview.refresh_from_db()
        if interview.state != State.LISTENING:
            break
        text = GOOD if number % 2 else WEAK
        services.answer_submit(
            interview_id=interview.pk, user=student, text=text, client_id=str(number)
        )
    interview.refresh_from_db()
    assert interview.state == State.FINISHED, interview.state
    reviews.review_save(
        by=coach,
        interview_id=interview.pk,
        comment="Measure first, as you did in question 1; then say what you would change.",
        answers=[
            reviews.AnswerRating(turn=t.position, rating=3 + t.position % 3, comment="Be concrete.")
            for t in interview.turns.filter(answer__isnull=False)[:QUESTIONS]
        ],
    )
    return interview, student, coach


def pages(body: bytes) -> int:
    """Return the PDF's page count (pdfinfo's, else the page objects counted)."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True, check=True)
        return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page\b", body))


def timed(function: Any, rounds: int) -> tuple[list[float], Any]:
    """Call the function ROUNDS times; return each call's milliseconds and the last result."""
    timings, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings, result


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from reports import pdf, reviews

    try:
        interview, student, _ = take_interview()
        report = interview.report
        turns = len(report.questions)
        print(
            f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}; "
            f"{QUESTIONS} questions, {turns} turns with the follow-ups, {rounds} rounds"
        )

        def render(paper: str) -> bytes:
            return pdf.report_pdf(
                interview=interview,
                report=report,
                reviews=reviews.reviews_of(interview),
                paper=paper,
            )

        cold, _ = timed(lambda: render("a4"), 1)
        print(f"first render (WeasyPrint's import, fonts): {cold[0]:.0f} ms")
        client = Client()
        client.force_login(student)
        url = reverse("api-interview-report-pdf", args=[interview.pk])
        for paper in pdf.PAPERS:
            timings, body = timed(lambda paper=paper: render(paper), rounds)
            downloads, response = timed(
                lambda paper=paper: client.get(url, {"paper": paper}), rounds
            )
            assert response.status_code == 200, response.status_code
            print(
                f"{paper:6}  render median {statistics.median(timings):.0f} ms "
                f"(max {max(timings):.0f})  download median {statistics.median(downloads):.0f} ms  "
                f"{pages(body)} pages  {len(body) / 1024:.0f} KiB"
            )
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
