"""Refusals the student sees: a code for programs and a message for people."""

from __future__ import annotations


class Refused(Exception):
    """A request the interview cannot take now; nothing was changed."""

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


class NotFound(Refused):
    """No such interview for this user (it may exist and belong to someone else)."""

    def __init__(self) -> None:
        super().__init__("not_found", "This interview does not exist.")
