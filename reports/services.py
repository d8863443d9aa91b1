"""Write an interview's report (a worker step)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count
from django.urls import reverse

from ai import get_engine
from interviews.models import Evaluation, Interview, Turn
from interviews.state import State
from interviews.work import locked
from questionbank.models import CodingProblem, Level, Question, Skill
from reports import builder
from reports.evidence import evidence
from reports.models import Report
from resumes.selectors import vocabulary

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
    "key_points",
    "mistakes",
)
PRACTICE_PER_SKILL = 3


def _records(interview: Interview) -> list[builder.TurnRecord]:
    turns = interview.turns.select_related("skill", "answer__evaluation").order_by("position")
    problems = {
        problem.pk: {"title": problem.title, "statement": problem.question.text}
        for problem in CodingProblem.objects.filter(
            pk__in=interview.turns.exclude(step="").values("question_id")
        ).select_related("question")
    }
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
                spoken=bool(answer and answer.kind == answer.Kind.AUDIO),
                transcript_source=answer.transcript_source if answer else "typed",
                delivery=answer.delivery if answer else None,
                step=turn.step,
                code=answer.code if answer and answer.code else None,
                problem=problems.get(turn.question_id) if turn.step == "understand" else None,
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


def _fallbacks(interview: Interview) -> list[dict[str, object]]:
    """The steps where the provider failed and the local engine stepped in, counted by reason."""
    steps = [
        ("questions", interview.turns.filter(kind=Turn.Kind.CORE)),
        ("follow-up questions", interview.turns.filter(kind=Turn.Kind.FOLLOWUP)),
        ("answer evaluations", Evaluation.objects.filter(answer__interview=interview)),
    ]
    found = []
    for step, queryset in steps:
        counts = queryset.exclude(fallback="").values("fallback").annotate(count=Count("pk"))
        for row in counts.order_by("-count", "fallback"):
            found.append({"step": step, "count": row["count"], "reason": row["fallback"]})
    return found


def _evidence(interview: Interview, records: list[builder.TurnRecord]) -> dict[str, Any]:
    """The resume's claims and the job's requirements against the answers, if it had them."""
    if not interview.resume_profile and not interview.job_profile:
        return {}
    return evidence(
        records,
        claims=interview.resume_profile.get("skills", []),
        requirements=interview.job_profile.get("requirements", []),
        vocabulary=vocabulary(),
        track_skills=list(interview.track.skills.values_list("pk", flat=True)),
    )


def report_generate(*, interview_id: uuid.UUID | str) -> Report | None:
    """Write the report of a completed interview and tell the room it is ready."""
    with locked(interview_id) as work:
        interview = work.interview
        if interview.state == State.COMPLETE:
            work.move(State.GENERATING_REPORT)
        elif interview.state != State.GENERATING_REPORT:
            return getattr(interview, "report", None)
        records = _records(interview)
        data = builder.build(
            records,
            track=interview.track.name,
            level=Level(interview.level).label.lower(),
            total=interview.num_questions,
        )
        roadmap = _roadmap(interview, data.weak_skill_ids)
        backing = _evidence(interview, records)
        # Which engines wrote the questions and evaluations (a provider step may have fallen back).
        engines = {
            *Evaluation.objects.filter(answer__interview=interview).values_list(
                "engine", flat=True
            ),
            *interview.turns.values_list("engine", flat=True),
        }
        fallbacks = _fallbacks(interview)
        facts = {
            "role": interview.track.name,
            "level": Level(interview.level).label.lower(),
            "overall_out_of_100": data.overall,
            "dimensions_out_of_10": data.dimensions,
            "skills": [{"name": s["name"], "score": s["score"]} for s in data.skills],
            "strengths": data.strengths,
            "improvements": data.improvements,
            "questions": [
                {
                    "question": q["text"],
                    "answer": (q["answer"] or "")[:1200],
                    "skipped": q["skipped"],
                    "overall_out_of_10": (q["scores"] or {}).get("overall"),
                }
                for q in data.questions
            ],
        }

    # Outside the lock: a provider may take seconds to write the narrative.
    summary = get_engine().write_summary(facts, data.summary)
    if summary.fallback:
        fallbacks.append({"step": "the report summary", "count": 1, "reason": summary.fallback})
    engines.add(summary.engine)

    with locked(interview_id) as work:
        interview = work.interview
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
                "summary": summary.text,
                "roadmap": roadmap,
                "questions": data.questions,
                "delivery": data.delivery,
                "engine": ", ".join(sorted(engines)),
                "fallbacks": fallbacks,
                "evidence": backing,
            },
        )
        work.move(State.FINISHED)
        work.emit("report.ready", report_url=reverse("report", args=[interview.pk]))
    return report
