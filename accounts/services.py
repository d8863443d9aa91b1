"""Writes for users, career centres, memberships and cohorts."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import (
    Accommodations,
    Cohort,
    Membership,
    Organization,
    OrganizationDomain,
    User,
    generate_join_code,
)


def email_domain(email: str) -> str:
    """Return the lower-cased domain part of an email address."""
    return email.rpartition("@")[2].strip().lower()


def normalize_join_code(code: str) -> str:
    """Return a join code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def organization_for_join_code(code: str) -> Organization | None:
    """Return the organisation a join code belongs to, if any."""
    code = normalize_join_code(code)
    if not code:
        return None
    return Organization.objects.filter(join_code=code).first()


@transaction.atomic
def membership_join(
    *, user: User, organization: Organization, role: str = Membership.Role.STUDENT
) -> Membership:
    """Make the user a member of the organisation; refuse if they belong to another one."""
    existing = Membership.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        if existing.organization_id == organization.pk:
            return existing
        raise ValidationError(
            f"You already belong to {existing.organization.name}. "
            "Ask its administrators to remove you before joining another career centre."
        )
    try:
        with transaction.atomic():
            return Membership.objects.create(user=user, organization=organization, role=role)
    except IntegrityError:
        # Two requests raced to create the membership; the other one won.
        return Membership.objects.get(user=user, organization=organization)


def membership_join_by_code(*, user: User, code: str) -> Membership:
    """Join the career centre whose join code the user entered, as a student."""
    organization = organization_for_join_code(code)
    if organization is None:
        raise ValidationError(
            "That join code does not match any career centre. Check it with your career centre."
        )
    return membership_join(user=user, organization=organization)


def membership_join_by_email_domain(*, user: User, email: str) -> Membership | None:
    """Join the organisation that owns the domain of a verified email, if the user has none."""
    if user.membership is not None:
        return None
    match = (
        OrganizationDomain.objects.select_related("organization")
        .filter(domain=email_domain(email))
        .first()
    )
    if match is None:
        return None
    return membership_join(user=user, organization=match.organization)


@transaction.atomic
def organization_regenerate_join_code(*, organization: Organization) -> Organization:
    """Give the organisation a new join code; the old one stops working at once."""
    organization.join_code = generate_join_code()
    organization.save(update_fields=["join_code"])
    return organization


@transaction.atomic
def organization_update_settings(
    *,
    organization: Organization,
    show_readiness_verdict: bool,
    audio_retention_days: int,
    think_time_seconds: int,
) -> Organization:
    """Change the organisation's student-facing settings."""
    organization.show_readiness_verdict = show_readiness_verdict
    organization.audio_retention_days = audio_retention_days
    organization.think_time_seconds = think_time_seconds
    organization.full_clean()
    organization.save(
        update_fields=["show_readiness_verdict", "audio_retention_days", "think_time_seconds"]
    )
    return organization


@transaction.atomic
def accommodations_update(
    *,
    student: User,
    by: User,
    extra_think_seconds: int,
    answer_limit_minutes: int,
    text_instead_of_voice: bool,
) -> Accommodations:
    """Set how a student's interviews are adjusted: by the student, or a coach of theirs."""
    staff = by.membership
    is_their_coach = (
        staff is not None
        and staff.is_staff_role
        and staff.organization_id == student.organization_id
    )
    if by.pk != student.pk and not is_their_coach:
        raise PermissionDenied("Only the student or a coach of their career centre may.")
    accommodations, _ = Accommodations.objects.select_for_update().get_or_create(user=student)
    accommodations.extra_think_seconds = extra_think_seconds
    accommodations.answer_limit_minutes = answer_limit_minutes
    accommodations.text_instead_of_voice = text_instead_of_voice
    accommodations.updated_by = by
    accommodations.full_clean()
    accommodations.save()
    return accommodations


@transaction.atomic
def cohort_save(
    *,
    organization: Organization,
    name: str,
    description: str = "",
    students: Iterable[User] = (),
    cohort: Cohort | None = None,
) -> Cohort:
    """Create a cohort, or update one, with its students (all of this organisation)."""
    cohort = cohort or Cohort(organization=organization)
    if cohort.organization_id != organization.pk:
        raise ValidationError("This cohort belongs to another organisation.")
    cohort.name = name.strip()
    cohort.description = description.strip()
    clash = Cohort.objects.filter(organization=organization, name__iexact=cohort.name)
    if clash.exclude(pk=cohort.pk).exists():
        raise ValidationError({"name": "A cohort with this name already exists."})
    students = list(students)
    outsiders = [
        s.email
        for s in students
        if s.membership is None
        or s.membership.organization_id != organization.pk
        or s.membership.role != Membership.Role.STUDENT
    ]
    if outsiders:
        raise ValidationError(
            {
                "students": "Only students of this organisation can join its cohorts: "
                + ", ".join(outsiders)
            }
        )
    cohort.full_clean()
    cohort.save()
    cohort.students.set(students)
    return cohort
