"""The report as a PDF: what it says, its paper, who may download it, and its SVG charts."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews import services
from reports import pdf, reviews

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

OUTSIDERS = ["second_student", "other_coach", "other_admin"]
ANSWER = "I would profile it first, then fix the slow query."
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed",
)


def pdf_text(body: bytes) -> str:
    """Return the PDF's text, its whitespace collapsed (pdftotext breaks lines as laid out)."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def page_size(body: bytes) -> str:
    """Return pdfinfo's page size line: "595.276 x 841.89 pts (A4)"."""
    info = subprocess.run(
        ["pdfinfo", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    return re.search(r"Page size:\s+(.*)", info).group(1)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def interview(finished_interview, student, coached_cohort):
    return finished_interview(student, answer=ANSWER)


def download(client, interview, **query):
    return client.get(reverse("api-interview-report-pdf", args=[interview.pk]), query)


# --- The document ---------------------------------------------------------------------------------


@needs_poppler
def test_the_student_downloads_the_whole_report_as_a_pdf(client_for, student, interview):
    response = download(client_for(student), interview)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localtime(interview.completed_at).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="rehearse-report-software-engineering-{day}.pdf"'
    )
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    report = interview.report
    assert f"{report.overall}/100" in text
    assert ANSWER in text
    assert flat(report.questions[0]["text"]) in text
    assert "Alice Student: Software Engineering interview" in text
    assert "Page 1 of" in text


@needs_poppler
def test_a4_and_letter_differ_in_page_size(client_for, student, interview):
    client = client_for(student)
    a4 = page_size(download(client, interview).content)
    letter = page_size(download(client, interview, paper="letter").content)
    assert a4.startswith("595") and "(A4)" in a4
    assert letter.startswith("612 x 792")


def test_an_unknown_paper_is_refused(client_for, student, interview):
    response = download(client_for(student), interview, paper="a3")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_paper"


@needs_poppler
def test_the_coach_gets_it_with_their_review(client_for, coach, interview):
    reviews.review_save(
        by=coach,
        interview_id=interview.pk,
        comment="Lead with the measurement you took.",
        answers=[reviews.AnswerRating(turn=1, rating=4, comment="Name the index you added.")],
    )
    response = download(client_for(coach), interview)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Lead with the measurement you took." in text
    assert "Name the index you added." in text and "4/5" in text
    assert ANSWER in text


@needs_poppler
def test_the_verdict_shows_only_where_the_centre_shows_it(
    client_for, student, interview, organization
):
    assert "Readiness:" in pdf_text(download(client_for(student), interview).content)
    organization.show_readiness_verdict = False
    organization.save()
    assert "Readiness:" not in pdf_text(download(client_for(student), interview).content)


# --- Who gets it, and when ------------------------------------------------------------------------


def test_held_feedback_gives_the_student_no_pdf(
    client_for, student, coach, coached_cohort, organization, finished_interview
):
    organization.hold_feedback = True
    organization.save()
    held = finished_interview(student)
    assert held.feedback_held
    response = download(client_for(student), held)
    assert response.status_code == 202
    assert response["Content-Type"] == "application/json"
    assert response.json()["state"] == "awaiting_review"
    assert download(client_for(coach), held).status_code == 200


def test_no_report_means_409_and_no_pdf(client_for, student, make_interview):
    cancelled = make_interview(student)
    services.interview_end(interview_id=cancelled.pk, user=student)
    response = download(client_for(student), cancelled)
    assert response.status_code == 409
    assert response.json()["code"] == "no_report"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_else_gets_the_pdf(request, client_for, interview, who):
    response = download(client_for(request.getfixturevalue(who)), interview)
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


def test_a_visitor_who_is_not_signed_in_gets_no_pdf(client, interview):
    response = download(client, interview)
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"


def test_the_report_page_links_to_the_pdf(client_for, student, interview):
    page = client_for(student).get(reverse("report", args=[interview.pk])).content.decode()
    assert reverse("api-interview-report-pdf", args=[interview.pk]) in page


# --- The charts -----------------------------------------------------------------------------------


def bars(svg: str) -> tuple[ET.Element, list[ET.Element], list[ET.Element]]:
    root = ET.fromstring(svg)
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    return (
        root,
        [r for r in rects if r.get("class") == "bar"],
        [r for r in rects if r.get("class") == "track"],
    )


def test_a_full_score_fills_its_track_and_stays_inside_the_chart():
    root, [bar], [track] = bars(pdf.bar_chart([("Technical correctness", 10)]))
    right = float(bar.get("x")) + float(bar.get("width"))
    assert right <= float(root.get("width"))
    assert float(bar.get("width")) == float(track.get("width"))


def test_a_zero_score_draws_an_empty_bar():
    _, [bar], _ = bars(pdf.bar_chart([("Confidence", 0)]))
    assert float(bar.get("width")) == 0


@pytest.mark.parametrize(("score", "length"), [(-3, 0), (0, 0), (5, 50), (10, 100), (14, 100)])
def test_a_bar_is_its_share_of_the_span_and_never_longer(score, length):
    assert pdf.bar_length(score, maximum=10, span=100) == length


def test_every_row_stays_inside_the_chart_and_its_labels_are_escaped():
    rows = [("R&D <systems>", 7.5), ("Distributed processing, performance and platform cost", 3)]
    root, drawn, tracks = bars(pdf.bar_chart(rows))
    width, height = float(root.get("width")), float(root.get("height"))
    assert len(drawn) == len(tracks) == 2
    for rect in [*drawn, *tracks]:
        assert float(rect.get("x")) + float(rect.get("width")) <= width
        assert float(rect.get("y")) + float(rect.get("height")) <= height
    labels = ["".join(text.itertext()) for text in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "R&D <systems>" in labels and "7.5/10" in labels


def test_a_long_label_wraps_onto_two_lines_and_is_cut_after():
    assert pdf.label_lines("Distributed processing, performance and platform cost") == [
        "Distributed processing, performance",
        "and platform cost",
    ]
    lines = pdf.label_lines("word " * 30)
    assert len(lines) == 2 and lines[1].endswith("…") and len(lines[1]) <= pdf.LABEL_CHARS
