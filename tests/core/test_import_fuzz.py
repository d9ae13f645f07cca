"""Random text documents never break an import: each is imported or refused with a reason, and
the archive stays sound (issue 9)."""

from __future__ import annotations

import itertools
import shutil
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.importer import import_files

PIECES = st.sampled_from([
    "“", "”", "‘", "’", '"', "'", "«", "»", ":", ",", ".", "\n", "\n\n", " ", "- ", "# ", "## ", "(", ")",
    "He said", "she added", "according to him", "CHAIR (Ann Lee):", "ANN LEE:", "Q:", "Date: 3 May 2020",
    "On 2 May 2019,", "Maria Lopez, a lawyer, said", "Назарбаев сказал:", "Қазақстан", "<p>", "</p>", "<h1>",
    "<script>x</script>", "Title", "moderated by Dr Ann Lee", "noted that", "\x00", "\ufeff", "\u202e",
])

counter = itertools.count()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(PIECES, st.text(max_size=15)), min_size=1, max_size=50),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_random_documents_are_imported_or_refused_with_a_reason(tmp_path, seed_archive_path, parts, suffix):
    n = next(counter)
    archive = tmp_path / f"archive{n}.db"
    if not archive.exists():
        shutil.copy(seed_archive_path, archive)
    doc = tmp_path / f"doc{n}{suffix}"
    doc.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
    report = import_files(archive, [doc])
    for outcome in report.files:
        assert "could not be analysed" not in outcome.message, outcome.message
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
    finally:
        conn.close()
    archive.unlink()
