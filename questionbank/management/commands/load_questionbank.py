from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionbank.bank import BANK_DIR, bank_load
from questionbank.coding import problems_load


class Command(BaseCommand):
    help = "Load the starter question bank; safe to run again, never overwrites curators' edits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=BANK_DIR)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            result = bank_load(directory=directory)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line in result.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Question bank: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.kept_edits} kept as curators edited them, "
                f"{len(result.skipped)} skipped; {result.tracks_created} tracks and "
                f"{result.skills_created} skills created."
            )
        )
        if directory == BANK_DIR:
            created = problems_load()
            self.stdout.write(self.style.SUCCESS(f"Coding problems: {created} created."))
