"""Assigned practice: setting it, who it is for, starting it as assigned, the roster, emails."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Cohort, Membership
from config.errors import Refused
from interviews import assignments, services
from interviews.models import Assignment, Interview
from interviews.state import State
from questionbank.models import Level, QuestionSet, QuestionSetItem
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

NOW = timezone.now()


def values(software, **changes):
    """The fields of a typical assignment: three typed mixed questions, open now, due in a week."""
    return {
        "title": "Week 3: technical practice",
        "instructions": "Focus on explaining your reasoning.",
        "track": software,
        "level": Level.MID,
        "interview_type": "mixed",
        "num_questions": 3,
        "answer_mode": "text",
        "opens_at": NOW - datetime.timedelta(hours=1),
        "due_at": NOW + datetime.timedelta(days=7),
        "max_attempts": 2,
        "allow_late": True,
        "show_verdict": True,
        "hold_feedback": False,
    } | changes


@pytest.fixture
def assignment(coach, coached_cohort, software):
    return assignments.assignment_save(by=coach, cohort=coached_cohort, **values(software))


# --- Setting it ---------------------------------------------------------------------------------


def test_a_coach_assigns_practice_to_a_cohort_they_coach_and_its_students_are_emailed(
    coach, coached_cohort, student, second_student, software
):
    coached_cohort.students.add(second_student)
    second_student.email_reminders = False
    second_student.save()

    assignment = assignments.assignment_save(by=coach, cohort=coached_cohort, **values(software))

    assert list(assignments.assignees(assignment)) == [student, second_student]
    assert [m.to for m in mail.outbox] == [[student.email]]  # the other turned emails off
    assert "Week 3: technical practice" in mail.outbox[0].subject
    assert "/dashboard/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_at": NOW - datetime.timedelta(days=1)}, "due_at", "after the opening date"),
        ({"title": "  "}, "title", "title"),
        ({"max_attempts": 6}, "max_attempts", "1 to 5"),
        (
            {"num_questions": 15, "level": Level.INTERN, "interview_type": "system_design"},
            "num_questions",
            "choose at most",
        ),
    ],
)
def test_bad_assignments_are_refused_with_the_reason(
    coach, coached_cohort, software, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        assignments.assignment_save(by=coach, cohort=coached_cohort, **values(software, **changes))
    assert message in " ".join(refused.value.message_dict[field])
    assert not Assignment.objects.exists()


def test_an_empty_question_set_is_refused(coach, coached_cohort, software, organization):
    empty = QuestionSet.objects.create(name="Empty", owner=organization, status="published")
    with pytest.raises(ValidationError) as refused:
        assignments.assignment_save(
            by=coach, cohort=coached_cohort, **values(software, question_set=empty)
        )
    assert "no published" in refused.value.message_dict["question_set"][0]


def test_a_draft_question_set_is_refused_until_it_is_published(
    coach, coached_cohort, software, student
):
    draft = QuestionSet.objects.create(name="Draft", owner=coached_cohort.organization)
    QuestionSetItem.objects.create(
        question_set=draft, question=software.questions.published().first(), position=0
    )
    with pytest.raises(ValidationError, match="draft"):
        assignments.assignment_save(
            by=coach, cohort=coached_cohort, **values(software, question_set=draft)
        )
    with pytest.raises(ValidationError, match="draft"):
        services.interview_create(
            user=student,
            track=software,
            level=Level.MID,
            interview_type="mixed",
            question_set=draft,
        )
    draft.status = QuestionSet.Status.PUBLISHED
    draft.save()
    assert (
        assignments.assignment_save(
            by=coach, cohort=coached_cohort, **values(software, question_set=draft)
        ).question_set
        == draft
    )


def test_nobody_is_assigned_practice_outside_the_coachs_reach(
    coach, coached_cohort, software, organization, other_organization, other_coach, second_student
):
    other_cohort = Cohort.objects.create(organization=other_organization, name="Theirs")
    uncoached = Cohort.objects.create(organization=organization, name="Not coached by carol")
    for cohort, students, field in [
        (other_cohort, [], "cohort"),  # a cohort of another organisation
        (uncoached, [], "cohort"),  # a cohort of the centre the coach does not coach
        (None, [second_student], "students"),  # a student of no cohort the coach coaches
        (None, [], "cohort"),  # nobody at all
    ]:
        with pytest.raises(ValidationError) as refused:
            assignments.assignment_save(
                by=coach, cohort=cohort, students=students, **values(software)
            )
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError):
        assignments.assignment_save(by=other_coach, cohort=coached_cohort, **values(software))
    assert not Assignment.objects.exists()


def test_an_admin_assigns_to_any_student_of_the_centre(org_admin, second_student, software):
    assignment = assignments.assignment_save(
        by=org_admin, students=[second_student], **values(software)
    )
    assert list(assignments.assignees(assignment)) == [second_student]


def test_students_who_leave_the_cohort_or_the_centre_are_no_longer_assigned(
    assignment, coached_cohort, student, second_student
):
    coached_cohort.students.add(second_student)
    assert set(assignments.assignees(assignment)) == {student, second_student}
    coached_cohort.students.remove(second_student)
    student.membership.delete()
    assert list(assignments.assignees(assignment)) == []


# --- Taking it ----------------------------------------------------------------------------------


def test_a_student_starts_the_practice_set_up_exactly_as_assigned(assignment, student):
    interview = assignments.assignment_start(student=student, assignment_id=assignment.pk)
    assert interview.assignment == assignment
    assert (interview.track, interview.level, interview.interview_type) == (
        assignment.track,
        Level.MID,
        "mixed",
    )
    assert (interview.num_questions, interview.answer_mode) == (3, "text")
    # A second tab, a double click: the attempt under way, not a second one.
    assert assignments.assignment_start(student=student, assignment_id=assignment.pk) == interview
    assert Interview.objects.count() == 1


def test_a_set_assignment_asks_the_sets_questions(coach, coached_cohort, software, student):
    chosen = list(software.questions.filter(type="technical")[:3])
    question_set = QuestionSet.objects.create(
        name="Three technical", owner=None, status="published"
    )
    for position, question in enumerate(chosen):
        QuestionSetItem.objects.create(
            question_set=question_set, question=question, position=position
        )
    assignment = assignments.assignment_save(
        by=coach, cohort=coached_cohort, **values(software, question_set=question_set)
    )
    interview = assignments.assignment_start(student=student, assignment_id=assignment.pk)
    services.interview_start(interview_id=interview.pk, user=student)
    assert interview.turns.get(position=1).question == chosen[0]


def test_attempts_run_out(assignment, student, finished_interview):
    for _ in range(2):
        interview = assignments.assignment_start(student=student, assignment_id=assignment.pk)
        services.interview_start(interview_id=interview.pk, user=student)
        services.answer_submit(
            interview_id=interview.pk, user=student, text="An answer.", client_id="a"
        )
        services.interview_end(interview_id=interview.pk, user=student)
    with pytest.raises(Refused, match="used every attempt"):
        assignments.assignment_start(student=student, assignment_id=assignment.pk)
    assert assignment.interviews.count() == 2


def test_it_is_refused_before_it_opens_and_after_it_is_due_unless_late_is_allowed(
    coach, coached_cohort, software, student
):
    later = assignments.assignment_save(
        by=coach,
        cohort=coached_cohort,
        **values(
            software,
            opens_at=NOW + datetime.timedelta(days=1),
            due_at=NOW + datetime.timedelta(days=2),
        ),
    )
    with pytest.raises(Refused, match="Opens"):
        assignments.assignment_start(student=student, assignment_id=later.pk)
    past = values(
        software, opens_at=NOW - datetime.timedelta(days=3), due_at=NOW - datetime.timedelta(days=1)
    )
    closed = assignments.assignment_save(
        by=coach,
        cohort=coached_cohort,
        **past,
    )
    Assignment.objects.filter(pk=closed.pk).update(allow_late=False)
    with pytest.raises(Refused, match="due date has passed"):
        assignments.assignment_start(student=student, assignment_id=closed.pk)
    Assignment.objects.filter(pk=closed.pk).update(allow_late=True)
    assert assignments.assignment_start(student=student, assignment_id=closed.pk).assignment_id


@pytest.mark.parametrize("who", ["second_student", "coach", "other_coach"])
def test_nobody_else_starts_a_students_assignment(request, assignment, who):
    with pytest.raises(Exception) as refused:
        assignments.assignment_start(
            student=request.getfixturevalue(who), assignment_id=assignment.pk
        )
    assert refused.typename == "Http404"


def test_the_dashboard_shows_the_assignment_with_a_start_button_that_starts_it(
    client_for, assignment, student
):
    client = client_for(student)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Assigned to you" in page and "Week 3: technical practice" in page
    assert reverse("assignment_start", args=[assignment.pk]) in page

    response = client.post(reverse("assignment_start", args=[assignment.pk]))

    interview = Interview.objects.get(assignment=assignment)
    assert response["Location"] == reverse("interview_room", args=[interview.pk])
    assert "Resume" in client.get(reverse("dashboard")).content.decode()


def test_a_refused_start_from_the_dashboard_says_why(client_for, assignment, student):
    Assignment.objects.filter(pk=assignment.pk).update(opens_at=NOW + datetime.timedelta(days=1))
    response = client_for(student).post(
        reverse("assignment_start", args=[assignment.pk]), follow=True
    )
    assert "Opens" in response.content.decode()
    assert not Interview.objects.exists()


# --- Who did what -------------------------------------------------------------------------------


def test_the_roster_shows_each_students_status_attempts_and_scores(
    assignment, coached_cohort, student, second_student, organization
):
    third = UserFactory.create(name="Cleo Student")
    MembershipFactory(user=third, organization=organization, role=Membership.Role.STUDENT)
    coached_cohort.students.add(second_student, third)
    for _ in range(2):
        done = assignments.assignment_start(student=student, assignment_id=assignment.pk)
        services.interview_start(interview_id=done.pk, user=student)
        services.answer_submit(
            interview_id=done.pk,
            user=student,
            text="I would profile the endpoint, find the slow query and add an index.",
            client_id="x",
        )
        services.interview_end(interview_id=done.pk, user=student)
    assignments.assignment_start(student=second_student, assignment_id=assignment.pk)

    rows = {r.student: r for r in assignments.roster(assignment)}

    alice = rows[student]
    scores = [i.report.overall for i in assignment.interviews.filter(user=student)]
    assert (alice.status, alice.attempts) == ("done", 2)
    assert alice.best_score == max(scores)
    assert (
        alice.latest_score
        == assignment.interviews.filter(user=student).latest("created_at").report.overall
    )
    assert [r["interview"] for r in alice.reports] == list(
        assignment.interviews.filter(user=student)
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )
    assert (rows[second_student].status, rows[second_student].attempts) == ("in progress", 1)
    assert (rows[third].status, rows[third].attempts) == ("not started", 0)

    by_status = [r.student for r in assignments.roster(assignment, sort="status")]
    assert by_status == [third, second_student, student]
    best_first = assignments.roster(assignment, sort="best", descending=True)
    assert best_first[0].student == student


def test_after_the_due_date_unfinished_and_late_work_is_marked_late(
    assignment, student, second_student, coached_cohort
):
    coached_cohort.students.add(second_student)
    done = assignments.assignment_start(student=student, assignment_id=assignment.pk)
    services.interview_start(interview_id=done.pk, user=student)
    services.answer_submit(interview_id=done.pk, user=student, text="An answer.", client_id="1")
    services.interview_end(interview_id=done.pk, user=student)
    Assignment.objects.filter(pk=assignment.pk).update(
        opens_at=NOW - datetime.timedelta(days=3), due_at=NOW - datetime.timedelta(days=1)
    )
    assignment.refresh_from_db()
    rows = {r.student: r.status for r in assignments.roster(assignment)}
    # Finished after the due date (it was completed just now), and never started.
    assert rows == {student: "late", second_student: "late"}


def test_the_roster_page_and_its_csv(client_for, coach, assignment, student):
    client = client_for(coach)
    page = client.get(reverse("assignment_roster", args=[assignment.pk]))
    assert page.status_code == 200
    assert student.name in page.content.decode() and "not started" in page.content.decode()

    student.name = '=HYPERLINK("http://evil")'
    student.save()
    response = client.get(reverse("assignment_roster", args=[assignment.pk]) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["name", "email", "status", "attempts"]
    # A spreadsheet must not run a student's name as a formula.
    assert rows[1][0].startswith("'=") and rows[1][1:4] == [student.email, "not started", "0"]


def test_the_roster_takes_the_same_number_of_queries_for_five_students_or_fifty(
    assignment, coached_cohort, organization, django_assert_max_num_queries
):
    def add_students(count):
        for _ in range(count):
            user = UserFactory.create()
            MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
            coached_cohort.students.add(user)
            Interview.objects.create(
                user=user,
                organization=organization,
                track=assignment.track,
                level=Level.MID,
                interview_type="mixed",
                assignment=assignment,
                state=State.FINISHED,
                completed_at=NOW,
            )

    add_students(5)
    with django_assert_max_num_queries(3):
        assert len(assignments.roster(assignment)) == 6
    add_students(45)
    with django_assert_max_num_queries(3):
        assert len(assignments.roster(assignment)) == 51


@pytest.mark.parametrize("who", ["student", "second_student", "other_coach", "other_admin"])
def test_nobody_else_sees_or_changes_the_assignment(request, client_for, assignment, who):
    client = client_for(request.getfixturevalue(who))
    for name in ("assignment_roster", "assignment_edit"):
        assert client.get(reverse(name, args=[assignment.pk])).status_code == 404
    assert (
        client.get(reverse("assignment_roster", args=[assignment.pk]) + "?format=csv").status_code
        == 404
    )
    assert client.post(reverse("assignment_delete", args=[assignment.pk])).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_coach_who_no_longer_coaches_the_cohort_sees_nobody_on_their_roster(
    client_for, coach, assignment, coached_cohort, student
):
    coached_cohort.coaches.remove(coach)
    page = client_for(coach).get(reverse("assignment_roster", args=[assignment.pk]))
    assert page.status_code == 200  # they set it, so it is still theirs to manage
    assert student.email not in page.content.decode() and student.name not in page.content.decode()


def test_a_coach_of_another_cohort_of_the_centre_gets_404(client_for, assignment, organization):
    other = UserFactory.create()
    MembershipFactory(user=other, organization=organization, role=Membership.Role.COACH)
    client = client_for(other)
    assert client.get(reverse("assignment_roster", args=[assignment.pk])).status_code == 404
    assert "Week 3" not in client.get(reverse("assignment_list")).content.decode()


def test_the_assignment_form_creates_and_shows_errors(client_for, coach, coached_cohort, software):
    client = client_for(coach)
    assert client.get(reverse("assignment_create")).status_code == 200
    form = {
        "title": "Mock week",
        "cohort": coached_cohort.pk,
        "track": software.pk,
        "level": Level.MID,
        "interview_type": "mixed",
        "num_questions": 3,
        "answer_mode": "text",
        "opens_at": "2026-12-10T09:00",
        "due_at": "2026-12-09T09:00",
        "max_attempts": "unlimited",
        "allow_late": "on",
    }
    refused = client.post(reverse("assignment_create"), form)
    assert refused.status_code == 200
    assert "The due date must be after the opening date." in refused.content.decode()

    created = client.post(reverse("assignment_create"), form | {"due_at": "2026-12-17T09:00"})
    assignment = Assignment.objects.get()
    assert created["Location"] == reverse("assignment_roster", args=[assignment.pk])
    assert assignment.max_attempts is None and assignment.cohort == coached_cohort


def test_students_and_people_on_their_own_cannot_open_the_assignment_pages(client_for, student):
    for user in (student, UserFactory.create()):
        client = client_for(user)
        assert client.get(reverse("assignment_list")).status_code == 404
        assert client.get(reverse("assignment_create")).status_code == 404


# --- Reminders ----------------------------------------------------------------------------------


def test_students_are_reminded_once_the_day_before_unless_done_or_opted_out(
    assignment, coached_cohort, student, second_student, organization
):
    opted_out = UserFactory.create(email_reminders=False)
    MembershipFactory(user=opted_out, organization=organization, role=Membership.Role.STUDENT)
    coached_cohort.students.add(second_student, opted_out)
    done = assignments.assignment_start(student=second_student, assignment_id=assignment.pk)
    services.interview_start(interview_id=done.pk, user=second_student)
    services.answer_submit(interview_id=done.pk, user=second_student, text="Done.", client_id="1")
    services.interview_end(interview_id=done.pk, user=second_student)
    mail.outbox.clear()

    assert assignments.assignments_remind_due() == 0  # due in a week: not yet
    soon = assignment.due_at - datetime.timedelta(hours=20)
    assert assignments.assignments_remind_due(now=soon) == 1
    assert assignments.assignments_remind_due(now=soon) == 0  # sent once
    assert [m.to for m in mail.outbox] == [[student.email]]
    assert "Due tomorrow" in mail.outbox[0].subject
