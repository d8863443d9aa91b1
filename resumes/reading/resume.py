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
# "… · September 2020 to December" over "2022": a range the line's width cut in two.
CUT_RANGE = re.compile(rf"{DATE}\s*(?:-|–|—|to|until)(?:\s+{MONTH})?\s*$", re.IGNORECASE)
RANGE_REST = re.compile(rf"^\s*(?:{DATE}|(?:19|20)\d{{2}}|{OPEN_END})\b", re.IGNORECASE)
SINGLE_DATE = re.compile(rf"\(?\b(?P<start>{DATE})\b\)?", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•▪◦●·‣]|\d+[.)])\s+")
SEPARATORS = re.compile(r"\s+(?:\||–|—|-|@|at)\s+|\s*[|,;]\s*")
TITLE_WORDS = re.compile(
    r"\b(?:intern|internship|engineer|developer|programmer|analyst|scientist|assistant|"
    r"associate|manager|lead|head|director|officer|consultant|coordinator|specialist|"
    r"researcher|nurse|teacher|tutor|trainee|apprentice|student|volunteer|representative|"
    r"executive|designer|architect|administrator|technician|placement|fellow|president|"
    r"captain|founder|co-founder|owner|advisor|adviser|accountant|auditor|banker|trader|"
    r"practitioner|midwife|carer|support worker|sales|marketing|supervisor|treasurer|"
    r"aider|leader|chef|receptionist|agent|clerk|planner|buyer|editor|writer|"
    r"lecturer|instructor|coach|therapist|pharmacist|physician|doctor|surgeon|paramedic|"
    r"operator|inspector|surveyor|controller|secretary|mentor|ambassador)"
    # Singular only: "John Lewis & Partners", "Smith Associates" name organisations.
    r"\b",
    re.IGNORECASE,
)
# A place, not an organisation: "Leeds, UK", "Wilmington, DE, USA", "Remote".
PLACE = re.compile(
    r"^(?:(?i:remote|hybrid|on-?site)|[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2},"
    r"(?: ?[A-Z][\w.]*(?: [A-Z][\w.]*)?)(?:, ?[A-Z][\w.]*(?: [A-Z][\w.]*)?)?)$"
)
DEGREE_WORDS = re.compile(
    r"\b(?:b\.?sc|m\.?sc|b\.?a|m\.?a|b\.?eng|m\.?eng|ph\.?d|mba|bachelor|master|doctor|"
    r"diploma|degree|pgce|a[- ]levels?|gcses?|hnd|certificate|licen[cs]e|associate of|bs|ms)\b",
    re.IGNORECASE,
)
INSTITUTION_WORDS = re.compile(
    r"universit|college|school|institut|academy|polytechnic|politécnic|politecnic|escuela|"
    r"hochschule|école|ecole|campus|coláiste|colaiste|lycée|gymnas",
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


MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")


def clean_markdown(text: str) -> str:
    """Markdown links as their text only: "[FlashInfer](https://github.com/…)" is "FlashInfer"."""
    return MARKDOWN_LINK.sub(r"\1", text)


def clean_line(line: str) -> str:
    """A line without Markdown marks, bullets and extra spaces."""
    line = BULLET.sub("", clean_markdown(line))
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
    return _choose([(p, False) for p in _pieces(text)])


def _title_parts(line: str, *, alone: bool = False) -> list[tuple[str, bool]]:
    """The pieces of an entry's title line without its dates and places, each with whether it
    was set in bold: a bold run is one piece ("**Staff Nurse (Band 5), Acute Medical Unit**") if
    something else on the line names the entry, or if it is `alone` on a title line of its own."""
    chunks: list[tuple[str, bool]] = []
    for cell in clean_markdown(line).split(" | "):
        cell = BULLET.sub("", cell).strip()
        strong = re.match(r"^\*\*(.+?)\*\*[\s,]*(.*)$", cell)
        chunks += [(strong[1], True), (strong[2], False)] if strong else [(cell, False)]
    chunks = [(_date_range(clean_line(c))[0], b) for c, b in chunks]
    chunks = [(c, b) for c, b in chunks if c and not _place(c)]
    # A bold run is one piece when something else names the entry beside it; all alone,
    # "**Software Engineer, Google**" is read like any other line.
    whole = alone or len(chunks) > 1
    parts: list[tuple[str, bool]] = []
    for chunk, bold in chunks:
        parts += [(chunk, True)] if bold and whole else [(p, bold) for p in _pieces(chunk)]
    return [(p, b) for p, b in parts if not _place(p)]


def _place(text: str) -> bool:
    return bool(PLACE.match(text)) and not TITLE_WORDS.search(text)


def _pieces(text: str) -> list[str]:
    """The pieces of a line of an entry's title, split at its separators, without the place
    ("Ocado Technology, Hatfield, UK" is "Ocado Technology")."""
    pieces: list[str] = []
    for part in re.split(r"\s+(?:–|—|-|@|at)\s+|\s*[|;·•]\s*", text):
        items = [_trim(item) for item in part.split(",") if _trim(item)]
        country = False
        while items and _country(items[-1]):
            items.pop()
            country = True
        if country and items and len(items[-1].split()) <= 2 and not TITLE_WORDS.search(items[-1]):
            items.pop()  # the town before the country
        pieces += items
    return pieces


COUNTRY = re.compile(
    r"^(?:[A-Z]{2,3}|England|Scotland|Wales|Ireland|Northern Ireland|United Kingdom|"
    r"United States|Canada|Mexico|Brazil|Argentina|Chile|Colombia|Peru|Spain|Portugal|France|"
    r"Germany|Italy|Netherlands|Belgium|Switzerland|Austria|Poland|Czechia|Sweden|Norway|"
    r"Denmark|Finland|Greece|Türkiye|Turkey|Romania|Hungary|Ukraine|Kenya|Nigeria|Ghana|"
    r"South Africa|Egypt|Morocco|India|Pakistan|Bangladesh|China|Japan|Korea|South Korea|"
    r"Singapore|Malaysia|Indonesia|Philippines|Vietnam|Thailand|Australia|New Zealand|UAE|"
    r"Saudi Arabia|Qatar|Israel|Remote|Hybrid)$"
)


def _country(item: str) -> bool:
    """A country (or a state's code): the end of a place. "UK (remote)" too."""
    return bool(COUNTRY.match(re.sub(r"\s*\(.*?\)", "", item).strip()))


def _title_score(part: str) -> int:
    """How much a piece reads as a job title: a title word last ("Dental Nurse") beats one
    inside ("Nurse Bank Office")."""
    words = list(TITLE_WORDS.finditer(part))
    if not words:
        return 0
    return 2 if words[-1].end() >= len(part.rstrip(" )")) or part.endswith(")") else 1


def _choose(parts: list[tuple[str, bool]]) -> tuple[str, str]:
    """The title and the organisation among an entry's pieces."""
    if not parts:
        return "", ""
    best = max(range(len(parts)), key=lambda i: (_title_score(parts[i][0]), -i))
    title = parts[best][0]
    others = [p for i, p in enumerate(parts) if i != best]
    # The organisation: the one set in bold if the title is not, else the first other piece.
    organisation = next((p for p, bold in others if bold), others[0][0] if others else "")
    return title, organisation


def _roles(lines: list[str], vocabulary: Vocabulary) -> list[Role]:
    roles: list[Role] = []
    previous_header = ""
    comma_title = ""  # the last title line, when it read "Title, Something"
    # Roles whose title line had a comma and a line of their own under it: (title, that line).
    comma_titles: dict[int, tuple[str, str]] = {}
    organisation_under = False  # some role has its organisation on the line under its title
    previous_raw = ""  # the previous header as written (with its bold marks)
    for line in _join_cut_ranges(lines):
        text = clean_line(line)
        is_bullet = bool(BULLET.match(line))
        if not is_bullet and DATE_RANGE.search(text):
            rest, start, end = _date_range(text)
            parts = _title_parts(line)
            if not rest and previous_header:  # the dates on a line of their own
                rest, previous_header = previous_header, ""
                parts = _title_parts(previous_raw)
                if roles and roles[-1].title and not roles[-1].start:
                    roles.pop()  # that header line was taken for a role without dates
            elif previous_header and not any(_title_score(p) for p, _ in parts):
                # "**Financial Analyst** | Manchester, UK" over "Barclays | Sept 2020 – Dec
                # 2022": the title is on the line above, the organisation on this one.
                above = _title_parts(previous_raw, alone=True)
                if any(_title_score(p) for p, _ in above):
                    # The title from above; then this line's pieces (the organisation) before
                    # the rest of the line above (a city, say).
                    titled = [p for p in above if _title_score(p[0])]
                    rest_above = [p for p in above if not _title_score(p[0])]
                    parts, previous_header = [*titled, *parts, *rest_above], ""
            names_above = _pieces(clean_line(previous_raw)) if previous_header else []
            if names_above and not any(_title_score(p) for p in names_above):
                # "**The Linux Foundation**" over "**Events Marketing Manager, EMEA** | 2022 –
                # present": the organisation above, this whole line the title.
                alone = _title_parts(line, alone=True)
                if len(alone) == 1:
                    parts, previous_header = [*alone, (names_above[0], True)], ""
            title, organisation = _choose(parts)
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
            elif (
                last
                and not line.lstrip().startswith("**")  # a bold line heads the next entry
                and (not last.endswith((".", "!", "?")) or text[:1].islower())
            ):
                roles[-1].highlights[-1] += " " + text  # a bullet wrapped onto a new line
            else:
                if roles and not last and comma_title and len(roles) - 1 not in comma_titles:
                    comma_titles[len(roles) - 1] = (comma_title, text)
                previous_header, previous_raw = text, line
    if organisation_under:
        # Where organisations go under the titles, "Student Nurse, Acute Medical Unit" over
        # "Edgbaston General Hospital" is one title, and the line under it the organisation.
        for index, (title, organisation) in comma_titles.items():
            roles[index].title, roles[index].organisation = title, organisation
    for role in roles:
        role.highlights = role.highlights[:8]
        role.tools = vocabulary.find(" ".join([role.title, *role.highlights]))
    return [r for r in roles if r.title]


def _join_cut_ranges(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if joined and CUT_RANGE.search(joined[-1]) and RANGE_REST.match(line):
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


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


GLUED_SCHOOL = re.compile(
    r"(?<=[a-z)])(?=(?:Universit|College|School|Institut|Academy|Escuela|Hochschule|Coláiste))"
)
# Separators of an education line's parts, outside brackets: "Leaving Certificate (Biology,
# Chemistry)" is one part.
OUTSIDE_BRACKETS = re.compile(r"\s*[,|–—]\s*(?![^()]*\))|\s+-\s+")


def _degree_and_school(part: str) -> list[str]:
    """A part naming both, as "PGCE University of Bristol" or "BA (Hons) Oxford Brookes
    University", split in two; "in Adult Nursing" without its "in"."""
    part = re.sub(r"^(?:in|of)\s+", "", part.strip())
    degree = DEGREE_WORDS.search(part)
    if degree is None or not INSTITUTION_WORDS.search(part):
        return [part] if part else []
    end = degree.end()
    bracket = re.match(r"\s*\([^)]*\)", part[end:])  # "(Hons)"
    end += bracket.end() if bracket else 0
    before, after = part[:end].strip(), part[end:].strip()
    if degree.start() == 0 and after and INSTITUTION_WORDS.search(after):
        return [before, after]
    return [part]


def _education(lines: list[str]) -> list[Education]:
    entries: list[Education] = []
    for line in lines:
        text, start, end = _date_range(clean_line(line))
        # A degree run into its school across a narrow column: "DiplomaEscuela de Hostelería".
        text = GLUED_SCHOOL.sub(" ", text)
        dates = f"{start} – {end}" if end else start
        if BULLET.match(line) and not INSTITUTION_WORDS.search(text):
            continue  # a note under the entry: "- First-class honours; dissertation on …"
        parts = [p for part in OUTSIDE_BRACKETS.split(text) for p in _degree_and_school(part)]
        institution = next((p for p in parts if INSTITUTION_WORDS.search(p)), "")
        qualification = next((p for p in parts if DEGREE_WORDS.search(p)), "")
        subject = next((p for p in parts if p not in (institution, qualification)), "")
        if (
            qualification
            and 0 < len(subject.split()) <= 6
            and len(qualification.split()) <= 3
            and not _place(subject)
            and not _country(subject)
        ):
            qualification = f"{qualification} {subject}"  # "BSc (Hons)", "Mathematics"
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
