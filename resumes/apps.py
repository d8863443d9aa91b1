from __future__ import annotations

from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "resumes"

    def ready(self) -> None:
        from resumes import receivers  # noqa: F401
