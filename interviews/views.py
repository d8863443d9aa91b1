"""Pages: choose a track, set up an interview, the interview room, the history."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from interviews import selectors, services
from interviews.forms import SetupForm
from interviews.state import State
from questionbank.models import Track
from questionbank.selectors import tracks_with_counts


@login_required
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose a track, then the level, type, skills and length of the interview."""
    user = request.user
    slug = request.GET.get("track") or request.POST.get("track")
    if not slug:
        tracks = tracks_with_counts(user.organization_id)
        return render(request, "interviews/choose_track.html", {"tracks": tracks})
    track = get_object_or_404(Track, slug=slug)
    form = SetupForm(request.POST or None, user=user, track=track)
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_create(user=user, track=track, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("interview_room", interview_id=interview.pk)
    return render(request, "interviews/setup.html", {"form": form, "track": track})


@login_required
@require_GET
def room(request: AuthenticatedHttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """The live interview room; the page talks to the server over a WebSocket."""
    interview = selectors.interview_get(user=request.user, interview_id=interview_id)
    return render(
        request,
        "interviews/room.html",
        {"interview": interview, "state_labels": dict(State.choices)},
    )


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the student's interviews, newest first; unfinished ones can be resumed."""
    interviews = selectors.interviews_of(request.user)
    return render(request, "interviews/history.html", {"interviews": interviews})
