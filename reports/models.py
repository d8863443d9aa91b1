"""The interview report."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from interviews.models import Interview, Turn


class Report(models.Model):
    """What the student reads after the interview."""

    class Verdict(models.TextChoices):
        STRONG_HIRE = "strong_hire", "Strong Hire"
        HIRE = "hire", "Hire"
        BORDERLINE = "borderline", "Borderline"
        NEEDS_IMPROVEMENT = "needs_improvement", "Needs Improvement"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="report")
    overall = models.PositiveSmallIntegerField(help_text="0-100.")
    dimensions = models.JSONField(default=dict)  # {"technical": 6.4, ...}
    skills = models.JSONField(default=list)  # [{"skill", "name", "score", "questions"}]
    strengths = models.JSONField(default=list)
    improvements = models.JSONField(default=list)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    summary = models.TextField()
    roadmap = models.JSONField(default=list)  # [{"skill", "why", "resources", "practice"}]
    questions = models.JSONField(default=list)  # every turn with its answer and feedback
    # How the spoken answers sounded overall: pace, fillers, pauses, hedges and guidance.
    delivery = models.JSONField(default=dict, blank=True)
    engine = models.CharField(max_length=20, default="local")
    # Steps where the provider failed and the local engine stepped in: [{"step", "reason"}].
    fallbacks = models.JSONField(default=list, blank=True)
    # With a resume or a job advert: which claims the answers backed and which of the job's
    # requirements they showed (see reports.evidence).
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Report {self.overall}/100 for {self.interview}"


class Review(models.Model):
    """A coach's or admin's review of a finished interview: an overall comment and, per answer,
    a rating and a comment. The student reads it on the report, beside the AI's feedback."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reviews"
    )
    comment = models.TextField("overall comment", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints: ClassVar = [
            # One review per reviewer; a second one is an edit of the first.
            models.UniqueConstraint(fields=["interview", "reviewer"], name="review_once"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.interview} by {self.reviewer}"


class AnswerReview(models.Model):
    """A reviewer's rating (1-5) and comment on one answer of the interview."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ("turn__position",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["review", "turn"], name="answer_review_once"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="answer_review_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating or '-'}/5 on {self.turn}"


class ScoreTally(models.Model):
    """How many deleted interviews (erased with their student, deleted by the student or by
    retention) scored in one band in one month, per cohort: the cohort's score distribution keeps
    them, with nothing that tells whose they were."""

    cohort = models.ForeignKey("accounts.Cohort", on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=7, help_text="YYYY-MM, when the interview ended.")
    band = models.CharField(max_length=10, help_text="A score band of the cohort's analytics.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cohort", "month", "band"], name="score_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.count} in {self.band} in {self.month}"
