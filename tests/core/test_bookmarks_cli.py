"""`archive-viewer bookmark add|list|remove|import` and `archive-viewer export`, as a script uses them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parents[2]
LIST_FIELDS = {"id", "text", "speaker", "document", "document_title", "date", "passage_id", "start", "end",
               "quote_id", "note", "tags", "colour", "created"}


@pytest.fixture
def cli(seed_archive_path, tmp_path):
    data = tmp_path / "data"

    def run(*args: str, data_dir: Path | None = data, archive: Path | None = seed_archive_path, env_dir=None):
        argv = [sys.executable, "-m", "viewer", *args]
        if archive is not None:
            argv += ["--archive", str(archive)]
        if data_dir is not None:
            argv += ["--data-dir", str(data_dir)]
        env = {k: v for k, v in os.environ.items() if k != "ARCHIVE_VIEWER_DATA_DIR"}
        if env_dir is not None:
            env["ARCHIVE_VIEWER_DATA_DIR"] = str(env_dir)
        return subprocess.run(argv, cwd=ROOT, capture_output=True, env=env)

    run.data = data
    return run


def _json(proc):
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def test_add_a_quote_and_list_it(cli, seed_archive):
    q = next(q for q in seed_archive.quotes() if q.text.startswith("We live in a prison"))
    p = cli("bookmark", "add", str(q.id), "--note", "relayed", "--tag", "prison", "--tag", "women", "--colour", "pink")
    assert p.returncode == 0, p.stderr.decode()
    assert "bookmark 1 saved" in p.stdout.decode()
    assert "quoted by Rosalba Castelletti" in p.stdout.decode()
    rows = _json(cli("bookmark", "list", "--json"))
    assert len(rows) == 1
    row = rows[0]
    assert LIST_FIELDS <= set(row)
    assert row["text"] == q.text and row["quote_id"] == q.id and row["passage_id"] == q.passage_id
    assert (row["start"], row["end"]) == (q.start, q.end)
    assert row["speaker"] == "six brave women who shaved their head"  # the clean name, and who relayed it
    assert row["quoted_by"] == "Rosalba Castelletti" and row["words"] == "quote"
    assert row["citation_speaker"] == "six brave women who shaved their head, quoted by Rosalba Castelletti"
    assert row["document"] == "addressing-human-rights-abuses-in-kazakhstan"
    assert row["date"] == "2021-03-25" and row["note"] == "relayed" and row["tags"] == ["prison", "women"]
    assert row["colour"] == "pink" and row["status"] == "ok"


def test_add_a_selection_and_filter_by_tag(cli, seed_archive):
    p = seed_archive.passages(1)[5]
    assert cli("bookmark", "add", "--passage", str(p.id), "--start", "0", "--end", "16", "--tag", "ngo").returncode == 0
    assert cli("bookmark", "add", "4").returncode == 0
    rows = _json(cli("bookmark", "list", "--json", "--tag", "NGO"))
    assert [r["text"] for r in rows] == ["Yevgeniy Zhovtis"]
    assert rows[0]["quote_id"] is None and rows[0]["speaker"] == "Yevgeniy Zhovtis"
    assert rows[0]["words"] == "paraphrase"
    table = cli("bookmark", "list").stdout.decode()
    assert "Yevgeniy Zhovtis" in table and "ID" in table


def test_add_json_is_what_list_says(cli):
    added = _json(cli("bookmark", "add", "5", "--json"))
    assert _json(cli("bookmark", "list", "--json")) == [added]


@pytest.mark.parametrize("args, message", [
    (["99999"], "no quote 99999"),
    (["4", "--colour", "red"], "unknown colour"),
    (["--passage", "1", "--start", "5"], "needs --start and --end"),
    (["--passage", "1", "--start", "5", "--end", "999999"], "outside passage"),
    (["4", "--passage", "1", "--start", "0", "--end", "3"], "not both"),
    ([], "give a QUOTE_ID"),
])
def test_bad_adds_are_usage_errors_and_save_nothing(cli, args, message):
    p = cli("bookmark", "add", *args)
    assert p.returncode == 2 and message in p.stderr.decode()
    assert _json(cli("bookmark", "list", "--json")) == []


def test_remove(cli):
    cli("bookmark", "add", "4")
    p = cli("bookmark", "remove", "1")
    assert p.returncode == 0 and "removed" in p.stdout.decode()
    assert cli("bookmark", "remove", "1").returncode == 2
    assert _json(cli("bookmark", "list", "--json")) == []


def test_data_dir_from_the_environment(cli, tmp_path):
    env_dir = tmp_path / "env-data"
    assert cli("bookmark", "add", "4", data_dir=None, env_dir=env_dir).returncode == 0
    assert (env_dir / "bookmarks.db").is_file()
    assert not cli.data.exists()


def test_export_every_format(cli, tmp_path, seed_archive):
    for qid in (4, 5, 22):
        cli("bookmark", "add", str(qid), "--note", "=note " + str(qid), "--tag", "eu" if qid != 22 else "relayed")
    texts = {q.id: q.text for q in seed_archive.quotes()}

    csv_out = cli("export", "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout.decode("utf-8-sig"), newline="")))
    assert [r["text"] for r in rows] == [texts[4], texts[5], texts[22]]
    assert rows[0]["note"] == "'=note 4"

    md = cli("export", "--format", "md", "--tag", "relayed").stdout.decode()
    assert md.count("\n---\n") == 1 and "> We live in a prison called Kazakhstan" in md

    txt = cli("export", "--format", "txt").stdout.decode()
    assert "“We live in a prison called Kazakhstan” (six brave women" in txt

    data = _json(cli("export", "--format", "json"))
    assert [b["text"] for b in data["bookmarks"]] == [texts[4], texts[5], texts[22]]

    p = cli("export", "--format", "docx")
    assert p.returncode == 2 and "--out" in p.stderr.decode()
    out = tmp_path / "b.docx"
    p = cli("export", "--format", "docx", "--out", str(out))
    assert p.returncode == 0 and "exported 3 bookmarks" in p.stdout.decode()
    quotes = [par.text for par in Document(str(out)).paragraphs if par.style.name == "Quote"]
    assert quotes == [texts[4], texts[5], texts[22]]


def test_export_uses_the_users_citation_template_and_names_the_archive(cli, tmp_path):
    from viewer.core.citation import save_template

    cli("bookmark", "add", "4")
    save_template(cli.data, "{speaker}: “{text}” [¶ {paragraph}]")  # what Edit > Citation template… writes
    txt = cli("export", "--format", "txt").stdout.decode()
    assert txt.startswith("Petras Auštrevičius: “Their members and supporters dominate the list")
    assert txt.split("\n")[0].endswith("” [¶ 3]")
    added = cli("bookmark", "add", "5").stdout.decode()
    assert added.startswith("bookmark 2 saved: ") and "” [¶ " in added
    out = tmp_path / "b.docx"
    assert cli("export", "--format", "docx", "--out", str(out)).returncode == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "Bookmarks from “Human rights in Kazakhstan: event reports”"  # the archive
    assert doc.core_properties.author == "Archive Viewer"


def test_after_a_rebuild_list_and_exports_cite_the_new_paragraph(cli, make_archive, tmp_path):
    intro = "On 1 May 2020, activists met online to discuss press freedom."
    jane = ("The first speaker, Jane Doe, Director of the Example Foundation, opened the meeting. "
            "“We will not stop here, whatever they do to us” she said.")
    old = make_archive({"one.txt": f"{intro}\n{jane}\n"})
    new = make_archive({"one.txt": f"This report was updated on 3 May 2020.\n{intro}\n{jane}\n"})
    from viewer.core.archive import Archive

    with Archive(old) as a:
        q = a.quotes()[0]
        assert a.passage(q.passage_id).seq == 2
    assert cli("bookmark", "add", str(q.id), archive=old).returncode == 0
    [row] = _json(cli("bookmark", "list", "--json", archive=new))
    assert row["status"] == "moved" and row["paragraph"] == 3
    assert " 3 " in cli("bookmark", "list", archive=new).stdout.decode().splitlines()[1]
    for fmt in ("txt", "md"):
        out = cli("export", "--format", fmt, archive=new).stdout.decode()
        assert "¶ 3" in out and "¶ 2" not in out
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv", archive=new).stdout.decode("utf-8-sig"))))
    assert rows[0]["paragraph"] == "3"


def test_export_failure_is_a_clear_message(cli, tmp_path):
    cli("bookmark", "add", "4")
    p = cli("export", "--format", "csv", "--out", str(tmp_path / "no" / "such" / "folder.csv"))
    assert p.returncode == 1
    assert p.stderr.decode().strip().startswith("archive-viewer: export failed:")
    assert "Traceback" not in p.stderr.decode()


def test_json_export_imports_into_an_empty_data_dir_without_loss(cli, tmp_path):
    cli("bookmark", "add", "4", "--note", "one\ntwo", "--tag", "a", "--tag", "b", "--colour", "green")
    cli("bookmark", "add", "22")
    out = tmp_path / "all.json"
    assert cli("export", "--format", "json", "--out", str(out)).returncode == 0
    fresh = tmp_path / "fresh"
    p = cli("bookmark", "import", str(out), data_dir=fresh)
    assert p.returncode == 0 and "2 added" in p.stdout.decode()
    assert _json(cli("bookmark", "list", "--json", data_dir=fresh)) == _json(cli("bookmark", "list", "--json"))
    assert "2 already here" in cli("bookmark", "import", str(out), data_dir=fresh).stdout.decode()


def test_import_of_a_bad_file_fails_cleanly(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    p = cli("bookmark", "import", str(bad))
    assert p.returncode == 1 and "not an Archive Viewer bookmarks export" in p.stderr.decode()
    p = cli("bookmark", "import", str(tmp_path / "missing.json"))
    assert p.returncode == 1 and "import failed" in p.stderr.decode()


def test_list_without_a_usable_archive_shows_bookmarks_as_saved(cli, tmp_path):
    """Nothing of the user's is lost to an archive that cannot be used; exit 3 says the archive could not."""
    cli("bookmark", "add", "4")
    p = cli("bookmark", "list", "--json", archive=tmp_path / "gone.db")
    rows = json.loads(p.stdout)
    assert p.returncode == 3 and rows[0]["status"] == "unresolved" and rows[0]["quote_id"] == 4
    assert p.stderr.decode().count("\n") == 1 and "shown as they were saved" in p.stderr.decode()


def test_add_with_a_missing_archive_exits_3(cli, tmp_path):
    p = cli("bookmark", "add", "4", archive=tmp_path / "gone.db")
    assert p.returncode == 3


def test_a_damaged_store_is_repaired_and_reported(cli):
    cli("bookmark", "add", "4")
    (cli.data / "bookmarks.db").write_bytes(b"garbage" * 100)
    p = cli("bookmark", "list", "--json")
    assert p.returncode == 0 and json.loads(p.stdout) == []
    assert "damaged" in p.stderr.decode() and "kept as" in p.stderr.decode()


def test_an_unwritable_data_dir_is_exit_1(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = cli("bookmark", "list", data_dir=blocker / "sub")
    assert p.returncode == 1 and "could not create the bookmarks folder" in p.stderr.decode()


# ---------------------------------------------------------------------------------------- export targets


@pytest.fixture
def one_bookmark(cli):
    assert cli("bookmark", "add", "4").returncode == 0
    return cli


def _one_line(p) -> str:
    err = p.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_export_refuses_a_device(one_bookmark, tmp_path):
    """A device (/dev/full) is refused, never replaced by a regular file. The device is played by a file the test
    owns, through the export's stat: a test that lets the export at a real device could replace it for the whole
    machine if the rule ever broke."""
    code = ("import os, stat, sys\n"
            "real = os.lstat\n"
            "def lstat(path, *a, **k):\n"
            "    st = real(path, *a, **k)\n"
            "    if str(path).endswith('full'):\n"
            "        return os.stat_result((stat.S_IFCHR | 0o666,) + tuple(st)[1:])\n"
            "    return st\n"
            "os.lstat = lstat\n"
            "from viewer.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    device = tmp_path / "full"
    device.write_text("the device")
    p = subprocess.run([sys.executable, "-c", code, "export", "--format", "csv", "--out", str(device),
                        "--data-dir", str(one_bookmark.data)], cwd=ROOT, capture_output=True, timeout=60)
    assert p.returncode == 1
    assert _one_line(p) == f"archive-viewer: export failed: {device} is a device, not a regular file\n"
    assert device.read_text() == "the device"


def test_export_refuses_a_fifo_and_leaves_it(one_bookmark, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    p = one_bookmark("export", "--format", "md", "--out", str(fifo))
    assert p.returncode == 1 and "is a pipe (FIFO), not a regular file" in _one_line(p)
    assert fifo.is_fifo()


def test_export_to_standard_output_only_without_out(one_bookmark):
    # /proc/self/fd/1 as /dev/stdout is (its link): an export broken again fails there rather than replacing
    # the machine's /dev/stdout with a file
    p = one_bookmark("export", "--format", "txt", "--out", "/proc/self/fd/1")
    assert p.returncode == 1 and "to write to standard output, leave out --out" in _one_line(p)
    assert p.stdout == b""
    p = one_bookmark("export", "--format", "txt")
    assert p.returncode == 0 and b"Their members and supporters" in p.stdout


def test_a_symlink_is_refused_or_written_through_by_choice(one_bookmark, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    p = one_bookmark("export", "--format", "csv", "--out", str(link))
    assert p.returncode == 1 and "is a symbolic link" in _one_line(p) and "--follow-symlinks" in p.stderr.decode()
    assert link.is_symlink() and real.read_text() == "old"
    p = one_bookmark("export", "--format", "csv", "--out", str(link), "--follow-symlinks")
    assert p.returncode == 0, p.stderr
    assert link.is_symlink() and real.read_bytes().startswith("\ufefftext,".encode())


def test_a_hard_link_is_not_split(one_bookmark, tmp_path):
    a = tmp_path / "a.json"
    a.write_text("old")
    b = tmp_path / "b.json"
    os.link(a, b)
    p = one_bookmark("export", "--format", "json", "--out", str(b))
    assert p.returncode == 1 and "has other names (hard links)" in _one_line(p)
    assert os.path.samefile(a, b) and a.read_text() == "old"


def test_a_read_only_file_is_not_replaced(one_bookmark, tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("old")
    target.chmod(0o444)
    p = one_bookmark("export", "--format", "csv", "--out", str(target))
    assert p.returncode == 1 and _one_line(p) == f"archive-viewer: export failed: {target} is read-only\n"
    assert target.read_text() == "old"


def test_a_name_too_long_is_one_line(one_bookmark, tmp_path):
    p = one_bookmark("export", "--format", "csv", "--out", str(tmp_path / ("x" * 300 + ".csv")))
    assert p.returncode == 1
    assert _one_line(p) == "archive-viewer: export failed: the file name is too long\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_standard_output_on_a_full_disk_is_one_line(one_bookmark):
    argv = [sys.executable, "-m", "viewer", "export", "--format", "csv", "--data-dir", str(one_bookmark.data)]
    with open("/dev/full", "wb") as full:
        p = subprocess.run(argv, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 1
    assert _one_line(p) == "archive-viewer: export failed: standard output cannot be written (No space left on device)\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_any_listing_on_a_full_disk_is_one_line(one_bookmark):
    argv = [sys.executable, "-m", "viewer", "bookmark", "list", "--data-dir", str(one_bookmark.data)]
    with open("/dev/full", "wb") as full:
        p = subprocess.run(argv, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 1
    assert _one_line(p) == "archive-viewer: the output could not be written (No space left on device)\n"
