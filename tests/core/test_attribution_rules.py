"""Who said what on documents in the shapes real reports and news take: each attribution rule, each quote
shape, the speakers it must and must not find. The documents are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core.extract import extract
from viewer.core.importer import prepare
from viewer.core.records import QUOTE, TERM, TITLE

DATA = Path(__file__).resolve().parents[1] / "data" / "attribution"


def read(name: str):
    return prepare(DATA / name).extraction


def quotes(x, kind: str | None = QUOTE):
    """(words, who said them, rule) of a document's quotes, in order."""
    out = []
    for p in x.passages:
        for q in p.quotes:
            if kind is None or q.kind == kind:
                who = x.people[q.speaker].name if q.speaker in x.people else q.label
                out.append((p.text[q.start : q.end], who, q.rule))
    return out


def said_by(x, start: str) -> tuple[str | None, str | None]:
    found = [(who, rule) for words, who, rule in quotes(x) if words.startswith(start)]
    assert len(found) == 1, f"{start!r}: {found}"
    return found[0]


def speakers(x) -> list[str]:
    return [p.name for p in x.speakers]


class TestEventWriteUp:
    """An MEP statement and a meeting write-up."""

    x = read("mep-statement.txt")

    def test_every_speaker_once_by_full_name(self):
        assert speakers(self.x) == [
            "Henrik Aldgaard",
            "Tomas Karevicius",
            "Ivo Markovic",
            "Greta Lindholm",
            "Pavel Dusek",
            "Lena Hartmann",
            "Jan Novak",
            "Okafor Mensah",
            "Ana Ruiz",
        ]

    def test_a_name_with_its_party_in_brackets_is_the_speaker_not_the_party(self):
        assert said_by(self.x, "We cannot speak of partnership") == ("Henrik Aldgaard", "cue")
        aldgaard = self.x.speakers[0]
        assert (aldgaard.role, aldgaard.organisation, aldgaard.country) == ("MEP", "Greens/EFA", "Denmark")

    def test_an_all_caps_surname_is_a_name_shown_in_title_case(self):
        assert said_by(self.x, "sanctions without follow-up") == ("Tomas Karevicius", "cue")
        assert (self.x.speakers[1].role, self.x.speakers[1].organisation) == ("MEP", "Renew Europe")

    def test_a_title_after_the_name(self):
        assert said_by(self.x, "Our committees can summon") == ("Ivo Markovic", "cue")
        assert self.x.speakers[2].honorific == "MP"

    def test_two_people_as_one_subject_are_both_speakers_of_their_passage(self):
        passage = next(p for p in self.x.passages if p.text.startswith("MEPs Greta"))
        assert self.x.people[passage.speaker].name == "Greta Lindholm"
        assert passage.label == "Greta Lindholm and Pavel Dusek"
        assert "Pavel Dusek" in speakers(self.x)

    def test_she_after_a_sentence_that_names_her_without_a_reporting_verb(self):
        assert said_by(self.x, "The charges were written") == ("Lena Hartmann", "cue")

    def test_a_reporting_clause_inside_the_quote_splits_it_and_names_the_speaker(self):
        assert said_by(self.x, "Journalists") == ("Lena Hartmann", "inside")
        assert said_by(self.x, "are no longer safe") == ("Lena Hartmann", "inside")
        assert not any("Ms Hartmann said" in words for words, _who, _rule in quotes(self.x, None))

    def test_a_given_name_and_surname_are_kept_together(self):
        assert "Jan Novak" in speakers(self.x) and "Novak" not in speakers(self.x)

    def test_a_persons_short_fragment_is_a_quote_a_scare_quote_and_a_title_are_not(self):
        assert said_by(self.x, "unlawful") == ("Okafor Mensah", "cue")
        assert ("reforms", None, None) in quotes(self.x, TERM)
        assert ("Silent Rooms", None, None) in quotes(self.x, TITLE)

    def test_said_name_at_an_organisation_and_the_quote_after_it(self):
        assert said_by(self.x, "We will keep counting") == ("Ana Ruiz", "cue")
        assert said_by(self.x, "Every name on our list") == ("Ana Ruiz", "continuation")

    def test_the_dateline_is_not_the_first_paragraph(self):
        assert not self.x.passages[0].text.startswith("Brussels")


class TestNewsItem:
    """A news item: byline, commentators, a quote over two paragraphs, a quote opened with the closing
    mark, a live-blog byline, an institution's statement, a president who only acts."""

    x = read("news-item.txt")

    def test_the_byline_and_the_publication_date_are_not_passages(self):
        info = prepare(DATA / "news-item.txt").info
        assert info.published == "2020-12-17"
        assert self.x.passages[0].text.startswith("An appeals court")

    def test_the_lawyer_and_the_commentator_each_keep_their_quotes(self):
        assert said_by(self.x, "The court did not look") == ("Aliya Kenzhebek", "cue")
        assert said_by(self.x, "It read the prosecutor") == ("Aliya Kenzhebek", "continuation")
        assert said_by(self.x, "We expected nothing else") == ("Ruslan Abenov", "cue")
        assert said_by(self.x, "The appeal was a formality") == ("Ruslan Abenov", "continuation")

    def test_a_quote_over_two_paragraphs_after_a_lead_in_with_a_colon(self):
        assert said_by(self.x, "My son wrote about roads") == ("Seitov’s mother", "colon")
        assert said_by(self.x, "Now they call him an extremist") == ("Seitov’s mother", "continuation")

    def test_an_institutions_words_in_its_statement(self):
        assert said_by(self.x, "incited hatred") == ("The prosecutor’s office", "cue")

    def test_a_second_quote_after_said_and_a_participle(self):
        assert said_by(self.x, "We have the documents") == ("Aliya Kenzhebek", "cue")
        assert said_by(self.x, "Both of them said") == ("Aliya Kenzhebek", "continuation")

    def test_a_quote_opened_with_the_closing_mark(self):
        assert said_by(self.x, "This is not justice") == ("Aliya Kenzhebek", "cue")

    def test_a_live_blog_byline(self):
        assert said_by(self.x, "Every sentence like this one") == ("Ruslan Abenov", "byline")

    def test_someone_who_only_acts_is_not_a_speaker(self):
        assert speakers(self.x) == ["Aliya Kenzhebek", "Ruslan Abenov"]
        assert self.x.passages[-2].speaker is None  # "President Tokayev promised judicial reforms …"

    def test_a_paragraph_of_one_persons_quotes_is_theirs(self):
        last = self.x.passages[-1]
        assert (self.x.people[last.speaker].name, last.attribution) == ("Ruslan Abenov", "quote")


class TestTranscripts:
    def test_a_transcript_quoted_in_an_article_gives_each_turn_to_its_speaker_as_a_quote(self):
        text = (
            "Kane Talks About the Guest List\n\nOn Sunday, the governor appeared on a morning show. A partial "
            "transcript follows:\n\n"
            '"WALDEN: Let’s start with the debate story. Why would the campaign do that?\n\n'
            '"VIDEO: They all told me it was a video when they knew it was not.\n\n'
            '"KANE: Well, look, my opponent thinks this is “Shark Tank.” But this is a serious country.\n\n'
            '"(CROSSTALK.)\n\n'
            '"WALDEN: If I may, sir, because we have limited time. Will she be there?\n\n'
            '"KANE: She will not be attending the debate tomorrow night.\n\n'
            '"But the truth is that our candidate has a unique way of talking to people.\n\n'
            '"WALDEN: Governor, thank you."\n'
        )
        x = extract(text)
        assert x.style == "transcript"
        said = [
            (p.text[q.start : q.end], x.people[q.speaker].name if q.speaker else None)
            for p in x.passages
            for q in p.quotes
            if q.kind == QUOTE and q.parent is None
        ]
        assert ("Let’s start with the debate story. Why would the campaign do that?", "Walden") in said
        assert ("Well, look, my opponent thinks this is “Shark Tank.” But this is a serious country.", "Kane") in said
        assert ("She will not be attending the debate tomorrow night.", "Kane") in said
        assert ("But the truth is that our candidate has a unique way of talking to people.", "Kane") in said
        assert ("Governor, thank you.", "Walden") in said  # the closing mark of the quotation is not the turn's
        assert sorted(s.name for s in x.speakers) == ["Kane", "Walden"]  # "VIDEO:" is nobody
        # the title inside a turn is inside its quote
        inner = [p.quotes[q.parent] for p in x.passages for q in p.quotes if p.text[q.start : q.end] == "Shark Tank."]
        assert inner and inner[0].rule == "turn"

    def test_turns_after_a_title_block_a_date_and_a_participants_list_without_blank_lines(self):
        pr = prepare(DATA / "hearing-minutes.txt")
        x = pr.extraction
        assert x.style == "transcript"
        assert (pr.info.title, pr.info.date) == ("Public hearing on the detention of journalists", "2012-01-31")
        turns = [(p.label, x.people[p.speaker].name if p.speaker else None) for p in x.passages if p.kind == "turn"]
        assert turns == [
            ("CHAIR", "Helen Park"),
            ("OMAR HADDAD", "Omar Haddad"),
            ("CHAIR", "Helen Park"),
            ("OMAR HADDAD", "Omar Haddad"),
            ("IRINA VOLKOVA", "Irina Volkova"),
            ("MODERATOR", None),
            ("AUDIENCE", None),
            ("CHAIR", "Helen Park"),
        ]
        assert any("nobody is named as “MODERATOR”" in n for n in x.notes)
        haddad = next(p for p in x.speakers if p.name == "Omar Haddad")
        assert (haddad.role, haddad.organisation) == ("editor", "The Delta Courier")

    def test_a_quote_inside_a_turn_is_relayed_by_the_witness(self):
        x = read("hearing-minutes.txt")
        found = [
            (p.text[q.start : q.end], q.label, x.people[q.quoted_by].name)
            for p in x.passages
            for q in p.quotes
            if q.kind == QUOTE
        ]
        assert found == [
            ("You know what you wrote.", "The police", "Omar Haddad"),
            ("a routine inquiry", "The prosecutor", "Irina Volkova"),
        ]

    def test_paragraphs_that_open_with_a_quote_mark_and_never_close_are_quotes_nobody_is_named_for(self):
        x = read("interview-transcript.txt")
        found = quotes(x)
        assert [w[:20] for w, _who, _rule in found] == [
            "When did the pressur",
            "It started with tax ",
            "Did you think about ",
            "Never. We have eleve",
        ]
        assert all(who is None for _w, who, _r in found)
        assert len([n for n in x.notes if "not attributed" in n]) == 4


class TestRussian:
    x = read("russian-report.txt")

    def test_speakers_with_reporting_verbs_in_any_form(self):
        assert speakers(self.x) == ["Айгерим Серикбаева", "Ерлан Жумабаев", "Павел Орлов"]
        assert self.x.speakers[0].event_role == "moderator"

    def test_guillemets_low_quotes_and_according_to_him(self):
        assert said_by(self.x, "Каждое задержание") == ("Айгерим Серикбаева", "cue")
        assert said_by(self.x, "суды не читают") == ("Ерлан Жумабаев", "according")
        assert said_by(self.x, "Мы продолжим работать") == ("Павел Орлов", "cue")

    def test_names_of_publications_are_not_quotes(self):
        assert [w for w, _who, _rule in quotes(self.x, TITLE)] == ["Степной вестник", "Север"]


@pytest.mark.parametrize(
    "text, words, who, rule",
    [
        # a cue after the quote, inverted, with an appositive, with asides between commas
        ("“We will appeal,” she said.\n", "We will appeal,", None, "cue"),
        ("Anna Berg spoke first. “We will appeal,” she said.\n", "We will appeal,", "Anna Berg", "cue"),
        (
            "“We will appeal,” said Anna Berg, a lawyer at the Legal Aid Centre.\n",
            "We will appeal,",
            "Anna Berg",
            "cue",
        ),
        (
            "“We will appeal,” Anna Berg, now 61 and retired in Graz, Austria, said on Monday.\n",
            "We will appeal,",
            "Anna Berg",
            "cue",
        ),
        ("“We will appeal,” election lawyer Anna Berg wrote on Monday.\n", "We will appeal,", "Anna Berg", "cue"),
        # a cue before the quote: the verb's own subject, not the last name before it
        ("Anna Berg, who met Piotr Nowak twice, said: “We will appeal.”\n", "We will appeal.", "Anna Berg", "cue"),
        (
            "Anna Berg did not mention Piotr Nowak by name but told reporters the ruling was “a disgrace.”\n",
            "a disgrace.",
            "Anna Berg",
            "cue",
        ),
        ("Anna Berg was asked by host Piotr Nowak: “Will you appeal?”\n", "Will you appeal?", "Piotr Nowak", "cue"),
        ("Anna Berg signed the appeal, saying: “We will win.”\n", "We will win.", "Anna Berg", "cue"),
        (
            "According to Anna Berg, “the ruling will not stand.”\n",
            "the ruling will not stand.",
            "Anna Berg",
            "according",
        ),
        (
            "“The ruling will not stand,” according to Anna Berg.\n",
            "The ruling will not stand,",
            "Anna Berg",
            "according",
        ),
        (
            "Lawyers agree – Anna Berg: “The ruling will not stand.”\n",
            "The ruling will not stand.",
            "Anna Berg",
            "label",
        ),
        # the next quote, not this one: "X said:" introduces what follows
        (
            "Anna Berg spoke. “We will win.” Piotr Nowak said: “We will see.”\n",
            "We will win.",
            "Anna Berg",
            "paragraph",
        ),
        # pronouns: the paragraph's latest subject of that gender, not a woman for "he"
        (
            "Anna Berg met Piotr Nowak on Monday. “We agreed on nothing,” he said.\n",
            "We agreed on nothing,",
            "Piotr Nowak",
            "cue",
        ),
        # more cue shapes: a cue far after a question, an infinitive, an old-fashioned inversion, "as X puts it",
        # a name with its party and a colon, a quote signed in the paragraph below it
        (
            "“Are you ready?” Anna Berg, a retired teacher from a small town near the border, asked the crowd.\n",
            "Are you ready?",
            "Anna Berg",
            "cue",
        ),
        (
            "Anna Berg spoke first.\n\nBerg went on to say, “The ruling will not stand.”\n",
            "The ruling will not stand.",
            "Anna Berg",
            "cue",
        ),
        ("Said Anna Berg, “The ruling will not stand.”\n", "The ruling will not stand.", "Anna Berg", "cue"),
        ("As Anna Berg puts it, “the ruling will not stand.”\n", "the ruling will not stand.", "Anna Berg", "cue"),
        ("Rep. Anna Berg (D-Vt.): “The ruling will not stand.”\n", "The ruling will not stand.", "Anna Berg", "label"),
        (
            "Quotes of the week.\n\n“The ruling will not stand.”\n\n– Anna Berg, a lawyer in Graz.\n",
            "The ruling will not stand.",
            "Anna Berg",
            "byline",
        ),
        # a sentence of narration between quotes that is about somebody else stops the continuation
        (
            "“We will appeal,” Anna Berg said. Piotr Nowak left the room. “The court is not listening.”\n",
            "The court is not listening.",
            None,
            None,
        ),
        # a name after someone's title is the speaker: the name in apposition, not the employer
        (
            "Anna Berg ran the office. “We will appeal,” said Berg’s senior legal adviser Piotr Nowak.\n",
            "We will appeal,",
            "Piotr Nowak",
            "cue",
        ),
        (
            "Anna Berg ran the office. “We will appeal,” Berg spokesman Piotr Nowak told the paper.\n",
            "We will appeal,",
            "Piotr Nowak",
            "cue",
        ),
        (
            "Anna Berg met Piotr Nowak. “We will appeal,” Berg told Nowak after the hearing.\n",
            "We will appeal,",
            "Anna Berg",
            "cue",
        ),
        # a surname in -ly is a name, not an adverb
        (
            "Tom Skelly ran the data team. “The file is valuable,” Skelly said.\n",
            "The file is valuable,",
            "Tom Skelly",
            "cue",
        ),
        (
            "Tom Skelly ran the data team. “The file is valuable,” said Skelly, explaining his work.\n",
            "The file is valuable,",
            "Tom Skelly",
            "cue",
        ),
        # a party in brackets between the name and its verb
        (
            "At the rally, Gov. Anna Berg (D-Vt.), said, “The ruling will not stand.”\n",
            "The ruling will not stand.",
            "Anna Berg",
            "cue",
        ),
        # "she" for the one person of unknown gender in view, though a man spoke just before
        (
            "Piotr Nowak spoke first. “We lost,” he said.\n\nTo law professor Marit Oyelaran, the ruling was a "
            "surprise.\n\n“It really looked like a bitter pill,” she said.\n",
            "It really looked like a bitter pill,",
            "Marit Oyelaran",
            "cue",
        ),
        # "he" for the latest subject, named in full, whose given name says nothing of gender
        (
            "Piotr Nowak spoke first.\n\nDaviel Marsk, 58, says he knew little of Nowak before, but now Marsk plans to "
            "vote for him.\n\n“Some changes need to be made,” he said.\n",
            "Some changes need to be made,",
            "Daviel Marsk",
            "cue",
        ),
        # a relative clause about a plural is not about the name before it
        (
            "Anna Berg, a radio host, recalled that Piotr Nowak was doubted by his listeners, who wondered if “he "
            "would "
            "be the token candidate.”\n",
            "he would be the token candidate.",
            None,
            None,
        ),
        # a few short appositives between the name and its verb: age, town, state, party
        (
            "Piotr Nowak spoke first.\n\nDarnell Sutby, 33, of Baldwin, Miss., dismisses the plan. “It is a stunt,” he "
            "said on the phone.\n",
            "It is a stunt,",
            "Darnell Sutby",
            "cue",
        ),
        ("“The bill is dead,” Kevin Marrow, R-Calif., said on Friday.\n", "The bill is dead,", "Kevin Marrow", "cue"),
        # a one-word quote with the sentence's comma inside the marks, then "said X", is the person's word
        ("“Safety,” said Nora Grimm, when asked what mattered most.\n", "Safety,", "Nora Grimm", "cue"),
        # a long title before the name, with an abbreviated honorific in it
        (
            "“We will win this state,” said former Vermont Gov. and party Chairman Ed Randall.\n",
            "We will win this state,",
            "Ed Randall",
            "cue",
        ),
        # a surname that is also a common word ("Law") before "said" is the person named earlier
        (
            "Donors are returning, said Steven Law, the group's president.\n\n“There is a sense of urgency,” Law "
            "said.\n",
            "There is a sense of urgency,",
            "Steven Law",
            "cue",
        ),
        # an adverb opening a sentence after a quote is not a person, and a clause between commas ("as he later
        # explained") is not an appositive of a name: the quote stays with the man who thought it
        (
            "We should not give him much credit for this. Only a year ago, after all, Nowak was saying the opposite. "
            '"This is a political thing," he told Ledger News in May, "keeping rates at this level." Specifically, he '
            'thought that "Halvorsen is keeping rates too low, too long" to help Mayor Dunn and that the result, as he '
            'later explained, was a "false boom."\n',
            "Halvorsen is keeping rates too low, too long",
            "Nowak",
            "sentence",
        ),
        # a relative clause about the person among the appositives
        (
            "“We need people who will unite,” Harry Bonder, 30, of Raleigh, N.C., who was among those polled, said "
            "in an "
            "interview.\n",
            "We need people who will unite,",
            "Harry Bonder",
            "cue",
        ),
        # live-blog bylines on consecutive lines, each after its quote, given names the machine does not know
        (
            "Readers wrote to us.\n\n“He has said hateful things time and again.” ― Carlos Raúl\n“The most unqualified "
            "child to ever run.” ― Franco Herrero\n“He has woken us up.” ― Julie A. Diaz Martinez\n",
            "The most unqualified child to ever run.",
            "Franco Herrero",
            "byline",
        ),
        # the quote inside what was said, after a name with a town and a state
        (
            "Johnnie Wilsby, of Springfield, Va., said the event was “a dream that we never thought would come "
            "true.”\n",
            "a dream that we never thought would come true.",
            "Johnnie Wilsby",
            "cue",
        ),
        # a party and state in brackets with full stops inside: one sentence
        (
            "Rep. Gina Butterfield (D-N.C.) said: “This is a disgrace to the whole nation.”\n",
            "This is a disgrace to the whole nation.",
            "Gina Butterfield",
            "cue",
        ),
        # two appositives, the second a noun phrase
        (
            "Jean-Marc Ayrolt, the foreign minister of France, a permanent member of the Security Council, said the "
            "latest "
            "“provocation cannot be left without consequences.”\n",
            "provocation cannot be left without consequences.",
            "Jean-Marc Ayrolt",
            "cue",
        ),
        # a long appositive naming other people: the quote is the subject's, not the last name's in it
        (
            "Chelsea Clintock, 35, the daughter of former President Bill Clintock and presidential candidate Hillary "
            "Clintock, said on Monday, “Next summer, our girl is going to be a big sister!”\n",
            "Next summer, our girl is going to be a big sister!",
            "Chelsea Clintock",
            "cue",
        ),
        # "Still," opening a sentence is not a person
        (
            "Still, Tad Devin, a senior adviser to Mr. Sanders, said on Tuesday that the campaign would not mislead "
            "voters. ''If there is no way to do it, we will be upfront about that,'' he said.\n",
            "If there is no way to do it, we will be upfront about that,",
            "Tad Devin",
            "cue",
        ),
        # a surname that is also a country's name, before "said", is the person named in full before
        (
            "Rep. Jim Jordan spoke first.\n\nMills “got an immunity agreement,” Jordan said, and still “got to sit "
            "in on "
            "the interview.”\n",
            "got an immunity agreement,",
            "Jim Jordan",
            "cue",
        ),
        # an opening mark typed where the closing one belongs
        (
            "Candidates gave talks.\n\n“It is unusual,“ said Larry Nobel, an attorney with the Campaign Legal Center. "
            "“It is a hard thing to do.”\n",
            "It is unusual,",
            "Larry Nobel",
            "cue",
        ),
        # a description and the name it is, between commas, after the quote or after "said"
        (
            '"Is the mayor going to resign at last? If he does not he should go in disgrace!" the presumptive '
            "presidential nominee, Donald Tramp, tweeted Sunday after the attack.\n",
            "Is the mayor going to resign at last? If he does not he should go in disgrace!",
            "Donald Tramp",
            "cue",
        ),
        (
            "“The court will take the case,” said another leading Supreme Court advocate, Andrew J. Pinkus of Mayer "
            "Brown.\n",
            "The court will take the case,",
            "Andrew J. Pinkus",
            "cue",
        ),
        # initials run together before a surname
        (
            "“This is a sad day,” said Rep. T.J. Marwood (D-N.C.), head of the caucus. “The plan is a fraud.”\n",
            "This is a sad day,",
            "T.J. Marwood",
            "cue",
        ),
        # a relative clause between a name and a place is not a title: the person said it
        (
            "Trump hurt the town.\n\n“In the debates he called this bankruptcy normal business,” said Sen. Jim "
            "Whelby who "
            "represents Atlantic City and served as its mayor.\n",
            "In the debates he called this bankruptcy normal business,",
            "Jim Whelby",
            "cue",
        ),
        # a surname that is also a month
        (
            'Trump is popular.\n\n"Many of his ideas are far from heartwarming," columnist Ai Jun wrote in the Global '
            "Times piece.\n",
            "Many of his ideas are far from heartwarming,",
            "Ai Jun",
            "cue",
        ),
        # a person "of" a place, though the given name can name a law
        (
            "''What was once marginal has now become mainstream,'' said former Gov. Bill Richmond of New Mexico, a "
            "Democrat "
            "who ran for president in 2008.\n",
            "What was once marginal has now become mainstream,",
            "Bill Richmond",
            "cue",
        ),
        # the reporting clause ends the sentence the quoted words are in
        (
            "Sanders won.\n\nClinton “drew quite well from working-class Democrats” in the 2008 primary, said Ohio "
            "State "
            "University professor Paul Beckman.\n",
            "drew quite well from working-class Democrats",
            "Paul Beckman",
            "cue",
        ),
        # ... but "told POLITICO", "said at a news conference in New York" name no speaker
        (
            "James Comer spoke.\n\nThe site “works as a way to sell books and to promote movies,” he said, and it is "
            "“a "
            "good tool for the police,” as the director said at a news conference in New York.\n",
            "a good tool for the police,",
            "James Comer",
            "cue",
        ),
        # a quote set off by dashes right after a name is that person's; the dash before "and" is no byline
        (
            "Prominent Republicans said the same thing, including the former candidate Mitt Romano -- ''It is "
            "disqualifying for a nominee to hide his tax returns'' -- and Fred Goldman, a former commissioner.\n",
            "It is disqualifying for a nominee to hide his tax returns",
            "Mitt Romano",
            "label",
        ),
        # a surname shared by two people: a full name in passing ("a photo of Heidi …") does not take it over
        (
            "Ted Cruzon spoke at the convention.\n\nTrump retweeted an unflattering photo of Heidi Cruzon.\n\n"
            "“I am not in the habit of supporting people who attack my wife,” Cruzon said in July.\n",
            "I am not in the habit of supporting people who attack my wife,",
            "Ted Cruzon",
            "cue",
        ),
        # a news agency in one word
        (
            "The poll shows a close race. This is “roughly the same advantage she has held all month,” reported "
            "Reuters.\n",
            "roughly the same advantage she has held all month,",
            "Reuters",
            "cue",
        ),
        # a place after "in" is not the subject of the verb that follows
        (
            "An article on Monday about Tessa Moray, one of the attackers in the mass shooting in San Marcos, "
            "Calif., based "
            "on accounts from officials, reported that she had ''talked openly on social media'' about her plans.\n",
            "talked openly on social media",
            None,
            None,
        ),
        # a clause before a reporting verb is no speaker: "rules that allow companies to tell “…”"
        (
            "The Fair Budget Group wants to end loopholes like rules that allow companies to tell “one country "
            "that a subsidiary is a corporation while telling another country it is a partnership.”\n",
            "one country that a subsidiary is a corporation while telling another country it is a partnership.",
            None,
            None,
        ),
        # "goes on to say" is part of the verb, not of who says it
        (
            "The email goes on to say: “Dolny wants to write hatred into our law books and it will damage us.”\n",
            "Dolny wants to write hatred into our law books and it will damage us.",
            "The email",
            "cue",
        ),
        # a clause after the quote that opens with "when" is about someone else's act, not a byline
        (
            "Marek Dolny spoke on Monday.\n\nThe ad ends with footage of Dolny saying during the debate, “That "
            "makes me smart and very rich,” when Lis blasted him for not paying income tax.\n",
            "That makes me smart and very rich,",
            "Marek Dolny",
            "cue",
        ),
        # a speech someone reports as to come is not where the quote comes from: the reporter's verb is
        (
            "Several weeks ago, Marek Dolny stated that Anna would discuss her immigration history “in a few "
            "weeks.” But those weeks have gone.\n",
            "in a few weeks.",
            "Marek Dolny",
            "cue",
        ),
        # "X said that Y begged him and “would have …”": Y's deed in X's words
        (
            "At the rally, Marek Dolny said that Jan Romanek begged him for an endorsement in 2012 and “would have "
            "dropped to his knees” if Dolny had asked him to do so.\n",
            "would have dropped to his knees",
            "Marek Dolny",
            "cue",
        ),
        # a name opening the sentence with an aside is what its later "he" is about
        (
            "Senate leader Tom Brock said on Tuesday that the vote would pass.\n\nHouse Speaker Paul Rynek, R-Wis., "
            "despite admitting that he did have his concerns about “trial lawyers trying to get rich”, the "
            "victims “do need to have their day in court” and he does believe Brock is correct about the "
            "override.\n\n“I do think the votes are there for the override,” he said.\n",
            "I do think the votes are there for the override,",
            "Paul Rynek",
            "cue",
        ),
        # a name followed by where the person works is the subject of the verb after it
        (
            "The debate was on Tuesday. Chris Matthews said Pence won.\n\n“Pence really was solid, and that is "
            "going to look very important for the campaign,” Matthews concluded.\n\nDan McLaughlin at the "
            "National Review agreed with Matthews about the winner.\n\n“If his goal was to make the other side "
            "defend business as usual, he succeeded with flying colors,” he wrote.\n",
            "If his goal was to make the other side defend business as usual, he succeeded with flying colors,",
            "Dan McLaughlin",
            "cue",
        ),
        # "…, said Anna Mazur" makes her the speaker, "said Ivana Dolna's statement" does not make Dolna one
        (
            "Ivana Dolna, the candidate's daughter, spoke about the plan on Monday.\n\n“It covers every family in "
            "the country,” she said.\n\nConservative economist Anna Mazur, who studies tax policy at the "
            "institute, said Ivana Dolna's statement didn't clarify the matter.\n\n“I don't see details about who "
            "is left out, who is eligible,” she said after reading the outline.\n",
            "I don't see details about who is left out, who is eligible,",
            "Anna Mazur",
            "cue",
        ),
        # an inverted reporting verb before "NBC’s Dante Chinni"
        (
            "The debates matter, said Sean Spicer, chief strategist for the committee.\n\nHowever debates are not "
            "likely to alter the campaign, noted NBC’s Dante Chinni.\n\n“Considering the high-stakes moments "
            "that the debates create one might expect them to matter more,” he wrote.\n",
            "Considering the high-stakes moments that the debates create one might expect them to matter more,",
            "Dante Chinni",
            "cue",
        ),
        # a reporting verb after an aside between dashes: "Helena Klimt — who … — lambasting"
        (
            "Some would lose, said Lily Bartek, a tax expert.\n\nIt has become a major issue in the campaign, with "
            "Helena Klimt — who has called for big tax hikes on the rich — lambasting Dolny's plan.\n\n“The kind "
            "of plan that Dolny has put forth would be trickle-down economics all over again,” she said.\n",
            "The kind of plan that Dolny has put forth would be trickle-down economics all over again,",
            "Helena Klimt",
            "cue",
        ),
        # someone new, introduced with who they are at the end of a paragraph about nobody else: the next "he"
        (
            "“It is seen as pandering,” said Bryan Andersen, a local organiser.\n\nWhile the last candidate had "
            "many artists writing songs about him, that has not happened this time, which is something that "
            "concerns Henry Crespo, president of the Miami-based Black Caucus.\n\n“No one is writing songs for "
            "her. She has nobody like that,” he said.\n",
            "No one is writing songs for her. She has nobody like that,",
            "Henry Crespo",
            "cue",
        ),
        # …but not when that paragraph has its own speakers: "Wilcox and Beruff, a Sarasota Republican, argued"
        (
            "Federal mandates are a burden, said Todd Wilcox, a businessman.\n\nWilcox and Carlos Beruff, a "
            "Sarasota Republican, argued that the department is not needed.\n\n“You have to take a really cynical "
            "view of the states, and I am not that cynical,” he said.\n",
            "You have to take a really cynical view of the states, and I am not that cynical,",
            "Todd Wilcox",
            "cue",
        ),
        # a name, then two asides between commas, then the verb
        (
            "Michael Mulgrew, president of the United Federation of Teachers, which represents the city's "
            "educators, said he hopes the day sends a message that “communities are standing up for their "
            "schools.”\n",
            "communities are standing up for their schools.",
            "Michael Mulgrew",
            "cue",
        ),
        # a contracted pronoun before the verb
        (
            "Donald Tramp spoke in Michigan on Friday.\n\nHe’s claiming that voting fraud is “a big, big problem "
            "in this country.”\n",
            "a big, big problem in this country.",
            "Donald Tramp",
            "cue",
        ),
        # a sentence that ends with its reporting clause is that speaker's, and so are the quotes after it
        (
            "Rep. Adam Schiffer said the intelligence is clear.\n\nThe administration may be reluctant to act "
            'while Secretary of State John Kerr negotiates with Russia, Schiffer said. "The other factor the '
            "administration may be considering is "
            'whether it would give the appearance of taking sides."\n',
            "The other factor the administration may be considering is whether it would give the appearance of "
            "taking sides.",
            "Adam Schiffer",
            "paragraph",
        ),
        # a participle describing a noun ("tweets accusing …") is not the verb the quote belongs to
        (
            "Helena Klimt spoke.\n\nShe says Dolny’s early-morning tweets accusing Alicia Marek of having a "
            "criminal record are “lies and conspiracy theories.”\n",
            "lies and conspiracy theories.",
            "Helena Klimt",
            "cue",
        ),
        # a fragment in a sentence that ends with “…, Warrick said.”
        (
            "Senator Elena Warrick spoke.\n\nA cashier who “steals a handful of banknotes” is held accountable, "
            "Warrick said. Bank executives are not.\n",
            "steals a handful of banknotes",
            "Elena Warrick",
            "cue",
        ),
        # a namesake only spoken to or of ("accused Rafael Cruzon of …") does not take the surname over
        (
            "Ted Cruzon Endorses Tramp\n\nTed Cruzon (R-Tex) is endorsing Donald Tramp's campaign.\n\nCiting an "
            "unfounded theory, Tramp repeatedly accused Rafael Cruzon, who was born and raised in Cuba, of "
            'associating with an assassin.\n\n"I am not in the habit of supporting people who attack my father," '
            "Cruzon said in July.\n",
            "I am not in the habit of supporting people who attack my father,",
            "Ted Cruzon",
            "cue",
        ),
        # a title with a date in it: "said 9/11 widow Terry Strada"
        (
            "“The rationales do not hold weight. They are wrong,” said 9/11 widow Terry Strada.\n",
            "The rationales do not hold weight. They are wrong,",
            "Terry Strada",
            "cue",
        ),
        # a name, an appositive and an aside between dashes before the verb
        (
            "John Dickens, the chief executive of Ora Media -- the production company that owns the programming, "
            "which is also streamed online -- told me, ''We are a content provider; we do business with people who "
            "want our content.''\n",
            "We are a content provider; we do business with people who want our content.",
            "John Dickens",
            "cue",
        ),
        # a newspaper by its one-word name
        (
            "“After the collapse, the company was left holding some debt,” the Times wrote.\n",
            "After the collapse, the company was left holding some debt,",
            "Times",
            "cue",
        ),
        # a quote that is a sentence of its own after a sentence about the only person of its paragraph
        (
            "On Sunday, Sen. Bernard Sandberg (Vt.), who lost the primaries, identified young voters’ exhaustion "
            'with bigotry as one of the reasons to support the nominee. "The younger people are sick and tired of '
            'discrimination and racism."\n',
            "The younger people are sick and tired of discrimination and racism.",
            "Bernard Sandberg",
            "paragraph",
        ),
        # a person's own document ("Ivana Tramp's brief said") speaks for them
        (
            "Ivana Tramp filed a brief on Monday.\n\nHowever, Ivana Tramp's brief said that was not her view and "
            'dismissed those reports as "previous misinterpreted statements and allegations."\n',
            "previous misinterpreted statements and allegations.",
            "Ivana Tramp",
            "cue",
        ),
        # an organisation's report after the quote
        (
            '"Although the market reaction was orderly, the ultimate impact remains very unclear," the IMF report '
            "stated.\n",
            "Although the market reaction was orderly, the ultimate impact remains very unclear,",
            "IMF",
            "cue",
        ),
        # a relative named in passing ("whose husband, Navy SEAL Ty Woods,") does not take the surname over
        (
            "Widow Dorothy Woods Defends Tramp\n\nDorothy Woods, whose husband, Navy SEAL Ty Woods, was one of "
            "four Americans killed in the attack, discussed the controversy with a radio host on Thursday.\n\n"
            "Though empathetic with their grief, Woods said she does not believe the parents should be immune "
            "from criticism.\n\n“First and foremost,” she told the host, “I would never, ever want to wish this "
            "status on anyone.”\n",
            "I would never, ever want to wish this status on anyone.",
            "Dorothy Woods",
            "cue",
        ),
        # a title-case headline is cut at its verbs: "Senator Endorsed Tramp" is no person "Endorsed Tramp"
        (
            "Right After This Big-Name Senator Endorsed Tramp, The Establishment Did Something Sick\n\nTramp "
            "jokingly said, “I hate to say it, I am becoming mainstream. I am getting all these endorsements.”\n",
            "I hate to say it, I am becoming mainstream. I am getting all these endorsements.",
            "Tramp",
            "cue",
        ),
        # a person of an organisation ("Adm. Harry B. Harrison Jr. of the Pacific Command") is a person
        (
            "Adm. Harry B. Harrison Jr. of the Pacific Command spoke on Friday.\n\n“We will not be deterred from "
            "flying where the law allows,” he said.\n",
            "We will not be deterred from flying where the law allows,",
            "Harry B. Harrison",
            "cue",
        ),
        # "said Rubino’s deputy campaign manager, Rich Beeston": the name the relation is
        (
            "“We think this is a very strong day for us,” said Rubino’s deputy campaign manager, Rich Beeston, who "
            "spoke on Tuesday.\n",
            "We think this is a very strong day for us,",
            "Rich Beeston",
            "cue",
        ),
        # an inverted reporting clause inside the sentence: "But, said Solovay, “…”"
        (
            'Sam Solovay, a contestant on the reality TV show, "The Apprentice," who went on to work alongside '
            'Dolny, said his boss was "always kind and generous and charming." But, said Solovay, "I do not want '
            'to drum up conflict because I know his penchant."\n',
            "I do not want to drum up conflict because I know his penchant.",
            "Sam Solovay",
            "cue",
        ),
        # a participle after a time word goes with the clause's subject, not with "a statement Tuesday"
        (
            "Donald Tramp is doubling down.\n\nTramp issued a statement Tuesday saying that his rival had shown bad "
            "judgment in using her “as a paragon of virtue.”\n",
            "as a paragon of virtue.",
            "Donald Tramp",
            "cue",
        ),
        # a reporting verb in a clause that opens with "as"/"when" after the real one is not the quote's
        (
            'At day’s end, Bill Klinton said as he introduced his wife in Hudson, "Finally, the dam broke and we '
            'are finally free" to have a discussion.\n',
            "Finally, the dam broke and we are finally free",
            "Bill Klinton",
            "cue",
        ),
        (
            "Mrs. Klinton said that when Ms. Warrick railed against Wall Street and corporate excesses from her "
            "perch in the Senate, ''she is speaking for all of us.''\n",
            "she is speaking for all of us.",
            "Klinton",
            "cue",
        ),
        # …but "as she angrily said, “…”" and "As Politico reported, …" are the quote's own
        (
            "Anna Klimt lost her cool on a rope line, jabbing her finger at an activist as she angrily said, “I am "
            "so sick of the campaign lying.”\n",
            "I am so sick of the campaign lying.",
            "Anna Klimt",
            "cue",
        ),
        # a clause after the quote that opens with "and" is not its reporting clause
        (
            'On the stump, Bill Weldon describes the party as "a six-lane highway going right up the middle," and '
            "Gary Johnston talks about what can be achieved.\n",
            "a six-lane highway going right up the middle,",
            "Bill Weldon",
            "cue",
        ),
        # "George Zornick of The Nation wrote": the person, not the magazine
        (
            "George Zornick of The Nation wrote, “If you want people to know you care about it, you have to show "
            "it.”\n",
            "If you want people to know you care about it, you have to show it.",
            "George Zornick",
            "cue",
        ),
        # an appositive left open before the verb: the name, not the organisation
        (
            "Anthony Antonov, president and CEO of Washington Restaurant Association stated, “It is not a "
            "political problem; it is a math problem.”\n",
            "It is not a political problem; it is a math problem.",
            "Anthony Antonov",
            "cue",
        ),
        # a time is no speaker: "Sandberg during a Sunday thanked its members “…”" is not "a Sunday"'s
        (
            "It became such a presence that Bernard Sandberg during a Sunday thanked its members “for their "
            "support in my campaign and my work.”\n",
            "for their support in my campaign and my work.",
            None,
            None,
        ),
        # "said another Twitter user, Johanna Bayer": a description, a comma, then the name
        (
            "''We are anxious about it,'' said another Twitter user, Johanna Bayer. ''The attacks are getting ever "
            "closer.''\n",
            "We are anxious about it,",
            "Johanna Bayer",
            "cue",
        ),
        # "Jr." with its full stop between the name and its appositive
        (
            "''Twitter works as a way to sell books and to crowdsource terrorism,'' James B. Comey Jr., the director "
            "of the Federal Bureau of Investigation, said at a news conference.\n",
            "Twitter works as a way to sell books and to crowdsource terrorism,",
            "James B. Comey",
            "cue",
        ),
        # "Lake Winola" is a place, not a woman "she" could be
        (
            "Anna Klimt spoke in Scranton, recalling summer visits to Lake Winola.\n\nShe said her father had "
            "''literally hopped a freight train from Scranton to Chicago'' to find work.\n",
            "literally hopped a freight train from Scranton to Chicago",
            "Anna Klimt",
            "cue",
        ),
        # the paragraph's speaker does not take a quote whose sentence is about someone of the other gender
        (
            "Donald Tramp said he protects his business. He prevented his first wife, Ivana, from writing about it. "
            'She signed an agreement barring her from publishing a "diary, memoir, letter, story or account of any '
            'kind" without his consent.\n',
            "diary, memoir, letter, story or account of any kind",
            None,
            None,
        ),
        # "he" after a quote broken by an aside about someone else is the paragraph's speaker, not the aside's
        (
            "Michael Bloomfield is thinking about a run.\n\nBloomfield's pollster, Douglas Schoen, says his man has "
            'the money and the time. "I do not think the conventional wisdom" -- that Bloomfield is perceived as a '
            'liberal -- "is going to last," he says.\n',
            "is going to last,",
            "Douglas Schoen",
            "cue",
        ),
    ],
)
def test_rules(text, words, who, rule):
    x = extract(text)
    found = [
        (p.text[q.start : q.end], x.people[q.speaker].name if q.speaker in x.people else q.label, q.rule)
        for p in x.passages
        for q in p.quotes
        if q.kind == QUOTE
    ]
    assert (words, who, rule) in found, found


def test_a_lake_or_a_fort_is_a_place_not_a_person():
    x = extract(
        "Anna Klimt spoke in Scranton, recalling summer visits to Lake Winola and Fort Dunmore.\n\nShe said it.\n"
    )
    assert [p.name for p in x.people.values()] == ["Anna Klimt"]


@pytest.mark.parametrize(
    "text, words, kind",
    [
        ("The novel “All that Glitters is Not Gold” was a warning, he said.\n", "All that Glitters is Not Gold", TITLE),
        ("“All that Glitters is Not Gold” was to be a warning, he said.\n", "All that Glitters is Not Gold", "name"),
        (
            "Anna Berg went on to describe the case of a blogger who was detained after criticising the mayor’s "
            "“beautification” programme.\n",
            "beautification",
            TERM,
        ),
        ("Anna Berg said the court was “a rubber stamp” for the prosecutor.\n", "a rubber stamp", QUOTE),
        ("The authorities labelled the group “extremist” last year.\n", "extremist", TERM),
        ("Anna Berg called the raid “unlawful”.\n", "unlawful", QUOTE),
        ("The so-called “reform” changed nothing.\n", "reform", TERM),
        (
            "The ministry insisted that the group “stop its dangerous activities.”\n",
            "stop its dangerous activities.",
            QUOTE,
        ),
    ],
)
def test_quote_or_not(text, words, kind):
    x = extract(text)
    found = [(p.text[q.start : q.end], q.kind) for p in x.passages for q in p.quotes]
    assert (words, kind) in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Voters wrote to us.\n\n“It is over,” they said.\n",
        "Critics wrote to us. “It is over.”\n",
        "Readers wrote to us.\n\n“He has said hateful things time and again.” ― Carlos Raúl\n",
    ],
)
def test_a_group_opening_a_sentence_is_not_a_speaker(text):
    x = extract(text)
    assert not {"Voters", "Critics", "Readers"} & {p.name for p in x.speakers}
    assert not any(q.label in ("Voters", "Critics", "Readers") for p in x.passages for q in p.quotes)


def test_a_country_that_speaks_is_not_a_person_when_nobody_has_its_name():
    x = extract("Jordan said it would close the border. “We have no choice,” the minister said.\n")
    assert x.speakers == [] and [q.label for p in x.passages for q in p.quotes] == ["the minister"]


def test_a_common_word_opening_sentences_is_not_a_speaker():
    x = extract(
        "Review of the cases noted that the court ignored the evidence. The review was published in May.\n\n"
        "Zhovtis noted that the trials were unfair.\n"
    )
    assert [p.name for p in x.speakers] == ["Zhovtis"]


def test_a_quote_nobody_can_be_found_for_is_left_unattributed_with_a_note():
    x = extract("The court ruled on Monday. “This changes everything.”\n")
    q = x.passages[0].quotes[0]
    assert (q.kind, q.speaker, q.label) == (QUOTE, None, None)
    assert x.notes == ["quote in ¶ 1 not attributed: “This changes everything.”"]


def test_a_pronoun_that_two_people_fit_is_a_suggestion_not_an_attribution():
    x = extract(
        "Piotr Nowak met Jan Kowalski and Tomasz Wrona.\n\n"
        "The meeting lasted an hour.\n\n"
        "Later, the talks went on without them.\n\n"
        "“We are done,” he said.\n"
    )
    q = x.passages[-1].quotes[0]
    assert q.speaker is None and q.rule == "cue"
