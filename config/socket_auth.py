"""A WebSocket signed in with an API token, for clients that are not a browser.

`Authorization: Token <key>` on the handshake signs the socket in as the token's owner, the same
token the REST API takes (`POST /api/v1/auth/token/`). A browser's socket carries its session
cookie instead; a session always wins. An unknown key, or an inactive account, leaves the socket
anonymous, which the consumer closes with 4403.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

_SCHEME = b"token "


def _key(scope: dict[str, Any]) -> str:
    """The token key of the handshake's Authorization header, or ""."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value[: len(_SCHEME)].lower() == _SCHEME:
            return value[len(_SCHEME) :].strip().decode("latin-1")
    return ""


@database_sync_to_async
def _owner(key: str) -> Any:
    """The token's user, as the REST API finds them (an active account), else anonymous."""
    try:
        user, _ = TokenAuthentication().authenticate_credentials(key)
    except AuthenticationFailed:
        return AnonymousUser()
    return user


class TokenAuthMiddleware(BaseMiddleware):
    """Sign a socket without a session in by its Authorization token (inside AuthMiddleware)."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        user = scope.get("user")
        key = _key(scope)
        if key and (user is None or not user.is_authenticated):
            scope = dict(scope, user=await _owner(key))
        return await super().__call__(scope, receive, send)
