"""A student's data rights: the export opened file by file, the erasure of the account (every
row with a key to the user, every file, every mention), deleting one interview, retention, and
the log of staff reads."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts import privacy
from accounts.models import AccessRecord, DataExport, Invitation, User
from accounts.tasks import delete_expired_exports
from chat import services as chat
from interviews import recordings, services
from interviews.models import Answer, Interview
from interviews.state import State
from interviews.tasks import delete_expired
from reports import analytics
from reports.models import Review, ScoreTally
from reports.reviews import AnswerRating, review_save
from resumes import services as resumes
from tests.resumes import resume_pdfs as pdfs
from tests.voice.audio_samples import tone, wav, webm

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

PASSWORD = "a-Long-passw0rd-of-alice"
TYPED = "I profiled the checkout with py-spy and found the N+1 query behind the slow page."
SPOKEN = "In my last internship I cut the build from nine minutes to three by caching wheels."
REVIEW = "Good instinct to profile first; name the numbers next time."
ASKED = "How do I use the STAR method for my Zephyrine Labs internship story?"


@pytest.fixture(autouse=True)
def _browser_words_only(settings):
    settings.STT_PROVIDER = "none"  # the recordings are tones: the browser's words are the answer


@pytest.fixture(scope="module")
def recording() -> bytes:
    return webm(wav(tone(3)))


@pytest.fixture(scope="module")
def resume_pdf() -> bytes:
    return pdfs.one_column()


@pytest.fixture
def alice(
    student, coach, coached_cohort, finished_interview, make_interview, recording, resume_pdf
):
    """A student with something of every kind: a typed interview with its report and a coach's
    review, a spoken answer kept, a resume, adjustments, an accepted invitation, a token, a
    signed-in session, and a read of her work by her coach."""
    student.set_password(PASSWORD)
    student.save()
    assert EmailAddress.objects.filter(user=student).exists()  # the factory made her address
    typed = finished_interview(student, answer=TYPED)
    review_save(
        by=coach,
        interview_id=typed.pk,
        comment=REVIEW,
        answers=[AnswerRating(turn=1, rating=4, comment="Clear.")],
    )
    spoken = make_interview(student, answer_mode=Interview.AnswerMode.VOICE)
    services.interview_start(interview_id=spoken.pk, user=student)
    recordings.audio_answer_submit(
        interview_id=spoken.pk,
        user=student,
        client_id="r1",
        recording=io.BytesIO(recording),
        browser_transcript=SPOKEN,
    )
    resumes.resume_upload(
        user=student,
        upload=SimpleUploadedFile("Alice CV.pdf", resume_pdf, content_type="application/pdf"),
    )
    services.interview_read_log(viewer=coach, interview=typed, what=AccessRecord.What.REPORT)
    Invitation.objects.create(
        organization=typed.organization, email="ALICE@example.com", accepted_at=timezone.now()
    )
    Token.objects.create(user=student)
    Client().login(email=student.email, password=PASSWORD)
    chat.message_send(user=student, text=ASKED)
    return student


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# --- Export -----------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_student_file_by_file(
    alice, client_for, recording, resume_pdf
):
    api = client_for(alice)
    asked = api.get("/api/v1/me/export/")
    assert asked.status_code == 202
    assert asked.json()["status"] == "building"
    archive = _zip(api.get("/api/v1/me/export/"))
    names = archive.namelist()

    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == alice.email
    assert profile["career_centre"]["name"] == "Northbridge Careers"
    assert profile["cohorts"] == ["MSc Data Science 2027"]
    log = json.loads(archive.read("access-log.json"))
    assert [(r["viewer_role"], r["what"]) for r in log] == [("Coach", "report")]

    interviews = {
        json.loads(archive.read(n))["answers"]: n for n in names if n.endswith("interview.json")
    }
    assert set(interviews) == {"Typed answers", "Spoken answers"}
    typed_folder = interviews["Typed answers"].removesuffix("interview.json")
    typed = json.loads(archive.read(interviews["Typed answers"]))
    answered = [t for t in typed["turns"] if t["answer"]]
    assert answered[0]["answer"]["text"] == TYPED
    assert answered[0]["evaluation"]["overall"] >= 0
    assert any(e["type"] == "question" for e in typed["events"])
    report = json.loads(archive.read(f"{typed_folder}report.json"))
    assert 0 <= report["overall"] <= 100 and report["questions"]
    assert archive.read(f"{typed_folder}report.pdf").startswith(b"%PDF-")
    reviews = json.loads(archive.read(f"{typed_folder}reviews.json"))
    assert reviews[0]["comment"] == REVIEW and reviews[0]["answers"][0]["rating"] == 4

    spoken_folder = interviews["Spoken answers"].removesuffix("interview.json")
    spoken = json.loads(archive.read(interviews["Spoken answers"]))
    answer = next(t["answer"] for t in spoken["turns"] if t["answer"])
    assert answer["text"] == SPOKEN
    assert archive.read(f"{spoken_folder}recordings/{answer['recording']}") == recording

    [reading] = [n for n in names if n.startswith("resumes/") and n.endswith("reading.json")]
    assert json.loads(archive.read(reading))["title"] == "Alice CV"
    assert archive.read(reading.replace("reading.json", "Alice_CV.pdf")) == resume_pdf
    assert "README.txt" in names


def test_the_export_is_the_owners_only_and_expires(alice, second_student, client_for, settings):
    privacy.export_request(user=alice)
    export = DataExport.objects.get(user=alice)
    assert export.status == DataExport.Status.READY
    assert export.expires_at and export.ready_at
    assert export.expires_at - export.ready_at == timedelta(days=7)
    url = reverse("export_download", args=[export.pk])
    assert client_for(second_student).get(url).status_code == 404
    assert client_for(alice).get(url).status_code == 200
    # Another user's API export is their own, never hers.
    theirs = _zip(_ready(client_for(second_student)))
    assert json.loads(theirs.read("profile.json"))["email"] == second_student.email

    stored = Path(settings.MEDIA_ROOT) / export.file.name
    assert stored.is_file()
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client_for(alice).get(url)
    assert expired.status_code == 302 and expired["Location"].endswith("#your-data")
    assert delete_expired_exports() >= 1
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not stored.exists()


def _ready(api: Client):
    api.get("/api/v1/me/export/")
    return api.get("/api/v1/me/export/")


def test_asking_twice_while_it_is_built_gives_the_same_export(student):
    from config.celery import app

    app.conf.task_always_eager = False  # no worker builds it here: it stays `building`
    try:
        first = privacy.export_request(user=student)
        second = privacy.export_request(user=student)
    finally:
        app.conf.task_always_eager = True
    assert first.pk == second.pk
    assert DataExport.objects.filter(user=student).count() == 1


def test_a_failed_export_says_so_and_keeps_no_file(student, monkeypatch, settings, client_for):
    def broken(user):
        raise OSError("disk full")

    monkeypatch.setattr(privacy, "_profile", broken)
    privacy.export_request(user=student)
    export = DataExport.objects.get(user=student)
    assert export.status == DataExport.Status.FAILED and not export.file
    assert "could not be gathered" in export.error
    assert not _files(Path(settings.MEDIA_ROOT) / "exports")
    page = client_for(student).get(reverse("profile")).content.decode()
    assert "could not be gathered" in page and "Prepare a copy of my data" in page


# --- Erasure ----------------------------------------------------------------------------------


def _rows_of(user_id: int) -> dict[str, int]:
    """Every row, in every model, that points at the user by a foreign key or a many-to-many."""
    found: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model is User):
                continue
            # Auto-created many-to-many tables are models here too, with a key to the user.
            count = model.objects.filter(**{field.name: user_id}).count()
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


def _mentions(*needles: str) -> list[str]:
    """The models whose rows, serialised, still mention any of the needles."""
    found = []
    for model in apps.get_models():
        if model._meta.label in ("sessions.Session", "contenttypes.ContentType", "auth.Permission"):
            continue
        dumped = serializers.serialize("json", model.objects.all())
        found += [f"{model._meta.label}: {n}" for n in needles if n.lower() in dumped.lower()]
    return found


def test_erasing_the_account_leaves_no_row_no_file_and_no_mention_of_the_student(
    alice, second_student, coach, coached_cohort, client_for, settings, resume_pdf
):
    media = Path(settings.MEDIA_ROOT)
    resumes.resume_upload(
        user=second_student,
        upload=SimpleUploadedFile("Bob CV.pdf", resume_pdf, content_type="application/pdf"),
    )
    privacy.export_request(user=alice)
    before = _files(media)
    theirs = {p for p in before if f"resumes/{second_student.pk}/" in p.as_posix()}
    assert _rows_of(alice.pk) and len(before) > len(theirs) >= 1
    assert Session.objects.count() == 1
    interview_ids = list(Interview.objects.filter(user=alice).values_list("pk", flat=True))

    api = client_for(alice)
    wrong = api.delete("/api/v1/me/", {"password": "not it"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    assert User.objects.filter(pk=alice.pk).exists() and _files(media) == before

    gone = api.delete("/api/v1/me/", {"password": PASSWORD}, content_type="application/json")
    assert gone.status_code == 204
    assert _rows_of(alice.pk) == {}
    assert _files(media) == theirs
    assert _mentions(alice.email, "Alice Student", TYPED, SPOKEN, REVIEW, ASKED) == []
    assert not Interview.objects.filter(pk__in=interview_ids).exists()
    assert Session.objects.count() == 0
    # Her token no longer works; the coach's account and the cohort are untouched.
    assert api.get("/api/v1/interviews/").status_code in (401, 403)
    assert User.objects.filter(pk=coach.pk).exists()
    # The cohort's score distribution still counts her finished interview, anonymously.
    counted = analytics.cohort_analytics(coached_cohort).scores
    assert sum(sum(bands.values()) for bands in counted.values()) == 1
    assert ScoreTally.objects.get(cohort=coached_cohort).count == 1


def test_a_career_centres_last_administrator_is_asked_to_hand_over_first(org_admin, client_for):
    org_admin.set_password(PASSWORD)
    org_admin.save()
    answer = client_for(org_admin).delete(
        "/api/v1/me/", {"password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 409 and answer.json()["code"] == "last_admin"
    assert User.objects.filter(pk=org_admin.pk).exists()


def test_the_page_deletes_the_account_only_after_signing_in_again(alice):
    browser = Client()
    browser.force_login(alice)
    page = browser.get(reverse("account_delete"))
    assert page.status_code == 302 and "reauthenticate" in page["Location"]
    assert User.objects.filter(pk=alice.pk).exists()
    again = browser.post(page["Location"], {"password": PASSWORD})
    assert again.status_code == 302
    confirm = browser.get(reverse("account_delete"))
    assert confirm.status_code == 200 and b"cannot be undone" in confirm.content
    done = browser.post(reverse("account_delete"))
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert not User.objects.filter(pk=alice.pk).exists()
    assert browser.get(reverse("profile")).status_code == 302  # signed out


# --- One interview ----------------------------------------------------------------------------


def test_a_student_deletes_one_interview_with_its_recording_and_no_one_else_can(
    alice, second_student, coach, client_for, settings
):
    spoken = Interview.objects.get(user=alice, answer_mode=Interview.AnswerMode.VOICE)
    typed = Interview.objects.get(user=alice, answer_mode=Interview.AnswerMode.TEXT)
    recording = Path(settings.MEDIA_ROOT) / Answer.objects.get(interview=spoken).audio.name
    assert recording.is_file()
    for other in (second_student, coach):
        assert client_for(other).delete(f"/api/v1/interviews/{spoken.pk}/").status_code == 404
    assert client_for(alice).delete(f"/api/v1/interviews/{spoken.pk}/").status_code == 204
    assert not Interview.objects.filter(pk=spoken.pk).exists()
    assert not recording.exists()
    assert Interview.objects.filter(pk=typed.pk).exists()
    # From the history page too, and her coach's review goes with it.
    page = client_for(alice).post(reverse("interview_delete", args=[typed.pk]))
    assert page.status_code == 302
    assert not Review.objects.exists()


def test_an_interview_a_worker_is_on_is_not_deleted_under_it(alice, client_for):
    interview = Interview.objects.get(user=alice, answer_mode=Interview.AnswerMode.TEXT)
    Interview.objects.filter(pk=interview.pk).update(state=State.GENERATING_REPORT)
    answer = client_for(alice).delete(f"/api/v1/interviews/{interview.pk}/")
    assert answer.status_code == 409 and answer.json()["code"] == "busy"
    assert Interview.objects.filter(pk=interview.pk).exists()


# --- Retention --------------------------------------------------------------------------------


def test_retention_deletes_interviews_untouched_past_their_centres_limit(
    student, organization, finished_interview, settings
):
    organization.interview_retention_days = 30
    organization.save()
    old, recent = finished_interview(student), finished_interview(student)
    Interview.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=31))
    Interview.objects.filter(pk=recent.pk).update(updated_at=timezone.now() - timedelta(days=29))
    loner = User.objects.create_user(email="solo@example.com")
    own = finished_interview(loner)
    Interview.objects.filter(pk=own.pk).update(updated_at=timezone.now() - timedelta(days=400))

    assert delete_expired() == 1  # the site's default (0) keeps the student on her own's
    assert set(Interview.objects.values_list("pk", flat=True)) == {recent.pk, own.pk}
    settings.INTERVIEW_RETENTION_DAYS = 365
    assert delete_expired() == 1
    assert list(Interview.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_organisation_page_sets_retention_and_an_older_page_keeps_it(
    org_admin, organization, client_for
):
    admin = client_for(org_admin)
    fields = {
        "show_readiness_verdict": "on",
        "audio_retention_days": 30,
        "think_time_seconds": 3,
        "answer_pause_seconds": 5,
    }
    too_short = admin.post(reverse("organization"), {**fields, "interview_retention_days": 7})
    assert too_short.status_code == 200 and b"greater than or equal to 30" in too_short.content
    admin.post(reverse("organization"), {**fields, "interview_retention_days": 180})
    organization.refresh_from_db()
    assert organization.interview_retention_days == 180
    admin.post(reverse("organization"), fields)  # a page from before the setting existed
    organization.refresh_from_db()
    assert organization.interview_retention_days == 180
    admin.post(reverse("organization"), {**fields, "interview_retention_days": ""})
    organization.refresh_from_db()
    assert organization.interview_retention_days is None


# --- The access log ---------------------------------------------------------------------------


def test_staff_reads_are_logged_for_the_student_and_the_centres_admins_only(
    student, coach, org_admin, other_admin, coached_cohort, finished_interview, client_for
):
    interview = finished_interview(student)
    client_for(student).get(reverse("report", args=[interview.pk]))
    assert not AccessRecord.objects.exists()  # her own reads are hers

    client_for(coach).get(reverse("report", args=[interview.pk]))
    client_for(coach).get(f"/api/v1/interviews/{interview.pk}/report.pdf")
    client_for(org_admin).get(reverse("student_detail", args=[student.pk]))
    reads = list(AccessRecord.objects.order_by("at").values_list("viewer_role", "what"))
    assert reads == [("Coach", "report"), ("Coach", "report_pdf"), ("Administrator", "student")]

    profile = client_for(student).get(reverse("profile")).content.decode()
    assert "Who has read your work" in profile and "carol@example.com" in profile
    own = client_for(student).get("/api/v1/me/access-log/").json()
    assert [r["what"] for r in own["results"]] == ["student", "report_pdf", "report"]
    admins = client_for(org_admin).get(reverse("organization")).content.decode()
    assert "Alice Student" in admins and "Interview report (PDF)" in admins
    assert admins.count('id="access-log"') == 1  # once, in the page, not in its title
    assert (
        client_for(other_admin)
        .get(reverse("organization"))
        .content.decode()
        .count("carol@example.com")
        == 0
    )
    assert client_for(coach).get("/api/v1/me/access-log/").json()["results"] == []


def test_site_staff_reading_an_interview_in_the_admin_is_logged(
    student, site_staff, finished_interview, client_for
):
    interview = finished_interview(student)
    answer = Answer.objects.get(interview=interview)
    staff = client_for(site_staff)
    assert (
        staff.get(reverse("admin:interviews_interview_change", args=[interview.pk])).status_code
        == 200
    )
    assert staff.get(reverse("admin:interviews_answer_change", args=[answer.pk])).status_code == 200
    reads = list(AccessRecord.objects.values_list("viewer_role", "what", "student_id"))
    assert reads == [("Site staff", "interview", student.pk)] * 2
