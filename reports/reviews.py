"""Coaches' reviews of finished interviews, and releasing feedback a coach held back.

A coach or admin who may read a student's interview (see interviews.selectors) reviews it once:
an overall comment and, per answer, a rating from 1 to 5 and a comment; they may edit or delete
their own review. The student reads reviews on the report beside the AI's feedback, and gets an
email when one is posted. Feedback held for a coach stays hidden from the student until a coach
releases it; the review queue lists those interviews, oldest first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import mail
from accounts.models import User
from interviews.models import Interview, Turn
from interviews.selectors import interviews_staff_sees
from interviews.state import State
from reports import tasks
from reports.models import AnswerReview, Review

# Only an interview that has ended with answers has something to review.
REVIEWABLE_STATES = (State.COMPLETE, State.GENERATING_REPORT, State.FINISHED)
MAX_COMMENT_CHARS = 5000


@dataclass(frozen=True)
class AnswerRating:
    """A reviewer's rating (1-5, or None) and comment on the answer to one turn."""

    turn: int  # the turn's position in the interview
    rating: int | None = None
    comment: str = ""


def reviewable(*, user: User, interview_id: uuid.UUID | str) -> Interview:
    """Return an interview of a student the user coaches that can be reviewed, or raise 404
    (the student themselves, and anyone else, cannot review it)."""
    try:
        return interviews_staff_sees(user).get(pk=interview_id)
    except (Interview.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def reviews_of(interview: Interview) -> QuerySet[Review]:
    """Return an interview's reviews with their per-answer ratings, oldest first."""
    return (
        Review.objects.filter(interview=interview)
        .select_related("reviewer")
        .prefetch_related(Prefetch("answers", queryset=AnswerReview.objects.select_related("turn")))
    )


def by_position(reviews: Iterable[Review]) -> dict[int, list[dict[str, Any]]]:
    """Group the reviewers' ratings and comments by the position of the answer they are on."""
    found: dict[int, list[dict[str, Any]]] = {}
    for review in reviews:
        for answer in review.answers.all():
            if answer.rating is not None or answer.comment:
                found.setdefault(answer.turn.position, []).append(
                    {"review": review, "rating": answer.rating, "comment": answer.comment}
                )
    return found


def _answer_ratings(
    interview: Interview, ratings: list[AnswerRating]
) -> list[tuple[Turn, AnswerRating]]:
    """Match ratings to the interview's answered turns, or raise ValidationError."""
    turns = {t.position: t for t in interview.turns.filter(answer__isnull=False)}
    errors: list[str] = []
    matched = []
    seen: set[int] = set()
    for rating in ratings:
        turn = turns.get(rating.turn)
        if turn is None:
            errors.append(f"Question {rating.turn} has no answer in this interview.")
        elif rating.turn in seen:
            errors.append(f"Question {rating.turn} is rated twice.")
        elif rating.rating is not None and not 1 <= rating.rating <= 5:
            errors.append(f"Rate question {rating.turn} from 1 to 5.")
        elif len(rating.comment) > MAX_COMMENT_CHARS:
            errors.append(f"Keep the comment on question {rating.turn} under 5,000 characters.")
        else:
            seen.add(rating.turn)
            if rating.rating is not None or rating.comment.strip():
                matched.append((turn, rating))
    if errors:
        raise ValidationError({"answers": errors})
    return matched


def review_save(
    *,
    by: User,
    interview_id: uuid.UUID | str,
    comment: str,
    answers: list[AnswerRating],
    review_id: int | None = None,
) -> Review:
    """Post a review of an interview (review_id None), or change one's own review; the student
    is emailed when a review is first posted."""
    interview = reviewable(user=by, interview_id=interview_id)
    if interview.state not in REVIEWABLE_STATES:
        raise ValidationError({"interview": "Only a finished interview can be reviewed."})
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError({"comment": "Keep the overall comment under 5,000 characters."})
    matched = _answer_ratings(interview, answers)
    if not comment and not matched:
        raise ValidationError({"comment": "Write a comment or rate at least one answer."})
    with transaction.atomic():
        if review_id is None:
            try:
                with transaction.atomic():
                    review = Review.objects.create(
                        interview=interview, reviewer=by, comment=comment
                    )
            except IntegrityError:
                raise ValidationError(
                    {"review": "You have already reviewed this interview; edit your review."}
                ) from None
            pk = review.pk
            transaction.on_commit(lambda: tasks.review_notify.delay(pk))
        else:
            review = _own_review(by=by, interview=interview, review_id=review_id)
            review.comment = comment
            review.save(update_fields=["comment", "updated_at"])
            review.answers.all().delete()
        AnswerReview.objects.bulk_create(
            AnswerReview(review=review, turn=turn, rating=r.rating, comment=r.comment.strip())
            for turn, r in matched
        )
    return review


def _own_review(*, by: User, interview: Interview, review_id: object) -> Review:
    try:
        return Review.objects.select_for_update().get(
            pk=int(str(review_id)), interview=interview, reviewer=by
        )
    except (Review.DoesNotExist, ValueError):
        raise Http404 from None


def review_delete(*, by: User, interview_id: uuid.UUID | str, review_id: object) -> None:
    """Delete one's own review of an interview."""
    interview = reviewable(user=by, interview_id=interview_id)
    with transaction.atomic():
        _own_review(by=by, interview=interview, review_id=review_id).delete()


def review_notify(*, review_id: int) -> int:
    """Email the student that a coach reviewed their interview."""
    review = (
        Review.objects.select_related("interview__user", "interview__track", "reviewer")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        return 0
    return mail.send("review_posted", [review.interview.user], {"review": review})


def feedback_release(*, by: User, interview_id: uuid.UUID | str) -> Interview:
    """Show the student the feedback a coach held back."""
    interview = reviewable(user=by, interview_id=interview_id)
    with transaction.atomic():
        interview = Interview.objects.select_for_update().get(pk=interview.pk)
        if interview.feedback_held:
            interview.feedback_held = False
            interview.feedback_released_at = timezone.now()
            interview.feedback_released_by = by
            interview.save(
                update_fields=[
                    "feedback_held",
                    "feedback_released_at",
                    "feedback_released_by",
                    "updated_at",
                ]
            )
    return interview


def review_queue(user: User) -> QuerySet[Interview]:
    """Return the finished interviews of the user's students whose feedback waits for a coach,
    oldest first."""
    return (
        interviews_staff_sees(user)
        .filter(feedback_held=True, state__in=REVIEWABLE_STATES)
        .select_related("assignment")
        .order_by("completed_at", "created_at")
    )


def ratings_from(data: Mapping[str, Any]) -> list[AnswerRating]:
    """Read per-answer ratings from a review form: rating_<position> and comment_<position>."""
    positions = sorted(
        {
            int(key.split("_", 1)[1])
            for key in data
            if key.startswith(("rating_", "comment_")) and key.split("_", 1)[1].isdigit()
        }
    )
    found = []
    for position in positions:
        raw = str(data.get(f"rating_{position}", "") or "").strip()
        if raw and not raw.isdigit():
            raise ValidationError({"answers": [f"Rate question {position} from 1 to 5."]})
        found.append(
            AnswerRating(
                turn=position,
                rating=int(raw) if raw else None,
                comment=str(data.get(f"comment_{position}", "") or ""),
            )
        )
    return found
