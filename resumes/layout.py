# Resumes write dates and bullets with en dashes and bullet signs; the patterns here match them.
# ruff: noqa: RUF001, RUF002
"""A resume's text in reading order, marked by how it looks on the page.

A resume's structure is in its layout, not its characters: a section heading is set bigger or
bolder than the text, a role's dates sit at the right of its title line, a sidebar is a column
of its own. MuPDF gives every line of text with its position, size and weight; this module puts
the lines back in reading order and writes them as the Markdown the reader understands
(resumes.reading.resume):

- columns: a page whose lines leave a clear vertical gutter is read a column at a time (a
  sidebar, a two-column layout), unless one side is the dates and places of the other's entries;
- rows: pieces of text on one baseline are one line, its cells joined by " | " ("Staff Nurse,
  St Gemma's Hospice | Sept 2019 – Aug 2022"), whatever order the PDF wrote them in;
- `# ` the name (the biggest text on the first page), `## ` a heading (text bigger than the body),
  `**` bold text, `- ` a bullet (a bullet sign at the start of the line);
- a link is its text only, and a page's running header or footer ("Page 1 of 2", "Last updated
  in Mar 2026", a name repeated on every page) is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

BULLETS = "•◦▪▫●○■□‣∙·⁃–-*➢➤►▶✓✔"
BULLET_START = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s*")
BOLD_FLAG = 16
DATE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d{2}\b"
    r"|\b(?:present|current|now)\b",
    re.IGNORECASE,
)
DATES_ONLY = re.compile(
    rf"^\s*(?:{DATE.pattern})(?:\s*(?:-|–|—|to)\s*(?:{DATE.pattern}))?\s*$", re.IGNORECASE
)
# Icon fonts' glyphs (a phone, an envelope) are in Unicode's private use area: no text.
ICONS = re.compile("[\ue000-\uf8ff]")
RUN_TOGETHER = re.compile(r"(?<=\))(?=\*{0,2}[A-Z])")
# A page number is at most three digits: "2022" alone on a line is a date that wrapped.
RUNNING = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|last updated\b.*|\d+\s*/\s*\d+|\d{1,3})$", re.I
)


@dataclass(frozen=True)
class Line:
    """A row of text on one baseline; its cells are the pieces MuPDF saw apart."""

    x0: float
    y0: float
    x1: float
    y1: float
    cells: tuple[str, ...]  # marked up (bold as `**`)
    plain: str  # the cells without marks, joined by " | "
    size: float
    bold: bool


def to_markdown(doc: Any) -> str:
    """The document's text in reading order, marked up by its layout (see the module)."""
    pages = [_page(page) for page in doc]
    body = _body_size(line for page in pages for line in page)
    running = _running(pages)
    out: list[str] = []
    named = False
    entry = -1  # the last entry's title line in `out`, until a heading
    for number, lines in enumerate(pages):
        for line in lines:
            plain = line.plain
            if plain in running or RUNNING.match(plain):
                continue
            words = len(plain.split())
            if not named and number == 0 and line.size >= body * 1.4 and words <= 6:
                out.append(f"# {plain}")
                named = True
                continue
            if line.size >= body * 1.1 and words <= 8 and not DATE.search(plain):
                out.append(f"## {plain}")
                entry = -1
                continue
            text = _text(line)
            dates = line.cells[-1] if len(line.cells) > 1 else ""
            if text.startswith("- ") and entry >= 0 and DATES_ONLY.match(dates):
                # An entry's dates at the right of its first bullet (or line) are the entry's.
                if not DATE.search(out[entry]):
                    out[entry] += f" | {dates}"
                    text = text.removesuffix(f" | {_plain_cell(dates)}")
            elif not text.startswith("- "):
                entry = len(out)
            out.append(text)
    return "\n".join(out) + "\n"


def _page(page: Any) -> list[Line]:
    """The page's rows in reading order: a column at a time where there are columns."""
    from pymupdf4llm.helpers.get_text_lines import get_raw_lines

    textpage = page.get_textpage()
    boxes = [
        (*line["bbox"], bool(DATE.search("".join(s["text"] for s in line["spans"]))))
        for block in textpage.extractDICT()["blocks"]
        for line in block.get("lines", ())
        if "".join(s["text"] for s in line["spans"]).strip()
    ]
    rect = page.rect
    gutter = _gutter(boxes, rect.width)
    if gutter is None:
        clips = [rect]
    else:
        top = min(y0 for x0, y0, x1, *_ in boxes if not x0 < gutter < x1)
        clips = [
            type(rect)(rect.x0, rect.y0, rect.x1, top),
            type(rect)(rect.x0, top, gutter, rect.y1),
            type(rect)(gutter, top, rect.x1, rect.y1),
        ]
    rows = []
    for clip in clips:
        if clip.is_empty:
            continue
        rows += [_line(spans) for _, spans in get_raw_lines(textpage, clip=clip, tolerance=3)]
    return [row for row in rows if row.plain]


def _line(spans: list[dict[str, Any]]) -> Line:
    """A row from pymupdf4llm's spans on one baseline (left to right)."""
    cells: list[tuple[str, str]] = []
    previous: dict[str, Any] | None = None
    for span in spans:
        text = " ".join(ICONS.sub("", span["text"]).split())
        bold = _bold(span)
        marked = f"**{text}**" if bold and text.strip(".,;:|") else text
        if previous is not None and (previous["block"], previous["line"]) == (
            span["block"],
            span["line"],
        ):
            gap = span["bbox"][0] - previous["bbox"][2] > span["size"] * 0.15
            space = (
                " " if gap or previous["text"][-1:].isspace() or span["text"][:1].isspace() else ""
            )
            cells[-1] = (cells[-1][0] + space + marked, cells[-1][1] + space + text)
        else:
            cells.append((marked, text))
        previous = span
    chars = sum(len(s["text"].strip()) for s in spans)
    size = sum(s["size"] * len(s["text"].strip()) for s in spans) / max(chars, 1)
    bold = all(_bold(s) for s in spans if s["text"].strip(" .,;:|"))
    x0 = min(s["bbox"][0] for s in spans)
    y0 = min(s["bbox"][1] for s in spans)
    x1 = max(s["bbox"][2] for s in spans)
    y1 = max(s["bbox"][3] for s in spans)
    # Text run together across a narrow column: "BSc (Hons)University of Exeter".
    cells = [(RUN_TOGETHER.sub(" ", m), RUN_TOGETHER.sub(" ", p)) for m, p in cells]
    marked_cells = tuple(m.replace("****", "").strip() for m, _ in cells if m.strip())
    plain = " | ".join(p.strip() for _, p in cells if p.strip())
    return Line(x0, y0, x1, y1, marked_cells, plain, round(size, 1), bold)


def _plain_cell(cell: str) -> str:
    return cell.replace("**", "")


def _bold(span: dict[str, Any]) -> bool:
    return bool(span["flags"] & BOLD_FLAG) or "bold" in span["font"].lower()


def _body_size(lines: Iterable[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.plain)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _running(pages: list[list[Line]]) -> set[str]:
    """Text that is on most pages at the same height: a running header or footer."""
    if len(pages) < 2:
        return set()

    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.plain), round(line.y0 / 5)

    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        seen.update({key(line) for line in lines})
    repeated = {k for k, count in seen.items() if count >= max(2, len(pages) * 0.6)}
    return {line.plain for lines in pages for line in lines if key(line) in repeated}


def _gutter(boxes: list[tuple[float, ...]], width: float) -> float | None:
    """The x of a vertical gap that splits the page into two columns of text, if there is one.

    `boxes` are MuPDF's lines as (x0, y0, x1, y1, has a date). A side that is mostly dates (and
    the places beside them) is not a column: it is the right-hand side of the other side's
    entries, read with them by rows.
    """
    if len(boxes) < 10:
        return None
    best: tuple[int, float] | None = None
    for step in range(20, 86):
        x = width * step / 100
        crossing = sum(1 for x0, _, x1, *_ in boxes if x0 < x < x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
    if best is None or best[0] > max(2, len(boxes) * 0.08):
        return None
    x = best[1]
    left = [b for b in boxes if b[2] <= x]
    right = [b for b in boxes if b[0] >= x]
    if len(left) < 4 or len(right) < 4:
        return None
    for side in (left, right):
        if sum(1 for b in side if b[4]) / len(side) >= 0.4:
            return None  # the dates (and places) of the other side's entries
    return x


def _text(line: Line) -> str:
    """A row as one line: its cells joined by " | ", a bullet sign made a Markdown bullet."""
    if BULLET_START.match(line.plain):
        # A bullet sign set apart from its text is a cell of its own: the text follows it.
        text = BULLET_START.sub("", line.plain, count=1).lstrip("| ")
        return f"- {text}" if text else ""
    if line.bold:
        return f"**{line.plain}**"
    return " | ".join(line.cells)
