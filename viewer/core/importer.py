"""Import: files -> documents in an existing archive, in one transaction.

``import_files(archive, files)`` reads every file (``viewer.core.readers``), reads its title and
dates (``viewer.core.metadata``), finds who said what (``viewer.core.extract``) and only then opens
the archive for writing and writes everything through ``ArchiveWriter`` in one transaction:

* the archive is checked first with the same checks as opening it for reading (``viewer.core.db``),
  must be writable, and is never created;
* a folder stands for every document in it and its subfolders (``viewer.core.folders``); files in it
  that are no documents are listed as ignored, with the reason;
* each file is read and analysed within the import limits (``viewer.core.limits``), in a process of its
  own that a time budget or a cancel can stop (``viewer.core.reading``); a file that cannot be read, or
  asks for more than the limits allow, changes nothing and gets a one-line reason; the others are
  imported;
* content already in the archive (same text hash) is skipped and reported;
* a file whose title matches a report the archive lists without text fills that document;
* an error while writing, or a cancel, rolls everything back: the archive file is unchanged.

The bundled archive is never changed: ``import_target(archive, data_dir)`` (``viewer.core.import_target``)
decides where an import goes (the desktop app and ``archive-viewer import`` use the same rule). Importing
into the bundled archive goes into the user's own archive, ``<data dir>/archive.db``; the first time, that is made as a
copy of the bundled one, and it appears only once the import into the copy has committed.

``ImportJob`` wraps the same function for the desktop app: ``run()`` on a worker, ``cancel()`` from
the UI thread. What it did is an ``ImportReport`` (``viewer.core.import_report``); the archive is opened for
writing by ``viewer.core.archive_writing``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz

from viewer.core import limits, schema
from viewer.core.archive_writing import check_archive, writing
from viewer.core.build import ArchiveWriter, DocumentMeta, content_hash
from viewer.core.errors import ImportCancelled
from viewer.core.extract import Extraction, extract
from viewer.core.folders import gather
from viewer.core.import_report import DUPLICATE, FAILED, FILLED, IGNORED, IMPORTED, FileOutcome, ImportReport
from viewer.core.import_target import write_into_copy
from viewer.core.limits import ImportLimits
from viewer.core.metadata import DocumentInfo, describe
from viewer.core.pages import write_pages
from viewer.core.readers import ReadError, read_document
from viewer.core.reading import FileReader
from viewer.core.reading import release as release_reader
from viewer.core.source_text import SourceText
from viewer.core.text import fold, slugify

DEFAULT_COLLECTION = "Imported"

Progress = Callable[[int, int, str], None]


# ------------------------------------------------------------------ reading (no archive needed)


@dataclass
class Prepared:
    """A file read and analysed, ready to write."""

    source: SourceText
    info: DocumentInfo
    extraction: Extraction
    hashes: tuple[str, ...]  # content hashes that mean "the same text"

    @property
    def kind(self) -> str:
        return "transcript" if self.extraction.style == "transcript" else self.info.kind


def prepare(path: str | os.PathLike) -> Prepared:
    """Read, describe and analyse one file; ``ReadError`` says why it cannot be imported."""
    src = read_document(path)
    limits.checkpoint()
    info = describe(src.text, src.path.name, src.title_hint, src.published_hint, src.date_hints)
    if not re.search(r"\w", info.body):
        raise ReadError(f"{src.path.name}: has no text to import besides its title")
    limits.checkpoint()
    x = extract(info.body)
    hashes = tuple(dict.fromkeys(h for h in (content_hash(src.text), src.decoded_sha256) if h))
    return Prepared(src, info, x, hashes)


# ------------------------------------------------------------------ matching listed reports


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(title)).split())


def find_listing(conn: sqlite3.Connection, title: str, date: str | None) -> tuple[int | None, str | None]:
    """The document listed without text that a file titled ``title`` is the text of: the same title
    after folding, or one that starts with the other, equals a part of it around a colon, or is a close
    variant (a typo, a dash). (id, None), or (None, a note) when several fit or the dates disagree."""
    want = _title_key(title)
    if not want:
        return None, None
    exact, close = [], []
    for doc_id, listed_title, listed_date in conn.execute(
        "SELECT id, title, date FROM documents WHERE has_text = 0 ORDER BY id"
    ):
        have = _title_key(listed_title)
        if not have:
            continue
        parts = {_title_key(p) for p in re.split(r"[:–—]", listed_title)}
        if have == want:
            exact.append((doc_id, listed_title, listed_date))
        elif (
            (len(want.split()) >= 2 and (have.startswith(want + " ") or want in parts))
            or (len(have.split()) >= 2 and want.startswith(have + " "))
            or (min(len(have), len(want)) >= 12 and fuzz.ratio(have, want) >= 92)
        ):
            close.append((doc_id, listed_title, listed_date))
    found = exact or close
    if not found:
        return None, None
    if len(found) > 1:
        names = " or ".join(f"“{t}”" for _i, t, _d in found)
        return None, f"the title could be the listed report {names}; added as a new document"
    doc_id, listed_title, listed_date = found[0]
    if date and listed_date and date[:4] != listed_date[:4]:
        return None, (f"a listed report has this title (“{listed_title}”) but another date; added as a new document")
    return doc_id, None


# ------------------------------------------------------------------ writing


def _unique_slug(conn: sqlite3.Connection, title: str) -> str:
    base = slugify(title)
    slug, n = base, 1
    while conn.execute("SELECT 1 FROM documents WHERE slug = ?", (slug,)).fetchone():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _write(writer: ArchiveWriter, conn: sqlite3.Connection, item: Prepared, collection: str) -> FileOutcome:
    name = item.source.path.name
    marks = ",".join("?" * len(item.hashes))
    dup = conn.execute(f"SELECT id, slug, title FROM documents WHERE content_hash IN ({marks})", item.hashes).fetchone()
    if dup:
        return FileOutcome(
            str(item.source.path),
            DUPLICATE,
            f"{name}: already in the archive as “{dup[2]}” ({dup[1]}); nothing added",
            document_id=dup[0],
            slug=dup[1],
            title=dup[2],
        )
    info = item.info
    notes = list(info.notes)
    listing_id, note = find_listing(conn, info.title, info.date)
    if note:
        notes.append(note)
    if listing_id is not None:
        row = conn.execute(
            "SELECT slug, title, kind, date, date_end, collection, listed_in, position, source_note "
            "FROM documents WHERE id = ?",
            (listing_id,),
        ).fetchone()
        slug, title, kind, date, date_end, coll, listed_in, position, source_note = row
        listed_as = re.sub(r"\s*Its text is not in this archive\.\s*$", "", source_note or "").strip()
        if date and info.date_source in (None, "published"):
            # the listing's date stands; a publication date is kept as such
            notes = [n for n in notes if "publication date" not in n and "no date" not in n]
            new_date, new_end = date, date_end
        else:
            new_date, new_end = info.date, info.date_end
        meta = DocumentMeta(
            slug=slug,
            title=title,
            kind=kind,
            date=new_date,
            date_end=new_end,
            published=info.published,
            collection=coll,
            organiser=info.organiser,
            source_note=" ".join(filter(None, [listed_as, f"Text imported from “{name}”."])),
            listed_in=listed_in,
            publisher=item.source.site_hint,
            url=item.source.url_hint,
        )
        status = FILLED
    else:
        same = [
            (t, sl)
            for t, sl in conn.execute("SELECT title, slug FROM documents WHERE has_text = 1")
            if _title_key(t) == _title_key(info.title)
        ]
        if same:
            notes.append(
                f"the archive already has a document titled “{same[0][0]}” ({same[0][1]}) with other "
                "text; added as another document"
            )
        position = (
            (
                conn.execute(
                    "SELECT COALESCE(MAX(position), 0) FROM documents WHERE collection IS ?", (collection,)
                ).fetchone()[0]
            )
            + 1
        )
        meta = DocumentMeta(
            slug=_unique_slug(conn, info.title),
            title=info.title,
            kind=item.kind,
            date=info.date,
            date_end=info.date_end,
            published=info.published,
            collection=collection,
            organiser=info.organiser,
            source_note=f"Imported from “{name}”.",
            publisher=item.source.site_hint,
            url=item.source.url_hint,
        )
        status = IMPORTED
    res = writer.add_document(
        meta, item.source.text, item.extraction, position, log=lambda _m: None, document_id=listing_id
    )
    _write_source_details(conn, res.id, item)
    writer.index_document(res.id)
    notes.extend(item.source.notes)
    notes.extend(res.notes)
    notes.extend(item.extraction.notes)
    verb = f"filled the listed report “{meta.title}”" if status == FILLED else f"added “{meta.title}”"
    message = (
        f"{name}: {verb} ({meta.slug}): {len(res.speakers)} speaker{'s' if len(res.speakers) != 1 else ''}, "
        f"{res.passages} passages, {res.quotes} quote{'s' if res.quotes != 1 else ''}"
    )
    return FileOutcome(
        str(item.source.path),
        status,
        message,
        document_id=res.id,
        slug=meta.slug,
        title=meta.title,
        kind=meta.kind,
        date=meta.date,
        published=meta.published,
        speakers=res.speakers,
        speaker_ids=res.speaker_ids,
        new_speaker_ids=res.new_speaker_ids,
        passages=res.passages,
        quotes=res.quotes,
        notes=notes,
    )


def _write_source_details(conn: sqlite3.Connection, document_id: int, item: Prepared) -> None:
    """What only some formats give: each passage's pages and the footnotes (PDF), the author."""
    src = item.source
    write_pages(conn, document_id, ((p.seq, p.text) for p in item.extraction.passages), src.blocks, src.page_count)
    if src.author_hint:
        conn.execute("UPDATE documents SET author = ? WHERE id = ?", (src.author_hint[:300], document_id))


def _import_into_copy(
    source: Path,
    target: Path,
    files: list[Path],
    collection: str | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    import_limits: ImportLimits | None,
    data_dir: str | os.PathLike | None,
) -> ImportReport:
    """Import into a copy of ``source`` (the bundled archive) that becomes ``target`` only when the
    import added documents (``write_into_copy``)."""
    reports: list[ImportReport] = []

    def write(work: Path) -> bool:
        reports.append(
            import_files(work, files, collection, progress, cancelled, import_limits=import_limits, data_dir=data_dir)
        )
        return bool(reports[0].documents)

    copied = write_into_copy(source, target, write, "nothing was imported")
    report = reports[0]
    report.archive = str(target if copied else source)  # nothing new: no copy of the bundled archive is left
    report.copied_from = str(source) if copied else None
    return report


def import_files(
    archive: str | os.PathLike,
    files: Iterable[str | os.PathLike],
    collection: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    copy_from: str | os.PathLike | None = None,
    import_limits: ImportLimits | None = None,
    data_dir: str | os.PathLike | None = None,
) -> ImportReport:
    """Import ``files`` into the existing ``archive``; see the module docstring. Raises ArchiveError
    when the archive cannot be used (nothing changes), ImportCancelled when ``cancelled()`` turned
    true before the commit (nothing changes). With ``copy_from`` (an ``ImportTarget``'s), ``archive``
    is made as a copy of it holding the imported documents; nothing is made when none is added. Each
    file is read within ``import_limits`` (default ``ImportLimits()``; see ``viewer.core.reading``); a bug
    met while reading one is logged in ``data_dir``'s log and refuses that file only."""
    files, ignored = gather(files, cancelled)
    if cancelled is not None and cancelled():
        raise ImportCancelled("The import was cancelled; the archive is unchanged.")
    if copy_from is not None and not Path(archive).exists():
        report = _import_into_copy(
            Path(copy_from), Path(archive), files, collection, progress, cancelled, import_limits, data_dir
        )
        report.files.extend(FileOutcome(str(f), IGNORED, f"{f.name}: {why}") for f, why in ignored)
        return report
    collection = (collection or "").strip() or DEFAULT_COLLECTION
    total = 2 * len(files) + 1
    step = 0

    def tick(message: str) -> None:
        nonlocal step
        if cancelled is not None and cancelled():
            raise ImportCancelled("The import was cancelled; the archive is unchanged.")
        if progress is not None:
            progress(step, total, message)
        step += 1

    path = check_archive(archive)
    report = ImportReport(str(path))
    ready: list[tuple[int, Prepared]] = []
    with FileReader(import_limits, cancelled, data_dir) as reader:  # each file within the import limits
        for f in files:
            tick(f"Reading {f.name}")
            try:
                ready.append((len(report.files), reader.prepare(f)))
                report.files.append(FileOutcome(str(f), "", ""))
            except ReadError as e:  # a refusal (a limit among them), or a bug met in this file, logged
                report.files.append(FileOutcome(str(f), FAILED, e.message))
    if ready:
        with writing(path) as tx:
            schema.add_optional_columns(tx.conn)  # an archive made before the newer optional columns
            writer = ArchiveWriter(sqlite_utils.Database(tx.conn))
            for index, item in ready:
                tick(f"Writing {item.source.path.name}")
                report.files[index] = _write(writer, tx.conn, item, collection)
            tick("Saving")
            if report.documents:
                writer.refresh_counts()
                _check_indexes(tx.conn)
            else:
                tx.commit = False
    report.files.extend(FileOutcome(str(f), IGNORED, f"{f.name}: {why}") for f, why in ignored)
    step = total
    if progress is not None:
        progress(total, total, "Done")
    return report


def _check_indexes(conn: sqlite3.Connection) -> None:
    """The full-text indexes agree with their tables before we commit."""
    for table in schema.FTS:
        conn.execute(f"INSERT INTO [{table}_fts]([{table}_fts]) VALUES ('integrity-check')")


class ImportJob:
    """One import for the desktop app: ``run(progress)`` on a worker thread, ``cancel()`` from any
    thread. A cancel before the commit rolls everything back (``run`` raises ImportCancelled)."""

    def __init__(
        self,
        archive: str | os.PathLike,
        files: Iterable[str | os.PathLike],
        collection: str | None = None,
        copy_from: str | os.PathLike | None = None,
        import_limits: ImportLimits | None = None,
        data_dir: str | os.PathLike | None = None,
    ):
        self.archive = Path(archive)
        self.files = [Path(f) for f in files]
        self.collection = collection
        self.copy_from = Path(copy_from) if copy_from is not None else None
        self.import_limits = import_limits
        self.data_dir = data_dir
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self, progress: Progress | None = None) -> ImportReport:
        try:
            return import_files(
                self.archive,
                self.files,
                self.collection,
                progress,
                self._cancel.is_set,
                self.copy_from,
                self.import_limits,
                self.data_dir,
            )
        finally:
            release_reader()  # the app imports now and then: its reading process does not wait idle for the next
