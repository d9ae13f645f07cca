"""Citations name the person who said the words, never the wrong one."""

import pytest

from viewer.core.citation import (
    DEFAULT_TEMPLATE,
    NARRATION,
    PARAPHRASE,
    QUOTE,
    TEMPLATE_FILE,
    Citation,
    check_template,
    cite_quote,
    cite_selection,
    load_template,
    quote_text,
    render,
    save_template,
)


def _quote_id(archive, startswith):
    return next(q.id for q in archive.quotes() if q.text.startswith(startswith))


def test_quote_citation_reads_like_the_default(seed_archive):
    c = cite_quote(seed_archive, _quote_id(seed_archive, "Democracy building"))
    text = c.render()
    assert text.startswith("“Democracy building is a never-ending process")
    assert text.endswith(
        '” (Peter Burian, EU Special Representative for Central Asia, "Addressing human rights abuses in '
        'Kazakhstan: a need for the EU response", Open Dialogue Foundation, 25 March 2021, ¶ 4)'
    )


def test_relayed_quote_names_who_said_it_and_who_relayed_it(seed_archive):
    c = cite_quote(seed_archive, _quote_id(seed_archive, "We live in a prison"))
    assert c.speaker == "six brave women who shaved their head, quoted by Rosalba Castelletti"
    assert c.text == "We live in a prison called Kazakhstan"


def test_selection_outside_a_quote_is_the_reports_words_never_in_quotation_marks(seed_archive):
    p = seed_archive.passages(1)[5]  # ¶ 6, Zhovtis, paraphrase then a quote
    c = cite_selection(seed_archive, p.id, 0, 30)
    assert c.speaker == "Yevgeniy Zhovtis" and c.words == PARAPHRASE  # the speaker field is the clean name
    text = c.render()
    assert text.startswith("According to the report, Yevgeniy Zhovtis raised the")
    assert "“" not in text and "”" not in text
    assert "(paraphrasing Yevgeniy Zhovtis, Director of the Kazakhstan International Bureau" in text
    assert text.endswith("25 March 2021, ¶ 6)")
    q = next(q for q in seed_archive.quotes(passage_id=p.id))
    inner = cite_selection(seed_archive, p.id, q.start, q.start + 20)
    assert inner.speaker == "Yevgeniy Zhovtis" and inner.paragraph == "6" and inner.words == QUOTE
    assert inner.render().startswith("“")


def test_narration_is_the_reports_own_words():
    c = Citation(text="Some words", title="An event", date="1 May 2020", paragraph="3", words=NARRATION)
    assert render(DEFAULT_TEMPLATE, c) == 'According to the report, Some words ("An event", 1 May 2020, ¶ 3)'


def test_narration_of_the_seed_report_is_never_quoted(seed_archive):
    p = next(p for p in seed_archive.passages(1) if p.speaker_id is None)
    c = cite_selection(seed_archive, p.id, 0, 20)
    assert (c.speaker, c.words) == ("", NARRATION)
    assert c.render().startswith("According to the report, ") and "“" not in c.render()


def test_any_quotation_marks_of_the_template_are_left_out_for_the_reports_words():
    c = Citation(text="the list is growing", speaker="A. Person", title="T", paragraph="2", words=PARAPHRASE)
    assert render("«{text}» — {speaker}, ¶ {paragraph}", c) == (
        "According to the report, the list is growing — paraphrasing A. Person, ¶ 2"
    )
    assert render('{speaker}: "{text}"', c) == "paraphrasing A. Person: According to the report, the list is growing"


def test_a_quote_is_cited_without_the_comma_of_the_sentence_around_it():
    c = Citation(text="We are just doing our job, ", speaker="An Officer", paragraph="4")
    assert c.render("“{text}” ({speaker}, ¶ {paragraph})") == "“We are just doing our job” (An Officer, ¶ 4)"
    assert quote_text("Stop; ") == "Stop" and quote_text("Is it over?") == "Is it over?" and quote_text(",") == ","


def test_a_quote_of_an_archive_keeps_its_words_and_loses_the_comma(make_archive):
    path = make_archive(
        {"briefing.txt": "Briefing\n\n“We are just doing our job,” said Anna Berg, a police spokeswoman.\n"}
    )
    from viewer.core.archive import Archive

    with Archive(path) as archive:
        [q] = archive.quotes()
        assert q.text.endswith("job,")  # the archive keeps the span as written
        assert cite_quote(archive, q.id).render().startswith("“We are just doing our job” (Anna Berg")


def test_the_template_is_a_file_in_the_data_folder(tmp_path):
    assert load_template(tmp_path) == DEFAULT_TEMPLATE and load_template(None) == DEFAULT_TEMPLATE
    save_template(tmp_path, "{speaker}: “{text}” (¶ {paragraph})")
    assert (tmp_path / TEMPLATE_FILE).read_text(encoding="utf-8") == "{speaker}: “{text}” (¶ {paragraph})\n"
    assert load_template(tmp_path) == "{speaker}: “{text}” (¶ {paragraph})"
    with pytest.raises(ValueError, match="unknown field"):
        save_template(tmp_path, "{nope} {text}")
    (tmp_path / TEMPLATE_FILE).write_text("{broken", encoding="utf-8")  # edited by hand: not used
    assert load_template(tmp_path) == DEFAULT_TEMPLATE


def test_bad_template_is_reported_and_falls_back():
    assert check_template("{speaker} said {nope}") == "unknown field(s): {nope}"
    assert check_template("{speaker}") == "the template must contain {text}"
    assert render("{text} {nope}", Citation(text="x", speaker="A")).startswith("“x” (A")


def test_selection_out_of_range_gives_nothing(seed_archive):
    p = seed_archive.passages(1)[0]
    assert cite_selection(seed_archive, p.id, 5, 10**6) is None


def _passage(archive, slug, startswith):
    doc = archive.document(slug)
    return doc, next(p for p in archive.passages(doc.id) if p.text.startswith(startswith))


def test_a_citation_from_a_pdf_gives_the_page_and_a_paragraph_over_two_pages_both(paged_archive):
    doc, p = _passage(paged_archive, "trial-monitoring-in-aktobe-the-second-session", "Gulmira Serikova")
    q = next(q for q in paged_archive.quotes(passage_id=p.id) if q.text.startswith("We teach children"))
    text = cite_quote(paged_archive, q.id).render()
    assert text.endswith(
        f'(Gulmira Serikova, "Trial monitoring in Aktobe: the second session", 14 February 2023, '
        f"p. {p.page}, ¶ {p.seq})"
    )
    broken = next(p for p in paged_archive.passages(doc.id) if p.page != p.page_end)
    c = cite_selection(paged_archive, broken.id, 0, 10)
    assert c.page == f"{broken.page}–{broken.page_end}" and f"p. {broken.page}–{broken.page_end}, ¶" in c.render()


def test_a_citation_from_a_web_page_gives_its_address_and_site_and_none_gives_a_page(paged_archive):
    _doc, p = _passage(paged_archive, "court-hears-appeal-of-jailed-almaty-activists", "Relatives of the defendants")
    q = next(q for q in paged_archive.quotes(passage_id=p.id) if q.text.startswith("We cannot stop"))
    c = cite_quote(paged_archive, q.id)
    assert c.url == "https://www.northern-ledger.example/world/asia/2023/03/14/almaty-court-hearing"
    assert c.publisher == "The Northern Ledger" and c.page == ""
    assert c.render().endswith(f"The Northern Ledger, 14 March 2023, ¶ {p.seq}, {c.url})")
    assert render("{speaker}: “{text}” ({title}, {url})", c).endswith(
        f"(Court hears appeal of jailed Almaty activists, {c.url})"
    )
