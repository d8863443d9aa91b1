"""Tracks, skills, questions with reference answers and key points, and curated sets."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from ai.text import normalize_text


class Level(models.IntegerChoices):
    """Seniority, in order; a question suits a contiguous range of levels."""

    INTERN = 1, "Intern / new graduate"
    JUNIOR = 2, "Junior"
    MID = 3, "Mid-level"
    SENIOR = 4, "Senior"
    STAFF = 5, "Staff / lead"
    PRINCIPAL = 6, "Principal"


class Track(models.Model):
    """A field of work students prepare for, e.g. Software Engineering."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill within a track, with study resources for students who are weak at it."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="skills")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # [{"title": "...", "practise": "..."}]: named books or exercises, never invented links.
    resources = models.JSONField(default=list, blank=True)
    # The words a resume or a job advert uses for it: tools, methods, certifications.
    # "PostgreSQL|Postgres": shown as the first name, found by any (see interviews.profiles).
    keywords = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("track", "name")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["track", "slug"], name="skill_slug_unique_in_track"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.track.name})"

    def clean(self) -> None:
        if not isinstance(self.resources, list) or not all(
            isinstance(r, dict)
            and set(r) == {"title", "practise"}
            and all(isinstance(v, str) and v.strip() for v in r.values())
            for r in self.resources
        ):
            raise ValidationError(
                {"resources": 'Give a list of {"title": "...", "practise": "..."} entries.'}
            )
        if not isinstance(self.keywords, list) or not all(
            isinstance(k, str) and all(len(name.strip()) >= 2 for name in k.split("|"))
            for k in self.keywords
        ):
            raise ValidationError(
                {"keywords": 'Give a list of terms such as "PostgreSQL|Postgres" (2+ letters).'}
            )


# What a question is, field by field, in the order the API and the CSV/JSON export give it.
QUESTION_FIELDS = (
    "id",
    "track",
    "skill",
    "type",
    "difficulty",
    "level_min",
    "level_max",
    "text",
    "reference_answer",
)


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> QuestionQuerySet:
        return self.filter(status=Question.Status.PUBLISHED)

    def for_level(self, level: int) -> QuestionQuerySet:
        return self.filter(level_min__lte=level, level_max__gte=level)

    def visible_to(self, organization_id: int | None) -> QuestionQuerySet:
        """Return site-wide questions and, for a member, their organisation's own."""
        return self.filter(Q(owner__isnull=True) | Q(owner_id=organization_id))


class Question(models.Model):
    """An interview question with what a strong answer contains."""

    class Type(models.TextChoices):
        BEHAVIOURAL = "behavioural", "Behavioural"
        TECHNICAL = "technical", "Technical"
        SYSTEM_DESIGN = "system_design", "System design"
        SITUATIONAL = "situational", "Situational"
        CODING = "coding", "Coding"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="questions")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(max_length=20, choices=Type.choices)
    difficulty = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 (a first interview) to 10 (principal level).",
    )
    level_min = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.INTERN)
    level_max = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.PRINCIPAL)
    text = models.TextField(help_text="The question as the interviewer asks it.")
    # normalize_text(text): two questions that read the same are one question.
    text_key = models.TextField(unique=True, editable=False)
    reference_answer = models.TextField(help_text="What a strong candidate would say.")
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        help_text="Empty for a site-wide question.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by load_questionbank: which bank entry this is and the checksum it was loaded with,
    # so a later load can tell a curator's edit (kept) from an untouched row (updated).
    bank_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    bank_checksum = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ("track", "skill", "difficulty", "pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=10), name="question_difficulty_1_10"
            ),
            models.CheckConstraint(
                condition=Q(level_min__lte=F("level_max")), name="question_level_range"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["track", "status", "type"])]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def save(self, *args: object, **kwargs: object) -> None:
        # The unique text_key is what stops a duplicate; every write path must refresh it.
        self.text_key = normalize_text(self.text)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def levels(self) -> list[Level]:
        return [Level(value) for value in range(self.level_min, self.level_max + 1)]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.text = " ".join(self.text.split())
        self.text_key = normalize_text(self.text)
        if not self.text_key:
            errors["text"] = "Write the question."
        elif Question.objects.exclude(pk=self.pk).filter(text_key=self.text_key).exists():
            errors["text"] = "A question with the same wording is already in the bank."
        if self.skill_id and self.track_id and self.skill.track_id != self.track_id:
            errors["skill"] = "This skill belongs to another track."
        if self.level_min and self.level_max and self.level_min > self.level_max:
            errors["level_max"] = "The highest level must not be below the lowest."
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            errors["tags"] = "Give the tags as a list of words."
        if errors:
            raise ValidationError(errors)


class QuestionPoint(models.Model):
    """One line of what a question is judged by, in its order."""

    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.text


class KeyPoint(QuestionPoint):
    """One thing a strong answer to the question covers."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_points")

    class Meta(QuestionPoint.Meta):
        pass


class RedFlag(QuestionPoint):
    """A wrong claim or bad practice a panel would reject in an answer to the question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="red_flags")

    class Meta(QuestionPoint.Meta):
        pass


class CodingProblem(models.Model):
    """What a coding question has besides its statement (the question's text): the function to
    write, examples, tests (some hidden), the reference solution and complexity, its patterns,
    and what a strong candidate says at each step (see questionbank.coding.STEPS)."""

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="coding"
    )
    title = models.CharField(max_length=120)
    patterns = models.JSONField(default=list, help_text="Two pointers, BFS, dynamic programming…")
    # {"python": "snake_case_name", "javascript": "camelCaseName"}
    function = models.JSONField()
    params = models.JSONField(help_text="The function's parameter names, in order.")
    # [{"args": [...], "expected": ..., "explanation": "..."}], shown to the candidate.
    examples = models.JSONField(default=list)
    constraints = models.JSONField(default=list)
    # {"python": "...", "javascript": "..."}
    reference_solution = models.JSONField()
    # [{"args": [...], "expected": ..., "hidden": bool}]: hidden ones' expected outputs never
    # leave the server.
    tests = models.JSONField()
    time_complexity = models.CharField(max_length=60)
    space_complexity = models.CharField(max_length=60)
    # {"understand": [key points], "match": [...], "plan": [...], "implement": [...],
    #  "review": [...], "evaluate": [...]}
    steps = models.JSONField()

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """A follow-up prompt an interviewer can ask after a thin answer to the question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(max_length=400)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.text


class QuestionSet(models.Model):
    """An ordered, named selection of questions, site-wide or an organisation's own."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="question_sets",
    )
    # Only a published set is offered to students; a career centre's new set starts as a draft.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    questions: models.ManyToManyField[Question, QuestionSetItem] = models.ManyToManyField(
        Question, through="QuestionSetItem", related_name="sets"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class QuestionSetItem(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["question_set", "question"], name="question_set_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.question}"

    def clean(self) -> None:
        if (
            self.question_id
            and self.question.owner_id is not None
            and self.question.owner_id != self.question_set.owner_id
        ):
            raise ValidationError({"question": "This question belongs to another organisation."})
