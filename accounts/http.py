"""Request types for views behind login_required."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose `user` is signed in (the views' type; login_required ensures it)."""

    user: User
