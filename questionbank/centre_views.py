"""Pages where a career centre's coaches and admins write their own questions and sets."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import staff_membership
from questionbank import selectors, services
from questionbank.forms import (
    PICKS_PER_PAGE,
    AddForm,
    CentreQuestionForm,
    MoveForm,
    PickForm,
    QuestionSetForm,
)
from questionbank.models import Question, QuestionSet

# --- Questions ----------------------------------------------------------------------------------


@login_required
@require_GET
def question_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the career centre's own questions."""
    membership = staff_membership(request.user)
    questions = Paginator(selectors.centre_questions(membership.organization_id), 50)
    page = questions.get_page(request.GET.get("page"))
    return render(request, "questionbank/centre_question_list.html", {"page": page})


@login_required
def question_edit(
    request: AuthenticatedHttpRequest, question_id: int | None = None
) -> HttpResponse:
    """Write a new question of the career centre's own, or change one."""
    membership = staff_membership(request.user)
    question = (
        selectors.centre_question_get(user=request.user, question_id=question_id)
        if question_id
        else None
    )
    initial = vars(services.QuestionValues.of(question)) if question else None
    form = CentreQuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                question = services.question_create(
                    organization=membership.organization, author=request.user, values=form.values()
                )
            else:
                question = services.question_update(question=question, values=form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("centre_question_edit", question_id=question.pk)
    return render(
        request, "questionbank/centre_question_form.html", {"form": form, "question": question}
    )


@login_required
@require_POST
def question_delete(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    """Delete a question of the career centre's own that no set holds."""
    question = selectors.centre_question_get(user=request.user, question_id=question_id)
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("centre_question_edit", question_id=question.pk)
    messages.success(request, "Question deleted.")
    return redirect("centre_question_list")


# --- Question sets ------------------------------------------------------------------------------


@login_required
@require_GET
def set_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the career centre's question sets."""
    membership = staff_membership(request.user)
    sets = selectors.centre_question_sets(membership.organization_id)
    return render(request, "questionbank/centre_set_list.html", {"sets": sets})


@login_required
def set_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Name and describe a new draft question set."""
    membership = staff_membership(request.user)
    form = QuestionSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_set = services.question_set_create(
                organization=membership.organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Set created; now add its questions.")
            return redirect("centre_set_detail", set_id=question_set.pk)
    return render(request, "questionbank/centre_set_form.html", {"form": form})


@login_required
def set_detail(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """Show a set's questions in order with the bank to pick from; rename or describe it."""
    question_set = selectors.centre_question_set_get(user=request.user, question_set_id=set_id)
    initial = {"name": question_set.name, "description": question_set.description}
    form = QuestionSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_set_update(question_set=question_set, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Set saved.")
            return redirect("centre_set_detail", set_id=question_set.pk)
    pick = PickForm(request.GET)
    search = pick.cleaned_data if pick.is_valid() else {}
    track = selectors.question_set_track(question_set)
    candidates = selectors.questions_to_pick(
        question_set=question_set,
        search=search.get("q", ""),
        track=search.get("track"),
        question_type=search.get("type", ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "questionbank/centre_set_detail.html",
        {
            "question_set": question_set,
            "form": form,
            "questions": selectors.question_set_questions(question_set),
            "track": track,
            "pick": pick,
            "picks": Paginator(candidates, PICKS_PER_PAGE).get_page(search.get("page")),
            "query": query.urlencode(),
            "back": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def set_add(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """Add a question at the end of the set."""
    question_set = selectors.centre_question_set_get(user=request.user, question_set_id=set_id)
    form = AddForm(request.POST)
    if not form.is_valid():
        raise Http404
    question = get_object_or_404(Question, pk=form.cleaned_data["question"])
    return _change(
        request,
        question_set,
        lambda: services.question_set_add(question_set=question_set, question=question),
        "Question added.",
    )


@login_required
@require_POST
def set_remove(request: AuthenticatedHttpRequest, set_id: int, question_id: int) -> HttpResponse:
    """Take a question out of the set."""
    question_set = selectors.centre_question_set_get(user=request.user, question_set_id=set_id)
    question = _member(question_set, question_id)[0]
    return _change(
        request,
        question_set,
        lambda: services.question_set_remove(question_set=question_set, question=question),
        "Question removed.",
    )


@login_required
@require_POST
def set_move(request: AuthenticatedHttpRequest, set_id: int, question_id: int) -> HttpResponse:
    """Move a question of the set up, down, or to a position."""
    question_set = selectors.centre_question_set_get(user=request.user, question_set_id=set_id)
    question, current = _member(question_set, question_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return redirect("centre_set_detail", set_id=question_set.pk)
    return _change(
        request,
        question_set,
        lambda: services.question_set_move(
            question_set=question_set, question=question, position=form.target(current)
        ),
        "",
    )


@login_required
@require_POST
def set_publish(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """Offer the set to the career centre's students."""
    question_set = selectors.centre_question_set_get(user=request.user, question_set_id=set_id)
    return _change(
        request,
        question_set,
        lambda: services.question_set_publish(question_set=question_set),
        "Set published: students can now choose it.",
    )


@login_required
@require_POST
def set_delete(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """Delete one of the career centre's question sets."""
    question_set = selectors.centre_question_set_get(user=request.user, question_set_id=set_id)
    try:
        services.question_set_delete(question_set=question_set)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("centre_set_detail", set_id=question_set.pk)
    messages.success(request, "Set deleted.")
    return redirect("centre_set_list")


def _member(question_set: QuestionSet, question_id: int) -> tuple[Question, int]:
    """Return the set's question with this id and its position, or raise 404."""
    for position, question in enumerate(selectors.question_set_questions(question_set)):
        if question.pk == question_id:
            return question, position
    raise Http404


def _change(
    request: AuthenticatedHttpRequest,
    question_set: QuestionSet,
    change: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Make the change to the set, say how it went, and go back to the set's page (with the
    search the coach was on)."""
    try:
        change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, done)
    search = QueryDict(request.POST.get("search", "")).urlencode()
    page = reverse("centre_set_detail", args=[question_set.pk])
    return redirect(f"{page}?{search}" if search else page)
