"""Reads of interviews scoped to the requesting user."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import DEFAULT_THINK_SECONDS, Accommodations, User
from accounts.selectors import accommodations_of
from interviews import speech
from interviews.models import Interview
from questionbank.models import QuestionSet, Track


def interviews_of(user: User) -> QuerySet[Interview]:
    """Return the user's own interviews, newest first, with what the history shows."""
    return (
        Interview.objects.owned_by(user).select_related("track", "report").order_by("-created_at")
    )


def interview_get(*, user: User, interview_id: uuid.UUID | str) -> Interview:
    """Return one of the user's interviews, or raise 404 (also for anyone else's)."""
    try:
        return interviews_of(user).get(pk=interview_id)
    except (Interview.DoesNotExist, ValueError):
        raise Http404 from None


def question_sets_for(user: User, track: Track) -> QuerySet[QuestionSet]:
    """Return the question sets the user may choose for this track."""
    return (
        QuestionSet.objects.filter(Q(owner__isnull=True) | Q(owner_id=user.organization_id))
        .filter(questions__track=track, questions__status="published")
        .distinct()
        .order_by("name")
    )


def answer_limit_seconds(user: User) -> int:
    """Return how long a spoken answer of this student may be: longer if they need it."""
    return _answer_limit(accommodations_of(user))


def _answer_limit(accommodations: Accommodations) -> int:
    return max(settings.AUDIO_MAX_SECONDS, 60 * accommodations.answer_limit_minutes)


def voice_settings(user: User, interview: Interview) -> dict[str, Any]:
    """Return what the interview room needs to speak the questions and record the answers."""
    accommodations = accommodations_of(user)
    organization = interview.organization
    think = organization.think_time_seconds if organization else DEFAULT_THINK_SECONDS
    return {
        "think_seconds": think + accommodations.extra_think_seconds,
        "max_seconds": _answer_limit(accommodations),
        "max_bytes": settings.AUDIO_MAX_BYTES,
        "stt": speech.stt_enabled(),
        "tts": settings.TTS_PROVIDER,
    }
