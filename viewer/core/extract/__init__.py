"""Who said what: speakers, passage attribution, quotes and mentions from a report or a transcript.

General rules for English (and Russian) event reports, news items and transcripts; nothing here knows
any particular text. Extraction is a pipeline of small steps, each in its own module:

``paragraphs`` (segmentation: paragraphs, transcript turns, quoted spans, tokens, sentences) ->
``mentions`` (names: people, organisations, places, acronyms; one record per person) -> ``speakers``
(who speaks) -> ``profiles`` (what the text says of each person) -> ``attribution`` (who each passage
reports and who said each quote, by a sieve of named rules over ``cues``, ``quotes`` and ``focus``) ->
``entities`` (mentions per passage) -> ``consistency`` (names, speakers, keys).
"""

from __future__ import annotations

from viewer.core.extract import consistency, entities, mentions, paragraphs, profiles, speakers
from viewer.core.extract.attribution import Attributor
from viewer.core.extract.model import Extraction, XEntity, XMention, XPassage, XPerson, XQuote
from viewer.core.extract.profiles import parse_role
from viewer.core.extract.turns import is_turn


def extract(text: str) -> Extraction:
    """Read a report or a transcript and say who said what."""
    a = paragraphs.read(text)
    mentions.find_acronyms(a)
    mentions.find_names(a)
    mentions.register_people(a)
    speakers.find_speakers(a)
    profiles.collect_intros(a)
    passages = Attributor(a).run()
    entities.passage_mentions(a, passages)
    consistency.settle_speakers(a, passages)
    profiles.finish_people(a)
    consistency.rekey(a, passages)
    speaker_list = sorted((p for p in a.people.values() if p.speaker), key=lambda p: p.first_seen)
    return Extraction(a.style, passages, speaker_list, a.people, entities.entities(a), a.acronyms, a.notes)


__all__ = ["Extraction", "XEntity", "XMention", "XPassage", "XPerson", "XQuote", "extract", "is_turn", "parse_role"]
