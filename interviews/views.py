"""Pages: choose a track, set up an interview, the interview room, the history.

Also a question's audio, the student's recorded answers, and the staff page that checks the
AI providers.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from ai import checks, speech
from interviews import selectors, services
from interviews.forms import SetupForm
from interviews.models import Answer, Turn
from interviews.state import State
from questionbank.models import Track
from questionbank.selectors import tracks_with_counts
from voice import clips, ranges


@login_required
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose a track, then the level, type, skills and length of the interview."""
    user = request.user
    slug = request.GET.get("track") or request.POST.get("track")
    if not slug:
        tracks = tracks_with_counts(user.organization_id)
        return render(request, "interviews/choose_track.html", {"tracks": tracks})
    track = get_object_or_404(Track, slug=slug)
    form = SetupForm(
        request.POST or None, user=user, track=track, initial={"resume": request.GET.get("resume")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["resume"] = data["resume"].pk if data["resume"] else None
        try:
            interview = services.interview_create(user=user, track=track, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("interview_room", interview_id=interview.pk)
    context = {"form": form, "track": track, "server_stt": speech.stt_enabled()}
    return render(request, "interviews/setup.html", context)


@login_required
@require_GET
def room(request: AuthenticatedHttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """The live interview room; the page talks to the server over a WebSocket."""
    interview = selectors.interview_get(user=request.user, interview_id=interview_id)
    return render(
        request,
        "interviews/room.html",
        {
            "interview": interview,
            "state_labels": dict(State.choices),
            "voice": selectors.voice_settings(request.user, interview),
            "personal": selectors.interview_personal(interview),
        },
    )


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the student's interviews, newest first; unfinished ones can be resumed."""
    interviews = selectors.interviews_of(request.user)
    return render(request, "interviews/history.html", {"interviews": interviews})


@login_required
@require_GET
def turn_audio(
    request: AuthenticatedHttpRequest, interview_id: uuid.UUID, position: int
) -> HttpResponseBase:
    """The turn's question spoken aloud: from the cache, or streamed from the provider."""
    interview = selectors.interview_get(user=request.user, interview_id=interview_id)
    if not speech.tts_enabled():
        raise Http404
    turn = get_object_or_404(Turn, interview=interview, position=position)
    response: HttpResponseBase
    clip = clips.clip_find(turn.text)
    if clip is not None:
        response = ranges.file_response(
            request, clip.file.open("rb"), content_type=clip.content_type
        )
    else:
        try:
            chunks = clips.synthesize_and_store(turn.text)
        except speech.SpeechError as error:
            # The page speaks the question with the browser's voice instead.
            return HttpResponse(error.message, status=503, content_type="text/plain")
        response = StreamingHttpResponse(_async(chunks), content_type=speech.AUDIO_CONTENT_TYPE)
    patch_cache_control(response, private=True)
    return response


@login_required
@require_GET
def answer_audio(
    request: AuthenticatedHttpRequest, interview_id: uuid.UUID, position: int
) -> HttpResponseBase:
    """The student's own recorded answer, for as long as their career centre keeps it."""
    interview = selectors.interview_get(user=request.user, interview_id=interview_id)
    answer = get_object_or_404(
        Answer.objects.exclude(audio=""), interview=interview, turn__position=position
    )
    try:
        recording = answer.audio.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = ranges.file_response(request, recording, content_type=answer.audio_format)
    patch_cache_control(response, private=True)
    return response


async def _async(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    # Under ASGI, Django reads a synchronous iterator to its end before sending any of it.
    pull = sync_to_async(lambda: next(chunks, b""))
    while chunk := await pull():
        yield chunk


@login_required
@require_GET
def provider_checks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Site staff: which engine does each AI job, and does each configured provider answer."""
    if not request.user.is_staff:
        raise Http404
    return render(request, "interviews/provider_checks.html", {"checks": checks.run_checks()})
