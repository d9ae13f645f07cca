"""One answer to "are these two names the same person?", in any script and romanisation."""

from __future__ import annotations

import pytest

from viewer.core.names import MAYBE, NO, SURE, first_letters, readings, same_person, similar_surnames


@pytest.mark.parametrize(
    "a, b, answer",
    [
        # the same person, written differently
        ("Yevgeniy Zhovtis", "Евгений Жовтис", SURE),
        ("Aigerim Serikbayeva", "Айгерим Серикбаева", SURE),
        ("Aigerim Serikbayeva", "Aygerim Serikbaeva", SURE),
        ("Qasym Toqaev", "Kasym Tokayev", SURE),
        ("Қасым-Жомарт Тоқаев", "Kassym-Jomart Tokayev", SURE),
        ("Dr Martin Keller", "Martin Keller", SURE),
        ("MEP Petras Auštrevičius", "Petras Austrevicius", SURE),
        ("Hillary Rodham Clinton", "Hillary Clinton", SURE),
        ("Нурсултана Назарбаева", "Nursultan Nazarbayev", SURE),  # an oblique case
        # perhaps the same person: a surname alone, an initial, a spelling of the given name, a surname off
        ("Zhovtis", "Yevgeniy Zhovtis", MAYBE),
        ("J. Novak", "Jan Novak", MAYBE),
        ("Mr Novak", "Jan Novak", MAYBE),
        ("Aigerim Serikbayeva", "Aigerim Serikbaeyva", MAYBE),
        # not the same person
        ("Hillary Clinton", "Bill Clinton", NO),
        ("Nursultan Nazarbayev", "Dariga Nazarbayeva", NO),  # a female form of the surname
        ("Anna Berg", "Anna Nowak", NO),
        ("Anna Berg", "", NO),
    ],
)
def test_same_person(a, b, answer):
    assert same_person(a, b) == answer
    assert same_person(b, a) == answer


def test_readings_leave_titles_out_and_read_an_oblique_case():
    assert readings("Former President Barack Obama") == ((("barack",), "obama"),)
    assert (("nursultan",), "nazarbaev") in readings("Нурсултана Назарбаева")


def test_a_typo_is_a_similar_surname_a_female_form_and_a_short_name_are_not():
    assert similar_surnames("nazarbaiev", "nazabariev")
    assert not similar_surnames("nazarbaiev", "nazarbaieva")
    assert not similar_surnames("li", "lu")


def test_first_letters_of_romanisations():
    assert first_letters("yevgeniy")[0] == "y" and "e" in first_letters("yevgeniy")
    assert first_letters("zhovtis") == "zj"
    assert first_letters("berg") == "b"


def test_an_import_matches_speakers_with_it(make_archive, tmp_path):
    """The archive's speaker matching (an import) says the same: sure is one speaker, maybe is kept apart."""
    from viewer.core.importer import import_files

    archive = make_archive({"start.txt": "A report that names nobody.\n"})
    first = tmp_path / "first.txt"
    first.write_text(
        "Round table on the press\n\nYevgeniy Zhovtis noted that the trials were unfair.\n", encoding="utf-8"
    )
    second = tmp_path / "second.txt"
    second.write_text("Круглый стол\n\nЕвгений Жовтис отметил, что суды несправедливы.\n", encoding="utf-8")
    third = tmp_path / "third.txt"
    third.write_text("Another round table\n\nJ. Zhovtis noted that nothing had changed.\n", encoding="utf-8")
    report = import_files(archive, [first, second, third])
    ids = [f.speaker_ids for f in report.files]
    assert ids[0] == ids[1]  # the same person in Cyrillic
    assert ids[2] != ids[0]  # perhaps the same: kept apart, and said
    assert any("may be the same person as “Yevgeniy Zhovtis”" in n for n in report.files[2].notes)
