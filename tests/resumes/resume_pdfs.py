"""Real PDFs built in the test, in the layouts students upload; the *_FACTS constants are what a
parser should find.

Every factory returns the bytes of a PDF made here with PyMuPDF, so nothing is read from disk or
the network. Text is set with MuPDF's built-in fonts (Helvetica, Times) through a `TextWriter`,
which embeds them as Unicode fonts: accented Latin names (Zoë, Łódź, Yıldız) and the "•" and "–"
of bullets and date ranges come back intact from `page.get_text()`. For CJK, MuPDF falls back to
its bundled Droid Sans Fallback. Fonts are subset before saving, so each resume is about 30 kB,
and a factory returns the same bytes every time (except `encrypted_pdf`, salted afresh).

Good resumes: `one_column`, `two_columns`, `skills_table`, `long_multipage`, `non_english_names`,
each with a `*_FACTS` dict (name, email, roles as (title, organisation, start, end), education
institutions, project names, skills, page count). Bad uploads: `renamed_png`, `truncated_pdf`,
`encrypted_pdf`, `thirty_pages`, `image_only`. `text_pdf` writes any text for edge cases.
"""

# The en dashes of date ranges and the Turkish dotless i are what real resumes contain.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import pymupdf

__all__ = [
    "ENCRYPTED_OWNER_PASSWORD",
    "ENCRYPTED_USER_PASSWORD",
    "LONG_MULTIPAGE_FACTS",
    "NON_ENGLISH_NAMES_FACTS",
    "ONE_COLUMN_FACTS",
    "SKILLS_TABLE_FACTS",
    "TWO_COLUMNS_FACTS",
    "encrypted_pdf",
    "image_only",
    "long_multipage",
    "non_english_names",
    "one_column",
    "renamed_png",
    "skills_table",
    "text_pdf",
    "thirty_pages",
    "truncated_pdf",
    "two_columns",
]

A4 = pymupdf.paper_rect("a4")
MARGIN = 50
BODY = pymupdf.Rect(MARGIN, MARGIN, A4.width - MARGIN, A4.height - MARGIN)
SANS = ("helv", "hebo")
SERIF = ("tiro", "tibo")
BODY_SIZE = 10.0
LEADING = 1.3
BLACK = (0.0, 0.0, 0.0)
NAVY = (0.1, 0.2, 0.4)
GREY = (0.6, 0.6, 0.6)
SIDEBAR = (0.93, 0.95, 0.97)

ENCRYPTED_USER_PASSWORD = "open-sesame"
ENCRYPTED_OWNER_PASSWORD = "career-centre"


class _Column:
    """Writes a resume top to bottom inside `rect`, turning to a new page when it runs out.

    Several columns can share a page (pass `page`); call `close()` to put the text on the page.
    """

    def __init__(
        self,
        doc: pymupdf.Document,
        rect: pymupdf.Rect,
        *,
        page: pymupdf.Page | None = None,
        family: tuple[str, str] = SANS,
    ) -> None:
        self.doc = doc
        self.rect = rect
        self.regular, self.bold = (pymupdf.Font(name) for name in family)
        self.page = page if page is not None else doc.new_page(width=A4.width, height=A4.height)
        self.y = rect.y0
        self._writers: dict[tuple[float, ...], pymupdf.TextWriter] = {}

    # Low level: one line of text at the cursor.

    def _put(
        self,
        x: float,
        text: str,
        font: pymupdf.Font,
        size: float,
        color: tuple[float, ...] = BLACK,
    ) -> None:
        if color not in self._writers:
            self._writers[color] = pymupdf.TextWriter(self.page.rect)
        self._writers[color].append((x, self.y + size), text, font=font, fontsize=size)

    def _advance(self, size: float) -> None:
        self.y += size * LEADING

    def _room_for(self, height: float) -> None:
        """Start a new page unless `height` points still fit in the column."""
        if self.y + height > self.rect.y1:
            self.page_break()

    def _hanging(
        self,
        prefix: str,
        prefix_font: pymupdf.Font,
        text: str,
        *,
        indent: float = 0.0,
        size: float = BODY_SIZE,
    ) -> None:
        """Write `prefix` then `text`, wrapped so its later lines line up under its first."""
        x = self.rect.x0 + indent
        offset = prefix_font.text_length(prefix, fontsize=size) if prefix else 0.0
        lines = _wrap(text, self.regular, size, self.rect.x1 - x - offset)
        for number, line in enumerate(lines):
            self._room_for(size * LEADING)
            if number == 0 and prefix:
                self._put(x, prefix, prefix_font, size)
            self._put(x + offset, line, self.regular, size)
            self._advance(size)

    # Building blocks of a resume.

    def page_break(self) -> None:
        self._flush()
        self.page = self.doc.new_page(width=A4.width, height=A4.height)
        self.y = BODY.y0

    def gap(self, points: float) -> None:
        self.y += points

    def name(self, name: str, tagline: str = "") -> None:
        """The candidate's name, large and bold, and an optional line under it."""
        self._put(self.rect.x0, name, self.bold, 20, NAVY)
        self._advance(20)
        if tagline:
            self.text(tagline, size=11)

    def text(self, text: str, *, bold: bool = False, size: float = BODY_SIZE) -> None:
        """Wrapped text; each newline starts a new line and a blank line leaves a small gap."""
        font = self.bold if bold else self.regular
        for paragraph in text.split("\n"):
            if not paragraph.strip():
                self.gap(size / 2)
                continue
            for line in _wrap(paragraph, font, size, self.rect.width):
                self._room_for(size * LEADING)
                self._put(self.rect.x0, line, font, size)
                self._advance(size)

    def contact(self, *parts: str) -> None:
        self.text("  |  ".join(parts))

    def heading(self, title: str) -> None:
        """An UPPERCASE section heading with a thin rule under it."""
        size = 11.5
        self._room_for(size * LEADING + 8 + 3 * BODY_SIZE * LEADING)  # keep with what follows
        self.gap(8)
        self._put(self.rect.x0, title.upper(), self.bold, size, NAVY)
        self._advance(size)
        self.page.draw_line(
            (self.rect.x0, self.y - 2), (self.rect.x1, self.y - 2), color=GREY, width=0.6
        )
        self.gap(3)

    def bullets(self, items: Iterable[str], mark: str = "•") -> None:
        for item in items:
            self._hanging(f"{mark} ", self.regular, item, indent=6)

    def labelled(self, label: str, text: str) -> None:
        """A line such as "Languages: Python, SQL" with the label in bold."""
        self._hanging(f"{label} ", self.bold, text)

    def entry(
        self, title: str, right: str = "", subtitle: str = "", bullets: Sequence[str] = ()
    ) -> None:
        """A bold title with `right` flush right (dates), a subtitle line, then bullets."""
        self._room_for(2 * BODY_SIZE * LEADING + 4)
        self.gap(4)
        if right:
            width = self.regular.text_length(right, fontsize=BODY_SIZE)
            self._put(self.rect.x1 - width, right, self.regular, BODY_SIZE)
            title_width = self.rect.width - width - 8
        else:
            title_width = self.rect.width
        for line in _wrap(title, self.bold, BODY_SIZE, title_width):
            self._put(self.rect.x0, line, self.bold, BODY_SIZE)
            self._advance(BODY_SIZE)
        if subtitle:
            self.text(subtitle)
        self.bullets(bullets)

    def role(
        self,
        title: str,
        organisation: str,
        start: str,
        end: str,
        bullets: Sequence[str] = (),
        *,
        dash: str = " – ",
    ) -> None:
        """A job or placement: title, dates as "start<dash>end", organisation, bullets."""
        self.entry(title, f"{start}{dash}{end}", organisation, bullets)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        """A ruled table; the first row is a shaded header. `widths` are fractions of the column."""
        size, pad = 9.5, 4.0
        self.gap(4)
        for number, row in enumerate(rows):
            font = self.bold if number == 0 else self.regular
            cells = [
                _wrap(cell, font, size, self.rect.width * share - 2 * pad)
                for cell, share in zip(row, widths, strict=True)
            ]
            height = max(len(lines) for lines in cells) * size * LEADING + 2 * pad
            self._room_for(height)
            top, x = self.y, self.rect.x0
            for lines, share in zip(cells, widths, strict=True):
                box = pymupdf.Rect(x, top, x + self.rect.width * share, top + height)
                fill = SIDEBAR if number == 0 else None
                self.page.draw_rect(box, color=BLACK, fill=fill, width=0.5, overlay=False)
                self.y = top + pad
                for line in lines:
                    self._put(x + pad, line, font, size)
                    self._advance(size)
                x = box.x1
            self.y = top + height

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        for color, writer in self._writers.items():
            writer.write_text(self.page, color=color)
        self._writers = {}


def _wrap(text: str, font: pymupdf.Font, size: float, width: float) -> list[str]:
    """Split `text` into lines no wider than `width` points (a long word gets a line to itself)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and font.text_length(candidate, fontsize=size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _save(doc: pymupdf.Document) -> bytes:
    """Subset the fonts and compress; without a file /ID, the same resume gives the same bytes."""
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


# 1. One column: a software engineering graduate.

ONE_COLUMN_FACTS = {
    "name": "Priya Raman",
    "email": "priya.raman@example.com",
    "city": "Manchester",
    "pages": 1,
    "roles": [
        ("Student Software Developer", "University of Manchester IT", "09/2024", "Present"),
        ("Backend Engineering Intern", "Acme Payments", "Jun 2023", "Aug 2024"),
    ],
    "education": ["University of Manchester", "Altrincham Grammar School for Girls"],
    "projects": ["Food Bank Rota Planner", "Lecture Notes Search"],
    "skills": [
        "Python",
        "JavaScript",
        "TypeScript",
        "SQL",
        "Django",
        "Django REST Framework",
        "React",
        "PostgreSQL",
        "Docker",
        "Git",
        "GitHub Actions",
        "Linux",
    ],
    "highlights": ["Led the migration of the billing service from MySQL to PostgreSQL"],
}


def one_column() -> bytes:
    """A one-page, single-column resume of a computer science graduate (Python, Django, React)."""
    doc = pymupdf.open()
    cv = _Column(doc, BODY)
    cv.name("Priya Raman", "Software Engineer")
    cv.contact("priya.raman@example.com", "+44 7700 900123", "Manchester, UK", "github.com/praman")

    cv.heading("Education")
    cv.entry(
        "BSc (Hons) Computer Science with Industrial Experience",
        "Sep 2020 – Jun 2025",
        "University of Manchester",
        ["First Class Honours. Dissertation: incremental full-text indexing in PostgreSQL."],
    )
    cv.entry(
        "A levels: Mathematics (A*), Computer Science (A*), Physics (A)",
        "2018–2020",
        "Altrincham Grammar School for Girls",
    )

    cv.heading("Experience")
    cv.role(
        "Student Software Developer",
        "University of Manchester IT",
        "09/2024",
        "Present",
        [
            "Maintain the Django room-booking system used by 40,000 students and staff.",
            "Added React components for accessible booking forms; wrote Playwright tests.",
        ],
        dash=" - ",
    )
    cv.role(
        "Backend Engineering Intern",
        "Acme Payments",
        "Jun 2023",
        "Aug 2024",
        [
            "Led the migration of the billing service from MySQL to PostgreSQL with no downtime.",
            "Built Django REST Framework endpoints for refunds, cutting support tickets by 30%.",
            "Packaged services with Docker and added GitHub Actions checks to every merge.",
        ],
    )

    cv.heading("Projects")
    cv.entry(
        "Food Bank Rota Planner",
        "2024",
        bullets=[
            "Django and React app that schedules volunteer shifts for a local food bank.",
            "PostgreSQL database, deployed with Docker Compose on a small Linux VPS.",
        ],
    )
    cv.entry(
        "Lecture Notes Search",
        "2023",
        bullets=["Full-text search over lecture notes with PostgreSQL tsvector and TypeScript."],
    )

    cv.heading("Skills")
    cv.labelled("Languages:", "Python, JavaScript, TypeScript, SQL")
    cv.labelled("Frameworks:", "Django, Django REST Framework, React")
    cv.labelled("Tools:", "PostgreSQL, Docker, Git, GitHub Actions, Linux")
    cv.close()
    return _save(doc)


# 2. Two columns: a data analyst graduate with a shaded sidebar.

TWO_COLUMNS_FACTS = {
    "name": "Daniel Okafor",
    "email": "daniel.okafor@example.com",
    "city": "Leeds",
    "pages": 1,
    "roles": [
        ("Data Analyst Intern", "Harbour Retail Group", "Jun 2024", "Sep 2024"),
        ("Research Assistant", "Leeds Institute for Data Analytics", "Jan 2024", "May 2024"),
        ("Insight Analyst (Placement)", "Northwind Energy", "2022", "2023"),
    ],
    "education": ["University of Leeds", "University of Nottingham"],
    "projects": ["Subscription Churn Model", "A&E Waiting Times Dashboard"],
    "skills": [
        "SQL",
        "Python",
        "R",
        "pandas",
        "NumPy",
        "scikit-learn",
        "Tableau",
        "Excel",
        "BigQuery",
        "dbt",
        "A/B testing",
        "statistics",
        "regression",
    ],
}


def two_columns() -> bytes:
    """A one-page, two-column resume of a data analyst: a shaded sidebar with contact, skills and
    education on the left, experience and projects on the right."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    split = MARGIN + 150
    left = pymupdf.Rect(MARGIN - 10, 115, split - 10, BODY.y1)
    right = pymupdf.Rect(split + 15, 115, BODY.x1, BODY.y1)
    page.draw_rect(pymupdf.Rect(0, 0, split, A4.height), color=None, fill=SIDEBAR)

    header = _Column(doc, pymupdf.Rect(split + 15, MARGIN, BODY.x1, 115), page=page)
    header.name("Daniel Okafor", "Data Analyst")
    header.close()

    side = _Column(doc, left, page=page)
    side.heading("Contact")
    side.text("daniel.okafor@example.com\n+44 7700 900456\nLeeds, UK\nlinkedin.com/in/dokafor")
    side.heading("Skills")
    side.labelled("Languages:", "SQL, Python, R")
    side.labelled("Libraries:", "pandas, NumPy, scikit-learn")
    side.labelled("Tools:", "Tableau, Excel, BigQuery, dbt")
    side.labelled("Methods:", "A/B testing, statistics, regression")
    side.heading("Education")
    side.entry("MSc Data Science", "", "University of Leeds\n2023–2024, Distinction")
    side.entry("BSc Economics", "", "University of Nottingham\n2020–2023, 2:1")
    side.close()

    main = _Column(doc, right, page=page)
    main.heading("Experience")
    main.role(
        "Data Analyst Intern",
        "Harbour Retail Group",
        "Jun 2024",
        "Sep 2024",
        [
            "Designed and analysed A/B tests of checkout changes worth £1.2m a year.",
            "Rebuilt weekly trading reports in SQL and Tableau, saving a day of work each week.",
        ],
    )
    main.role(
        "Research Assistant",
        "Leeds Institute for Data Analytics",
        "Jan 2024",
        "May 2024",
        ["Cleaned and linked survey data in pandas; fitted regression models in R."],
    )
    main.role(
        "Insight Analyst (Placement)",
        "Northwind Energy",
        "2022",
        "2023",
        [
            "Forecast customer demand with Python and scikit-learn for the pricing team.",
            "Moved spreadsheet models to BigQuery and dbt with tested, documented tables.",
        ],
        dash="–",
    )
    main.heading("Projects")
    main.entry(
        "Subscription Churn Model",
        "2024",
        bullets=["Gradient-boosted churn model in scikit-learn, explained with SHAP values."],
    )
    main.entry(
        "A&E Waiting Times Dashboard",
        "2023",
        bullets=[
            "Tableau dashboard of NHS England open data, refreshed monthly by a Python script.",
            "Used statistics to flag trusts whose waits changed significantly month to month.",
        ],
    )
    main.close()
    return _save(doc)


# 3. Skills as a ruled table: a nursing graduate whose roles are clinical placements.

SKILLS_TABLE_FACTS = {
    "name": "Aisha Bello",
    "email": "aisha.bello@example.com",
    "city": "Birmingham",
    "pages": 1,
    "roles": [
        ("Student Nurse, Acute Medical Unit", "Edgbaston General Hospital", "Jan 2024", "Apr 2024"),
        ("Student Nurse, Community Nursing", "Sandwell Community Health", "Sep 2023", "Nov 2023"),
        ("Healthcare Assistant (Bank)", "Midlands Care Partnership", "09/2021", "Present"),
    ],
    "education": ["Birmingham City University"],
    "projects": ["Falls Prevention Audit"],
    "skills": [
        "NEWS2",
        "A–E assessment",
        "Medication administration",
        "IV therapy",
        "SBAR handover",
        "Epic",
        "BLS",
        "Manual handling",
        "Wound care",
    ],
}


def skills_table() -> bytes:
    """A one-page resume of an adult nursing graduate; placements as roles, skills in a table."""
    doc = pymupdf.open()
    cv = _Column(doc, BODY)
    cv.name("Aisha Bello", "Registered Nurse (Adult), NMC PIN applied for")
    cv.contact("aisha.bello@example.com", "07700 900789", "Birmingham")

    cv.heading("Education")
    cv.entry(
        "BSc (Hons) Adult Nursing",
        "2021–2024",
        "Birmingham City University",
        ["2,300 practice hours across acute, community and surgical placements."],
    )

    cv.heading("Clinical placements and experience")
    cv.role(
        "Student Nurse, Acute Medical Unit",
        "Edgbaston General Hospital",
        "Jan 2024",
        "Apr 2024",
        [
            "Cared for a bay of six patients under supervision; recorded NEWS2 and escalated.",
            "Gave SBAR handovers and administered oral and IV medication with a second checker.",
        ],
    )
    cv.role(
        "Student Nurse, Community Nursing",
        "Sandwell Community Health",
        "Sep 2023",
        "Nov 2023",
        ["Visited housebound patients for wound care, catheter care and insulin administration."],
    )
    cv.role(
        "Healthcare Assistant (Bank)",
        "Midlands Care Partnership",
        "09/2021",
        "Present",
        ["Personal care, observations and manual handling on medical and care-of-elderly wards."],
        dash=" - ",
    )

    cv.heading("Clinical skills")
    cv.table(
        [
            ["Area", "Skills", "Where used"],
            ["Assessment", "NEWS2, A–E assessment, Waterlow", "Acute Medical Unit"],
            ["Medicines", "Medication administration, IV therapy", "Acute Medical Unit"],
            ["Communication", "SBAR handover, family updates", "All placements"],
            ["Care", "Wound care, Manual handling", "Community Nursing, Bank"],
            ["Systems", "Epic electronic patient record", "Acute Medical Unit"],
            ["Certificates", "BLS (Resuscitation Council UK, 2024)", "Mandatory training"],
        ],
        widths=[0.22, 0.48, 0.30],
    )

    cv.heading("Projects")
    cv.entry(
        "Falls Prevention Audit",
        "2024",
        bullets=["Audited 60 falls risk assessments against trust policy; presented findings."],
    )
    cv.close()
    return _save(doc)


# 4. A long CV over several pages: an experienced machine learning engineer.

_LONG_ROLES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "Head of Machine Learning",
        "Calder Analytics",
        "Mar 2023",
        "Present",
        [
            "Lead a team of nine building forecasting and ranking models for retail clients.",
            "Set up model review, offline evaluation and on-call for production models.",
            "Cut training costs by 45% by moving batch jobs to spot instances with Ray.",
        ],
    ),
    (
        "Senior Machine Learning Engineer",
        "Calder Analytics",
        "Jan 2020",
        "Feb 2023",
        [
            "Built the demand forecasting service (PyTorch, FastAPI) serving 2,000 stores.",
            "Introduced feature stores and data contracts with the data platform team.",
        ],
    ),
    (
        "Machine Learning Engineer",
        "Brightpath Insurance",
        "Jan 2019",
        "Dec 2019",
        [
            "Shipped a claims triage model that routed 30% of claims to fast-track handling.",
            "Wrote the monitoring for drift and calibration, reviewed monthly with actuaries.",
        ],
    ),
    (
        "Postdoctoral Research Associate",
        "University of Edinburgh",
        "Oct 2016",
        "Dec 2018",
        [
            "Research on probabilistic time-series models; four papers, two at NeurIPS.",
            "Supervised three MSc dissertations and co-taught Machine Learning Practical.",
        ],
    ),
    (
        "Visiting Researcher",
        "Turing Research Lab",
        "Jun 2016",
        "Sep 2016",
        ["Gaussian process models for energy demand, with code released as open source."],
    ),
    (
        "Doctoral Researcher",
        "University of Edinburgh",
        "Sep 2012",
        "Sep 2016",
        [
            "PhD thesis: scalable Bayesian inference for hierarchical time series.",
            "Taught tutorials in probability and statistics for three years.",
        ],
    ),
    (
        "Software Developer",
        "Pennine Software Ltd",
        "Jul 2010",
        "Aug 2012",
        [
            "Developed reporting features for a logistics platform in Java and PostgreSQL.",
            "Introduced automated testing and continuous integration with Jenkins.",
        ],
    ),
    (
        "Graduate Developer",
        "Pennine Software Ltd",
        "Sep 2009",
        "Jun 2010",
        ["Rotated through the payments, reporting and support teams."],
    ),
    (
        "Data Engineering Intern",
        "Lumen Logistics",
        "Jun 2008",
        "Sep 2008",
        ["Wrote ETL jobs in Python loading depot scans into a reporting database."],
    ),
]

_PUBLICATIONS = [
    "Whitfield, E., Grant, M. (2018). Amortised inference for hierarchical forecasts. NeurIPS.",
    "Whitfield, E., et al. (2017). Sparse Gaussian processes for energy demand. AISTATS.",
    "Whitfield, E., Grant, M. (2016). Coherent probabilistic forecasts. NeurIPS.",
    "Whitfield, E. (2015). Variational inference for count time series. UAI Workshop.",
]

LONG_MULTIPAGE_FACTS = {
    "name": "Dr Eleanor Whitfield",
    "email": "eleanor.whitfield@example.com",
    "city": "Edinburgh",
    "pages": 3,
    "roles": [(title, org, start, end) for title, org, start, end, _ in _LONG_ROLES],
    "education": ["University of Edinburgh", "University of Bristol"],
    "projects": ["hierarchical-forecast", "gp-energy", "tidy-evals"],
    "publications": _PUBLICATIONS,
    "skills": [
        "Python",
        "PyTorch",
        "JAX",
        "SQL",
        "Java",
        "FastAPI",
        "Ray",
        "Kubernetes",
        "PostgreSQL",
        "Bayesian inference",
        "time-series forecasting",
    ],
}


def long_multipage(pages: int = 3) -> bytes:
    """A long CV of an experienced ML engineer, in Times, over exactly `pages` pages (2 to 9).

    The nine roles of LONG_MULTIPAGE_FACTS are spread evenly over the pages, so with the default
    three pages roles are on pages 1, 2 and 3; education, publications, projects and skills follow
    the last role.
    """
    if not 2 <= pages <= len(_LONG_ROLES):
        raise ValueError(f"long_multipage spans 2 to {len(_LONG_ROLES)} pages, not {pages}")
    doc = pymupdf.open()
    cv = _Column(doc, BODY, family=SERIF)
    cv.name("Dr Eleanor Whitfield", "Machine Learning Engineer and Researcher")
    cv.contact("eleanor.whitfield@example.com", "Edinburgh, UK", "github.com/ewhitfield")
    cv.heading("Profile")
    cv.text(
        "Machine learning lead with fifteen years across industry and research, from ETL and "
        "backend engineering to probabilistic forecasting in production. Comfortable owning a "
        "model end to end: data contracts, evaluation, deployment, monitoring and the team."
    )

    cv.heading("Experience")
    count = len(_LONG_ROLES)
    for number in range(pages):
        if number:
            cv.page_break()
            cv.heading("Experience (continued)")
        share = _LONG_ROLES[number * count // pages : (number + 1) * count // pages]
        for title, org, start, end, points in share:
            cv.role(title, org, start, end, points)

    cv.heading("Education")
    cv.entry("PhD Informatics", "2012–2016", "University of Edinburgh")
    cv.entry("MEng Computer Science, First Class", "2005–2009", "University of Bristol")
    cv.heading("Publications")
    cv.bullets(_PUBLICATIONS, mark="-")
    cv.heading("Open-source projects")
    cv.entry("hierarchical-forecast", "2018", bullets=["Reconciled forecasts in JAX; 1.2k stars."])
    cv.entry("gp-energy", "2016", bullets=["Sparse Gaussian processes for energy data in Python."])
    cv.entry("tidy-evals", "2022", bullets=["Offline evaluation harness for ranking models."])
    cv.heading("Skills")
    cv.labelled("Languages:", "Python, SQL, Java")
    cv.labelled("ML:", "PyTorch, JAX, Bayesian inference, time-series forecasting")
    cv.labelled("Platform:", "FastAPI, Ray, Kubernetes, PostgreSQL")
    cv.close()
    if doc.page_count != pages:
        raise AssertionError(f"long_multipage laid out {doc.page_count} pages, not {pages}")
    return _save(doc)


# 5. Names and places beyond ASCII.

NON_ENGLISH_NAMES_FACTS = {
    "name": "Zoë Kowalczyk-Øvergård",
    "email": "zoe.kowalczyk@example.com",
    "city": "Oslo",
    "pages": 1,
    "roles": [
        ("Backend Developer", "Sjøfart Analyse AS", "Sep 2023", "Present"),
        ("Research Assistant", "Universidad Politécnica de Madrid", "Feb 2022", "Jul 2022"),
        ("Software Developer Intern", "Müller & Söhne GmbH", "Jul 2021", "Sep 2021"),
    ],
    "education": ["Łódź University of Technology", "Universidad Politécnica de Madrid"],
    "projects": ["Przystanek Łódź"],
    "skills": ["Python", "Kotlin", "PostgreSQL", "Docker", "Polish", "Norwegian", "Spanish"],
    "referees": ["Ayşe Yıldız", "王芳"],
}


def non_english_names() -> bytes:
    """A one-page resume full of accented names and places, and a referee's name in Chinese."""
    doc = pymupdf.open()
    cv = _Column(doc, BODY)
    cv.name("Zoë Kowalczyk-Øvergård", "Backend Developer")
    cv.contact("zoe.kowalczyk@example.com", "+47 400 00 000", "Oslo, Norway")

    cv.heading("Education")
    cv.entry(
        "BSc Computer Science (Inżynier Informatyki)",
        "2019–2023",
        "Łódź University of Technology",
    )
    cv.entry("Erasmus+ exchange semester", "2022", "Universidad Politécnica de Madrid")

    cv.heading("Experience")
    cv.role(
        "Backend Developer",
        "Sjøfart Analyse AS",
        "Sep 2023",
        "Present",
        ["Build Kotlin and PostgreSQL services that track vessel movements along the coast."],
    )
    cv.role(
        "Research Assistant",
        "Universidad Politécnica de Madrid",
        "Feb 2022",
        "Jul 2022",
        ["Analysed bus arrival data for the Grupo de Sistemas Inteligentes with Python."],
    )
    cv.role(
        "Software Developer Intern",
        "Müller & Söhne GmbH",
        "Jul 2021",
        "Sep 2021",
        ["Moved the Düsseldorf warehouse's order tracking to Docker containers."],
    )

    cv.heading("Projects")
    cv.entry(
        "Przystanek Łódź",
        "2023",
        bullets=["Android app (Kotlin) with live tram departures for Łódź; 5,000 downloads."],
    )

    cv.heading("Skills")
    cv.labelled("Technical:", "Python, Kotlin, PostgreSQL, Docker")
    cv.labelled("Spoken:", "Polish (native), Norwegian (C1), Spanish (B2), English (C2)")

    cv.heading("References")
    cv.text("Prof. Ayşe Yıldız, Łódź University of Technology")
    cv.text("Dr 王芳 (Wang Fang), Universidad Politécnica de Madrid")
    cv.close()
    return _save(doc)


# Bad uploads.


def renamed_png() -> bytes:
    """A real PNG (a small render of `one_column()`), to be uploaded under the name resume.pdf."""
    with pymupdf.open(stream=one_column(), filetype="pdf") as doc:
        return doc[0].get_pixmap(dpi=24).tobytes("png")


def truncated_pdf() -> bytes:
    """The first half of `one_column()`'s bytes, as an interrupted upload leaves it.

    MuPDF still opens it, repairing the cross-reference table (`doc.is_repaired` is true), and
    recovers only part of the text: the name and section headings, not the roles.
    """
    data = one_column()
    return data[: len(data) // 2]


def encrypted_pdf() -> bytes:
    """`one_column()` encrypted with AES-256; it needs ENCRYPTED_USER_PASSWORD to be opened."""
    with pymupdf.open(stream=one_column(), filetype="pdf") as doc:
        return doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            owner_pw=ENCRYPTED_OWNER_PASSWORD,
            user_pw=ENCRYPTED_USER_PASSWORD,
        )


def thirty_pages() -> bytes:
    """A valid 30-page PDF, a portfolio rather than a resume, with text on every page."""
    return text_pdf(
        "Coursework portfolio of Priya Raman.\n"
        "Python, Django and PostgreSQL assignments with marker feedback.",
        pages=30,
    )


def image_only() -> bytes:
    """A scanned `one_column()`: a greyscale image of the page, with no text layer at all."""
    with pymupdf.open(stream=one_column(), filetype="pdf") as original:
        scan = original[0].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_image(page.rect, pixmap=scan)
    return _save(doc)


def text_pdf(text: str, pages: int = 1) -> bytes:
    """A plain PDF with `text` (Helvetica 10 pt, wrapped) on each of `pages` pages.

    Newlines start new lines; "" gives blank pages. Text too long for a page runs on to more.
    """
    doc = pymupdf.open()
    for _ in range(pages):
        page = _Column(doc, BODY)  # a new column starts a page of its own
        page.text(text)
        page.close()
    return _save(doc)


# --- Hostile files -----------------------------------------------------------------------------


def flate_bomb(inflated_mb: int = 1024, pages: int = 10) -> bytes:
    """A small PDF whose pages share one Flate content stream that unpacks to `inflated_mb` MB.

    Written by hand (MuPDF would unpack the stream to save it): about 1 kB of PDF per 1 MB
    unpacked, so the default is a 1 MB file that unpacks to 1 GB.
    """
    packer = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    stream = b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
            for _ in range(pages)
        ),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def javascript_pdf() -> bytes:
    """One column's resume, which runs a script when it is opened (/OpenAction)."""
    doc = pymupdf.open(stream=one_column(), filetype="pdf")
    script = doc.get_new_xref()
    doc.update_object(script, "<< /S /JavaScript /JS (app.alert('hello')) >>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{script} 0 R")
    return _save(doc)


def html_polyglot() -> bytes:
    """One column's resume that is also a web page with a script, for a browser that sniffs."""
    return b"<html><body><script>alert(document.cookie)</script>" + one_column() + b"</body></html>"
