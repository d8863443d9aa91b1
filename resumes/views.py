"""Pages: the student's resumes (upload, see what was read, correct the skills, delete)."""

from __future__ import annotations

import uuid

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from config.errors import Refused
from resumes import documents, services
from resumes.api import resume_file_response
from resumes.forms import EducationFormSet, RoleFormSet, SkillsForm, UploadForm
from resumes.models import Resume
from resumes.reading.resume import ResumeProfile
from resumes.selectors import resume_get, resume_read, resumes_of


@login_required
def resume_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The student's resumes, and the upload form."""
    # Bound on every POST: one without a file (or without any field) gets "This field is required."
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            resume = services.resume_upload(user=request.user, upload=form.cleaned_data["file"])
        except Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            return redirect("resume_detail", resume_id=resume.pk)
    items = resumes_of(request.user)
    status = 400 if form.errors else 200
    context = {"form": form, "resumes": items, "max_mb": documents.MAX_BYTES // 1024 // 1024}
    return render(request, "resumes/resumes.html", context, status=status)


@login_required
def resume_detail(request: AuthenticatedHttpRequest, resume_id: uuid.UUID) -> HttpResponse:
    """What was read from the resume (or why it could not be), and the skills to correct; a
    coach of the student reads it without the forms."""
    resume = resume_read(user=request.user, resume_id=resume_id)
    is_staff_view = resume.user_id != request.user.pk
    if is_staff_view and request.method == "POST":
        raise Http404
    if is_staff_view:
        services.resume_read_log(viewer=request.user, resume=resume)
    form = SkillsForm(request.POST or None, initial={"skills": "\n".join(resume.skills)})
    if request.method == "POST":
        if resume.status != Resume.Status.READY:
            messages.error(request, "Wait until the resume has been read to correct its skills.")
        elif form.is_valid():
            services.resume_set_skills(resume=resume, skills=form.cleaned_data["skills"])
            messages.success(request, "Your skills are saved.")
            return redirect("resume_detail", resume_id=resume.pk)
    context = {
        "resume": resume,
        "profile": ResumeProfile.from_dict(resume.profile),
        "form": form,
        "is_staff_view": is_staff_view,
        # A file refused for what it is (a scan, a password) is not read again by trying again.
        "can_retry": resume.error == services.READ_FAILED,
    }
    return render(request, "resumes/resume_detail.html", context)


@login_required
def resume_correct(request: AuthenticatedHttpRequest, resume_id: uuid.UUID) -> HttpResponse:
    """The roles and education read from the resume, for its owner to correct."""
    resume = resume_get(user=request.user, resume_id=resume_id)
    if resume.status != Resume.Status.READY:
        messages.error(request, "Wait until the resume has been read to correct it.")
        return redirect("resume_detail", resume_id=resume.pk)
    data = request.POST if request.method == "POST" else None
    roles = RoleFormSet(data, initial=resume.profile.get("roles", []), prefix="roles")
    education = EducationFormSet(
        data, initial=resume.profile.get("education", []), prefix="education"
    )
    refusal = None
    if data is not None and all([roles.is_valid(), education.is_valid()]):
        try:
            with transaction.atomic():  # both parts, or neither
                # Only a part the student changed is theirs from now on (a re-read keeps it).
                if roles.has_changed():
                    services.resume_set_roles(resume=resume, roles=roles.entries())
                if education.has_changed():
                    services.resume_set_education(resume=resume, education=education.entries())
        except Refused as refused:
            refusal = refused
        else:
            messages.success(request, "Your roles and education are saved.")
            return redirect("resume_detail", resume_id=resume.pk)
    context = {"resume": resume, "roles": roles, "education": education, "refusal": refusal}
    status = 400 if data is not None else 200
    return render(request, "resumes/resume_correct.html", context, status=status)


@login_required
@require_POST
def resume_delete(request: AuthenticatedHttpRequest, resume_id: uuid.UUID) -> HttpResponse:
    resume = resume_get(user=request.user, resume_id=resume_id)
    services.resume_delete(resume=resume)
    messages.success(request, f"“{resume.title}” is deleted.")
    return redirect("resume_list")


@login_required
@require_POST
def resume_retry(request: AuthenticatedHttpRequest, resume_id: uuid.UUID) -> HttpResponse:
    services.resume_retry(resume=resume_get(user=request.user, resume_id=resume_id))
    return redirect("resume_detail", resume_id=resume_id)


@login_required
@require_GET
# A PDF, not a page: the browser's PDF viewer is no page of ours to police. (django-csp types its
# decorator for views of a request alone.)
@csp_exempt()  # type: ignore[arg-type]
def resume_file(request: AuthenticatedHttpRequest, resume_id: uuid.UUID) -> FileResponse:
    """The PDF as uploaded, to its owner and the coaches and admins who may read it."""
    resume = resume_read(user=request.user, resume_id=resume_id)
    services.resume_read_log(viewer=request.user, resume=resume)
    return resume_file_response(resume)
