"""An uploaded resume: is it a PDF we can read (checked by its content), and its text as Markdown.

The checks run while the student waits (they take milliseconds); the Markdown, which takes longer,
is made by the worker that reads the resume, on the documents queue.

MuPDF is imported where a PDF is opened, never when this module is: pymupdf 2 loads its layout
model with onnxruntime, which starts native threads on import. A process that forks after that
(the Celery worker's parent forks its pool) hands each child a copy of that runtime whose next
garbage collection, once the child has read a PDF, hangs for good. So only a process that reads a
PDF imports MuPDF: a pool child, or Daphne, which never forks (tests/resumes/test_fork_safety.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import ModuleType

from config.errors import Refused

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 10
# Less text than this on all pages together: a scan or a photo, not a document.
MIN_TEXT_CHARS = 80
PDF_MAGIC = b"%PDF-"
# What an upload that is not a PDF usually is, from its first bytes, to say so.
LOOKS_LIKE = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG photo",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a Word document or another zipped file",
    b"\xd0\xcf\x11\xe0": "an old Word document",
    b"{\\rtf": "a rich-text document",
}


@dataclass(frozen=True)
class CheckedPdf:
    pages: int
    text_chars: int


def check_pdf(data: bytes) -> CheckedPdf:
    """Refuse, with a reason a student understands, anything but a readable PDF resume."""
    if not data:
        raise Refused("empty_file", "The file is empty. Choose your resume's PDF file.")
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if PDF_MAGIC not in data[:1024]:
        kind = next((name for magic, name in LOOKS_LIKE.items() if data.startswith(magic)), None)
        raise Refused(
            "not_pdf",
            f"This file is not a PDF{f' (it looks like {kind})' if kind else ''}. "
            "Save or export your resume as a PDF and upload that.",
        )
    try:
        with _mupdf().open(stream=data, filetype="pdf") as doc:
            if doc.needs_pass:
                raise Refused(
                    "encrypted",
                    "This PDF is protected by a password. Save a copy without the password "
                    "and upload that.",
                )
            truncated = doc.is_repaired and b"%%EOF" not in data[-2048:]
            if truncated or doc.page_count == 0:
                raise _corrupt()
            if doc.page_count > MAX_PAGES:
                raise Refused(
                    "too_many_pages",
                    f"This PDF has {doc.page_count} pages; a resume can have at most "
                    f"{MAX_PAGES}. Upload your resume on its own.",
                )
            pages = doc.page_count
            text_chars = sum(len(page.get_text().strip()) for page in doc)
    except Refused:
        raise
    except Exception as error:  # MuPDF raises its own errors, and ValueError, on bad files
        raise _corrupt() from error
    if text_chars < MIN_TEXT_CHARS:
        raise Refused(
            "no_text",
            "We found no text in this PDF: it looks like a scan or a photo of a resume. "
            "Export your resume from your word processor as a PDF and upload that.",
        )
    return CheckedPdf(pages=pages, text_chars=text_chars)


def too_large(size: int) -> Refused:
    # Rounded up: a file just over the limit must not read as "5.0 MB; at most 5 MB".
    megabytes = math.ceil(size / 1024 / 1024 * 10) / 10
    return Refused(
        "file_too_large",
        f"The file is {megabytes:.1f} MB; a resume can be at most "
        f"{MAX_BYTES // 1024 // 1024} MB. Export it again without large images.",
    )


def _corrupt() -> Refused:
    return Refused(
        "corrupt_pdf",
        "This PDF is damaged or incomplete and cannot be read. Export it again and upload the "
        "new file.",
    )


def to_markdown(data: bytes) -> str:
    """Return the PDF's text as Markdown: headings, bold, lists and tables kept (pymupdf4llm).

    pymupdf4llm's page-layout mode is off: on resumes it is 5-10 times slower (over a second a
    page here) and reads a role with its dates aligned right as a two-column table, while the
    classic mode keeps each line as written (see bench/parse_resumes.py).
    """
    import pymupdf4llm  # imports MuPDF: see the module's docstring

    pymupdf4llm.use_layout(False)
    with _mupdf().open(stream=data, filetype="pdf") as doc:
        markdown: str = pymupdf4llm.to_markdown(doc, show_progress=False)
    return markdown


def _mupdf() -> ModuleType:
    """MuPDF, imported on first use in this process (see the module's docstring)."""
    import pymupdf

    return pymupdf
