"""The chat coach's library: the bank's questions and skills and the coaching guides, indexed.

Built once per process for each organisation's view of the bank (its own questions besides the
site's) and built again when a curator publishes, edits or archives a question.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path

from django.db.models import Count, Max, Prefetch

from ai.retrieval import Library, Passage
from questionbank.models import KeyPoint, Question, RedFlag, Skill, Track

GUIDES = Path(__file__).resolve().parent / "guides.json"
# Words that name a track's roles and fields ("for a nursing role", "as a teacher"); not its
# subjects: "patient" is what a question is about, and stays in the search.
TRACK_WORDS = {
    "healthcare-nursing": ["nurse", "nursing", "midwife", "midwifery", "healthcare"],
    "software-engineering": [
        "software",
        "developer",
        "programmer",
        "programming",
        "software engineer",
    ],
    "data-science": ["data scientist", "data science", "data analyst", "analytics"],
    "data-engineering": ["data engineer", "data engineering", "data pipelines"],
    "education-teaching": ["teacher", "teaching", "tutor"],
    "finance-banking": ["finance", "financial", "banking", "banker", "accountant", "accounting"],
    "sales-marketing": ["sales", "salesperson", "marketing", "marketer"],
    "product-management": ["product manager", "product management", "product owner"],
    "business-management": ["business", "consultant", "consulting", "mba"],
}

_lock = threading.Lock()
_built: dict[int | None, tuple[tuple[object, ...], Library]] = {}


def library_for(organization_id: int | None) -> Library:
    """Return the library as the organisation's students see the bank, built when it changed."""
    questions = Question.objects.published().visible_to(organization_id)
    version = tuple(
        questions.aggregate(n=Count("id"), last=Max("id"), at=Max("updated_at")).values()
    )
    with _lock:
        built = _built.get(organization_id)
        if built is None or built[0] != version:
            built = (version, _build(questions))
            _built[organization_id] = built
    return built[1]


def forget() -> None:
    """Drop the built libraries (tests, after loading another bank)."""
    with _lock:
        _built.clear()


def _build(questions: object) -> Library:
    tracks = {track.slug: track.name for track in Track.objects.all()}
    passages = list(_guides())
    for track in Track.objects.all():
        passages.append(
            Passage(
                key=f"track:{track.slug}",
                kind="track",
                title=track.name,
                text=track.description,
                track=track.slug,
            )
        )
    for skill in Skill.objects.select_related("track"):
        passages.append(
            Passage(
                key=f"skill:{skill.pk}",
                kind="skill",
                title=skill.name,
                text=skill.description,
                keywords=tuple(_first_names(skill.keywords)),
                track=skill.track.slug,
                practice=(skill.track.slug, skill.slug),
            )
        )
    rows = Question.objects.filter(pk__in=questions.values("pk"))  # type: ignore[attr-defined]
    rows = rows.select_related("track", "skill").prefetch_related(
        Prefetch("key_points", queryset=KeyPoint.objects.order_by("position")),
        Prefetch("red_flags", queryset=RedFlag.objects.order_by("position")),
    )
    for question in rows:
        passages.append(
            Passage(
                key=f"question:{question.pk}",
                kind="question",
                title=question.text,
                text=f"{question.skill.name}. {question.reference_answer}",
                points=tuple(point.text for point in question.key_points.all()),
                avoid=tuple(flag.text for flag in question.red_flags.all()),
                track=question.track.slug,
                practice=(question.track.slug, question.skill.slug),
            )
        )
    words = {slug: TRACK_WORDS[slug] for slug in tracks if slug in TRACK_WORDS}
    return Library(passages, track_words=words, track_names=tracks)


@cache
def _guides() -> tuple[Passage, ...]:
    guides = json.loads(GUIDES.read_text(encoding="utf-8"))["guides"]
    return tuple(
        Passage(
            key=f"guide:{guide['key']}",
            kind="guide",
            title=guide["title"],
            text=guide["advice"],
            points=tuple(guide["points"]),
            avoid=tuple(guide["avoid"]),
            keywords=tuple(guide["keywords"]),
            asks=tuple(guide["questions"]),
            practice=(guide["practice"]["track"], guide["practice"]["skill"])
            if guide.get("practice")
            else None,
        )
        for guide in guides
    )


def _first_names(keywords: list[str]) -> list[str]:
    # A skill's keywords are "name|synonym|synonym": the names are what students type.
    return [keyword.split("|")[0] for keyword in keywords if keyword]
