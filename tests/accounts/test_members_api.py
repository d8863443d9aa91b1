"""The members and invitations API: lists for the organisation's staff, changes for its admins,
roster import as JSON; another organisation's ids are 404."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Invitation, Membership
from accounts.roster import MAX_ROSTER_BYTES
from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def client_as(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_as


@pytest.fixture
def invitation(organization, org_admin):
    return Invitation.objects.create(
        organization=organization, email="newbie@example.com", invited_by=org_admin
    )


def _member_url(user) -> str:
    return f"/api/v1/members/{user.membership.pk}/"


def _roster(data: bytes) -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile("roster.csv", data, content_type="text/csv")}


def test_staff_list_the_organisations_members_with_their_roles(
    api, org_admin, coach, student, other_coach
):
    for user in (org_admin, coach):
        body = api(user).get("/api/v1/members/").json()

        assert [(m["email"], m["role"]) for m in body["results"]] == [
            ("dana@example.com", "admin"),
            ("carol@example.com", "coach"),
            ("alice@example.com", "student"),
        ]
    first = body["results"][2]
    assert first == {
        "id": student.membership.pk,
        "user_id": student.pk,
        "email": "alice@example.com",
        "name": "Alice Student",
        "role": "student",
        "joined_at": first["joined_at"],
    }


def test_a_students_member_list_is_empty(api, student, coach):
    assert api(student).get("/api/v1/members/").json()["results"] == []


def test_another_centres_admin_lists_only_their_own_members(api, student, other_admin):
    body = api(other_admin).get("/api/v1/members/").json()
    assert [m["email"] for m in body["results"]] == ["erin@example.com"]


def test_an_admin_changes_a_members_role(api, org_admin, student):
    response = api(org_admin).patch(_member_url(student), {"role": "coach"}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == "coach"
    assert Membership.objects.get(user=student).role == Membership.Role.COACH


def test_a_role_that_does_not_exist_is_a_field_error(api, org_admin, student):
    response = api(org_admin).patch(_member_url(student), {"role": "owner"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "role" in response.json()["errors"]
    assert Membership.objects.get(user=student).role == Membership.Role.STUDENT


def test_the_last_admin_stepping_down_is_refused(api, org_admin):
    response = api(org_admin).patch(_member_url(org_admin), {"role": "student"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "last_admin"
    assert Membership.objects.get(user=org_admin).role == Membership.Role.ADMIN

    response = api(org_admin).delete(_member_url(org_admin))
    assert response.status_code == 400
    assert Membership.objects.filter(user=org_admin).exists()


def test_an_admin_removes_a_member_who_keeps_their_account(api, org_admin, student):
    cohort = CohortFactory(organization=org_admin.membership.organization)
    cohort.students.add(student)

    response = api(org_admin).delete(_member_url(student))

    assert response.status_code == 204
    assert not Membership.objects.filter(user=student).exists()
    assert not cohort.students.exists()
    student.refresh_from_db()
    assert student.is_active


@pytest.mark.parametrize("who", ["student", "coach", "other_admin"])
def test_nobody_but_the_organisations_admins_changes_or_removes_a_member(
    request, api, second_student, who
):
    client = api(request.getfixturevalue(who))

    patch = client.patch(_member_url(second_student), {"role": "admin"}, format="json")
    delete = client.delete(_member_url(second_student))

    assert (patch.status_code, delete.status_code) == (404, 404)
    assert Membership.objects.get(user=second_student).role == Membership.Role.STUDENT


def test_an_admin_gets_404_for_another_organisations_member(api, org_admin, other_coach):
    client = api(org_admin)

    assert client.patch(_member_url(other_coach), {"role": "student"}).status_code == 404
    assert client.delete(_member_url(other_coach)).status_code == 404
    assert Membership.objects.get(user=other_coach).role == Membership.Role.COACH


def test_an_admin_imports_a_roster_and_gets_each_rows_result(
    api, organization, org_admin, student, django_capture_on_commit_callbacks
):
    CohortFactory(organization=organization, name="Class of 2027")
    data = b"email,name,cohort\nalice@example.com,,Class of 2027\nnew@example.com,New,\nbad,,\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = api(org_admin).post("/api/v1/members/import/", _roster(data))

    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {"added": 1, "invited": 1, "already there": 0, "error": 1}
    assert [(r["row"], r["email"], r["outcome"]) for r in body["rows"]] == [
        (2, "alice@example.com", "added"),
        (3, "new@example.com", "invited"),
        (4, "bad", "error"),
    ]
    assert body["rows"][2]["message"] == "This is not a valid email address."
    assert [m.to for m in mail.outbox] == [["new@example.com"]]


def test_a_roster_that_cannot_be_read_is_refused_with_a_reason(api, org_admin):
    client = api(org_admin)

    unreadable = client.post("/api/v1/members/import/", _roster("é".encode("latin-1")))
    too_large = client.post(
        "/api/v1/members/import/", _roster(b"email,name,cohort\n" + b" " * MAX_ROSTER_BYTES)
    )
    no_file = client.post("/api/v1/members/import/", {})

    assert (unreadable.status_code, unreadable.json()["code"]) == (400, "not_utf8")
    assert (too_large.status_code, too_large.json()["code"]) == (413, "file_too_large")
    assert (no_file.status_code, no_file.json()["code"]) == (400, "no_file")


@pytest.mark.parametrize("who", ["student", "coach"])
def test_a_student_or_coach_cannot_import_a_roster(request, api, who):
    response = api(request.getfixturevalue(who)).post(
        "/api/v1/members/import/", _roster(b"email,name,cohort\nnew@example.com,,\n")
    )

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_another_centres_admin_imports_into_their_own_centre_only(
    api, organization, other_admin, student
):
    response = api(other_admin).post(
        "/api/v1/members/import/", _roster(b"email,name,cohort\nalice@example.com,,\n")
    )

    assert response.json()["rows"][0]["message"] == "This person belongs to another career centre."
    assert Membership.objects.get(user=student).organization == organization


def test_an_admin_lists_and_cancels_pending_invitations(api, org_admin, invitation):
    client = api(org_admin)

    body = client.get("/api/v1/invitations/").json()
    assert [(i["id"], i["email"], i["invited_by"]) for i in body["results"]] == [
        (invitation.pk, "newbie@example.com", "dana@example.com")
    ]

    assert client.delete(f"/api/v1/invitations/{invitation.pk}/").status_code == 204
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["student", "coach", "other_admin"])
def test_nobody_else_sees_or_cancels_the_invitations(request, api, invitation, who):
    client = api(request.getfixturevalue(who))

    assert client.get("/api/v1/invitations/").json()["results"] == []
    assert client.delete(f"/api/v1/invitations/{invitation.pk}/").status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_anonymous_callers_are_refused(invitation, student):
    client = APIClient()

    assert client.get("/api/v1/members/").status_code == 401
    assert client.get("/api/v1/invitations/").status_code == 401
    assert client.post("/api/v1/members/import/", {}).status_code == 401


def test_the_schema_describes_the_member_routes(api, student):
    schema = api(student).get("/api/v1/schema/?format=json").json()

    assert {"/api/v1/members/", "/api/v1/members/{id}/", "/api/v1/members/import/"} <= set(
        schema["paths"]
    )
    assert "/api/v1/invitations/{id}/" in schema["paths"]
