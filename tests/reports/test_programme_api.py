"""The programme's REST API: assignments, their roster, starting one, reviews, releasing held
feedback, the review queue, and students; everyone outside the coach's reach gets 404."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from interviews.models import Assignment, Interview
from reports.models import Review

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

NOW = timezone.now()


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(cohort, **changes):
    return {
        "title": "Mock week",
        "cohort": cohort.pk,
        "track": "software-engineering",
        "level": "mid",
        "interview_type": "mixed",
        "num_questions": 3,
        "answer_mode": "text",
        "opens_at": (NOW - datetime.timedelta(hours=1)).isoformat(),
        "due_at": (NOW + datetime.timedelta(days=7)).isoformat(),
        "max_attempts": None,
    } | changes


@pytest.fixture
def assignment(coach, coached_cohort, software):
    response = api_for(coach).post("/api/v1/assignments/", body(coached_cohort), format="json")
    assert response.status_code == 201, response.json()
    return Assignment.objects.get(pk=response.json()["id"])


def test_a_coach_creates_an_assignment_and_a_student_starts_it_through_the_api(
    assignment, student, coach
):
    mine = api_for(student).get("/api/v1/assignments/").json()["results"]
    assert [a["id"] for a in mine] == [assignment.pk]
    started = api_for(student).post(f"/api/v1/assignments/{assignment.pk}/start/")
    assert started.status_code == 201
    assert started.json()["assignment"] == assignment.pk

    roster = api_for(coach).get(f"/api/v1/assignments/{assignment.pk}/roster/").json()
    assert [(r["student"]["email"], r["status"], r["attempts"]) for r in roster] == [
        (student.email, "in progress", 1)
    ]


def test_bad_assignments_get_field_errors(coach, coached_cohort, other_organization, software):
    from accounts.models import Cohort

    theirs = Cohort.objects.create(organization=other_organization, name="Theirs")
    client = api_for(coach)
    cases = [
        (body(coached_cohort, due_at=(NOW - datetime.timedelta(days=2)).isoformat()), "due_at"),
        (body(theirs), "cohort"),
        (body(coached_cohort, students=[999999]), "students"),
        (body(coached_cohort, max_attempts=9), "max_attempts"),
    ]
    for data, field in cases:
        response = client.post("/api/v1/assignments/", data, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not Assignment.objects.exists()


def test_a_coach_changes_and_withdraws_their_assignment(coach, assignment):
    client = api_for(coach)
    changed = client.patch(
        f"/api/v1/assignments/{assignment.pk}/", {"title": "Renamed"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Renamed"
    assert client.delete(f"/api/v1/assignments/{assignment.pk}/").status_code == 204
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("who", ["second_student", "other_coach", "other_admin"])
def test_nobody_else_reaches_the_assignment_through_the_api(request, assignment, who):
    client = api_for(request.getfixturevalue(who))
    base = f"/api/v1/assignments/{assignment.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "roster/").status_code == 404
    assert client.patch(base, {"title": "x"}, format="json").status_code == 404
    assert client.delete(base).status_code == 404
    assert client.post(base + "start/").status_code == 404
    assert Assignment.objects.get().title == "Mock week"


def test_a_student_cannot_see_the_roster_or_change_their_assignment(student, assignment):
    client = api_for(student)
    base = f"/api/v1/assignments/{assignment.pk}/"
    assert client.get(base + "roster/").status_code == 404
    assert client.patch(base, {"title": "x"}, format="json").status_code == 404
    assert client.delete(base).status_code == 404
    assert client.post("/api/v1/assignments/", {}, format="json").status_code in (400, 404)


# --- Reviews ------------------------------------------------------------------------------------


@pytest.fixture
def interview(finished_interview, student, coached_cohort):
    return finished_interview(student)


def test_a_coach_posts_edits_and_deletes_a_review_and_the_student_reads_it(
    coach, student, interview
):
    client = api_for(coach)
    url = f"/api/v1/interviews/{interview.pk}/reviews/"
    posted = client.post(
        url,
        {"comment": "Well argued.", "answers": [{"turn": 1, "rating": 5, "comment": "Clear."}]},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    review_id = posted.json()["id"]
    assert posted.json()["answers"] == [{"turn": 1, "rating": 5, "comment": "Clear."}]
    assert mail.outbox[-1].to == [student.email]

    again = client.post(url, {"comment": "Twice"}, format="json")
    assert again.status_code == 400 and "review" in again.json()["errors"]

    edited = client.patch(f"{url}{review_id}/", {"comment": "Edited."}, format="json")
    assert edited.status_code == 200 and edited.json()["comment"] == "Edited."
    read = api_for(student).get(url).json()
    assert [r["comment"] for r in read] == ["Edited."]
    assert client.delete(f"{url}{review_id}/").status_code == 204
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["student", "second_student", "other_coach", "other_admin"])
def test_nobody_but_the_students_coaches_posts_a_review_or_releases(request, interview, who):
    client = api_for(request.getfixturevalue(who))
    url = f"/api/v1/interviews/{interview.pk}/reviews/"
    assert client.post(url, {"comment": "x"}, format="json").status_code == 404
    assert client.post(f"/api/v1/interviews/{interview.pk}/release/").status_code == 404
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["second_student", "other_coach", "other_admin"])
def test_nobody_else_reads_the_reviews_report_or_student(request, interview, student, who):
    client = api_for(request.getfixturevalue(who))
    assert client.get(f"/api/v1/interviews/{interview.pk}/reviews/").status_code == 404
    assert client.get(f"/api/v1/interviews/{interview.pk}/report/").status_code == 404
    assert client.get(f"/api/v1/students/{student.pk}/").status_code == 404
    assert student.email not in str(client.get("/api/v1/students/").json())


def test_the_queue_and_release_through_the_api(
    coach, student, coached_cohort, organization, finished_interview
):
    organization.hold_feedback = True
    organization.save()
    held = finished_interview(student)
    client = api_for(coach)
    queue = client.get("/api/v1/review-queue/").json()["results"]
    assert [q["id"] for q in queue] == [str(held.pk)]
    assert api_for(student).get(f"/api/v1/interviews/{held.pk}/report/").status_code == 202
    # The coach reads the held report in full.
    assert client.get(f"/api/v1/interviews/{held.pk}/report/").status_code == 200

    released = client.post(f"/api/v1/interviews/{held.pk}/release/")
    assert released.status_code == 200 and released.json()["feedback_held"] is False
    assert api_for(student).get(f"/api/v1/interviews/{held.pk}/report/").status_code == 200
    assert client.get("/api/v1/review-queue/").json()["results"] == []


def test_a_coach_lists_their_students_and_opens_one(coach, student, second_student, interview):
    listed = api_for(coach).get("/api/v1/students/").json()["results"]
    assert [s["email"] for s in listed] == [student.email]  # second_student is in no cohort
    detail = api_for(coach).get(f"/api/v1/students/{student.pk}/").json()
    assert [i["id"] for i in detail["interviews"]] == [str(interview.pk)]
    assert detail["interviews"][0]["score"] == Interview.objects.get().report.overall
