"""The interview report as a PDF for A4 or Letter paper, its charts drawn as inline SVG.

WeasyPrint runs no JavaScript, so the bars that Chart.js draws on the page are drawn here, as
SVG, by small pure functions. The document carries everything it shows (styles inline, charts
inline), and WeasyPrint is allowed to fetch nothing: no file, least of all a URL.

WeasyPrint is imported where a PDF is rendered, never when this module is: the import takes about
0.6 s, which every process that loads the URLs (Daphne, each worker, each command) would pay for
a feature few requests use.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ai.rubric import LABELS
from interviews.models import Interview
from questionbank.models import Level
from reports.models import Report, Review
from reports.reviews import by_position

# The `paper` a client may ask for, and its CSS page size.
PAPERS = {"a4": "A4", "letter": "letter"}

# A bar chart's geometry in SVG units (CSS pixels): the labels' column, the bars, then the scores'
# column. 640 pixels is 480 points, just inside a box across an A4 page's text (Letter's is wider).
CHART_WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 50
BAR_HEIGHT = 12
LINE_HEIGHT = 13
# About as many characters of the chart's font as fit on one line of the labels' column.
LABEL_CHARS = 36
FONT = "DejaVu Sans, Liberation Sans, sans-serif"

# WeasyPrint logs each step of each rendering at INFO; its warnings and errors still show.


def bar_length(score: float, *, maximum: float, span: float) -> float:
    """Return the length of a score's bar: its share of the maximum of the span, within it."""
    if maximum <= 0:
        return 0.0
    return round(min(max(score / maximum, 0.0), 1.0) * span, 2)


def label_lines(label: str, *, width: int = LABEL_CHARS) -> list[str]:
    """Wrap a label onto at most two lines of the width, marking a cut with an ellipsis."""
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) <= 2:
        return lines
    rest = " ".join(lines[1:])
    return [lines[0], rest[: width - 1].rstrip() + "…"]


def _number(value: float) -> str:
    """Show a number with at most one decimal: 10.0 → "10", 6.44 → "6.4"."""
    return f"{round(value, 1):g}"


def bar_chart(
    rows: Sequence[tuple[str, float]], *, maximum: float = 10, width: int = CHART_WIDTH
) -> str:
    """Return an SVG of horizontal bars, one for each (label, score) row, drawn within the width."""
    span = width - LABEL_WIDTH - VALUE_WIDTH
    labels = [label_lines(label) for label, _ in rows]
    row_height = 10 + LINE_HEIGHT * max((len(lines) for lines in labels), default=1)
    height = row_height * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">'
    ]
    for index, ((_, score), lines) in enumerate(zip(rows, labels, strict=True)):
        middle = index * row_height + row_height / 2
        bar_top = middle - BAR_HEIGHT / 2
        first_baseline = middle + 4 - LINE_HEIGHT * (len(lines) - 1) / 2
        text = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{first_baseline + n * LINE_HEIGHT}">'
            f"{escape(line)}</tspan>"
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="end" fill="#1b1f24">{text}</text>'
            f'<rect class="track" x="{LABEL_WIDTH}" y="{bar_top}" width="{span}" '
            f'height="{BAR_HEIGHT}" fill="#e7ecf1"/>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{bar_top}" '
            f'width="{bar_length(score, maximum=maximum, span=span)}" '
            f'height="{BAR_HEIGHT}" fill="#0172ad"/>'
            f'<text x="{width - VALUE_WIDTH + 8}" y="{middle + 4}" fill="#1b1f24">'
            f"{score:.1f}/{_number(maximum)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def report_filename(interview: Interview) -> str:
    """Return the PDF's file name: the track and the day the interview ended."""
    day = timezone.localtime(interview.completed_at or interview.created_at).date()
    return f"rehearse-report-{interview.track.slug}-{day.isoformat()}.pdf"


def _context(
    *, interview: Interview, report: Report, reviews: Sequence[Review], paper: str
) -> dict[str, Any]:
    """Return what the PDF's template shows."""
    dimensions = [(label, report.dimensions.get(name, 0)) for name, label in LABELS.items()]
    skills = [(skill["name"], skill["score"]) for skill in report.skills]
    charts: dict[str, SafeString] = {
        # bar_chart escapes the labels, the only text in it that is not its own.
        "dimensions": mark_safe(bar_chart(dimensions)),
        "skills": mark_safe(bar_chart(skills)) if skills else SafeString(""),
    }
    return {
        "interview": interview,
        "report": report,
        "page_size": PAPERS[paper],
        "level": Level(interview.level).label,
        "show_verdict": interview.shows_verdict,
        "charts": charts,
        "reviews": [review for review in reviews if review.comment],
        "reviews_by_position": by_position(reviews),
    }


def report_pdf(
    *, interview: Interview, report: Report, reviews: Iterable[Review], paper: str = "a4"
) -> bytes:
    """Render the interview's report, with its coaches' reviews, as a PDF for the paper."""
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper {paper!r}: choose one of {', '.join(PAPERS)}.")
    html = render_to_string(
        "reports/report_pdf.html",
        _context(interview=interview, report=report, reviews=list(reviews), paper=paper),
    )
    from weasyprint import HTML  # see the module's docstring
    from weasyprint.urls import URLFetcher

    # No protocol is allowed: a stray URL in the document is skipped, never fetched.
    fetcher = URLFetcher(allowed_protocols=(), fail_on_errors=False)
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
