"""Coaches read their students' reports, review them, and release feedback they held back."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.models import Membership
from interviews.models import Interview
from reports import reviews
from reports.models import Review
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

OUTSIDERS = ["second_student", "other_coach", "other_admin"]


@pytest.fixture
def interview(finished_interview, student, coached_cohort):
    return finished_interview(student)


@pytest.fixture
def uncoaching_coach(organization):
    """A coach of the centre who coaches none of the student's cohorts."""
    user = UserFactory.create(name="Uma Othercohort")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.COACH)
    return user


def rate(position=1, rating=4, comment="Good structure; name the index you added."):
    return [reviews.AnswerRating(turn=position, rating=rating, comment=comment)]


# --- Reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coach", "org_admin"])
def test_the_students_coach_and_the_centres_admin_read_the_report(
    request, client_for, interview, who
):
    page = client_for(request.getfixturevalue(who)).get(reverse("report", args=[interview.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Alice Student's Software Engineering interview" in text
    assert "I would profile it first" in text  # the transcript
    assert 'id="review-form"' in text


def test_the_student_does_not_get_a_review_form(client_for, interview, student):
    page = client_for(student).get(reverse("report", args=[interview.pk])).content.decode()
    assert 'id="review-form"' not in page and "Practise again" in page


@pytest.mark.parametrize("who", [*OUTSIDERS, "uncoaching_coach"])
def test_nobody_else_reads_the_report_or_reviews_it(request, client_for, interview, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("report", args=[interview.pk])).status_code == 404
    posted = client.post(
        reverse("report", args=[interview.pk]), {"action": "review", "comment": "x"}
    )
    assert posted.status_code == 404
    with pytest.raises(Http404):
        reviews.review_save(by=user, interview_id=interview.pk, comment="x", answers=[])
    assert not Review.objects.exists()


def test_work_done_before_joining_the_centre_stays_private(
    client_for, coach, student, coached_cohort, finished_interview
):
    before = finished_interview(student)
    Interview.objects.filter(pk=before.pk).update(organization=None)
    assert client_for(coach).get(reverse("report", args=[before.pk])).status_code == 404


# --- Reviewing ----------------------------------------------------------------------------------


def test_a_coach_reviews_an_answer_and_the_student_reads_it_beside_the_ai_feedback(
    client_for, coach, student, interview
):
    response = client_for(coach).post(
        reverse("report", args=[interview.pk]),
        {
            "action": "review",
            "comment": "A solid start. Practise quantifying your impact.",
            "rating_1": "4",
            "comment_1": "Good structure; name the index you added.",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.reviewer, review.answers.get().rating) == (coach, 4)
    # The student is told by email, with a link to the report.
    assert mail.outbox[-1].to == [student.email]
    assert reverse("report", args=[interview.pk]) in mail.outbox[-1].body

    page = client_for(student).get(reverse("report", args=[interview.pk])).content.decode()
    assert "Your coach's review" in page and "Practise quantifying your impact." in page
    assert "4/5" in page and "name the index you added" in page
    assert "Went well" in page or "Missing" in page  # the AI's feedback is still there


def test_a_second_review_by_the_same_coach_is_refused_but_an_edit_works(coach, interview):
    first = reviews.review_save(
        by=coach, interview_id=interview.pk, comment="First.", answers=rate()
    )
    with pytest.raises(ValidationError, match="already reviewed"):
        reviews.review_save(by=coach, interview_id=interview.pk, comment="Again.", answers=[])

    reviews.review_save(
        by=coach,
        interview_id=interview.pk,
        comment="Edited.",
        answers=rate(rating=2),
        review_id=first.pk,
    )
    first.refresh_from_db()
    assert first.comment == "Edited." and first.answers.get().rating == 2
    assert Review.objects.count() == 1


def test_another_coach_can_add_their_own_review_but_not_edit_or_delete_the_first(
    coach, org_admin, interview
):
    first = reviews.review_save(by=coach, interview_id=interview.pk, comment="Mine.", answers=[])
    with pytest.raises(Http404):
        reviews.review_save(
            by=org_admin,
            interview_id=interview.pk,
            comment="Hijack",
            answers=[],
            review_id=first.pk,
        )
    with pytest.raises(Http404):
        reviews.review_delete(by=org_admin, interview_id=interview.pk, review_id=first.pk)
    reviews.review_save(by=org_admin, interview_id=interview.pk, comment="Admin's.", answers=[])
    assert Review.objects.count() == 2
    reviews.review_delete(by=coach, interview_id=interview.pk, review_id=first.pk)
    assert list(Review.objects.values_list("comment", flat=True)) == ["Admin's."]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (rate(position=99), "has no answer"),
        (rate(rating=6), "from 1 to 5"),
        (rate() + rate(), "rated twice"),
        ([], "Write a comment or rate"),
    ],
)
def test_a_bad_review_is_refused_with_the_reason(coach, interview, answers, message):
    with pytest.raises(ValidationError, match=message):
        reviews.review_save(by=coach, interview_id=interview.pk, comment="", answers=answers)
    assert not Review.objects.exists()


def test_the_form_shows_the_error_and_keeps_nothing(client_for, coach, interview):
    response = client_for(coach).post(
        reverse("report", args=[interview.pk]), {"action": "review", "rating_1": "nine"}
    )
    assert response.status_code == 200
    assert "Rate question 1 from 1 to 5." in response.content.decode()
    assert not Review.objects.exists()


def test_an_interview_under_way_cannot_be_reviewed(coach, student, coached_cohort, make_interview):
    open_one = make_interview(student)
    with pytest.raises(ValidationError, match="finished interview"):
        reviews.review_save(by=coach, interview_id=open_one.pk, comment="Early", answers=[])


# --- Holding the feedback for a coach ----------------------------------------------------------


@pytest.fixture
def held(finished_interview, student, coached_cohort, organization):
    organization.hold_feedback = True
    organization.save()
    return finished_interview(student)


def test_held_feedback_waits_for_a_coach_then_the_student_reads_it(
    client_for, coach, student, held
):
    assert held.feedback_held
    student_client = client_for(student)
    page = student_client.get(reverse("report", args=[held.pk])).content.decode()
    assert "Awaiting your coach's review" in page and "Question by question" not in page
    assert "Awaiting review" in student_client.get(reverse("interview_history")).content.decode()
    api = student_client.get(reverse("api-interview-report", args=[held.pk]))
    assert api.status_code == 202 and api.json()["state"] == "awaiting_review"
    assert (
        student_client.get(reverse("api-interview-detail", args=[held.pk])).json()["score"] is None
    )

    coach_client = client_for(coach)
    queue = coach_client.get(reverse("review_queue")).content.decode()
    assert reverse("report", args=[held.pk]) in queue
    coach_client.post(reverse("report", args=[held.pk]), {"action": "release"})

    held.refresh_from_db()
    assert not held.feedback_held and held.feedback_released_by == coach
    assert (
        "Question by question"
        in student_client.get(reverse("report", args=[held.pk])).content.decode()
    )
    assert (
        reverse("report", args=[held.pk])
        not in coach_client.get(reverse("review_queue")).content.decode()
    )


def test_a_coachs_own_practice_is_never_held(coach, organization, finished_interview):
    organization.hold_feedback = True
    organization.save()
    assert not finished_interview(coach).feedback_held


def test_the_queue_lists_held_interviews_oldest_first_and_only_the_coachs_students(
    coach, student, second_student, coached_cohort, organization, finished_interview
):
    organization.hold_feedback = True
    organization.save()
    older = finished_interview(student)
    newer = finished_interview(student)
    finished_interview(second_student)  # not in a cohort the coach coaches
    assert list(reviews.review_queue(coach)) == [older, newer]


def test_the_queue_page_shows_fifty_at_a_time_oldest_first(
    client_for, coach, student, coached_cohort, make_interview
):
    from interviews.state import State

    interview = make_interview(student)
    held = [interview]
    for _ in range(54):  # copies of one finished, held interview: only the queue's order matters
        held.append(
            Interview.objects.create(
                user=student,
                organization=interview.organization,
                track=interview.track,
                level=interview.level,
                interview_type=interview.interview_type,
            )
        )
    Interview.objects.filter(pk__in=[i.pk for i in held]).update(
        state=State.FINISHED, feedback_held=True
    )
    client = client_for(coach)
    first = client.get(reverse("review_queue")).context["queue"]
    second = client.get(reverse("review_queue") + "?page=2").context["queue"]
    assert len(first) == 50 and len(second) == 5
    assert {i.pk for i in first} | {i.pk for i in second} == {i.pk for i in held}
    assert "Page 1 of 2" in client.get(reverse("review_queue")).content.decode()


def test_a_coach_of_another_cohort_cannot_release_it(held, uncoaching_coach):
    with pytest.raises(Http404):
        reviews.feedback_release(by=uncoaching_coach, interview_id=held.pk)
    held.refresh_from_db()
    assert held.feedback_held


# --- The student page ---------------------------------------------------------------------------


def test_the_student_page_shows_interviews_reports_and_assignment_history(
    client_for, coach, student, interview
):
    page = client_for(coach).get(reverse("student_detail", args=[student.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert student.email in text and "MSc Data Science 2027" in text
    assert reverse("report", args=[interview.pk]) in text
    assert "Assigned practice" in text and "Resumes" in text


@pytest.mark.parametrize("who", ["student", *OUTSIDERS, "uncoaching_coach"])
def test_nobody_else_opens_the_student_page(request, client_for, student, coached_cohort, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("student_detail", args=[student.pk])).status_code == 404
    assert client.get(reverse("api-student-detail", args=[student.pk])).status_code == 404


def test_the_student_page_takes_the_same_queries_for_one_interview_or_many(
    client_for, coach, student, finished_interview, django_assert_max_num_queries, interview
):
    client = client_for(coach)
    url = reverse("student_detail", args=[student.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(3):
        finished_interview(student)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
