"""The archive is a plain sqlite-utils database: Datasette can publish it with working search."""

from __future__ import annotations

import asyncio
import shutil

import pytest

datasette_app = pytest.importorskip("datasette.app")


def test_datasette_searches_the_archive(tmp_path, seed_archive_path):
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive_path, path)
    ds = datasette_app.Datasette([str(path)], immutables=[])

    async def search(table: str, q: str):
        response = await ds.client.get(f"/archive/{table}.json?_search={q}&_shape=objects")
        assert response.status_code == 200, response.text
        return response.json()["rows"]

    rows = asyncio.run(search("passages", "sanctions"))
    assert rows and all("sanction" in r["text"].lower() for r in rows)
    # diacritics are folded by the index itself
    rows = asyncio.run(search("passages", "Austrevicius"))
    assert any("Auštrevičius" in r["text"] for r in rows)
    rows = asyncio.run(search("quotes", "prison"))
    assert sorted(r["text"] for r in rows) == [
        "I was very compelled when in a video posted online, they said: ‘We live in a prison called Kazakhstan’",
        "We live in a prison called Kazakhstan",
    ]
