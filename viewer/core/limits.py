"""How much work one imported file may cost, and the one-line refusals when a file asks for more.

A file from a source can be small on disk and huge in the work it makes: a DOCX whose ``document.xml``
unpacks to millions of paragraphs, a text that normalises in quadratic time. Sizes alone do not bound
that, so an import bounds five things per file (``ImportLimits``, user settings with these defaults):

* ``file_mb``: the largest file on disk;
* ``unpacked_mb``: the largest size of a DOCX (any zip-based file) once unpacked, read from the zip's
  directory before anything is extracted, and counted again while it is (a directory can lie);
* ``paragraphs`` and ``characters``: the most paragraphs (in a DOCX, paragraph elements, empty ones
  too) and characters in one document;
* ``seconds``: the time budget for reading and analysing one file.

Readers call ``checkpoint()`` in their loops (and ``count_paragraphs``/``count_characters`` as they
go), so a file over a limit is refused as soon as it is: each ``LimitExceeded`` is one line
("report.docx: too large when unpacked: 310.4 MB (limit 256 MB)"). ``applying(limits, cancelled)`` sets
the limits, the budget's clock and the cancel check for the calling thread; with none applied, the
defaults hold and nothing is timed. ``viewer.core.reading`` also enforces the time budget from outside,
on a reading process it can stop, for work that has no checkpoint.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace

from viewer.core.errors import ImportCancelled, ReadError, UsageError

MB = 1024 * 1024


class LimitExceeded(ReadError):
    """A file asks for more than a limit allows; ``message`` names the file, the limit and how far over."""


@dataclass(frozen=True)
class ImportLimits:
    """The limits of one import (see the module docstring); every value must be positive."""

    file_mb: float = 256.0  # a PDF with its pictures, a saved page with its own
    unpacked_mb: float = 256.0
    paragraphs: int = 50_000
    characters: int = 2_000_000
    seconds: float = 60.0

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * MB)

    @property
    def unpacked_bytes(self) -> int:
        return int(self.unpacked_mb * MB)

    @classmethod
    def names(cls) -> list[str]:
        """The settings' names as the command line spells them: ``file-mb``, ``unpacked-mb``, ..."""
        return [f.name.replace("_", "-") for f in fields(cls)]

    def with_settings(self, settings: Iterable[str]) -> ImportLimits:
        """These limits with ``NAME=VALUE`` settings applied (``paragraphs=50000``); UsageError says what is
        wrong with a setting."""
        changes: dict[str, float | int] = {}
        kinds = {f.name: f.type for f in fields(self)}
        for setting in settings:
            name, sep, value = setting.partition("=")
            key = name.strip().replace("-", "_")
            if not sep or key not in kinds:
                raise UsageError(f"--limit {setting!r}: give NAME=VALUE, NAME one of {', '.join(self.names())}")
            try:
                number = int(value) if kinds[key] in (int, "int") else float(value)
            except ValueError:
                raise UsageError(f"--limit {setting!r}: {value.strip()!r} is not a number") from None
            if not number > 0 or number != number or number == float("inf"):
                raise UsageError(f"--limit {setting!r}: the limit must be a positive number")
            changes[key] = number
        return replace(self, **changes)


def size_label(n: float) -> str:
    """A size for people: 300 KB, 16.0 MB, 2.5 GB."""
    if n >= 1024 * MB:
        return f"{n / (1024 * MB):.1f} GB"
    if n >= MB:
        return f"{n / MB:.1f} MB"
    return f"{n / 1024:.0f} KB"


def _mb(value: float) -> str:
    return f"{value:g} MB"


# ------------------------------------------------------------------ the budget of the file being read


@dataclass
class Budget:
    """The limits in force on this thread, the deadline of the file being read, and the cancel check."""

    limits: ImportLimits
    cancelled: Callable[[], bool] | None = None
    deadline: float = 0.0
    name: str = ""

    def start(self, name: str) -> None:
        """A new file: its name (for messages) and a fresh time budget."""
        self.name = name
        self.deadline = time.monotonic() + self.limits.seconds

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled("The import was cancelled; the archive is unchanged.")
        if self.deadline and time.monotonic() > self.deadline:
            raise over_time(self.name, self.limits)


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("import_budget", default=None)


@contextlib.contextmanager
def applying(limits: ImportLimits, cancelled: Callable[[], bool] | None = None) -> Iterator[Budget]:
    """Apply ``limits`` (and ``cancelled``, checked at every checkpoint) to the reading done in the block."""
    budget = Budget(limits, cancelled)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def current() -> ImportLimits:
    """The limits in force (the defaults when none are applied)."""
    budget = _current.get()
    return budget.limits if budget is not None else ImportLimits()


def checkpoint() -> None:
    """Raise ImportCancelled or LimitExceeded (time) when the import was cancelled or the file's time is
    up; cheap enough for every loop of a reader."""
    budget = _current.get()
    if budget is not None:
        budget.check()


# ------------------------------------------------------------------ the refusals, one line each


def over_time(name: str, limits: ImportLimits) -> LimitExceeded:
    return LimitExceeded(f"{name}: took too long to read: more than {limits.seconds:g} s (limit {limits.seconds:g} s)")


def check_file_size(name: str, size: int) -> None:
    limits = current()
    if size > limits.file_bytes:
        raise LimitExceeded(f"{name}: too large: {size_label(size)} (limit {_mb(limits.file_mb)})")


def check_unpacked(name: str, size: int) -> None:
    limits = current()
    if size > limits.unpacked_bytes:
        raise LimitExceeded(f"{name}: too large when unpacked: {size_label(size)} (limit {_mb(limits.unpacked_mb)})")


def count_paragraphs(name: str, n: int) -> None:
    limits = current()
    if n > limits.paragraphs:
        raise LimitExceeded(f"{name}: too many paragraphs: more than {limits.paragraphs:,} "
                            f"(limit {limits.paragraphs:,})")


def count_characters(name: str, n: int) -> None:
    limits = current()
    if n > limits.characters:
        raise LimitExceeded(f"{name}: too long: more than {limits.characters:,} characters "
                            f"(limit {limits.characters:,})")
