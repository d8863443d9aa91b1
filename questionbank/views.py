"""Pages that show students what they can practise."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from questionbank import selectors


@login_required
@require_GET
def track_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the fields a student can practise, with how much there is in each."""
    tracks = selectors.tracks_with_counts(request.user.organization_id)
    return render(request, "questionbank/track_list.html", {"tracks": tracks})


@login_required
@require_GET
def track_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Show a track's skills, what interviewers look for, and how to study each."""
    track, skills = selectors.track_detail(
        slug=slug,
        organization_id=request.user.organization_id,
    )
    return render(request, "questionbank/track_detail.html", {"track": track, "skills": skills})
