"""The front door: ``archive-viewer`` opens the desktop app; subcommands script the same functions.

Exit codes (``viewer.core.errors.ExitCode``): 0 done; 1 the command failed (the message says why; a bug
says "internal error, details in LOGFILE"); 2 bad usage; 3 the archive cannot be used (missing, not an
archive, damaged, newer format); 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys

import viewer

# Each module registers its subcommands; see viewer/commands/. A command imports only its own module (and what
# that module uses), so that `archive-viewer search` loads no importer, builder or bookmark store; `--help`
# and a command that does not exist load them all. tests/core/test_cli_startup.py keeps this table in step
# with what the modules register.
COMMANDS = {
    "documents": "read",
    "speakers": "read",
    "passages": "read",
    "quotes": "read",
    "build": "build",
    "check": "check",
    "bookmark": "bookmarks",
    "export": "bookmarks",
    "attribution": "attribution",
    "search": "search",
    "stats": "stats",
    "import": "importer",
    "synth": "synth",
    "reindex": "reindex",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))
# Opening the desktop app never imports the command modules, so it starts faster.
COMMAND_NAMES = frozenset(COMMANDS)
_OPTIONS_WITH_VALUE = ("--archive", "--data-dir")
# Errors writing standard output (a full disk, a device error): said in one line, not a bug.
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="archive-viewer", add_help=False)
    _top_options(parser)
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        default=None,
        help="the archive to open (as --archive; what a file manager passes)",
    )
    return parser


def names_an_archive(arg: str) -> bool:
    """True when a bare argument is an archive to open rather than a command: not a command's name, and
    a path (``/`` in it), a ``.db`` file or a file that exists. A file named like a command needs --archive."""
    return (
        arg not in COMMAND_NAMES
        and not arg.startswith("-")
        and (os.sep in arg or "/" in arg or arg.lower().endswith(".db") or os.path.isfile(arg))
    )


def _top_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive", metavar="PATH", default=None, help="the archive to open")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="the folder of your own data: bookmarks and your own archive (default: "
        "$ARCHIVE_VIEWER_DATA_DIR, else the platform's user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {viewer.__version__}")


def opens_the_app(argv: list[str]) -> bool:
    """True when ``argv`` names no command (and asks for no help): the desktop app is opened, on the
    archive given as ``FILE`` if there is one (at most one)."""
    skip = False
    files = 0
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif names_an_archive(arg):
            files += 1
        elif arg in ("-h", "--help") or arg in COMMAND_NAMES or not arg.startswith("-"):
            return False
    return files <= 1


def command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option or an option's value), if it is one."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of the command ``argv`` names (when it names one)."""
    command = None if argv is None else command_of(argv)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--archive",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the archive to use (default: your own archive if an import made one, else the bundled archive.db)",
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser = argparse.ArgumentParser(
        prog="archive-viewer",
        description="Find who said what in an offline archive of event reports. "
        "Without a command, opens the desktop app.",
    )
    _top_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [COMMANDS[command]] if command else COMMAND_MODULES:
        importlib.import_module(f"viewer.commands.{name}").register(sub, common)
    return parser


def _run(args: argparse.Namespace) -> int:
    from viewer.core.archive import Archive
    from viewer.core.datadir import default_archive
    from viewer.core.errors import ViewerError

    archive = None
    try:
        if getattr(args, "needs_archive", False):
            archive = Archive(args.archive or default_archive(args.data_dir))
        code = args.handler(args, archive)
        sys.stdout.flush()  # a full disk under standard output is told here, not at exit
        return code
    except ViewerError as e:
        print(f"archive-viewer: {e.message}", file=sys.stderr)
        return e.exit_code
    finally:
        if archive is not None:
            archive.close()


@contextlib.contextmanager
def _stopping_on_sigterm():
    """While a command runs, SIGTERM unwinds it like Ctrl+C, so what it made (a private copy, a temporary
    file) is removed on the way out. A process forked meanwhile (a statistics worker) still ends at once,
    and the handler that was there before is put back."""
    import signal

    pid = os.getpid()

    def stop(signum, _frame):
        if os.getpid() != pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a test calling main() from one)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    from viewer.core.errors import ExitCode

    argv = sys.argv[1:] if argv is None else list(argv)
    if opens_the_app(argv):
        args = _gui_parser().parse_args(argv)
        args.command = None
    else:
        args = make_parser(argv).parse_args(argv)
    try:
        if not args.command:
            from viewer.app import run_gui

            return run_gui(getattr(args, "file", None) or args.archive, args.data_dir)
        with _stopping_on_sigterm():
            return _run(args)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`| head`); stay quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except Exception as e:  # noqa: BLE001 - the one place a bug is reported: one line, the traceback in the log
        if isinstance(e, OSError) and e.filename is None and e.errno in _OUTPUT_ERRORS:
            print(f"archive-viewer: the output could not be written ({e.strerror or e})", file=sys.stderr)
            return ExitCode.FAILED
        from viewer.core import buglog

        line = buglog.report(e, getattr(args, "data_dir", None), "argv: " + " ".join(map(repr, argv)))
        print(f"archive-viewer: {line}", file=sys.stderr)
        return ExitCode.FAILED


def run() -> int:
    """The program (``archive-viewer``, ``python -m viewer``): ``main`` on ``sys.argv``. After a command, every
    object it made is handed to the collector as permanent (``gc.freeze``): the process is ending, and the full
    collection at exit would only visit them all (about 10 ms after a search on a million passages). Objects
    are still freed at exit as before; the desktop app's exit is left as it was."""
    argv = sys.argv[1:]
    code = main(argv)
    if not opens_the_app(argv):
        import gc

        gc.freeze()
    return code
