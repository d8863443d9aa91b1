"""A student's export gets their conversations with the chat coach."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.models import User
from accounts.privacy import Entry, as_json
from accounts.signals import personal_data
from chat.models import Conversation
from chat.services import as_record


@receiver(personal_data)
def export_conversations(sender: Any, user: User, **kwargs: Any) -> list[Entry]:
    conversations = Conversation.objects.filter(user=user).prefetch_related("messages")
    records = [
        {
            "title": conversation.title,
            "started": conversation.created_at,
            "messages": [as_record(message) for message in conversation.messages.all()],
        }
        for conversation in conversations.order_by("created_at")
    ]
    return [("chat/conversations.json", as_json(records))] if records else []
