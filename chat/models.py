"""A student's conversations with the chat coach."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=120, help_text="The first question asked, shortened.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at",)
        indexes = (models.Index(fields=["user", "-updated_at"]),)

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student", "You"
        COACH = "coach", "Coach"

    class Kind(models.TextChoices):
        QUESTION = "question", "The student's question"
        ANSWER = "answer", "Answered from the material"
        UNKNOWN = "unknown", "Not in the material"
        OFF_TOPIC = "off_topic", "Not about interviews"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    # What the coach quoted: [{"key": "question:12", "title": ...}] (titles kept as they were).
    sources = models.JSONField(default=list, blank=True)
    # Where to practise what it was about: {"track": slug, "skill": slug} or {}.
    practice = models.JSONField(default=dict, blank=True)
    engine = models.CharField(max_length=20, blank=True)
    fallback = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.text[:60]}"
