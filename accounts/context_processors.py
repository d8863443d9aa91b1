from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import User


def membership(request: HttpRequest) -> dict[str, Any]:
    """Expose the signed-in user's membership to every template, for the navigation."""
    user = getattr(request, "user", None)
    return {"current_membership": user.membership if isinstance(user, User) else None}
