"""allauth's signals, handed straight to services: a verified email may join a career centre, by
an invitation to it or by its domain."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import services
from accounts.models import User


@receiver(email_confirmed)
def join_on_email_confirmed(
    sender: Any, request: HttpRequest | None, email_address: EmailAddress, **kwargs: Any
) -> None:
    # An invitation first: it names a cohort, which the domain does not.
    services.invitation_accept_for_email(user=email_address.user, email=email_address.email)
    services.membership_join_by_email_domain(user=email_address.user, email=email_address.email)


@receiver(user_signed_up)
def join_on_verified_signup(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # Single sign-on providers vouch for the address, so it is verified from the start.
    # An address stashed from an invitation link is verified too.
    for address in EmailAddress.objects.filter(user=user, verified=True):
        services.invitation_accept_for_email(user=user, email=address.email)
        services.membership_join_by_email_domain(user=user, email=address.email)
