"""check: a full health check of an archive, on a private copy."""

from __future__ import annotations

import argparse

from viewer.commands.output import emit_json
from viewer.core.check import check_archive
from viewer.core.datadir import default_archive
from viewer.core.errors import ExitCode


def cmd_check(args: argparse.Namespace, _archive: None) -> int:
    report = check_archive(getattr(args, "archive", None) or default_archive(getattr(args, "data_dir", None)))
    if args.json:
        emit_json({"path": report.path, "ok": report.ok, "checked": report.checked, "problems": report.problems})
    else:
        print("\n".join(report.lines()))
    return ExitCode.OK if report.ok else ExitCode.FAILED


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help="check an archive for damage (on a private copy)")
    p.set_defaults(handler=cmd_check, needs_archive=False)
