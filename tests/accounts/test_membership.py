"""Joining a career centre after sign-up, and the rules of membership."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_joins_with_a_code_from_the_dashboard(client_for, organization):
    user = UserFactory()
    client = client_for(user)

    response = client.post(
        reverse("join"),
        {"join_code": f" {organization.join_code[:4]}-{organization.join_code[4:]} "},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.membership.organization == organization
    assert user.membership.role == Membership.Role.STUDENT


def test_a_bad_code_from_the_dashboard_shows_a_clear_message(client_for, organization):
    client = client_for(UserFactory())

    response = client.post(reverse("join"), {"join_code": "WRONG999"}, follow=True)

    assert "does not match any career centre" in response.content.decode()


def test_the_join_redirect_never_leaves_the_site(client_for, organization):
    client = client_for(UserFactory())
    response = client.post(
        reverse("join"), {"join_code": organization.join_code, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


def test_a_member_of_one_centre_cannot_join_another(student, other_organization):
    with pytest.raises(ValidationError, match="already belong to Northbridge"):
        services.membership_join_by_code(user=student, code=other_organization.join_code)
    assert student.membership.organization.slug == "northbridge"


def test_joining_the_same_centre_twice_changes_nothing(student, organization):
    membership = services.membership_join_by_code(user=student, code=organization.join_code)
    assert membership.role == Membership.Role.STUDENT
    assert Membership.objects.filter(user=student).count() == 1


def test_a_new_join_code_replaces_the_old_one(client_for, org_admin, organization):
    old = organization.join_code
    client = client_for(org_admin)

    client.post(reverse("organization"), {"action": "regenerate_join_code"})

    organization.refresh_from_db()
    assert organization.join_code != old
    with pytest.raises(ValidationError):
        services.membership_join_by_code(user=UserFactory(), code=old)
