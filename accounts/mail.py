"""Emails to users: one template pair per message, rendered for each recipient."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from accounts.models import User


def send(template: str, recipients: Iterable[User], context: dict[str, Any]) -> int:
    """Send `email/<template>_subject.txt` and `email/<template>.txt` to each recipient, with
    them in the context as `recipient` and `site_url` for links; return how many were sent."""
    messages = []
    for user in recipients:
        values = {**context, "recipient": user, "site_url": settings.SITE_URL.rstrip("/")}
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", values).split())
        body = render_to_string(f"email/{template}.txt", values)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if not messages:
        return 0
    # One connection for the batch: a cohort of 300 is one SMTP session, not 300.
    return get_connection().send_messages(messages) or 0
