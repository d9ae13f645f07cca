"""What an import did (``viewer.core.importer``): one outcome per file, and the report of them all."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from viewer.core.errors import ExitCode

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
