"""An honest query mix for benchmarks: drawn at random (seeded) from an archive's own vocabulary across the
whole frequency range, in every shape the search language has, not chosen to suit any index or list.

* words are drawn log-uniformly by the number of passages holding them (``fts5vocab``), from 1 to the most
  frequent: as many from 10-100 passages as from 100,000-1,000,000 (a uniform draw would give almost only
  the rare words of the Zipf tail);
* single words, two-word AND, three-word AND, OR of two words, a word without another (``a -b``), prefixes
  (the first 3 to n-1 letters of a drawn word, ``sanc*``) and two-word phrases (two consecutive words of a
  randomly drawn passage, so that each phrase exists);
* each query also as an FTS5 expression, every word double-quoted: what ``sqlite-utils search`` and the
  naive ranking are given.

Words are the index's own (``fts5vocab``); the phrases' words are split with ``viewer.core.tokens`` (the
tokenizer tested against FTS5's) and given to FTS5 as written, which folds them itself.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import sqlite3
from dataclasses import dataclass

from viewer.core.tokens import index_words

DEFAULT_SEED = 17
# how many queries of each shape: 46 in all
SHAPES = {"word": 10, "and2": 8, "and3": 4, "or": 6, "not": 6, "prefix": 6, "phrase": 6}
_LETTERS = re.compile(r"^[^\W\d_]{2,}$")


@dataclass(frozen=True)
class BenchQuery:
    label: str  # the shape
    text: str  # what a user types
    fts: str  # the same query as an FTS5 expression
    words: tuple[str, ...] = ()  # index words that must all match (single words and ANDs), for the lists alone


def _q(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class Vocabulary:
    """The index's words with their passage counts, for drawing log-uniformly by count."""

    def __init__(self, conn: sqlite3.Connection):
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.mix_vocab USING fts5vocab(main, 'passages_fts', 'row')")
        rows = [
            (doc, term) for term, doc in conn.execute("SELECT term, doc FROM temp.mix_vocab") if _LETTERS.match(term)
        ]
        rows.sort()
        self.counts = [d for d, _t in rows]
        self.terms = [t for _d, t in rows]

    def draw(self, rng: random.Random) -> str:
        """A word whose passage count is log-uniform between 1 and the largest."""
        target = math.exp(rng.uniform(0.0, math.log(self.counts[-1])))
        lo = bisect.bisect_left(self.counts, target * 0.8)
        hi = bisect.bisect_right(self.counts, target * 1.25)
        if lo >= hi:  # no word near that count: the nearest
            i = min(bisect.bisect_left(self.counts, target), len(self.counts) - 1)
            return self.terms[i]
        return self.terms[rng.randrange(lo, hi)]


def _phrase(conn: sqlite3.Connection, rng: random.Random, max_id: int) -> tuple[str, str] | None:
    for _ in range(50):
        row = conn.execute(
            "SELECT text FROM passages WHERE id >= ? ORDER BY id LIMIT 1", (rng.randint(1, max_id),)
        ).fetchone()
        words = [w for _s, _e, w in index_words(row[0] if row else "") if _LETTERS.match(w)]
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            return words[i], words[i + 1]
    return None


def query_mix(conn: sqlite3.Connection, seed: int = DEFAULT_SEED) -> list[BenchQuery]:
    """The mix for the archive ``conn`` reads, in a seeded random order."""
    rng = random.Random(seed)
    vocab = Vocabulary(conn)
    max_id = conn.execute("SELECT MAX(id) FROM passages").fetchone()[0] or 1
    out: list[BenchQuery] = []

    def words(n: int) -> list[str]:
        got: list[str] = []
        while len(got) < n:
            w = vocab.draw(rng)
            if w not in got:
                got.append(w)
        return got

    for shape, n in SHAPES.items():
        for _ in range(n):
            if shape == "word":
                (a,) = words(1)
                out.append(BenchQuery(shape, a, _q(a), (a,)))
            elif shape in ("and2", "and3"):
                ws = words(2 if shape == "and2" else 3)
                out.append(BenchQuery(shape, " ".join(ws), " ".join(map(_q, ws)), tuple(ws)))
            elif shape == "or":
                a, b = words(2)
                out.append(BenchQuery(shape, f"{a} OR {b}", f"{_q(a)} OR {_q(b)}"))
            elif shape == "not":
                a, b = words(2)
                out.append(BenchQuery(shape, f"{a} -{b}", f"{_q(a)} NOT {_q(b)}"))
            elif shape == "prefix":
                w = vocab.draw(rng)
                while len(w) < 4:
                    w = vocab.draw(rng)
                stem = w[: rng.randint(3, len(w) - 1)]
                out.append(BenchQuery(shape, f"{stem}*", f"{_q(stem)}*"))
            else:
                pair = _phrase(conn, rng, max_id)
                if pair is None:
                    continue
                text = " ".join(pair)
                out.append(BenchQuery(shape, f'"{text}"', _q(text)))
    rng.shuffle(out)
    return out
