"""Signals of accounts, handed to interviews: a student's export gets their interviews, and an
erased account's interviews go the way every deleted interview goes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.models import User
from accounts.privacy import Entry
from accounts.signals import account_erasing, personal_data
from interviews import exports, services
from interviews.models import Interview


@receiver(personal_data)
def export_interviews(sender: Any, user: User, **kwargs: Any) -> list[Entry]:
    return exports.interview_entries(user)


@receiver(account_erasing)
def erase_interviews(sender: Any, user: User, **kwargs: Any) -> None:
    services.interviews_erase(Interview.objects.filter(user=user))
