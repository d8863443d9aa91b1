"""The interview report."""

from __future__ import annotations

from django.db import models

from interviews.models import Interview


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
