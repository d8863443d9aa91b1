"""Pages for the profile, joining a career centre, and a career centre's own management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services
from accounts.forms import (
    AccommodationsForm,
    CohortForm,
    JoinForm,
    OrganizationSettingsForm,
    ProfileForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Membership


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer the load balancer's and the container's health probe."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
            services.organization_update_settings(
                organization=org,
                show_readiness_verdict=settings_form.cleaned_data["show_readiness_verdict"],
                audio_retention_days=settings_form.cleaned_data["audio_retention_days"],
                think_time_seconds=settings_form.cleaned_data["think_time_seconds"],
            )
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
        },
    )


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
            "students": cohort.students.order_by("email"),
            "is_admin": membership is not None and membership.role == Membership.Role.ADMIN,
        },
    )
