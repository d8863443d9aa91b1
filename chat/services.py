"""Asking the chat coach: the student's message and the coach's answer, stored together."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from ai import get_engine
from ai.base import Advice, AdviceRequest
from ai.retrieval import Library
from chat.library import library_for
from chat.models import Conversation, Message
from config.errors import Refused

# A question to a coach is a few sentences; a pasted essay or document is not one.
MESSAGE_CHARS = 2000
# The messages of a conversation the coach reads to understand "and for a teacher?".
HISTORY = 6
TITLE_CHARS = 80


def message_check(text: str) -> str:
    """Return the message as it will be stored, or refuse it saying what to change."""
    text = text.replace("\x00", "").strip()
    if not text:
        raise Refused("empty_message", "Type a question for the coach first.", field="text")
    if len(text) > MESSAGE_CHARS:
        raise Refused(
            "message_too_long",
            f"Your message has {len(text):,} characters; the coach reads at most "
            f"{MESSAGE_CHARS:,}. Ask about one thing at a time, in a few sentences.",
            field="text",
        )
    return text


def message_send(*, user: User, text: str, conversation: Conversation | None = None) -> Message:
    """Ask the coach: store the student's message and the coach's answer, and return the answer.

    Without a conversation a new one starts. The answer is written before anything is stored,
    so a failure stores neither message.
    """
    text = message_check(text)
    history: list[tuple[str, str]] = []
    if conversation is not None:
        earlier = list(conversation.messages.order_by("-created_at", "-id")[:HISTORY])
        history = [(message.role, message.text) for message in reversed(earlier)]
    library = library_for(user.organization_id)
    advice = get_engine().advise(AdviceRequest(text, history, library))
    with transaction.atomic():
        if conversation is None:
            conversation = Conversation.objects.create(user=user, title=_title(text))
        Message.objects.create(
            conversation=conversation, role=Message.Role.STUDENT, kind="question", text=text
        )
        answer = Message.objects.create(
            conversation=conversation,
            role=Message.Role.COACH,
            kind=advice.kind,
            text=advice.text,
            sources=_sources(advice, library),
            practice=dict(zip(("track", "skill"), advice.practice or (), strict=False)),
            engine=advice.engine,
            fallback=advice.fallback[:200],
        )
        conversation.save(update_fields=["updated_at"])
    return answer


def conversation_delete(*, conversation: Conversation) -> None:
    conversation.delete()


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "\u2026"


def _sources(advice: Advice, library: Library) -> list[dict[str, str]]:
    # The titles as they were when quoted: an edited or archived question keeps the record true.
    sources = []
    for key in advice.sources:
        passage = library.passage(key)
        if passage is not None:
            sources.append(
                {"key": key, "kind": passage.kind, "title": passage.title, "track": passage.track}
            )
    return sources


def as_record(message: Message) -> dict[str, Any]:
    """A message as the export and the API give it."""
    return {
        "role": message.role,
        "kind": message.kind,
        "text": message.text,
        "sources": message.sources,
        "practice": message.practice,
        "engine": message.engine,
        "at": message.created_at,
    }
