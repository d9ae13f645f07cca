"""Attribution: who each passage reports and who said each quote.

A passage belongs to the speaker its first reporting sentence is about (by name, pronoun or
description), or to the turn's speaker in a transcript; a paragraph that reports nobody is narration.

A quote goes through a sieve of rules, the most reliable first; the first that decides names the
rule in ``XQuote.rule``:

1. ``turn``: in a transcript, the words of the turn's speaker (unless a cue inside the turn names
   someone else, who is then relayed by the turn's speaker);
2. ``inside``: a reporting clause inside the quote ("“… – Ms X said – …”");
3. ``cue``: the reporting clause next to the quote, after it, before it in its sentence, "according
   to", a byline, or a lead-in that ends with a colon; its subject is resolved: a name, a pronoun (to
   the person a reader would take, ``focus.Focus``), a description ("the senator");
4. ``sentence``: no cue, but the sentence's subject reports speech ("She recalled the night: “…”");
5. ``continuation`` (a second pass): the next part of a quote that runs over several paragraphs, a quote
   after another one of the same speaker in its paragraph, the quote that opens a paragraph after a
   paragraph that ended with the same speaker's quote, or a quote before one whose cue follows it
   ("“A.” “B,” she said.").

Nothing is guessed: a quote no rule decides stays unattributed (with the person the text points to
kept as a suggestion when there is one), and a note says so.
"""

from __future__ import annotations

import re

from viewer.core import lexicon as lx
from viewer.core.extract import cues as cuelib
from viewer.core.extract.focus import INTRO, MENTION, SAYS, SPEAKER, SUBJECT, Focus
from viewer.core.extract.mentions import display_form
from viewer.core.extract.model import (
    DESC,
    GROUP,
    NAME,
    ORGANISATION,
    PERSON,
    PRONOUN,
    RELATION,
    SOURCE,
    Analysis,
    Candidate,
    Cue,
    Paragraph,
    Subject,
    XPassage,
    XQuote,
)
from viewer.core.extract.paragraphs import continues_quote
from viewer.core.extract.quotemarks import opens_with_quote
from viewer.core.extract.quotes import classify, translation_of
from viewer.core.extract.segment import PUNCT, QUOTED, WORD, Tok
from viewer.core.extract.speakers import speech_clause
from viewer.core.extract.subjects import AUX, is_verb, joint_partner, subject
from viewer.core.extract.verbs import is_speech_verb
from viewer.core.records import HEADING, LIST_ITEM, PARAGRAPH, QUOTE

_LEADING_VERBS = lx._words(
    "goes go went began begins seems seemed appears appeared continues continued tries tried wants wanted"
)
_QUANTIFIERS = lx._words("one two three some several many most each all none both")
_GENERIC = ("speaker", "panelist", "panellist", "guest", "participant")


class Attributor:
    """One pass over a document's paragraphs, then the continuation pass; see the module docstring."""

    def __init__(self, a: Analysis):
        self.a = a
        self.focus = Focus(a.people)
        self.current: str | None = None
        self.recent: list[str] = []

    # ------------------------------------------------------------------ passages

    def run(self) -> list[XPassage]:
        passages: list[XPassage] = []
        turn_speaker: str | None = None
        turn_label: str | None = None
        for p in self.a.paragraphs:
            passage = XPassage(seq=p.index + 1, kind=p.kind, text=p.text, speaker=None, attribution="narration")
            if self.a.style == "transcript":
                if p.turn:
                    turn_label = p.turn[0]
                    turn_speaker = p.turn[2] if p.turn[2] in self.a.people else None
                    passage.label, passage.speaker = p.turn[0], turn_speaker
                    passage.attribution = "turn" if turn_speaker else "audience"
                elif p.kind == HEADING:
                    turn_speaker, turn_label = None, None
                elif turn_speaker or turn_label:
                    passage.speaker, passage.label = turn_speaker, turn_label
                    passage.attribution = "continuation" if turn_speaker else "audience"
                self.current = turn_speaker
            elif p.kind in (HEADING, LIST_ITEM):
                self.current = None
            self._sentences(p, passage)
            if p.turn and passage.speaker and opens_with_quote(p.block.text):
                self._quoted_turn(p, passage)
            passage.quotes.sort(key=lambda q: (q.start, -q.end))
            passages.append(passage)
        if self.a.style == "report":
            self._bylines_below(passages)
            Continuations(self.a, passages, self.focus).run()
            for passage in passages:
                speakers = {q.speaker for q in passage.quotes if q.kind == QUOTE and q.parent is None}
                if (
                    passage.attribution == "narration"
                    and passage.kind == PARAGRAPH
                    and len(speakers) == 1
                    and None not in speakers
                ):
                    # "“…,” said Ruslan Abenov, a political analyst.": a paragraph of one person's quotes
                    passage.speaker, passage.attribution = speakers.pop(), "quote"
        for passage in passages:
            for q in passage.quotes:
                if q.kind == QUOTE and q.speaker is None and q.label is None:
                    self.a.notes.append(
                        f"quote in ¶ {passage.seq} not attributed: “{passage.text[q.start : q.end][:60]}”"
                    )
        return passages

    def _bylines_below(self, passages: list[XPassage]) -> None:
        """A quoted paragraph signed by the next one: "“…”" ¶ "– Hillary Clinton." (quote collections)."""
        for i in range(1, len(passages)):
            sign = self.a.paragraphs[i]
            toks = sign.views[None]
            dash = 1 if toks and toks[0].text in cuelib.DASHES else 0
            if (
                not toks or len(sign.text) > 160 or not (dash or sign.kind == LIST_ITEM)
            ):  # "- Name" reads as a list item
                continue
            hits = self.a.hits_at.get((i, None), {})
            h = hits.get(dash) or hits.get(dash + 1)
            if h is None or h.kind != PERSON or not h.person or h.ci > dash:
                continue
            prev = passages[i - 1]
            before = [q for q in prev.quotes if q.kind == QUOTE and q.parent is None]
            quoted_only = bool(before) and not prev.text[: before[0].start].strip(" “\"«„'‘")
            if quoted_only and all(q.speaker is None and q.label is None for q in before):
                for q in before:
                    q.speaker, q.rule, q.cue = h.person, "byline", sign.text
                self.a.people[h.person].speaker = True

    @staticmethod
    def _quoted_turn(p: Paragraph, passage: XPassage) -> None:
        """A transcript quoted in an article ("“PENCE: …"): the whole turn is the speaker's quote, and the
        quotes in it are inside it."""
        whole = XQuote(0, len(p.text), QUOTE, speaker=passage.speaker, cue=p.turn[0], rule="turn")
        for q in passage.quotes:
            q.parent = 0 if q.parent is None else q.parent + 1
        passage.quotes.insert(0, whole)

    def _sentences(self, p: Paragraph, passage: XPassage) -> None:
        toks = p.views[None]
        found = False
        for s0, s1 in p.sentences[None]:
            who = None
            subj = None
            if self.a.style == "report" and p.kind == PARAGRAPH:
                subj = subject(self.a, p.index, None, toks, s0, s1)
                if subj is not None and subj.candidate.kind == PRONOUN:
                    self._note_topic(p, toks, s0, subj.candidate.i)
                who = self._narrator_subject(subj, p, toks) if subj else None
                if who is None and (subj is None or subj.candidate.kind != PRONOUN):
                    who = self._trailing_reporter(p, toks, s0, s1)
                    if who:
                        self._set_current(who)
                        if not found:
                            passage.speaker, passage.attribution, found = who, NAME, True
                        subj = None
                elif who:
                    self._set_current(who)
                    self._learn_gender(p, toks, s0, s1, subj, who)
                    if not found:
                        passage.speaker, passage.attribution, found = who, subj.candidate.kind, True
                        partner = (
                            joint_partner(self.a, p.index, None, toks, subj.candidate)
                            if subj.candidate.kind == NAME
                            else None
                        )
                        if partner is not None and partner.value.person:
                            # "MEPs Greta Lindholm and Pavel Dusek assured": a passage of both
                            self.a.joint.add(partner.value.person)
                            passage.label = f"{self.a.person_name(who)} and {self.a.person_name(partner.value.person)}"
                sent_speaker = who
            else:
                sent_speaker = passage.speaker
            self._note_people(p, toks, s0, s1, subj, who)
            for k in range(s0, s1):
                if toks[k].kind == QUOTED:
                    self._quote(p, None, toks, k, s0, s1, passage, sent_speaker, None)
        if self.a.style == "report" and p.kind == PARAGRAPH and not found:
            self.current = None

    def _note_people(
        self, p: Paragraph, toks: list[Tok], s0: int, s1: int, subj: Subject | None, who: str | None
    ) -> None:
        """Tell the focus who this sentence brings up, and who its subject is."""
        hits = self.a.hits_at.get((p.index, None), {})
        for i in range(s0, s1):
            h = hits.get(i)
            if h is not None and h.kind == PERSON and h.person:
                speaking = self._speaks_after(toks, h.tail, s1) or self._inverted_speaker(toks, h, s0, s1)
                role = SAYS if speaking else (INTRO if self._introduces(toks, h, s1) else MENTION)
                self.focus.add(p.index, h.start, h.person, role)
        if subj is not None:
            c = subj.candidate
            key = who
            if key is None and c.kind == NAME:
                key = c.hit.person
            if key:
                role = SAYS if speech_clause(toks, subj.verb) else SUBJECT
                self.focus.add(p.index, toks[c.i].start, key, role)

    def _introduces(self, toks: list[Tok], h, s1: int) -> bool:
        """ "Henry Crespo, president of the caucus": a full name followed by who the person is."""
        return (
            h.tail + 2 < s1
            and toks[h.tail].text == ","
            and toks[h.tail + 1].kind == WORD
            and (toks[h.tail + 1].lower in lx.PERSON_NOUNS or toks[h.tail + 1].lower in ("a", "an", "the"))
            and bool(self.a.people[h.person].first)
        )

    @staticmethod
    def _speaks_after(toks: list[Tok], end: int, s1: int) -> bool:
        """ "Anna Mazur said", "Hillary Clinton — who has called for … — lambasting": a reporting verb after
        the name, past an aside between dashes."""
        if end < s1 and toks[end].text in cuelib.DASHES:
            close = next((x for x in range(end + 1, min(s1, end + 30)) if toks[x].text in cuelib.DASHES), None)
            if close is not None and close + 1 < s1 and toks[close + 1].text not in cuelib.DASHES:
                end = close + 1
        return end < s1 and is_speech_verb(toks[end].text)

    @staticmethod
    def _inverted_speaker(toks: list[Tok], h, s0: int, s1: int) -> bool:
        """ "…, said Anna Mazur", "…, noted NBC’s Dante Chinni": the name after an inverted reporting verb
        (not "…, said Anna Mazur’s statement was unclear")."""
        if h.tail < s1 and toks[h.tail].text in ("’", "'"):
            return False
        v = h.ci - 1
        if v - 2 >= s0 and toks[v].lower == "s" and toks[v - 1].text in ("’", "'") and toks[v - 2].is_cap:
            v -= 3  # "NBC’s Dante Chinni"
        return v >= s0 and is_speech_verb(toks[v].text) and (v - 1 < s0 or toks[v - 1].text == ",")

    def _trailing_reporter(self, p: Paragraph, toks: list[Tok], s0: int, s1: int) -> str | None:
        """ "The administration may be reluctant to act, Schiff said.": a sentence that ends with its
        reporting clause is that speaker's, and so are the quotes after it."""
        end = s1 - 1 if s1 - 1 > s0 and toks[s1 - 1].kind == PUNCT else s1
        for h in self.a.hits_at.get((p.index, None), {}).values():
            if h.kind != PERSON or not h.person or not (s0 < h.ci - 1 and h.tail < s1):
                continue
            person = self.a.people[h.person]
            if not person.speaker:
                continue
            name_first = toks[h.ci - 1].text == "," and h.tail == end - 1 and is_speech_verb(toks[end - 1].text)
            verb_first = (
                h.tail == end
                and h.ci - 2 > s0
                and is_speech_verb(toks[h.ci - 1].text)
                and toks[h.ci - 1].text[:1].islower()
                and toks[h.ci - 2].text == ","
            )
            if name_first or verb_first:
                return person.key
        return None

    def _note_topic(self, p: Paragraph, toks: list[Tok], s0: int, before: int) -> None:
        """ "House Speaker Paul Rynek, R-Wis., despite admitting …, he does believe": a name that opens the
        sentence with an aside, before its pronoun subject, is what the pronoun is about."""
        hits = self.a.hits_at.get((p.index, None), {})
        for i in range(s0, min(before, s0 + 4)):
            h = hits.get(i)
            if h is None:
                continue
            opens = all(t.kind == WORD and t.is_cap for t in toks[s0 : h.ci])
            if h.kind == PERSON and h.person and opens and h.tail < before and toks[h.tail].text == ",":
                self.focus.add(p.index, h.start, h.person, SUBJECT)
            return

    def _set_current(self, who: str) -> None:
        self.current = who
        if who in self.recent:
            self.recent.remove(who)
        self.recent.append(who)

    def _narrator_subject(self, subj: Subject, p: Paragraph, toks: list[Tok]) -> str | None:
        """The speaker a sentence's subject refers to, in the narrator's voice: a speaker by name, "he" or
        "she" (the current speaker if the gender fits, else the person in focus), or a description."""
        c = subj.candidate
        if c.kind == NAME:
            person = self.a.people.get(c.hit.person)
            return person.key if person and person.speaker else None
        if c.kind == PRONOUN:
            key = self._pronoun(c.value, p.index, toks[c.i].start)[0]
            if key and not self.a.people[key].speaker and speech_clause(toks, subj.verb):
                self.a.people[key].speaker = True  # "Lena Hartmann is a lawyer. She said: …"
            return key if key and self.a.people[key].speaker else None
        if c.kind == DESC:
            if c.value in _GENERIC:
                return self.current
            return self.focus.describe(c.value, p.index, toks[c.i].start, prefer=self.current) or self.current
        return None

    def _pronoun(self, pronoun: str, para: int, pos: int) -> tuple[str | None, str | None]:
        """(person, suggestion) for "he"/"she": the person in focus (``focus.Focus.pronoun``)."""
        g = lx.SUBJECT_PRONOUNS.get(pronoun)
        if g is None:
            return None, None
        return self.focus.pronoun(g, para, pos)

    def _learn_gender(self, p: Paragraph, toks: list[Tok], s0: int, s1: int, subj: Subject, who: str) -> None:
        person = self.a.people[who]
        if person.gender or subj.candidate.kind != NAME:
            return
        persons = {
            h.person
            for h in self.a.hits_at.get((p.index, None), {}).values()
            if h.kind == PERSON and h.person and s0 <= h.i < s1
        }
        if len(persons) != 1:
            return
        genders = {
            lx.PRONOUN_GENDER[t.lower]
            for n, t in enumerate(toks[s0:s1], start=s0)
            if t.kind == WORD
            and t.lower in lx.PRONOUN_GENDER
            and not (n + 1 < s1 and toks[n + 1].kind == WORD and toks[n + 1].lower in lx.PERSON_NOUNS)
        }
        if len(genders) == 1:
            person.gender = genders.pop()

    # ------------------------------------------------------------------ quotes

    def _quote(
        self,
        p: Paragraph,
        view: int | None,
        toks: list[Tok],
        k: int,
        s0: int,
        s1: int,
        passage: XPassage,
        sent_speaker: str | None,
        outer: XQuote | None,
    ) -> None:
        si = toks[k].span
        span = p.spans[si]
        cue = cuelib.find_cue(self.a, p.index, view, toks, k, s0, s1)
        inner = cuelib.inner_cue(self.a, p.index, si) if view is None else None
        if cue is None and view is None and inner is None:
            cue = cuelib.colon_lead(self.a, p.index, toks, k, s0)
        kind = classify(self.a, p.index, view, toks, k, s0, cue or inner, view is None and p.kind == LIST_ITEM)
        parts = self._parts(p, si, inner) if inner is not None and kind == QUOTE else [(span.start, span.end)]
        first: XQuote | None = None
        for start, end in parts:
            q = XQuote(start, end, kind)
            if outer is not None:
                q.parent = passage.quotes.index(outer)
            previous = translation_of(self.a, p.index, toks, k, s0, passage)
            if previous is not None and kind in (QUOTE, "term"):
                q.kind, q.speaker, q.label, q.quoted_by = QUOTE, previous.speaker, previous.label, previous.quoted_by
                q.cue, q.rule = "translation of the preceding quote", "translation"
            elif kind == QUOTE:
                self._attribute(p, view, toks, k, q, inner or cue, passage, sent_speaker, outer)
            passage.quotes.append(q)
            first = first or q
        # quotes inside this span
        itoks = p.views[si]
        for a_, b_ in p.sentences[si]:
            for m in range(a_, b_):
                if itoks[m].kind == QUOTED:
                    self._quote(p, si, itoks, m, a_, b_, passage, first.speaker, first)

    def _parts(self, p: Paragraph, si: int, inner: Cue) -> list[tuple[int, int]]:
        """A quote with a reporting clause inside it is two quotes: the words before the clause and after."""
        toks = p.views[si]
        span = p.spans[si]
        clause_start = toks[inner.subject.i - 1].start  # the dash or comma before the clause
        clause_end = toks[inner.verb + 1].end
        parts = []
        for a_, b_ in ((span.start, clause_start), (clause_end, span.end)):
            seg = p.text[a_:b_]
            lead = len(seg) - len(seg.lstrip(" ,—–-"))
            trail = len(seg) - len(seg.rstrip(" ,—–-"))
            if b_ - trail > a_ + lead:
                parts.append((a_ + lead, b_ - trail))
        return parts or [(span.start, span.end)]

    def _attribute(
        self,
        p: Paragraph,
        view: int | None,
        toks: list[Tok],
        k: int,
        q: XQuote,
        cue: Cue | None,
        passage: XPassage,
        sent_speaker: str | None,
        outer: XQuote | None,
    ) -> None:
        """Who said the words of quote ``q``, and who relayed them.

        Inside another quote, the speaker is found inside it and the outer speaker relayed the words. At
        the top of a report, a quote whose speaker is not a speaker of the archive was relayed by the
        sentence's speaker. Nothing is guessed: an unresolved speaker stays unattributed."""
        reporter = outer.speaker if outer is not None else (sent_speaker or passage.speaker)
        if cue is not None:
            q.cue = cue.text or None
        subj = cue.subject if cue else None
        relayed = True
        top = view is None
        if subj is None:
            label = self._np_before(cue) if cue else None
            if label:
                q.label, q.rule = label, "cue"
            elif top and self.a.style == "report" and cue is None:
                q.speaker, relayed, q.rule = sent_speaker, False, "sentence" if sent_speaker else None
            elif top and self.a.style == "transcript":
                q.speaker, relayed, q.rule = passage.speaker, False, "turn" if passage.speaker else None
        else:
            relayed = self._by_subject(p, view, toks, k, q, cue, subj, passage, outer)
        if q.speaker and q.speaker == reporter:
            relayed = False
        if relayed and reporter and (q.label or q.speaker):
            q.quoted_by = reporter
        elif (
            relayed
            and reporter
            and q.speaker is None
            and q.label is None
            and (outer is not None or self.a.style == "transcript")
        ):
            q.quoted_by = reporter
        if q.speaker and top and outer is None:
            self.a.people[q.speaker].speaker = True
            self.focus.add(
                p.index, toks[k].end if cue is None or cue.position != "before" else toks[k].start, q.speaker, SPEAKER
            )

    def _by_subject(
        self,
        p: Paragraph,
        view: int | None,
        toks: list[Tok],
        k: int,
        q: XQuote,
        cue: Cue,
        subj: Candidate,
        passage: XPassage,
        outer: XQuote | None,
    ) -> bool:
        """Attribute by the cue's subject; returns whether the words were relayed by the reporter."""
        top = view is None
        para = cue.para if cue.para >= 0 else p.index
        ctoks = self.a.paragraphs[para].views[cue.view]
        text = self.a.paragraphs[para].text
        q.rule = (
            "cue" if cue.position not in ("inside", "byline", "according", "colon", "source", "label") else cue.position
        )
        e = subj.j
        while (
            e < cue.verb
            and e < len(ctoks)
            and ctoks[e].kind == WORD
            and ctoks[e].text[:1].islower()
            and ctoks[e].lower not in AUX
            and not is_verb(ctoks[e])
            and e < subj.j + 4
        ):
            e += 1
        phrase = text[ctoks[subj.i].start : ctoks[max(subj.i, e - 1)].end] if subj.kind != SOURCE else subj.value
        pos = ctoks[subj.i].start if subj.i < len(ctoks) else 0
        if subj.kind == NAME:
            partner = joint_partner(self.a, para, cue.view, ctoks, subj)
            if partner is not None:  # "Trump and Ryan issued a statement": the words of both, of neither alone
                q.label = f"{self.a.person_name(subj.value.person)} and {self.a.person_name(partner.value.person)}"
                return True
            person = self.a.people.get(subj.value.person)
            if person and (person.speaker or (top and self.a.style == "report")):
                q.speaker = person.key
                return False
            q.label = self.a.person_name(subj.value.person) if subj.value.person else display_form(subj.value.text)
            return True
        if subj.kind == ORGANISATION:
            q.label = self.a.acronyms.get(subj.value.text, subj.value.text)
            return True
        if subj.kind == SOURCE:
            q.label = subj.value
            return True
        if subj.kind in (RELATION, GROUP):
            q.label = phrase
            return True
        if subj.kind == DESC:
            who = None
            if top:
                who = (
                    self.current if subj.value in _GENERIC else self.focus.describe(subj.value, para, pos, self.current)
                )
            if who:
                q.speaker = who
                return False
            q.label = phrase
            return True
        if subj.kind == PRONOUN:
            return self._by_pronoun(p, view, toks, k, q, subj, passage, outer, para, pos)
        return True

    def _by_pronoun(
        self,
        p: Paragraph,
        view: int | None,
        toks: list[Tok],
        k: int,
        q: XQuote,
        subj: Candidate,
        passage: XPassage,
        outer: XQuote | None,
        para: int,
        pos: int,
    ) -> bool:
        val = subj.value
        if val in ("i", "we"):
            if outer is not None:
                q.speaker, q.label = outer.speaker, outer.label
                return False
            if self.a.style == "transcript":
                q.speaker = passage.speaker
                return False
            return True
        if val in lx.SUBJECT_PRONOUNS:
            if view is None and self.a.style == "report":
                q.speaker, q.suggestion = self._pronoun(val, para, pos)
                return False
            near = self._near_person(p.index, view, toks, k)
            if near and self.a.people[near].speaker and view is None:
                q.speaker = near
                return False
            if near:
                q.label = self.a.person_name(near)
            return True
        if val == "they":
            q.label = self._group_label(p, toks[k].start)
        return True

    def _np_before(self, cue: Cue) -> str | None:
        """ "The reply said": the noun phrase right before a reporting verb, as a label."""
        toks = self.a.paragraphs[cue.para].views[cue.view]
        v = cue.verb
        x = v - 1
        while x >= 0 and x > v - 5 and toks[x].kind == WORD and toks[x].lower not in lx.DETERMINERS:
            x -= 1
        if 0 <= x < v - 1 and toks[x].kind == WORD and toks[x].lower in ("the", "a", "an", "this"):
            if x >= 2 and toks[x - 1].lower == "of" and toks[x - 2].lower in _QUANTIFIERS:
                x -= 2  # "one of the reporters"
            end = v
            if toks[end - 1].lower == "to":  # "The email goes on to say", "The piece appeared to"
                end -= 1
                if toks[end - 1].lower == "on":
                    end -= 1
                if toks[end - 1].lower in _LEADING_VERBS:
                    end -= 1
            label = self.a.text(cue.para, toks, x, end)
            words = label.split()
            if (
                len(words) >= 2
                and all(re.fullmatch(r"[\w’'-]+", w) for w in words)
                and not any(w.lower() in AUX or w.lower() in ("who", "which", "that", "to") for w in words[1:])
                and words[-1].lower() not in lx.PREPOSITIONS
                and words[-1].lower() not in cuelib.TIME_WORDS
            ):  # not a clause ("rules that allow companies to tell “…”"), not a time ("during a Sunday")
                return label
        return None

    def _near_person(self, para: int, view: int | None, toks: list[Tok], k: int) -> str | None:
        best = None
        for h in self.a.hits_at.get((para, view), {}).values():
            if h.kind == PERSON and h.person and h.i < k and (best is None or h.i > best.i):
                best = h
        return best.person if best else None

    def _group_label(self, p: Paragraph, before: int) -> str | None:
        region = p.text[:before]
        found = None
        for m in re.finditer(r"\b([a-z-]+)\b", region):
            if m.group(1) in lx.GROUP_NOUNS:
                found = m
        if not found:
            return None
        # up to three modifiers before the noun, stopping at a determiner or preposition
        words = re.findall(r"[\w’'-]+", region[: found.start()])
        mods: list[str] = []
        for w in reversed(words[-3:]):
            if w.lower() in lx.DETERMINERS or w.lower() in lx.PREPOSITIONS or w.lower() in ("and", "or", "to"):
                break
            mods.insert(0, w)
        label = " ".join(mods + [found.group(1)])
        rel = re.match(r"\s+(who|that)\s+([^,.;:“”‘’\"]{1,80})", region[found.end() :] + " ")
        if rel:
            clause = re.split(r"\s+(?:to|in order to|because|when|after|before|in)\s+", rel.group(2))[0].strip()
            if clause:
                label += f" {rel.group(1)} {clause}"
        return label


class Continuations:
    """The second pass: quotes no cue decided take the speaker of the quote they continue."""

    def __init__(self, a: Analysis, passages: list[XPassage], focus: Focus):
        self.a = a
        self.passages = passages
        self.focus = focus

    def run(self) -> None:
        for i, passage in enumerate(self.passages):
            tops = [q for q in passage.quotes if q.kind == QUOTE and q.parent is None]
            for n, q in enumerate(tops):
                if self._decided(q):
                    continue
                source = (
                    self._chain(i, q)
                    or self._earlier(passage, tops, n)
                    or self._later(passage, tops, n)
                    or self._paragraph_before(i, passage, q)
                )
                if source is not None:
                    q.speaker, q.label, q.quoted_by = source.speaker, source.label, source.quoted_by
                    q.rule = "continuation"
                elif self._paragraph_speaker(passage, q) and self._cue_fits(q, passage.speaker):
                    q.speaker, q.rule = passage.speaker, "paragraph"
                elif q.cue is None and (subject_key := self._sentence_subject_before(passage, q)):
                    q.speaker, q.rule = subject_key, "paragraph"
                    self.a.people[subject_key].speaker = True
            self._backfill_chain(i)

    @staticmethod
    def _decided(q: XQuote) -> bool:
        return q.speaker is not None or q.label is not None

    def _chain(self, i: int, q: XQuote) -> XQuote | None:
        """The paragraph continues a quote left open at the end of the paragraph before."""
        if q.start > len(self.passages[i].text) - len(self.passages[i].text.lstrip()) + 2:
            return None
        if not continues_quote(self.a, i):
            return None
        before = [x for x in self.passages[i - 1].quotes if x.kind == QUOTE and x.parent is None]
        return before[-1] if before and self._decided(before[-1]) else None

    def _earlier(self, passage: XPassage, tops: list[XQuote], n: int) -> XQuote | None:
        """A quote after another quote of its paragraph, with no other person named between them."""
        if n == 0:
            return None
        prev = tops[n - 1]
        if not self._decided(prev):
            return None
        between = passage.text[prev.end : tops[n].start]
        if self._names_someone(passage, prev.end, tops[n].start, prev.speaker) or len(between) > 200:
            return None
        return prev

    def _later(self, passage: XPassage, tops: list[XQuote], n: int) -> XQuote | None:
        """“A.” “B,” she said: a quote right before one whose cue follows it."""
        if n + 1 >= len(tops):
            return None
        nxt = tops[n + 1]
        between = passage.text[tops[n].end : nxt.start].strip(" ”\"»’'")
        if between or not self._decided(nxt):
            return None
        return nxt

    def _cue_fits(self, q: XQuote, who: str) -> bool:
        """A quote with no cue, or whose cue is a pronoun of the person's known gender ("she said")."""
        if q.cue is None:
            return True
        words = q.cue.lower().split()
        pronoun = next((w for w in words if w in lx.SUBJECT_PRONOUNS), None)
        return pronoun is not None and self.focus.gender(who) == lx.SUBJECT_PRONOUNS[pronoun]

    def _paragraph_speaker(self, passage: XPassage, q: XQuote) -> bool:
        """ "Dr X recalled a trend: … “We have seen …”": a quote after the sentence that made its paragraph
        the speaker's, with nobody else speaking or acting in between."""
        if not passage.speaker or passage.attribution not in (NAME, PRONOUN, DESC):
            return False
        para = passage.seq - 1
        own = [
            e
            for e in self.focus.events
            if e.para == para and e.person == passage.speaker and e.pos < q.start and e.role in (SUBJECT, SAYS, SPEAKER)
        ]
        if not own or self._names_someone(passage, own[-1].pos + 1, q.start, passage.speaker):
            return False
        # not when the quote's own sentence is about someone of the other gender ("She signed an agreement …")
        sentence = re.split(r"[.!?]\s+", passage.text[own[-1].pos : q.start])[-1].split()
        pronoun = next((w.lower() for w in sentence[:3] if w.lower() in lx.SUBJECT_PRONOUNS), None)
        gender = self.focus.gender(passage.speaker)
        return pronoun is None or gender is None or lx.SUBJECT_PRONOUNS[pronoun] == gender

    def _sentence_subject_before(self, passage: XPassage, q: XQuote) -> str | None:
        """ "Sen. Bernie Sanders (Vt.) identified young voters' exhaustion as a reason. “The younger people
        are sick and tired of discrimination.”": a quote that is a sentence of its own, after a sentence of its
        paragraph whose subject is a person named in full, with nobody else in the paragraph."""
        if passage.kind != PARAGRAPH or passage.attribution != "narration":
            return None
        before = passage.text[: q.start].rstrip(" “\"«„'‘")
        if not before or before[-1] not in ".!?:":
            return None
        para = passage.seq - 1
        events = [e for e in self.focus.events if e.para == para and e.pos < q.end]
        people = {e.person for e in events}
        subjects = [e for e in events if e.role in (SUBJECT, SAYS)]
        if len(people) != 1 or not subjects or any(e.pos > q.start for e in events):
            return None
        key = subjects[-1].person
        return key if self.a.people[key].first else None

    def _paragraph_before(self, i: int, passage: XPassage, q: XQuote) -> XQuote | None:
        """A paragraph that opens with a quote and has no cue for it, after a paragraph whose last words
        are a quote of a known speaker (and nobody else is named after it)."""
        lead = len(passage.text) - len(passage.text.lstrip(" \t“\"«„'‘”"))
        if q.start > lead + 1 or i == 0:
            return None
        prev = self.passages[i - 1]
        if prev.kind != PARAGRAPH:
            return None
        quotes = [x for x in prev.quotes if x.kind == QUOTE and x.parent is None and x.speaker]
        if not quotes:
            return None
        last = quotes[-1]
        if self._names_someone(prev, last.end, len(prev.text), last.speaker):
            return None
        if self._names_someone(passage, q.end, len(passage.text), last.speaker):
            return None
        return last

    def _names_someone(self, passage: XPassage, start: int, end: int, speaker: str | None) -> bool:
        """Does someone other than ``speaker`` speak or act as a clause's subject between ``start`` and
        ``end`` of a passage (a person only mentioned, "the family of Amir Hekmati", does not count)?"""
        para = passage.seq - 1
        return any(
            e.para == para and start <= e.pos < end and e.person != speaker and e.role in (SUBJECT, SAYS, SPEAKER)
            for e in self.focus.events
        )

    def _backfill_chain(self, i: int) -> None:
        """A quote over several paragraphs whose cue comes at its end: the earlier parts take its speaker."""
        passage = self.passages[i]
        tops = [q for q in passage.quotes if q.kind == QUOTE and q.parent is None]
        if not tops or not self._decided(tops[0]) or not continues_quote(self.a, i):
            return
        j = i - 1
        while j >= 0:
            before = [x for x in self.passages[j].quotes if x.kind == QUOTE and x.parent is None]
            if not before or self._decided(before[-1]):
                break
            before[-1].speaker, before[-1].label, before[-1].quoted_by = (
                tops[0].speaker,
                tops[0].label,
                tops[0].quoted_by,
            )
            before[-1].rule = "continuation"
            if not continues_quote(self.a, j):
                break
            j -= 1
