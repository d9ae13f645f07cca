"""Entities across documents: the people and organisations the text mentions, grouped when they are one (the
text's "Nazabaryev" is Nazarbayev), for the statistics' mentions. No Qt.

* ``group_entities(entities)``: entity id -> group id, decided by the names alone (``viewer.core.names``).
* ``regroup(conn, ids)``: the groups of these entities (None: all) written again (``entity_keys``,
  ``entity_groups``, ``mention_groups``); ``regroup_around(conn, ids)`` after new documents: the entities
  they touch and every entity whose name could be a spelling of theirs, nothing else.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from viewer.core.db import chunks, placeholders
from viewer.core.names import compatible_given, readings, similar_surnames
from viewer.core.names import words as name_words_of
from viewer.core.text import fold_quotes, romanisation_key, spelling_keys


def json_strings(value: str | None) -> list[str]:
    """The strings of a JSON list held in a column (an ``aliases`` value); none when it is not one."""
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return [a for a in data if isinstance(a, str)] if isinstance(data, list) else []


@dataclass(frozen=True)
class EntityName:
    """What grouping needs to know of an entity."""

    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    speaker_id: int | None = None
    mentions: int = 0


def _org_key(name: str) -> str:
    return " ".join(spelling_keys(fold_quotes(name)))


def group_entities(entities: Sequence[EntityName]) -> dict[int, int]:
    """entity id -> group id (the smallest id of its group). People are grouped when their names
    are spellings of one name (transliteration, a typo, an oblique case) with compatible given
    names, never two different speakers; a surname alone joins the one group it fits, and stays
    alone when it fits several. Organisations are grouped by name, or by an alias only one group uses.

    Only entities whose names could interact decide each other's group (``entity_keys``): the
    grouping of any set of entities closed under that relation is the grouping of the archive."""
    persons = [e for e in entities if e.kind == "person"]
    readings_of = {e.id: readings(e.name) for e in persons}
    groups = _Groups(entities, readings_of)
    full = [e for e in persons if any(given for given, _s in readings_of[e.id])]
    alone = [e for e in persons if not any(given for given, _s in readings_of[e.id]) and readings_of[e.id]]
    _join_same_speaker(groups, persons)
    _join_similar_names(groups, full, readings_of)
    _join_lone_surnames(groups, alone, full, readings_of)
    _join_organisations(groups, [e for e in entities if e.kind != "person"])
    return {e.id: groups.find(e.id) for e in entities}


Readings = dict[int, list[tuple[tuple[str, ...], str]]]  # entity id -> (given names, surname) of each reading


class _Groups:
    """Entities joined into groups (union-find; a group's id is its smallest member's), never two speakers
    in one group, nor two people whose given names cannot be one person's."""

    def __init__(self, entities: Sequence[EntityName], readings_of: Readings):
        self._parent = {e.id: e.id for e in entities}
        self._members: dict[int, set[int]] = {e.id: {e.id} for e in entities}
        self._speaker = {e.id: e.speaker_id for e in entities}
        self._readings = readings_of

    def find(self, x: int) -> int:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def can_join(self, ra: int, rb: int) -> bool:
        """Whether the groups of roots ``ra`` and ``rb`` may be one."""
        if ra == rb:
            return True
        speakers = {self._speaker[m] for m in self._members[ra] | self._members[rb] if self._speaker[m]}
        return len(speakers) <= 1 and all(self._compatible(x, y) for x in self._members[ra] for y in self._members[rb])

    def _compatible(self, x: int, y: int) -> bool:
        a, b = self._readings.get(x), self._readings.get(y)
        return not a or not b or any(compatible_given(ga, gb) for ga, _sa in a for gb, _sb in b)

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not self.can_join(ra, rb):
            return
        if rb < ra:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra] |= self._members.pop(rb)


def _join_same_speaker(groups: _Groups, persons: list[EntityName]) -> None:
    """The same speaker of the archive is the same person."""
    first: dict[int, int] = {}
    for e in persons:
        if e.speaker_id:
            if e.speaker_id in first:
                groups.join(first[e.speaker_id], e.id)
            else:
                first[e.speaker_id] = e.id


def _join_similar_names(groups: _Groups, full: list[EntityName], readings_of: Readings) -> None:
    """Full names (given names and a surname) whose surnames are similar and given names compatible are one
    person; but a name that fits several people who cannot be one ("A. Smith" and two speakers called Anna
    Smith) joins none of them."""
    matches = _similar_full_names(full, readings_of)
    for e in full:
        roots = sorted({groups.find(b) for b in matches.get(e.id, ())} | {groups.find(e.id)})
        if len(roots) > 1 and all(groups.can_join(x, y) for i, x in enumerate(roots) for y in roots[i + 1 :]):
            for r in roots:
                groups.join(e.id, r)


def _similar_full_names(full: list[EntityName], readings_of: Readings) -> dict[int, set[int]]:
    """entity id -> the other full names that may be the same person. Similar surnames start alike and differ
    in length by one letter at most: distinct surnames are compared within (first two letters, length) blocks,
    then the given names of their bearers."""
    bearers: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for e in full:
        for given, surname in set(readings_of[e.id]):
            if given:
                bearers[surname].append((e.id, given))
    blocks = _blocks(bearers)
    matches: dict[int, set[int]] = defaultdict(set)
    for surname, people in bearers.items():
        for other in _similar_in(blocks, surname):
            if other < surname:
                continue  # each pair of surnames once
            for a, ga in people:
                for b, gb in bearers[other]:
                    if a != b and compatible_given(ga, gb):
                        matches[a].add(b)
                        matches[b].add(a)
    return matches


def _blocks(surnames: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for surname in surnames:
        blocks[(surname[:2], len(surname))].append(surname)
    return blocks


def _similar_in(blocks: dict[tuple[str, int], list[str]], surname: str) -> list[str]:
    """The surnames of ``blocks`` similar to ``surname`` (itself included)."""
    near = (t for n in (len(surname) - 1, len(surname), len(surname) + 1) for t in blocks.get((surname[:2], n), ()))
    return [t for t in near if similar_surnames(surname, t)]


def _join_lone_surnames(
    groups: _Groups, alone: list[EntityName], full: list[EntityName], readings_of: Readings
) -> None:
    """A surname alone joins the one group of full names it fits (written as it is: an oblique case alone,
    "Назарбаева", his genitive or a woman's name, is no evidence); surnames alone that fit no full name and
    are written alike are one."""
    bearers: dict[str, set[int]] = defaultdict(set)
    for e in full:
        for surname in _surnames(e, readings_of[e.id]):
            bearers[surname].add(e.id)
    blocks = _blocks(bearers)
    fit_cache: dict[str, set[int]] = {}

    def fitting(surname: str) -> set[int]:
        if surname not in fit_cache:
            fit_cache[surname] = {i for t in _similar_in(blocks, surname) for i in bearers[t]}
        return {groups.find(i) for i in fit_cache[surname]}

    unmatched: dict[str, int] = {}
    for e in alone:
        written = readings_of[e.id][0][1]
        fits = set().union(*(fitting(surname) for _g, surname in readings_of[e.id]))
        if len(fits) == 1 and fitting(written) == fits:
            groups.join(fits.pop(), e.id)
        elif not fits:
            if written in unmatched:
                groups.join(unmatched[written], e.id)
            else:
                unmatched[written] = e.id


def _surnames(e: EntityName, name_readings: list[tuple[tuple[str, ...], str]]) -> set[str]:
    """The loosely spelled surnames a person is known by: of each reading of their name, and the last word of
    each alias."""
    out = {surname for _g, surname in name_readings}
    for alias in e.aliases:
        words = name_words_of(alias)
        if words:
            out.add(romanisation_key(words[-1]))
    return out


def _join_organisations(groups: _Groups, others: list[EntityName]) -> None:
    """Organisations and other named things: one by name, or by an alias that one group alone uses."""
    by_name: dict[tuple[str, str], int] = {}
    for e in others:
        key = (e.kind, _org_key(e.name))
        if key in by_name:
            groups.join(by_name[key], e.id)
        else:
            by_name[key] = e.id
    alias_owners: dict[tuple[str, str], set[int]] = defaultdict(set)
    for e in others:
        for alias in e.aliases:
            alias_owners[(e.kind, _org_key(alias))].add(groups.find(e.id))
    for e in others:
        owners = {groups.find(r) for r in alias_owners.get((e.kind, _org_key(e.name)), ())}
        if len(owners) == 1:
            groups.join(owners.pop(), e.id)


def _group_head(ents: list[EntityName]) -> EntityName:
    """The name a group is shown under: a speaker's, else the fullest, most mentioned name."""
    return min(
        ents,
        key=lambda e: (
            e.speaker_id is None,
            -len(name_words_of(e.name)) if e.kind == "person" else 0,
            -e.mentions,
            e.id,
        ),
    )


def entity_keys(e: EntityName) -> set[str]:
    """What decides which entities can be grouped with ``e`` (``entity_keys``): for a person the
    loosely spelled surname of each reading of their name and aliases (``p:`` + its first two
    letters, length and itself: similar surnames are in the same or a neighbouring length) and their
    speaker (``s:``); for anything else its kind with its name and aliases as ``group_entities``
    compares them (``o:``)."""
    if e.kind == "person":
        out = {_surname_key(s) for s in _surnames(e, readings(e.name))}
        if e.speaker_id:
            out.add(f"s:{e.speaker_id}")
        return out
    return {f"o:{e.kind}:{_org_key(n)}" for n in (e.name, *e.aliases)}


def _surname_key(s: str) -> str:
    return f"p:{s[:2]}:{len(s):03d}:{s}"


def _entity_names(conn: sqlite3.Connection, ids: Iterable[int] | None) -> list[EntityName]:
    sql = "SELECT id, name, kind, aliases, speaker_id, mentions FROM entities"
    if ids is None:
        rows = conn.execute(sql + " ORDER BY id").fetchall()
    else:
        rows = []
        for chunk in chunks(sorted(ids)):
            rows.extend(conn.execute(f"{sql} WHERE id IN ({placeholders(len(chunk))})", chunk).fetchall())
        rows.sort()
    return [
        EntityName(eid, name, kind, tuple(json_strings(aliases)), sid, mentions or 0)
        for eid, name, kind, aliases, sid, mentions in rows
    ]


def _neighbourhood(conn: sqlite3.Connection, start: set[int]) -> set[int]:
    """``start`` and every entity whose grouping could depend on theirs, and so on: a set that
    ``group_entities`` groups as the whole archive would."""
    found = set(start)
    todo = set(start)
    while todo:
        nxt: set[int] = set()
        for e in _entity_names(conn, todo):
            for key in entity_keys(e):
                if key.startswith("p:"):
                    surname = key.split(":", 3)[3]
                    for n in (len(surname) - 1, len(surname), len(surname) + 1):
                        prefix = f"p:{surname[:2]}:{n:03d}:"
                        for other, eid in conn.execute(
                            "SELECT key, entity_id FROM entity_keys WHERE key >= ? AND key < ?",
                            (prefix, prefix + "\U0010ffff"),
                        ):
                            if eid not in found and similar_surnames(surname, other.split(":", 3)[3]):
                                nxt.add(eid)
                else:
                    nxt.update(
                        r[0]
                        for r in conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (key,))
                        if r[0] not in found
                    )
        nxt -= found
        found |= nxt
        todo = nxt
    return found


def regroup(conn: sqlite3.Connection, ids: set[int] | None) -> None:
    """Group these entities again (None: all) and rewrite their groups' rows. ``ids`` must be
    closed under ``_neighbourhood``; then no group reaches outside it, before or after."""
    entities = _entity_names(conn, ids)
    groups = group_entities(entities)
    _delete_groups(conn, ids)
    conn.executemany(
        "INSERT INTO entity_keys (entity_id, key) VALUES (?, ?)",
        sorted((e.id, k) for e in entities for k in entity_keys(e)),
    )
    conn.executemany("INSERT INTO entity_groups (entity_id, group_id) VALUES (?, ?)", sorted(groups.items()))
    variants: dict[int, Counter] = defaultdict(Counter)
    by_speaker: dict[int, Counter] = defaultdict(Counter)
    for eid, form, count in _rows_of(conn, "SELECT entity_id, form, count FROM mention_variants", ids):
        variants[groups.get(eid, eid)][form] += count
    for eid, sid, count in _rows_of(
        conn, "SELECT entity_id, speaker_id, COUNT(*) FROM mentions", ids, " GROUP BY 1, 2"
    ):
        by_speaker[groups.get(eid, eid)][sid] += count
    members: dict[int, list[EntityName]] = defaultdict(list)
    for e in entities:
        members[groups[e.id]].append(e)
    out = []
    for gid, ents in sorted(members.items()):
        head = _group_head(ents)
        forms = sorted(variants[gid].items(), key=lambda kv: (-kv[1], kv[0]))
        speakers = sorted(by_speaker[gid].items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))
        out.append(
            (
                gid,
                head.name,
                head.kind,
                sum(e.mentions for e in ents),
                json.dumps([e.name for e in ents], ensure_ascii=False),
                json.dumps([[f, c] for f, c in forms], ensure_ascii=False),
                json.dumps([[sid, c] for sid, c in speakers]),
            )
        )
    conn.executemany(
        "INSERT INTO mention_groups (id, name, kind, mentions, entities, variants, speakers) VALUES (?,?,?,?,?,?,?)",
        out,
    )


def _delete_groups(conn: sqlite3.Connection, ids: set[int] | None) -> None:
    """The keys and groups of these entities (None: all) and the rows of the groups they were in go."""
    if ids is None:
        for table in ("entity_keys", "entity_groups", "mention_groups"):
            conn.execute(f"DELETE FROM [{table}]")
        return
    old: set[int] = set()
    for chunk in chunks(sorted(ids)):
        marks = placeholders(len(chunk))
        old.update(
            r[0]
            for r in conn.execute(f"SELECT DISTINCT group_id FROM entity_groups WHERE entity_id IN ({marks})", chunk)
        )
        conn.execute(f"DELETE FROM entity_keys WHERE entity_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM entity_groups WHERE entity_id IN ({marks})", chunk)
    for chunk in chunks(sorted(old)):
        conn.execute(f"DELETE FROM mention_groups WHERE id IN ({placeholders(len(chunk))})", chunk)


def _rows_of(conn: sqlite3.Connection, select: str, ids: set[int] | None, tail: str = "") -> list:
    """``select`` (of a table with ``entity_id``) for these entities (None: all), ``tail`` after the condition."""
    if ids is None:
        return conn.execute(select + tail).fetchall()
    rows = []
    for chunk in chunks(sorted(ids)):
        rows += conn.execute(f"{select} WHERE entity_id IN ({placeholders(len(chunk))}){tail}", chunk).fetchall()
    return rows


def regroup_documents(conn: sqlite3.Connection, document_ids: Iterable[int]) -> None:
    """Group again what new documents touch: the entities they mention, their speakers' entities and new
    entities, with every entity whose name could be a spelling of theirs (work in proportion to the
    documents and the names they use)."""
    docs = sorted(set(document_ids))
    if not docs:
        return
    touched: set[int] = set()
    for chunk in chunks(docs):
        marks = placeholders(len(chunk))
        touched.update(
            r[0] for r in conn.execute(f"SELECT DISTINCT entity_id FROM mentions WHERE document_id IN ({marks})", chunk)
        )
        touched.update(
            r[0]
            for r in conn.execute(
                f"SELECT id FROM entities WHERE speaker_id IN (SELECT speaker_id FROM document_speakers "
                f"WHERE document_id IN ({marks}))",
                chunk,
            )
        )
    touched.update(
        r[0]
        for r in conn.execute(
            "SELECT id FROM entities WHERE id > (SELECT COALESCE(MAX(entity_id), 0) FROM entity_groups)"
        )
    )
    if touched:
        regroup(conn, _closure(conn, touched))


def _closure(conn: sqlite3.Connection, start: set[int]) -> set[int]:
    """``start``, the entities whose grouping may depend on theirs, and the other members of
    their present groups (a speaker may have changed), until nothing is added."""
    ids = set(start)
    while True:
        ids = _neighbourhood(conn, ids)
        more: set[int] = set()
        for chunk in chunks(sorted(ids)):
            more.update(
                r[0]
                for r in conn.execute(
                    f"SELECT entity_id FROM entity_groups WHERE group_id IN (SELECT group_id FROM entity_groups "
                    f"WHERE entity_id IN ({placeholders(len(chunk))}))",
                    chunk,
                )
            )
        if more <= ids:
            return ids
        ids |= more
