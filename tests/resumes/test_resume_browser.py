"""A student's resume and a job advert in a real browser, end to end: upload the PDF, see it read,
set up an interview with both, and be asked about their own work.

Daphne and a Celery worker run as separate processes on the test database (PostgreSQL, Redis);
headless Chromium from Debian is driven by Playwright.
"""

from __future__ import annotations

import pytest

from interviews.models import Interview
from resumes.models import Resume
from tests.browser import log_in, needs_chromium
from tests.processes import needs_services
from tests.resumes import resume_pdfs

pytestmark = [pytest.mark.django_db(transaction=True), needs_services, needs_chromium]

ADVERT = """Junior Backend Engineer

We are looking for a graduate backend engineer to join our payments team.

Requirements
- Python and Django
- PostgreSQL and SQL
- Docker

Nice to have
- Kubernetes
"""


@pytest.fixture
def service_env(tmp_path):
    """Daphne and the worker keep uploads in this test's own directory."""
    return {"MEDIA_ROOT": str(tmp_path / "media")}


def test_a_student_uploads_a_resume_and_is_interviewed_about_it(
    student, software, worker, daphne, browser, settings, tmp_path
):
    resume_file = tmp_path / "Priya Raman CV.pdf"
    resume_file.write_bytes(resume_pdfs.one_column())
    not_a_pdf = tmp_path / "photo.pdf"
    not_a_pdf.write_bytes(resume_pdfs.renamed_png())

    page = browser.new_page()
    page.set_default_timeout(20_000)
    log_in(page, daphne, student, settings)

    # A renamed photo is refused with an explanation, and nothing is kept.
    page.goto(f"{daphne.url}/resumes/")
    page.set_input_files("input[name=file]", str(not_a_pdf))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=it looks like a PNG image")
    assert not Resume.objects.exists()

    # The real one is read by the worker; the page refreshes itself until it is.
    page.set_input_files("input[name=file]", str(resume_file))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Backend Engineering Intern", timeout=40_000)
    assert page.locator("textarea[name=skills]").input_value().splitlines()[:3] == [
        "Python",
        "JavaScript",
        "TypeScript",
    ]
    resume = Resume.objects.get()
    assert resume.status == Resume.Status.READY
    assert "Priya" not in resume.file.name

    # Setup: the advert is read as it is pasted, and sets the level and the skills.
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    page.select_option("select[name=resume]", str(resume.pk))
    page.fill("#job-description", ADVERT)
    page.wait_for_selector("#personal-preview >> text=Junior Backend Engineer")
    assert page.locator("#level").input_value() == "2"
    assert page.locator('#skills input[type="checkbox"]:checked').count() >= 1
    page.fill("input[name=num_questions]", "3")
    page.check("input[name=interview_type][value=behavioural]")
    page.select_option("select[name=answer_mode]", "text")
    page.click("main form > button[type=submit]")

    # The room says what the interview is about before it starts, then asks about their work.
    page.wait_for_selector("#start")
    assert "It asks for" in page.inner_text("#start-panel")
    page.click("#start")
    page.wait_for_selector(".bubble.interviewer")
    question = page.inner_text(".bubble.interviewer")
    page.close()

    interview = Interview.objects.get(user=student)
    assert interview.job_profile["title"] == "Junior Backend Engineer"
    assert interview.resume_id == resume.pk
    assert "Your resume says you led the migration of the billing service" in question
