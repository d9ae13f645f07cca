"""Profiles: what the text says of each person (introductions, titles, words in brackets), read into
a name, an honorific, a role, an organisation, a country and a description."""

from __future__ import annotations

import re

from viewer.core import lexicon as lx
from viewer.core.extract.mentions import ROLE_TITLE_WORDS, STARTERS, is_acronym
from viewer.core.extract.model import PERSON, Analysis
from viewer.core.extract.segment import PUNCT, WORD, Tok
from viewer.core.extract.subjects import is_verb
from viewer.core.extract.turns import ROLE_LABELS
from viewer.core.text import fold

_ROLE_ADJ = lx._words("prominent renowned well-known leading noted veteran respected famous distinguished eminent")
_RELATIONS = re.compile(
    r"^(?:one of|sister|brother|wife|husband|son|daughter|mother|father|widow|friend|colleague|niece|nephew|"
    r"cousin|relative|partner|fiancée?|grandson|granddaughter|the (?:first|second|third|next|last|final)\b|"
    r"брат|сестра|жена|муж|сын|дочь|мать|отец|вдова|родственни)",
    re.I,
)


def _split_and(phrase: str) -> list[str]:
    """Split "human rights defender and Director of ..." at "and", but not inside a capitalised
    name ("Bureau for Human Rights and Rule of Law")."""
    parts, last = [], 0
    for m in re.finditer(r" and ", phrase):
        before = phrase[: m.start()].split()
        if before and before[-1][:1].islower():
            parts.append(phrase[last : m.start()])
            last = m.end()
    parts.append(phrase[last:])
    return parts


def _paren_role(parts: list[str], acronyms: dict[str, str]) -> tuple[str | None, str | None]:
    """ "(Editor, The Lagos Ledger)" -> role and organisation; "(Nordic Press Council)" -> organisation;
    "(Renew Europe; Lithuania)" after an honorific -> organisation (countries are taken out before)."""

    def is_org(part: str) -> bool:
        words = part.split()
        return bool(words) and (
            words[0][:1].isupper()
            and (
                len(words) > 1 or is_acronym(words[0]) or part in acronyms or "/" in part
            )  # a political group: "Greens/EFA"
            and part.split()[0] not in ROLE_TITLE_WORDS
        )

    orgs = [acronyms.get(p, p) for p in parts if is_org(p)]
    roles = [p for p in parts if not is_org(p)]
    return (roles[0] if roles else None), (orgs[0] if orgs else None)


def _strip_quotes(s: str) -> str:
    return re.sub(r"[“”\"«»„]", "", s).strip()


def parse_role(phrases: list[str], acronyms: dict[str, str]) -> tuple[str | None, str | None, str | None, str | None]:
    """(role, organisation, country, connector) from appositives such as "Director of the
    Kazakhstan International Bureau ...", "journalist at “La Repubblica”", "Kazakh human rights
    lawyer". ``connector`` is how the text joins role and organisation ("of the", "at")."""
    parts: list[str] = []
    for phrase in phrases:
        parts.extend(p.strip(" ,;") for p in _split_and(phrase))
    country = None
    candidates: list[tuple[str, str | None, str | None]] = []
    for part in parts:
        p = re.sub(r"^(?:an?|the)\s+", "", part.strip(), flags=re.I)
        words = p.split()
        while words and words[0].lower() in _ROLE_ADJ:
            words = words[1:]
        if words and words[0].lower() in lx.DEMONYMS and len(words) > 1:
            country = country or lx.DEMONYMS[words[0].lower()]
            words = words[1:]
        p = " ".join(words)
        if not p or _RELATIONS.match(p):
            continue
        group = re.match(r"^((?:[A-Z][\w/&’'-]*\s+){1,4})(MEP|MP|member|deputy|senator)$", p)
        if group:  # "Renew Europe MEP": a political group, then the title
            candidates.append((group.group(2), group.group(1).strip(), None))
            continue
        origin = re.match(r"^(.*?)\s+from\s+(?:the\s+)?([A-Z][\w ]+)$", p)
        if origin and (origin.group(2) in lx.COUNTRIES or origin.group(2) in lx.PLACES):
            country = country or lx.COUNTRIES.get(origin.group(2))
            p = origin.group(1)
        m = (
            re.match(r"^(member)\s+(of(?:\s+the)?)\s+(.+)$", p)
            or re.match(r"^(.*?)\s+(at(?:\s+the)?|with(?:\s+the)?)\s+([A-Z“\"].+)$", p)
            or re.match(r"^(.*?)\s+(of(?:\s+the)?)\s+([A-Z“\"].*)$", p)
        )
        if m:
            role, conn, org = m.group(1).strip(), m.group(2), _strip_quotes(m.group(3)).strip(" ,.")
            if org in acronyms:
                org, conn = acronyms[org], conn if conn.endswith("the") else f"{conn} the"
            if org in lx.COUNTRIES or org in lx.PLACES:
                candidates.append((p, None, None))
            else:
                candidates.append((role, org, conn))
        else:
            candidates.append((p, None, None))
    if not candidates:
        return None, None, country, None
    with_org = [c for c in candidates if c[1]]
    first = candidates[0]
    if with_org and with_org[0][0].lower() == "member" and first[1] is None:
        return first[0], with_org[0][1], country, None
    if with_org:
        return with_org[0][0], with_org[0][1], country, with_org[0][2]
    return first[0], None, country, None


def _remember(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


def collect_intros(a: Analysis) -> None:
    """What the text says of each person: "X, journalist at “La Repubblica”," (an introduction), "lawyer
    X" (before the name), "X (Editor, The Lagos Ledger)" (in brackets)."""
    for para in a.paragraphs:
        pi = para.index
        toks = para.views[None]
        text = para.text
        sents = para.sentences[None]
        for h in a.hits_at.get((pi, None), {}).values():
            if h.kind != PERSON or not h.person:
                continue
            p = a.people[h.person]
            s0, s1 = next(((a, b) for a, b in sents if a <= h.i < b), (0, len(toks)))
            n = len(toks)
            # after: "X, journalist at “La Repubblica”, noted" / "X, President of ODF."
            j = h.tail
            if j < n and toks[j].text == "(":
                m = j + 1
                while m < n and toks[m].text != ")":
                    m += 1
                if m < n:
                    _remember(p.parenthetical, text[toks[j].end : toks[m].start].strip())
                    j = m + 1
            if j < s1 and toks[j].text == ",":
                m = j + 1
                while m < s1 and toks[m].text != "," and not (toks[m].kind == PUNCT and toks[m].text in ".;!?"):
                    m += 1
                seg = text[toks[j].end : toks[m - 1].end].strip() if m > j + 1 else ""
                first = toks[j + 1] if j + 1 < n else None
                seg_toks = toks[j + 1 : m]
                role_like = any(
                    t.kind == WORD
                    and (
                        t.lower in lx.PERSON_NOUNS
                        or t.text in ROLE_TITLE_WORDS
                        or t.text in lx.ORG_WORDS
                        or t.lower in ("one", "member", "head", "author", "co-founder")
                    )
                    for t in seg_toks[:8]
                )
                nxt_hit = a.hits_at.get((pi, None), {}).get(j + 1)
                listed = (
                    nxt_hit is not None and nxt_hit.kind == PERSON and nxt_hit.person is not None or "(" in seg
                )  # a list of names
                if (
                    seg
                    and role_like
                    and not listed
                    and first is not None
                    and first.lower not in ("who", "which", "whose", "whom", "and", "but")
                    and not is_verb(first)
                ):
                    _remember(p.intros, seg)
            # before: "Kazakh human rights lawyer and ..., Bota Jardemalie, opened"
            if h.ci > s0 and toks[h.ci - 1].text == ",":
                seg_toks = toks[s0 : h.ci - 1]
                words = [t.lower for t in seg_toks if t.kind == WORD]
                if (
                    words
                    and seg_toks[0].text not in STARTERS
                    and words[0] not in lx.PREPOSITIONS
                    and words[0] not in lx.SUBORDINATORS
                    and any(w in lx.PERSON_NOUNS and w not in ("speaker", "speakers") for w in words)
                    and not any(t.kind == PUNCT and t.text in ",:()" for t in seg_toks)
                ):
                    _remember(p.intros, text[seg_toks[0].start : seg_toks[-1].end])
            # prepositive: "journalist Rosalba Castelletti"
            m = h.ci - 1
            pre: list[Tok] = []
            while (
                m >= s0
                and toks[m].kind == WORD
                and toks[m].text[:1].islower()
                and toks[m].lower not in lx.DETERMINERS
                and toks[m].lower not in lx.PREPOSITIONS
                and not is_verb(toks[m])
                and len(pre) < 5
            ):
                pre.insert(0, toks[m])
                m -= 1
            if pre and pre[-1].lower in lx.PERSON_NOUNS and pre[-1].lower not in ("speaker", "speakers"):
                _remember(p.prepositive, text[pre[0].start : pre[-1].end])


def finish_people(a: Analysis) -> None:
    """Each person's name (the fullest spelling), honorific, role, organisation, country, description
    and aliases, from what was collected."""
    for p in a.people.values():
        forms = list(p.forms.items())
        if not forms:
            p.name = p.key.title()
        else:
            # the fullest form; among forms equal after folding, the one with diacritics
            best = max(forms, key=lambda f: (len(f[0].split()), f[1], sum(1 for c in f[0] if ord(c) > 127)))
            same = [f for f in forms if fold(f[0]) == fold(best[0])]
            p.name = max(same, key=lambda f: (sum(1 for c in f[0] if ord(c) > 127), f[1]))[0]
        p.honorific = p.honorifics.most_common(1)[0][0] if p.honorifics else None
        phrases = [i for i in p.intros] + p.prepositive
        paren_parts: list[str] = []
        for par in p.parenthetical:
            for part in re.split(r"[;,]", par):
                part = part.strip()
                if not part:
                    continue
                if part in lx.COUNTRIES:
                    p.country = p.country or lx.COUNTRIES[part]
                elif part.lower() in ROLE_LABELS:  # "(Chair)": a part in the event, not a job
                    p.event_role = p.event_role or ROLE_LABELS[part.lower()]
                else:
                    paren_parts.append(part)
        acr = {**lx.KNOWN_ACRONYMS, **a.acronyms}
        role, org, country, conn = parse_role(phrases, acr)
        if paren_parts and (role is None or a.style == "transcript"):
            prole, porg = _paren_role(paren_parts, acr)
            if p.honorific in lx.ROLE_HONORIFICS and prole is None:
                prole = p.honorific
            if prole or porg:
                role, org, conn = prole, porg, None
        if role is None and p.honorific in lx.ROLE_HONORIFICS:
            role = p.honorific
        if p.label_role and role is None:
            role = p.label_role
        p.role, p.organisation = role, org
        p.country = p.country or country
        if role and org and conn:
            p.affiliation = f"{role} {conn} {org}"
        else:
            p.affiliation = ", ".join(x for x in (role, org, p.country) if x) or None
        desc = [d for d in dict.fromkeys(p.intros + p.prepositive + p.parenthetical)]
        p.description = "; ".join(desc) or None
        aliases = set(p.forms)
        if p.name:
            parts = p.name.split()
            if len(parts) > 1:
                aliases.add(parts[-1])
            for hon in p.honorifics:
                aliases.add(f"{hon} {parts[-1]}")
        aliases.discard(p.name)
        p.aliases = sorted(aliases)
