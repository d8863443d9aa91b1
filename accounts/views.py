"""Pages for the profile, joining a career centre, and a career centre's own management."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts import privacy, selectors, services
from accounts.forms import (
    AccommodationsForm,
    CohortForm,
    JoinForm,
    MemberRoleForm,
    OrganizationSettingsForm,
    ProfileForm,
    RosterForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import DataExport, Membership, User
from accounts.roster import MAX_ROSTER_ROWS, roster_summary, roster_summary_text
from config.errors import Refused

# The newest reads of a student's work a page lists.
ACCESS_LIMIT = 100


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Let the user see their organisation and role, and edit their name."""
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("profile")
    return _profile_page(request, form=form)


@login_required
@require_POST
def accommodations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save how the student's interviews are adjusted: think time, answer length, typing."""
    user = request.user
    form = AccommodationsForm(request.POST, instance=selectors.accommodations_of(user))
    if not form.is_valid():
        return _profile_page(request, accommodations_form=form)
    services.accommodations_update(student=user, by=user, **form.cleaned_data)
    messages.success(request, "Your interview adjustments were saved.")
    return redirect("profile")


def _profile_page(
    request: AuthenticatedHttpRequest,
    *,
    form: ProfileForm | None = None,
    accommodations_form: AccommodationsForm | None = None,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(instance=user),
            "accommodations_form": accommodations_form
            or AccommodationsForm(instance=selectors.accommodations_of(user)),
            "membership": user.membership,
            "join_form": JoinForm(),
            "export": privacy.export_current(user),
            "latest_export": user.exports.first(),
            "accesses": privacy.accesses_of(user)[:ACCESS_LIMIT],
            "access_limit": ACCESS_LIMIT,
        },
    )


@login_required
@require_POST
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Join a career centre with its join code."""
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_join_by_code(
                user=request.user, code=form.cleaned_data["join_code"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You joined {membership.organization.name}.")
    else:
        messages.error(request, "Please enter the join code your career centre gave you.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("dashboard")
    return redirect(next_url)


@login_required
def organization(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show a coach or admin their career centre; admins also change its settings here."""
    membership = selectors.staff_membership(request.user)
    org = membership.organization
    is_admin = membership.role == Membership.Role.ADMIN
    settings_form = OrganizationSettingsForm(instance=org) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise Http404
        if request.POST.get("action") == "regenerate_join_code":
            services.organization_regenerate_join_code(organization=org)
            messages.success(request, "A new join code was made; the old one no longer works.")
            return redirect("organization")
        settings_form = OrganizationSettingsForm(request.POST, instance=org)
        if settings_form.is_valid():
            services.organization_update_settings(organization=org, **settings_form.cleaned_data)
            messages.success(request, "Settings saved.")
            return redirect("organization")
    return render(
        request,
        "accounts/organization.html",
        {
            "membership": membership,
            "org": org,
            "is_admin": is_admin,
            "settings_form": settings_form,
            "members": selectors.organization_members(org),
            "domains": org.email_domains.all(),
            "cohorts": selectors.cohorts_for(request.user),
            "roles": Membership.Role.choices,
            "invitations": selectors.invitations_pending(org) if is_admin else None,
            "max_roster_rows": MAX_ROSTER_ROWS,
            "site_interview_retention": settings.INTERVIEW_RETENTION_DAYS,
            "accesses": privacy.accesses_in(org)[:ACCESS_LIMIT] if is_admin else None,
            "access_limit": ACCESS_LIMIT,
        },
    )


@login_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    """Make a member of the admin's organisation a student, coach or administrator."""
    member = selectors.member_get(user=request.user, membership_id=membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose student, coach or administrator.")
        return redirect("organization")
    try:
        services.membership_change_role(
            membership=member, role=form.cleaned_data["role"], by=request.user
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("organization")
    messages.success(request, f"{member.user} is now {member.get_role_display().lower()}.")
    # A student has no organisation page.
    stepped_down = member.user_id == request.user.pk and member.role == Membership.Role.STUDENT
    return redirect("dashboard" if stepped_down else "organization")


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    """Take a member out of the admin's organisation; they keep their account and practice."""
    member = selectors.member_get(user=request.user, membership_id=membership_id)
    try:
        services.membership_remove(membership=member, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("organization")
    messages.success(request, f"{member.user} was removed from {member.organization.name}.")
    return redirect("dashboard" if member.user_id == request.user.pk else "organization")


@login_required
@require_POST
def invitation_cancel(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation of the admin's organisation."""
    invitation = selectors.invitation_get(user=request.user, invitation_id=invitation_id)
    services.invitation_cancel(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} was cancelled.")
    return redirect("organization")


@login_required
def roster_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a roster CSV: add students to the organisation and cohorts, invite the rest."""
    membership = selectors.admin_membership(request.user)
    form = RosterForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.roster_import(
                organization=membership.organization,
                by=request.user,
                file=form.cleaned_data["file"],
            )
        except Refused as refusal:
            form.add_error("file", refusal.message)
    return render(
        request,
        "accounts/roster_import.html",
        {
            "form": form,
            "org": membership.organization,
            "rows": rows,
            "counts": roster_summary(rows) if rows is not None else None,
            "summary": roster_summary_text(rows) if rows is not None else "",
            "max_roster_rows": MAX_ROSTER_ROWS,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Follow an emailed invitation: join at once if signed in with the invited address,
    otherwise sign up (or log in) with it first."""
    invitation = selectors.invitation_for_token(token)
    user = request.user
    if invitation is None or (
        not invitation.is_pending
        and not (isinstance(user, User) and user.organization_id == invitation.organization_id)
    ):
        return render(request, "accounts/invitation.html", {"invitation": None}, status=404)
    if not isinstance(user, User):
        # Holding the emailed link proves the address: signing up with it needs no confirmation.
        get_adapter().stash_verified_email(request, invitation.email)
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    if invitation.is_pending:
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except Refused as refusal:
            context = {"invitation": invitation, "refusal": refusal.message}
            return render(request, "accounts/invitation.html", context, status=403)
    messages.success(request, f"You are a member of {invitation.organization.name}.")
    return redirect("dashboard")


@login_required
def cohort_edit(request: AuthenticatedHttpRequest, cohort_id: int | None = None) -> HttpResponse:
    """Create a cohort, or change one of the organisation's cohorts (admins only)."""
    user = request.user
    membership = selectors.staff_membership(user)
    if membership.role != Membership.Role.ADMIN:
        raise Http404
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id) if cohort_id else None
    form = CohortForm(request.POST or None, instance=cohort, organization=membership.organization)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_save(
                organization=membership.organization,
                cohort=cohort,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                students=form.cleaned_data["students"],
                coaches=form.cleaned_data["coaches"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Cohort “{cohort.name}” saved.")
            return redirect("cohort_detail", cohort_id=cohort.pk)
    return render(request, "accounts/cohort_form.html", {"form": form, "cohort": cohort})


@login_required
@require_GET
def cohort_detail(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    """Show a cohort of the coach's or admin's own organisation."""
    user = request.user
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    membership = user.membership
    return render(
        request,
        "accounts/cohort_detail.html",
        {
            "cohort": cohort,
            # What each student has done in the centre (interviews is the reverse relation).
            "students": cohort.students.annotate(
                interview_count=Count(
                    "interviews", filter=Q(interviews__organization_id=cohort.organization_id)
                ),
                last_interview=Max(
                    "interviews__created_at",
                    filter=Q(interviews__organization_id=cohort.organization_id),
                ),
            ).order_by("email"),
            "coaches": cohort.coaches.order_by("email"),
            "is_admin": membership is not None and membership.role == Membership.Role.ADMIN,
        },
    )


# --- Data rights ------------------------------------------------------------------------------


@login_required
@require_POST
def export_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Have a copy of everything about the user prepared, to download from the profile."""
    privacy.export_request(user=request.user)
    messages.success(
        request,
        "Your data is being gathered. Reload this page in a minute or two to download it.",
    )
    return redirect(reverse("profile") + "#your-data")


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, export_id: str) -> HttpResponseBase:
    """Send the user their own data export; anyone else's is a 404."""
    try:
        export = request.user.exports.get(pk=export_id, status=DataExport.Status.READY)
    except (DataExport.DoesNotExist, ValidationError):
        raise Http404 from None
    if export.expires_at is None or export.expires_at <= timezone.now():
        messages.error(request, "That copy of your data has expired; prepare a new one.")
        return redirect(reverse("profile") + "#your-data")
    day = timezone.localtime(export.ready_at or export.created_at).date().isoformat()
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"rehearse-data-{day}.zip",
        content_type="application/zip",
    )


@login_required
@reauthentication_required
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Erase the account and everything in it, once the user has just signed in again."""
    user = request.user
    if request.method == "POST":
        try:
            privacy.account_erase(user=user)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("account_delete")
        logout(request)
        messages.success(request, "Your account and everything in it were deleted.")
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"membership": user.membership})
