"""Normalisation is the same on the index and the query: case, diacritics, quotes, ё, Kazakh letters,
Cyrillic <-> Latin, romanisation variants. Literal expectations on our own Cyrillic and Kazakh texts."""

from __future__ import annotations

import pytest

from viewer.core.archive import Archive
from viewer.core.search import Search, SearchOptions, word_keys
from viewer.core.text import (
    exact_form,
    fold,
    latin_ascii,
    romanisation_key,
    romanisation_keys,
    search_extra,
    spelling_key,
    spellings,
    translit,
)

# Our own test texts: a hearing in Russian and Kazakh, a briefing in English with other romanisations.
HEARING = """\
Дина Сапарова: Нурсултан Назарбаев правил страной тридцать лет. Тоқаев продолжил его курс.
Ерлан Жовтис: Мы требуем санкций против коррупционеров. Всё ещё ждём ответа от Ақорда.
Hannah Fischer: The café on Straße 5 was closed; she doesn’t know why. Qasym-Jomart Tokayev spoke about reforms in Łódź.
Дина Сапарова: Қазақстан — біздің үйіміз. Казахстан наш дом. Ёлка стояла на площади.
"""
BRIEFING = """\
Marta Kowalska: We met Evgeny Zhovtis in Almaty. Former president Nazarbaev still holds power, and Tokaev promised reforms. It doesn't look like the regime will change.
Tomasz Nowak: The Lodz meeting asked for sanctions against officials. Nobody saw the cafe owner again.
"""  # noqa: E501 - a transcript turn is one line
DOCUMENTS = [
    {
        "slug": "almaty-hearing",
        "title": "Almaty hearing",
        "kind": "hearing",
        "date": "2022-01-05",
        "collection": "Hearings",
    },
    {
        "slug": "brussels-briefing",
        "title": "Brussels briefing",
        "kind": "briefing",
        "date": "2023-06",
        "collection": "Briefings",
    },
]


@pytest.fixture(scope="module")
def texts_archive_path(tmp_path_factory):
    from tests.conftest import toml_str
    from viewer.core.build import build

    src = tmp_path_factory.mktemp("texts")
    (src / "almaty-hearing.txt").write_text(HEARING, encoding="utf-8")
    (src / "brussels-briefing.txt").write_text(BRIEFING, encoding="utf-8")
    lines = ['[archive]\ntitle = "Test texts"\n']
    for doc in DOCUMENTS:
        lines.append(f'[[documents]]\nfile = "{doc["slug"]}.txt"')
        lines += [f"{k} = {toml_str(v)}" for k, v in doc.items()]
    (src / "sources.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = src / "archive.db"
    build(src, out, log=lambda _m: None)
    return out


@pytest.fixture
def searcher(texts_archive_path):
    archive = Archive(texts_archive_path)
    yield Search(archive)
    archive.close()


def passage_texts(result) -> list[str]:
    """Which of our passages a result found, by their first words."""
    return sorted(" ".join(h.text.split()[:2]) for h in result.hits if h.kind == "passage")


HEARING_1 = "Нурсултан Назарбаев"
HEARING_2 = "Мы требуем"
HEARING_3 = "The café"
HEARING_4 = "Қазақстан —"
BRIEFING_1 = "We met"
BRIEFING_2 = "The Lodz"


# ---------------------------------------------------------------------------- the functions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Назарбаев", "nazarbayev"),
        ("Токаев", "tokayev"),
        ("Тоқаев", "tokayev"),
        ("Жовтис", "zhovtis"),
        ("Евгений", "yevgeniy"),
        ("Всё ещё", "vse yeshche"),
        ("Қазақстан", "kazakstan"),
        ("Казахстан", "kazakhstan"),
        ("Шукеева", "shukeyeva"),
        ("Ақорда", "akorda"),
        ("Щербаков", "shcherbakov"),
        ("Өскемен", "oskemen"),
    ],
)
def test_translit_literals(text, expected):
    assert translit(text) == expected


@pytest.mark.parametrize(
    "a, b",
    [
        ("Ёлка", "елка"),
        ("Қазақ", "казак"),
        ("Ұлы", "улы"),
        ("Әке", "аке"),
        ("Іс", "ис"),
        ("Өмір", "омир"),
        ("ғалым", "галым"),
        ("үй", "уй"),
        ("Һ", "х"),
        ("ң", "н"),
        ("doesn’t", "doesn't"),
        ("«права»", '"права"'),
        ("Auštrevičius", "austrevicius"),
    ],
)
def test_fold_meets(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Yevgeniy", "Evgeny"),
        ("Evgenij", "Yevgeniy"),
        ("Tokayev", "Tokaev"),
        ("Toqaev", "Tokayev"),
        ("Zhovtis", "Jovtis"),
        ("Nazarbayev", "Nazarbaev"),
        ("Castelletti", "Castelleti"),
        ("Tsoy", "Coi"),
        ("Khalyk", "Halyk"),
    ],
)
def test_romanisations_meet(a, b):
    assert romanisation_key(a) == romanisation_key(b)


def test_search_extra_adds_latin_and_ascii_spellings():
    assert search_extra("Тоқаев и Назарбаев") == "tokayev i nazarbayev"
    assert search_extra("The café in Łódź on Straße 5") == "lodz strasse"
    assert search_extra("Plain English only") == ""
    assert latin_ascii("Łódź") == "lodz" and latin_ascii("Æsir") == "aesir"


def test_word_keys_and_exact_form():
    assert word_keys("Тоқаев") == {"тоқаев", "tokayev"}
    assert word_keys("Łódź") == {"łodz", "lodz"}
    assert exact_form("AUŠTREVIČIUS") == "auštrevičius" and exact_form("Ёлка") == "ёлка"
    assert exact_form("doesn’t") == "doesn't"


# ---------------------------------------------------------------------------- on our own texts


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Назарбаев", [HEARING_1, BRIEFING_1]),
        ("Nazarbayev", [HEARING_1, BRIEFING_1]),
        ("Nazarbaev", [HEARING_1, BRIEFING_1]),
        ("Токаев", [HEARING_3, HEARING_1, BRIEFING_1]),
        ("Тоқаев", [HEARING_3, HEARING_1, BRIEFING_1]),
        ("Tokayev", [HEARING_3, HEARING_1, BRIEFING_1]),
        ("Tokaev", [HEARING_3, HEARING_1, BRIEFING_1]),
        ("Toqaev", [HEARING_3, HEARING_1, BRIEFING_1]),
        ("Жовтис", [HEARING_2, BRIEFING_1]),
        ("Yevgeniy", [BRIEFING_1]),
        ("Евгений", [BRIEFING_1]),
        ("ещё", [HEARING_2]),
        ("еще", [HEARING_2]),
        ("Елка", [HEARING_4]),
        ("ёлка", [HEARING_4]),
        ("Қазақстан", [HEARING_4]),
        ("Казакстан", [HEARING_4]),
        ("Kazakhstan", [HEARING_4]),
        ("Акорда", [HEARING_2]),
        ("Akorda", [HEARING_2]),
        ("doesn't", [HEARING_3, BRIEFING_1]),
        ("doesn’t", [HEARING_3, BRIEFING_1]),
        ("cafe", [HEARING_3, BRIEFING_2]),
        ("CAFÉ", [HEARING_3, BRIEFING_2]),
        ("Lodz", [HEARING_3, BRIEFING_2]),
        ("Łódź", [HEARING_3, BRIEFING_2]),
        ("Strasse", [HEARING_3]),
        ("Сапарова", [HEARING_1, HEARING_4]),
        ('"Нурсултан Назарбаев"', [HEARING_1]),
        ('"Nursultan Nazarbayev"', [HEARING_1]),
        ("Назар*", [HEARING_1, BRIEFING_1]),
        ("санкций OR sanctions", [HEARING_2, BRIEFING_2]),
        # excluded words are matched in every script and case, but not widened to variants
        ("Tokaev -Назарбаев", [HEARING_3, BRIEFING_1]),
        ("Tokaev -Nazarbaev", [HEARING_3, HEARING_1]),
    ],
)
def test_every_spelling_finds_the_same_passages(searcher, query, expected):
    assert passage_texts(searcher.run(query)) == sorted(expected)


@pytest.mark.parametrize(
    "query, variants",
    [
        ("Назарбаев", ("Nazarbayev", "Nazarbaev")),
        ("Токаев", ("Tokayev", "Tokaev")),
        ("Tokaev", ("Tokayev",)),
        ("Yevgeniy", ("Evgeny",)),
        ("Łódź", ("Lodz",)),
        ("cafe", ()),
    ],
)
def test_other_spellings_searched_are_named(searcher, query, variants):
    assert searcher.run(query).variants == variants


def test_highlights_cover_each_spelling_in_the_original_text(searcher):
    result = searcher.run("Токаев")
    found = {h.text.split()[0]: [h.text[s:e] for s, e in h.highlights] for h in result.hits if h.kind == "passage"}
    assert found == {"Нурсултан": ["Тоқаев"], "The": ["Tokayev"], "We": ["Tokaev"]}
    hit = next(h for h in searcher.run("doesn't").hits if h.text.startswith("The café"))
    assert [hit.text[s:e] for s, e in hit.highlights] == ["doesn’t"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("cafe", [BRIEFING_2]),
        ("café", [HEARING_3]),
        ("Lodz", [BRIEFING_2]),
        ("Łódź", [HEARING_3]),
        ("ещё", [HEARING_2]),
        ("еще", []),
        ("Тоқаев", [HEARING_1]),
        ("Токаев", []),
        ("café -Straße", []),
        ("café -Strasse", [HEARING_3]),
    ],
)
def test_exact_diacritics_keeps_only_the_spelling_typed(searcher, query, expected):
    result = searcher.run(query, SearchOptions(exact_diacritics=True))
    assert passage_texts(result) == sorted(expected)
    assert result.variants == ()
    assert result.total == len(result.hits)


def test_speaker_names_in_cyrillic_filter_and_match(searcher, texts_archive_path):
    archive = searcher.archive
    saparova = archive.find_speakers("Дина Сапарова")[0]
    result = searcher.run("Казахстан OR Назарбаев", SearchOptions(speakers=(saparova.id,)))
    assert passage_texts(result) == [HEARING_1, HEARING_4]
    assert all(h.speaker == "Дина Сапарова" for h in result.hits)


# ---------------------------------------------------------------------------- one folding across scripts


@pytest.mark.parametrize("word", ["Казахстан", "Қазақстан", "Kazakhstan", "Qazaqstan", "Kazakstan", "КАЗАХСТАН"])
def test_russian_kazakh_and_latin_spellings_have_one_key(word):
    assert spelling_key(word) == "kazakstan"
    assert romanisation_key(word) == romanisation_key("Kazakhstan")


def test_the_spellings_of_a_key_are_what_it_folds():
    found = spellings("kazakstan")
    assert found[0] == "kazakstan" and len(found) == 9
    assert {"kazakhstan", "qazaqstan", "kazakstan"} <= set(found)
    assert all(spelling_key(s) == "kazakstan" for s in found)
    assert spellings("k" * 10) == ["k" * 10]  # too many to look up: the key alone


@pytest.mark.parametrize(
    "a, b",
    [
        ("Мұхтар Қалиев", "Mukhtar Qaliyev"),
        ("Mukhtar Kaliyev", "Мухтар Калиев"),
        ("Yuriy", "Iurii"),
        ("Mikhail", "Mihail"),
        ("Fyodor", "Фёдор"),
        ("Mariya", "Maria"),
        ("Aleksandr", "Alexandr"),
    ],
)
def test_names_meet_across_scripts_and_romanisations(a, b):
    assert romanisation_keys(a) == romanisation_keys(b)


RUSSIAN_REPORT = """\
Заседание в Алматы

Дата: 12 мая 2022 года

Модератор Ольга Белова открыла заседание. Ольга Белова сказала: «Казахстан должен освободить всех политических заключённых».
"""  # noqa: E501 - a paragraph is one line
KAZAKH_REPORT = """\
Алматыдағы жиналыс

Дата: 13 мая 2022 года

Жиналысты Дина Ахметова жүргізді. Дина Ахметова айтты: «Қазақстан азаматтары өз құқықтарын білуі керек».
"""


@pytest.fixture(scope="module")
def cyrillic_archive(tmp_path_factory, seed_archive_path):
    """The seed archive with a Russian and a Kazakh document imported: "Казахстан" is only in the first,
    "Қазақстан" only in the second, and the seed report spells it "Kazakhstan"."""
    import shutil

    from viewer.core.importer import import_files

    folder = tmp_path_factory.mktemp("cyrillic")
    path = folder / "archive.db"
    shutil.copy(seed_archive_path, path)
    (folder / "russian.txt").write_text(RUSSIAN_REPORT, encoding="utf-8")
    (folder / "kazakh.txt").write_text(KAZAKH_REPORT, encoding="utf-8")
    report = import_files(path, [folder / "russian.txt", folder / "kazakh.txt"])
    assert len(report.documents) == 2
    return path


@pytest.mark.parametrize("query", ["Казахстан", "Қазақстан", "Kazakhstan", "Qazaqstan", "Kazakstan", '"Қазақстан"'])
def test_every_spelling_of_kazakhstan_finds_the_imported_russian_and_kazakh_documents(cyrillic_archive, query):
    with Archive(cyrillic_archive) as archive:
        result = Search(archive).run(query, SearchOptions(limit=500))
        found = {h.document_title for h in result.hits}
        assert {"Заседание в Алматы", "Алматыдағы жиналыс"} <= found
        assert "Addressing human rights abuses in Kazakhstan: a need for the EU response" in found
        marked = {archive.passage(h.passage_id).text[s:e] for h in result.hits for s, e in h.highlights}
        assert {"Казахстан", "Қазақстан", "Kazakhstan"} <= marked  # each spelling highlighted where it is


def test_a_spelling_not_in_the_index_searches_nothing_more(cyrillic_archive):
    with Archive(cyrillic_archive) as archive:
        result = Search(archive).run("Алматы")
        assert result.variants == ("Almaty",)
