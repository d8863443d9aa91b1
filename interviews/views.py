"""Pages: choose a track, set up an interview, the interview room, the history."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.models import User
from interviews import selectors, services
from interviews.forms import SetupForm
from interviews.state import State
from questionbank.models import Track
from questionbank.selectors import tracks_with_counts


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Choose a track, then the level, type, skills and length of the interview."""
    user = _user(request)
    slug = request.GET.get("track") or request.POST.get("track")
    if not slug:
        membership = user.membership
        tracks = tracks_with_counts(membership.organization_id if membership else None)
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
def room(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """The live interview room; the page talks to the server over a WebSocket."""
    interview = selectors.interview_get(user=_user(request), interview_id=interview_id)
    return render(
        request,
        "interviews/room.html",
        {"interview": interview, "state_labels": dict(State.choices)},
    )


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """List the student's interviews, newest first; unfinished ones can be resumed."""
    interviews = selectors.interviews_of(_user(request))
    return render(request, "interviews/history.html", {"interviews": interviews})
