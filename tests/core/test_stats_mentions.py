"""Mentions across documents: spellings of one name are one person; different people stay apart."""

from __future__ import annotations

from collections import Counter

import pytest

from viewer.core import schema
from viewer.core.archive import Archive
from viewer.core.build import ArchiveWriter, DocumentMeta, create_archive
from viewer.core.entity_groups import EntityName, group_entities
from viewer.core.extract import Extraction, XEntity, XMention, XPassage, XPerson, extract
from viewer.core.names import similar_surnames
from viewer.core.stats import Statistics
from viewer.core.stats_records import Scope
from viewer.core.stats_writer import mention_form


def _groups(*names: str | tuple) -> list[set[str]]:
    ents = []
    for i, n in enumerate(names, start=1):
        if isinstance(n, tuple):
            name, kind, aliases, sid = (list(n) + [None] * 4)[:4]
            ents.append(EntityName(i, name, kind or "person", tuple(aliases or ()), sid))
        else:
            ents.append(EntityName(i, n, "person"))
    mapping = group_entities(ents)
    by_group: dict[int, set[str]] = {}
    for e in ents:
        by_group.setdefault(mapping[e.id], set()).add(e.name)
    return sorted(by_group.values(), key=lambda g: sorted(g))


def test_spellings_of_one_person_are_grouped():
    groups = _groups(
        "Nursultan Nazarbayev",
        "Назарбаев",
        "Nazabaryev",
        "Nazarbaev",
        "Нурсултана Назарбаева",
        "President Nazarbayev",
        "N. Nazarbayev",
        "Нурсултан Назарбаев",
    )
    assert groups == [
        {
            "Nursultan Nazarbayev",
            "Назарбаев",
            "Nazabaryev",
            "Nazarbaev",
            "Нурсултана Назарбаева",
            "President Nazarbayev",
            "N. Nazarbayev",
            "Нурсултан Назарбаев",
        }
    ]


def test_kazakh_russian_and_latin_spellings_are_grouped():
    groups = _groups(
        "Қасым-Жомарт Тоқаев",
        "Qasym-Jomart Toqaev",
        "Kassym-Jomart Tokayev",
        "Касым-Жомарт Токаев",
        "Мұхтар Қалиев",
        "Mukhtar Qaliyev",
        "Мухтар Калиев",
        "Mukhtar Kaliyev",
    )
    assert groups == [
        {"Kassym-Jomart Tokayev", "Qasym-Jomart Toqaev", "Касым-Жомарт Токаев", "Қасым-Жомарт Тоқаев"},
        {"Mukhtar Kaliyev", "Mukhtar Qaliyev", "Мухтар Калиев", "Мұхтар Қалиев"},
    ]


def test_different_people_are_not_grouped():
    groups = _groups("Nursultan Nazarbayev", "Dariga Nazarbayeva", "Karimov", "Kasimov", "Ivan Petrov", "Sergey Petrov")
    assert {"Nursultan Nazarbayev"} in groups and {"Dariga Nazarbayeva"} in groups
    assert {"Karimov"} in groups and {"Kasimov"} in groups
    assert {"Ivan Petrov"} in groups and {"Sergey Petrov"} in groups


def test_a_surname_alone_joins_only_an_unambiguous_person():
    assert {"Petrov"} in _groups("Ivan Petrov", "Sergey Petrov", "Petrov")
    assert {"Ivan Petrov", "Petrov"} in _groups("Ivan Petrov", "Petrov")
    # an oblique Cyrillic form could be Nursultan's genitive or Dariga's name: left alone
    assert {"Назарбаева"} in _groups("Nursultan Nazarbayev", "Dariga Nazarbayeva", "Назарбаева")
    assert {"Петрова"} in _groups("Ivan Petrov", "Петрова")
    assert {"Dariga Nazarbayeva", "Назарбаева"} in _groups("Dariga Nazarbayeva", "Назарбаева")
    assert {"Ivan Petrov", "Петров"} in _groups("Ivan Petrov", "Петров")


def test_two_speakers_with_one_name_stay_two_people():
    ents = [
        EntityName(1, "Anna Smith", "person", (), 1),
        EntityName(2, "Anna Smith", "person", (), 2),
        EntityName(3, "Anna Smith", "person", (), 1),
        EntityName(4, "A. Smith", "person", (), None),
    ]
    mapping = group_entities(ents)
    assert mapping[1] == mapping[3] != mapping[2]
    assert mapping[4] == 4  # it could be either of them


def test_organisations_by_name_or_an_alias_only_one_group_uses():
    groups = _groups(
        ("European Union", "organisation", ("EU",)),
        ("EU", "organisation"),
        ("European Parliament", "organisation", ("EP",)),
        ("European Patent Office", "organisation", ("EP",)),
        ("EP", "organisation"),
        ("Halyk Bank", "organisation"),
        ("HALYK BANK", "organisation"),
    )
    assert {"European Union", "EU"} in groups
    assert {"EP"} in groups  # two groups call themselves EP
    assert {"Halyk Bank", "HALYK BANK"} in groups


def test_similar_surnames():
    assert similar_surnames("nazarbaiev", "nazabariev")  # letters swapped
    assert similar_surnames("tokaiev", "tokaev")  # one letter more
    assert not similar_surnames("karimov", "kasimov")
    assert not similar_surnames("nazarbaiev", "nazarbaieva")  # a female form
    assert not similar_surnames("li", "lu")


def test_mention_form_keeps_possessives():
    assert mention_form("Nazarbayev", "’s so") == "Nazarbayev’s"
    assert mention_form("Austrevicius", "’ F") == "Austrevicius’"
    assert mention_form("EU", "'s ") == "EU's"
    assert mention_form("Nazarbayev", " is") == "Nazarbayev"
    assert mention_form("Peter", "’se") == "Peter"


RU_TEXT = "Назарбаев построил коррупционный режим, заявил Иван Петров. 105 политических заключённых."


def _cyrillic_extraction() -> Extraction:
    person = XPerson(key="petrov", name="Иван Петров", aliases=["Петров"], speaker=True)
    passage = XPassage(
        seq=1,
        kind="paragraph",
        text=RU_TEXT,
        speaker="petrov",
        attribution="name",
        mentions=[XMention(0, 9, "naz", "Назарбаев", "petrov")],
    )
    return Extraction(
        "report", [passage], [person], {"petrov": person}, [XEntity("naz", "Назарбаев", "person")], {}, []
    )


@pytest.fixture
def two_language_archive(tmp_path):
    from tests.conftest import SEED_SLUG, SOURCES

    path = tmp_path / "two.db"
    db = create_archive(path)
    writer = ArchiveWriter(db)
    text = (SOURCES / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    with db.conn:
        writer.add_document(
            DocumentMeta(SEED_SLUG, "Seed", "discussion", "2021-03-25"), text, extract(text), 1, log=lambda _m: None
        )
        writer.add_document(
            DocumentMeta("ru", "Обсуждение", "discussion", "2021-04-01"),
            RU_TEXT,
            _cyrillic_extraction(),
            2,
            log=lambda _m: None,
        )
        writer.refresh_counts()
    schema.enable_fts(db)
    db.conn.close()
    archive = Archive(path)
    yield archive
    archive.close()


def test_a_cyrillic_spelling_counts_for_the_same_person(two_language_archive):
    stats = Statistics(two_language_archive)
    naz = next(m for m in stats.mentions(Scope()) if m.name == "Nursultan Nazarbayev")
    assert naz.count == 9
    assert dict(naz.variants)["Назарбаев"] == 1 and dict(naz.variants)["Nazabaryev"] == 1
    assert set(naz.entities) == {"Nursultan Nazarbayev", "Назарбаев"}
    by = {name: n for _sid, name, n in naz.by}
    assert by["Иван Петров"] == 1
    ru = two_language_archive.document("ru").id
    [only] = stats.mentions(Scope(document_id=ru))
    assert only.name == "Nursultan Nazarbayev" and only.count == 1
    steps = stats.mention_passages(naz.group_id, Scope(document_id=ru))
    assert [(RU_TEXT[s:e]) for _pid, spans in steps for s, e in spans] == ["Назарбаев"]


def test_terms_and_figures_of_a_cyrillic_document(two_language_archive):
    stats = Statistics(two_language_archive)
    ru = two_language_archive.document("ru").id
    terms = {t.term: t.count for t in stats.terms(Scope(document_id=ru))}
    assert "назарбаев" in terms and "иван" not in terms and "петров" not in terms  # the speaker's own name
    assert "заявил" not in terms  # a verb of reported speech
    figures, total = stats.figures(Scope(document_id=ru))
    assert total == 1 and figures[0].text == "105 политических заключённых"
    assert figures[0].speaker == "Иван Петров"
    counts = Counter(t.key for t in stats.terms(Scope(), limit=10_000))
    assert all(c == 1 for c in counts.values())  # one row per key across languages
