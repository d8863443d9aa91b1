"""Pages of the accounts app, and who may see them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organization, student):
    cohort = CohortFactory(organization=organization, name="Class of 2027")
    cohort.students.add(student)
    return cohort


def test_the_dashboard_shows_the_students_organisation_and_next_steps(client_for, student):
    page = client_for(student).get(reverse("dashboard")).content.decode()

    assert "Student at <strong>Northbridge Careers</strong>" in page
    assert "Choose a field to practise" in page
    assert "Join your career centre" not in page


def test_the_dashboard_of_someone_on_their_own_offers_a_join_code_box(client_for):
    from tests.factories import UserFactory

    page = client_for(UserFactory()).get(reverse("dashboard")).content.decode()
    assert "Join your career centre" in page


def test_a_coachs_dashboard_shows_the_cohorts_they_coach_and_the_join_code(
    client_for, coach, cohort, organization
):
    CohortFactory(organization=organization, name="Class of 2028")
    cohort.coaches.add(coach)
    page = client_for(coach).get(reverse("dashboard")).content.decode()
    assert "Class of 2027" in page
    assert "Class of 2028" not in page
    assert organization.join_code in page
    counts = re.findall(r"<dt>(\w+)</dt><dd>(\d+)</dd>", page)
    assert counts == [("Students", "1"), ("Coaches", "1"), ("Administrators", "0")]


def test_the_profile_shows_name_organisation_and_role_and_saves_the_name(client_for, student):
    client = client_for(student)
    page = client.get(reverse("profile")).content.decode()
    assert "Northbridge Careers" in page
    assert "Student" in page

    client.post(reverse("profile"), {"name": "  Alice  Q. Student "})
    student.refresh_from_db()
    assert student.name == "Alice  Q. Student"


def test_an_empty_name_is_refused(client_for, student):
    response = client_for(student).post(reverse("profile"), {"name": "   "})
    assert response.status_code == 200
    assert "Please enter your name" in response.content.decode()
    student.refresh_from_db()
    assert student.name == "Alice Student"


def test_a_coach_sees_a_cohort_they_coach_and_an_admin_sees_every_cohort(
    client_for, coach, org_admin, cohort, student
):
    assert client_for(coach).get(reverse("cohort_detail", args=[cohort.pk])).status_code == 404
    assert client_for(org_admin).get(reverse("cohort_detail", args=[cohort.pk])).status_code == 200
    cohort.coaches.add(coach)
    response = client_for(coach).get(reverse("cohort_detail", args=[cohort.pk]))
    assert response.status_code == 200
    assert student.email in response.content.decode()
    assert reverse("student_detail", args=[student.pk]) in response.content.decode()


def test_an_admin_names_a_cohorts_coaches_but_not_a_student_or_an_outsider(
    client_for, org_admin, coach, cohort, student, other_coach
):
    url = reverse("cohort_edit", args=[cohort.pk])
    form = {"name": cohort.name, "description": "", "students": [student.pk]}
    client = client_for(org_admin)
    assert client.post(url, {**form, "coaches": [coach.pk]}).status_code == 302
    assert list(cohort.coaches.all()) == [coach]
    for outsider in (student, other_coach):
        response = client.post(url, {**form, "coaches": [outsider.pk]})
        assert response.status_code == 200
        assert "coaches" in response.context["form"].errors
    assert list(cohort.coaches.all()) == [coach]


@pytest.mark.parametrize("who", ["student", "second_student", "other_coach", "other_admin"])
def test_nobody_else_sees_the_cohort(request, client_for, cohort, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("cohort_detail", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("cohort_edit", args=[cohort.pk])).status_code == 404


def test_a_student_has_no_organisation_page(client_for, student):
    assert client_for(student).get(reverse("organization")).status_code == 404


def test_a_coach_of_another_centre_sees_nothing_of_this_one(
    client_for, student, coach, other_coach
):
    mine = client_for(coach).get(reverse("organization")).content.decode()
    theirs = client_for(other_coach).get(reverse("organization")).content.decode()

    assert "Northbridge" in mine and student.email in mine  # what there is to leak
    assert "Northbridge" not in theirs
    assert student.email not in theirs


def test_a_coach_sees_members_but_cannot_change_settings(client_for, coach, student, organization):
    client = client_for(coach)
    assert student.email in client.get(reverse("organization")).content.decode()

    response = client.post(
        reverse("organization"), {"show_readiness_verdict": "", "audio_retention_days": "0"}
    )

    assert response.status_code == 404
    organization.refresh_from_db()
    assert organization.show_readiness_verdict is True
    assert organization.audio_retention_days == 30


def test_an_admin_changes_the_settings(client_for, org_admin, organization):
    client_for(org_admin).post(
        reverse("organization"), {"audio_retention_days": "7", "think_time_seconds": "10"}
    )

    organization.refresh_from_db()
    assert organization.show_readiness_verdict is False
    assert organization.audio_retention_days == 7
    assert organization.think_time_seconds == 10


def test_a_bad_retention_is_refused_and_nothing_changes(client_for, org_admin, organization):
    response = client_for(org_admin).post(
        reverse("organization"), {"show_readiness_verdict": "on", "audio_retention_days": "9999"}
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.audio_retention_days == 30


def test_an_admin_creates_a_cohort_of_their_students(
    client_for, org_admin, organization, student, second_student
):
    response = client_for(org_admin).post(
        reverse("cohort_create"),
        {"name": "MSc Data 2027", "description": "", "students": [student.pk, second_student.pk]},
    )

    cohort = organization.cohorts.get(name="MSc Data 2027")
    assert response.status_code == 302
    assert set(cohort.students.all()) == {student, second_student}


def test_a_student_of_another_centre_cannot_be_put_in_a_cohort(
    client_for, org_admin, other_organization
):
    from accounts.models import Membership
    from tests.factories import MembershipFactory

    outsider = MembershipFactory(organization=other_organization, role=Membership.Role.STUDENT).user
    response = client_for(org_admin).post(
        reverse("cohort_create"), {"name": "Sneaky", "students": [outsider.pk]}
    )

    assert response.status_code == 200
    assert not other_organization.cohorts.exists()
    assert not org_admin.membership.organization.cohorts.filter(name="Sneaky").exists()


def test_a_duplicate_cohort_name_is_refused(client_for, org_admin, cohort):
    response = client_for(org_admin).post(reverse("cohort_create"), {"name": "class of 2027"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_coach_cannot_create_cohorts(client_for, coach):
    assert client_for(coach).get(reverse("cohort_create")).status_code == 404
