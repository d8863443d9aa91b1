"""Resumes: the upload checked while the student waits, the reading in a worker (local or by the
LLM), correcting the skills, deleting; and only ever the owner's."""

from __future__ import annotations

import functools
import io
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from ai import providers
from config.celery import app as celery_app
from interviews import services
from questionbank.models import Level
from resumes import documents, selectors, tasks
from resumes import services as resumes
from resumes.models import Resume
from resumes.pdf import Inspected
from resumes.reading.resume import ResumeProfile
from resumes.reading.vocabulary import Vocabulary
from tests.ai import openai_recorded as rec
from tests.processes import needs_services
from tests.resumes import resume_pdfs as pdfs

FACTS = pdfs.ONE_COLUMN_FACTS
FACTS_ROLES = [tuple(role) for role in FACTS["roles"]]
UPLOAD_NAME = "Priya CV (final).pdf"
TITLE = "Priya CV (final)"


@functools.cache
def one_column() -> bytes:
    return pdfs.one_column()


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Stored files go to this test's own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    """Each test reads with its own bank's keywords, not a vocabulary cached by an earlier one."""
    selectors.vocabulary_reset()
    yield
    selectors.vocabulary_reset()


@pytest.fixture
def service_env(tmp_path) -> dict[str, str]:
    """The worker process stores and reads files where this test does."""
    return {"MEDIA_ROOT": str(tmp_path / "media")}


def pdf_file(data: bytes | None = None, name: str = UPLOAD_NAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, one_column() if data is None else data, content_type="application/pdf"
    )


def uploaded(user: User, name: str = UPLOAD_NAME) -> Resume:
    """A stored resume, not read yet (without a commit no task is sent)."""
    return resumes.resume_upload(user=user, upload=pdf_file(name=name))


def read(user: User) -> Resume:
    """A stored resume read as the worker reads it."""
    resume = uploaded(user)
    resumes.resume_read(resume.pk)
    resume.refresh_from_db()
    return resume


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def roles(profile: dict) -> list[tuple[str, str, str, str]]:
    return [(r["title"], r["organisation"], r["start"], r["end"]) for r in profile["roles"]]


def textarea(html: str) -> list[str]:
    found = re.search(r'<textarea name="skills"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert found, "no skills textarea on the page"
    return found.group(1).splitlines()


# --- Upload and refusals -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_pdf_uploaded_through_the_page_is_stored_under_a_name_of_its_own_and_read(
    student, client_for, software, media, eager_tasks
):
    client = client_for(student)

    response = client.post("/resumes/", {"file": pdf_file()})

    resume = Resume.objects.get(user=student)
    assert response.status_code == 302
    assert response.url == reverse("resume_detail", args=[resume.pk])
    assert re.fullmatch(rf"resumes/{student.pk}/[0-9a-f]{{32}}\.pdf", resume.file.name)
    assert "Priya" not in resume.file.name and "final" not in resume.file.name
    assert (media / resume.file.name).read_bytes() == one_column()
    assert resume.title == TITLE
    assert (resume.pages, resume.size) == (1, len(one_column()))
    assert resume.organization_id == student.organization_id
    assert (resume.status, resume.error, resume.engine) == (Resume.Status.READY, "", "local")
    assert resume.profile["name"] == FACTS["name"]
    assert roles(resume.profile) == FACTS_ROLES
    assert {"Python", "Django", "React", "PostgreSQL", "Docker"} <= set(resume.skills)

    page = client.get(response.url).content.decode()
    for title, organisation, _, _ in FACTS_ROLES:
        assert escape(title) in page and escape(organisation) in page
    assert textarea(page) == resume.skills
    assert TITLE in page
    listing = client.get("/resumes/").content.decode()
    assert TITLE in listing and reverse("resume_detail", args=[resume.pk]) in listing


@pytest.mark.django_db(transaction=True)
def test_the_api_uploads_a_resume_and_lists_only_the_owners(
    student, second_student, client_for, software, eager_tasks
):
    theirs = Resume.objects.create(
        user=second_student, file="resumes/x/theirs.pdf", title="Bob", size=1, pages=1
    )
    client = client_for(student)

    response = client.post("/api/v1/resumes/", {"file": pdf_file()})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["title"] == TITLE and body["pages"] == 1 and body["error"] == ""
    assert {"Python", "Django", "PostgreSQL"} <= set(body["skills"])
    assert body["skills"] == body["profile"]["skills"] and body["skills_edited"] is False
    assert body["file_url"] == f"http://testserver/resumes/{body['id']}/file/"
    listed = client.get("/api/v1/resumes/").json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert str(theirs.pk) not in client.get("/api/v1/resumes/").content.decode()


SIX_MB = b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024)


@pytest.mark.parametrize(
    ("make", "name", "status", "code", "says"),
    [
        (pdfs.renamed_png, "resume.pdf", 400, "not_pdf", "it looks like a PNG image"),
        (lambda: b"", UPLOAD_NAME, 400, "empty_file", "The file is empty"),
        (lambda: SIX_MB, UPLOAD_NAME, 413, "file_too_large", "at most 5 MB"),
    ],
    ids=["renamed-png", "empty", "6-mb"],
)
@pytest.mark.django_db
def test_a_file_that_cannot_be_a_pdf_resume_is_refused_at_once_and_not_kept(
    student, client_for, media, make, name, status, code, says
):
    data = make()
    client = client_for(student)

    response = client.post("/api/v1/resumes/", {"file": pdf_file(data, name)})

    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and says in body["message"]

    page = client.post("/resumes/", {"file": pdf_file(data, name)})

    html = page.content.decode()
    shown = "The submitted file is empty." if code == "empty_file" else body["message"]
    assert escape(shown) in html
    if code == "file_too_large":  # refused before the body is read: a page of its own
        assert page.status_code == 413
    else:
        assert page.status_code == 400
        assert 'aria-invalid="true"' in html
    assert not Resume.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("make", "code", "says"),
    [
        (pdfs.truncated_pdf, "corrupt_pdf", "damaged or incomplete"),
        (pdfs.encrypted_pdf, "encrypted", "protected by a password"),
        (pdfs.thirty_pages, "too_many_pages", "has 30 pages"),
        (pdfs.image_only, "no_text", "looks like a scan"),
        (pdfs.flate_bomb, "too_complex", "far bigger inside than a resume needs"),
    ],
    ids=["truncated", "encrypted", "thirty-pages", "image-only", "flate-bomb"],
)
@pytest.mark.django_db(transaction=True)
def test_a_pdf_the_worker_cannot_read_is_refused_on_the_resume_with_its_reason(
    student, client_for, media, make, code, says, eager_tasks
):
    client = client_for(student)

    response = client.post("/api/v1/resumes/", {"file": pdf_file(make(), UPLOAD_NAME)})

    assert response.status_code == 201  # stored at once; opening it is the worker's
    body = response.json()
    assert body["status"] == "failed" and says in body["error"]
    assert body["pages"] == 0 and body["profile"] == {}
    page = client.get(f"/resumes/{body['id']}/").content.decode()
    assert escape(body["error"]) in page
    assert "/retry/" not in page  # reading it again would refuse it again
    assert len(stored_files(media)) == 1  # the student sees why, and deletes it


@pytest.mark.django_db
def test_a_post_without_a_file_is_refused(student, client_for, media):
    client = client_for(student)

    response = client.post("/api/v1/resumes/", {})

    assert response.status_code == 400
    assert response.json()["code"] == "no_file"
    page = client.post("/resumes/", {})
    assert page.status_code == 400 and "This field is required." in page.content.decode()
    assert not Resume.objects.exists() and stored_files(media) == []


class Unreadable(io.RawIOBase):
    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the request body was read")

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        raise AssertionError("the request body was read")


@pytest.mark.parametrize("path", ["/api/v1/resumes/", "/api/v1/resumes.json"])
@pytest.mark.django_db
def test_a_body_announced_far_over_the_limit_is_refused_before_it_is_read(
    student, client_for, media, path
):
    response = client_for(student).generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=rehearse",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert "50.0 MB" in response.json()["message"]
    assert not Resume.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/interviews/", "/nowhere/"])
@pytest.mark.django_db
def test_any_other_body_over_the_site_limit_is_refused_before_it_is_read(client, path, settings):
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@pytest.mark.django_db
def test_the_page_refuses_a_body_far_over_the_limit_before_the_csrf_check_reads_it(student, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    page = client.generic(
        "POST",
        "/resumes/",
        CONTENT_TYPE="multipart/form-data; boundary=rehearse",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )

    assert page.status_code == 413
    assert "a resume can be at most 5 MB" in page.content.decode()
    assert not Resume.objects.exists()


@pytest.mark.django_db
def test_the_sweep_sends_again_the_reading_of_a_resume_whose_task_was_lost(
    student, media, settings, monkeypatch
):
    from django.utils import timezone

    resume = Resume.objects.create(
        user=student, file=f"resumes/{student.pk}/x.pdf", title="CV", size=1, pages=1
    )
    sent: list[str] = []
    monkeypatch.setattr(tasks.read_resume, "delay", sent.append)

    assert tasks.sweep_stalled() == 0  # just uploaded: its task may still be queued

    stale = timezone.now() - timedelta(seconds=settings.INTERVIEW_STALL_SECONDS + 1)
    Resume.objects.filter(pk=resume.pk).update(updated_at=stale)
    assert tasks.sweep_stalled() == 1
    assert sent == [str(resume.pk)]


@pytest.mark.django_db
def test_the_21st_resume_is_refused(student, client_for, media):
    Resume.objects.bulk_create(
        Resume(
            user=student, file=f"resumes/{student.pk}/old{n}.pdf", title=f"Old {n}", size=1, pages=1
        )
        for n in range(resumes.MAX_RESUMES)
    )
    client = client_for(student)

    response = client.post("/api/v1/resumes/", {"file": pdf_file()})

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_resumes"
    assert "20 resumes" in response.json()["message"]
    page = client.post("/resumes/", {"file": pdf_file()})
    assert page.status_code == 400 and "20 resumes" in page.content.decode()
    assert Resume.objects.filter(user=student).count() == resumes.MAX_RESUMES
    assert stored_files(media) == []


# --- Owners only ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_elses_resume_is_a_404_on_every_page_and_in_the_api(
    student, second_student, client_for, media
):
    theirs = uploaded(second_student, "Bob secret CV.pdf")
    Resume.objects.filter(pk=theirs.pk).update(status=Resume.Status.FAILED, error="x")
    client = client_for(student)
    page = f"/resumes/{theirs.pk}/"
    api = f"/api/v1/resumes/{theirs.pk}/"

    assert client.get(page).status_code == 404
    assert client.post(page, {"skills": "COBOL"}).status_code == 404
    assert client.get(f"{page}file/").status_code == 404
    assert client.post(f"{page}delete/").status_code == 404
    assert client.post(f"{page}retry/").status_code == 404
    assert client.get(api).status_code == 404
    patch = client.patch(api, {"skills": ["COBOL"]}, content_type="application/json")
    assert patch.status_code == 404
    assert client.delete(api).status_code == 404
    assert client.post(f"{api}retry/").status_code == 404
    assert "Bob secret CV" not in client.get("/resumes/").content.decode()

    after = Resume.objects.get(pk=theirs.pk)
    assert (after.status, after.skills_edited, after.skills) == (Resume.Status.FAILED, False, [])
    assert (media / after.file.name).exists()


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in_and_the_api_refuses(client, student):
    resume = uploaded(student)
    login = reverse("account_login")
    for url in (
        "/resumes/",
        f"/resumes/{resume.pk}/",
        f"/resumes/{resume.pk}/file/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(f"{login}?next=")
    for url in (f"/resumes/{resume.pk}/delete/", f"/resumes/{resume.pk}/retry/"):
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(f"{login}?next=")
    api = f"/api/v1/resumes/{resume.pk}/"
    assert client.get("/api/v1/resumes/").status_code == 401
    assert client.post("/api/v1/resumes/", {"file": pdf_file()}).status_code == 401
    assert client.get(api).status_code == 401
    assert client.delete(api).status_code == 401
    assert Resume.objects.filter(user=student).count() == 1


@pytest.mark.django_db
def test_the_file_is_served_to_its_owner_as_a_pdf_under_its_title(student, client_for):
    resume = read(student)

    response = client_for(student).get(f"/resumes/{resume.pk}/file/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{TITLE}.pdf"'
    assert b"".join(response.streaming_content) == one_column()
    response.close()


@pytest.mark.parametrize(
    "make", [pdfs.javascript_pdf, pdfs.html_polyglot], ids=["javascript", "html-polyglot"]
)
@pytest.mark.django_db
def test_a_pdf_with_scripts_or_html_is_only_ever_served_as_a_download(student, client_for, make):
    resume = resumes.resume_upload(user=student, upload=pdf_file(make()))
    client = client_for(student)

    unread = client.get(f"/resumes/{resume.pk}/file/")  # not checked yet: a download too
    resumes.resume_read(resume.pk)
    resume.refresh_from_db()
    served = client.get(f"/resumes/{resume.pk}/file/")

    assert unread["Content-Disposition"].startswith("attachment;")
    assert resume.status == Resume.Status.READY and resume.active_content
    assert served["Content-Disposition"] == f'attachment; filename="{TITLE}.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "download the PDF" in client.get(f"/resumes/{resume.pk}/").content.decode()
    assert client.get(f"/api/v1/resumes/{resume.pk}/").json()["active_content"] is True
    clean = read(student)
    assert not clean.active_content
    assert client.get(f"/resumes/{clean.pk}/file/")["Content-Disposition"].startswith("inline;")
    unread.close()
    served.close()


# --- Reading in the worker -----------------------------------------------------------------------


def _cannot_read(data: bytes) -> Inspected:
    raise RuntimeError("the reading process could not be started")


@pytest.mark.django_db(transaction=True)
def test_a_resume_whose_text_cannot_be_read_fails_with_a_message_and_retry_reads_it(
    student, client_for, software, monkeypatch, eager_tasks
):
    client = client_for(student)
    with monkeypatch.context() as patch:
        patch.setattr(documents, "read", _cannot_read)
        by_page = client.post("/resumes/", {"file": pdf_file()})
        by_api = client.post("/api/v1/resumes/", {"file": pdf_file()})

    resume = Resume.objects.get(pk=by_page.url.split("/")[-2])
    assert (resume.status, resume.error) == (Resume.Status.FAILED, resumes.READ_FAILED)
    page = client.get(by_page.url).content.decode()
    assert escape(resumes.READ_FAILED) in page
    assert f'action="/resumes/{resume.pk}/retry/"' in page
    assert by_api.status_code == 201
    assert by_api.json()["status"] == "failed" and by_api.json()["error"] == resumes.READ_FAILED

    retried = client.post(f"/resumes/{resume.pk}/retry/")

    assert retried.status_code == 302 and retried.url == by_page.url
    resume.refresh_from_db()
    assert (resume.status, resume.error) == (Resume.Status.READY, "")
    assert roles(resume.profile) == FACTS_ROLES
    assert escape(resumes.READ_FAILED) not in client.get(by_page.url).content.decode()

    retried = client.post(f"/api/v1/resumes/{by_api.json()['id']}/retry/")

    assert retried.status_code == 200
    assert (retried.json()["status"], retried.json()["error"]) == ("ready", "")
    assert retried.json()["profile"]["name"] == FACTS["name"]


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_tasks")  # the failure is recorded by a task of its own
def test_a_read_that_fails_for_good_marks_the_resume_failed(student, software, monkeypatch):
    by_args, by_kwargs, in_task = uploaded(student), uploaded(student), uploaded(student)

    error = RuntimeError("the database went away")
    tasks.read_resume.on_failure(error, "task-1", [str(by_args.pk)], {}, None)
    tasks.read_resume.on_failure(error, "task-2", (), {"resume_id": str(by_kwargs.pk)}, None)

    calls: list[str] = []

    def broken(markdown: str, vocabulary: Vocabulary) -> ResumeProfile:
        calls.append(markdown)
        raise error

    monkeypatch.setattr(resumes, "read_resume", broken)
    result = tasks.read_resume.apply(args=[str(in_task.pk)])

    assert result.failed()
    assert len(calls) == 1 + tasks.read_resume.max_retries  # retried, then given up
    for resume in (by_args, by_kwargs, in_task):
        resume.refresh_from_db()
        assert (resume.status, resume.error) == (Resume.Status.FAILED, resumes.READ_FAILED)


@pytest.mark.django_db
def test_a_deleted_resumes_pending_read_does_nothing_and_a_ready_one_is_not_read_twice(
    student, software, monkeypatch
):
    gone = uploaded(student)
    Resume.objects.filter(pk=gone.pk).delete()
    resumes.resume_read(gone.pk)  # returns quietly
    assert tasks.read_resume.apply(args=[str(gone.pk)]).successful()
    assert tasks.read_resume.apply(args=[str(uuid.uuid4())]).successful()
    assert not Resume.objects.exists()

    resume = read(student)
    assert resume.status == Resume.Status.READY
    monkeypatch.setattr(documents, "read", _cannot_read)

    resumes.resume_read(resume.pk)
    resumes.resume_retry(resume=resume)  # a ready resume is not read again

    again = Resume.objects.get(pk=resume.pk)
    assert (again.status, again.profile, again.markdown) == (
        Resume.Status.READY,
        resume.profile,
        resume.markdown,
    )


@needs_services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_reads_an_uploaded_resume(student, client_for, software, worker, media):
    assert not celery_app.conf.task_always_eager

    response = client_for(student).post("/api/v1/resumes/", {"file": pdf_file()})

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "parsing"
    deadline = time.monotonic() + 30
    resume = Resume.objects.get(pk=response.json()["id"])
    while resume.status == Resume.Status.PARSING and time.monotonic() < deadline:
        time.sleep(0.2)
        resume.refresh_from_db()
    assert (resume.status, resume.error) == (Resume.Status.READY, "")
    assert resume.profile["name"] == FACTS["name"]
    assert roles(resume.profile) == FACTS_ROLES
    assert {"Python", "Django", "PostgreSQL"} <= set(resume.skills)
    assert (media / resume.file.name).read_bytes() == one_column()


# --- Correcting and deleting ---------------------------------------------------------------------

# Under the bank's names (its keyword is "stakeholder management"), or as typed if it has none.
TYPED = "Python, postgres\nStakeholder management;  Beekeeping."
CORRECTED = ["Python", "PostgreSQL", "stakeholder management", "Beekeeping"]


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.django_db
def test_corrected_skills_are_kept_under_the_banks_names_and_survive_a_reread(
    student, client_for, software, via
):
    resume = read(student)
    client = client_for(student)

    if via == "page":
        response = client.post(f"/resumes/{resume.pk}/", {"skills": TYPED})
        assert response.status_code == 302 and response.url == f"/resumes/{resume.pk}/"
        page = client.get(response.url).content.decode()
        assert textarea(page) == CORRECTED
        assert "Your skills are saved." in page and "(you have edited it)" in page
    else:
        response = client.patch(
            f"/api/v1/resumes/{resume.pk}/",
            {"skills": ["Python", " postgres ", "Stakeholder management", "python", "Beekeeping"]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["skills"] == CORRECTED
        assert response.json()["skills_edited"] is True

    resume.refresh_from_db()
    assert resume.skills == CORRECTED and resume.skills_edited
    assert roles(resume.profile) == FACTS_ROLES  # the rest of the reading is untouched

    Resume.objects.filter(pk=resume.pk).update(status=Resume.Status.FAILED)
    assert resumes.resume_retry(resume=resume).status == Resume.Status.PARSING
    resumes.resume_read(resume.pk)

    resume.refresh_from_db()
    assert resume.status == Resume.Status.READY
    assert resume.skills == CORRECTED and resume.skills_edited
    assert roles(resume.profile) == FACTS_ROLES


@pytest.mark.django_db
def test_skills_cannot_be_corrected_on_the_page_before_the_resume_is_read(student, client_for):
    resume = uploaded(student)

    response = client_for(student).post(f"/resumes/{resume.pk}/", {"skills": "Python"})

    assert response.status_code == 200
    assert "Wait until the resume has been read" in response.content.decode()
    resume.refresh_from_db()
    assert resume.skills == [] and not resume.skills_edited


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.django_db
def test_deleting_a_resume_removes_its_file_and_its_interviews_keep_their_copy(
    student, client_for, software, media, django_capture_on_commit_callbacks, via
):
    resume = read(student)
    interview = services.interview_create(
        user=student,
        track=software,
        level=Level.MID,
        interview_type="mixed",
        num_questions=3,
        resume=resume.pk,
    )
    assert interview.resume_id == resume.pk and interview.resume_profile == resume.profile
    client = client_for(student)

    with django_capture_on_commit_callbacks(execute=True):
        if via == "page":
            response = client.post(f"/resumes/{resume.pk}/delete/")
            assert response.status_code == 302 and response.url == "/resumes/"
        else:
            response = client.delete(f"/api/v1/resumes/{resume.pk}/")
            assert response.status_code == 204
        assert (media / resume.file.name).exists()  # until the deletion is committed

    assert not Resume.objects.filter(pk=resume.pk).exists()
    assert stored_files(media) == []
    interview.refresh_from_db()
    assert interview.resume is None
    assert interview.resume_profile == resume.profile
    assert interview.resume_profile["name"] == FACTS["name"]
    if via == "page":
        assert f"“{TITLE}” is deleted." in client.get("/resumes/").content.decode()


# --- The LLM reading -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_the_provider_on_the_models_reading_is_used_under_the_banks_names(
    student, client_for, software, provider, settings
):
    resume = read(student)

    assert (resume.status, resume.engine, resume.fallback) == (Resume.Status.READY, "openai", "")
    assert roles(resume.profile) == [
        ("Backend Engineering Intern", "Acme Payments", "Jun 2023", "Aug 2024")
    ]
    assert resume.profile["roles"][0]["tools"] == ["PostgreSQL", "MySQL", "Django"]
    # The model's skills under the bank's names, then those the local reading found besides.
    assert resume.skills[:5] == ["Python", "PostgreSQL", "Django", "Docker", "Stakeholder updates"]
    assert {"React", "TypeScript", "GitHub Actions"} <= set(resume.skills)
    assert "Postgres" not in resume.skills
    assert len(resume.skills) == len({s.lower() for s in resume.skills})

    [body] = provider.bodies("resume")
    assert body["model"] == settings.LLM_FAST_MODEL
    sent = body["messages"][1]["content"]
    assert sent.startswith("<resume>\n") and sent.endswith("\n</resume>")
    assert "Priya Raman" in sent and "Acme Payments" in sent
    assert sent.count("<") == 2  # the Markdown's own tags (<u>) cannot open or close one

    page = client_for(student).get(f"/resumes/{resume.pk}/").content.decode()
    assert "Backend Engineering Intern" in page and "Student Software Developer" not in page
    assert "Read by the built-in reader" not in page


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        ([rec.error(500)] * 3, "the provider answered HTTP 500"),
        ([rec.timeout], "the provider timed out"),
        (
            [rec.completion('{"name": "Priya Raman", "roles": [')],
            "unusable reply (reply was not JSON)",
        ),
    ],
    ids=["500", "timeout", "malformed-json"],
)
@pytest.mark.django_db
def test_when_the_provider_fails_the_local_reading_is_kept_and_the_page_says_why(
    student, client_for, software, provider, settings, replies, reason
):
    if replies == [rec.timeout]:
        settings.LLM_MAX_RETRIES = 0  # a timeout is retried with backoff: no need to wait here
        providers.reset()
    provider.then("resume", *replies)

    resume = read(student)

    assert (resume.status, resume.engine, resume.fallback) == (Resume.Status.READY, "local", reason)
    assert roles(resume.profile) == FACTS_ROLES
    assert {"Python", "Django", "PostgreSQL"} <= set(resume.skills)
    page = client_for(student).get(f"/resumes/{resume.pk}/").content.decode()
    assert f"the AI provider was not available ({escape(reason)})" in page


@pytest.mark.django_db
def test_the_students_coach_reads_the_resume_without_the_forms_and_others_get_404(
    student, coach, coached_cohort, organization, client_for
):
    from accounts.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    resume = Resume.objects.create(
        user=student,
        file="resumes/x/alice.pdf",
        title="Alice CV",
        size=1,
        pages=1,
        status=Resume.Status.READY,
        profile={"skills": ["Python"]},
    )
    page = client_for(coach).get(reverse("resume_detail", args=[resume.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Python" in text and "Delete this resume" not in text and "<textarea" not in text
    # A coach reads it; they do not change it.
    posted = client_for(coach).post(reverse("resume_detail", args=[resume.pk]), {"skills": "X"})
    assert posted.status_code == 404
    assert client_for(coach).post(reverse("resume_delete", args=[resume.pk])).status_code == 404
    elsewhere = UserFactory.create()
    MembershipFactory(user=elsewhere, organization=organization, role=Membership.Role.COACH)
    client = client_for(elsewhere)
    assert client.get(reverse("resume_detail", args=[resume.pk])).status_code == 404
    assert client.get(reverse("resume_file", args=[resume.pk])).status_code == 404
    resume.refresh_from_db()
    assert resume.skills == ["Python"]


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_upload_returns_at_once_and_a_thread_reads_it(
    student, client_for, software, settings, eager_tasks
):
    settings.RESUMES_READ_IN_THREAD = True  # the embedded default (`make run`)

    response = client_for(student).post("/api/v1/resumes/", {"file": pdf_file()})

    assert response.status_code == 201
    assert response.json()["status"] == "parsing"  # not read in the request
    resume = Resume.objects.get(pk=response.json()["id"])
    deadline = time.monotonic() + 30
    while resume.status == Resume.Status.PARSING and time.monotonic() < deadline:
        time.sleep(0.1)
        resume.refresh_from_db()
    assert resume.status == Resume.Status.READY
    assert resume.profile["name"] == FACTS["name"] and resume.pages == 1
