"""Exploration (temporary)."""

from __future__ import annotations

import pytest
from django.core.cache.backends.locmem import LocMemCache

from interviews import resumes, services
from interviews.models import Interview, Resume, Turn
from interviews.profiles import Education, Project, ResumeProfile, Role
from interviews.state import State
from questionbank.models import Level, Question

PROFILE = ResumeProfile(
    name="Priya Raman",
    headline="Software Engineer",
    education=[Education("University of Manchester", "BSc Computer Science", "2020 – 2025")],
    roles=[
        Role(
            title="Backend Engineering Intern",
            organisation="Acme Payments",
            start="Jun 2023",
            end="Aug 2024",
            highlights=[
                "Led the migration of the billing service from MySQL to PostgreSQL with no "
                "downtime.",
                "Wrote Django REST endpoints for the refunds dashboard.",
            ],
            tools=["PostgreSQL", "MySQL", "Django"],
        ),
        Role(
            title="Teaching Assistant",
            organisation="University of Manchester",
            start="Sep 2022",
            end="Jun 2023",
            highlights=["Helped first-year students in weekly Python labs."],
            tools=["Python"],
        ),
    ],
    projects=[
        Project(
            name="Food Bank Rota Planner",
            description="A Django app that schedules volunteer shifts.",
            tools=["Django"],
        )
    ],
    skills=["Python", "PostgreSQL", "Django", "Docker"],
)

ADVERT = """Junior Backend Engineer
Northwind Logistics, Leeds

We are looking for a graduate backend engineer to join our platform team.

Requirements
- Python and Django
- PostgreSQL and REST APIs
- Docker
- Debugging production issues with structured logging

Nice to have
- Kubernetes
"""


@pytest.fixture(autouse=True)
def _fresh_vocabulary_and_cache(monkeypatch):
    resumes.vocabulary_reset()
    monkeypatch.setattr(resumes, "cache", LocMemCache("test-personalised", {}))
    yield
    resumes.vocabulary_reset()


def make_resume(user, *, status=Resume.Status.READY, title="Priya CV", profile=PROFILE):
    return Resume.objects.create(
        user=user,
        organization_id=user.organization_id,
        title=title,
        size=1,
        pages=1,
        status=status,
        file="resumes/x.pdf",
        profile=profile.as_dict(),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
@pytest.mark.parametrize("kind", ["behavioural", "technical", "mixed"])
def test_explore(student, software, kind):
    for s in software.skills.order_by("pk"):
        print(s.pk, s.slug)
    resume = make_resume(student)
    interview = services.interview_create(
        user=student,
        track=software,
        level=Level.JUNIOR,
        interview_type=kind,
        num_questions=4,
        resume=resume.pk,
        job_description=ADVERT,
    )
    print(interview.focus, interview.job_profile)
    services.interview_start(interview_id=interview.pk, user=student)
    for n in range(20):
        interview.refresh_from_db()
        if interview.state != State.LISTENING:
            break
        turn = interview.turns.order_by("-position").first()
        print(turn.kind, turn.question.type if turn.question else None, turn.skill_id, turn.text[:150])
        print("   ", turn.key_points[:1], turn.reference[:40])
        services.answer_submit(
            interview_id=interview.pk, user=student, text="I'm not sure, maybe.", client_id=f"a{n}"
        )
    interview.refresh_from_db()
    print(interview.state, interview.report.evidence)
