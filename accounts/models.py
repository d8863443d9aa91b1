"""Users, career centres (organisations), their members and cohorts."""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

# Unambiguous characters only: a join code is read aloud and typed from a slide.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
# Seconds between a spoken question and the recording, unless the career centre sets another.
DEFAULT_THINK_SECONDS = 3
MAX_EXTRA_THINK_SECONDS, MAX_ANSWER_MINUTES = 120, 15
# A spoken answer ends after this long a silence (a countdown shows first); a thinking pause
# shorter than that never ends it.
DEFAULT_PAUSE_SECONDS, MIN_PAUSE_SECONDS, MAX_PAUSE_SECONDS = 5, 2, 30
MAX_EXTRA_PAUSE_SECONDS = 30
# A career centre keeps finished interviews at least this long: a student needs the term.
MIN_INTERVIEW_RETENTION_DAYS = 30
# A student's data export can be downloaded for this long, then it is deleted.
EXPORT_DAYS = 7


def generate_join_code() -> str:
    """Return a fresh random join code."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class UserManager(DjangoUserManager["User"]):
    """Create users identified by email alone."""

    use_in_migrations = True

    def _create_user(  # type: ignore[override]
        self, email: str, password: str | None, **extra_fields: Any
    ) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using Rehearse; the email address is the login."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    email_reminders = models.BooleanField(
        "email me about assigned practice",
        default=True,
        help_text="New assignments and a reminder the day before one is due.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name.split() or [self.email])[0]

    @property
    def organization_id(self) -> int | None:
        """Return the id of the user's career centre, or None for someone on their own."""
        membership = self.membership
        return membership.organization_id if membership else None

    @property
    def membership(self) -> Membership | None:
        """Return the user's career-centre membership, if they have one."""
        try:
            return self._membership  # type: ignore[attr-defined,no-any-return]
        except Membership.DoesNotExist:
            return None


class Organization(models.Model):
    """A career centre running Rehearse for its students."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    join_code = models.CharField(
        max_length=JOIN_CODE_LENGTH,
        unique=True,
        default=generate_join_code,
        help_text="Students who enter this code join the organisation.",
    )
    show_readiness_verdict = models.BooleanField(
        default=True,
        help_text="Show students the readiness verdict (Strong Hire … Needs Improvement).",
    )
    audio_retention_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(365)],
        help_text="Days to keep answer audio; 0 deletes it as soon as it is transcribed.",
    )
    interview_retention_days = models.PositiveSmallIntegerField(
        "keep interviews for (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_INTERVIEW_RETENTION_DAYS), MaxValueValidator(3650)],
        help_text="Finished interviews older than this are deleted with their answers and "
        "reports; empty: the site's default.",
    )
    think_time_seconds = models.PositiveSmallIntegerField(
        default=DEFAULT_THINK_SECONDS,
        validators=[MaxValueValidator(60)],
        help_text="Seconds a student has to think after a question is spoken, before recording.",
    )
    answer_pause_seconds = models.PositiveSmallIntegerField(
        "pause that ends a spoken answer (seconds)",
        default=DEFAULT_PAUSE_SECONDS,
        validators=[MinValueValidator(MIN_PAUSE_SECONDS), MaxValueValidator(MAX_PAUSE_SECONDS)],
        help_text="A spoken answer ends after a silence this long (a countdown shows first); "
        "a shorter thinking pause never ends it.",
    )
    hold_feedback = models.BooleanField(
        "hold the AI feedback for a coach",
        default=False,
        help_text="Students see their report only once a coach has released it; new "
        "assignments start with this setting.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class OrganizationDomain(models.Model):
    """An email domain whose verified owners join the organisation as students."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(
                r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
                "Enter a domain such as example.edu, in lower case, without @.",
            )
        ],
    )

    class Meta:
        ordering = ("domain",)

    def __str__(self) -> str:
        return self.domain


class Membership(models.Model):
    """A user's place in a career centre; a user belongs to at most one."""

    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        COACH = "coach", "Coach"
        ADMIN = "admin", "Administrator"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="_membership")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STUDENT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("organization", "role", "user__email")
        indexes: ClassVar = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"

    @property
    def is_staff_role(self) -> bool:
        """Return whether this member coaches or administers the organisation."""
        return self.role in (self.Role.COACH, self.Role.ADMIN)


class Cohort(models.Model):
    """A named group of an organisation's students, e.g. "MSc Data Science 2027"."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    students = models.ManyToManyField(User, related_name="cohorts", blank=True)
    # The coaches who see this cohort's students (admins see every student anyway).
    coaches = models.ManyToManyField(User, related_name="coached_cohorts", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organization", "name"], name="cohort_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Accommodations(models.Model):
    """How a student needs the interview adjusted; set by the student or a coach of theirs."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="accommodations")
    extra_think_seconds = models.PositiveSmallIntegerField(
        "extra think time (seconds)",
        default=0,
        validators=[MaxValueValidator(MAX_EXTRA_THINK_SECONDS)],
        help_text=f"Added to the think time before recording starts; up to "
        f"{MAX_EXTRA_THINK_SECONDS}.",
    )
    extra_pause_seconds = models.PositiveSmallIntegerField(
        "longer thinking pauses (seconds)",
        default=0,
        validators=[MaxValueValidator(MAX_EXTRA_PAUSE_SECONDS)],
        help_text=f"Added to the silence that ends a spoken answer; up to "
        f"{MAX_EXTRA_PAUSE_SECONDS}.",
    )
    answer_limit_minutes = models.PositiveSmallIntegerField(
        "longer answer limit (minutes)",
        default=0,
        validators=[MaxValueValidator(MAX_ANSWER_MINUTES)],
        help_text=f"Up to {MAX_ANSWER_MINUTES}; 0 keeps the usual limit.",
    )
    text_instead_of_voice = models.BooleanField(
        "type instead of speaking",
        default=False,
        help_text="Set up interviews with typed answers by default.",
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "accommodations"

    def __str__(self) -> str:
        return f"Accommodations of {self.user}"


def generate_invitation_token() -> str:
    """Return a fresh secret for an invitation link."""
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to join a career centre as a student, sent to someone without an account."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=generate_invitation_token)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_pending_email_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def is_pending(self) -> bool:
        """Return whether the invitation still waits to be accepted."""
        return self.accepted_at is None


def export_path(export: DataExport, filename: str) -> str:
    """Name the zip after the export's random id, never the student's name."""
    return f"exports/{export.pk}.zip"


class DataExport(models.Model):
    """A zip of everything Rehearse holds about a user, built by a worker on request and
    deleted EXPORT_DAYS after it was ready."""

    class Status(models.TextChoices):
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    file = models.FileField(upload_to=export_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            # One export at a time: asking again while one is built returns that one.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="building"),
                name="data_export_one_building",
            ),
        ]

    def __str__(self) -> str:
        return f"Export of {self.user} ({self.get_status_display()})"


class AccessRecord(models.Model):
    """That a coach, an admin or site staff read a student's work: who, what, when. The student
    and their career centre's admins see these."""

    class What(models.TextChoices):
        INTERVIEW = "interview", "Interview, in the admin"
        REPORT = "report", "Interview report"
        REPORT_PDF = "report_pdf", "Interview report (PDF)"
        RECORDING = "recording", "Answer recording"
        STUDENT = "student", "Progress and interviews"
        RESUME = "resume", "Resume"

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="accesses")
    # The reader's name is copied: the record outlives the reader's account.
    viewer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    viewer_name = models.CharField(max_length=254)
    viewer_role = models.CharField(max_length=20)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.CharField(max_length=20, choices=What.choices)
    # What exactly: the interview's or resume's id and a short title.
    object_id = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-at", "-pk")
        indexes: ClassVar = [
            models.Index(fields=["student", "-at"]),
            models.Index(fields=["organization", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_name} read {self.get_what_display()} of {self.student}"
