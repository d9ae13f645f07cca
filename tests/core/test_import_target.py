"""The bundled archive is never changed: an import into it goes into the user's own archive
(``<data dir>/archive.db``, a copy of the bundled one made by the first import), in the app and on the
command line alike; and that archive is the one opened when none is named."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.core.archive import Archive
from viewer.core.datadir import default_archive, user_archive_path
from viewer.core.db import ArchiveError
from viewer.core.errors import ImportCancelled
from viewer.core.import_target import ImportTarget, import_target, is_bundled
from viewer.core.importer import ImportJob, import_files

ARAL = """Water rights in the Aral region: a round table

On 12 April 2022, researchers and farmers met in Nukus for a round table on water rights in the Aral region, \
moderated by Dilnoza Karimova, director of the Aral Water Forum.

Dilnoza Karimova opened the meeting. “Every village downstream pays for the canals upstream”, she said.

Timur Sadykov, a hydrologist at the Steppe Institute, noted that “the sea will not come back while the cotton \
fields drink first”.
"""
ARAL_SLUG = "water-rights-in-the-aral-region-a-round-table"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"  # ARCHIVE_VIEWER_DATA_DIR (tests/conftest.py)


@pytest.fixture
def aral(tmp_path) -> Path:
    path = tmp_path / "aral.txt"
    path.write_text(ARAL, encoding="utf-8")
    return path


def test_the_target_of_an_import(bundled, data_dir, tmp_path, seed_archive_path):
    assert is_bundled(bundled) and not is_bundled(seed_archive_path)
    # the bundled archive, named or by default: the user's own, copied first
    assert import_target(bundled) == ImportTarget(data_dir / "archive.db", bundled)
    assert import_target(None) == ImportTarget(data_dir / "archive.db", bundled)
    assert import_target(bundled, tmp_path / "elsewhere") == ImportTarget(
        tmp_path / "elsewhere" / "archive.db", bundled
    )
    assert import_target(bundled).copied
    # any other archive: itself
    assert import_target(seed_archive_path) == ImportTarget(seed_archive_path)
    # once the user's own archive exists, it is the target (and the default), never copied over
    data_dir.mkdir()
    shutil.copyfile(seed_archive_path, data_dir / "archive.db")
    assert import_target(bundled) == ImportTarget(data_dir / "archive.db")
    assert import_target(None) == ImportTarget(data_dir / "archive.db")


def test_a_data_folder_that_holds_the_bundled_archive_is_refused(bundled):
    with pytest.raises(ArchiveError) as e:
        import_target(bundled, bundled.parent)
    assert "never changed" in e.value.message


def test_the_default_archive_is_the_users_own_once_it_exists(bundled, data_dir, seed_archive_path):
    assert default_archive() == bundled
    assert user_archive_path() == data_dir / "archive.db"
    data_dir.mkdir()
    shutil.copyfile(seed_archive_path, data_dir / "archive.db")
    assert default_archive() == data_dir / "archive.db"
    assert default_archive(data_dir.parent / "other") == bundled


def test_importing_into_the_bundled_archive_makes_the_users_own(bundled, data_dir, aral):
    before = digest(bundled)
    target = import_target(bundled)
    report = import_files(target.path, [aral], copy_from=target.copy_from)
    assert digest(bundled) == before  # byte for byte
    own = data_dir / "archive.db"
    assert report.archive == str(own) and report.copied_from == str(bundled)
    assert "Your own archive is now" in report.where() and str(own) in report.where()
    assert sorted(p.name for p in data_dir.iterdir()) == ["archive.db"]  # no temporary file left
    with Archive(own) as archive:
        assert archive.document(ARAL_SLUG) is not None
        assert len(archive.documents()) == 12  # the bundled eleven and the new one
    with Archive(bundled) as archive:
        assert archive.document(ARAL_SLUG) is None
    # the next import goes into the same, now existing, archive
    again = import_target(bundled)
    assert again == ImportTarget(own)


def test_an_import_that_adds_nothing_leaves_no_copy(bundled, data_dir, tmp_path):
    from tests.conftest import SEED_SLUG, SOURCES

    target = import_target(bundled)
    report = import_files(target.path, [SOURCES / f"{SEED_SLUG}.txt"], copy_from=target.copy_from)
    assert not report.documents and report.duplicates
    assert report.archive == str(bundled) and report.copied_from is None
    assert not (data_dir / "archive.db").exists()
    assert not data_dir.exists() or list(data_dir.iterdir()) == []


def test_a_cancelled_import_leaves_no_copy(bundled, data_dir, aral):
    before = digest(bundled)
    target = import_target(bundled)
    job = ImportJob(target.path, [aral], copy_from=target.copy_from)

    def cancel_when_writing(step, total, message):
        if message.startswith("Writing"):
            job.cancel()

    with pytest.raises(ImportCancelled):
        job.run(cancel_when_writing)
    assert digest(bundled) == before
    assert list(data_dir.iterdir()) == []


def test_a_damaged_bundled_archive_is_told_and_nothing_made(bundled, data_dir, aral):
    bundled.write_bytes(bundled.read_bytes()[:40000])
    target = import_target(bundled)
    with pytest.raises(ArchiveError):
        import_files(target.path, [aral], copy_from=target.copy_from)
    assert not data_dir.exists() or list(data_dir.iterdir()) == []


def test_the_import_command_uses_the_same_rule_and_says_where(bundled, data_dir, aral, capsys):
    before = digest(bundled)
    assert main(["import", str(aral)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (
        f"Your own archive is now {data_dir / 'archive.db'}: a copy of the bundled archive with what "
        "you imported. The bundled archive is left as it was; Archive Viewer opens yours from now on."
    )
    assert digest(bundled) == before
    # the read commands now read the user's own archive by default
    assert main(["search", "downstream", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and all(h["document"] == ARAL_SLUG for h in hits)
    # a second import goes into it too, and says so
    assert main(["import", str(aral), "--archive", str(bundled)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["0 documents imported; 1 already in the archive.", f"Archive: {data_dir / 'archive.db'}"]
    assert digest(bundled) == before


def test_the_import_command_takes_a_data_folder(bundled, tmp_path, aral, capsys):
    folder = tmp_path / "mine"
    assert main(["import", str(aral), "--data-dir", str(folder)]) == 0
    assert str(folder / "archive.db") in capsys.readouterr().out
    assert (folder / "archive.db").is_file()
    # the top-level option reaches the commands as well
    assert main(["--data-dir", str(folder), "documents", "--json"]) == 0
    assert ARAL_SLUG in [d["slug"] for d in json.loads(capsys.readouterr().out)]
