"""Speech kept on the server: each question spoken once by a text-to-speech provider."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class SpeechClip(models.Model):
    """A text spoken once by a text-to-speech provider, kept to be played again."""

    provider = models.CharField(max_length=20)
    voice = models.CharField(max_length=200, help_text="The provider's voice and model.")
    text_hash = models.CharField(max_length=64, help_text="SHA-256 of the text spoken.")
    content_type = models.CharField(max_length=50)
    file = models.FileField(upload_to="speech/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "interviews_speechclip"  # made when speech was part of interviews
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["provider", "voice", "text_hash"], name="speech_clip_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.voice} {self.text_hash[:12]}"
