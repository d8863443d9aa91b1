"""Pages that show students what they can practise."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from questionbank import selectors


def _organization_id(request: HttpRequest) -> int | None:
    membership = getattr(request.user, "membership", None)
    return membership.organization_id if membership else None


@login_required
@require_GET
def track_list(request: HttpRequest) -> HttpResponse:
    """List the fields a student can practise, with how much there is in each."""
    tracks = selectors.tracks_with_counts(_organization_id(request))
    return render(request, "questionbank/track_list.html", {"tracks": tracks})


@login_required
@require_GET
def track_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a track's skills, what interviewers look for, and how to study each."""
    track, skills = selectors.track_detail(slug=slug, organization_id=_organization_id(request))
    return render(request, "questionbank/track_detail.html", {"track": track, "skills": skills})
