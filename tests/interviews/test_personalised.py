"""Interviews about the candidate's resume and a job advert: setting one up (the service, the API
and the pages), the questions the local engine words for the candidate, what a provider is sent,
and the report's evidence for the resume's claims and the job's requirements."""

from __future__ import annotations

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from ai.local.personal import STORY_KEY_POINTS, and_join
from ai.local.picker import CLAIMED_BONUS, OTHER_SKILL_COST, Candidate, choose
from interviews import services
from interviews.models import Evaluation, Interview, Turn
from interviews.selectors import interview_personal, open_turn
from interviews.state import State
from questionbank.models import FollowUp, Level, Question, Track
from reports.builder import TurnRecord
from reports.evidence import evidence
from reports.models import Report
from resumes import personal, selectors
from resumes import services as resume_services
from resumes.models import Resume
from resumes.reading.focus import resume_summary
from resumes.reading.job import JobProfile, read_job
from resumes.reading.resume import Education, Project, ResumeProfile, Role
from resumes.reading.vocabulary import Vocabulary
from tests.ai import openai_recorded as rec

PROFILE = ResumeProfile(
    name="Priya Raman",
    headline="Software Engineer",
    education=[Education("University of Manchester", "BSc Computer Science", "2020-2025")],
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
MIGRATION = "the migration of the billing service from MySQL to PostgreSQL with no downtime"
STORY = (
    "Your resume says you led the migration of the billing service from MySQL to PostgreSQL "
    "with no downtime at Acme Payments."
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
# What the local engine reads from ADVERT with the software engineering bank's vocabulary.
ADVERT_NEEDS = [
    "Python",
    "Django",
    "PostgreSQL",
    "REST API",
    "Docker",
    "debugging",
    "production support",
    "structured logging",
]

WEAK = "I'm not sure, maybe I would just try something."
THIN = "There were some problems on the project and I fixed them with the team in the end."
# A story told point by point, so that even the lexical comparison finds every key point in it.
STORY_ANSWER = (
    "To set the scene: the work was moving our billing service from MySQL to PostgreSQL, its "
    "goal was a switch with no downtime, and my own part in it was the data copy and the "
    "cut-over. What went wrong, and was hardest, was that two weeks in the row counts did not "
    "match, because MySQL had silently cut some invoice notes short. The actions I took myself: "
    "I wrote a comparison script, found 1,200 bad rows, fixed the copy job and added a checksum "
    "before each batch, while the team carried on with the schema. The outcome was a concrete "
    "result: we cut over with zero downtime and billing errors fell by 30%. What I learned, and "
    "would do differently next time, is to build the comparison before the first copy."
)


@pytest.fixture(autouse=True)
def _fresh_vocabulary_and_job_cache(monkeypatch):
    """The vocabulary is kept per process and each test loads its own bank; job readings are
    cached, so each test gets a cache of its own (never a shared Redis)."""
    selectors.vocabulary_reset()
    monkeypatch.setattr(personal, "cache", LocMemCache("test-personalised", {}))
    yield
    selectors.vocabulary_reset()


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


def skill_ids(track: Track, *slugs: str) -> list[int]:
    ids = dict(track.skills.values_list("slug", "pk"))
    return [ids[slug] for slug in slugs]


def create(user, track, **choices) -> Interview:
    options = {
        "track": track,
        "level": Level.JUNIOR,
        "interview_type": "technical",
        "num_questions": 4,
    } | choices
    return services.interview_create(user=user, **options)


def run(interview: Interview, user, answer) -> Interview:
    """Start the interview and answer every question with `answer(turn)` until it ends."""
    services.interview_start(interview_id=interview.pk, user=user)
    for number in range(40):
        interview.refresh_from_db()
        if interview.state != State.LISTENING:
            break
        turn = open_turn(interview)
        services.answer_submit(
            interview_id=interview.pk, user=user, text=answer(turn), client_id=f"a{number}"
        )
    interview.refresh_from_db()
    return interview


def bank_answer(turn: Turn) -> str:
    """The bank's reference answer: a strong answer to any bank question."""
    return turn.question.reference_answer


# --- Setting up ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_a_resume_and_an_advert_the_interview_covers_where_they_meet_first(student, software):
    resume = make_resume(student)

    interview = create(student, software, resume=resume.pk, job_description=ADVERT)

    # The advert asks for Python (code quality), Django/PostgreSQL/REST (data and APIs), Docker
    # (operations) and debugging; the resume claims all but debugging, which comes last.
    expected = skill_ids(
        software, "code-quality", "data-and-apis", "reliability-operations", "debugging"
    )
    assert interview.focus == expected
    assert set(interview.skills.values_list("pk", flat=True)) == set(expected)
    assert interview.resume == resume
    assert interview.resume_profile == PROFILE.as_dict()
    assert interview.job_description == ADVERT.strip()
    job = JobProfile.from_dict(interview.job_profile)
    assert (job.title, job.level) == ("Junior Backend Engineer", Level.JUNIOR)
    assert job.requirements == ADVERT_NEEDS
    assert job.desirable == ["Kubernetes"]

    # The interview keeps its copy: correcting or deleting the resume later changes nothing.
    resume_services.resume_set_skills(resume=resume, skills=["Rust"])
    resume.delete()
    interview.refresh_from_db()
    assert interview.resume is None
    assert interview.resume_profile["skills"] == PROFILE.skills


@pytest.mark.django_db
def test_skills_the_student_chose_are_kept_and_the_focus_is_limited_to_them(student, software):
    resume = make_resume(student)
    chosen = list(software.skills.filter(slug__in=["data-and-apis", "frontend-engineering"]))

    interview = create(student, software, resume=resume.pk, job_description=ADVERT, skills=chosen)

    assert set(interview.skills.all()) == set(chosen)
    assert interview.focus == skill_ids(software, "data-and-apis")


@pytest.mark.django_db
def test_a_job_whose_skills_have_no_questions_of_the_type_covers_the_tracks_skills(
    student, software
):
    # Only "System design and architecture" has system design questions; the advert needs none
    # of it. The student chose no skills, so none is refused: the interview covers the track's.
    interview = create(
        student,
        software,
        interview_type="system_design",
        level=Level.MID,
        num_questions=3,
        resume=make_resume(student).pk,
        job_description=ADVERT,
    )

    assert interview.focus == []
    assert interview.skills.count() == software.skills.count()
    assert interview.job_profile["requirements"] == ADVERT_NEEDS

    # Skills the student did choose are still checked.
    with pytest.raises(ValidationError) as error:
        create(
            student,
            software,
            interview_type="system_design",
            level=Level.MID,
            num_questions=3,
            job_description=ADVERT,
            skills=list(software.skills.filter(slug="debugging")),
        )
    assert "None of the chosen skills" in error.value.message_dict["skills"][0]


@pytest.mark.django_db
def test_a_resume_alone_puts_the_claimed_skills_first_then_every_other(student, software):
    interview = create(student, software, resume=make_resume(student).pk)

    claimed = skill_ids(software, "code-quality", "data-and-apis", "reliability-operations")
    assert interview.focus[:3] == claimed
    assert sorted(interview.focus) == sorted(software.skills.values_list("pk", flat=True))
    assert interview.job_profile == {} and interview.job_description == ""


@pytest.mark.django_db
def test_without_a_resume_or_an_advert_nothing_is_personal(student, software):
    interview = create(student, software)

    assert interview.focus == []
    assert interview.resume is None
    assert interview.resume_profile == {} and interview.job_profile == {}
    assert interview.skills.count() == software.skills.count()
    assert interview_personal(interview) is None


@pytest.mark.django_db
def test_a_resume_or_advert_that_cannot_be_used_is_refused_as_a_field_error(
    student, second_student, software
):
    # One test rather than one each: every test loads the bank, which takes a second.
    cases = {
        "another student's resume": (make_resume(second_student).pk, ADVERT, "resume"),
        "a resume still being read": (
            make_resume(student, status=Resume.Status.PARSING).pk,
            ADVERT,
            "resume",
        ),
        "a resume that could not be read": (
            make_resume(student, status=Resume.Status.FAILED).pk,
            ADVERT,
            "resume",
        ),
        "a nonsense id": ("not-a-resume-id", ADVERT, "resume"),
        "a number for an id": (12, ADVERT, "resume"),
        "an advert over 20,000 characters": (
            make_resume(student).pk,
            "Python and Django. " * 1100,
            "job_description",
        ),
    }
    for case, (resume, advert, field) in cases.items():
        with pytest.raises(ValidationError) as error:
            create(student, software, resume=resume, job_description=advert)
        assert set(error.value.message_dict) == {field}, case
    assert "20,000" in error.value.message_dict["job_description"][0]
    assert not Interview.objects.exists()


# --- The API -------------------------------------------------------------------------------------


@pytest.fixture
def api(student):
    client = APIClient()
    client.force_authenticate(student)
    return client


@pytest.mark.django_db
def test_the_preview_says_what_the_job_asks_for_and_which_skills_come_first(api, student, software):
    resume = make_resume(student)

    response = api.post(
        "/api/v1/interviews/preview/",
        {"track": "software-engineering", "job_description": ADVERT, "resume": str(resume.pk)},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    job = body["job"]
    assert job["title"] == "Junior Backend Engineer"
    assert (job["level"], job["level_label"]) == (Level.JUNIOR, "Junior")
    assert job["requirements"] == ADVERT_NEEDS
    assert body["claims"] == PROFILE.skills
    focus = {skill["name"]: skill for skill in body["focus"]}
    assert [skill["id"] for skill in body["focus"]] == skill_ids(
        software, "code-quality", "data-and-apis", "reliability-operations", "debugging"
    )
    data = focus["Data modelling and APIs"]
    assert data["needed"] == ["Django", "PostgreSQL", "REST API"]
    assert data["claimed"] == ["PostgreSQL", "Django"]
    debugging = focus["Debugging and troubleshooting"]
    assert debugging["needed"] == ["debugging", "production support", "structured logging"]
    assert debugging["claimed"] == []
    assert not Interview.objects.exists()  # a preview creates nothing


@pytest.mark.django_db
def test_the_preview_refuses_a_too_long_advert_or_another_students_resume(
    api, second_student, software
):
    too_long = api.post(
        "/api/v1/interviews/preview/",
        {"track": "software-engineering", "job_description": "Python. " * 2600},
        format="json",
    )
    theirs = api.post(
        "/api/v1/interviews/preview/",
        {"track": "software-engineering", "resume": str(make_resume(second_student).pk)},
        format="json",
    )

    assert too_long.status_code == 400
    assert too_long.json()["code"] == "job_description_too_long"
    assert "20,000" in too_long.json()["message"]
    assert theirs.status_code == 400
    assert theirs.json()["code"] == "resume_not_found"


@pytest.mark.django_db
def test_the_api_creates_a_personalised_interview_and_shows_what_it_is_about(
    api, student, second_student, software
):
    resume = make_resume(student)

    response = api.post(
        "/api/v1/interviews/",
        {
            "track": "software-engineering",
            "level": "junior",
            "interview_type": "technical",
            "num_questions": 4,
            "resume": str(resume.pk),
            "job_description": ADVERT,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    detail = api.get(f"/api/v1/interviews/{response.json()['id']}/").json()
    assert detail["resume"] == str(resume.pk)
    assert detail["job_profile"]["title"] == "Junior Backend Engineer"
    assert detail["job_profile"]["requirements"] == ADVERT_NEEDS
    assert detail["focus"] == skill_ids(
        software, "code-quality", "data-and-apis", "reliability-operations", "debugging"
    )

    refused = api.post(
        "/api/v1/interviews/",
        {
            "track": "software-engineering",
            "level": "junior",
            "interview_type": "technical",
            "resume": str(make_resume(second_student).pk),
        },
        format="json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"resume"}


# --- The pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_setup_page_offers_only_the_students_ready_resumes_and_an_advert_box(
    client_for, student, second_student, software
):
    make_resume(student, title="My backend CV")
    make_resume(student, title="My unreadable CV", status=Resume.Status.FAILED)
    make_resume(student, title="My new CV", status=Resume.Status.PARSING)
    make_resume(second_student, title="Bob's CV")

    page = client_for(student).get("/interviews/new/?track=software-engineering")

    assert page.status_code == 200
    html = page.content.decode()
    select = html.split('<select name="resume"')[1].split("</select>")[0]
    assert "My backend CV" in select
    assert "My unreadable CV" not in select and "My new CV" not in select
    assert "Bob" not in select
    assert '<textarea name="job_description"' in html


@pytest.mark.django_db
def test_the_setup_form_creates_the_interview_and_the_room_says_what_it_is_about(
    client_for, student, software
):
    resume = make_resume(student)
    client = client_for(student)

    response = client.post(
        "/interviews/new/?track=software-engineering",
        {
            "track": "software-engineering",
            "level": Level.JUNIOR,
            "interview_type": "technical",
            "num_questions": 4,
            "answer_mode": "text",
            "resume": str(resume.pk),
            "job_description": ADVERT,
        },
    )

    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response.url == f"/interviews/{interview.pk}/"
    assert interview.resume == resume and interview.job_profile["title"]
    room = client.get(response.url).content.decode()
    assert "Junior Backend Engineer" in room
    assert "It asks for" in room and "REST API" in room
    assert "Your resume: Priya CV" in room
    assert "Skills covered first" in room
    assert "Debugging and troubleshooting" in room and "not on your resume" in room


# --- Personalised questions (the local engine) ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_a_behavioural_interview_asks_about_the_resume_roles_and_projects(student, software):
    # Only the bank's behavioural questions, so that every core question is one.
    Question.objects.filter(type=Question.Type.SITUATIONAL).update(status=Question.Status.ARCHIVED)
    interview = create(
        student, software, interview_type="behavioural", resume=make_resume(student).pk
    )

    def answer(turn: Turn) -> str:
        if turn.number == 1:  # the story: a thin answer, then the story told well
            return WEAK if turn.kind == Turn.Kind.CORE else STORY_ANSWER
        return bank_answer(turn)

    interview = run(interview, student, answer)

    assert interview.state == State.FINISHED
    turns = list(interview.turns.select_related("question").order_by("position"))
    cores = [t for t in turns if t.kind == Turn.Kind.CORE]
    assert len(cores) == 4
    assert all(t.question.type == Question.Type.BEHAVIOURAL for t in cores)

    # The first is about what they did at Acme Payments, judged as a story.
    story = cores[0]
    assert story.text.startswith(STORY)
    assert "what went wrong along the way" in story.text
    points = [p.format(work=MIGRATION) for p in STORY_KEY_POINTS]
    assert story.key_points == points
    assert points[0].startswith("Why the migration of the billing service from MySQL to PostgreSQL")
    assert story.reference.startswith(
        "A strong answer tells, in order, the story of how the candidate led the migration"
    )
    evaluation = Evaluation.objects.get(answer__turn=story)
    assert [p["key_point"] for p in evaluation.key_points] == points

    # Its follow-up is not one of the bank prompts written for the bank's own question.
    followups = [t for t in turns if t.kind == Turn.Kind.FOLLOWUP and t.number == 1]
    assert len(followups) == 1  # the story told well the second time
    assert Evaluation.objects.get(answer__turn=followups[0]).overall >= 6
    bank_prompts = FollowUp.objects.filter(question=story.question).values_list("text", flat=True)
    assert bank_prompts
    assert not any(prompt in f.text for f in followups for prompt in bank_prompts)
    assert followups[0].key_points == points

    # The next are set in their other role and their project, in the resume's order; then the
    # bank's own question, once the resume has no more places to ask about.
    teaching = "Thinking of your time as Teaching Assistant at University of Manchester: "
    project = "Thinking of your Food Bank Rota Planner project: "
    for turn, prefix in ((cores[1], teaching), (cores[2], project)):
        assert turn.text.startswith(prefix)
        assert turn.text.lower() == (prefix + turn.question.text).lower()
        assert turn.key_points == [] and turn.reference == ""  # judged on the bank's
    assert cores[3].text == cores[3].question.text

    assert len({t.text for t in turns}) == len(turns)  # no question repeats
    assert len({t.question_id for t in cores}) == len(cores)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_two_follow_ups_to_the_story_question_are_not_the_same(student, software):
    Question.objects.filter(type=Question.Type.SITUATIONAL).update(status=Question.Status.ARCHIVED)
    interview = create(
        student, software, interview_type="behavioural", resume=make_resume(student).pk
    )

    interview = run(
        interview, student, lambda turn: THIN if turn.number == 1 else bank_answer(turn)
    )

    followups = interview.turns.filter(kind=Turn.Kind.FOLLOWUP, number=1)
    assert followups.count() == 2
    assert len(set(followups.values_list("text", flat=True))) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_a_technical_interview_names_the_tools_the_resume_claims(student, software):
    interview = create(student, software, resume=make_resume(student).pk, job_description=ADVERT)

    interview = run(interview, student, bank_answer)

    assert interview.state == State.FINISHED
    turns = list(interview.turns.select_related("question").order_by("position"))
    cores = [t for t in turns if t.kind == Turn.Kind.CORE]
    assert len(cores) == 4
    words = selectors.vocabulary()
    named = 0
    for turn in cores:
        claimed = words.terms_for(turn.skill_id, PROFILE.skills)
        if claimed:
            named += 1
            assert turn.text == f"You list {and_join(claimed[:3])} on your resume. " + (
                turn.question.text
            )
        else:
            assert turn.text == turn.question.text
        assert turn.key_points == [] and turn.reference == ""  # judged on the bank's
    assert named >= 2
    assert any(t.text.startswith("You list PostgreSQL and Django on your resume.") for t in cores)
    assert len({t.text for t in turns}) == len(turns)
    assert len({t.question_id for t in cores}) == len(cores)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_without_a_resume_or_an_advert_the_questions_are_the_banks_own(student, software):
    interview = create(student, software, interview_type="mixed", num_questions=3)

    interview = run(interview, student, bank_answer)

    assert interview.state == State.FINISHED
    cores = interview.turns.filter(kind=Turn.Kind.CORE).select_related("question")
    assert cores.count() == 3
    for turn in cores:
        assert turn.text == turn.question.text
        assert "resume" not in turn.text.lower()
        assert turn.key_points == [] and turn.reference == ""
    assert interview.report.evidence == {}


def candidate(pk: int, skill: int, text: str) -> Candidate:
    return Candidate(pk, text, skill, difficulty=3, level_min=1, level_max=3)


PICK = {
    "level": Level.JUNIOR,
    "difficulty": 3,
    "asked_ids": set(),
    "asked_texts": [],
    "asked_skills": [],
    "seen_before": set(),
}


def test_the_picker_prefers_a_question_about_a_tool_the_resume_claims():
    postgres = candidate(1, 7, "How would you add an index to a large PostgreSQL table safely?")
    mongo = candidate(2, 7, "When would you pick MongoDB over a relational database?")
    for seed in ("one interview", "another interview", "a third"):
        for claimed in (postgres, mongo):
            chosen = choose(
                [postgres, mongo],
                skill_order=[7],
                seed=seed,
                claimed=frozenset({claimed.id}),
                **PICK,
            )
            assert chosen == claimed


def test_a_claimed_tool_does_not_outweigh_the_skill_whose_turn_it_is():
    assert CLAIMED_BONUS < OTHER_SKILL_COST
    on_skill = candidate(1, 7, "How do you review a teammate's pull request?")
    claimed_elsewhere = candidate(2, 8, "How would you shrink a Docker image for a Python app?")

    chosen = choose(
        [on_skill, claimed_elsewhere],
        skill_order=[7, 8],
        seed="s",
        claimed=frozenset({claimed_elsewhere.id}),
        **PICK,
    )

    assert chosen == on_skill


# --- With a provider -----------------------------------------------------------------------------


# No line the local reading takes for a title: only the model names the job.
UNTITLED_ADVERT = (
    "Northwind Logistics is growing its platform team in Leeds.\n"
    "You will build services in Python and Django on PostgreSQL, behind REST APIs.\n"
    "Nice to have: Kubernetes.\n"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_the_provider_reads_the_advert_and_is_sent_the_resume_and_advert_fenced(
    provider, student, software
):
    assert read_job(UNTITLED_ADVERT, selectors.vocabulary()).title == ""
    assert personal.job_read(UNTITLED_ADVERT).title == "Junior Backend Engineer"
    assert len(provider.bodies("job")) == 1
    assert "Northwind Logistics is growing" in (provider.bodies("job")[0]["messages"][1]["content"])

    interview = create(
        student, software, resume=make_resume(student).pk, job_description=UNTITLED_ADVERT
    )
    services.interview_start(interview_id=interview.pk, user=student)

    assert len(provider.bodies("job")) == 1  # read once: setup used the reading kept
    job = interview.job_profile
    assert (job["title"], job["level"]) == ("Junior Backend Engineer", Level.JUNIOR)
    assert job["requirements"] == ["Python", "Django", "PostgreSQL", "REST API"]
    user = provider.bodies("question")[0]["messages"][1]["content"]
    resume = user.split("<resume>\n")[1].split("\n</resume>")[0]
    assert resume == resume_summary(PROFILE)
    assert (
        "Role: Backend Engineering Intern, Acme Payments (Jun 2023 \N{EN DASH} Aug 2024)" in resume
    )
    assert "Claims: Python, PostgreSQL, Django, Docker" in resume
    advert = user.split("<job_description>\n")[1].split("\n</job_description>")[0]
    assert advert.startswith("Title: Junior Backend Engineer; level: Junior")
    assert UNTITLED_ADVERT.strip() in advert
    turn = interview.turns.get()
    assert (turn.text, turn.engine) == (rec.WRITTEN_QUESTIONS[0], "openai")


@pytest.mark.django_db
def test_a_failing_provider_leaves_the_local_reading_of_the_advert(provider, software):
    provider.then("job", *[rec.error(500)] * 3)  # the first try and the client's two retries

    job = personal.job_read(ADVERT)

    assert len(provider.bodies("job")) == 3
    assert job == read_job(ADVERT.strip(), selectors.vocabulary())
    assert job.title == "Junior Backend Engineer" and job.requirements == ADVERT_NEEDS

    # A failed reading is not kept: the provider is asked again next time.
    assert personal.job_read(ADVERT).title == "Junior Backend Engineer"
    assert len(provider.bodies("job")) == 4


# --- The report's evidence -----------------------------------------------------------------------

VOCABULARY = Vocabulary.build(
    [
        (1, ["Python", "Django"]),
        (2, ["PostgreSQL|Postgres"]),
        (3, ["Docker", "Redis"]),
        (9, ["Figma"]),  # a skill of another track
    ]
)
TRACK_SKILLS = [1, 2, 3]


def record(position, number, skill_id, text, answer, overall, kind="core"):
    return TurnRecord(
        position=position,
        number=number,
        kind=kind,
        followup_type="" if kind == "core" else "probe",
        text=text,
        skill_id=skill_id,
        skill_name=f"Skill {skill_id}",
        answer=answer,
        skipped=False,
        evaluation=None if overall is None else {"overall": overall},
    )


RECORDS = [
    record(
        1,
        1,
        1,
        "You list Python on your resume. How would you total a basket with a discount code?",
        "I would start from a failing test. Then I wrote the pricing rules in Python with "
        "Decimal, not floats. The test passed.",
        7.5,
    ),
    record(
        2,
        2,
        2,
        "How would you keep a club's membership history in a relational database?",
        "Maybe a table, I think.",
        3.0,
    ),
    record(
        3,
        3,
        1,
        "How would you cache the results of a slow Redis-backed endpoint?",  # names Redis
        "I am not sure.",
        4.0,
    ),
]


def claims_and_requirements(claims=(), requirements=(), records=RECORDS):
    return evidence(
        records,
        claims=claims,
        requirements=requirements,
        vocabulary=VOCABULARY,
        track_skills=TRACK_SKILLS,
    )


def test_a_claim_whose_question_scored_well_is_backed_with_the_answer_quoted():
    found = claims_and_requirements(claims=["Python"])

    assert found["claims"] == [
        {
            "name": "Python",
            "status": "backed",
            "question": 1,
            "score": 7.5,
            "quote": "Then I wrote the pricing rules in Python with Decimal, not floats.",
        }
    ]


def test_the_quote_is_the_whole_sentence_naming_the_claim_even_after_a_dotted_name():
    answer = (
        "I kept the Node.js gateway as it was. Then I moved the pricing rules to Python, "
        "because Decimal made the rounding exact. It paid off."
    )
    records = [record(1, 1, 1, "Tell me about the pricing service.", answer, 8.0)]

    found = claims_and_requirements(claims=["Python"], records=records)["claims"]

    assert found[0]["quote"] == (
        "Then I moved the pricing rules to Python, because Decimal made the rounding exact."
    )


def test_a_long_sentence_is_quoted_around_the_claim_and_cut_at_words():
    before = "we looked at every option the team had used before " * 3
    after = " and measured it in staging for two weeks before the switch" * 3
    records = [record(1, 1, 1, "Which tools?", f"First {before}then chose Python{after}.", 8.0)]

    quote = claims_and_requirements(claims=["Python"], records=records)["claims"][0]["quote"]

    assert "chose Python and measured" in quote
    assert quote.startswith("…") and quote.endswith("…") and len(quote) <= 160
    words = set(f"First {before}then chose Python{after}.".split())
    assert all(word in words for word in quote.strip("…").split())


def test_claims_answered_weakly_or_never_asked_are_said_so_and_other_tracks_are_left_out():
    found = claims_and_requirements(claims=["Docker", "PostgreSQL", "Figma", "Python"])["claims"]

    assert [(c["name"], c["status"], c["question"], c["score"]) for c in found] == [
        ("Python", "backed", 1, 7.5),
        ("PostgreSQL", "not_backed", 2, 3.0),
        ("Docker", "untested", None, None),
    ]
    assert found[1]["quote"] == ""  # the answer never names PostgreSQL


def test_a_requirement_named_in_a_question_counts_as_tested_whatever_its_skill():
    found = claims_and_requirements(requirements=["Redis", "Django", "Docker", "Figma"])

    assert [(r["name"], r["status"], r["question"]) for r in found["requirements"]] == [
        ("Django", "shown", 1),  # a skill-1 term: questions 1 and 3, the best is 1
        ("Redis", "not_shown", 3),  # skill 3 is never asked, but question 3 names it
        ("Docker", "not_asked", None),
    ]
    assert found["claims"] == []


def test_follow_ups_count_towards_the_question_and_unanswered_questions_test_nothing():
    records = [
        record(1, 1, 3, "How do you keep a Docker image small?", "A slim base.", 3.0),
        record(
            2, 1, 3, "Why does that matter?", "Docker pulls get faster and safer.", 9.0, "followup"
        ),
        record(3, 2, 2, "What would you index in PostgreSQL?", None, None),
    ]

    found = claims_and_requirements(
        claims=["Docker", "PostgreSQL"], requirements=["Docker"], records=records
    )

    docker = found["claims"][0]
    assert (docker["status"], docker["question"], docker["score"]) == ("not_backed", 1, 5.4)
    assert docker["quote"] == "Docker pulls get faster and safer."
    assert found["claims"][1]["name"] == "PostgreSQL"
    assert found["claims"][1]["status"] == "untested"
    assert found["requirements"][0]["status"] == "not_shown"


def test_without_claims_or_requirements_there_is_no_evidence():
    assert claims_and_requirements() == {"claims": [], "requirements": []}
    assert evidence(
        [], claims=["Python"], requirements=[], vocabulary=VOCABULARY, track_skills=[]
    ) == {"claims": [], "requirements": []}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_the_report_shows_which_claims_and_requirements_the_answers_backed(
    client_for, student, software
):
    interview = create(student, software, resume=make_resume(student).pk, job_description=ADVERT)

    def answer(turn: Turn) -> str:
        if turn.number == 1:
            return bank_answer(turn) + " I did this in Python and Django at Acme Payments."
        return WEAK

    interview = run(interview, student, answer)

    assert interview.state == State.FINISHED
    report = Report.objects.get(interview=interview)
    claims = {c["name"]: c for c in report.evidence["claims"]}
    needs = {r["name"]: r for r in report.evidence["requirements"]}
    statuses = {c["status"] for c in claims.values()}
    assert {"backed", "not_backed"} <= statuses
    assert {"shown", "not_shown"} <= {r["status"] for r in needs.values()}
    assert set(claims) <= set(PROFILE.skills) and set(needs) <= set(ADVERT_NEEDS)
    backed = [c for c in claims.values() if c["status"] == "backed"]
    assert all(c["question"] == 1 and c["score"] >= 6 for c in backed)
    quoted = [c for c in backed if c["quote"]]
    assert quoted and all(c["name"].lower() in c["quote"].lower() for c in quoted)
    assert all(c["score"] < 6 for c in claims.values() if c["status"] == "not_backed")

    client = client_for(student)
    page = client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert 'id="evidence"' in page
    assert "Your resume's claims" in page and "The job's requirements" in page
    assert "backed up by your answer to question 1" in page
    assert "not backed up" in page
    api = APIClient()
    api.force_authenticate(student)
    body = api.get(f"/api/v1/interviews/{interview.pk}/report/").json()
    assert body["evidence"] == report.evidence


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_a_report_without_a_resume_or_advert_has_no_evidence_section(client_for, student, software):
    interview = run(create(student, software, num_questions=3), student, bank_answer)

    page = client_for(student).get(f"/interviews/{interview.pk}/report/").content.decode()

    assert interview.report.evidence == {}
    assert 'id="evidence"' not in page
    assert "Your resume's claims" not in page and "The job's requirements" not in page
