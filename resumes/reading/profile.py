"""The profile the local engine and the model read from a resume: its roles, projects, education
and skills."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Role:
    title: str
    organisation: str = ""
    start: str = ""
    end: str = ""
    highlights: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)


@dataclass
class Project:
    name: str
    description: str = ""
    tools: list[str] = field(default_factory=list)


@dataclass
class Education:
    institution: str
    qualification: str = ""
    dates: str = ""


@dataclass
class ResumeProfile:
    name: str = ""
    headline: str = ""
    education: list[Education] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResumeProfile:
        return cls(
            name=data.get("name", ""),
            headline=data.get("headline", ""),
            education=[Education(**e) for e in data.get("education", [])],
            roles=[Role(**r) for r in data.get("roles", [])],
            projects=[Project(**p) for p in data.get("projects", [])],
            skills=list(data.get("skills", [])),
        )
