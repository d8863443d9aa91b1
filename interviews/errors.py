"""The interview's own refusal: it does not exist for this user."""

from __future__ import annotations

from config.errors import Refused


class NotFound(Refused):
    """No such interview for this user (it may exist and belong to someone else)."""

    def __init__(self) -> None:
        super().__init__("not_found", "This interview does not exist.")


class NotTranscribed(Exception):
    """Transcription failed for good and the browser heard no words: the step cannot go on.

    Its one argument is the message for the student.
    """
