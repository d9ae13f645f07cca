"""Which archive an import (or a correction) goes into: the bundled archive is never changed; what would change it
goes into the user's own archive, ``<data dir>/archive.db``, made the first time as a copy of the bundled one
that appears only once the write into the copy has committed."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from viewer.core import db as dbmod
from viewer.core.datadir import IMPORT_PREFIX, clean_import_leftovers
from viewer.core.errors import ArchiveBusy, ArchiveReadOnly
from viewer.core.files import fsync_file
from viewer.core.scratch import ScratchDir


@dataclass(frozen=True)
class ImportTarget:
    """Where an import writes: ``path``; with ``copy_from`` (the bundled archive), ``path`` does not
    exist yet and the import first copies ``copy_from`` there."""

    path: Path
    copy_from: Path | None = None

    @property
    def copied(self) -> bool:
        return self.copy_from is not None


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def is_bundled(path: str | os.PathLike) -> bool:
    """True when ``path`` is the archive that ships with the app (never to be changed)."""
    from viewer.core.archive import default_archive_path

    return same_file(Path(path).expanduser(), default_archive_path())


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
    if same_file(own, path):
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
