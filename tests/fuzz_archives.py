"""Run damaged copies of an archive through every read command; used by tests/core/test_fuzz_archives.py.

Usage: python tests/fuzz_archives.py ARCHIVE WORKDIR COUNT SEED
Prints one line per problem (an exception that escaped, an outcome ``unexpected`` does not allow, a
changed file) and a last line "checked N".
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import sys
from pathlib import Path

from viewer.cli import COMMAND_MODULES, main

READ_COMMANDS = [
    ["documents", "--json"],
    ["speakers", "--json"],
    ["speakers", "--document", "addressing-human-rights-abuses-in-kazakhstan"],
    ["passages", "--document", "addressing-human-rights-abuses-in-kazakhstan", "--json"],
    ["quotes", "--json"],
    ["quotes", "--speaker", "Castelletti", "--relayed"],
]
if "search" in COMMAND_MODULES:
    READ_COMMANDS += [["search", "sanctions", "--json"], ["search", '"human rights" OR Назарбаев']]
if "stats" in COMMAND_MODULES:
    READ_COMMANDS += [["stats", "--json"], ["stats", "--speaker", "Zhovtis"],
                      ["stats", "--document", "addressing-human-rights-abuses-in-kazakhstan", "--json"]]
if "check" in COMMAND_MODULES:
    READ_COMMANDS += [["check"]]
# the user's bookmarks (made on the healthy archive) mapped onto the damaged one
READ_COMMANDS += [["bookmark", "list", "--json"], ["export", "--format", "csv"]]


def mutate(data: bytes, rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.3:
        return data[: rng.randrange(0, len(data))]
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        pos = rng.randrange(100 if choice < 0.9 else 0, len(out))  # mostly keep the header intact
        out[pos] = rng.randrange(256)
    return bytes(out)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run(argv: list[str]) -> tuple[int | None, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # with a .buffer, as standard output has
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(argv)
    if "Traceback" in err.getvalue():
        return None, err.getvalue()
    return code, err.getvalue().strip()


def unexpected(cmd: list[str], code: int | None, err: str) -> str | None:
    """Why an outcome is not one a damaged archive may give (None: it may). Exit 0: the damage was not
    read; exit 3: one line naming the archive and why; exit 2 only for a document or speaker the damage
    renamed; exit 1 only from check, which lists the problems it found. Never a traceback, never a bug."""
    if code is None:
        return "traceback: " + err[-500:]
    lines = err.splitlines()
    if code == 0 or (code == 1 and cmd[0] == "check" and not lines):
        return None
    if len(lines) != 1 or not lines[0].startswith("archive-viewer: "):
        return f"exit {code} without one line saying why: {err!r}"
    if code == 3 and ("archive" in lines[0] or "“" in lines[0]) and "internal error" not in lines[0]:
        return None
    if code == 2 and ("no document" in lines[0] or "no speaker" in lines[0]):
        return None
    return f"exit {code}: {lines[0]}"


def main_(archive: Path, work: Path, count: int, seed: int) -> int:
    os.environ["ARCHIVE_VIEWER_DATA_DIR"] = str(work / "data")  # a bug's log, never the user's folder
    for made in (["bookmark", "add", "4"], ["bookmark", "add", "--passage", "3", "--start", "0", "--end", "20"]):
        assert run([*made, "--archive", str(archive)])[0] == 0
    rng = random.Random(seed)
    data = archive.read_bytes()
    problems = 0
    for i in range(count):
        folder = work / f"case{i}"
        folder.mkdir()
        path = folder / "archive.db"
        path.write_bytes(mutate(data, rng))
        before = digest(folder)
        for cmd in READ_COMMANDS:
            try:
                code, err = run([*cmd, "--archive", str(path)])
            except BaseException as e:  # noqa: BLE001 - anything escaping is the bug we look for
                print(f"case{i} {cmd}: {type(e).__name__}: {e}")
                problems += 1
                continue
            why = unexpected(cmd, code, err)
            if why:
                print(f"case{i} {cmd}: {why}")
                problems += 1
        if digest(folder) != before:
            print(f"case{i}: files changed: {before} -> {digest(folder)}")
            problems += 1
        path.unlink()
        folder.rmdir()
    print(f"checked {count}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main_(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
