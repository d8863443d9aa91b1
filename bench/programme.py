"""How the coaching pages hold up in a big career centre: the roster, the review queue, the
student page and the cohort analytics, with 500 students and 5,000 finished interviews (15,000
answers) in one organisation (issues 14 and 15).

Run: `make bench-programme` (or `.venv/bin/python bench/programme.py [ROUNDS]`, default 5). It
needs PostgreSQL (DATABASE_URL's server, default 127.0.0.1:5432 as postgres); it makes the
database rehearse_programme, fills it, measures, and drops it. Each page is fetched through
Django's test client as a signed-in coach, once to warm up and then ROUNDS times; the figures
are the median time and the number of SQL queries. Each page is also measured with a tenth of
the data (a cohort of 50 students) to show that the number of queries does not grow with it.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "rehearse_programme"
SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

STUDENTS = 500
INTERVIEWS_EACH = 10  # 5,000 in all
ASSIGNED_EACH = 2  # of which attempts at the assignment
HELD_EVERY = 10  # one interview in ten waits for a coach
TURNS_EACH = 3  # answered questions per interview (15,000 answers in all)


def recreate_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def fill() -> tuple[Any, Any, Any, list[Any], Any]:
    """Make the organisation, its people, an assignment and 5,000 finished interviews."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Cohort, Membership, Organization, User
    from interviews.models import Answer, Assignment, Evaluation, Interview, Turn
    from interviews.state import State
    from questionbank.models import Level, Track
    from reports.models import Report

    call_command("migrate", verbosity=0)
    call_command("load_questionbank", verbosity=0)
    now = timezone.now()
    org = Organization.objects.create(name="Big Centre", slug="big")
    coach = User.objects.create_user(email="coach@big.example", name="Casey Coach")
    Membership.objects.create(user=coach, organization=org, role=Membership.Role.COACH)
    users = User.objects.bulk_create(
        User(email=f"s{n:04d}@big.example", name=f"Student {n:04d}", password="!")
        for n in range(STUDENTS)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organization=org, role=Membership.Role.STUDENT) for u in users
    )
    everyone = Cohort.objects.create(organization=org, name="All finalists")
    tenth = Cohort.objects.create(organization=org, name="Seminar group A")
    everyone.students.add(*users)
    tenth.students.add(*users[: STUDENTS // 10])
    for cohort in (everyone, tenth):
        cohort.coaches.add(coach)
    track = Track.objects.get(slug="software-engineering")
    plan = {
        "organization": org,
        "created_by": coach,
        "track": track,
        "level": Level.MID,
        "interview_type": "mixed",
        "num_questions": 3,
        "opens_at": now - datetime.timedelta(days=14),
        "due_at": now + datetime.timedelta(days=1),
        "max_attempts": None,
    }
    big = Assignment.objects.create(title="Week 6 mock", cohort=everyone, **plan)
    small = Assignment.objects.create(title="Seminar mock", cohort=tenth, **plan)
    interviews = []
    for index, user in enumerate(users):
        for n in range(INTERVIEWS_EACH):
            when = now - datetime.timedelta(days=30 - n, minutes=index)
            assignment = None
            if n < ASSIGNED_EACH:
                assignment = small if index < STUDENTS // 10 and n == 0 else big
            interviews.append(
                Interview(
                    user=user,
                    organization=org,
                    track=track,
                    level=Level.MID,
                    interview_type="mixed",
                    assignment=assignment,
                    state=State.FINISHED,
                    completed_at=when,
                    feedback_held=(index * INTERVIEWS_EACH + n) % HELD_EVERY == 0,
                )
            )
    Interview.objects.bulk_create(interviews, batch_size=1000)
    questions = list(track.questions.filter(status="published").select_related("skill")[:30])
    turns = [
        Turn(
            interview=interview,
            position=n + 1,
            number=n + 1,
            kind=Turn.Kind.CORE,
            question=question,
            skill=question.skill,
            text=question.text,
        )
        for index, interview in enumerate(interviews)
        for n, question in enumerate(questions[index % 10 : index % 10 + TURNS_EACH])
    ]
    Turn.objects.bulk_create(turns, batch_size=2000)
    answers = Answer.objects.bulk_create(
        (
            Answer(interview_id=t.interview_id, turn=t, kind=Answer.Kind.TEXT, text="An answer.")
            for t in turns
        ),
        batch_size=2000,
    )
    Evaluation.objects.bulk_create(
        (
            Evaluation(
                answer=a,
                technical=5,
                depth=5,
                experience=5,
                clarity=5,
                confidence=5,
                overall=3 + (n % 7),
                key_points=[
                    {"key_point": f"Key point {k}", "covered": (n + k) % 3 == 0, "score": 0.5}
                    for k in range(4)
                ],
            )
            for n, a in enumerate(answers)
        ),
        batch_size=2000,
    )
    Report.objects.bulk_create(
        (
            Report(
                interview=i,
                overall=40 + (hash(i.pk) % 50),
                verdict="hire",
                summary="A fair attempt.",
            )
            for i in interviews
        ),
        batch_size=1000,
    )
    return coach, big, small, users, everyone


def measure(client, url: str, rounds: int) -> tuple[float, int, int]:
    """Return the median milliseconds, the number of queries and the status of a page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up: templates, the bank's caches
    timings = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), len(queries.captured_queries), response.status_code


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    recreate_database()
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    try:
        started = time.perf_counter()
        coach, big, small, users, everyone = fill()
        print(
            f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}; PostgreSQL at {SERVER}"
        )
        print(
            f"data: {STUDENTS} students, {STUDENTS * INTERVIEWS_EACH} finished interviews, "
            f"filled in {time.perf_counter() - started:.0f} s; {rounds} rounds after a warm-up\n"
        )
        client = Client()
        client.force_login(coach)
        pages = [
            ("roster, 500 students", reverse("assignment_roster", args=[big.pk])),
            ("roster, 50 students", reverse("assignment_roster", args=[small.pk])),
            ("roster CSV, 500", reverse("assignment_roster", args=[big.pk]) + "?format=csv"),
            ("roster API, 500", reverse("api-assignment-roster", args=[big.pk])),
            ("review queue (500 held)", reverse("review_queue")),
            ("review queue API", reverse("api-review-queue")),
            ("student page, 10 interviews", reverse("student_detail", args=[users[0].pk])),
            ("student API, 10 interviews", reverse("api-student-detail", args=[users[0].pk])),
            ("cohort analytics, 500", reverse("cohort_analytics", args=[everyone.pk])),
            (
                "analytics heat map CSV, 500",
                reverse("cohort_analytics", args=[everyone.pk]) + "?csv=heatmap",
            ),
            ("analytics API, 500", reverse("api-cohort-analytics", args=[everyone.pk])),
        ]
        print(f"{'page':<30} {'median ms':>10} {'queries':>8} {'status':>7}")
        for label, url in pages:
            ms, queries, status = measure(client, url, rounds)
            print(f"{label:<30} {ms:>10.1f} {queries:>8} {status:>7}")
    finally:
        drop_database()


if __name__ == "__main__":
    main()
