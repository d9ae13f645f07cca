"""One error model for the whole app: what can go wrong that is not a bug, and how a command ends.

Every error the app expects is a ``ViewerError``: ``message`` is one plain-text line for the user,
``details`` what a developer would want to see (the cause, the values), and ``exit_code`` how a
command that stops on it ends. Anything else that escapes is a bug: the command line reports it as
"internal error, details in LOGFILE" (exit 1) with the traceback in the log (``viewer.core.buglog``),
the desktop app in its error dialog with the details behind a button.

* ``ArchiveError`` and its kinds: the archive cannot be used (exit 3). ``DataDamaged`` is raised where
  rows are decoded, when a row holds what the format cannot hold (a NULL, a BLOB or a number where text
  must be, a value out of its range).
* ``Cancelled``: the user (or a newer request) cancelled; nothing to report, never an archive error.
* ``UsageError``: a bad option value (exit 2).
* Errors of one area (a file that cannot be imported, the bookmarks, an export, a build) subclass
  ``ViewerError`` where they are raised; the ones several modules raise are here.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """How every command ends (README, "Command line")."""

    OK = 0
    FAILED = 1  # the command could not do what was asked; the message says why (or a bug: see the log)
    USAGE = 2  # bad usage
    ARCHIVE = 3  # the archive cannot be used: missing, not an archive, damaged, too new, too slow
    INTERRUPTED = 130  # Ctrl+C, or the command was told to stop


class ViewerError(Exception):
    """Something the app expected can go wrong went wrong. ``message``: one plain line for the user;
    ``details``: what a developer would want to see."""

    exit_code = ExitCode.FAILED

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details


class UsageError(ViewerError):
    """A bad option value: printed as one line, exit code 2."""

    exit_code = ExitCode.USAGE


class Cancelled(ViewerError):
    """The work was cancelled (by the user, or by a newer request); not an error to show."""

    exit_code = ExitCode.INTERRUPTED


class QueryInterrupted(Cancelled):
    """A query was cancelled because a newer one replaced it; not shown to users."""

    kind = "interrupted"


class ImportCancelled(Cancelled):
    """The user cancelled an import; everything was rolled back."""


# ------------------------------------------------------------------ the archive


class ArchiveError(ViewerError):
    """An archive that cannot be used."""

    exit_code = ExitCode.ARCHIVE
    kind = "error"


class ArchiveNotFound(ArchiveError):
    kind = "not_found"


class ArchiveNotAFile(ArchiveError):
    kind = "not_a_file"


class ArchiveUnreadable(ArchiveError):
    kind = "unreadable"


class NotAnArchive(ArchiveError):
    kind = "not_an_archive"


class ArchiveDamaged(ArchiveError):
    kind = "damaged"


class DataDamaged(ArchiveDamaged):
    """A row holds what the archive's format cannot hold (raised where rows are decoded)."""


class ArchiveTooNew(ArchiveError):
    kind = "too_new"


class ArchiveInterrupted(ArchiveError):
    """A write to the archive was interrupted (a hot rollback journal beside it) and the file cannot be
    opened for writing here to finish rolling it back."""

    kind = "interrupted_write"


class QueryTimeout(ArchiveError):
    kind = "too_slow"


class ArchiveReadOnly(ArchiveError):
    kind = "read_only"


class ArchiveBusy(ArchiveError):
    kind = "busy"


# ------------------------------------------------------------------ files people import


class ReadError(ViewerError):
    """A file that cannot be imported. ``message`` is one plain line naming the file and why."""


class SynthError(ViewerError):
    """A synthetic archive (``viewer.core.synth``) cannot be made; the message says why."""
