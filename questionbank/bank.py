"""Load the starter bank (questionbank/bank/*.json) into the database, keeping curators' edits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ai.text import normalize_text
from questionbank.models import Question, RedFlag, Skill, Track
from questionbank.services import (
    LEVEL_BY_NAME,
    clean_points,
    question_set_points,
    text_lines,
)

BANK_DIR = Path(__file__).resolve().parent / "bank"


@dataclass
class BankLoadResult:
    tracks_created: int = 0
    skills_created: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edits: int = 0
    skipped: list[str] = field(default_factory=list)


def _entry_payload(entry: dict[str, Any]) -> dict[str, Any]:
    """Return a bank file's question in the comparable shape `_question_payload` gives."""
    levels = [LEVEL_BY_NAME[name] for name in entry["levels"]]
    return {
        "skill": entry["skill"],
        "type": entry["type"],
        "difficulty": entry["difficulty"],
        "level_min": int(min(levels)),
        "level_max": int(max(levels)),
        "text": " ".join(entry["text"].split()),
        "reference_answer": entry["reference_answer"].strip(),
        "key_points": text_lines(entry["key_points"]),
        "red_flags": text_lines(entry["red_flags"]),
        "follow_ups": text_lines(entry["follow_ups"]),
        "tags": list(entry.get("tags", [])),
        "status": Question.Status.PUBLISHED.value,
    }


def _question_payload(question: Question) -> dict[str, Any]:
    return {
        "skill": question.skill.slug,
        "type": question.type,
        "difficulty": question.difficulty,
        "level_min": question.level_min,
        "level_max": question.level_max,
        "text": question.text,
        "reference_answer": question.reference_answer,
        "key_points": [p.text for p in question.key_points.all()],
        "red_flags": [p.text for p in question.red_flags.all()],
        "follow_ups": [p.text for p in question.follow_ups.all()],
        "tags": list(question.tags),
        "status": question.status,
    }


def _checksum(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _untouched(question: Question) -> bool:
    """Whether the question is as the bank loaded it (no curator has edited it since)."""
    payload = _question_payload(question)
    if _checksum(payload) == question.bank_checksum:
        return True
    # Loaded before questions had red flags: its checksum was taken without them.
    legacy = {name: value for name, value in payload.items() if name != "red_flags"}
    return not payload["red_flags"] and _checksum(legacy) == question.bank_checksum


def _apply(question: Question, payload: dict[str, Any], skills: dict[str, Skill]) -> None:
    question.skill = skills[payload["skill"]]
    for name in ("type", "difficulty", "level_min", "level_max", "text", "reference_answer"):
        setattr(question, name, payload[name])
    question.tags = payload["tags"]
    question.status = payload["status"]
    question.bank_checksum = _checksum(payload)
    question.full_clean()
    question.save()
    question_set_points(
        question=question,
        points=clean_points(
            key_points=payload["key_points"],
            red_flags=payload["red_flags"],
            follow_ups=payload["follow_ups"],
        ),
    )


@transaction.atomic
def _load_track(data: dict[str, Any], result: BankLoadResult) -> None:
    track, created = Track.objects.get_or_create(
        slug=data["track"]["slug"],
        defaults={"name": data["track"]["name"], "description": data["track"]["description"]},
    )
    result.tracks_created += created
    skills: dict[str, Skill] = {}
    for entry in data["skills"]:
        skill, created = Skill.objects.get_or_create(
            track=track,
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry["description"],
                "resources": entry["resources"],
                "keywords": entry.get("keywords", []),
            },
        )
        result.skills_created += created
        if not created and not skill.keywords and entry.get("keywords"):
            # Skills loaded before the bank had keywords get them; a curator's list stays.
            skill.keywords = entry["keywords"]
            skill.save(update_fields=["keywords"])
        skills[skill.slug] = skill

    existing = {
        q.bank_key: q
        for q in Question.objects.filter(track=track, bank_key__isnull=False)
        .select_related("skill")
        .prefetch_related("key_points", "red_flags", "follow_ups")
    }
    for entry in data["questions"]:
        payload = _entry_payload(entry)
        text_key = normalize_text(payload["text"])
        key = f"{track.slug}:{hashlib.sha1(text_key.encode()).hexdigest()[:16]}"
        question = existing.get(key)
        if question is None:
            if Question.objects.filter(text_key=text_key).exists():
                result.skipped.append(f"{track.slug}: already in the bank: {payload['text'][:70]}")
                continue
            _apply(Question(track=track, bank_key=key), payload, skills)
            result.created += 1
        elif not _untouched(question):
            result.kept_edits += 1  # a curator changed it since it was loaded: theirs wins
            if not question.red_flags.all() and payload["red_flags"]:
                # Red flags came after it was edited: the bank's fill the gap, nothing else moves.
                RedFlag.objects.bulk_create(
                    RedFlag(question=question, text=text, position=i)
                    for i, text in enumerate(payload["red_flags"])
                )
        elif _checksum(payload) == question.bank_checksum:
            result.unchanged += 1
        else:
            _apply(question, payload, skills)
            result.updated += 1


def bank_load(*, directory: Path = BANK_DIR) -> BankLoadResult:
    """Load every track file in the directory; never overwrite a curator's edit."""
    result = BankLoadResult()
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise ValidationError(f"No question bank files in {directory}.")
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            _load_track(data, result)
        except (KeyError, ValueError, ValidationError) as error:
            raise ValidationError(f"{path.name}: {error}") from error
    return result
