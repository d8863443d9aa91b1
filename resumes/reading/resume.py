"""What a resume says about a candidate, as the local engine reads it.

A resume's Markdown (from pymupdf4llm) is cut into sections by its headings; each section is read
by the shape its entries take: a role is a line with a date range, its bullets are what the
candidate did there; a project is a named line or bullet; skills are the listed items. Skills and
tools anywhere in the text are recognised with the question bank's vocabulary.
"""

from __future__ import annotations

import re

from resumes.reading.education import read_education
from resumes.reading.entries import read_projects, read_roles
from resumes.reading.profile import Education, Project, ResumeProfile, Role
from resumes.reading.text import TITLE_WORDS, clean_line, clean_markdown
from resumes.reading.vocabulary import MAX_SKILLS, Vocabulary, unique

# The names callers import from here.
__all__ = ["Education", "Project", "ResumeProfile", "Role", "read_resume"]


SECTIONS = {
    "summary": (
        "summary",
        "profile",
        "professional summary",
        "personal profile",
        "personal statement",
        "about me",
        "objective",
        "career objective",
    ),
    "education": ("education", "academic background", "qualifications", "education and training"),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "relevant experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "internships",
        "placements",
        "clinical placements",
        "teaching experience",
        "teaching placements",
    ),
    "projects": (
        "projects",
        "personal projects",
        "academic projects",
        "selected projects",
        "key projects",
        "side projects",
    ),
    "skills": (
        "skills",
        "technical skills",
        "key skills",
        "core skills",
        "core competencies",
        "competencies",
        "skills and tools",
        "tools",
        "technologies",
        "tools and technologies",
        "clinical skills",
        "software",
    ),
    "other": (
        "certifications",
        "certificates",
        "awards",
        "achievements",
        "publications",
        "volunteering",
        "volunteer experience",
        "leadership",
        "activities",
        "extracurricular activities",
        "interests",
        "hobbies",
        "languages",
        "references",
        "contact",
    ),
}
HEADING_TO_SECTION = {
    heading: section for section, headings in SECTIONS.items() for heading in headings
}

MAX_ITEM_WORDS = 5


def read_resume(markdown: str, vocabulary: Vocabulary) -> ResumeProfile:
    """Return the profile the local engine reads from a resume's Markdown."""
    sections = _sections(markdown)
    profile = ResumeProfile(name=_name(markdown, sections.get("top", [])))
    profile.headline = _headline(profile.name, sections.get("top", []), sections.get("summary", []))
    profile.education = read_education(sections.get("education", []))
    profile.roles = read_roles(sections.get("experience", []), vocabulary)
    profile.projects = read_projects(sections.get("projects", []), vocabulary)
    listed = _listed_skills(sections.get("skills", []), vocabulary)
    mentioned = vocabulary.find(_own_words(markdown, profile))
    profile.skills = unique([*listed, *mentioned])[:MAX_SKILLS]
    return profile


def _own_words(markdown: str, profile: ResumeProfile) -> str:
    """The resume's text without the names of the organisations and schools it lists: "The
    Linux Foundation" or "Excel Academy Trust" claims no skill."""
    names = {r.organisation for r in profile.roles} | {e.institution for e in profile.education}
    text = clean_markdown(markdown)
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def _heading(line: str) -> str | None:
    """Return the section a line heads, if it is a heading of a known section."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return None
    text = clean_line(stripped).rstrip(":").lower()
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"\s*\(.*?\)\s*", " ", text).strip()  # "Experience (continued)"
    section = HEADING_TO_SECTION.get(text)
    if section is None and len(text.split()) <= 5:
        # "Clinical placements and experience", "Open-source projects": by its last words.
        section = next((s for h, s in HEADING_TO_SECTION.items() if text.endswith(" " + h)), None)
    if section is None:
        return None
    marked = (
        stripped.startswith("#")
        or stripped.startswith("**")
        or stripped.isupper()
        or stripped.endswith(":")
        or clean_line(stripped).lower() == text  # a bare line saying only "Experience"
    )
    return section if marked else None


def _sections(markdown: str) -> dict[str, list[str]]:
    """Cut the Markdown into sections by their headings; the lines before the first: "top".

    A table's rows become lines of their cells (a skills table): of the column whose header
    names skills or tools if there is one, else of every column.
    """
    sections: dict[str, list[str]] = {"top": []}
    current = "top"
    lines = markdown.splitlines()
    known = [clean_line(line) for line in lines if line.startswith("## ") and _heading(line)]
    capitals = bool(known) and all(heading.isupper() for heading in known)
    table: list[list[str]] = []
    for index, raw in enumerate(lines):
        if _is_row(raw):
            table.append([c.strip() for c in raw.strip().strip("|").split("|")])
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if _is_row(following):
                continue
            sections.setdefault(current, []).extend(_table_lines(table))
            table = []
            continue
        if re.fullmatch(r"\s*[-=_*]{3,}\s*", raw):
            continue  # a horizontal rule
        section = _heading(raw)
        if section is None and re.match(r"#\s", raw):
            section = "top"  # the name, as the document's title, may come after a sidebar
        elif section is None and re.match(r"##+\s", raw) and current != "top":
            text = clean_line(raw)
            if text.isupper() == capitals and "," not in text and not TITLE_WORDS.search(text):
                # Set as the section headings are, but of no section we read: "Patents",
                # "Invited talks". Its entries are not the section's above.
                section = "other"
            else:  # an entry's title set big: "Events Marketing Manager, EMEA"
                raw = f"**{text}**"
        if section is not None:
            current = section
            sections.setdefault(current, [])
            continue
        if raw.strip():
            sections.setdefault(current, []).append(raw.rstrip())
    return sections


def _is_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|")


def _table_lines(rows: list[list[str]]) -> list[str]:
    body = [r for r in rows if not all(re.fullmatch(r":?-{3,}:?", c) for c in r if c)]
    if len(body) < len(rows):  # a rule: the first row was the header
        header, body = [clean_line(c).lower() for c in body[0]], body[1:]
        named = [i for i, h in enumerate(header) if re.search(r"skill|tool|technolog|compet", h)]
        if named:
            return [row[named[0]] for row in body if len(row) > named[0] and row[named[0]]]
    return [cell for row in body for cell in row if cell]


def _name(markdown: str, top: list[str]) -> str:
    """The top-level heading (pymupdf4llm makes one of the biggest text), else the first line
    that looks like a name."""
    heading = re.search(r"^#\s+(.+)$", markdown, re.MULTILINE)
    candidates = [heading.group(1)] if heading else []
    for line in [*candidates, *top[:6]]:
        text = clean_line(line)
        words = text.split()
        if (
            2 <= len(words) <= 5
            and not re.search(r"[@\d/:]|https?|www\.", text)
            and all(w[0].isupper() for w in words if w[0].isalpha())
        ):
            return text
    return ""


def _headline(name: str, top: list[str], summary: list[str]) -> str:
    # The name is not among the top lines when it is the document's title ("# Name").
    under_name = [line for line in top[:4] if clean_line(line) != name] if name else top[1:4]
    # A summary's first line is a headline only when it is one ("Registered nurse, adult").
    short = [line for line in summary[:1] if len(clean_line(line).split()) <= 10]
    for line in [*under_name[:3], *short]:
        text = clean_line(line)
        if text and not CONTACT.search(text) and not re.fullmatch(r"[a-z0-9._-]+", text):
            return text[:200]
    return ""


# Contact details, not a headline: an e-mail, a phone number, an address on the web.
CONTACT = re.compile(r"@|\+?\d[\d ()-]{7,}|https?|www\.|\b[\w-]+\.[a-z]{2,6}/|linkedin|github")


SKILLS_COLUMN = re.compile(
    r"(?:key |core |technical )?(?:skills?|tools?|technolog\w*|competenc\w*)"
)


def _skills_cells(lines: list[str]) -> list[str]:
    """The lines of a skills section; of a table with a header row ("Area | Skills | Where
    used"), only its skills column."""
    out: list[str] = []
    column, width = -1, 0
    for line in lines:
        cells = [clean_line(cell) for cell in line.split(" | ")]
        named = [i for i, cell in enumerate(cells) if SKILLS_COLUMN.fullmatch(cell.lower())]
        if len(cells) > 1 and named:
            column, width = named[0], len(cells)
        elif column >= 0 and len(cells) == width:
            out.append(cells[column])
        else:
            column = -1
            out.append(line)
    return out


def _listed_skills(lines: list[str], vocabulary: Vocabulary) -> list[str]:
    items: list[str] = []
    for line in _skills_cells(lines):
        text = re.sub(r"^[^:]{1,30}:\s*", "", clean_line(line))  # "Languages: ..." -> "..."
        text = re.sub(r"\s*\([^)]*\)", "", text)  # "BLS (Resuscitation Council UK, 2024)"
        for item in re.split(r"\s*[,;|•·]\s*|\s+/\s+|\s+and\s+", text):
            item = item.strip(" .()")
            if item and len(item) <= 40 and len(item.split()) <= MAX_ITEM_WORDS:
                items.append(vocabulary.canonical(item))
    return items
