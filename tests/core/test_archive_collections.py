"""Read methods the desktop app pages through: collections, a collection's documents, event roles."""

from viewer.core.archive import Archive


def test_collections_with_text_first_then_by_name(seed_archive):
    assert seed_archive.collections() == [
        ("Events", 1, 1),
        ("Human rights situation in Kazakhstan", 6, 0),
        ("Personal sanctions against human rights violators", 4, 0),
    ]


def test_documents_in_a_collection_page_by_page_in_listed_order(seed_archive):
    name = "Human rights situation in Kazakhstan"
    everything = [d.id for d in seed_archive.documents() if d.collection == name]
    pages = [d.id for offset in range(0, 6, 4) for d in seed_archive.documents_in(name, offset, 4)]
    assert pages == everything == [d.id for d in seed_archive.documents_in(name)]
    assert seed_archive.documents_in("No such collection") == []


def test_documents_in_no_collection(make_archive):
    path = make_archive(
        {"a.txt": "Some words here.\n", "b.txt": "Other words.\n"}, documents=[{"collection": "Meetings"}, {}]
    )
    with Archive(path) as archive:
        assert archive.collections() == [("Meetings", 1, 1), (None, 1, 1)]
        assert [d.slug for d in archive.documents_in(None)] == ["b"]


def test_a_documents_row_in_its_collection_is_counted_without_reading_the_list(seed_archive, make_archive):
    for name, _count, _with_text in seed_archive.collections():
        listed = [d.id for d in seed_archive.documents_in(name)]
        assert [seed_archive.document_row(i) for i in listed] == list(range(len(listed)))
    assert seed_archive.document_row(10_000) is None
    path = make_archive(
        {"a.txt": "Some words here.\n", "b.txt": "Other words.\n", "c.txt": "More words.\n"},
        documents=[{"collection": "Meetings"}, {}, {}],
    )
    with Archive(path) as archive:
        assert [archive.document_row(d.id) for d in archive.documents_in(None)] == [0, 1]


def test_event_roles_in_a_document(seed_archive):
    roles = seed_archive.event_roles_in(1)
    assert roles[1] == "co-host" and roles[2] == "moderator"
    assert set(roles) == {s.id for s in seed_archive.speakers(1)}
    assert seed_archive.event_roles_in(5) == {}
