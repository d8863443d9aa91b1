"""The chat coach's page: ask about interviewing, read the answers, come back to them."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from chat import selectors, services
from chat.forms import MessageForm
from chat.models import Conversation
from config.errors import Refused

EXAMPLES = (
    "What is the STAR method?",
    "How should I answer \u2018tell me about yourself\u2019 for a nursing role?",
    "What does a good answer to a question about a conflict with a colleague cover?",
)


@login_required
@require_http_methods(["GET", "POST"])
def chat(request: AuthenticatedHttpRequest, conversation_id: UUID | None = None) -> HttpResponse:
    """A new conversation, or one of the student's own; a question posted here is answered."""
    conversation = None
    if conversation_id is not None:
        conversation = selectors.conversation_get(
            user=request.user, conversation_id=conversation_id
        )
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.message_send(
                user=request.user, text=form.cleaned_data["text"], conversation=conversation
            )
        except Refused as refusal:
            form.add_error("text", refusal.message)
            status = 400
        else:
            url = reverse("chat_conversation", args=[answer.conversation_id])
            return redirect(f"{url}#m{answer.pk}")
    return _page(request, conversation, form, status)


@login_required
@require_POST
def chat_delete(request: AuthenticatedHttpRequest, conversation_id: UUID) -> HttpResponse:
    conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)
    services.conversation_delete(conversation=conversation)
    messages.success(request, "The conversation was deleted.")
    return redirect("chat")


def _page(
    request: AuthenticatedHttpRequest,
    conversation: Conversation | None,
    form: MessageForm,
    status: int,
) -> HttpResponse:
    thread = list(conversation.messages.all()) if conversation else []
    links = selectors.links_of([m for m in thread if m.role == m.Role.COACH])
    context = {
        "conversation": conversation,
        "conversations": selectors.conversations_of(request.user)[:30],
        "thread": [(message, links.get(message.pk)) for message in thread],
        "form": form,
        "examples": EXAMPLES,
    }
    return render(request, "chat/chat.html", context, status=status)
