"""Cohort analytics on a seeded cohort: the skill x student heat map, the key points most missed
and by how many students, participation, scores by month, the CSVs, and who may see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Membership
from interviews.models import Evaluation
from reports import analytics
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

VAGUE = "I would look into it and fix it."


@pytest.fixture
def seeded(coached_cohort, student, organization, finished_interview):
    """A cohort of four students, each with one finished interview of one vague answer."""
    students = [student]
    for n in range(3):
        user = UserFactory.create(name=f"Student {n}")
        MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
        coached_cohort.students.add(user)
        students.append(user)
    for user in students:
        finished_interview(user, answer=VAGUE)
    return coached_cohort, students


def test_the_heat_map_and_the_most_missed_key_points_of_a_seeded_cohort(seeded):
    cohort, students = seeded
    found = analytics.cohort_analytics(cohort)

    assert [s.pk for s in found.students] == sorted(
        (s.pk for s in students), key=lambda pk: next(s.name for s in students if s.pk == pk)
    )
    assert found.skills and all(found.heat[s.pk] for s in students)
    evaluations = Evaluation.objects.filter(answer__interview__user__in=students)
    assert found.answers == evaluations.count()
    # Every student's vague answer missed the first question's key points.
    top = found.missed[0]
    missed_by = {
        e.answer.interview.user_id
        for e in evaluations
        if any(p["key_point"] == top.key_point and not p["covered"] for p in e.key_points)
    }
    assert top.students == len(missed_by) >= 3
    assert found.active == 4 and sum(count for _, count in found.weekly) == 4
    assert sum(sum(month.values()) for month in found.scores.values()) == 4


def test_a_figure_resting_on_fewer_than_three_students_says_not_enough_data(
    client_for, coach, coached_cohort, student, finished_interview
):
    finished_interview(student, answer=VAGUE)
    page = client_for(coach).get(reverse("cohort_analytics", args=[coached_cohort.pk]))
    assert page.status_code == 200
    assert "not enough data" in page.content.decode()


def test_every_table_downloads_as_csv_with_the_pages_figures(client_for, coach, seeded):
    cohort, students = seeded
    client = client_for(coach)
    url = reverse("cohort_analytics", args=[cohort.pk])
    heat = list(csv.reader(io.StringIO(client.get(url + "?csv=heatmap").content.decode())))
    assert heat[0][:2] == ["student", "email"] and len(heat) == 1 + len(students)
    missed = list(csv.reader(io.StringIO(client.get(url + "?csv=missed").content.decode())))
    assert missed[0] == ["key point", "question", "students", "answers"]
    assert int(missed[1][2]) == analytics.cohort_analytics(cohort).missed[0].students
    for name in analytics.TABLES:
        assert client.get(url + f"?csv={name}")["Content-Type"].startswith("text/csv")
    assert client.get(url + "?csv=nonsense").status_code == 404
    api = client.get(reverse("api-cohort-analytics", args=[cohort.pk])).json()
    assert api["students"] == 4 and api["tables"]["heatmap"]["rows"] == [
        [int(v) if v.isdigit() else (float(v) if v.replace(".", "").isdigit() else v) for v in row]
        for row in heat[1:]
    ]


@pytest.mark.parametrize("who", ["student", "second_student", "other_coach", "other_admin"])
def test_nobody_outside_the_cohorts_coaches_and_the_admins_sees_it(
    request, client_for, coached_cohort, who
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("cohort_analytics", args=[coached_cohort.pk])).status_code == 404
    assert client.get(reverse("api-cohort-analytics", args=[coached_cohort.pk])).status_code == 404


def test_the_analytics_take_the_same_queries_for_four_students_or_eight(
    client_for, coach, seeded, organization, finished_interview, django_assert_max_num_queries
):
    cohort, _ = seeded
    client = client_for(coach)
    url = reverse("cohort_analytics", args=[cohort.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(4):
        user = UserFactory.create(name=f"Late joiner {n}")
        MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
        cohort.students.add(user)
        finished_interview(user, answer=VAGUE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
