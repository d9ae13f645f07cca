"""One error model: every expected error is a ViewerError with its exit code; anything else is a bug, told in
one line with the traceback in the log (issue: errors hide bugs)."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from viewer.cli import main
from viewer.core import buglog, errors
from viewer.core.errors import ExitCode


def test_the_error_classes_form_one_tree():
    from viewer.core.bookmarks import BookmarkError
    from viewer.core.build import BuildError
    from viewer.core.errors import SynthError
    from viewer.core.files import ExportError
    from viewer.core.readers import ReadError
    from viewer.core.stats_rebuild import StatsError
    from viewer.core.topk import TopKError

    for kind in (
        BookmarkError,
        BuildError,
        ExportError,
        ReadError,
        StatsError,
        SynthError,
        TopKError,
        errors.ArchiveError,
        errors.UsageError,
        errors.Cancelled,
    ):
        assert issubclass(kind, errors.ViewerError), kind
    assert issubclass(errors.DataDamaged, errors.ArchiveDamaged)
    assert issubclass(errors.QueryInterrupted, errors.Cancelled)
    assert not issubclass(errors.Cancelled, errors.ArchiveError)
    assert errors.ArchiveError("x").exit_code == ExitCode.ARCHIVE == 3
    assert errors.UsageError("x").exit_code == ExitCode.USAGE == 2
    assert errors.ReadError("x").exit_code == ExitCode.FAILED == 1
    e = errors.DataDamaged("one line", "the details")
    assert (e.message, e.details) == ("one line", "the details")


def test_a_bug_in_a_command_is_one_line_and_a_log(monkeypatch, capsys, tmp_path, seed_archive_path):
    import viewer.commands.read as read

    def broken(_args, _archive):
        return {}["no such key"]

    monkeypatch.setattr(read, "cmd_documents", broken)
    data = tmp_path / "mine"
    code = main(["--data-dir", str(data), "documents", "--archive", str(seed_archive_path)])
    err = capsys.readouterr().err
    log = data / buglog.LOG_NAME
    assert code == ExitCode.FAILED
    assert err == f"archive-viewer: internal error, details in {log}\n"
    text = log.read_text(encoding="utf-8")
    assert "KeyError: 'no such key'" in text and "Traceback" in text and "'documents'" in text


def test_a_bug_is_never_called_a_damaged_archive(monkeypatch, capsys, seed_archive_path):
    """A TypeError in reading code used to be reported as "the archive may be damaged" (exit 3)."""
    from viewer.core import archive as archive_module

    def broken(_row):
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(archive_module, "_document", broken)
    code = main(["documents", "--archive", str(seed_archive_path)])
    err = capsys.readouterr().err
    assert code == ExitCode.FAILED
    assert "internal error, details in" in err and "damaged" not in err


def test_the_log_falls_back_to_the_temporary_folder(tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    try:
        raise RuntimeError("a bug")
    except RuntimeError as e:
        path = buglog.record(e, blocked / "data")
    assert path == tmp_path / "tmp" / "archive-viewer" / buglog.LOG_NAME
    assert "RuntimeError: a bug" in path.read_text(encoding="utf-8")


def test_the_log_stays_small(tmp_path, monkeypatch):
    monkeypatch.setattr(buglog, "MAX_BYTES", 4000)
    for i in range(60):
        try:
            raise RuntimeError(f"bug number {i}")
        except RuntimeError as e:
            path = buglog.record(e, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= 4000
    assert "bug number 59" in text and "bug number 0\n" not in text
    assert text.startswith("=== ")


@pytest.mark.parametrize(
    "argv, code",
    [
        (["documents", "--archive", "/nonexistent/archive.db"], ExitCode.ARCHIVE),
        (["passages", "--document", "no-such-document"], ExitCode.USAGE),
    ],
)
def test_expected_errors_exit_with_their_code(argv, code, capsys, seed_archive_path):
    if "--archive" not in argv:
        argv = [*argv, "--archive", str(seed_archive_path)]
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("archive-viewer: ")


def test_a_terminated_command_unwinds(tmp_path, seed_archive_path):
    """SIGTERM stops a command like Ctrl+C (exit 130), so its clean-up runs."""
    code = (
        "import os, signal, sys\n"
        "import viewer.commands.read as read\n"
        "from viewer.cli import main\n"
        "def stop(args, archive):\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "    finally:\n"
        "        open(sys.argv[2], 'w').write('cleaned')\n"
        "read.cmd_documents = stop\n"
        "sys.exit(main(['documents', '--archive', sys.argv[1]]))\n"
    )
    marker = tmp_path / "marker"
    r = subprocess.run(
        [sys.executable, "-c", code, str(seed_archive_path), str(marker)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == ExitCode.INTERRUPTED, r.stderr
    assert marker.read_text() == "cleaned"
    assert "Traceback" not in r.stderr


def test_the_sigterm_handler_is_the_commands_only(seed_archive_path, capsys):
    """main() puts back the handler it found: a process that calls it (a test, a script) and forks later (the
    statistics' workers) keeps SIGTERM's own meaning."""
    import signal

    before = signal.getsignal(signal.SIGTERM)
    assert main(["documents", "--archive", str(seed_archive_path)]) == 0
    assert signal.getsignal(signal.SIGTERM) is before
