# Resumes write dates and separators with en and em dashes; the patterns here match them.
# ruff: noqa: RUF001, RUF003
"""How the local engine reads a resume's roles and projects: their titles, organisations, dates
and what each says."""

from __future__ import annotations

import re

from resumes.reading.profile import Project, Role
from resumes.reading.text import BULLET, TITLE_WORDS, clean_line, clean_markdown
from resumes.reading.vocabulary import Vocabulary

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
SEPARATORS = re.compile(r"\s+(?:\||–|—|-|@|at)\s+|\s*[|,;]\s*")
# A place, not an organisation: "Leeds, UK", "Wilmington, DE, USA", "Remote".
PLACE = re.compile(
    r"^(?:(?i:remote|hybrid|on-?site)|[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2},"
    r"(?: ?[A-Z][\w.]*(?: [A-Z][\w.]*)?)(?:, ?[A-Z][\w.]*(?: [A-Z][\w.]*)?)?)$"
)


def date_range(text: str) -> tuple[str, str, str]:
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


def _title_parts(line: str, *, alone: bool = False) -> list[tuple[str, bool]]:
    """The pieces of an entry's title line without its dates and places, each with whether it
    was set in bold: a bold run is one piece ("**Staff Nurse (Band 5), Acute Medical Unit**") if
    something else on the line names the entry, or if it is `alone` on a title line of its own."""
    chunks: list[tuple[str, bool]] = []
    for cell in clean_markdown(line).split(" | "):
        cell = BULLET.sub("", cell).strip()
        strong = re.match(r"^\*\*(.+?)\*\*[\s,]*(.*)$", cell)
        chunks += [(strong[1], True), (strong[2], False)] if strong else [(cell, False)]
    chunks = [(date_range(clean_line(c))[0], b) for c, b in chunks]
    chunks = [(c, b) for c, b in chunks if c and not is_place(c)]
    # A bold run is one piece when something else names the entry beside it; all alone,
    # "**Software Engineer, Google**" is read like any other line.
    whole = alone or len(chunks) > 1
    parts: list[tuple[str, bool]] = []
    for chunk, bold in chunks:
        parts += [(chunk, True)] if bold and whole else [(p, bold) for p in _pieces(chunk)]
    return [(p, b) for p, b in parts if not is_place(p)]


def is_place(text: str) -> bool:
    return bool(PLACE.match(text)) and not TITLE_WORDS.search(text)


def _pieces(text: str) -> list[str]:
    """The pieces of a line of an entry's title, split at its separators, without the place
    ("Ocado Technology, Hatfield, UK" is "Ocado Technology")."""
    pieces: list[str] = []
    for part in re.split(r"\s+(?:–|—|-|@|at)\s+|\s*[|;·•]\s*", text):
        items = [_trim(item) for item in part.split(",") if _trim(item)]
        country = False
        while items and is_country(items[-1]):
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


def is_country(item: str) -> bool:
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


def read_roles(lines: list[str], vocabulary: Vocabulary) -> list[Role]:
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
            rest, start, end = date_range(text)
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


def read_projects(lines: list[str], vocabulary: Vocabulary) -> list[Project]:
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
    text, _, _ = date_range(text)
    for separator in (":", " – ", " — ", " - ", " | ", " ("):
        if separator in text:
            name, description = text.split(separator, 1)
            if 1 <= len(name.split()) <= 8:
                return name.strip(), description.strip(" )")
    words = text.split()
    if len(words) <= 8:
        return text, ""
    return " ".join(words[:6]), text
