"""Interviews, their turns, answers and evaluations, and the event log the room replays from."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from interviews.state import BUSY_STATES, OPEN_STATES, State
from questionbank.models import Level, Question, QuestionSet, Skill, Track

MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 3, 15, 8
MAX_FOLLOWUPS_PER_QUESTION = 2


class InterviewType(models.TextChoices):
    BEHAVIOURAL = "behavioural", "Behavioural"
    TECHNICAL = "technical", "Technical"
    SYSTEM_DESIGN = "system_design", "System design"
    MIXED = "mixed", "Mixed"
    CODING = "coding", "Coding"


class AnswerMode(models.TextChoices):
    TEXT = "text", "Typed answers"
    VOICE = "voice", "Spoken answers"


# An assignment allows 1 to 5 attempts each, or any number (None).
MAX_ATTEMPTS = 5


class Assignment(models.Model):
    """Practice a coach or admin sets a cohort or chosen students, with dates and rules.

    The interview is either a question set (asked in its order) or a configuration the student
    cannot change (track, level, type, number of questions, typed or spoken). Who is assigned is
    the cohort's students at any moment, plus the chosen students.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="assignments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=150)
    instructions = models.TextField(blank=True)
    cohort = models.ForeignKey(
        "accounts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assignments", blank=True
    )
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="assignments")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    interview_type = models.CharField(max_length=20, choices=InterviewType.choices)
    num_questions = models.PositiveSmallIntegerField(
        default=DEFAULT_QUESTIONS,
        validators=[MinValueValidator(MIN_QUESTIONS), MaxValueValidator(MAX_QUESTIONS)],
    )
    answer_mode = models.CharField(
        max_length=10, choices=AnswerMode.choices, default=AnswerMode.TEXT
    )
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # None: as many attempts as the student likes.
    max_attempts = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ATTEMPTS)],
    )
    allow_late = models.BooleanField(
        default=True, help_text="Students may still start it after the due date (marked late)."
    )
    show_verdict = models.BooleanField(
        default=True, help_text="Show the readiness verdict on the reports of this practice."
    )
    hold_feedback = models.BooleanField(
        default=False, help_text="Students see their report once a coach has released it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-due_at", "pk")
        indexes: ClassVar = [models.Index(fields=["organization", "-due_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("opens_at")), name="assignment_due_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AssignmentReminder(models.Model):
    """That one student was reminded of one assignment's due date, so it is sent once."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="assignment_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder of {self.assignment} to {self.student}"


class InterviewQuerySet(models.QuerySet["Interview"]):
    def owned_by(self, user: Any) -> InterviewQuerySet:
        return self.filter(user=user)


class Interview(models.Model):
    """One mock interview a student sets up, takes and gets a report on."""

    Type = InterviewType
    AnswerMode = AnswerMode

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews"
    )
    # The career centre the student belonged to when they took it; it sees the results.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
    )
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="interviews")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    interview_type = models.CharField(max_length=20, choices=Type.choices)
    skills = models.ManyToManyField(Skill, related_name="interviews")
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    # The practice this attempt is for, set up exactly as assigned.
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    # While held, the student sees that the report awaits a coach's review, not the report.
    feedback_held = models.BooleanField(default=False)
    feedback_released_at = models.DateTimeField(null=True, blank=True)
    feedback_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    num_questions = models.PositiveSmallIntegerField(
        default=DEFAULT_QUESTIONS,
        validators=[MinValueValidator(MIN_QUESTIONS), MaxValueValidator(MAX_QUESTIONS)],
    )
    answer_mode = models.CharField(
        max_length=10, choices=AnswerMode.choices, default=AnswerMode.TEXT
    )
    # The resume chosen at setup, and its profile as it was then (the report reads the copy, so
    # deleting or correcting the resume later does not change a finished interview).
    resume = models.ForeignKey(
        "resumes.Resume",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
    )
    resume_profile = models.JSONField(default=dict, blank=True)
    # A job advert pasted at setup, and what was read from it (see resumes.reading.job).
    job_description = models.TextField(blank=True)
    job_profile = models.JSONField(default=dict, blank=True)
    # The skills (ids) to cover first, in order, when the interview is personalised: where the
    # job's needs and the resume's claims meet, then the job's other needs.
    focus = models.JSONField(default=list, blank=True)

    state = models.CharField(max_length=20, choices=State.choices, default=State.SETUP)
    # Where a paused interview resumes, or which step an interview in error retries.
    resume_to = models.CharField(max_length=20, choices=State.choices, blank=True)
    end_requested = models.BooleanField(default=False)
    difficulty = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    error_message = models.CharField(max_length=300, blank=True)
    # The seq of the newest event; events are numbered under the interview's row lock.
    last_seq = models.PositiveIntegerField(default=0)
    # How many core questions have been asked: "Question 3 of 8" on every state event.
    questions_asked = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        indexes: ClassVar = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["state", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.track.name} interview of {self.user} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_busy(self) -> bool:
        """A worker may be on its step (it cannot be deleted now)."""
        return self.state in BUSY_STATES

    @property
    def shows_verdict(self) -> bool:
        """Tell whether the report shows the readiness verdict: as the assignment says, else as
        the career centre does."""
        if self.assignment is not None:
            return self.assignment.show_verdict
        return self.organization is None or self.organization.show_readiness_verdict

    @property
    def progress(self) -> dict[str, int]:
        """Which core question the interview is on, of how many."""
        return {"number": self.questions_asked, "total": self.num_questions}


class Turn(models.Model):
    """One question the interviewer asked: a core question or a follow-up to one."""

    class Kind(models.TextChoices):
        CORE = "core", "Core question"
        FOLLOWUP = "followup", "Follow-up"

    class FollowUpType(models.TextChoices):
        PROBE = "probe", "Probe deeper"
        CLARIFY = "clarify", "Clarify"
        EXAMPLE = "example", "Ask for an example"
        CHALLENGE = "challenge", "Challenge"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveSmallIntegerField(help_text="Order within the interview, from 1.")
    number = models.PositiveSmallIntegerField(help_text="The core question this belongs to.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    followup_type = models.CharField(max_length=10, choices=FollowUpType.choices, blank=True)
    # The bank question asked (for a follow-up, the core question it follows up).
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="turns"
    )
    skill = models.ForeignKey(Skill, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField()
    difficulty = models.PositiveSmallIntegerField(default=5)
    # A question the LLM wrote carries its own yardstick (the bank question's otherwise).
    reference = models.TextField(blank=True)
    key_points = models.JSONField(default=list, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    engine = models.CharField(max_length=20, default="local", help_text="Who wrote the text.")
    # Why the provider did not write it, when it was asked to and the local engine stepped in.
    fallback = models.CharField(max_length=200, blank=True)
    # A coding interview's step (questionbank.coding.STEPS: understand ... evaluate).
    step = models.CharField(max_length=12, blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("interview", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["interview", "position"], name="turn_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


def answer_audio_path(answer: Answer, filename: str) -> str:
    """Keep each interview's recordings together; the service names the file."""
    return f"answers/{answer.interview_id}/{filename}"


class Answer(models.Model):
    """What the student gave back to a turn: typed text, a recording, or that they skipped it."""

    class Kind(models.TextChoices):
        TEXT = "text", "Typed"
        AUDIO = "audio", "Spoken"
        SKIPPED = "skipped", "Skipped"

    class TranscriptSource(models.TextChoices):
        TYPED = "typed", "Typed by the student"
        BROWSER = "browser", "The browser's speech recognition"
        SERVER = "server", "Transcribed on the server"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    turn = models.OneToOneField(Turn, on_delete=models.CASCADE, related_name="answer")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The answer of record: typed, or the transcript of the recording.
    text = models.TextField(blank=True)
    transcript_source = models.CharField(
        max_length=10, choices=TranscriptSource.choices, default=TranscriptSource.TYPED
    )
    # The recording, until the organisation's retention deletes it (the transcript stays).
    audio = models.FileField(upload_to=answer_audio_path, blank=True)
    audio_format = models.CharField(max_length=50, blank=True, help_text="Content type.")
    duration_seconds = models.FloatField(null=True, blank=True)
    # How it was said (see interviews.delivery): pace, fillers, pauses, hedges, guidance.
    delivery = models.JSONField(default=dict, blank=True)
    # The Implement step's code and its results per test, checked by questionbank.coding.
    code = models.JSONField(default=dict, blank=True)
    # Chosen by the client for each answer, so a resend after a dropped connection is harmless.
    client_id = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("turn__position",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["interview", "client_id"],
                condition=~Q(client_id=""),
                name="answer_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.turn}"


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
    # The question's red flags the answer made and the key points it dismissed, each quoted:
    # [{"kind": "red_flag" | "dismissed" | "possible_red_flag" | "careless", "text", "evidence"}].
    mistakes = models.JSONField(default=list, blank=True)
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

    class Meta:
        db_table = "reports_evaluation"  # made when evaluations were part of reports

    def __str__(self) -> str:
        return f"{self.overall:.1f}/10 for {self.answer}"

    @property
    def gave_up(self) -> bool:
        """The answer was "I don't know", or as good as."""
        return "dont_know" in self.red_flags


class Event(models.Model):
    """A server-to-client message, numbered per interview so a client can catch up."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=30)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("interview", "seq")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["interview", "seq"], name="event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.type}"

    def message(self) -> dict[str, object]:
        """Return the event as the client receives it."""
        return {"type": self.type, "seq": self.seq, **self.payload}
