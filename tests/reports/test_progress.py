"""A student's progress: scores over time, mastery that needs several answers, trends in words,
the key points they keep missing, and a "practise this skill next" that sets the interview up."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Evaluation, Interview
from reports import progress
from reports.models import Report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

ANSWERS = [
    "I'd guess it is the database.",
    "I would profile the endpoint first, find the slow query and add an index.",
    "I would reproduce the slowdown with a load test, profile it, find the N+1 query, fix it "
    "with select_related and an index, and confirm p95 went from 3 s back to 200 ms.",
]


def test_mastery_needs_several_answers_and_shrinks_one_good_answer():
    one = progress.mastery(1, "Debugging", [9.5])
    assert one.level == "Too few answers to tell" and one.estimate < 7
    steady = progress.mastery(1, "Debugging", [8.0, 8.5, 8.2, 8.8, 8.1])
    assert steady.level == "Strong" and steady.low >= 6
    mixed = progress.mastery(1, "Debugging", [9.0, 2.0, 8.0])
    assert mixed.level in ("Needs work", "Developing") and mixed.margin > steady.margin


def test_trends_read_the_last_interviews():
    at = timezone.now()
    points = [progress.Point(str(n), at, s) for n, s in enumerate([3.0, 4.8, 5.5, 6.0, 6.9])]
    assert progress.trend("Stakeholder management", points) == (
        "Stakeholder management: up from 4.8 to 6.9 over your last 4 interviews"
    )
    flat = [progress.Point(str(n), at, s) for n, s in enumerate([6.0, 6.2])]
    assert "steady around 6.1" in (progress.trend("Debugging", flat) or "")
    assert progress.trend("Debugging", flat[:1]) is None


def test_the_series_after_three_interviews_are_what_the_reports_say(student, finished_interview):
    taken = [finished_interview(student, answer=text) for text in ANSWERS]
    for n, interview in enumerate(taken):  # one a day, in order
        Interview.objects.filter(pk=interview.pk).update(
            completed_at=timezone.now() - datetime.timedelta(days=3 - n)
        )

    found = progress.progress_of(student)

    assert found.interviews == 3
    reports = [Report.objects.get(interview=i) for i in taken]
    skill = reports[0].skills[0]["name"]
    expected = [
        next(s["score"] for s in r.skills if s["name"] == skill)
        for r in reports
        if any(s["name"] == skill for s in r.skills)
    ]
    assert [p.score for p in found.skills[skill]] == expected
    technical = [p.score for p in found.dimensions["Technical correctness"]]
    assert technical == [r.dimensions["technical"] for r in reports]
    answered = Evaluation.objects.filter(answer__interview__in=taken).count()
    assert sum(m.answers for m in found.mastery) == answered


def test_held_feedback_is_not_progress_until_released(
    student, finished_interview, organization, coached_cohort
):
    finished_interview(student)
    organization.hold_feedback = True
    organization.save()
    finished_interview(student)
    assert progress.progress_of(student).interviews == 1


def test_a_key_point_missed_in_two_interviews_is_named_with_a_quote():
    rows = [
        {
            "key_points": [{"key_point": "Quantifies the outcome", "covered": False}],
            "interview": interview,
            "question": "Tell me about a project.",
            "answer": f"It went well, attempt {interview}.",
        }
        for interview in ("a", "b")
    ] + [
        {
            "key_points": [{"key_point": "Names the stakeholders", "covered": False}],
            "interview": "a",
            "question": "Q",
            "answer": "Once only.",
        }
    ]
    missed = progress.missed_points(rows)
    assert [m.key_point for m in missed] == ["Quantifies the outcome"]
    assert missed[0].interviews == 2 and missed[0].quote == "It went well, attempt b."


def test_the_progress_page_and_api_show_the_same_series(client_for, student, finished_interview):
    for text in ANSWERS[:2]:
        finished_interview(student, answer=text)
    client = client_for(student)
    page = client.get(reverse("progress")).content.decode()
    assert (
        "Mastery by skill" in page and "skills-progress" in page and "What to practise next" in page
    )
    body = client.get("/api/v1/progress/").json()
    assert body["interviews"] == 2
    assert {s["name"] for s in body["skills"]} == set(progress.progress_of(student).skills)
    assert all(len(s["points"]) >= 1 for s in body["dimensions"])


def test_practise_this_skill_next_sets_up_an_interview_on_it(client_for, student, software):
    skill = software.skills.first()
    page = client_for(student).get(
        reverse("interview_setup") + f"?track={software.slug}&skill={skill.pk}"
    )
    ticked = [box.data["value"] for box in page.context["form"]["skills"] if box.data["selected"]]
    assert ticked == [skill.pk]


def test_someone_with_no_interview_sees_how_to_start(client_for, student):
    page = client_for(student).get(reverse("progress")).content.decode()
    assert "Finish an interview to see your progress" in page
