"""The front door: ``archive-viewer`` opens the desktop app; subcommands script the same functions.

Exit codes: 0 done; 1 the command failed (message says why); 2 bad usage; 3 the archive cannot be
used (missing, not an archive, damaged, newer format).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import viewer

# Each module registers its subcommands; see viewer/commands/.
COMMAND_MODULES = ["read", "build", "check", "bookmarks", "attribution", "search", "stats", "importer", "synth",
                   "reindex"]
# The subcommands those modules register (tests/core/test_cli_startup.py keeps the two lists in step):
# opening the desktop app never imports the command modules, so it starts faster.
COMMAND_NAMES = frozenset({
    "documents", "speakers", "passages", "quotes", "build", "check", "bookmark", "export", "search", "stats",
    "import", "synth", "attribution", "reindex",
})
_OPTIONS_WITH_VALUE = ("--archive", "--data-dir")


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="archive-viewer", add_help=False)
    _top_options(parser)
    parser.add_argument("file", nargs="?", metavar="FILE", default=None,
                        help="the archive to open (as --archive; what a file manager passes)")
    return parser


def names_an_archive(arg: str) -> bool:
    """True when a bare argument is an archive to open rather than a command: not a command's name, and
    a path (``/`` in it), a ``.db`` file or a file that exists. A file named like a command needs --archive."""
    return arg not in COMMAND_NAMES and not arg.startswith("-") and (
        os.sep in arg or "/" in arg or arg.lower().endswith(".db") or os.path.isfile(arg))


def _top_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive", metavar="PATH", default=None, help="the archive to open")
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help="the folder of your own data: bookmarks and your own archive (default: "
                             "$ARCHIVE_VIEWER_DATA_DIR, else the platform's user data folder)")
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


def make_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--archive", metavar="PATH", default=argparse.SUPPRESS,
                        help="the archive to use (default: your own archive if an import made one, else the "
                             "bundled archive.db)")
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser = argparse.ArgumentParser(
        prog="archive-viewer",
        description="Find who said what in an offline archive of event reports. "
                    "Without a command, opens the desktop app.",
    )
    _top_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"viewer.commands.{name}").register(sub, common)
    return parser


def _run(args: argparse.Namespace) -> int:
    from viewer.commands.read import UsageError
    from viewer.core.archive import Archive
    from viewer.core.datadir import default_archive
    from viewer.core.db import ArchiveError

    archive = None
    try:
        if getattr(args, "needs_archive", False):
            archive = Archive(args.archive or default_archive(args.data_dir))
        return args.handler(args, archive)
    except ArchiveError as e:
        print(f"archive-viewer: {e.message}", file=sys.stderr)
        return 3
    except UsageError as e:
        print(f"archive-viewer: {e}", file=sys.stderr)
        return 2
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as e:
        if archive is None:
            raise
        # readable rows holding impossible values: a damaged archive, said in one line
        print(f"archive-viewer: the archive “{archive.path}” holds values that cannot be right; it may be damaged "
              f"({type(e).__name__}: {e}). `archive-viewer check` tells more.", file=sys.stderr)
        return 3
    finally:
        if archive is not None:
            archive.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if opens_the_app(argv):
        args = _gui_parser().parse_args(argv)
        args.command = None
    else:
        args = make_parser().parse_args(argv)
    try:
        if not args.command:
            from viewer.app import run_gui

            return run_gui(getattr(args, "file", None) or args.archive, args.data_dir)
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`| head`); stay quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
