"""Reads of interviews scoped to the requesting user."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
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
