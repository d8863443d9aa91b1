"""Reads scoped to what the requesting user may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import Accommodations, Cohort, Invitation, Membership, Organization, User


def staff_membership(user: User) -> Membership:
    """Return the user's coach or admin membership, or raise 404 for anyone else."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        raise Http404
    return membership


def organization_members(organization: Organization) -> QuerySet[Membership]:
    """Return the organisation's memberships with their users, by role then email."""
    return organization.memberships.select_related("user").order_by("role", "user__email")


def is_admin(user: User) -> bool:
    """Tell whether the user administers their career centre."""
    membership = user.membership
    return membership is not None and membership.role == Membership.Role.ADMIN


def cohorts_for(user: User) -> QuerySet[Cohort]:
    """Return the cohorts a coach or admin may see: an admin all of the organisation's, a coach
    those they coach."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        return Cohort.objects.none()
    cohorts = Cohort.objects.filter(organization_id=membership.organization_id)
    if membership.role == Membership.Role.COACH:
        cohorts = cohorts.filter(
            pk__in=Cohort.coaches.through.objects.filter(user=user).values("cohort_id")
        )
    return cohorts.annotate(student_count=Count("students"))


def cohort_get(*, user: User, cohort_id: int) -> Cohort:
    """Return one cohort the user may see, or raise 404."""
    try:
        return cohorts_for(user).get(pk=cohort_id)
    except Cohort.DoesNotExist:
        raise Http404 from None


def students_of(organization: Organization) -> QuerySet[User]:
    """Return the organisation's students."""
    return User.objects.filter(
        _membership__organization=organization, _membership__role=Membership.Role.STUDENT
    ).order_by("email")


def staff_of(organization: Organization) -> QuerySet[User]:
    """Return the organisation's coaches and admins."""
    return User.objects.filter(
        _membership__organization=organization,
        _membership__role__in=(Membership.Role.COACH, Membership.Role.ADMIN),
    ).order_by("email")


def students_visible_to(user: User) -> QuerySet[User]:
    """Return the students whose work the user may see: for an admin, every student of the
    organisation; for a coach, the students of the cohorts they coach; for anyone else, none."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        return User.objects.none()
    students = User.objects.filter(
        _membership__organization_id=membership.organization_id,
        _membership__role=Membership.Role.STUDENT,
    )
    if membership.role == Membership.Role.COACH:
        coached = Cohort.students.through.objects.filter(cohort__coaches=user)
        students = students.filter(pk__in=coached.values("user_id"))
    return students.order_by("name", "email")


def student_get(*, user: User, student_id: object) -> User:
    """Return one student the user may see, or raise 404 (also for a malformed id)."""
    try:
        return students_visible_to(user).get(pk=int(str(student_id)))
    except (User.DoesNotExist, ValueError):
        raise Http404 from None


def accommodations_of(user: User) -> Accommodations:
    """Return the student's accommodations; none set means the usual interview."""
    try:
        return user.accommodations
    except Accommodations.DoesNotExist:
        return Accommodations(user=user)


def admin_membership(user: User) -> Membership:
    """Return the user's admin membership, or raise 404 for anyone else."""
    membership = user.membership
    if membership is None or membership.role != Membership.Role.ADMIN:
        raise Http404
    return membership


def members_visible_to(user: User) -> QuerySet[Membership]:
    """Return the memberships a coach or admin may list: all of their organisation's."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        return Membership.objects.none()
    return organization_members(membership.organization)


def members_administered_by(user: User) -> QuerySet[Membership]:
    """Return the memberships an admin may change: all of their organisation's; else none."""
    membership = user.membership
    if membership is None or membership.role != Membership.Role.ADMIN:
        return Membership.objects.none()
    return organization_members(membership.organization)


def member_get(*, user: User, membership_id: object) -> Membership:
    """Return one membership the admin may change, or raise 404 (also for a malformed id)."""
    try:
        return members_administered_by(user).get(pk=int(str(membership_id)))
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def invitations_pending(organization: Organization) -> QuerySet[Invitation]:
    """Return the organisation's invitations not yet accepted, newest first."""
    return organization.invitations.filter(accepted_at__isnull=True).select_related(
        "cohort", "invited_by"
    )


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Return the pending invitations an admin may see and cancel: their organisation's."""
    membership = user.membership
    if membership is None or membership.role != Membership.Role.ADMIN:
        return Invitation.objects.none()
    return invitations_pending(membership.organization)


def invitation_get(*, user: User, invitation_id: object) -> Invitation:
    """Return one pending invitation the admin may cancel, or raise 404."""
    try:
        return invitations_visible_to(user).get(pk=int(str(invitation_id)))
    except (Invitation.DoesNotExist, ValueError):
        raise Http404 from None


def invitation_for_token(token: str) -> Invitation | None:
    """Return the invitation an emailed link names, if it still exists."""
    return Invitation.objects.select_related("organization", "cohort").filter(token=token).first()
