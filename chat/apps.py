from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat coaching"

    def ready(self) -> None:
        from chat import receivers  # noqa: F401  (the export's part)
