"""Write an interview's report (a worker step)."""

from __future__ import annotations

import uuid

from django.urls import reverse

from interviews.events import emit
from interviews.models import Interview
from interviews.services import locked, move
from interviews.state import State
from questionbank.models import Level, Question, Skill
from reports import builder
from reports.models import Evaluation, Report

EVALUATION_FIELDS = (
    "technical",
    "depth",
    "experience",
    "clarity",
    "confidence",
    "overall",
    "strengths",
    "missing",
    "red_flags",
    "signals",
)
PRACTICE_PER_SKILL = 3


def _records(interview: Interview) -> list[builder.TurnRecord]:
    turns = interview.turns.select_related("skill", "answer__evaluation").order_by("position")
    records = []
    for turn in turns:
        answer = getattr(turn, "answer", None)
        evaluation: Evaluation | None = getattr(answer, "evaluation", None) if answer else None
        records.append(
            builder.TurnRecord(
                position=turn.position,
                number=turn.number,
                kind=turn.kind,
                followup_type=turn.followup_type,
                text=turn.text,
                skill_id=turn.skill_id,
                skill_name=turn.skill.name if turn.skill else "",
                answer=answer.text if answer else None,
                skipped=bool(answer and answer.kind == answer.Kind.SKIPPED),
                evaluation={f: getattr(evaluation, f) for f in EVALUATION_FIELDS}
                if evaluation
                else None,
            )
        )
    return records


def _roadmap(interview: Interview, weak_skill_ids: list[int]) -> list[dict[str, object]]:
    """Return study steps for the weak skills: their resources and questions to practise."""
    asked = set(interview.turns.values_list("question_id", flat=True))
    steps = []
    for skill in Skill.objects.filter(pk__in=weak_skill_ids).order_by("name"):
        practice = (
            Question.objects.published()
            .visible_to(interview.organization_id)
            .filter(skill=skill, level_min__lte=interview.level, level_max__gte=interview.level)
            .exclude(pk__in=asked)
            .order_by("difficulty")[:PRACTICE_PER_SKILL]
        )
        steps.append(
            {
                "skill": skill.name,
                "why": skill.description,
                "resources": skill.resources,
                "practice": [q.text for q in practice],
            }
        )
    return steps


def report_generate(*, interview_id: uuid.UUID | str) -> Report | None:
    """Write the report of a completed interview and tell the room it is ready."""
    with locked(interview_id) as interview:
        if interview.state == State.COMPLETE:
            move(interview, State.GENERATING_REPORT)
        elif interview.state != State.GENERATING_REPORT:
            return getattr(interview, "report", None)
        data = builder.build(
            _records(interview),
            track=interview.track.name,
            level=Level(interview.level).label.lower(),
            total=interview.num_questions,
        )
        roadmap = _roadmap(interview, data.weak_skill_ids)
        # Which engines wrote the evaluations (a provider step may have fallen back to local).
        engines = sorted(
            set(
                Evaluation.objects.filter(answer__interview=interview).values_list(
                    "engine", flat=True
                )
            )
        )

    with locked(interview_id) as interview:
        if interview.state != State.GENERATING_REPORT:
            return getattr(interview, "report", None)
        report, _ = Report.objects.update_or_create(
            interview=interview,
            defaults={
                "overall": data.overall,
                "dimensions": data.dimensions,
                "skills": data.skills,
                "strengths": data.strengths,
                "improvements": data.improvements,
                "verdict": data.verdict,
                "summary": data.summary,
                "roadmap": roadmap,
                "questions": data.questions,
                "engine": ", ".join(engines) or "local",
            },
        )
        move(interview, State.FINISHED)
        emit(interview, "report.ready", report_url=reverse("report", args=[interview.pk]))
    return report
