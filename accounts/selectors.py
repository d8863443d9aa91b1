"""Reads scoped to what the requesting user may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import Accommodations, Cohort, Membership, Organization, User


def staff_membership(user: User) -> Membership:
    """Return the user's coach or admin membership, or raise 404 for anyone else."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        raise Http404
    return membership


def organization_members(organization: Organization) -> QuerySet[Membership]:
    """Return the organisation's memberships with their users, by role then email."""
    return organization.memberships.select_related("user").order_by("role", "user__email")


def cohorts_for(user: User) -> QuerySet[Cohort]:
    """Return the cohorts a coach or admin may see: those of their own organisation."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        return Cohort.objects.none()
    return Cohort.objects.filter(organization_id=membership.organization_id).annotate(
        student_count=Count("students")
    )


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


def accommodations_of(user: User) -> Accommodations:
    """Return the student's accommodations; none set means the usual interview."""
    try:
        return user.accommodations
    except Accommodations.DoesNotExist:
        return Accommodations(user=user)
