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
    parent = {e.id: e.id for e in entities}
    by_id = {e.id: e for e in entities}
    members: dict[int, set[int]] = {e.id: {e.id} for e in entities}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def speakers_of(root: int) -> set[int]:
        return {by_id[m].speaker_id for m in members[root] if by_id[m].speaker_id}

    def can_union(ra: int, rb: int) -> bool:
        if ra == rb:
            return True
        if len(speakers_of(ra) | speakers_of(rb)) > 1:
            return False
        return all(
            any(compatible_given(ga, gb) for ga, _sa in keys.get(x, ()) for gb, _sb in keys.get(y, ()))
            for x in members[ra] for y in members[rb] if keys.get(x) and keys.get(y)
        )

    def union(a: int, b: int) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        if not can_union(ra, rb):
            return False
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)
        return True

    persons = [e for e in entities if e.kind == "person"]
    keys: dict[int, list[tuple[tuple[str, ...], str]]] = {e.id: readings(e.name) for e in persons}
    # the same speaker of the archive is the same person
    by_speaker: dict[int, int] = {}
    for e in persons:
        if e.speaker_id:
            if e.speaker_id in by_speaker:
                union(by_speaker[e.speaker_id], e.id)
            else:
                by_speaker[e.speaker_id] = e.id
    full = [e for e in persons if any(g for g, _s in keys[e.id])]
    # similar surnames start alike and differ in length by one letter at most: compare distinct
    # surnames within (first two letters, length) blocks, then the given names of their bearers
    bearers: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for e in full:
        for g, sname in set(keys[e.id]):
            if g:
                bearers[sname].append((e.id, g))
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for sname in bearers:
        blocks[(sname[:2], len(sname))].append(sname)

    def partners(sname: str) -> list[str]:
        near = [t for n in (len(sname) - 1, len(sname), len(sname) + 1) for t in blocks.get((sname[:2], n), ())]
        return [t for t in near if similar_surnames(sname, t)]

    matches: dict[int, set[int]] = defaultdict(set)
    for sname, people in bearers.items():
        for other in partners(sname):
            if other < sname:
                continue
            for a, ga in people:
                for b, gb in bearers[other]:
                    if a != b and compatible_given(ga, gb):
                        matches[a].add(b)
                        matches[b].add(a)
    # a name that fits several people who cannot be one ("A. Smith" and two speakers called Anna
    # Smith) joins none of them
    for e in full:
        roots = sorted({find(b) for b in matches[e.id]} | {find(e.id)})
        if len(roots) > 1 and all(can_union(x, y) for i, x in enumerate(roots) for y in roots[i + 1:]):
            for r in roots:
                union(e.id, r)
    # surnames alone: join the one group of full names they fit
    index: dict[tuple[str, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for e in full:
        surnames = {sname for _g, sname in keys[e.id]}
        for alias in e.aliases:
            t = name_words_of(alias)
            if t:
                surnames.add(romanisation_key(t[-1]))
        for sname in surnames:
            index[(sname[:2], len(sname))][sname].add(e.id)
    fit_cache: dict[str, set[int]] = {}

    def fitting(surname: str) -> set[int]:
        if surname not in fit_cache:
            ids: set[int] = set()
            for n in (len(surname) - 1, len(surname), len(surname) + 1):
                for t, eids in index.get((surname[:2], n), {}).items():
                    if similar_surnames(surname, t):
                        ids |= eids
            fit_cache[surname] = ids
        return {find(i) for i in fit_cache[surname]}

    full_ids = {e.id for e in full}
    alone = [e for e in persons if e.id not in full_ids and keys[e.id]]
    leftovers: dict[str, int] = {}
    for e in alone:
        written = keys[e.id][0][1]
        fits = set().union(*(fitting(s) for _g, s in keys[e.id]))
        # an oblique case alone ("Назарбаева": his genitive, or a woman's name) is no evidence
        if len(fits) == 1 and fitting(written) == fits:
            union(fits.pop(), e.id)
        elif not fits:
            if written in leftovers:
                union(leftovers[written], e.id)
            else:
                leftovers[written] = e.id
    # organisations and other named things: by name, or an alias used by one group only
    others = [e for e in entities if e.kind != "person"]
    by_name: dict[tuple[str, str], int] = {}
    for e in others:
        k = (e.kind, _org_key(e.name))
        if k in by_name:
            union(by_name[k], e.id)
        else:
            by_name[k] = e.id
    alias_owner: dict[tuple[str, str], set[int]] = defaultdict(set)
    for e in others:
        for a in e.aliases:
            alias_owner[(e.kind, _org_key(a))].add(find(e.id))
    for e in others:
        owners = {find(r) for r in alias_owner.get((e.kind, _org_key(e.name)), set())}
        if len(owners) == 1:
            union(owners.pop(), e.id)
    return {e.id: find(e.id) for e in entities}


def _group_head(ents: list[EntityName]) -> EntityName:
    """The name a group is shown under: a speaker's, else the fullest, most mentioned name."""
    return min(ents, key=lambda e: (e.speaker_id is None, -len(name_words_of(e.name)) if e.kind == "person" else 0,
                                    -e.mentions, e.id))


def entity_keys(e: EntityName) -> set[str]:
    """What decides which entities can be grouped with ``e`` (``entity_keys``): for a person the
    loosely spelled surname of each reading of their name and aliases (``p:`` + its first two
    letters, length and itself: similar surnames are in the same or a neighbouring length) and their
    speaker (``s:``); for anything else its kind with its name and aliases as ``group_entities``
    compares them (``o:``)."""
    if e.kind == "person":
        surnames = {s for _g, s in readings(e.name)}
        for alias in e.aliases:
            t = name_words_of(alias)
            if t:
                surnames.add(romanisation_key(t[-1]))
        out = {_surname_key(s) for s in surnames}
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
    return [EntityName(eid, name, kind, tuple(json_strings(aliases)), sid, mentions or 0)
            for eid, name, kind, aliases, sid, mentions in rows]


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
                    nxt.update(r[0] for r in conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (key,))
                               if r[0] not in found)
        nxt -= found
        found |= nxt
        todo = nxt
    return found


def regroup(conn: sqlite3.Connection, ids: set[int] | None) -> None:
    """Group these entities again (None: all) and rewrite their groups' rows. ``ids`` must be
    closed under ``_neighbourhood``; then no group reaches outside it, before or after."""
    entities = _entity_names(conn, ids)
    groups = group_entities(entities)
    if ids is None:
        for table in ("entity_keys", "entity_groups", "mention_groups"):
            conn.execute(f"DELETE FROM [{table}]")
        old: set[int] = set()
    else:
        old = set()
        for chunk in chunks(sorted(ids)):
            marks = placeholders(len(chunk))
            old.update(r[0] for r in conn.execute(
                f"SELECT DISTINCT group_id FROM entity_groups WHERE entity_id IN ({marks})", chunk))
            conn.execute(f"DELETE FROM entity_keys WHERE entity_id IN ({marks})", chunk)
            conn.execute(f"DELETE FROM entity_groups WHERE entity_id IN ({marks})", chunk)
        for chunk in chunks(sorted(old)):
            conn.execute(f"DELETE FROM mention_groups WHERE id IN ({placeholders(len(chunk))})", chunk)
    conn.executemany("INSERT INTO entity_keys (entity_id, key) VALUES (?, ?)",
                     sorted((e.id, k) for e in entities for k in entity_keys(e)))
    conn.executemany("INSERT INTO entity_groups (entity_id, group_id) VALUES (?, ?)", sorted(groups.items()))
    variants: dict[int, Counter] = defaultdict(Counter)
    by_speaker: dict[int, Counter] = defaultdict(Counter)
    if ids is None:
        rows = conn.execute("SELECT entity_id, form, count FROM mention_variants")
        mentions = conn.execute("SELECT entity_id, speaker_id, COUNT(*) FROM mentions GROUP BY 1, 2")
    else:
        rows, mentions = [], []
        for chunk in chunks(sorted(ids)):
            marks = placeholders(len(chunk))
            rows += conn.execute(
                f"SELECT entity_id, form, count FROM mention_variants WHERE entity_id IN ({marks})", chunk).fetchall()
            mentions += conn.execute(
                f"SELECT entity_id, speaker_id, COUNT(*) FROM mentions WHERE entity_id IN ({marks}) GROUP BY 1, 2",
                chunk).fetchall()
    for eid, form, count in rows:
        variants[groups.get(eid, eid)][form] += count
    for eid, sid, count in mentions:
        by_speaker[groups.get(eid, eid)][sid] += count
    members: dict[int, list[EntityName]] = defaultdict(list)
    for e in entities:
        members[groups[e.id]].append(e)
    out = []
    for gid, ents in sorted(members.items()):
        head = _group_head(ents)
        forms = sorted(variants[gid].items(), key=lambda kv: (-kv[1], kv[0]))
        speakers = sorted(by_speaker[gid].items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0))
        out.append((gid, head.name, head.kind, sum(e.mentions for e in ents),
                    json.dumps([e.name for e in ents], ensure_ascii=False),
                    json.dumps([[f, c] for f, c in forms], ensure_ascii=False),
                    json.dumps([[sid, c] for sid, c in speakers])))
    conn.executemany(
        "INSERT INTO mention_groups (id, name, kind, mentions, entities, variants, speakers) VALUES (?,?,?,?,?,?,?)",
        out,
    )


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
        touched.update(r[0] for r in conn.execute(
            f"SELECT DISTINCT entity_id FROM mentions WHERE document_id IN ({marks})", chunk))
        touched.update(r[0] for r in conn.execute(
            f"SELECT id FROM entities WHERE speaker_id IN (SELECT speaker_id FROM document_speakers "
            f"WHERE document_id IN ({marks}))", chunk))
    touched.update(r[0] for r in conn.execute(
        "SELECT id FROM entities WHERE id > (SELECT COALESCE(MAX(entity_id), 0) FROM entity_groups)"))
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
            more.update(r[0] for r in conn.execute(
                f"SELECT entity_id FROM entity_groups WHERE group_id IN (SELECT group_id FROM entity_groups "
                f"WHERE entity_id IN ({placeholders(len(chunk))}))", chunk))
        if more <= ids:
            return ids
        ids |= more
