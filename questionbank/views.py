"""Pages that show what can be practised: the home page and the tracks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from questionbank import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send signed-in users to their dashboard; show everyone else what Rehearse is."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html", {"tracks": selectors.tracks_with_counts()})


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


@login_required
@require_GET
def question_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show one published question with what a strong answer covers and what a panel rejects
    (the chat coach links here when it quotes a question)."""
    question = selectors.question_to_study(
        slug=slug, question_id=pk, organization_id=request.user.organization_id
    )
    return render(request, "questionbank/question_detail.html", {"question": question})
