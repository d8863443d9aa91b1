"""Pages: choose a track, set up an interview, the interview room, the history.

Also a question's audio, the recorded answers, the staff page that checks the AI providers, and
assigned practice: setting it, its roster, and a student starting it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import AccessRecord
from accounts.selectors import staff_membership
from ai import checks, speech
from config.errors import Refused
from config.security import allow_microphone
from config.spreadsheets import csv_response
from interviews import assignments, selectors, services
from interviews.errors import NotFound
from interviews.forms import AssignmentForm, SetupForm
from interviews.models import Answer, Assignment, Turn
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
        request.POST or None,
        user=user,
        track=track,
        # "Practise this skill next" from the progress page arrives with ?skill=<id>.
        initial={"resume": request.GET.get("resume"), "skills": request.GET.getlist("skill")},
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
@allow_microphone
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
@require_POST
def interview_delete(request: AuthenticatedHttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """Delete one of the student's interviews for good; anyone else's is a 404."""
    try:
        services.interview_delete(interview_id=interview_id, user=request.user)
    except NotFound:
        raise Http404 from None
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The interview and everything in it were deleted.")
    return redirect("interview_history")


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
    """A recorded answer, for as long as the career centre keeps it: to the student, and to the
    coaches and admins who may read their interviews."""
    interview = selectors.interview_read(user=request.user, interview_id=interview_id)
    answer = get_object_or_404(
        Answer.objects.exclude(audio=""), interview=interview, turn__position=position
    )
    try:
        recording = answer.audio.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if "bytes=0-" in request.headers.get("Range", "bytes=0-"):  # once per play, not per range
        services.interview_read_log(
            viewer=request.user, interview=interview, what=AccessRecord.What.RECORDING
        )
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


# --- Assigned practice --------------------------------------------------------------------------


@login_required
@require_GET
def assignment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the practice a coach or admin has set, newest due first."""
    staff_membership(request.user)
    found = assignments.assignments_managed_by(request.user)
    return render(request, "interviews/assignment_list.html", {"assignments": found[:300]})


@login_required
def assignment_edit(
    request: AuthenticatedHttpRequest, assignment_id: int | None = None
) -> HttpResponse:
    """Set practice for a cohort or chosen students, or change it."""
    user = request.user
    staff_membership(user)
    existing = (
        assignments.assignment_managed(user=user, assignment_id=assignment_id)
        if assignment_id
        else None
    )
    initial = (
        AssignmentForm.initial_of(existing)
        if existing
        else AssignmentForm.initial_new(cohort=request.GET.get("cohort"))
    )
    form = AssignmentForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = assignments.assignment_save(
                by=user, assignment=existing, **form.assignment_values()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"“{saved.title}” is assigned.")
            return redirect("assignment_roster", assignment_id=saved.pk)
    return render(
        request, "interviews/assignment_form.html", {"form": form, "assignment": existing}
    )


def _add_errors(form: AssignmentForm, error: ValidationError) -> None:
    """Put a service's errors beside the fields they are about."""
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


@login_required
@require_POST
def assignment_delete(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """Withdraw an assignment; the interviews already taken for it stay."""
    assignments.assignment_delete(by=request.user, assignment_id=assignment_id)
    messages.success(request, "The assignment was withdrawn.")
    return redirect("assignment_list")


@login_required
@require_GET
def assignment_roster(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """Show every assigned student's status, attempts and scores; as CSV with ?format=csv."""
    assignment = assignments.assignment_managed(user=request.user, assignment_id=assignment_id)
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("order") == "desc"
    rows = assignments.roster(assignment, sort=sort, descending=descending, viewer=request.user)
    if request.GET.get("format") == "csv":
        return _roster_csv(assignment, rows)
    return render(
        request,
        "interviews/assignment_roster.html",
        {
            "assignment": assignment,
            "rows": rows,
            "sort": sort,
            "descending": descending,
            "sorts": assignments.ROSTER_SORTS,
            "counts": {s: sum(r.status == s for r in rows) for s in assignments.STATUS_ORDER},
        },
    )


def _roster_csv(assignment: Assignment, rows: list[assignments.RosterRow]) -> HttpResponse:
    site = settings.SITE_URL.rstrip("/")
    return csv_response(
        f"{slugify(assignment.title) or 'assignment'}-roster.csv",
        ["name", "email", "status", "attempts", "latest score", "best score", "reports"],
        (
            [
                row.student.name,
                row.student.email,
                row.status,
                row.attempts,
                "" if row.latest_score is None else row.latest_score,
                "" if row.best_score is None else row.best_score,
                " ".join(
                    site + reverse("report", args=[r["interview"]])
                    for r in row.reports
                    if r["score"] is not None
                ),
            ]
            for row in rows
        ),
    )


@login_required
@require_POST
def assignment_start(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """Start the student's next attempt at an assignment, set up as assigned."""
    try:
        interview = assignments.assignment_start(student=request.user, assignment_id=assignment_id)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("dashboard")
    except ValidationError as error:
        messages.error(request, "This practice cannot be started: " + " ".join(error.messages))
        return redirect("dashboard")
    return redirect("interview_room", interview_id=interview.pk)
