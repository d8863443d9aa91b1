"""Show which engine does each AI job and check each configured provider with one small call."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ai.checks import run_checks


class Command(BaseCommand):
    """Print one line per AI job; exit non-zero when a configured provider fails."""

    help = (
        "Show the engine of each AI job (LLM, embeddings, speech to text, text to speech) and "
        "make one small call to each configured provider: ok with its latency, or the error."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checks = run_checks()
        for check in checks:
            style = self.style.SUCCESS if check.ok else self.style.ERROR
            self.stdout.write(f"{check.job}: {check.engine}: " + style(check.result))
        failed = [check.job for check in checks if not check.ok]
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}.")
