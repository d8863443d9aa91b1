"""The REST API: setup with field errors, history, detail, end, report; others get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from interviews import services
from interviews.state import State
from questionbank.models import Question

# Real commits: the next step is enqueued on commit, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def api(student):
    client = APIClient()
    client.force_authenticate(student)
    return client


def test_tracks_and_skills_list_what_can_be_practised(api, software):
    tracks = api.get("/api/v1/tracks/").json()
    published = Question.objects.published().filter(track=software).count()
    assert tracks[0]["slug"] == "software-engineering"
    assert tracks[0]["question_count"] == published >= 25
    skills = api.get("/api/v1/skills/?track=software-engineering").json()
    assert {s["track"] for s in skills} == {"software-engineering"}


def test_creating_an_interview_returns_its_id_state_and_socket(api, software):
    response = api.post(
        "/api/v1/interviews/",
        {"track": "software-engineering", "level": "mid", "interview_type": "technical"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "ready" and body["num_questions"] == 8
    assert body["ws_url"] == f"ws://testserver/ws/interviews/{body['id']}/"


def test_bad_choices_get_field_errors(api, software):
    response = api.post(
        "/api/v1/interviews/",
        {
            "track": "software-engineering",
            "level": "wizard",
            "interview_type": "mixed",
            "num_questions": 99,
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"level", "num_questions"}


def test_the_history_lists_only_my_interviews_newest_first(
    api, student, second_student, make_interview
):
    mine = [make_interview(student), make_interview(student)]
    make_interview(second_student)
    rows = api.get("/api/v1/interviews/").json()["results"]
    assert [r["id"] for r in rows] == [str(mine[1].pk), str(mine[0].pk)]


def test_someone_elses_interview_is_a_404_everywhere(api, second_student, make_interview):
    theirs = make_interview(second_student)
    for url in (f"/api/v1/interviews/{theirs.pk}/", f"/api/v1/interviews/{theirs.pk}/report/"):
        assert api.get(url).status_code == 404
    assert api.post(f"/api/v1/interviews/{theirs.pk}/end/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.READY


def test_end_and_report(api, student, make_interview):
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    services.answer_submit(
        interview_id=interview.pk,
        user=student,
        client_id="1",
        text="I would measure first, then change one thing at a time: guessing wastes time.",
    )
    assert api.get(f"/api/v1/interviews/{interview.pk}/report/").status_code == 409

    response = api.post(f"/api/v1/interviews/{interview.pk}/end/")

    assert response.status_code == 200 and response.json()["state"] == "finished"
    report = api.get(f"/api/v1/interviews/{interview.pk}/report/").json()
    assert 0 <= report["overall"] <= 100 and report["verdict"]
    detail = api.get(f"/api/v1/interviews/{interview.pk}/").json()
    assert detail["turns"][0]["answer"]["kind"] == "text"
    assert api.post(f"/api/v1/interviews/{interview.pk}/end/").status_code == 409


def test_the_report_is_202_while_it_is_being_written(api, student, make_interview):
    interview = make_interview(student)
    interview.state = State.GENERATING_REPORT
    interview.save()
    assert api.get(f"/api/v1/interviews/{interview.pk}/report/").status_code == 202


def test_the_verdict_is_hidden_when_the_organisation_says_so(api, student, make_interview):
    organization = student.membership.organization
    organization.show_readiness_verdict = False
    organization.save()
    interview = make_interview(student)
    services.interview_start(interview_id=interview.pk, user=student)
    services.interview_end(interview_id=interview.pk, user=student)
    assert api.get(f"/api/v1/interviews/{interview.pk}/report/").json()["verdict"] is None


def test_token_auth_works_and_anonymous_is_refused(student, software):
    anonymous = APIClient().get("/api/v1/interviews/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    token = Token.objects.create(user=student)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/interviews/").status_code == 200


def test_a_token_is_issued_for_email_and_password(client, student):
    from tests.factories import PASSWORD

    response = client.post(reverse("api-token"), {"username": student.email, "password": PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


def test_the_openapi_schema_is_served(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/interviews/{id}/report/" in schema["paths"]


def test_password_guessing_at_the_token_endpoint_is_rate_limited(client, student):
    from django.core.cache import cache

    cache.clear()
    # Guesses spread over many accounts (each below its own lockout) meet the per-address limit.
    codes = [
        client.post(
            reverse("api-token"), {"username": f"someone-{n}@example.com", "password": "guess"}
        ).status_code
        for n in range(11)
    ]
    cache.clear()
    assert codes[:10] == [400] * 10
    assert codes[10] == 429
