"""Reads of interviews scoped to the requesting user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from accounts.models import DEFAULT_PAUSE_SECONDS, DEFAULT_THINK_SECONDS, Accommodations, User
from accounts.selectors import accommodations_of, students_visible_to
from ai import speech
from interviews.models import Interview, Turn
from questionbank.models import Question, QuestionSet, Track
from resumes.personal import FocusSkill, explain_focus
from resumes.reading.job import JobProfile

# The bank's kinds of question each type of interview asks.
QUESTION_TYPES = {
    Interview.Type.BEHAVIOURAL: [Question.Type.BEHAVIOURAL, Question.Type.SITUATIONAL],
    Interview.Type.TECHNICAL: [Question.Type.TECHNICAL],
    Interview.Type.SYSTEM_DESIGN: [Question.Type.SYSTEM_DESIGN],
    Interview.Type.MIXED: [t for t in Question.Type if t != Question.Type.CODING],
    Interview.Type.CODING: [Question.Type.CODING],
}


def interviews_of(user: User) -> QuerySet[Interview]:
    """Return the user's own interviews, newest first, with what the history shows."""
    return (
        Interview.objects.owned_by(user).select_related("track", "report").order_by("-created_at")
    )


def interview_get(*, user: User, interview_id: uuid.UUID | str) -> Interview:
    """Return one of the user's interviews, or raise 404 (also for anyone else's)."""
    try:
        return interviews_of(user).get(pk=interview_id)
    except (Interview.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def interviews_staff_sees(user: User) -> QuerySet[Interview]:
    """Return the interviews of the students a coach or admin may see, taken while they were
    members of the organisation (work done on their own before joining stays theirs)."""
    return Interview.objects.filter(
        user__in=students_visible_to(user), organization_id=user.organization_id
    ).select_related("track", "user", "report")


def interviews_visible_to(user: User) -> QuerySet[Interview]:
    """Return the interviews the user may read: their own, and their students' for staff."""
    own = Interview.objects.owned_by(user)
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        return own.select_related("track", "user", "report")
    return (own | interviews_staff_sees(user)).select_related("track", "user", "report")


def interview_read(*, user: User, interview_id: uuid.UUID | str) -> Interview:
    """Return an interview the user may read (not take), or raise 404."""
    try:
        return interviews_visible_to(user).get(pk=interview_id)
    except (Interview.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def feedback_visible(interview: Interview, user: User) -> bool:
    """Tell whether the user may see the interview's scores and AI feedback: staff always,
    the student once a coach has released it (when the feedback was held)."""
    return interview.user_id != user.pk or not interview.feedback_held


def question_sets_for(user: User, track: Track) -> QuerySet[QuestionSet]:
    """Return the question sets the user may choose for this track."""
    return (
        QuestionSet.objects.filter(status=QuestionSet.Status.PUBLISHED)
        .filter(Q(owner__isnull=True) | Q(owner_id=user.organization_id))
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
    pause = organization.answer_pause_seconds if organization else DEFAULT_PAUSE_SECONDS
    return {
        "think_seconds": think + accommodations.extra_think_seconds,
        "pause_seconds": pause + accommodations.extra_pause_seconds,
        "captions": speech.captions_enabled(),
        "max_seconds": _answer_limit(accommodations),
        "max_bytes": settings.AUDIO_MAX_BYTES,
        "stt": speech.stt_enabled(),
        "tts": settings.TTS_PROVIDER,
    }


def open_turn(interview: Interview) -> Turn | None:
    """Return the question waiting for an answer, if there is one."""
    return interview.turns.filter(answer__isnull=True).order_by("-position").first()


def question_audio_url(turn: Turn) -> str | None:
    """Where the page fetches the question spoken aloud; None with the browser's own voice."""
    if not speech.tts_enabled():
        return None
    return reverse("turn_audio", args=[turn.interview_id, turn.position])


def questions_for(
    interview_type: str, track: Track | int, organization_id: int | None
) -> QuerySet[Question]:
    """Return the published questions an interview of this type and track may ask."""
    return (
        Question.objects.published()
        .visible_to(organization_id)
        .filter(track=track, type__in=QUESTION_TYPES[Interview.Type(interview_type)])
    )


@dataclass(frozen=True)
class InterviewPersonal:
    """What an interview was personalised with, as the room and the report show it."""

    resume_title: str
    job: JobProfile | None
    focus: list[FocusSkill]


def interview_personal(interview: Interview) -> InterviewPersonal | None:
    """Return what the interview was set up with: a resume, a job advert, the skills first."""
    if not interview.resume_profile and not interview.job_profile:
        return None
    claims = interview.resume_profile.get("skills", [])
    job = JobProfile.from_dict(interview.job_profile) if interview.job_profile else None
    focus = explain_focus(
        interview.track, interview.focus, claims=claims, needs=job.requirements if job else []
    )
    title = interview.resume.title if interview.resume else ""
    if interview.resume_profile and not title:
        title = "a resume since deleted"  # the interview keeps its copy of the profile
    return InterviewPersonal(resume_title=title, job=job, focus=focus)
