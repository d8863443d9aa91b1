"""Refusals the student sees: a code for programs and a message for people.

Shared by every app: a service raises `Refused`, and the page, the API or the room's socket shows
its message (an API body `{code, message}`, a WebSocket `error` event).
"""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response


class Refused(Exception):
    """A request that cannot be taken now; nothing was changed."""

    def __init__(self, code: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # The form field it is about, when it refuses one field of a form.
        self.field = field

    def as_body(self) -> dict[str, str]:
        """The refusal as an API reply's body."""
        return {"code": self.code, "message": self.message}

    def as_event(self) -> dict[str, object]:
        # Replies to one message are not interview events: they are not logged and carry no seq.
        return {"type": "error", "seq": None, **self.as_body()}


class RefusalSerializer(serializers.Serializer):
    """A refusal as an API reply's body (for the schema)."""

    code = serializers.CharField()
    message = serializers.CharField()


def refusal_response(refusal: Refused) -> Response:
    """Answer an upload the API refuses: 413 for a file too large, else 400."""
    code = (
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        if refusal.code == "file_too_large"
        else status.HTTP_400_BAD_REQUEST
    )
    return Response(refusal.as_body(), status=code)
