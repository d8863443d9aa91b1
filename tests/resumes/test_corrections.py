# Resumes write date ranges with an en dash; the tests do too.
# ruff: noqa: RUF001
"""Correcting the roles and education read from a resume, on its page and in the API; only its
owner may, only once it is read, and a re-read keeps what the student wrote."""

from __future__ import annotations

import copy
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from config.errors import Refused
from resumes import selectors
from resumes import services as resumes
from resumes.models import Resume
from tests.resumes import resume_pdfs as pdfs

INTERN = {
    "title": "Backend Engineering Intern",
    "organisation": "Acme Payments",
    "start": "Jun 2023",
    "end": "Aug 2024",
    "highlights": ["Built the refunds API in Django."],
    "tools": ["Django"],
}
BARISTA = {
    "title": "Barista",
    "organisation": "Cafe Nero",
    "start": "2021",
    "end": "2023",
    "highlights": [],
    "tools": [],
}
MANCHESTER = {
    "institution": "University of Manchester",
    "qualification": "BSc Computer Science",
    "dates": "2022 – 2025",
}
PROFILE = {
    "name": "Alice Student",
    "headline": "Backend developer",
    "education": [MANCHESTER],
    "roles": [INTERN, BARISTA],
    "projects": [],
    "skills": ["Python", "Django"],
}


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    """Each test finds tools with its own bank's keywords, not a vocabulary cached earlier."""
    selectors.vocabulary_reset()
    yield
    selectors.vocabulary_reset()


def ready(user: User, status: str = Resume.Status.READY) -> Resume:
    return Resume.objects.create(
        user=user,
        file="resumes/x/alice.pdf",
        title="Alice CV",
        size=1,
        pages=1,
        status=status,
        profile=copy.deepcopy(PROFILE),
    )


def posted(roles: list[dict], education: list[dict], *, initial: tuple[int, int] = (2, 1)):
    """The correct page's form as a browser sends it: rows in order, the first ones read."""
    data = {
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(initial[0]),
        "education-TOTAL_FORMS": str(len(education)),
        "education-INITIAL_FORMS": str(initial[1]),
    }
    for prefix, rows in (("roles", roles), ("education", education)):
        for index, row in enumerate(rows):
            for key, value in row.items():
                value = "\r\n".join(value) if isinstance(value, list) else value
                data[f"{prefix}-{index}-{key}"] = value
    return data


def as_typed(role: dict) -> dict:
    """A role's row as the page shows it (its tools are not a field)."""
    return {k: v for k, v in role.items() if k != "tools"}


BLANK_ROLE = {"title": "", "organisation": "", "start": "", "end": "", "highlights": ""}
BLANK_SCHOOL = {"institution": "", "qualification": "", "dates": ""}


def page_of(resume: Resume) -> str:
    return reverse("resume_correct", args=[resume.pk])


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_roles_and_education_read_with_empty_rows_to_add(student, client_for):
    resume = ready(student)
    client = client_for(student)

    detail = client.get(reverse("resume_detail", args=[resume.pk])).content.decode()
    assert f'href="{page_of(resume)}"' in detail and "Correct roles and education" in detail
    assert "(you have edited them)" not in detail

    response = client.get(page_of(resume))

    assert response.status_code == 200
    html = response.content.decode()
    for value in ("Backend Engineering Intern", "Acme Payments", "Jun 2023", "Aug 2024"):
        assert f'value="{escape(value)}"' in html
    assert re.search(r'name="roles-0-highlights"[^>]*>\s*Built the refunds API in Django\.<', html)
    assert 'name="roles-1-title"' in html and 'value="Barista"' in html
    assert f'value="{escape(MANCHESTER["dates"])}"' in html
    assert 'name="roles-TOTAL_FORMS" value="4"' in html  # two read, two to add
    assert 'name="education-TOTAL_FORMS" value="3"' in html
    assert 'name="roles-0-DELETE"' in html and 'name="roles-2-DELETE"' not in html
    assert 'aria-invalid="true"' not in html


@pytest.mark.django_db
def test_saving_edits_a_role_adds_one_removes_one_and_edits_the_education(
    student, client_for, software
):
    resume = ready(student)
    client = client_for(student)
    edited = {
        **as_typed(INTERN),
        "title": "  Backend   Engineer ",
        "highlights": ["Moved the refunds service to PostgreSQL.", "  ", "Wrote its Django tests."],
    }
    added = {"title": "Teaching Assistant", "organisation": "CS Department", "start": "2024"}

    response = client.post(
        page_of(resume),
        posted(
            [edited, {**as_typed(BARISTA), "DELETE": "on"}, {**BLANK_ROLE, **added}, BLANK_ROLE],
            [{**MANCHESTER, "qualification": "MEng Computer Science"}, BLANK_SCHOOL],
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("resume_detail", args=[resume.pk])
    resume.refresh_from_db()
    assert resume.profile["roles"] == [
        {
            "title": "Backend Engineer",
            "organisation": "Acme Payments",
            "start": "Jun 2023",
            "end": "Aug 2024",
            "highlights": ["Moved the refunds service to PostgreSQL.", "Wrote its Django tests."],
            "tools": ["PostgreSQL", "Django"],
        },
        {
            "title": "Teaching Assistant",
            "organisation": "CS Department",
            "start": "2024",
            "end": "",
            "highlights": [],
            "tools": [],
        },
    ]
    assert resume.profile["education"] == [{**MANCHESTER, "qualification": "MEng Computer Science"}]
    assert (resume.roles_edited, resume.education_edited) == (True, True)
    assert resume.profile["skills"] == PROFILE["skills"] and not resume.skills_edited
    detail = client.get(response.url).content.decode()
    assert "Your roles and education are saved." in detail
    assert "(you have edited them)" in detail and "Teaching Assistant" in detail
    assert "Barista" not in detail


@pytest.mark.django_db
def test_saving_only_the_education_leaves_the_roles_as_read(student, client_for):
    resume = ready(student)
    # A browser sends the read highlights back with \r\n line ends: that is no change.
    roles = [as_typed(INTERN), as_typed(BARISTA), BLANK_ROLE, BLANK_ROLE]

    response = client_for(student).post(
        page_of(resume),
        posted(roles, [{**MANCHESTER, "dates": "2022 – 2026"}, BLANK_SCHOOL]),
    )

    assert response.status_code == 302
    resume.refresh_from_db()
    assert resume.profile["roles"] == PROFILE["roles"] and not resume.roles_edited
    assert resume.profile["education"][0]["dates"] == "2022 – 2026"
    assert resume.education_edited


TOO_MANY = [{**BLANK_ROLE, "title": f"Role {n}"} for n in range(1, 22)]


@pytest.mark.parametrize(
    ("roles", "education", "says", "kept"),
    [
        (
            [{**as_typed(INTERN), "title": ""}, as_typed(BARISTA)],
            [MANCHESTER],
            "Add the job title, or clear the row to remove the role.",
            "Acme Payments",
        ),
        (
            [{**as_typed(INTERN), "organisation": "A" * 121}, as_typed(BARISTA)],
            [MANCHESTER],
            "Ensure this value has at most 120 characters (it has 121).",
            "A" * 121,
        ),
        (
            [{**as_typed(INTERN), "highlights": ["Fine.", "B" * 301]}, as_typed(BARISTA)],
            [MANCHESTER],
            "Line 2 has 301 characters; keep each line to 300.",
            "B" * 301,
        ),
        (
            [as_typed(INTERN), as_typed(BARISTA)],
            [{"institution": "", "qualification": "", "dates": "2019 – 2021"}],
            "Add the institution or the qualification, or clear the row.",
            "2019 – 2021",
        ),
        (
            TOO_MANY,
            [MANCHESTER],
            "Keep at most 20 roles (you gave 21)",
            "Role 21",
        ),
        (  # the roles are fine, the education is not: neither is stored
            [{**as_typed(INTERN), "title": "Backend Engineer"}, as_typed(BARISTA)],
            [{**BLANK_SCHOOL, "institution": f"School {n}"} for n in range(1, 8)],
            "Keep at most 6 education entries (you gave 7)",
            "Backend Engineer",
        ),
    ],
    ids=[
        "title-missing",
        "organisation-too-long",
        "highlight-too-long",
        "dates-only",
        "21-roles",
        "7-schools",
    ],
)
@pytest.mark.django_db
def test_a_correction_that_breaks_a_rule_is_shown_with_what_was_typed_and_nothing_is_stored(
    student, client_for, roles, education, says, kept
):
    resume = ready(student)

    response = client_for(student).post(page_of(resume), posted(roles, education))

    assert response.status_code == 400
    html = response.content.decode()
    assert escape(says) in html
    assert escape(kept) in html  # what the student typed is still there to fix
    if "Keep at most" not in says:  # a row's error, beside its field
        assert 'aria-invalid="true"' in html
    resume.refresh_from_db()
    assert resume.profile == PROFILE
    assert (resume.roles_edited, resume.education_edited) == (False, False)


@pytest.mark.django_db
def test_someone_elses_resume_and_the_students_coach_get_404_and_change_nothing(
    student, second_student, coach, coached_cohort, client_for
):
    resume = ready(student)
    form = posted([{**BLANK_ROLE, "title": "Hacker"}], [BLANK_SCHOOL], initial=(0, 0))

    for user in (second_student, coach):
        client = client_for(user)
        assert client.get(page_of(resume)).status_code == 404
        assert client.post(page_of(resume), form).status_code == 404
    # The coach reads the resume, without the link to correct it.
    detail = client_for(coach).get(reverse("resume_detail", args=[resume.pk]))
    assert detail.status_code == 200
    assert page_of(resume) not in detail.content.decode()

    resume.refresh_from_db()
    assert resume.profile == PROFILE and not resume.roles_edited


@pytest.mark.parametrize("status", [Resume.Status.PARSING, Resume.Status.FAILED])
@pytest.mark.django_db
def test_a_resume_not_read_yet_cannot_be_corrected(student, client_for, status):
    resume = ready(student, status)
    client = client_for(student)

    response = client.post(
        page_of(resume), posted([{**BLANK_ROLE, "title": "Chef"}], [], initial=(0, 0)), follow=True
    )

    assert response.redirect_chain == [(reverse("resume_detail", args=[resume.pk]), 302)]
    assert "Wait until the resume has been read to correct it." in response.content.decode()
    assert client.get(page_of(resume)).status_code == 302
    with pytest.raises(Refused) as refused:
        resumes.resume_set_education(resume=resume, education=[{"institution": "MIT"}])
    assert refused.value.code == "not_ready"
    resume.refresh_from_db()
    assert resume.profile == PROFILE
    assert (resume.roles_edited, resume.education_edited) == (False, False)


# --- The services --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_services_tidy_the_entries_and_drop_empty_ones(student):
    resume = ready(student)

    resumes.resume_set_roles(
        resume=resume,
        roles=[{"title": " Chef\t de  partie ", "highlights": [" Ran the pass. ", ""]}, {}],
    )
    resumes.resume_set_education(
        resume=resume, education=[{"qualification": " A-levels "}, {"dates": " "}]
    )

    resume.refresh_from_db()
    assert resume.profile["roles"] == [
        {
            "title": "Chef de partie",
            "organisation": "",
            "start": "",
            "end": "",
            "highlights": ["Ran the pass."],
            "tools": [],
        }
    ]
    assert resume.profile["education"] == [
        {"institution": "", "qualification": "A-levels", "dates": ""}
    ]
    assert resume.roles_edited and resume.education_edited


@pytest.mark.parametrize(
    ("roles", "code", "says"),
    [
        ([{"organisation": "Acme"}], "role_without_title", "Role 1 has no job title"),
        ([{"title": "x" * 121}], "too_long", "Role 1: the job title has 121 characters"),
        ([{"title": "Chef", "highlights": ["h"] * 9}], "too_many_highlights", "keep the 8"),
        ([{"title": "Chef", "highlights": "Ran the pass."}], "bad_value", "list of lines"),
        ([{"title": 7}], "bad_value", "the job title must be text"),
        ("Chef", "bad_roles", "Give your roles as a list of entries."),
    ],
    ids=["no-title", "long-title", "nine-highlights", "highlights-text", "number", "not-a-list"],
)
@pytest.mark.django_db
def test_the_roles_service_refuses_what_breaks_a_rule(student, roles, code, says):
    resume = ready(student)

    with pytest.raises(Refused) as refused:
        resumes.resume_set_roles(resume=resume, roles=roles)

    assert refused.value.code == code and says in refused.value.message
    resume.refresh_from_db()
    assert resume.profile == PROFILE and not resume.roles_edited


# --- The API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_replaces_the_roles_and_education(student, client_for, software):
    resume = ready(student)

    response = client_for(student).patch(
        f"/api/v1/resumes/{resume.pk}/",
        {
            "roles": [
                {
                    "title": "Platform Engineer",
                    "organisation": "Acme",
                    "highlights": ["Ran PostgreSQL in Docker."],
                }
            ],
            "education": [{"institution": "Open University", "dates": "2020"}],
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["roles_edited"], body["education_edited"], body["skills_edited"]) == (
        True,
        True,
        False,
    )
    assert "roles" not in body and "education" not in body  # read back in the profile
    role = {
        "title": "Platform Engineer",
        "organisation": "Acme",
        "start": "",
        "end": "",
        "highlights": ["Ran PostgreSQL in Docker."],
        "tools": ["PostgreSQL", "Docker"],
    }
    school = {"institution": "Open University", "qualification": "", "dates": "2020"}
    assert body["profile"]["roles"] == [role] and body["profile"]["education"] == [school]
    resume.refresh_from_db()
    assert resume.profile["roles"] == [role] and resume.profile["education"] == [school]
    assert resume.profile["skills"] == PROFILE["skills"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"roles": [{"title": "x" * 121}]}, "Ensure this field has no more than 120 characters."),
        ({"roles": [{"title": f"R{n}"} for n in range(21)]}, "no more than 20 elements"),
        ({"roles": [{"title": "Chef", "highlights": ["h"] * 9}]}, "no more than 8 elements"),
        ({"roles": [{"organisation": "Acme"}]}, "Role 1 has no job title"),
        ({"education": [{"dates": "2020"}]}, "Give the institution or the qualification."),
        ({"education": [{"institution": "U"}] * 7}, "no more than 6 elements"),
        ({"roles": "Chef"}, "Expected a list of items"),
        # Nothing is stored when one of the parts is refused.
        ({"skills": ["COBOL"], "roles": [{"organisation": "Acme"}]}, "has no job title"),
    ],
    ids=[
        "long-title",
        "21-roles",
        "nine-highlights",
        "no-title",
        "dates-only",
        "7-schools",
        "not-a-list",
        "skills-and-bad-roles",
    ],
)
@pytest.mark.django_db
def test_the_api_refuses_bad_roles_or_education_with_a_clear_message(
    student, client_for, body, says
):
    resume = ready(student)

    response = client_for(student).patch(
        f"/api/v1/resumes/{resume.pk}/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert says in response.content.decode()
    resume.refresh_from_db()
    assert resume.profile == PROFILE
    assert (resume.skills_edited, resume.roles_edited, resume.education_edited) == (
        False,
        False,
        False,
    )


@pytest.mark.django_db
def test_the_api_refuses_a_resume_not_read_yet_and_anyone_elses(
    student, second_student, client_for
):
    parsing = ready(student, Resume.Status.PARSING)
    theirs = ready(second_student)
    client = client_for(student)
    body = {"roles": [{"title": "Chef"}]}

    refused = client.patch(f"/api/v1/resumes/{parsing.pk}/", body, content_type="application/json")
    elsewhere = client.patch(f"/api/v1/resumes/{theirs.pk}/", body, content_type="application/json")

    assert refused.status_code == 400 and refused.json()["code"] == "not_ready"
    assert elsewhere.status_code == 404
    for resume in (parsing, theirs):
        resume.refresh_from_db()
        assert resume.profile == PROFILE and not resume.roles_edited


# --- Re-reading ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reread_keeps_the_corrected_roles_and_education_and_reads_the_rest_again(
    student, software
):
    upload = SimpleUploadedFile("cv.pdf", pdfs.one_column(), content_type="application/pdf")
    resume = resumes.resume_upload(user=student, upload=upload)
    resumes.resume_read(resume.pk)
    resume.refresh_from_db()
    assert resume.status == Resume.Status.READY
    read_skills = resume.skills
    resumes.resume_set_roles(resume=resume, roles=[{"title": "Chef", "organisation": "Nando's"}])
    resumes.resume_set_education(resume=resume, education=[{"institution": "Open University"}])
    resume.refresh_from_db()
    corrected = (resume.profile["roles"], resume.profile["education"])

    # Blank what the student did not correct, to see it read again.
    blanked = {**resume.profile, "name": "", "skills": []}
    Resume.objects.filter(pk=resume.pk).update(status=Resume.Status.PARSING, profile=blanked)
    resumes.resume_read(resume.pk)

    resume.refresh_from_db()
    assert resume.status == Resume.Status.READY
    assert (resume.profile["roles"], resume.profile["education"]) == corrected
    assert [r["title"] for r in corrected[0]] == ["Chef"]
    assert resume.profile["name"] == pdfs.ONE_COLUMN_FACTS["name"]  # the rest is read again
    assert resume.skills == read_skills
