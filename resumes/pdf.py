"""Open an uploaded PDF, check it is a resume we can read, and turn its text into Markdown.

A PDF is a program for a renderer, and an upload is anyone's: a few megabytes can inflate to
gigabytes, or take minutes to lay out. So this runs in a process of its own (`python -m
resumes.pdf`, the PDF on stdin, a JSON answer on stdout; resumes.documents starts it), which
limits its own memory and CPU time before it opens anything, and which the caller kills after a
deadline. Whatever a file does, it can only end that process. This module does not use Django,
so the process starts in a fraction of a second.

MuPDF is imported only when a PDF is opened, never when this module is: pymupdf 2 loads its layout
model with onnxruntime, which starts native threads on import, and a process that forks after
that (the Celery worker's parent forks its pool) hands each child a runtime that hangs
(tests/resumes/test_fork_safety.py). The reading process blocks that layout model altogether:
the text is put in order by resumes.layout, from MuPDF's lines, which is faster and keeps a role's
dates with its title.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import zlib
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

from resumes import layout

MAX_PAGES = 10
# Less text than this on all pages together: a scan or a photo, not a document.
MIN_TEXT_CHARS = 80
# The streams of a resume (text, fonts, images) unpack to a few megabytes, a photo's to tens.
MAX_INFLATED_BYTES = 256 * 1024 * 1024
MAX_MARKDOWN_CHARS = 200_000
# The reading process's own limits (the caller's deadline is a little longer).
MEMORY_BYTES = 2 * 1024**3
CPU_SECONDS = 20
# Names in a PDF's objects that make a viewer run something, or carry other documents.
ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|AA)\b"
)
# An OpenAction that is an action (a dictionary), not just the page to open at.
OPEN_ACTION = re.compile(rb"/OpenAction\s*<<")
# A file that is also a web page: a browser that sniffs it would run it.
HTML = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype\s+html)\b", re.IGNORECASE)


class Unreadable(Exception):
    """The PDF is refused; `code` says why (resumes.documents words it for the student)."""

    def __init__(self, code: str, **details: int) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Inspected:
    pages: int
    text_chars: int
    active_content: bool
    markdown: str


def inspect(data: bytes) -> Inspected:
    """Check the PDF and return its Markdown, or raise `Unreadable`."""
    mupdf = _mupdf()
    try:
        with mupdf.open(stream=data, filetype="pdf") as doc:
            if doc.needs_pass:
                raise Unreadable("encrypted")
            truncated = doc.is_repaired and b"%%EOF" not in data[-2048:]
            if truncated or doc.page_count == 0:
                raise Unreadable("corrupt_pdf")
            if doc.page_count > MAX_PAGES:
                raise Unreadable("too_many_pages", pages=doc.page_count)
            inflated = _inflated_size(doc)
            if inflated > MAX_INFLATED_BYTES:
                raise Unreadable("too_complex")
            active = _active(doc, data)
            pages = doc.page_count
            text_chars = sum(len(page.get_text().strip()) for page in doc)
            if text_chars < MIN_TEXT_CHARS:
                raise Unreadable("no_text")
            markdown = _markdown(doc)[:MAX_MARKDOWN_CHARS]
    except (Unreadable, MemoryError):
        raise
    except Exception as error:  # MuPDF raises its own errors, and ValueError, on bad files
        raise Unreadable("corrupt_pdf") from error
    return Inspected(pages, text_chars, active, markdown)


def _markdown(doc: Any) -> str:
    """The text marked up by its layout; should that fail on an odd file, the plain text (the
    reader still finds sections and dates in it) rather than refusing a good resume."""
    try:
        return layout.to_markdown(doc)
    except Exception as error:
        print(f"resumes.layout failed, reading the plain text: {error!r}", file=sys.stderr)
        return "\n".join(page.get_text(sort=True) for page in doc)


def _inflated_size(doc: Any) -> int:
    """What the document's Flate streams unpack to, counted without keeping it, and only up to
    just over the limit: a bomb is measured in milliseconds, never unpacked."""
    total = 0
    for xref in range(1, doc.xref_length()):
        if not doc.xref_is_stream(xref) or "FlateDecode" not in doc.xref_get_key(xref, "Filter")[1]:
            continue
        inflater = zlib.decompressobj()
        data = doc.xref_stream_raw(xref)
        while data and total <= MAX_INFLATED_BYTES:
            total += len(inflater.decompress(data, 1024 * 1024))
            data = inflater.unconsumed_tail
        if total > MAX_INFLATED_BYTES:
            break
    return total


def _active(doc: Any, data: bytes) -> bool:
    """Whether the PDF carries scripts or actions, or is also a web page."""
    if HTML.search(data):  # in the raw file: an HTML tag cannot be a PDF hex string
        return True
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
        if ACTIVE.search(source) or OPEN_ACTION.search(source):
            return True
    return False


def _mupdf() -> ModuleType:
    """MuPDF, imported on first use in this process (see the module's docstring)."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    return pymupdf


def main() -> int:
    """Read a PDF from stdin within this process's limits; print the outcome as JSON."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    sys.modules["pymupdf.layout"] = None  # type: ignore[assignment] # its model is not used
    data = sys.stdin.buffer.read()
    answer_to, sys.stdout = sys.stdout, sys.stderr  # libraries' notices are not the answer
    try:
        answer: dict[str, Any] = asdict(inspect(data))
    except Unreadable as refusal:
        answer = {"refused": refusal.code, **refusal.details}
    except MemoryError:
        answer = {"refused": "too_complex"}
    answer_to.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
