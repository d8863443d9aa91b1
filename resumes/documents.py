"""An uploaded resume: the checks made while the student waits, and the reading of the PDF.

While the student waits, only what costs nothing is checked: the file is not empty, not too large
and starts as a PDF does (`check_upload`). Everything that opens the PDF (is it protected, how
many pages, is there text, what does it unpack to) is done with its reading, by the worker, in a
process of its own with limits on memory and time (`read`, resumes.pdf): a hostile file can end
that process, never the web server or the worker.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
from pathlib import Path

from config.errors import Refused
from resumes.pdf import MAX_PAGES, MIN_TEXT_CHARS, Inspected

__all__ = ["MAX_BYTES", "MAX_PAGES", "MIN_TEXT_CHARS", "check_upload", "read", "too_large"]

MAX_BYTES = 5 * 1024 * 1024
# The reading process limits its own CPU time (resumes.pdf.CPU_SECONDS); this is its wall clock.
READ_SECONDS = 30
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
ROOT = Path(__file__).resolve().parents[1]
logger = logging.getLogger(__name__)


def check_upload(data: bytes) -> None:
    """Refuse at once, with a reason a student understands, what cannot be a PDF resume."""
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


def read(data: bytes) -> Inspected:
    """Check the PDF and return its Markdown, in a process of its own; raise `Refused`."""
    check_upload(data)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "resumes.pdf"],
            input=data,
            capture_output=True,
            timeout=READ_SECONDS,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:  # run() has killed it
        raise refusal("too_complex") from error
    if done.stderr:  # MuPDF's complaints, the layout reader's fallback: for whoever debugs it
        logger.warning("reading a PDF: %s", done.stderr.decode(errors="replace")[-2000:])
    if done.returncode != 0:  # killed by its limits (SIGKILL, SIGXCPU) or crashed in MuPDF
        raise refusal("too_complex" if done.returncode < 0 else "corrupt_pdf")
    answer = json.loads(done.stdout)
    if "refused" in answer:
        raise refusal(answer.pop("refused"), **answer)
    return Inspected(**answer)


def refusal(code: str, pages: int = 0) -> Refused:
    """Why a PDF cannot be read, for the student who uploaded it."""
    messages = {
        "encrypted": "This PDF is protected by a password. Save a copy without the password and "
        "upload that.",
        "corrupt_pdf": "This PDF is damaged or incomplete and cannot be read. Export it again and "
        "upload the new file.",
        "too_many_pages": f"This PDF has {pages} pages; a resume can have at most {MAX_PAGES}. "
        "Upload your resume on its own.",
        "too_complex": "This PDF is far bigger inside than a resume needs, or takes too long to "
        "read. Export your resume again from your word processor as a PDF and upload that.",
        "no_text": "We found no text in this PDF: it looks like a scan or a photo of a resume. "
        "Export your resume from your word processor as a PDF and upload that.",
    }
    return Refused(code, messages[code])


def too_large(size: int) -> Refused:
    # Rounded up: a file just over the limit must not read as "5.0 MB; at most 5 MB".
    megabytes = math.ceil(size / 1024 / 1024 * 10) / 10
    return Refused(
        "file_too_large",
        f"The file is {megabytes:.1f} MB; a resume can be at most "
        f"{MAX_BYTES // 1024 // 1024} MB. Export it again without large images.",
    )
