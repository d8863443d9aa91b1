"""The setup page, the room, the history and the report page; others get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import Interview

# Real commits: the next step is enqueued on commit, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


def test_setup_first_asks_for_the_track_then_creates_the_interview(client_for, student, software):
    client = client_for(student)
    assert "Software Engineering" in client.get(reverse("interview_setup")).content.decode()
    page = client.get(reverse("interview_setup") + "?track=software-engineering")
    assert "Skills to cover" in page.content.decode()

    response = client.post(
        reverse("interview_setup"),
        {
            "track": "software-engineering",
            "level": "3",
            "interview_type": "technical",
            "num_questions": "5",
            "answer_mode": "text",
        },
    )

    interview = Interview.objects.get()
    assert response["Location"] == reverse("interview_room", args=[interview.pk])
    assert interview.num_questions == 5


@pytest.mark.parametrize(("provider", "flag"), [("none", "false"), ("openai", "true")])
def test_setup_tells_the_page_whether_the_server_transcribes(
    client_for, student, software, settings, provider, flag
):
    # Without it, the page requires the browser's own speech recognition for voice answers.
    settings.STT_PROVIDER = provider
    page = client_for(student).get(reverse("interview_setup") + "?track=software-engineering")
    assert f'data-server-stt="{flag}"' in page.content.decode()


def test_setup_shows_field_errors(client_for, student, software):
    response = client_for(student).post(
        reverse("interview_setup"),
        {
            "track": "software-engineering",
            "level": "1",
            "interview_type": "system_design",
            "num_questions": "15",
            "answer_mode": "text",
        },
    )
    assert response.status_code == 200
    assert "choose at most" in response.content.decode()
    assert not Interview.objects.exists()


def test_the_room_history_and_report_pages(client_for, student, make_interview):
    interview = make_interview(student)
    client = client_for(student)
    room = client.get(reverse("interview_room", args=[interview.pk])).content.decode()
    assert 'id="room"' in room and str(interview.pk) in room
    assert "Resume" in client.get(reverse("interview_history")).content.decode()
    assert client.get(reverse("report", args=[interview.pk])).status_code == 202

    services.interview_start(interview_id=interview.pk, user=student)
    services.answer_submit(
        interview_id=interview.pk, user=student, text="I would profile it first.", client_id="1"
    )
    services.interview_end(interview_id=interview.pk, user=student)

    page = client.get(reverse("report", args=[interview.pk])).content.decode()
    assert "Question by question" in page and "I would profile it first." in page
    assert "skills-chart" in page
    # Which engine scored it, and that the local engine's scores are estimates.
    assert "Scored by Rehearse's own engine" in page and "the scores are estimates" in page


def test_the_report_shows_a_mistake_the_answer_made_quoting_it(client_for, student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    services.answer_submit(
        interview_id=interview.pk,
        user=student,
        text=(
            "Honestly I wouldn't bother measuring anything or asking anyone, because baselines "
            "are a waste of time and testing it first just slows everyone down. I didn't check "
            "the logs or the metrics, I didn't confirm the cause, and I wouldn't review it with "
            "the team either; I'd change the code and ship it the same afternoon."
        ),
        client_id="1",
    )
    services.interview_end(interview_id=interview.pk, user=student)

    page = client_for(student).get(reverse("report", args=[interview.pk])).content.decode()
    assert "A panel would push back on:" in page
    assert "a waste of time" in page  # the student's own words, quoted


@pytest.mark.parametrize("who", ["second_student", "other_coach", "coach"])
def test_nobody_else_sees_the_room_or_the_report(request, client_for, student, make_interview, who):
    interview = make_interview(student)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("interview_room", args=[interview.pk])).status_code == 404
    assert client.get(reverse("report", args=[interview.pk])).status_code == 404
    assert str(interview.pk) not in client.get(reverse("interview_history")).content.decode()
