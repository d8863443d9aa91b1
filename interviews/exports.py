"""A student's interviews in their data export: every question, answer, evaluation and event,
and the recordings still kept (see accounts.privacy)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import User
from accounts.privacy import Entry, as_json
from interviews.models import Answer, Evaluation, Interview, Turn

# Fields that are the database's bookkeeping, not the student's data.
_SKIP = ("id", "interview", "turn", "answer", "audio")


def export_folder(interview: Interview) -> str:
    """The interview's folder in the zip: its day, track and the start of its id."""
    day = timezone.localtime(interview.created_at).date().isoformat()
    return f"interviews/{day}-{interview.track.slug}-{str(interview.pk)[:8]}/"


def interview_entries(user: User) -> list[Entry]:
    """The files of the user's interviews in their export."""
    turns = Turn.objects.select_related("skill", "answer__evaluation").order_by("position")
    interviews = (
        Interview.objects.filter(user=user)
        .select_related("track", "organization", "assignment", "resume")
        .prefetch_related(Prefetch("turns", queryset=turns), "events", "skills")
        .order_by("created_at")
    )
    entries: list[Entry] = []
    for interview in interviews:
        folder = export_folder(interview)
        entries.append((f"{folder}interview.json", as_json(_interview(interview))))
        for turn in interview.turns.all():
            answer = _answer_of(turn)
            if answer is not None and answer.audio:
                entries.append(
                    (f"{folder}recordings/{_recording_name(turn, answer)}", answer.audio)
                )
    return entries


def _interview(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "track": interview.track.name,
        "level": interview.get_level_display(),
        "type": interview.get_interview_type_display(),
        "answers": interview.get_answer_mode_display(),
        "questions": interview.num_questions,
        "state": interview.get_state_display(),
        "career_centre": interview.organization.name if interview.organization else None,
        "assignment": interview.assignment.title if interview.assignment else None,
        "skills": [skill.name for skill in interview.skills.all()],
        "resume": interview.resume.title if interview.resume else None,
        "resume_profile": interview.resume_profile,
        "job_description": interview.job_description,
        "job_profile": interview.job_profile,
        "created": interview.created_at,
        "started": interview.started_at,
        "completed": interview.completed_at,
        "turns": [_turn(turn) for turn in interview.turns.all()],
        "events": [
            {"seq": e.seq, "type": e.type, "at": e.created_at, **e.payload}
            for e in interview.events.all()
        ],
    }


def _turn(turn: Turn) -> dict[str, Any]:
    answer = _answer_of(turn)
    evaluation: Evaluation | None = getattr(answer, "evaluation", None) if answer else None
    return {
        "position": turn.position,
        "question": turn.number,
        "kind": turn.get_kind_display(),
        "follow_up": turn.get_followup_type_display() if turn.followup_type else None,
        "step": turn.step or None,  # a coding interview's
        "text": turn.text,
        "skill": turn.skill.name if turn.skill else None,
        "difficulty": turn.difficulty,
        "asked": turn.asked_at,
        "answer": answer
        and {
            **model_to_dict(answer, exclude=_SKIP),
            "recording": _recording_name(turn, answer) if answer.audio else None,
            "received": answer.received_at,
        },
        "evaluation": evaluation
        and {**model_to_dict(evaluation, exclude=_SKIP), "made": evaluation.created_at},
    }


def _answer_of(turn: Turn) -> Answer | None:
    try:
        return turn.answer
    except Answer.DoesNotExist:
        return None


def _recording_name(turn: Turn, answer: Answer) -> str:
    return f"answer-{turn.position}{PurePosixPath(answer.audio.name).suffix}"
