"""Writes for the question bank: key points, red flags and follow-ups, a career centre's own
questions and question sets (loading the starter bank is `questionbank.bank`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import Organization, User
from questionbank.models import (
    FollowUp,
    KeyPoint,
    Level,
    Question,
    QuestionSet,
    QuestionSetItem,
    RedFlag,
    Skill,
    Track,
)
from questionbank.selectors import POINTS, question_set_questions, sets_holding

KEY_POINTS_MIN, KEY_POINTS_MAX = 3, 6
RED_FLAGS_MIN, RED_FLAGS_MAX = 2, 5
FOLLOW_UPS_MIN = 2
LEVEL_BY_NAME = {level.name.lower(): level for level in Level}


@dataclass(frozen=True)
class Points:
    """A question's key points, red flags and follow-up prompts, cleaned."""

    key_points: list[str]
    red_flags: list[str]
    follow_ups: list[str]


def text_lines(items: Sequence[str]) -> list[str]:
    return [" ".join(p.split()) for p in items if p and p.strip()]


def clean_points(
    *, key_points: Sequence[str], red_flags: Sequence[str], follow_ups: Sequence[str]
) -> Points:
    """Return the key points, red flags and follow-ups stripped of blanks; raise if too few or
    too many."""
    points = Points(text_lines(key_points), text_lines(red_flags), text_lines(follow_ups))
    errors = {}
    if not KEY_POINTS_MIN <= len(points.key_points) <= KEY_POINTS_MAX:
        errors["key_points"] = (
            f"Give {KEY_POINTS_MIN} to {KEY_POINTS_MAX} key points "
            f"(found {len(points.key_points)})."
        )
    if not RED_FLAGS_MIN <= len(points.red_flags) <= RED_FLAGS_MAX:
        errors["red_flags"] = (
            f"Give {RED_FLAGS_MIN} to {RED_FLAGS_MAX} red flags: the wrong claims or bad "
            f"practices a panel would reject (found {len(points.red_flags)})."
        )
    if len(points.follow_ups) < FOLLOW_UPS_MIN:
        errors["follow_ups"] = (
            f"Give at least {FOLLOW_UPS_MIN} follow-ups (found {len(points.follow_ups)})."
        )
    if errors:
        raise ValidationError(errors)
    return points


def question_set_points(*, question: Question, points: Points) -> Question:
    """Replace the question's key points, red flags and follow-up prompts."""
    with transaction.atomic():
        question.key_points.all().delete()
        question.red_flags.all().delete()
        question.follow_ups.all().delete()
        KeyPoint.objects.bulk_create(
            KeyPoint(question=question, text=text, position=i)
            for i, text in enumerate(points.key_points)
        )
        RedFlag.objects.bulk_create(
            RedFlag(question=question, text=text, position=i)
            for i, text in enumerate(points.red_flags)
        )
        FollowUp.objects.bulk_create(
            FollowUp(question=question, text=text, position=i)
            for i, text in enumerate(points.follow_ups)
        )
    return question


# --- A career centre's own questions ----------------------------------------------------------


@dataclass(frozen=True)
class QuestionValues:
    """What a coach writes for a question of the career centre's own."""

    track: Track
    skill: Skill
    type: str
    difficulty: int
    level_min: int
    level_max: int
    text: str
    reference_answer: str
    status: str
    key_points: Sequence[str]
    red_flags: Sequence[str]
    follow_ups: Sequence[str]

    @classmethod
    def of(cls, question: Question) -> QuestionValues:
        """Return the question's values as they are stored."""
        values: dict[str, Any] = {name: getattr(question, name) for name in _FIELDS}
        for name in POINTS:
            values[name] = [point.text for point in getattr(question, name).all()]
        return cls(**values)


_FIELDS = [f.name for f in fields(QuestionValues) if f.name not in POINTS]


def question_create(
    *, organization: Organization, author: User, values: QuestionValues
) -> Question:
    """Validate and create a question of the organisation's own, by this author."""
    return _question_write(Question(owner=organization, author=author), values, errors={})


def question_update(*, question: Question, values: QuestionValues) -> Question:
    """Validate and save the changes to one of an organisation's own questions."""
    if question.owner_id is None:
        raise ValidationError("Site-wide questions are read-only here.")
    errors: dict[str, list[str]] = {}
    in_use = sets_holding(question, status=QuestionSet.Status.PUBLISHED)
    if values.status != Question.Status.PUBLISHED and in_use:
        errors["status"] = [f"It is in the published set(s) {in_use}; remove it there first."]
    held = sets_holding(question)
    if values.track.pk != question.track_id and held:
        errors["track"] = [f"It is in the set(s) {held}, of {question.track.name} questions."]
    return _question_write(question, values, errors=errors)


def _question_write(
    question: Question, values: QuestionValues, *, errors: dict[str, list[str]]
) -> Question:
    """Set the values, check them and the points by the bank's rules, and save all or nothing."""
    for name in _FIELDS:
        setattr(question, name, getattr(values, name))
    question.reference_answer = question.reference_answer.strip()
    if not question.reference_answer:
        errors["reference_answer"] = ["Write what a strong candidate would say."]
    points = None
    try:
        points = clean_points(
            key_points=values.key_points, red_flags=values.red_flags, follow_ups=values.follow_ups
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        # Question.clean reports a duplicate under "text", in words a coach understands.
        question.full_clean(exclude=["text_key", "bank_key", *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors or points is None:
        raise ValidationError(errors)
    with transaction.atomic():
        question.save()
        question_set_points(question=question, points=points)
    return question


def question_delete(*, question: Question) -> None:
    """Delete one of an organisation's own questions that no set holds."""
    if question.owner_id is None:
        raise ValidationError("Site-wide questions are read-only here.")
    sets = sets_holding(question)
    if sets:
        raise ValidationError(f"Remove it from {sets} first, or archive it instead.")
    with transaction.atomic():
        question.delete()


# --- A career centre's question sets ------------------------------------------------------------


def question_set_create(
    *,
    organization: Organization,
    name: str,
    description: str,
    questions: Sequence[Question] = (),
) -> QuestionSet:
    """Create a draft set of the organisation's, holding these questions in this order."""
    question_set = QuestionSet(owner=organization)
    with transaction.atomic():
        _set_describe(question_set, name=name, description=description)
        if questions:
            _items_replace(question_set, list(questions))
    return question_set


def question_set_update(
    *,
    question_set: QuestionSet,
    name: str,
    description: str,
    questions: Sequence[Question] | None = None,
) -> QuestionSet:
    """Rename and describe the set and, given questions, replace its questions and order."""
    with transaction.atomic():
        _lock(question_set)
        _set_describe(question_set, name=name, description=description)
        if questions is not None:
            _items_replace(question_set, list(questions))
    return question_set


def question_set_add(*, question_set: QuestionSet, question: Question) -> QuestionSet:
    """Add the question at the end of the set."""
    with transaction.atomic():
        current = _lock(question_set)
        if question in current:
            raise ValidationError({"questions": "This question is in the set already."})
        _items_replace(question_set, [*current, question])
    return question_set


def question_set_remove(*, question_set: QuestionSet, question: Question) -> QuestionSet:
    """Take the question out of the set; the questions after it move up."""
    with transaction.atomic():
        current = _lock(question_set)
        if question not in current:
            raise ValidationError({"questions": "This question is not in the set."})
        _items_replace(question_set, [q for q in current if q != question])
    return question_set


def question_set_move(
    *, question_set: QuestionSet, question: Question, position: int
) -> QuestionSet:
    """Move the question to this position (from 0; beyond either end means that end)."""
    with transaction.atomic():
        current = _lock(question_set)
        if question not in current:
            raise ValidationError({"questions": "This question is not in the set."})
        current.remove(question)
        current.insert(max(0, min(position, len(current))), question)
        _items_replace(question_set, current)
    return question_set


def question_set_publish(*, question_set: QuestionSet) -> QuestionSet:
    """Offer the set to the organisation's students, once it holds only published questions."""
    with transaction.atomic():
        current = _lock(question_set)
        if not current:
            raise ValidationError({"questions": "Add at least one question before publishing."})
        unpublished = "; ".join(str(q) for q in current if q.status != Question.Status.PUBLISHED)
        if unpublished:
            message = f"Publish these questions first, or remove them: {unpublished}"
            raise ValidationError({"questions": message})
        question_set.status = QuestionSet.Status.PUBLISHED
        question_set.save(update_fields=["status", "updated_at"])
    return question_set


def question_set_delete(*, question_set: QuestionSet) -> None:
    """Delete one of the organisation's sets that no assignment uses."""
    if question_set.owner_id is None:
        raise ValidationError("Site-wide sets are read-only here.")
    try:
        with transaction.atomic():
            question_set.delete()
    except ProtectedError:
        raise ValidationError(
            "Practice assigned to students uses this set; change or delete the assignment first."
        ) from None


def _lock(question_set: QuestionSet) -> list[Question]:
    """Lock the set's row for this transaction and return its questions in order."""
    if question_set.owner_id is None:
        raise ValidationError("Site-wide sets are read-only here.")
    QuestionSet.objects.select_for_update().filter(pk=question_set.pk).first()
    return question_set_questions(question_set)


def _set_describe(question_set: QuestionSet, *, name: str, description: str) -> None:
    question_set.name = " ".join(name.split())
    question_set.description = description.strip()
    if not question_set.name:
        raise ValidationError({"name": "Name the set."})
    same_name = QuestionSet.objects.filter(
        owner_id=question_set.owner_id, name__iexact=question_set.name
    ).exclude(pk=question_set.pk)
    if same_name.exists():
        raise ValidationError({"name": f"Your centre has a set called “{question_set.name}”."})
    question_set.full_clean(exclude=["owner"])
    question_set.save()


def _items_replace(question_set: QuestionSet, questions: list[Question]) -> None:
    """Check the questions may make up the set, then store them at positions 0..n-1."""
    if len(set(questions)) < len(questions):
        raise ValidationError({"questions": "A question can be in a set only once."})
    published = question_set.status == QuestionSet.Status.PUBLISHED
    if published and not questions:
        raise ValidationError({"questions": "A published set needs at least one question."})
    items = [
        QuestionSetItem(question_set=question_set, question=question, position=position)
        for position, question in enumerate(questions)
    ]
    for item in items:
        question = item.question
        try:
            item.clean()  # refuses another organisation's question
        except ValidationError as error:
            raise ValidationError({"questions": error.messages}) from None
        # An interview is of one track and asks the set's questions in order: one track a set.
        if question.track_id != questions[0].track_id:
            track, other = questions[0].track.name, question.track.name
            message = f"A set holds questions of one track: this set is {track}, “{question}” is"
            raise ValidationError({"questions": f"{message} {other}."})
        if question.status == Question.Status.ARCHIVED:
            raise ValidationError({"questions": f"“{question}” is archived."})
        # A draft of the centre's own may wait in a draft set; it is published before the set.
        if question.status != Question.Status.PUBLISHED and (published or not question.owner_id):
            raise ValidationError({"questions": f"“{question}” is not published."})
    question_set.items.all().delete()
    QuestionSetItem.objects.bulk_create(items)
    question_set.save(update_fields=["updated_at"])
