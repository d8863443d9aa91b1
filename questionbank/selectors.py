"""Reads of the question bank: the pages students see, and what a career centre edits."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.selectors import staff_membership
from questionbank.models import Question, QuestionSet, Skill, Track

POINTS = ("key_points", "red_flags", "follow_ups")

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


def question_to_study(*, slug: str, question_id: int, organization_id: int | None) -> Question:
    """Return a published question the student may see, with its points; else 404."""
    questions = Question.objects.published().visible_to(organization_id)
    return get_object_or_404(
        questions.select_related("track", "skill").prefetch_related("key_points", "red_flags"),
        pk=question_id,
        track__slug=slug,
    )


# --- What a career centre's coaches and admins edit -----------------------------------------


def centre_questions(organization_id: int) -> QuerySet[Question]:
    """Return the organisation's own questions, newest first."""
    return (
        Question.objects.filter(owner_id=organization_id)
        .select_related("track", "skill")
        .order_by("-updated_at", "-pk")
    )


def centre_question_get(*, user: User, question_id: int) -> Question:
    """Return one of the staff member's organisation's own questions, or raise 404."""
    membership = staff_membership(user)
    return get_object_or_404(
        centre_questions(membership.organization_id).prefetch_related(*POINTS),
        pk=question_id,
    )


def centre_question_sets(organization_id: int) -> QuerySet[QuestionSet]:
    """Return the organisation's own question sets with how many questions each holds."""
    return (
        QuestionSet.objects.filter(owner_id=organization_id)
        .annotate(question_count=Count("items"))
        .order_by("name", "pk")
    )


def centre_question_set_get(*, user: User, question_set_id: int) -> QuestionSet:
    """Return one of the staff member's organisation's own question sets, or raise 404."""
    membership = staff_membership(user)
    return get_object_or_404(centre_question_sets(membership.organization_id), pk=question_set_id)


def question_sets_visible_to(user: User) -> QuerySet[QuestionSet]:
    """Return the sets the user may read: the published site-wide and organisation ones, and
    for its coaches and admins the organisation's drafts too."""
    membership = user.membership
    organization_id = membership.organization_id if membership else None
    readable = Q(status=QuestionSet.Status.PUBLISHED) & (
        Q(owner__isnull=True) | Q(owner_id=organization_id)
    )
    if membership is not None and membership.is_staff_role:
        readable |= Q(owner_id=organization_id)
    return QuestionSet.objects.filter(readable).order_by("name", "pk")


def question_set_questions(question_set: QuestionSet) -> list[Question]:
    """Return the set's questions in their order."""
    items = question_set.items.select_related("question__track", "question__skill")
    return [item.question for item in items.order_by("position", "pk")]


def question_set_track(question_set: QuestionSet) -> Track | None:
    """Return the track of the set's questions (a set holds one track's), or None while empty."""
    first = question_set.items.select_related("question__track").order_by("position").first()
    return first.question.track if first else None


def sets_holding(question: Question, **filters: str) -> str:
    """Return the names of the sets holding the question, quoted, for a message."""
    sets = QuestionSet.objects.filter(items__question=question, **filters).order_by("name")
    return ", ".join(f"“{name}”" for name in sets.values_list("name", flat=True))


def questions_to_pick(
    *,
    question_set: QuestionSet,
    search: str = "",
    track: Track | None = None,
    question_type: str = "",
) -> QuerySet[Question]:
    """Return the questions a coach may add to the set: published site-wide ones and the
    organisation's own (drafts too while the set is a draft), of the set's track once it has
    one, matching every word searched for."""
    organization_id = question_set.owner_id
    addable = Q(status=Question.Status.PUBLISHED)
    if question_set.status == QuestionSet.Status.DRAFT:
        addable |= Q(owner_id=organization_id, status=Question.Status.DRAFT)
    questions = (
        Question.objects.visible_to(organization_id)
        .filter(addable)
        .exclude(pk__in=question_set.items.values("question_id"))
    )
    track = question_set_track(question_set) or track
    if track is not None:
        questions = questions.filter(track=track)
    if question_type:
        questions = questions.filter(type=question_type)
    for word in search.split():
        questions = questions.filter(text__icontains=word)
    return questions.select_related("track", "skill").order_by(
        "track__name", "skill__name", "difficulty", "pk"
    )
