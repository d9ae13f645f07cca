"""Test PDFs made with Qt (QPdfWriter and QPainter), laid out like real reports, with a manifest of
what is where.

``make_pdf(path, Report(...))`` flows paragraphs over pages in one or two columns, hyphenates long
words at line ends, sets running headers and footers with page numbers, puts footnotes at the foot
of the page that calls them, and can add pages with no text layer (a picture of text, as a scanner
makes) or with no text at all. It returns, for every paragraph, the pages it runs over, so a test
can check what the importer made of it. Lines are drawn row by row across the columns (left line
1, right line 1, left line 2 ...), so the order of the content stream is not the reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points (the writer works at 72 dpi)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.0, 80.0, 72.0
GUTTER = 22.0
NOTE_PT, HEADING_PT, RUNNING_PT = 8.0, 13.0, 8.5
FAMILY = "DejaVu Serif"
_NOTE_REF = re.compile(r"\[\^(\d+)\]")


@dataclass
class Paragraph:
    """A paragraph or a heading. ``[^1]`` in ``text`` calls footnote 1 (its text in ``Report.notes``)."""

    text: str
    heading: bool = False


@dataclass
class Report:
    paragraphs: list[Paragraph]
    columns: int = 1
    header: str | None = None  # running header on every page but the first ("{page}" is replaced)
    footer: str | None = "{page}"  # running footer on every page
    notes: dict[str, str] = field(default_factory=dict)  # footnote number -> its text
    hyphenate: bool = True
    scanned_pages: tuple[int, ...] = ()  # pages that are a picture of text, no text layer
    blank_pages: tuple[int, ...] = ()  # pages with nothing but the running header and footer
    title: str | None = None  # the PDF's own metadata
    body_pt: float = 10.5


@dataclass
class Placed:
    """Where a paragraph went: its first and last page."""

    text: str  # the paragraph as the importer should give it back (footnote calls removed)
    heading: bool
    page: int
    page_end: int


@dataclass
class Manifest:
    paragraphs: list[Placed]
    notes: dict[str, tuple[str, int]]  # number -> (the note as printed, its page)
    pages: int
    running: list[str]  # every running header and footer as printed


@dataclass
class _Line:
    x: float
    y: float  # baseline
    text: str
    heading: bool


@dataclass
class _Page:
    number: int
    lines: list[_Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    picture: str | None = None  # a scanned page: the words in its picture


def _font(pt: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont(FAMILY)
    f.setPointSizeF(pt)
    f.setBold(bold)
    f.setItalic(italic)
    f.setKerning(False)
    return f


class _Maker:
    def __init__(self, report: Report, device: QPdfWriter):
        self.r = report
        self.body = _font(report.body_pt)
        self.heading = _font(HEADING_PT, bold=True)
        self.note = _font(NOTE_PT)
        self.sup = _font(report.body_pt * 0.6)
        self.running = _font(RUNNING_PT, italic=True)
        self.fm = QFontMetricsF(self.body, device)
        self.hfm = QFontMetricsF(self.heading, device)
        self.nfm = QFontMetricsF(self.note, device)
        self.sfm = QFontMetricsF(self.sup, device)
        self.rfm = QFontMetricsF(self.running, device)
        self.col_w = (PAGE_W - 2 * MARGIN_X - (report.columns - 1) * GUTTER) / report.columns
        self.line_h = report.body_pt * 1.45
        self.note_room: dict[int, float] = {}  # page -> room kept at its foot for its notes

    def width(self, text: str, fm: QFontMetricsF) -> float:
        plain = _NOTE_REF.sub("", text)
        calls = "".join(_NOTE_REF.findall(text))
        return fm.horizontalAdvance(plain) + (self.sfm.horizontalAdvance(calls) if calls else 0)

    def lines(self, text: str, fm: QFontMetricsF, width: float, hyphenate: bool) -> list[str]:
        out: list[str] = []
        line = ""
        for word in text.split():
            trial = f"{line} {word}" if line else word
            if self.width(trial, fm) <= width:
                line = trial
                continue
            if hyphenate and line and len(word) >= 7 and word.isalpha():
                cut = next(
                    (k for k in range(len(word) - 3, 2, -1) if self.width(f"{line} {word[:k]}-", fm) <= width), None
                )
                if cut:
                    out.append(f"{line} {word[:cut]}-")
                    line = word[cut:]
                    continue
            if line:
                out.append(line)
            line = word
        if line:
            out.append(line)
        return out

    def note_height(self, number: str) -> float:
        return (
            len(self.lines(f"{number} {self.r.notes[number]}", self.nfm, PAGE_W - 2 * MARGIN_X, False)) * NOTE_PT * 1.3
        )

    def notes_room(self, numbers: list[str]) -> float:
        return sum(self.note_height(n) for n in numbers) + (12 if numbers else 0)

    def layout(self) -> tuple[list[_Page], list[Placed]]:
        """Lays the report out, again with the room each page's notes need until that room holds."""
        for _ in range(8):
            pages, placed = self._layout()
            room = {p.number: self.notes_room(p.notes) for p in pages if p.notes}
            if all(self.note_room.get(n, 0) >= r for n, r in room.items()):
                return pages, placed
            for n, r in room.items():
                self.note_room[n] = max(self.note_room.get(n, 0), r)
        return pages, placed

    def _layout(self) -> tuple[list[_Page], list[Placed]]:
        pages: list[_Page] = []
        placed: list[Placed] = []
        state = {"col": 0, "y": MARGIN_TOP}

        def bottom() -> float:
            return PAGE_H - MARGIN_BOTTOM - self.note_room.get(len(pages), 0)

        def new_page() -> None:
            pages.append(_Page(len(pages) + 1))
            while pages[-1].number in self.r.scanned_pages or pages[-1].number in self.r.blank_pages:
                if pages[-1].number in self.r.scanned_pages:
                    pages[-1].picture = "This page is a scanned letter. Its words are only a picture."
                pages.append(_Page(len(pages) + 1))
            state.update(col=0, y=MARGIN_TOP)

        def next_column() -> None:
            if state["col"] + 1 < self.r.columns:
                state.update(col=state["col"] + 1, y=MARGIN_TOP)
            else:
                new_page()

        new_page()
        for para in self.r.paragraphs:
            fm = self.hfm if para.heading else self.fm
            step = HEADING_PT * 1.6 if para.heading else self.line_h
            lines = self.lines(para.text, fm, self.col_w, self.r.hyphenate and not para.heading)
            if para.heading and state["y"] + len(lines) * step + 3 * self.line_h > bottom():
                next_column()  # no heading alone at the foot of a column
            first = None
            for text in lines:
                if state["y"] + step > bottom():
                    next_column()
                state["y"] += step
                x = MARGIN_X + state["col"] * (self.col_w + GUTTER)
                pages[-1].lines.append(_Line(x, state["y"], text, para.heading))
                pages[-1].notes.extend(n for n in _NOTE_REF.findall(text) if n not in pages[-1].notes)
                first = first or pages[-1].number
            state["y"] += self.line_h * 0.6
            placed.append(Placed(_NOTE_REF.sub("", para.text), para.heading, first, pages[-1].number))
        for n in self.r.blank_pages + self.r.scanned_pages:  # trailing pages without text
            while n > len(pages):
                pages.append(_Page(len(pages) + 1))
            if n in self.r.scanned_pages:
                pages[n - 1].picture = "This page is a scanned letter. Its words are only a picture."
        return pages, placed

    def draw_line(self, p: QPainter, line: _Line) -> None:
        if line.heading:
            p.setFont(self.heading)
            p.drawText(QPointF(line.x, line.y), line.text)
            return
        x, pos = line.x, 0
        for m in _NOTE_REF.finditer(line.text):
            chunk = line.text[pos : m.start()]
            p.setFont(self.body)
            p.drawText(QPointF(x, line.y), chunk)
            x += self.fm.horizontalAdvance(chunk)
            p.setFont(self.sup)
            p.drawText(QPointF(x, line.y - self.r.body_pt * 0.4), m.group(1))
            x += self.sfm.horizontalAdvance(m.group(1))
            pos = m.end()
        p.setFont(self.body)
        p.drawText(QPointF(x, line.y), line.text[pos:])


def _scanned_image(text: str) -> QImage:
    img = QImage(int(PAGE_W * 2), int(PAGE_H * 2), QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    painter = QPainter(img)
    painter.setFont(_font(22))
    painter.setPen(QColor("black"))
    painter.drawText(QRectF(120, 160, PAGE_W * 2 - 240, PAGE_H * 2 - 320), int(Qt.TextFlag.TextWordWrap), text)
    painter.end()
    return img


def make_pdf(path: str | Path, report: Report) -> Manifest:
    """Write ``report`` as a PDF at ``path``; needs a QGuiApplication (the ``qapp`` fixture)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    writer.setCreator("Archive Viewer tests")
    if report.title is not None:
        writer.setTitle(report.title)
    maker = _Maker(report, writer)
    pages, placed = maker.layout()
    notes_out: dict[str, tuple[str, int]] = {}
    running: list[str] = []
    painter = QPainter(writer)
    for page in pages:
        if page.number > 1:
            writer.newPage()
        if page.picture:
            painter.drawImage(QRectF(0, 0, PAGE_W, PAGE_H), _scanned_image(page.picture))
        for y in sorted({ln.y for ln in page.lines}):  # row by row across the columns
            for line in page.lines:
                if line.y == y:
                    maker.draw_line(painter, line)
        if page.notes:
            y = PAGE_H - MARGIN_BOTTOM - maker.note_room[page.number] + 12
            painter.drawLine(QPointF(MARGIN_X, y - 4), QPointF(MARGIN_X + 120, y - 4))
            painter.setFont(maker.note)
            for number in page.notes:
                for text in maker.lines(f"{number} {report.notes[number]}", maker.nfm, PAGE_W - 2 * MARGIN_X, False):
                    y += NOTE_PT * 1.3
                    painter.drawText(QPointF(MARGIN_X, y - 2), text)
                notes_out[number] = (f"{number} {report.notes[number]}", page.number)
        painter.setFont(maker.running)
        if report.header and page.number > 1:
            text = report.header.replace("{page}", str(page.number))
            painter.drawText(QPointF(MARGIN_X, MARGIN_TOP - 36), text)
            running.append(text)
        if report.footer:
            text = report.footer.replace("{page}", str(page.number))
            painter.drawText(QPointF((PAGE_W - maker.rfm.horizontalAdvance(text)) / 2, PAGE_H - 36), text)
            running.append(text)
    painter.end()
    return Manifest(placed, notes_out, len(pages), running)


# A trial monitoring report (our own words) that fills two pages in two columns: headings, quotes with
# their speakers, long words for hyphenation, two footnotes.
TITLE = "Trial monitoring in Aktobe: the second session"
HEADER = "Steppe Justice Monitor — Trial monitoring report"
BODY = [
    Paragraph(TITLE, heading=True),
    Paragraph("Date: 14 February 2023"),
    Paragraph(
        "Our observers attended the second session of the trial of the eleven Aktobe teachers, "
        "who are charged with organising an unsanctioned assembly after a peaceful picket outside the "
        "regional education department in early September. The session opened forty minutes "
        "late. Two observers attended."
    ),
    Paragraph(
        "The courtroom was full. Relatives of the defendants, journalists from three independent outlets "
        "and two diplomats from European embassies were admitted, while several supporters remained outside "
        "in the corridor for the whole day.[^1]"
    ),
    Paragraph("Findings", heading=True),
    Paragraph(
        "Presiding judge Saltanat Abenova refused the defence's request to call the head of the education "
        "department as a witness. Defence lawyer Marat Ospanov said the refusal deprived his clients of "
        "their only opportunity to question the official who had reported them to the police."
    ),
    Paragraph(
        "“The prosecution describes a conspiracy, but every document in the file shows teachers asking "
        "for their unpaid salaries,” Marat Ospanov told the court. “Nobody has explained which law a "
        "teacher breaks by holding a cardboard sign.”"
    ),
    Paragraph(
        "Two police witnesses gave testimony that contradicted their written statements. One of them, "
        "Lieutenant Ruslan Kairatov, acknowledged under cross-examination that he had not personally "
        "observed the picket and had signed a statement prepared by his superior.[^2]"
    ),
    Paragraph(
        "Gulmira Serikova, one of the defendants, addressed the court at the end of the day. “We teach "
        "children that the constitution protects them. We only wanted to see whether that was true,” "
        "she said. Her statement was interrupted twice by the prosecutor."
    ),
    Paragraph("Procedural concerns", heading=True),
    Paragraph(
        "Our observers recorded several procedural irregularities. The defence received the translated "
        "indictment only two days before the session, interpretation into Kazakh was intermittent, and "
        "the judge repeatedly instructed defendants to shorten their answers without any explanation."
    ),
    Paragraph(
        "The monitoring mission considers that these irregularities, taken together, raise serious "
        "questions about the equality of arms and the impartiality of the proceedings. Independent "
        "organisations should continue to observe the trial until its conclusion."
    ),
    Paragraph(
        "Anna Richter, a representative of the observers' coordinating committee, noted that the "
        "authorities had cooperated with the accreditation of international monitors. “Access is a "
        "beginning, not a guarantee,” she added."
    ),
    Paragraph("Context", heading=True),
    Paragraph(
        "The teachers began their protest in the summer, when salaries at several rural schools had not "
        "been paid for three months. Letters to the regional administration went unanswered, and a petition "
        "signed by more than four hundred parents was returned without comment."
    ),
    Paragraph(
        "According to the defence, the picket lasted forty minutes and ended when the deputy head of the "
        "department came out to speak with the teachers. Video recordings submitted to the court show no "
        "obstruction of traffic and no confrontation with the police."
    ),
    Paragraph(
        "The charges were brought six weeks later, after a local newspaper published an interview with "
        "two of the teachers. Observers note that the timing suggests the prosecution was a reaction to the "
        "publicity rather than to the picket itself."
    ),
    Paragraph("Recommendations", heading=True),
    Paragraph(
        "The authorities should drop the charges against the eleven teachers, pay the outstanding salaries "
        "and ensure that public sector employees can raise grievances without fear of prosecution."
    ),
    Paragraph(
        "The court should allow the defence to call the witnesses it has requested, provide complete "
        "interpretation throughout the proceedings and give the defendants adequate time to answer."
    ),
    Paragraph(
        "The next session is scheduled for 2 March 2023. Our observers will attend and publish an "
        "update within a week of the hearing."
    ),
]
NOTES = {
    "1": "Observers counted between forty and fifty people waiting outside the courtroom.",
    "2": "The statement was later added to the case file as an annex.",
}


def sample_report(**kwargs) -> Report:
    """The sample report in two columns with a running header, "Page N" footers and its notes."""
    options = dict(columns=2, header=HEADER, footer="Page {page}", notes=NOTES, title="Monitoring report")
    return Report(BODY, **{**options, **kwargs})


def encrypt(source: str | Path, target: str | Path, user_password: str, owner_password: str = "owner") -> None:
    """A copy of ``source`` encrypted with ``user_password`` (empty: opens without one)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(source))
    writer = PdfWriter(clone_from=reader)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    with open(target, "wb") as f:
        writer.write(f)


# ------------------------------------------------------------------ long reports for the benchmark

_SENTENCES = [p.text for p in BODY if not p.heading and not p.text.startswith("Date:")]


def long_report(pages: int, seed: int = 7, columns: int = 1) -> Report:
    """A report of exactly ``pages`` pages: the sample report's paragraphs, reshuffled into sections
    with headings, running headers, page-number footers and a footnote every few pages."""
    import random

    rng = random.Random(seed)
    sentences = [s for text in _SENTENCES for s in text.replace("[^1]", "").replace("[^2]", "").split(". ")]
    paragraphs: list[Paragraph] = []
    notes: dict[str, str] = {}
    section = 0
    while len(paragraphs) < pages * 12:
        if len(paragraphs) % 9 == 0:
            section += 1
            paragraphs.append(Paragraph(f"Section {section}: observations of session {section}", heading=True))
        text = ". ".join(rng.sample(sentences, rng.randint(2, 5))).rstrip(".") + "."
        if rng.random() < 0.08:
            number = str(len(notes) + 1)
            notes[number] = f"Note {number}: the observers' record of session {section}, kept in the mission's files."
            text = text[:-1] + f".[^{number}]"
        paragraphs.append(Paragraph(text))
    report = Report(
        paragraphs,
        columns=columns,
        header="Trial monitoring report — Aktobe",
        footer="Page {page}",
        notes=notes,
        title="Trial monitoring report",
    )
    # keep the paragraphs that fit on ``pages`` pages
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        writer = QPdfWriter(str(Path(folder) / "layout.pdf"))
        writer.setResolution(72)
        _laid, placed = _Maker(report, writer).layout()
        del writer
    keep = [i for i, p in enumerate(placed) if p.page_end <= pages]
    report.paragraphs = paragraphs[: len(keep)]
    used = {n for p in report.paragraphs for n in re.findall(r"\[\^(\d+)\]", p.text)}
    report.notes = {n: t for n, t in notes.items() if n in used}
    return report
