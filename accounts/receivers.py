"""Signals, handed straight to services: a verified email may join a career centre, by an
invitation to it or by its domain; a new password revokes the account's API token."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.db.models.signals import pre_save
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


@receiver(pre_save, sender=User)
def revoke_api_token_on_new_password(
    sender: Any, instance: User, update_fields: Any = None, **kwargs: Any
) -> None:
    """However the password changes (a reset, the profile, the admin, `changepassword`), a token
    issued with the old one stops working, as the sessions do."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        services.api_token_revoke(user_id=instance.pk)
