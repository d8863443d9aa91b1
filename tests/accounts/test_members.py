"""Managing members on the organisation page: changing roles and removing people, always keeping
an administrator; only the organisation's admins may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from interviews.models import Interview
from resumes.models import Resume
from tests.factories import CohortFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organization, student, coach):
    cohort = CohortFactory(organization=organization, name="Class of 2027")
    cohort.students.add(student)
    cohort.coaches.add(coach)
    return cohort


def _role(client, user, role):
    return client.post(reverse("member_role", args=[user.membership.pk]), {"role": role})


def _remove(client, user):
    return client.post(reverse("member_remove", args=[user.membership.pk]))


def _role_of(user) -> str | None:
    membership = Membership.objects.filter(user=user).first()
    return membership.role if membership else None


def test_an_admin_makes_a_student_a_coach_who_leaves_the_cohorts_student_lists(
    client_for, org_admin, student, cohort
):
    response = _role(client_for(org_admin), student, "coach")

    assert response.status_code == 302
    assert _role_of(student) == Membership.Role.COACH
    assert not cohort.students.filter(pk=student.pk).exists()


def test_a_coach_made_a_student_no_longer_coaches_a_cohort(client_for, org_admin, coach, cohort):
    _role(client_for(org_admin), coach, "student")

    assert _role_of(coach) == Membership.Role.STUDENT
    assert not cohort.coaches.exists()


def test_a_coach_made_an_admin_keeps_their_cohorts(client_for, org_admin, coach, cohort):
    _role(client_for(org_admin), coach, "admin")

    assert _role_of(coach) == Membership.Role.ADMIN
    assert list(cohort.coaches.all()) == [coach]


def test_the_last_admin_cannot_demote_themselves(client_for, org_admin):
    client = client_for(org_admin)

    response = _role(client, org_admin, "coach")

    assert _role_of(org_admin) == Membership.Role.ADMIN
    page = client.get(response["Location"]).content.decode()
    assert "You are the last administrator of Northbridge Careers" in page


def test_an_admin_with_a_fellow_admin_may_step_down(client_for, organization, org_admin):
    MembershipFactory(organization=organization, role=Membership.Role.ADMIN)

    _role(client_for(org_admin), org_admin, "coach")

    assert _role_of(org_admin) == Membership.Role.COACH


def test_an_unknown_role_changes_nothing(client_for, org_admin, student):
    _role(client_for(org_admin), student, "owner")
    assert _role_of(student) == Membership.Role.STUDENT


def test_removing_a_member_takes_them_out_of_the_organisation_and_its_cohorts(
    client_for, organization, org_admin, student, coach, cohort, make_interview
):
    interview = make_interview(student)
    resume = Resume.objects.create(user=student, file="resumes/x.pdf", title="CV", size=1, pages=1)
    other_cohort = CohortFactory(organization=organization)
    other_cohort.coaches.add(coach)

    _remove(client_for(org_admin), student)
    _remove(client_for(org_admin), coach)

    assert _role_of(student) is None
    assert _role_of(coach) is None
    assert not cohort.students.exists()
    assert not cohort.coaches.exists()
    assert not other_cohort.coaches.exists()
    # They keep their account and their own practice.
    assert User.objects.filter(pk__in=[student.pk, coach.pk]).count() == 2
    assert Interview.objects.filter(pk=interview.pk, user=student).exists()
    assert Resume.objects.filter(pk=resume.pk, user=student).exists()


def test_removing_a_member_leaves_other_centres_cohorts_alone(
    client_for, organization, other_organization, org_admin, student
):
    # Not possible through the pages, but a cohort elsewhere must never be touched.
    elsewhere = CohortFactory(organization=other_organization)
    elsewhere.students.add(student)

    _remove(client_for(org_admin), student)

    assert list(elsewhere.students.all()) == [student]


def test_the_last_admin_cannot_remove_themselves(client_for, org_admin):
    client = client_for(org_admin)

    response = _remove(client, org_admin)

    assert _role_of(org_admin) == Membership.Role.ADMIN
    page = client.get(response["Location"]).content.decode()
    assert "You are the last administrator" in page


def test_an_admin_who_leaves_goes_to_the_dashboard(client_for, organization, org_admin):
    MembershipFactory(organization=organization, role=Membership.Role.ADMIN)

    response = _remove(client_for(org_admin), org_admin)

    assert response["Location"] == reverse("dashboard")
    assert _role_of(org_admin) is None


def test_an_admin_who_becomes_a_coach_stays_on_the_organisation_page(
    client_for, organization, org_admin
):
    MembershipFactory(organization=organization, role=Membership.Role.ADMIN)
    client = client_for(org_admin)

    response = _role(client, org_admin, "coach")

    assert response["Location"] == reverse("organization")
    assert client.get(reverse("organization")).status_code == 200


def test_the_page_offers_role_changes_and_removal_to_admins_only(
    client_for, org_admin, coach, student
):
    admin_page = client_for(org_admin).get(reverse("organization")).content.decode()
    coach_page = client_for(coach).get(reverse("organization")).content.decode()

    assert reverse("member_role", args=[student.membership.pk]) in admin_page
    assert reverse("member_remove", args=[student.membership.pk]) in admin_page
    assert reverse("member_role", args=[student.membership.pk]) not in coach_page
    assert reverse("member_remove", args=[student.membership.pk]) not in coach_page


@pytest.mark.parametrize("who", ["student", "coach", "other_admin"])
def test_nobody_but_the_organisations_admins_changes_or_removes_members(
    request, client_for, second_student, org_admin, who
):
    client = client_for(request.getfixturevalue(who))

    assert _role(client, second_student, "admin").status_code == 404
    assert _remove(client, second_student).status_code == 404
    assert _remove(client, org_admin).status_code == 404
    assert _role_of(second_student) == Membership.Role.STUDENT
    assert _role_of(org_admin) == Membership.Role.ADMIN


def test_an_admin_gets_404_for_a_member_of_another_organisation(client_for, org_admin, other_coach):
    client = client_for(org_admin)

    assert _role(client, other_coach, "student").status_code == 404
    assert _remove(client, other_coach).status_code == 404
    assert _role_of(other_coach) == Membership.Role.COACH


def test_a_member_is_changed_only_by_post(client_for, org_admin, student):
    client = client_for(org_admin)
    assert client.get(reverse("member_remove", args=[student.membership.pk])).status_code == 405
    assert _role_of(student) == Membership.Role.STUDENT


def test_someone_removed_practises_on_their_own(client_for, org_admin, student):
    _remove(client_for(org_admin), student)

    page = client_for(User.objects.get(pk=student.pk)).get(reverse("dashboard"))
    assert page.status_code == 200
    assert "Join your career centre" in page.content.decode()


def test_a_new_admin_can_then_be_the_one_who_steps_down(client_for, org_admin, coach):
    _role(client_for(org_admin), coach, "admin")
    _role(client_for(org_admin), org_admin, "student")

    assert _role_of(org_admin) == Membership.Role.STUDENT
    assert _role_of(coach) == Membership.Role.ADMIN
    # The last admin left is the one who may not now step down.
    _role(client_for(User.objects.get(pk=coach.pk)), coach, "coach")
    assert _role_of(coach) == Membership.Role.ADMIN
