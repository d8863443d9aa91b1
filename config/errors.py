"""Refusals the student sees: a code for programs and a message for people.

Shared by every app: a service raises `Refused`, and the page, the API or the room's socket shows
its message (an API body `{code, message}`, a WebSocket `error` event).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


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
    errors = serializers.DictField(
        required=False,
        help_text="With `code: invalid`, what was wrong with each field: "
        '`{"field": ["message", ...]}`.',
    )


def refusal_response(refusal: Refused) -> Response:
    """Answer an upload the API refuses: 413 for a file too large, else 400."""
    code = (
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        if refusal.code == "file_too_large"
        else status.HTTP_400_BAD_REQUEST
    )
    return Response(refusal.as_body(), status=code)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every refused API request with the same body, `{code, message}`: a bad field (400,
    `code: invalid`, each field's messages in `errors`), a missing object (404), no or the wrong
    credentials (401, 403), too many requests (429)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        field, message = _first_error(errors)
        where = "" if field in ("", "non_field_errors") else f"{field}: "
        response.data = {"code": "invalid", "message": f"{where}{message}", "errors": errors}
    else:
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(exc.detail),
        }
    return response


def _first_error(errors: Any, field: str = "") -> tuple[str, str]:
    """The first message in DRF's nested errors, and the top-level field it is about."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            return _first_error(value, field or str(key))
    if isinstance(errors, list):
        for value in errors:
            if value:
                return _first_error(value, field)
    return field, str(errors) or "This request is not valid."


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (no such address): the refusal body under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"code": "not_found", "message": "There is no such address in the API."}
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return page_not_found(request, exception)
