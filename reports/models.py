"""Per-answer evaluations and the interview report."""

from __future__ import annotations

from django.db import models

from interviews.models import Answer, Interview


class Evaluation(models.Model):
    """The rubric's verdict on one answer; never shown during the interview."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="evaluation")
    technical = models.FloatField()
    depth = models.FloatField()
    experience = models.FloatField()
    clarity = models.FloatField()
    confidence = models.FloatField()
    overall = models.FloatField(help_text="Weighted, 0-10.")
    # [{"key_point", "covered", "score", "evidence"}]
    key_points = models.JSONField(default=list)
    strengths = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    red_flags = models.JSONField(default=list)
    seniority_signals = models.JSONField(default=list)
    # What the engine measured beyond the scores: hedges, fillers, STAR parts, specifics.
    signals = models.JSONField(default=dict)
    followup_needed = models.BooleanField(default=False)
    followup_type = models.CharField(max_length=10, blank=True)
    followup_reason = models.CharField(max_length=300, blank=True)
    engine = models.CharField(max_length=20, default="local")
    # Why the provider did not evaluate it, when it was asked to and the local engine stepped in.
    fallback = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.overall:.1f}/10 for {self.answer}"

    @property
    def gave_up(self) -> bool:
        """The answer was "I don't know", or as good as."""
        return "dont_know" in self.red_flags


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
