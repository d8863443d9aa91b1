"""A student's interview adjustments: set on the profile page, or by a coach of theirs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Accommodations
from accounts.selectors import accommodations_of
from accounts.services import accommodations_update

pytestmark = pytest.mark.django_db

CHOICES = {"extra_think_seconds": 30, "answer_limit_minutes": 10, "text_instead_of_voice": True}


def test_none_set_means_the_usual_interview(student):
    accommodations = accommodations_of(student)
    assert accommodations.pk is None
    assert (accommodations.extra_think_seconds, accommodations.answer_limit_minutes) == (0, 0)
    assert accommodations.text_instead_of_voice is False


def test_the_student_sets_them_on_their_profile(client_for, student):
    client = client_for(student)
    assert "Interview adjustments" in client.get(reverse("profile")).content.decode()

    response = client.post(
        reverse("accommodations"),
        {"extra_think_seconds": "30", "answer_limit_minutes": "10", "text_instead_of_voice": "on"},
    )

    assert response.status_code == 302
    saved = Accommodations.objects.get(user=student)
    assert (saved.extra_think_seconds, saved.answer_limit_minutes) == (30, 10)
    assert saved.text_instead_of_voice and saved.updated_by == student


@pytest.mark.parametrize(
    ("field", "value"), [("extra_think_seconds", "121"), ("answer_limit_minutes", "16")]
)
def test_values_out_of_range_are_refused(client_for, student, field, value):
    data = {"extra_think_seconds": "0", "answer_limit_minutes": "0", field: value}

    response = client_for(student).post(reverse("accommodations"), data)

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Accommodations.objects.exists()


def test_a_coach_of_their_career_centre_may_set_them(student, coach):
    saved = accommodations_update(student=student, by=coach, **CHOICES)
    assert saved.updated_by == coach and saved.extra_think_seconds == 30


@pytest.mark.parametrize("who", ["other_coach", "second_student"])
def test_nobody_else_may(request, student, who):
    with pytest.raises(PermissionDenied):
        accommodations_update(student=student, by=request.getfixturevalue(who), **CHOICES)
    assert not Accommodations.objects.exists()
