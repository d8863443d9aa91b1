"""Sign-up, log-in and joining a career centre by join code or by a verified email domain."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, User
from tests.factories import PASSWORD, OrganizationDomainFactory, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, email: str, join_code: str = ""):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "name": "New Student",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "join_code": join_code,
        },
    )


def test_a_new_user_signs_up_and_reaches_the_dashboard(client):
    response = _signup(client, "newbie@example.com")

    assert response.status_code == 302
    user = User.objects.get(email="newbie@example.com")
    assert user.name == "New Student"
    assert user.membership is None
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert "Practising on your own" in page.content.decode()


def test_a_user_logs_in_with_email_and_password(client):
    UserFactory(email="known@example.com")

    response = client.post(
        reverse("account_login"), {"login": "known@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="known@example.com")

    response = client.post(
        reverse("account_login"), {"login": "known@example.com", "password": "wrong-one"}
    )

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_dashboard_needs_a_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_email_used_by_another_account_is_refused(client):
    UserFactory(email="taken@example.com")
    response = _signup(client, "Taken@Example.com")
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_a_join_code_at_sign_up_joins_the_organisation_as_a_student(client, organization):
    _signup(client, "coded@example.com", join_code=organization.join_code.lower())

    user = User.objects.get(email="coded@example.com")
    assert user.membership is not None
    assert user.membership.organization == organization
    assert user.membership.role == Membership.Role.STUDENT


def test_an_unknown_join_code_is_refused_and_no_account_is_made(client, organization):
    response = _signup(client, "coded@example.com", join_code="NOPE1234")

    assert response.status_code == 200
    assert "does not match any career centre" in response.content.decode()
    assert not User.objects.filter(email="coded@example.com").exists()


def test_a_verified_email_in_an_allowed_domain_joins_the_organisation(client, organization):
    OrganizationDomainFactory(organization=organization, domain="northbridge.example")

    _signup(client, "jo@northbridge.example")
    user = User.objects.get(email="jo@northbridge.example")
    assert user.membership is None  # not until the address is confirmed

    body = mail.outbox[-1].body
    confirm_url = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", body).group(0)
    client.post(confirm_url.split("testserver", 1)[1])

    user.refresh_from_db()
    assert EmailAddress.objects.get(user=user).verified
    assert user.membership is not None
    assert user.membership.organization == organization
    assert user.membership.role == Membership.Role.STUDENT


def test_an_email_outside_the_allowed_domains_joins_nothing(client, organization):
    OrganizationDomainFactory(organization=organization, domain="northbridge.example")

    _signup(client, "jo@elsewhere.example")
    address = EmailAddress.objects.get(email="jo@elsewhere.example")
    address.verified = True
    address.save()

    assert User.objects.get(email="jo@elsewhere.example").membership is None


def test_the_dashboard_says_confirming_the_email_will_join_the_centre(client, organization):
    OrganizationDomainFactory(organization=organization, domain="northbridge.example")
    _signup(client, "jo@northbridge.example")

    page = client.get(reverse("dashboard")).content.decode()

    assert "Please confirm" in page
    assert "Northbridge Careers" in page


def test_a_single_sign_on_signup_with_a_verified_address_joins_at_once(organization):
    from allauth.account.signals import user_signed_up

    OrganizationDomainFactory(organization=organization, domain="northbridge.example")
    user = UserFactory(email="sso@northbridge.example", verified=True)

    user_signed_up.send(sender=User, request=None, user=user)

    user.refresh_from_db()
    assert user.membership.organization == organization
