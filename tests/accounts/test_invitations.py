"""Invitations from a roster: the emailed link, signing up (or in) with the invited address, joining
the organisation and the cohort; pending ones listed for admins, who may cancel them."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.models import Invitation, Membership, User
from config.errors import Refused
from tests.factories import PASSWORD, CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organization):
    return CohortFactory(organization=organization, name="Class of 2027")


@pytest.fixture
def invitation(organization, cohort, org_admin):
    return Invitation.objects.create(
        organization=organization,
        email="newbie@example.com",
        name="New Bie",
        cohort=cohort,
        invited_by=org_admin,
    )


def _link(invitation) -> str:
    return reverse("invitation_accept", args=[invitation.token])


def _signup(client, email: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "name": "New Student", "password1": PASSWORD, "password2": PASSWORD},
    )


def _assert_joined(email: str, invitation, cohort):
    user = User.objects.get(email=email)
    assert user.membership.organization == invitation.organization
    assert user.membership.role == Membership.Role.STUDENT
    assert list(cohort.students.all()) == [user]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    return user


def test_following_the_link_and_signing_up_joins_the_organisation_and_cohort(
    client, invitation, cohort
):
    page = client.get(_link(invitation))
    assert page.status_code == 200
    assert "Sign up with <strong>newbie@example.com</strong>" in page.content.decode()
    signup = client.get(reverse("account_signup")).content.decode()
    assert 'value="newbie@example.com"' in signup

    _signup(client, "newbie@example.com")

    user = _assert_joined("newbie@example.com", invitation, cohort)
    # The emailed link proved the address: no confirmation needed.
    assert EmailAddress.objects.get(user=user).verified
    assert not any("confirm-email" in message.body for message in mail.outbox)


def test_signing_up_without_the_link_joins_once_the_address_is_confirmed(
    client, invitation, cohort
):
    _signup(client, "NewBie@example.com")
    user = User.objects.get(email__iexact="newbie@example.com")
    assert user.membership is None

    body = mail.outbox[-1].body
    confirm_url = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", body).group(0)
    client.post(confirm_url.split("testserver", 1)[1])

    _assert_joined(user.email, invitation, cohort)


def test_following_the_link_signed_in_with_the_invited_address_joins_at_once(
    client_for, invitation, cohort
):
    user = UserFactory.create(email="newbie@example.com", name="")

    response = client_for(user).get(_link(invitation))

    assert response["Location"] == reverse("dashboard")
    _assert_joined("newbie@example.com", invitation, cohort)
    user.refresh_from_db()
    assert user.name == "New Bie"


def test_signed_in_with_another_address_the_link_joins_nothing(client_for, invitation):
    stranger = UserFactory.create(email="someone-else@example.com")

    response = client_for(stranger).get(_link(invitation))

    assert response.status_code == 403
    assert "This invitation is for newbie@example.com" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.membership is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_member_of_another_centre_is_told_to_leave_it_first(
    client_for, invitation, other_organization
):
    user = UserFactory.create(email="newbie@example.com")
    Membership.objects.create(user=user, organization=other_organization)

    response = client_for(user).get(_link(invitation))

    assert response.status_code == 403
    assert "You already belong to Southgate Careers" in response.content.decode()
    assert Membership.objects.get(user=user).organization == other_organization


def test_a_used_link_takes_the_member_to_the_dashboard_and_is_dead_for_anyone_else(
    client, client_for, invitation
):
    user = UserFactory.create(email="newbie@example.com")
    client_for(user).get(_link(invitation))

    assert client_for(user).get(_link(invitation))["Location"] == reverse("dashboard")
    assert client.get(_link(invitation)).status_code == 404
    assert client_for(UserFactory.create()).get(_link(invitation)).status_code == 404


def test_an_unknown_or_cancelled_link_is_not_found(client, invitation, org_admin):
    link = _link(invitation)
    services.invitation_cancel(invitation=invitation, by=org_admin)

    response = client.get(link)

    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()
    assert client.get(reverse("invitation_accept", args=["nope"])).status_code == 404
    assert "account_verified_email" not in client.session


def test_an_invitation_is_accepted_once(invitation):
    user = UserFactory.create(email="newbie@example.com")
    services.invitation_accept(invitation=invitation, user=user)

    with pytest.raises(Refused, match="already accepted"):
        services.invitation_accept(invitation=invitation, user=user)


def test_an_address_has_one_pending_invitation_per_organisation(
    invitation, organization, other_organization
):
    Invitation.objects.create(organization=other_organization, email="newbie@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(organization=organization, email="NewBie@Example.com")


def test_a_new_invitation_can_follow_an_accepted_one(invitation, organization):
    services.invitation_accept(
        invitation=invitation, user=UserFactory.create(email="newbie@example.com")
    )

    again = Invitation.objects.create(organization=organization, email="NEWBIE@example.com")

    assert again.pk != invitation.pk


def test_the_admins_page_lists_pending_invitations_and_the_coachs_does_not(
    client_for, invitation, org_admin, coach
):
    admin_page = client_for(org_admin).get(reverse("organization")).content.decode()
    coach_page = client_for(coach).get(reverse("organization")).content.decode()

    assert "newbie@example.com" in admin_page
    assert reverse("invitation_cancel", args=[invitation.pk]) in admin_page
    assert "newbie@example.com" not in coach_page


def test_an_admin_cancels_a_pending_invitation(client_for, invitation, org_admin):
    response = client_for(org_admin).post(reverse("invitation_cancel", args=[invitation.pk]))

    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.parametrize("who", ["student", "coach", "other_admin"])
def test_nobody_else_cancels_an_invitation(request, client_for, invitation, who):
    client = client_for(request.getfixturevalue(who))

    response = client.post(reverse("invitation_cancel", args=[invitation.pk]))

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
