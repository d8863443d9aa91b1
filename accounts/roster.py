"""A roster file read and checked row by row, without the database: plain values in and out."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from config.errors import Refused

MAX_ROSTER_BYTES = 1024 * 1024
MAX_ROSTER_ROWS = 5_000
COLUMNS = ("email", "name", "cohort")
MAX_NAME_LENGTH = 150


class Outcome(StrEnum):
    """What became of one row of a roster."""

    PENDING = "pending"  # valid, not applied yet
    ADDED = "added"
    INVITED = "invited"
    ALREADY = "already there"
    ERROR = "error"


@dataclass(frozen=True)
class RosterRow:
    """One row of a roster: its number in the file (the header is row 1), values and outcome."""

    row: int
    email: str
    name: str = ""
    cohort: str = ""
    outcome: Outcome = Outcome.PENDING
    message: str = ""

    def done(self, outcome: Outcome, message: str) -> RosterRow:
        """Return the row with what became of it."""
        return replace(self, outcome=outcome, message=message)


def roster_summary(rows: Sequence[RosterRow]) -> dict[str, int]:
    """Return how many rows were added, invited, already there, and refused."""
    counts = {outcome.value: 0 for outcome in Outcome if outcome != Outcome.PENDING}
    for row in rows:
        if row.outcome != Outcome.PENDING:
            counts[row.outcome.value] += 1
    return counts


def roster_summary_text(rows: Sequence[RosterRow]) -> str:
    """Return the summary in words, e.g. "0 added, 0 invited, 12 already there, 1 error"."""
    counts = roster_summary(rows)
    errors = counts[Outcome.ERROR]
    return (
        f"{counts[Outcome.ADDED]} added, {counts[Outcome.INVITED]} invited, "
        f"{counts[Outcome.ALREADY]} already there, {errors} error{'' if errors == 1 else 's'}"
    )


def _too_large(size: int) -> Refused:
    return Refused(
        "file_too_large",
        f"The file is {size / 1024 / 1024:.1f} MB; a roster may be at most "
        f"{MAX_ROSTER_BYTES // 1024 // 1024} MB. Split it into smaller files.",
    )


def roster_check_size(size: int) -> None:
    """Refuse a roster file larger than the limit, before it is read."""
    if size > MAX_ROSTER_BYTES:
        raise _too_large(size)


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig: spreadsheets saving "CSV UTF-8" put a byte-order mark first.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(
            "not_utf8",
            "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.",
        ) from None
    if "\x00" in text:
        raise Refused("not_csv", "The file is not a CSV file. Save it as “CSV UTF-8”.")
    return text


def _header(cells: list[str] | None) -> dict[str, int]:
    names = [cell.strip().lower() for cell in cells or []]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise Refused(
            "missing_columns",
            "The first row must name the columns email, name and cohort; missing: "
            + ", ".join(missing)
            + ".",
        )
    return {column: names.index(column) for column in COLUMNS}


def _row_problem(email: str, name: str, cohort: str, cohorts: dict[str, str]) -> str:
    if not email:
        return "The email address is missing."
    try:
        validate_email(email)
    except ValidationError:
        return "This is not a valid email address."
    if len(name) > MAX_NAME_LENGTH:
        return f"The name is longer than {MAX_NAME_LENGTH} characters."
    if cohort and cohort.lower() not in cohorts:
        return f"There is no cohort “{cohort}” here; create it first."
    return ""


def roster_read(data: bytes, *, cohorts: Iterable[str]) -> list[RosterRow]:
    """Read a roster (CSV with the columns email, name, cohort) and check each row against the
    organisation's cohort names; refuse a file that cannot be read as a whole."""
    roster_check_size(len(data))
    text = _decode(data)
    known = {cohort.lower(): cohort for cohort in cohorts}
    try:
        # strict: an unclosed quote would otherwise swallow the rest of the file unnoticed.
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as unreadable:
        raise Refused("not_csv", f"The file is not a readable CSV file ({unreadable}).") from None
    columns = _header(records[0] if records else None)
    body = [(number, cells) for number, cells in enumerate(records[1:], start=2) if any(cells)]
    if len(body) > MAX_ROSTER_ROWS:
        raise Refused(
            "too_many_rows",
            f"The file has {len(body):,} rows; a roster may have at most {MAX_ROSTER_ROWS:,}. "
            "Split it into smaller files.",
        )
    rows: list[RosterRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in body:
        email, name, cohort = (
            cells[columns[column]].strip() if columns[column] < len(cells) else ""
            for column in COLUMNS
        )
        email = email.lower()
        row = RosterRow(
            row=number, email=email, name=name, cohort=known.get(cohort.lower(), cohort)
        )
        problem = _row_problem(email, name, cohort, known)
        if not problem and email in first_row_of:
            problem = f"This email address is already on row {first_row_of[email]}."
        if problem:
            row = row.done(Outcome.ERROR, problem)
        else:
            first_row_of[email] = number
        rows.append(row)
    return rows
