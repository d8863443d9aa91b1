"""Reads of the question bank for the pages students see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from questionbank.models import Question, Skill, Track

_PUBLISHED = Q(questions__status=Question.Status.PUBLISHED)


def tracks_with_counts(organization_id: int | None = None) -> QuerySet[Track]:
    """Return every track with how many published questions a member may practise."""
    visible = _PUBLISHED & (
        Q(questions__owner__isnull=True) | Q(questions__owner_id=organization_id)
    )
    return Track.objects.annotate(
        # Both counts join the track's rows; distinct keeps one from multiplying the other.
        question_count=Count("questions", filter=visible, distinct=True),
        skill_count=Count("skills", distinct=True),
    ).order_by("name")


def track_detail(*, slug: str, organization_id: int | None) -> tuple[Track, list[Skill]]:
    """Return a track and its skills, each with its published question counts by type."""
    track = get_object_or_404(Track, slug=slug)
    questions = Question.objects.published().visible_to(organization_id).filter(track=track)
    counts: dict[int, dict[str, int]] = {}
    for row in questions.values("skill_id", "type").annotate(n=Count("id")):
        counts.setdefault(row["skill_id"], {})[row["type"]] = row["n"]
    skills = list(track.skills.order_by("name"))
    labels = dict(Question.Type.choices)
    for skill in skills:
        by_type = counts.get(skill.pk, {})
        skill.question_counts = [(labels[t], n) for t, n in sorted(by_type.items())]  # type: ignore[attr-defined]
        skill.question_total = sum(by_type.values())  # type: ignore[attr-defined]
    return track, skills
