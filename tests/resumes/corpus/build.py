"""Regenerate the resume corpus: each person in many layouts, each PDF with its facts beside it.

Run: `make resume-corpus` (or `.venv/bin/python tests/resumes/corpus/build.py` once
`.venv-corpus` has rendercv). The people are `people/*.yaml`, in rendercv's input format plus a
`corpus` block (split, headline, role and skills sections, tools named in bullets) that this
script removes before rendering. Each person becomes, in `pdfs/`:

- `<person>-rendercv-<theme>.pdf` for every theme of the installed rendercv, rendered by its CLI
  in its own venv (`.venv-corpus`, kept out of the app's dependencies), in a temporary folder;
- `<person>-word-<layout>.pdf`: Word-style resumes made here with WeasyPrint from HTML and CSS
  (one column, two columns, a coloured sidebar, roles in a table);
- a few `<person>-scan-<layout>.pdf`: pages of the PDFs above as images only (a scanned resume,
  which the upload must refuse).

Beside each PDF, `<person>-<layout>.json` holds the facts a reader should find in it, made from
the person's YAML alone. The output does not depend on the day or the machine (rendercv's
"Last updated" date is fixed), so the PDFs can be committed.

Typst, which rendercv drives, fetches the `@preview/fontawesome` package from the internet on
first use. Offline, this script gives it a stand-in package instead (`FONTAWESOME`), which draws
the same icons from the Font Awesome fonts rendercv bundles.
"""

# The en dashes of date ranges are what real resumes contain.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import calendar
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymupdf
import yaml
from weasyprint import HTML

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PEOPLE = HERE / "people"
PDFS = HERE / "pdfs"
CORPUS_VENV = ROOT / ".venv-corpus"
RENDERCV = CORPUS_VENV / "bin" / "rendercv"
# rendercv's "today": its "Last updated in Mar 2026" line, and the PDFs' dates.
TODAY = "2026-03-15"
# The scanned resumes: (person, layout) of PDFs made above, and the resolution of the scan.
SCANS = (
    ("siobhan-nurse", "rendercv-classic"),
    ("zoe-teacher", "word-sidebar"),
    ("ingrid-engineer", "word-table"),
)
SCAN_DPI = 150

# A stand-in for Typst's @preview/fontawesome package: `fa-icon(name)` draws the icon's glyph
# from the Font Awesome 7 fonts of rendercv-fonts, for the icons rendercv's themes use.
FONTAWESOME_TOML = """[package]
name = "fontawesome"
version = "{version}"
entrypoint = "lib.typ"
"""
FONTAWESOME = r"""
#let _solid = (
  "location-dot": "\u{f3c5}", "envelope": "\u{f0e0}", "phone": "\u{f095}",
  "link": "\u{f0c1}", "external-link": "\u{f08e}", "graduation-cap": "\u{f19d}",
  "code": "\u{f121}",
)
#let _brands = (
  "linkedin": "\u{f08c}", "github": "\u{f09b}", "gitlab": "\u{f296}", "orcid": "\u{f8d2}",
  "x-twitter": "\u{e61b}", "stack-overflow": "\u{f16c}", "researchgate": "\u{f4f8}",
  "youtube": "\u{f167}", "telegram": "\u{f2c6}", "mastodon": "\u{f4f6}",
  "instagram": "\u{f16d}", "imdb": "\u{f2d8}",
)
#let fa-icon(name, solid: false, ..args) = if name in _brands {
  text(font: "Font Awesome 7 Brands", _brands.at(name), ..args.named())
} else {
  text(font: "Font Awesome 7 Free", weight: 900, _solid.at(name, default: ""), ..args.named())
}
"""

MONTHS = tuple(calendar.month_name)[1:]
# rendercv's own abbreviations ("Sept 2019"), which Word users type too.
MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "June",
    "July",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
LOWER_IN_TITLES = {"a", "and", "as", "at", "but", "by", "for", "from", "in", "of", "on", "the"}
SOCIAL_URLS = {
    "LinkedIn": "https://linkedin.com/in/{}",
    "GitHub": "https://github.com/{}",
}


@dataclass(frozen=True)
class Person:
    """One person's resume content: rendercv's `cv` and this corpus's notes on it."""

    key: str
    cv: dict[str, Any]
    notes: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Person:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(key=path.stem, cv=data["cv"], notes=data.get("corpus", {}))

    @property
    def sections(self) -> dict[str, list[Any]]:
        sections: dict[str, list[Any]] = self.cv.get("sections", {})
        return sections

    @property
    def role_sections(self) -> list[str]:
        return list(self.notes.get("roles_sections", ["experience"]))

    @property
    def skills_sections(self) -> list[str]:
        return list(self.notes.get("skills_sections", ["skills"]))


# The facts -----------------------------------------------------------------------------------


def facts(person: Person, layout: str, *, headline: bool, refused: str | None = None) -> dict:
    """What a reader should find in this person's PDF in this layout."""
    roles = [
        {
            "title": entry["position"],
            "organisation": entry["company"],
            "start": str(entry.get("start_date") or ""),
            "end": str(entry.get("end_date") or "present"),
            "bullets": len(entry.get("highlights") or []),
        }
        for key in person.role_sections
        for entry in person.sections[key]
    ]
    education = [
        {"institution": entry["institution"], "degree": _degree(entry)}
        for entries in person.sections.values()
        for entry in entries
        if isinstance(entry, dict) and "institution" in entry
    ]
    listed = [
        item
        for key in person.skills_sections
        for entry in person.sections[key]
        for item in _items(entry.get("details", "") if isinstance(entry, dict) else entry)
    ]
    organisations = [
        entry.get("company") or entry.get("institution")
        for entries in person.sections.values()
        for entry in entries
        if isinstance(entry, dict) and (entry.get("company") or entry.get("institution"))
    ]
    return {
        "person": person.key,
        "layout": layout,
        "split": person.notes["split"],
        "refused": refused,
        "name": person.cv["name"],
        "headline": person.notes.get("headline", "") if headline else "",
        "roles": roles,
        "education": education,
        "skills": _unique([*listed, *person.notes.get("tools", [])]),
        "organisations": _unique(organisations),
    }


def check_claims(person: Person) -> None:
    """Stop if a skill of the facts is not written anywhere in the person's resume."""
    text = " ".join(_strings(person.cv)).casefold()
    for skill in facts(person, "", headline=False)["skills"]:
        if not re.search(rf"(?<!\w){re.escape(skill.casefold())}(?!\w)", text):
            sys.exit(f"{person.key}: the skill {skill!r} is not in the resume's text")


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def _degree(entry: dict[str, Any]) -> str:
    return " ".join(p for p in (entry.get("degree"), entry.get("area")) if p)


def _items(text: str) -> list[str]:
    """The items of a skills line, split on commas and semicolons outside brackets."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [i.strip(" .") for i in items if i.strip(" .")]


def _unique(items: Iterable[str]) -> list[str]:
    """The items without repeats (ignoring case), in their first order."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


# rendercv ------------------------------------------------------------------------------------


def rendercv_themes() -> tuple[str, list[str], set[str]]:
    """The installed rendercv's version, its themes, and the Typst packages its themes import."""
    probe = (
        "import pathlib, rendercv, rendercv.themes as t;"
        "print(rendercv.__version__); print(pathlib.Path(t.__file__).parent)"
    )
    python = CORPUS_VENV / "bin" / "python"
    result = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    version, folder = result.stdout.split()
    themes = sorted(p.parent.name for p in Path(folder).glob("*/Preamble.j2.typ"))
    packages = {
        match
        for template in Path(folder).glob("**/*.typ")
        for match in re.findall(r'"@preview/([\w-]+:[\d.]+)"', template.read_text("utf-8"))
    }
    return version, themes, packages


def typst_packages(packages: set[str], cache: Path) -> None:
    """Put the Typst packages rendercv's themes import where Typst looks before downloading."""
    for package in sorted(packages):
        name, version = package.split(":")
        if name != "fontawesome":
            sys.exit(f"rendercv imports the Typst package {package}, which needs the internet")
        folder = cache / "typst" / "packages" / "preview" / name / version
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "typst.toml").write_text(FONTAWESOME_TOML.format(version=version))
        (folder / "lib.typ").write_text(FONTAWESOME)


def render_rendercv(person: Person, theme: str, workdir: Path, cache: Path) -> bytes:
    """The person's resume in one of rendercv's themes, rendered by its CLI in `workdir`."""
    source = workdir / f"{person.key}-{theme}.yaml"
    document = {"cv": person.cv, "design": {"theme": theme}, "rendercv_settings": {"date": TODAY}}
    source.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    pdf = workdir / f"{person.key}-{theme}.pdf"
    command = [RENDERCV, "render", source.name, "--output-folder-name", "output"]
    command += ["--pdf-path", pdf.name, "--dont-generate-markdown", "--dont-generate-png"]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(cache)}
    result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not pdf.exists():
        sys.exit(f"rendercv failed on {source.name}:\n{result.stdout}\n{result.stderr}")
    return pdf.read_bytes()


# Word-style layouts (WeasyPrint) -------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How a Word-style layout writes dates: "Sept 2019", "09/2019", "September 2019", "2019"."""

    month_year: Callable[[int, int], str]
    dash: str = " – "
    present: str = "Present"
    # Years only, but months for a role within one year ("2018 – 2018" reads oddly).
    years_only: bool = False

    def date(self, value: Any) -> str:
        text = str(value)
        if text == "present":
            return self.present
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", text)
        return self.month_year(int(match.group(2)), int(match.group(1))) if match else text

    def period(self, entry: dict[str, Any]) -> str:
        if entry.get("date"):
            return str(entry["date"])
        if not entry.get("start_date"):
            return ""
        start, end = str(entry["start_date"]), str(entry.get("end_date") or "present")
        if self.years_only and start[:4] == end[:4]:
            return ABBREVIATED.period(entry)
        return f"{self.date(start)}{self.dash}{self.date(end)}"


ABBREVIATED = Style(lambda month, year: f"{MONTH_ABBREVIATIONS[month - 1]} {year}")
NUMERIC = Style(lambda month, year: f"{month:02d}/{year}", dash=" - ", present="present")
FULL = Style(lambda month, year: f"{MONTHS[month - 1]} {year}", dash=" to ")
YEARS = Style(lambda month, year: str(year), years_only=True)


def inline(text: Any) -> str:
    """rendercv's Markdown in one line of text (links, bold, italics) as HTML."""
    out = html.escape(str(text), quote=False)
    out = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![\w*])\*(\S.*?\S|\S)\*(?![\w*])", r"<em>\1</em>", out)


def section_title(key: str) -> str:
    """A section's key as rendercv titles it: "invited_talks" -> "Invited Talks"."""
    words = key.replace("_", " ").split()
    return " ".join(
        w if i and w in LOWER_IN_TITLES else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def contacts(cv: dict[str, Any]) -> list[str]:
    """The header's contact details as HTML, in rendercv's order."""
    items = [html.escape(cv["location"])] if cv.get("location") else []
    if cv.get("email"):
        items.append(f'<a href="mailto:{cv["email"]}">{cv["email"]}</a>')
    if cv.get("phone"):
        items.append(html.escape(cv["phone"]))
    if cv.get("website"):
        shown = re.sub(r"^https?://|/$", "", cv["website"])
        items.append(f'<a href="{cv["website"]}">{shown}</a>')
    for network in cv.get("social_networks", []):
        url = SOCIAL_URLS[network["network"]].format(network["username"])
        items.append(f'<a href="{url}">{url.removeprefix("https://")}</a>')
    return items


def bullets(entry: dict[str, Any]) -> str:
    highlights = entry.get("highlights") or []
    return f"<ul>{''.join(f'<li>{inline(h)}</li>' for h in highlights)}</ul>" if highlights else ""


def summary(entry: dict[str, Any]) -> str:
    return f'<p class="summary">{inline(entry["summary"])}</p>' if entry.get("summary") else ""


def entry_html(entry: Any, style: Style, *, roles: str = "title-first") -> str:
    """One entry of a section, in the shape its keys give it (rendercv's entry types)."""
    if isinstance(entry, str):
        return f"<p>{inline(entry)}</p>"
    if "bullet" in entry:
        return f"<ul><li>{inline(entry['bullet'])}</li></ul>"
    if "label" in entry:
        return f"<p><strong>{inline(entry['label'])}:</strong> {inline(entry['details'])}</p>"
    where = f", {html.escape(entry['location'])}" if entry.get("location") else ""
    when = html.escape(style.period(entry))
    if "company" in entry:
        title, organisation = inline(entry["position"]), inline(entry["company"])
        if roles == "organisation-first":
            head = (
                f'<p class="org">{organisation}{where}</p>'
                f'<p class="role"><strong>{title}</strong> | {when}</p>'
            )
        elif roles == "title-over":
            head = (
                f'<h3>{title}</h3><p class="org">{organisation}{where}'
                f'<span class="sep"> · </span>{when}</p>'
            )
        else:
            head = (
                f'<div class="head"><span><strong>{title}</strong>, {organisation}</span>'
                f'<span class="when">{when}</span></div><p class="where">{where[2:]}</p>'
            )
        return f'<div class="entry">{head}{summary(entry)}{bullets(entry)}</div>'
    if "institution" in entry:
        degree = inline(_degree(entry))
        return (
            f'<div class="entry"><div class="head"><span><strong>{degree}</strong></span>'
            f'<span class="when">{when}</span></div>'
            f'<p class="org">{inline(entry["institution"])}{where}</p>{bullets(entry)}</div>'
        )
    if "title" in entry:
        authors = ", ".join(inline(a) for a in entry.get("authors", []))
        journal = f" <em>{inline(entry['journal'])}</em>." if entry.get("journal") else ""
        doi = entry.get("doi")
        link = f' <a href="https://doi.org/{doi}">doi:{doi}</a>' if doi else ""
        return (
            f'<p class="pub"><strong>{inline(entry["title"])}</strong> ({when}). {authors}.'
            f"{journal}{link}</p>"
        )
    return (
        f'<div class="entry"><div class="head"><span><strong>{inline(entry["name"])}</strong>'
        f'</span><span class="when">{when}</span></div>{summary(entry)}{bullets(entry)}</div>'
    )


def section_html(key: str, entries: list[Any], style: Style, **options: str) -> str:
    body = "".join(entry_html(e, style, **options) for e in entries)
    return f"<section><h2>{section_title(key)}</h2>{body.replace('</ul><ul>', '')}</section>"


def table_section_html(key: str, entries: list[Any], style: Style) -> str:
    """A section of dated entries as a table: the dates in the left cell, the entry beside."""
    rows = []
    for entry in entries:
        if not isinstance(entry, dict) or not ("company" in entry or "institution" in entry):
            return section_html(key, entries, style)
        if "company" in entry:
            what = f"<strong>{inline(entry['position'])}</strong><br><em>{inline(entry['company'])}"
        else:
            what = (
                f"<strong>{inline(_degree(entry))}</strong><br><em>{inline(entry['institution'])}"
            )
        where = f", {html.escape(entry['location'])}" if entry.get("location") else ""
        rows.append(
            f'<tr><td class="when">{html.escape(style.period(entry))}</td>'
            f"<td>{what}{where}</em>{summary(entry)}{bullets(entry)}</td></tr>"
        )
    return f"<section><h2>{section_title(key)}</h2><table>{''.join(rows)}</table></section>"


BASE_CSS = """
@page { size: A4; margin: 16mm 17mm; }
body { font-size: 9.6pt; line-height: 1.32; color: #222; margin: 0; }
h1 { margin: 0; font-size: 22pt; }
h2 { font-size: 11.5pt; margin: 11pt 0 4pt; }
h3 { font-size: 10pt; margin: 6pt 0 0; }
p { margin: 0 0 3pt; }
ul { margin: 2pt 0 5pt; padding-left: 15pt; }
li { margin-bottom: 1.5pt; }
a { color: inherit; text-decoration: none; }
.entry { margin-bottom: 6pt; break-inside: avoid; }
.head { display: flex; justify-content: space-between; gap: 8pt; }
.when { white-space: nowrap; }
.headline { font-size: 11pt; margin-top: 2pt; }
.contact { margin-top: 4pt; }
"""


def page(person: Person, css: str, body: str) -> str:
    name = html.escape(person.cv["name"])
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name} CV</title>'
        f'<meta name="author" content="{name}"><style>{BASE_CSS}{css}</style></head>'
        f"<body>{body}</body></html>"
    )


def header(person: Person, separator: str) -> str:
    return (
        f"<h1>{html.escape(person.cv['name'])}</h1>"
        f'<p class="headline">{html.escape(person.notes.get("headline", ""))}</p>'
        f'<p class="contact">{separator.join(contacts(person.cv))}</p>'
    )


def one_column(person: Person) -> str:
    """A serif one-column resume: centred header, rules under headings, dates right; its
    bullets are characters in the line, as Word writes them."""
    css = """
    body { font-family: "DejaVu Serif"; }
    header { text-align: center; margin-bottom: 6pt; }
    h2 { text-transform: uppercase; letter-spacing: 0.5pt; border-bottom: 0.8pt solid #444; }
    .where { font-style: italic; color: #555; }
    .org { font-style: italic; }
    footer { position: running(footer); font-size: 7.5pt; color: #888; }
    ul { list-style: none; padding-left: 13pt; }
    li { text-indent: -8pt; }
    li::before { content: "•\\00a0\\00a0"; }
    @page { @bottom-right { content: element(footer); } }
    """
    sections = "".join(section_html(k, v, ABBREVIATED) for k, v in person.sections.items())
    footer = "<footer>Last updated in Mar 2026</footer>"
    return page(person, css, f"{footer}<header>{header(person, ' | ')}</header>{sections}")


def two_columns(person: Person) -> str:
    """A sans-serif resume in two columns: roles and projects left; the rest on the right. Its
    bullets are list markers, which WeasyPrint (like some resume builders) draws after all the
    page's text."""
    side_keys = {"education", "languages", "certifications", "awards", "memberships"}
    side_keys |= {*person.skills_sections, "volunteering"}
    css = """
    body { font-family: "DejaVu Sans"; font-size: 8.8pt; }
    header { border-bottom: 2pt solid #2b6cb0; padding-bottom: 6pt; margin-bottom: 4pt; }
    h1 { color: #2b6cb0; }
    h2 { color: #2b6cb0; font-size: 10.5pt; }
    .main { float: left; width: 62%; }
    .side { float: right; width: 34%; }
    .org { font-weight: bold; }
    .side .head { display: block; }
    .side .when { display: block; color: #555; }
    """
    main = side = ""
    for key, entries in person.sections.items():
        part = section_html(key, entries, NUMERIC, roles="organisation-first")
        if key in side_keys:
            side += part
        else:
            main += part
    body = f'<header>{header(person, " · ")}</header><div class="main">{main}</div>'
    return page(person, css, f'{body}<div class="side">{side}</div>')


def sidebar(person: Person) -> str:
    """A resume with a coloured left column holding the contact details and the skills."""
    side_keys = {*person.skills_sections, "languages", "certifications"}
    css = """
    @page { margin: 14mm 14mm 14mm 0; }
    .band { position: fixed; left: 0; top: -14mm; width: 66mm; height: 297mm;
            background: #1f3a5f; z-index: -1; }
    body { font-family: "DejaVu Sans"; font-size: 8.8pt; }
    .side { float: left; width: 52mm; padding: 0 7mm; color: #f2f5f9; }
    .side h2 { color: white; border-bottom: 0.6pt solid #8fa8c8; }
    ul { list-style: none; padding-left: 12pt; }
    li { text-indent: -8pt; }
    li::before { content: "▪\\00a0\\00a0"; color: #1f3a5f; }
    .side li::before { color: white; }
    .main { margin-left: 74mm; }
    .main h2 { color: #1f3a5f; text-transform: uppercase; font-size: 10pt; }
    h3 { color: #1f3a5f; }
    .org { color: #555; }
    .contact-list p { margin-bottom: 4pt; word-wrap: break-word; }
    """
    contact = "".join(f"<p>{c}</p>" for c in contacts(person.cv))
    side = f'<section class="contact-list"><h2>Contact</h2>{contact}</section>'
    main = (
        f"<h1>{html.escape(person.cv['name'])}</h1>"
        f'<p class="headline">{html.escape(person.notes.get("headline", ""))}</p>'
    )
    for key, entries in person.sections.items():
        part = section_html(key, entries, FULL, roles="title-over")
        if key in side_keys:
            side += part
        else:
            main += part
    body = f'<div class="band"></div><div class="side">{side}</div>'
    return page(person, css, f'{body}<div class="main">{main}</div>')


def table(person: Person) -> str:
    """A resume whose roles and education are table rows: dates left, the entry right."""
    css = """
    body { font-family: "DejaVu Sans"; font-size: 9pt; }
    header { margin-bottom: 4pt; }
    h2 { background: #e8e8e8; padding: 2pt 4pt; font-size: 10.5pt; }
    table { width: 100%; border-collapse: collapse; }
    td { border: 0.5pt solid #b8b8b8; padding: 4pt 5pt; vertical-align: top; }
    td.when { width: 26%; }
    td ul { margin-bottom: 0; }
    """
    sections = "".join(
        table_section_html(k, v, YEARS)
        if k in person.role_sections or k == "education"
        else section_html(k, v, YEARS)
        for k, v in person.sections.items()
    )
    return page(person, css, f"<header>{header(person, ' • ')}</header>{sections}")


WORD_LAYOUTS: dict[str, Callable[[Person], str]] = {
    "word-one-column": one_column,
    "word-two-columns": two_columns,
    "word-sidebar": sidebar,
    "word-table": table,
}


def render_word(markup: str) -> bytes:
    pdf: bytes = HTML(string=markup, base_url=str(HERE)).write_pdf()
    return pdf


# Scans ---------------------------------------------------------------------------------------


def scan(data: bytes) -> bytes:
    """The PDF's pages as grey images only, as a scanner makes them: no text left."""
    with pymupdf.open(stream=data, filetype="pdf") as source, pymupdf.open() as scanned:
        for page in source:
            pixmap = page.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY)
            image = pixmap.tobytes("jpeg", jpg_quality=60)
            copy = scanned.new_page(width=page.rect.width, height=page.rect.height)
            copy.insert_image(copy.rect, stream=image)
        scanned.set_metadata({"producer": "Scanner", "creator": "Scanner"})
        result: bytes = scanned.tobytes(garbage=4, deflate=True, no_new_id=True)
        return result


# Building ------------------------------------------------------------------------------------


def write(name: str, data: bytes, fact: dict[str, Any]) -> None:
    (PDFS / f"{name}.pdf").write_bytes(data)
    text = json.dumps(fact, indent=2, ensure_ascii=False) + "\n"
    (PDFS / f"{name}.json").write_text(text, encoding="utf-8")


def main() -> None:
    if not RENDERCV.exists():
        sys.exit(f"{RENDERCV} is missing: run `make resume-corpus`, which installs it.")
    version, themes, packages = rendercv_themes()
    people = [Person.load(path) for path in sorted(PEOPLE.glob("*.yaml"))]
    for person in people:
        check_claims(person)
    PDFS.mkdir(exist_ok=True)
    for old in [*PDFS.glob("*.pdf"), *PDFS.glob("*.json")]:
        old.unlink()
    # fontTools stamps the fonts WeasyPrint subsets with this time rather than now.
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(datetime.fromisoformat(TODAY).replace(tzinfo=UTC).timestamp())
    )
    made: dict[tuple[str, str], bytes] = {}
    with tempfile.TemporaryDirectory(prefix="resume-corpus-") as temp:
        cache = Path(temp) / "cache"
        typst_packages(packages, cache)
        for person in people:
            for theme in themes:
                layout = f"rendercv-{theme}"
                data = render_rendercv(person, theme, Path(temp), cache)
                made[person.key, layout] = data
                write(f"{person.key}-{layout}", data, facts(person, layout, headline=False))
    for person in people:
        for layout, build in WORD_LAYOUTS.items():
            data = render_word(build(person))
            made[person.key, layout] = data
            write(f"{person.key}-{layout}", data, facts(person, layout, headline=True))
    by_key = {person.key: person for person in people}
    for key, layout in SCANS:
        shown = layout.startswith("word-")
        fact = facts(by_key[key], f"scan-{layout}", headline=shown, refused="no_text")
        write(f"{key}-scan-{layout}", scan(made[key, layout]), fact)
    size = sum(p.stat().st_size for p in PDFS.iterdir()) / 1024 / 1024
    print(
        f"rendercv {version}, themes: {', '.join(themes)}\n"
        f"{len(people)} people, {len(made) + len(SCANS)} PDFs in {PDFS.relative_to(ROOT)}, "
        f"{size:.1f} MB"
    )


if __name__ == "__main__":
    main()
