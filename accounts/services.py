"""Writes for users, career centres, memberships and cohorts."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import (
    DEFAULT_PAUSE_SECONDS,
    Accommodations,
    Cohort,
    Invitation,
    Membership,
    Organization,
    OrganizationDomain,
    User,
    generate_join_code,
)
from accounts.roster import MAX_ROSTER_BYTES, Outcome, RosterRow, roster_check_size, roster_read
from config.errors import Refused

log = logging.getLogger(__name__)


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
    hold_feedback: bool = False,
    answer_pause_seconds: int = DEFAULT_PAUSE_SECONDS,
    interview_retention_days: int | None = None,
) -> Organization:
    """Change the organisation's student-facing settings (a retention of None: the site's)."""
    organization.interview_retention_days = interview_retention_days
    organization.show_readiness_verdict = show_readiness_verdict
    organization.audio_retention_days = audio_retention_days
    organization.think_time_seconds = think_time_seconds
    organization.hold_feedback = hold_feedback
    organization.answer_pause_seconds = answer_pause_seconds
    organization.full_clean()
    organization.save(
        update_fields=[
            "show_readiness_verdict",
            "audio_retention_days",
            "think_time_seconds",
            "hold_feedback",
            "answer_pause_seconds",
            "interview_retention_days",
        ]
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
    extra_pause_seconds: int = 0,
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
    accommodations.extra_pause_seconds = extra_pause_seconds
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
    coaches: Iterable[User] = (),
    cohort: Cohort | None = None,
) -> Cohort:
    """Create a cohort, or update one, with its students and coaches (all of this organisation)."""
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
    coaches = list(coaches)
    not_staff = [
        c.email
        for c in coaches
        if c.membership is None
        or c.membership.organization_id != organization.pk
        or not c.membership.is_staff_role
    ]
    if not_staff:
        raise ValidationError(
            {
                "coaches": "Only coaches and admins of this organisation coach its cohorts: "
                + ", ".join(not_staff)
            }
        )
    cohort.full_clean()
    cohort.save()
    cohort.students.set(students)
    cohort.coaches.set(coaches)
    return cohort


def _require_admin_of(user: User, organization: Organization) -> None:
    membership = user.membership
    if (
        membership is None
        or membership.organization_id != organization.pk
        or membership.role != Membership.Role.ADMIN
    ):
        raise PermissionDenied("Only an administrator of this career centre may.")


def _keep_an_admin(*, membership: Membership, by: User) -> None:
    """Refuse to take away the organisation's last administrator."""
    if membership.role != Membership.Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Membership.Role.ADMIN
    )
    if len(admins) > 1:
        return
    who = "You are" if membership.user_id == by.pk else f"{membership.user} is"
    raise Refused(
        "last_admin",
        f"{who} the last administrator of {membership.organization.name}; "
        "make someone else an administrator first.",
    )


def _leave_cohorts(*, membership: Membership, as_student: bool, as_coach: bool) -> None:
    cohorts = {"cohort__organization_id": membership.organization_id, "user_id": membership.user_id}
    if as_student:
        Cohort.students.through.objects.filter(**cohorts).delete()
    if as_coach:
        Cohort.coaches.through.objects.filter(**cohorts).delete()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Make a member a student, coach or administrator; the organisation keeps one admin."""
    _require_admin_of(by, membership.organization)
    if role not in Membership.Role.values:
        raise Refused("bad_role", "Choose student, coach or administrator.", field="role")
    if role == membership.role:
        return membership
    if role != Membership.Role.ADMIN:
        _keep_an_admin(membership=membership, by=by)
    # A student is no cohort's coach, and a coach is no cohort's student.
    _leave_cohorts(
        membership=membership,
        as_student=role != Membership.Role.STUDENT,
        as_coach=role == Membership.Role.STUDENT,
    )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Take a member out of the organisation and its cohorts; their account and work stay."""
    _require_admin_of(by, membership.organization)
    _keep_an_admin(membership=membership, by=by)
    _leave_cohorts(membership=membership, as_student=True, as_coach=True)
    membership.delete()


def invitation_link(invitation: Invitation) -> str:
    """Return the absolute address of the invitation's sign-up link."""
    path = reverse("invitation_accept", args=[invitation.token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _invitations_send(invitation_ids: list[int]) -> None:
    invitations = Invitation.objects.filter(
        pk__in=invitation_ids, accepted_at__isnull=True
    ).select_related("organization", "cohort")
    messages = [
        EmailMessage(
            subject=f"{invitation.organization.name} invites you to practise interviews",
            body=render_to_string(
                "accounts/invitation_email.txt",
                {"invitation": invitation, "link": invitation_link(invitation)},
            ),
            to=[invitation.email],
        )
        for invitation in invitations
    ]
    # One connection for the whole roster, not one per address.
    get_connection().send_messages(messages)


@dataclass
class _RosterApplication:
    """The organisation's state that a roster is applied to, kept up to date row by row."""

    organization: Organization
    by: User
    cohorts: dict[str, Cohort]
    users: dict[str, User]
    pending: set[str]
    in_cohort: set[tuple[int, int]]
    invited: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, *, organization: Organization, by: User, emails: list[str]) -> _RosterApplication:
        users = list(
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .select_related("_membership")
        )
        pending = (
            Invitation.objects.filter(organization=organization, accepted_at__isnull=True)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .values_list("email_lower", flat=True)
        )
        in_cohort = Cohort.students.through.objects.filter(
            cohort__organization=organization, user_id__in=[user.pk for user in users]
        ).values_list("cohort_id", "user_id")
        return cls(
            organization=organization,
            by=by,
            cohorts={cohort.name: cohort for cohort in organization.cohorts.all()},
            users={user.email.lower(): user for user in users},
            pending=set(pending),
            in_cohort=set(in_cohort),
        )

    def apply(self, row: RosterRow) -> RosterRow:
        if row.outcome != Outcome.PENDING:
            return row
        cohort = self.cohorts.get(row.cohort) if row.cohort else None
        user = self.users.get(row.email)
        if user is None:
            return self._invite(row, cohort)
        membership = user.membership
        if membership is None:
            try:
                membership_join(user=user, organization=self.organization)
            except ValidationError:
                return row.done(Outcome.ERROR, "This person belongs to another career centre.")
            joined = "Joined as a student"
            if cohort is None:
                return row.done(Outcome.ADDED, f"{joined}.")
            self._add(user, cohort)
            return row.done(Outcome.ADDED, f"{joined} and added to {cohort.name}.")
        if membership.organization_id != self.organization.pk:
            return row.done(Outcome.ERROR, "This person belongs to another career centre.")
        if cohort is None:
            return row.done(Outcome.ALREADY, f"Already a member ({membership.get_role_display()}).")
        if membership.role != Membership.Role.STUDENT:
            return row.done(
                Outcome.ERROR,
                f"This person is a {membership.get_role_display().lower()} here; "
                "only students join cohorts.",
            )
        if (cohort.pk, user.pk) in self.in_cohort:
            return row.done(Outcome.ALREADY, f"Already in {cohort.name}.")
        self._add(user, cohort)
        return row.done(Outcome.ADDED, f"Added to {cohort.name}.")

    def _add(self, user: User, cohort: Cohort) -> None:
        cohort.students.add(user)
        self.in_cohort.add((cohort.pk, user.pk))

    def _invite(self, row: RosterRow, cohort: Cohort | None) -> RosterRow:
        if row.email in self.pending:
            return row.done(Outcome.ALREADY, "Already invited; the invitation is still pending.")
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organization=self.organization,
                    email=row.email,
                    name=row.name,
                    cohort=cohort,
                    invited_by=self.by,
                )
        except IntegrityError:
            # Another upload invited the same address a moment ago.
            return row.done(Outcome.ALREADY, "Already invited; the invitation is still pending.")
        self.pending.add(row.email)
        self.invited.append(invitation.pk)
        return row.done(Outcome.INVITED, "Invitation sent.")


def roster_import(*, organization: Organization, by: User, file: File) -> list[RosterRow]:
    """Add the students of a roster CSV to the organisation and its cohorts, and invite those
    without an account; return what became of each row."""
    _require_admin_of(by, organization)
    roster_check_size(file.size)
    data = file.read(MAX_ROSTER_BYTES + 1)
    rows = roster_read(data, cohorts=organization.cohorts.values_list("name", flat=True))
    with transaction.atomic():
        application = _RosterApplication.load(
            organization=organization,
            by=by,
            emails=[row.email for row in rows if row.outcome == Outcome.PENDING],
        )
        rows = [application.apply(row) for row in rows]
        if application.invited:
            invited = application.invited
            # robust: a mail server that is down must not undo the import that committed.
            transaction.on_commit(lambda: _invitations_send(invited), robust=True)
    return rows


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by: User) -> None:
    """Withdraw a pending invitation; its link stops working."""
    _require_admin_of(by, invitation.organization)
    if not invitation.is_pending:
        raise Refused("invitation_accepted", "This invitation was already accepted.")
    invitation.delete()


def _owns_email(user: User, email: str) -> bool:
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Make the invited person a student of the organisation and put them in the cohort."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise Refused("invitation_accepted", "This invitation was already accepted.")
    if not _owns_email(user, invitation.email):
        raise Refused(
            "wrong_email",
            f"This invitation is for {invitation.email}, and you are signed in as {user.email}. "
            "Sign out, then sign up or log in with the invited address.",
        )
    try:
        membership = membership_join(user=user, organization=invitation.organization)
    except ValidationError as error:
        raise Refused("other_organization", " ".join(error.messages)) from None
    if invitation.cohort is not None and membership.role == Membership.Role.STUDENT:
        invitation.cohort.students.add(user)
    if invitation.name and not user.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


def invitation_accept_for_email(*, user: User, email: str) -> Membership | None:
    """Accept the oldest pending invitation to a verified email address, if one can be."""
    pending = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True)
    for invitation in pending.order_by("created_at"):
        try:
            return invitation_accept(invitation=invitation, user=user)
        except Refused as refusal:
            log.info("Invitation %s not accepted: %s", invitation.pk, refusal.code)
    return None


def api_token_revoke(*, user_id: int) -> None:
    """Delete the user's API token: the next request with it is refused (401)."""
    Token.objects.filter(user_id=user_id).delete()
