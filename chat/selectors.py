"""What a student reads of their conversations with the chat coach."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User
from chat.models import Conversation, Message
from questionbank.models import Skill


def conversations_of(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user)


def conversation_get(*, user: User, conversation_id: object) -> Conversation:
    """Return the student's own conversation; anyone else's is a 404."""
    return get_object_or_404(conversations_of(user), pk=conversation_id)


def links_of(messages: list[Message]) -> dict[int, dict[str, Any]]:
    """Return, per coach message, the links of its sources and where to practise it."""
    wanted = {(m.practice["track"], m.practice["skill"]) for m in messages if m.practice}
    skills = {
        (skill.track.slug, skill.slug): skill
        for skill in Skill.objects.select_related("track").filter(slug__in={s for _, s in wanted})
    }
    links: dict[int, dict[str, Any]] = {}
    for message in messages:
        sources = [{**source, "url": _source_url(source)} for source in message.sources]
        practice = None
        skill = skills.get((message.practice.get("track"), message.practice.get("skill")))
        if skill is not None:
            url = f"{reverse('interview_setup')}?track={skill.track.slug}&skill={skill.pk}"
            practice = {"url": url, "label": skill.name}
        links[message.pk] = {"sources": sources, "practice": practice}
    return links


def _source_url(source: dict[str, str]) -> str:
    kind, _, ident = source.get("key", "").partition(":")
    track = source.get("track", "")
    if kind == "question" and ident.isdigit() and track:
        return reverse("question_detail", args=[track, int(ident)])
    if kind in ("skill", "track") and track:
        return reverse("track_detail", args=[track])
    return ""
