"""Files the app writes for the user: exports of bookmarks, statistics tables and charts, the citation
template. One way to put them on disk, one way to write a CSV cell.

* ``write_atomic``: the destination is either the old file or the complete new one, never a torn one
  (a temporary file in the same folder, every write checked, fsynced, then ``os.replace``d; the folder
  fsynced too). Only a regular file is written or replaced (``check_target``): a device, a pipe, a
  socket, a folder, a standard stream, a file with other names (hard links) or a read-only file is
  refused, and a symbolic link is written through only when asked. Every failure is ``ExportError``
  with one plain line ("export failed: disk full"); the old file is untouched and no temporary file is
  left.
* ``csv_cell``: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'``, so that a spreadsheet does not run it as a formula; so does a cell that starts with
  ``'`` itself, so that ``restore_cell`` gives back exactly what was written. ``write_csv`` writes a
  table with every cell so made, UTF-8 with a BOM (for spreadsheets), atomically.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from viewer.core.errors import ViewerError


class ExportError(ViewerError):
    """A file could not be written for the user (an export, a table, a chart, the citation template).
    ``message`` is one plain line ("export failed: disk full")."""

    PREFIX = "export failed: "

    @property
    def reason(self) -> str:
        """Why, without "export failed: " ("disk full"), for a message that says what failed itself."""
        return self.message.removeprefix(self.PREFIX)


def _refused(why: str, details: str = "") -> ExportError:
    return ExportError(ExportError.PREFIX + why, details)


# ---------------------------------------------------------------------------------------- fsync


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """The folder's entries on disk (a file just renamed into it); nothing where folders cannot be opened."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---------------------------------------------------------------------------------------- the target


def _failure(e: OSError, path: Path) -> ExportError:
    n = e.errno
    if n in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = "disk full"
    elif n in (errno.EROFS,):
        why = f"the folder {path.parent} is read-only"
    elif n in (errno.EACCES, errno.EPERM):
        why = f"no permission to write in {path.parent}"
    elif n == errno.ENOENT:
        why = f"the folder {path.parent} does not exist"
    elif n == errno.EISDIR:
        why = f"{path} is a folder"
    elif n == errno.ENAMETOOLONG:
        why = "the file name is too long"
    elif n == errno.ENOTDIR:
        why = f"{path.parent} is not a folder"
    elif n == errno.ELOOP:
        why = f"{path} is a loop of symbolic links"
    else:
        why = e.strerror or str(e)
    return _refused(why, f"{type(e).__name__}: {e}")


_STREAMS = ("/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")
_SPECIAL = (
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def is_stream(path: str | os.PathLike) -> bool:
    """``path`` names a standard stream or an open file of this process (/dev/stdout, /proc/self/fd/1, …)."""
    return str(Path(path).expanduser()).startswith(_STREAMS)


def check_target(path: str | os.PathLike, follow_symlinks: bool = False) -> Path:
    """The file a write to ``path`` replaces: ``path``, or with ``follow_symlinks`` the file the symbolic
    link ``path`` points to. Only regular files are written: ExportError (one line) when the target is a
    standard stream, or exists and is a folder, a device, a pipe or a socket, a symbolic link (without
    ``follow_symlinks``), a file with other names (hard links, which replacing it would leave behind) or a
    read-only file."""
    path = Path(path).expanduser()
    if is_stream(path):
        raise _refused(f"{path} is a stream, not a file")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as e:
        raise _failure(e, path) from e
    if stat.S_ISLNK(st.st_mode):
        if not follow_symlinks:
            raise _refused(f"{path} is a symbolic link; export to the file it points to")
        try:
            target = path.resolve(strict=False)
        except (OSError, RuntimeError) as e:  # RuntimeError: a loop (Python 3.11)
            raise _refused(f"{path} is a loop of symbolic links", repr(e)) from e
        return check_target(target)
    if stat.S_ISDIR(st.st_mode):
        raise _refused(f"{path} is a folder")
    for test, what in _SPECIAL:
        if test(st.st_mode):
            raise _refused(f"{path} is {what}, not a regular file")
    if st.st_nlink > 1:
        raise _refused(
            f"{path} has other names (hard links), which replacing it would leave with the old "
            "content; export to another name"
        )
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise _refused(f"{path} is read-only")
    return path


# ---------------------------------------------------------------------------------------- writing


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[n:]


def write_atomic(path: str | os.PathLike, data: bytes | Iterable[bytes], follow_symlinks: bool = False) -> Path:
    """Write ``data`` (bytes, or chunks of bytes as they are made) to ``path`` through a temporary file in
    the same folder, fsynced, then ``os.replace``d over the destination: the old file or the complete new
    one, never a torn one; the file keeps its permissions. Only a regular file is written or replaced
    (``check_target``). On failure the temporary file is removed, the old file is untouched and
    ExportError says why in one line. Returns the file written."""
    path = check_target(path, follow_symlinks)
    chunks = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
        try:
            for chunk in chunks:
                _write_all(fd, chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise _failure(e, path) from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_dir(path.parent)
    return path


# ---------------------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: a leading ``'`` before ``= + - @``, tab or CR (and before a
    leading ``'`` itself, so that ``restore_cell`` is exact); None is an empty cell."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) or text.startswith("'"):
        return "'" + text
    return text


def restore_cell(value: str) -> str:
    """The inverse of ``csv_cell``: the text as it was given."""
    return value[1:] if value.startswith("'") else value


def csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """A CSV table a line at a time, every cell made safe (``csv_cell``): the BOM and the header first,
    then one line per row (CRLF line ends, fields quoted where needed)."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    yield "\ufeff" + buf.getvalue()
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([csv_cell(v) for v in row])
        yield buf.getvalue()


def write_csv(path: str | os.PathLike, header: Sequence[object], rows: Iterable[Sequence[object]]) -> Path:
    """Write a table as CSV (``csv_lines``), atomically (``write_atomic``); ExportError when it cannot be."""
    return write_atomic(path, "".join(csv_lines(header, rows)).encode("utf-8"))
