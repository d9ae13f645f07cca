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

The bundled archive is never changed: ``import_target(archive, data_dir)`` decides where an import
goes (the desktop app and ``archive-viewer import`` use the same rule). Importing into the bundled
archive goes into the user's own archive, ``<data dir>/archive.db``; the first time, that is made as a
copy of the bundled one, and it appears only once the import into the copy has committed.

``ImportJob`` wraps the same function for the desktop app: ``run()`` on a worker, ``cancel()`` from
the UI thread.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz

from viewer.core import db as dbmod
from viewer.core import limits, schema
from viewer.core.build import ArchiveWriter, DocumentMeta, content_hash
from viewer.core.datadir import IMPORT_PREFIX, clean_import_leftovers
from viewer.core.errors import ArchiveBusy, ArchiveError, ArchiveReadOnly, ExitCode, ImportCancelled
from viewer.core.extract import Extraction, extract
from viewer.core.files import fsync_file
from viewer.core.folders import gather
from viewer.core.limits import ImportLimits
from viewer.core.metadata import DocumentInfo, describe
from viewer.core.pages import write_pages
from viewer.core.readers import ReadError, SourceText, read_document
from viewer.core.reading import FileReader
from viewer.core.reading import release as release_reader
from viewer.core.scratch import ScratchDir
from viewer.core.text import fold, slugify
from viewer.core.values import problems as value_problems

DEFAULT_COLLECTION = "Imported"
BUSY_TIMEOUT_MS = 5000

Progress = Callable[[int, int, str], None]


# ------------------------------------------------------------------ results

IMPORTED = "imported"
FILLED = "filled"
DUPLICATE = "duplicate"
FAILED = "failed"
IGNORED = "ignored"  # found in a folder, not a kind of document we import (a picture, a spreadsheet)


@dataclass
class FileOutcome:
    """What happened to one file; ``message`` is one line for people."""

    path: str
    status: str
    message: str
    document_id: int | None = None
    slug: str | None = None
    title: str | None = None
    kind: str | None = None
    date: str | None = None
    published: str | None = None
    speakers: list[str] = field(default_factory=list)  # as this document names them
    speaker_ids: list[int] = field(default_factory=list)
    new_speaker_ids: list[int] = field(default_factory=list)  # speakers the archive did not have
    passages: int = 0
    quotes: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    archive: str
    files: list[FileOutcome] = field(default_factory=list)
    copied_from: str | None = None  # the bundled archive, when this import made the user's own copy of it

    def _with(self, *statuses: str) -> list[FileOutcome]:
        return [f for f in self.files if f.status in statuses]

    @property
    def documents(self) -> list[FileOutcome]:
        """Files that added or filled a document."""
        return self._with(IMPORTED, FILLED)

    @property
    def failed(self) -> list[FileOutcome]:
        return self._with(FAILED)

    @property
    def duplicates(self) -> list[FileOutcome]:
        return self._with(DUPLICATE)

    @property
    def ignored(self) -> list[FileOutcome]:
        return self._with(IGNORED)

    @property
    def speaker_ids(self) -> list[int]:
        """The archive's speakers in the imported documents, each once."""
        return list(dict.fromkeys(i for f in self.documents for i in f.speaker_ids))

    @property
    def new_speaker_ids(self) -> list[int]:
        return list(dict.fromkeys(i for f in self.documents for i in f.new_speaker_ids))

    @property
    def quotes(self) -> int:
        return sum(f.quotes for f in self.documents)

    @property
    def uncertain(self) -> list[str]:
        return [f"{Path(f.path).name}: {n}" for f in self.documents for n in f.notes]

    @property
    def first_document_id(self) -> int | None:
        docs = self.documents
        return docs[0].document_id if docs else None

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.failed else ExitCode.OK

    def summary(self) -> str:
        """One line: "2 documents imported (1 filling a listed report), 5 speakers (3 new), 9 quotes; ..." """
        docs = self.documents
        parts = [f"{len(docs)} document{'s' if len(docs) != 1 else ''} imported"]
        filled = self._with(FILLED)
        if filled:
            parts[0] += f" ({len(filled)} filling a listed report)"
        if docs:
            n = len(self.speaker_ids)
            parts.append(f"{n} speaker{'s' if n != 1 else ''} ({len(self.new_speaker_ids)} new)")
            parts.append(f"{self.quotes} quote{'s' if self.quotes != 1 else ''}")
        text = ", ".join(parts)
        extra = []
        if self.duplicates:
            extra.append(f"{len(self.duplicates)} already in the archive")
        if self.failed:
            extra.append(f"{len(self.failed)} could not be imported")
        if self.ignored:
            n = len(self.ignored)
            extra.append(f"{n} other file{'s' if n != 1 else ''} ignored")
        if self.uncertain:
            extra.append(f"{len(self.uncertain)} uncertain")
        return text + ("; " + ", ".join(extra) if extra else "") + "."

    def where(self) -> str:
        """One line saying which archive the import went into (and that the bundled one is unchanged)."""
        if self.copied_from:
            return (
                f"Your own archive is now {self.archive}: a copy of the bundled archive with what you "
                "imported. The bundled archive is left as it was; Archive Viewer opens yours from now on."
            )
        return f"Archive: {self.archive}"

    def lines(self) -> list[str]:
        """The report for people: the summary, one line per file (imported, already there, not imported,
        ignored), then what to check."""
        label = {
            IMPORTED: "Imported",
            FILLED: "Imported",
            DUPLICATE: "Skipped",
            FAILED: "Could not import",
            IGNORED: "Ignored",
        }
        rank = {IMPORTED: 0, FILLED: 0, DUPLICATE: 1, FAILED: 2, IGNORED: 3}
        out = [self.summary(), ""]
        out.extend(f"{label[f.status]} {f.message}" for f in sorted(self.files, key=lambda f: rank[f.status]))
        if self.uncertain:
            out.extend(["", "Please check:"])
            out.extend(f"• {n}" for n in self.uncertain)
        return out

    def to_dict(self) -> dict:
        return {
            "archive": self.archive,
            "summary": self.summary(),
            "documents": len(self.documents),
            "speakers": len(self.speaker_ids),
            "new_speakers": len(self.new_speaker_ids),
            "quotes": self.quotes,
            "uncertain": self.uncertain,
            "files": [asdict(f) for f in self.files],
            "copied_from": self.copied_from,
            "failed": len(self.failed),
            "duplicates": len(self.duplicates),
            "ignored": len(self.ignored),
        }


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


# ------------------------------------------------------------------ the archive, read-write


def check_archive(path: str | os.PathLike) -> Path:
    """The archive's path after every check a reader makes (exists, is an archive of a format we
    know, not damaged) plus writability; raises ArchiveError. Creates nothing."""
    try:
        conn = dbmod.open_archive(path)
    except ArchiveError as e:
        if "locked" in e.details.lower():
            raise ArchiveBusy(
                f"The archive “{Path(path).name}” is in use by another program; try again when it "
                "is done. Nothing was imported.",
                e.details,
            ) from e
        raise
    resolved = conn.path
    conn.close()
    reason = dbmod.read_only_reason(resolved)
    if reason:
        raise ArchiveReadOnly(f"The archive “{resolved.name}” {reason}; nothing was imported.", str(resolved))
    return resolved


class _Rows:
    """``db._check_schema`` reads through ``execute(sql) -> rows``; this gives it our connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: tuple = ()) -> list:
        return self.conn.execute(sql, params).fetchall()


def _map_write_error(e: BaseException, path: Path) -> ArchiveError:
    low = str(e).lower()
    if "locked" in low or "busy" in low:
        return ArchiveBusy(
            f"The archive “{path.name}” is in use by another program; try again when it is done. Nothing was imported.",
            str(e),
        )
    if "readonly" in low or "read-only" in low:
        return ArchiveReadOnly(f"The archive “{path.name}” is read-only; nothing was imported.", str(e))
    if "full" in low:
        return ArchiveError(
            f"The archive “{path.name}” could not be written: the disk is full. Nothing was imported.", str(e)
        )
    if "disk i/o" in low:
        return ArchiveError(
            f"The archive “{path.name}” could not be written (a disk error). Nothing was imported.", str(e)
        )
    return dbmod.map_error(e, path)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.commit = True  # False: nothing to keep, roll back so the file is not touched at all


@contextlib.contextmanager
def _writing(path: Path):
    """A read-write connection to an existing archive inside one IMMEDIATE transaction: committed
    when the block ends normally (unless ``commit`` was set false), rolled back on any exception
    (cancel included)."""
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as e:
        raise _map_write_error(e, path) from e
    try:
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            dbmod._check_schema(_Rows(conn), path)
            if conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]:
                raise dbmod.NotAnArchive(f"“{path.name}” is not an Archive Viewer archive.", "it has triggers")
            conn.execute("BEGIN IMMEDIATE")
            # never write into a damaged file: it would only get worse (checked under the write lock)
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
            if problems != ["ok"]:
                raise dbmod.ArchiveDamaged(
                    f"The archive “{path.name}” is damaged; nothing was imported.", "; ".join(map(str, problems))
                )
            # the writer reads what is there (speakers, titles, counts): every value must be one the format allows
            for table in schema.TABLES:
                bad = value_problems(lambda sql, params: conn.execute(sql, params).fetchall(), table, 1)
                if bad:
                    raise dbmod.DataDamaged(
                        f"The archive “{path.name}” is damaged ({bad[0]}); nothing was imported.", bad[0]
                    )
        except (sqlite3.Error, UnicodeDecodeError) as e:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            raise _map_write_error(e, path) from e
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            raise
        try:
            tx = _Transaction(conn)
            yield tx
            if tx.commit:
                conn.commit()
            else:
                conn.rollback()
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()
            if isinstance(e, sqlite3.Error):
                raise _map_write_error(e, path) from e
            raise
    finally:
        conn.close()


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


# ------------------------------------------------------------------ which archive an import goes into


@dataclass(frozen=True)
class ImportTarget:
    """Where an import writes: ``path``; with ``copy_from`` (the bundled archive), ``path`` does not
    exist yet and the import first copies ``copy_from`` there."""

    path: Path
    copy_from: Path | None = None

    @property
    def copied(self) -> bool:
        return self.copy_from is not None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def is_bundled(path: str | os.PathLike) -> bool:
    """True when ``path`` is the archive that ships with the app (never to be changed)."""
    from viewer.core.archive import default_archive_path

    return _same_file(Path(path).expanduser(), default_archive_path())


def import_target(archive_path: str | os.PathLike | None, data_dir: str | os.PathLike | None = None) -> ImportTarget:
    """Where an import into ``archive_path`` (None: the archive opened when none is named) goes.

    Any archive but the bundled one: that archive. The bundled one: the user's own archive
    ``<data dir>/archive.db`` (see ``viewer.core.datadir``), made as a copy of the bundled one by
    the first import. ``data_dir`` None means ``$ARCHIVE_VIEWER_DATA_DIR`` or the platform's folder."""
    from viewer.core.datadir import default_archive, user_archive_path

    path = Path(archive_path).expanduser() if archive_path else default_archive(data_dir)
    if not is_bundled(path):
        return ImportTarget(path)
    own = user_archive_path(data_dir)
    if _same_file(own, path):
        raise ArchiveReadOnly(
            f"The data folder {own.parent} is where the bundled archive is; the bundled "
            "archive is never changed, so nothing was imported. Choose another data folder "
            "(--data-dir).",
            str(own),
        )
    return ImportTarget(own) if own.exists() else ImportTarget(own, path)


def write_into_copy(source: Path, target: Path, write: Callable[[Path], bool], nothing: str) -> bool:
    """Make the user's own archive ``target`` as a copy of ``source`` (the bundled archive) changed by
    ``write(copy)``: the copy is made beside ``target`` (in a scratch folder: one a killed process left is
    removed by ``clean_import_leftovers``), written, and put in place only when ``write`` returns True (it
    changed something); else nothing is left behind. ``source`` is only read.
    ``nothing`` ends the messages of the errors ("nothing was imported")."""
    dbmod.open_archive(source).close()  # the same checks as reading it; raises ArchiveError
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_import_leftovers(target.parent)
        scratch = ScratchDir(IMPORT_PREFIX, target.parent)  # beside the target: os.replace moves it there whole
    except OSError as e:
        raise ArchiveReadOnly(
            f"Your own archive cannot be made in {target.parent} ({e.strerror or e}); {nothing}.", repr(e)
        ) from e
    work = scratch.path / "archive.db"
    try:
        try:
            shutil.copyfile(source, work)
            os.chmod(work, stat.S_IMODE(source.stat().st_mode) | stat.S_IWUSR | stat.S_IRUSR)
            wal = Path(str(source) + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, Path(str(work) + "-wal"))
        except OSError as e:
            raise ArchiveReadOnly(
                f"The bundled archive could not be copied to {target.parent} ({e.strerror or e}); {nothing}.", repr(e)
            ) from e
        if not write(work):
            return False
        with contextlib.suppress(OSError):
            fsync_file(work)
        if target.exists():
            raise ArchiveBusy(
                f"Your own archive {target} was made by another copy of Archive Viewer meanwhile; "
                f"{nothing}. Try again to add to it.",
                str(target),
            )
        os.replace(work, target)
        return True
    finally:
        scratch.close()


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
        with _writing(path) as tx:
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
