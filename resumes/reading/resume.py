# Resumes write dates and separators with en and em dashes; the patterns here match them.
# ruff: noqa: RUF001, RUF003
"""What a resume says about a candidate, as the local engine reads it.

A resume's Markdown (from pymupdf4llm) is cut into sections by its headings; each section is read
by the shape its entries take: a role is a line with a date range, its bullets are what the
candidate did there; a project is a named line or bullet; skills are the listed items. Skills and
tools anywhere in the text are recognised with the question bank's vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from resumes.reading.vocabulary import MAX_SKILLS, Vocabulary, unique


@dataclass
class Role:
    title: str
    organisation: str = ""
    start: str = ""
    end: str = ""
    highlights: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)


@dataclass
class Project:
    name: str
    description: str = ""
    tools: list[str] = field(default_factory=list)


@dataclass
class Education:
    institution: str
    qualification: str = ""
    dates: str = ""


@dataclass
class ResumeProfile:
    name: str = ""
    headline: str = ""
    education: list[Education] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResumeProfile:
        return cls(
            name=data.get("name", ""),
            headline=data.get("headline", ""),
            education=[Education(**e) for e in data.get("education", [])],
            roles=[Role(**r) for r in data.get("roles", [])],
            projects=[Project(**p) for p in data.get("projects", [])],
            skills=list(data.get("skills", [])),
        )


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

MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = rf"(?:{MONTH}\s+|\d{{1,2}}[/.])?(?:19|20)\d{{2}}"
OPEN_END = r"present|current|now|today|ongoing"
DATE_RANGE = re.compile(
    rf"\(?\s*(?P<start>{DATE})\s*(?:-|–|—|to|until)\s*(?P<end>{DATE}|{OPEN_END})\s*\)?",
    re.IGNORECASE,
)
SINGLE_DATE = re.compile(rf"\(?\b(?P<start>{DATE})\b\)?", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•▪◦●·‣]|\d+[.)])\s+")
SEPARATORS = re.compile(r"\s+(?:\||–|—|-|@|at)\s+|\s*[|,;]\s*")
TITLE_WORDS = re.compile(
    r"\b(?:intern|internship|engineer|developer|programmer|analyst|scientist|assistant|"
    r"associate|manager|lead|head|director|officer|consultant|coordinator|specialist|"
    r"researcher|nurse|teacher|tutor|trainee|apprentice|student|volunteer|representative|"
    r"executive|designer|architect|administrator|technician|placement|fellow|president|"
    r"captain|founder|co-founder|owner|advisor|adviser|accountant|auditor|banker|trader|"
    r"practitioner|midwife|carer|support worker|sales|marketing)\w*",
    re.IGNORECASE,
)
DEGREE_WORDS = re.compile(
    r"\b(?:b\.?sc|m\.?sc|b\.?a|m\.?a|b\.?eng|m\.?eng|ph\.?d|mba|bachelor|master|doctor|"
    r"diploma|degree|pgce|a[- ]levels?|gcses?|hnd|certificate|licen[cs]e|associate of|bs|ms)\b",
    re.IGNORECASE,
)
INSTITUTION_WORDS = re.compile(
    r"universit|college|school|institut|academy|polytechnic|politécnic|politecnic|escuela|"
    r"hochschule|école|ecole|campus",
    re.IGNORECASE,
)
MAX_ITEM_WORDS = 5


def read_resume(markdown: str, vocabulary: Vocabulary) -> ResumeProfile:
    """Return the profile the local engine reads from a resume's Markdown."""
    sections = _sections(markdown)
    profile = ResumeProfile(name=_name(markdown, sections.get("top", [])))
    profile.headline = _headline(profile.name, sections.get("top", []), sections.get("summary", []))
    profile.education = _education(sections.get("education", []))
    profile.roles = _roles(sections.get("experience", []), vocabulary)
    profile.projects = _projects(sections.get("projects", []), vocabulary)
    listed = _listed_skills(sections.get("skills", []), vocabulary)
    mentioned = vocabulary.find(markdown)
    profile.skills = unique([*listed, *mentioned])[:MAX_SKILLS]
    return profile


def clean_line(line: str) -> str:
    """A line without Markdown marks, bullets and extra spaces."""
    line = BULLET.sub("", line)
    line = re.sub(r"^#+\s*", "", line)
    line = re.sub(r"</?[a-z]+>", "", line)  # <u>, <br>
    line = line.replace("**", "").replace("__", "").replace("`", "")
    line = re.sub(r"(?<!\w)[_*](\S.*?\S|\S)[_*](?!\w)", r"\1", line)  # _italic_ / *italic*
    return " ".join(line.split()).strip(" |:")


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
    for line in [*under_name[:3], *summary[:1]]:
        text = clean_line(line)
        if text and not re.search(r"@|\+?\d[\d ()-]{7,}|https?|www\.", text):
            return text[:200]
    return ""


def _date_range(text: str) -> tuple[str, str, str]:
    """Return (text without its dates, start, end) of a line with a date range or a date."""
    match = DATE_RANGE.search(text) or SINGLE_DATE.search(text)
    if match is None:
        return text, "", ""
    start = match.group("start")
    end = match.groupdict().get("end") or ""
    rest = _trim(text[: match.start()] + " " + text[match.end() :])
    return " ".join(rest.split()), start.strip(), end.strip().capitalize() if end else ""


def _trim(text: str) -> str:
    """Strip separators, and brackets left unbalanced by cutting the dates out."""
    text = text.strip(" ,|–—-")
    while text.endswith("(") or (text.endswith(")") and text.count("(") < text.count(")")):
        text = text[:-1].strip(" ,|–—-")
    while text.startswith(")") or (text.startswith("(") and text.count("(") > text.count(")")):
        text = text[1:].strip(" ,|–—-")
    return text


def _split_title(text: str) -> tuple[str, str]:
    """Split "Title, Organisation" (in either order, with any usual separator)."""
    parts = [_trim(p) for p in SEPARATORS.split(text) if p and _trim(p)]
    if not parts:
        return "", ""
    titled = [p for p in parts if TITLE_WORDS.search(p)]
    title = titled[0] if titled else parts[0]
    others = [p for p in parts if p != title]
    return title, others[0] if others else ""


def _roles(lines: list[str], vocabulary: Vocabulary) -> list[Role]:
    roles: list[Role] = []
    previous_header = ""
    comma_title = ""  # the last title line, when it read "Title, Something"
    # Roles whose title line had a comma and a line of their own under it: (title, that line).
    comma_titles: dict[int, tuple[str, str]] = {}
    organisation_under = False  # some role has its organisation on the line under its title
    for line in lines:
        text = clean_line(line)
        is_bullet = bool(BULLET.match(line))
        if not is_bullet and DATE_RANGE.search(text):
            rest, start, end = _date_range(text)
            if not rest and previous_header:  # the dates on a line of their own
                rest, previous_header = previous_header, ""
                if roles and roles[-1].title and not roles[-1].start:
                    roles.pop()  # that header line was taken for a role without dates
            title, organisation = _split_title(rest)
            comma_title = rest if organisation and len(SEPARATORS.split(rest)) == 2 else ""
            comma_title = comma_title if "," in comma_title else ""
            if not organisation and previous_header and not TITLE_WORDS.search(previous_header):
                organisation = previous_header  # "Acme Payments" on the line above
                if roles and roles[-1].title == previous_header and not roles[-1].start:
                    roles.pop()
            roles.append(Role(title=title, organisation=organisation, start=start, end=end))
            previous_header = ""
        elif is_bullet and roles:
            roles[-1].highlights.append(text)
            previous_header = ""  # a header is the line just above a role's dates, not older
        elif not is_bullet:
            last = roles[-1].highlights[-1] if roles and roles[-1].highlights else ""
            if roles and not last and not roles[-1].organisation:
                roles[-1].organisation = text  # the organisation under the title
                organisation_under = True
            elif last and (not last.endswith((".", "!", "?")) or text[:1].islower()):
                roles[-1].highlights[-1] += " " + text  # a bullet wrapped onto a new line
            else:
                if roles and not last and comma_title and len(roles) - 1 not in comma_titles:
                    comma_titles[len(roles) - 1] = (comma_title, text)
                previous_header = text
    if organisation_under:
        # Where organisations go under the titles, "Student Nurse, Acute Medical Unit" over
        # "Edgbaston General Hospital" is one title, and the line under it the organisation.
        for index, (title, organisation) in comma_titles.items():
            roles[index].title, roles[index].organisation = title, organisation
    for role in roles:
        role.highlights = role.highlights[:8]
        role.tools = vocabulary.find(" ".join([role.title, *role.highlights]))
    return [r for r in roles if r.title]


def _projects(lines: list[str], vocabulary: Vocabulary) -> list[Project]:
    projects: list[Project] = []
    in_bullet = False  # the line before was a bullet (or a bullet's wrapped line)
    for line in lines:
        text = clean_line(line)
        if not text:
            continue
        is_bullet = bool(BULLET.match(line))
        if is_bullet and projects and not _looks_like_project(line, projects):
            projects[-1].description = (projects[-1].description + " " + text).strip()
            in_bullet = True
            continue
        if in_bullet and not is_bullet and _wrapped(projects[-1].description, line):
            projects[-1].description += " " + text  # a bullet wrapped onto a new line
            continue
        in_bullet = is_bullet
        name, description = _name_and_description(text)
        projects.append(Project(name=name, description=description))
    for project in projects:
        project.description = project.description[:400]
        project.tools = vocabulary.find(f"{project.name} {project.description}")
    return projects[:10]


def _wrapped(before: str, line: str) -> bool:
    """Whether a plain line goes on with the text before it (a bullet's wrapped line), rather
    than naming a project: it starts in lower case, or what it follows cannot end a sentence."""
    text = clean_line(line)
    if line.lstrip().startswith(("**", "__", "#")) or not text:
        return False
    follows = re.search(r"(?:,|\b(?:a|an|the|and|or|of|to|in|on|for|with|by|from))$", before)
    return text[:1].islower() or bool(follows)


def _looks_like_project(line: str, projects: list[Project]) -> bool:
    """A bullet is a project of its own when every project so far is a bullet with a name."""
    return all(p.description and ":" not in p.name for p in projects) and bool(
        re.match(r"^\s*[-*•]\s+\**[A-Z][^:–—]{2,60}(?:\**\s*[:–—]|\s+-\s)", line)
    )


def _name_and_description(text: str) -> tuple[str, str]:
    text, _, _ = _date_range(text)
    for separator in (":", " – ", " — ", " - ", " | ", " ("):
        if separator in text:
            name, description = text.split(separator, 1)
            if 1 <= len(name.split()) <= 8:
                return name.strip(), description.strip(" )")
    words = text.split()
    if len(words) <= 8:
        return text, ""
    return " ".join(words[:6]), text


def _education(lines: list[str]) -> list[Education]:
    entries: list[Education] = []
    for line in lines:
        text, start, end = _date_range(clean_line(line))
        dates = f"{start} – {end}" if end else start
        parts = [p.strip() for p in re.split(r"\s*[,|–—]\s*|\s+-\s+", text) if p.strip()]
        institution = next((p for p in parts if INSTITUTION_WORDS.search(p)), "")
        qualification = next((p for p in parts if DEGREE_WORDS.search(p)), "")
        if not institution and not qualification:
            if dates and entries and not entries[-1].dates:
                entries[-1].dates = dates  # "2023–2024, Distinction" under the entry
            continue
        if institution and entries and not entries[-1].institution:
            entries[-1].institution = institution
        elif qualification and entries and not entries[-1].qualification:
            entries[-1].qualification = qualification
        elif institution or qualification:
            entries.append(Education(institution, qualification, dates))
            continue
        else:
            continue
        if dates and not entries[-1].dates:
            entries[-1].dates = dates
    return entries[:6]


def _listed_skills(lines: list[str], vocabulary: Vocabulary) -> list[str]:
    items: list[str] = []
    for line in lines:
        text = re.sub(r"^[^:]{1,30}:\s*", "", clean_line(line))  # "Languages: ..." -> "..."
        text = re.sub(r"\s*\([^)]*\)", "", text)  # "BLS (Resuscitation Council UK, 2024)"
        for item in re.split(r"\s*[,;|•·]\s*|\s+/\s+|\s+and\s+", text):
            item = item.strip(" .()")
            if item and len(item) <= 40 and len(item.split()) <= MAX_ITEM_WORDS:
                items.append(vocabulary.canonical(item))
    return items
