"""Named entities: spaCy's NER, repaired by rules, with one canonical name per entity.

The small English model makes a handful of systematic mistakes on wire copy:
it swallows a first name into the organisation before it ("the Valdai
International Discussion Club Dmitry" + "Razumovsky"), tags a bare surname as
an organisation ("Lavrov's tour"), takes capitalised loanwords for people
("Realpolitik") and blocs for places ("BRICS"). :func:`extract_entities`
repairs these as a pure function of the parsed ``Doc``: it reads ``doc.ents``
and the tokens, never writes to the ``Doc`` and adds no pipeline component, so
other stages see the model's parse unchanged.

Each repair uses evidence from the same article (a surname is a person here
because "Sergei Lavrov" is a person here) or a small data list under
``claimscope/data`` (first names, non-names, known organisations, titles).
Canonical names come from :mod:`claimscope.names`: a surname joins the one full
name it matches in the article, and the full name is spelled the same in every
article ("Sergey"/"Sergei" -> "Sergei"); the user's alias table is applied last.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from claimscope import countries, names, titles
from claimscope.records import EntityMention
from claimscope.view import EntityView, ViewEntity, doc_text, doc_tokens
from claimscope.view import lower_words as view_lower_words

PERSON = "PERSON"
ORG = "ORG"
# Labels whose entity text may lose a leading lower-case "the" ("the Kremlin");
# numeric and temporal labels keep it ("the second", "the 1990s").
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})
# Labels a surname is mistaken for, and that an organisation run may swallow a name into.
NAME_LIKE_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})
HYPHENS = frozenset({"-", "\u2010", "\u2011"})
# Punctuation the model leaves at the edge of a name ("Hart, Rees,", "- Withdrawing").
EDGE_PUNCT = frozenset({",", ";", ":", ".", "(", "-", "\u2013", "\u2014", "/"})
# Longest run of capitalised words taken as a person's name after a first name.
MAX_NAME_TAIL = 3


@dataclass(slots=True)
class _Ent:
    """A working entity: a token span and a label (mutable only inside this module)."""

    start: int
    end: int
    label: str
    titled: bool = False  # found after a title or before an apposition: keep every word


@lru_cache(maxsize=1)
def org_words() -> frozenset[str]:
    """Folded words that end an organisation's name (``entity_fixes_org_words.txt``)."""
    return frozenset(names.fold(w) for w in names.data_lines("entity_fixes_org_words.txt"))


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Lowercase nouns naming a person's job or office (``entity_fixes_person_nouns.txt``)."""
    return frozenset(w.lower() for w in names.data_lines("entity_fixes_person_nouns.txt"))


@lru_cache(maxsize=1)
def title_tails() -> frozenset[str]:
    """Folded portfolio words that end a title, not start a name (``entity_fixes_title_tails``)."""
    return frozenset(names.fold(w) for w in names.data_lines("entity_fixes_title_tails.txt"))


@lru_cache(maxsize=1)
def non_names() -> frozenset[str]:
    """Folded capitalised words that are not people (``entity_fixes_non_names.txt``)."""
    return frozenset(names.fold(w) for w in names.data_lines("entity_fixes_non_names.txt"))


def build_view(doc: Doc, *, skip: tuple[tuple[int, int], ...] = ()) -> EntityView:
    """The article's repaired entities as the one view every later stage reads.

    ``skip`` holds character spans (the wire dateline) whose entities are left
    out. Canonical names are the rules' (no user aliases: those apply when
    stored data is read).
    """
    text = doc_text(doc)
    ents = [e for e in _repair_entities(doc) if not _in_skip(doc, e, skip)]
    canonicals = _canonicals(doc, ents)
    view = []
    for ent, canonical in zip(ents, canonicals, strict=True):
        start, end = (
            doc_tokens(doc)[ent.start].idx,
            doc_tokens(doc)[ent.end - 1].idx + len(doc_tokens(doc)[ent.end - 1]),
        )
        view.append(
            ViewEntity(ent.start, ent.end, start, end, text[start:end], ent.label, canonical)
        )
    return EntityView.build(doc, tuple(view))


def extract_entities(
    doc: Doc,
    *,
    skip: tuple[tuple[int, int], ...] = (),
    aliases: Mapping[str, str] | None = None,
    view: EntityView | None = None,
) -> tuple[EntityMention, ...]:
    """The article's named entities, repaired, each with its canonical name.

    ``skip`` holds character spans (the wire dateline) whose entities are not
    reported. ``aliases`` maps alias -> canonical (see
    :func:`claimscope.names.load_aliases`); by default none: the user's table
    applies when stored data is read (:func:`claimscope.pipeline.with_aliases`).
    Offsets are character offsets into ``doc.text``; ``text`` is always
    ``doc.text[start:end]``.
    """
    view = view or build_view(doc, skip=skip)
    table = aliases or {}
    return tuple(
        EntityMention(
            e.start_char, e.end_char, e.text, e.label, names.apply_alias(e.text, e.canonical, table)
        )
        for e in view
    )


def _repair_entities(doc: Doc) -> list[_Ent]:
    """spaCy's entities with the small model's systematic mistakes fixed, in text order."""
    ents = [_Ent(e.start, e.end, e.label_) for e in doc.ents]
    ents = _split_name_from_org(doc, ents)
    ents = _add_untagged_names(doc, ents)
    ents = _add_titled_names(doc, ents)
    ents = _add_appositive_names(doc, ents)
    ents = _merge_adjacent_persons(doc, ents)
    ents = [t for t in (_trim(doc, e) for e in ents) if t is not None]
    ents = _merge_country_institution(doc, ents)
    ents = _sunday_titles(doc, ents)
    ents = _drop_title_fragments(doc, ents)
    ents = _relabel_places(doc, ents)
    ents = _relabel_surnames(doc, ents)
    ents = _drop_non_names(doc, ents)
    for ent in ents:
        if names.known_org(_text(doc, ent)) is not None:
            ent.label = ORG  # blocs and agencies: BRICS, NATO, the EU are not places
        elif (
            ent.label != PERSON
            and ent.end - ent.start > 1
            and _courtesy(doc_tokens(doc)[ent.start])
        ):
            ent.label = PERSON  # "Mr Balls" tagged ORG: a courtesy title names a person
    return sorted(ents, key=lambda e: e.start)


# -- repairs -------------------------------------------------------------------


def _text(doc: Doc, ent: _Ent) -> str:
    """``doc[ent.start : ent.end].text``, sliced from the text (no ``Span`` made)."""
    tokens = doc_tokens(doc)
    last = tokens[ent.end - 1]
    return doc_text(doc)[tokens[ent.start].idx : last.idx + len(last.text)]


def _person_tokens(doc: Doc, ents: list[_Ent]) -> tuple[set[str], set[str]]:
    """Folded first words and last words of the article's multi-word PERSON entities."""
    firsts, lasts = set(), set()
    for ent in ents:
        if ent.label == PERSON and ent.end - ent.start > 1:
            firsts.add(names.fold(doc_tokens(doc)[ent.start].text))
            lasts.add(names.fold(doc_tokens(doc)[ent.end - 1].text))
    return firsts, lasts


def _split_name_from_org(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """Split "<org> <First>" + "<Surname>" into the organisation and the person.

    The model runs a title, an organisation and a person's first name together
    ("expert of the Valdai International Discussion Club Dmitry Razumovsky").
    A name-like entity is split when it ends in a known first name followed by
    capitalised proper nouns (or a PERSON entity), or when it ends in a first
    name plus a surname: one the article uses for a person elsewhere, or, for
    a listed first name, a surname free of organisation words ("Book",
    "Chronicle") with two words of organisation left before it. The part
    before must keep a word of its own, so "The Scissor Sisters" is left alone.
    A lone first name tagged as a place or organisation ("Luciana" + "Prado
    Matos") becomes the person it opens.
    """
    firsts, lasts = _person_tokens(doc, ents)
    lasts |= {names.fold(_text(doc, e)) for e in ents if e.label == PERSON}
    known_firsts = names.first_names() | firsts
    starts = {e.start: e for e in ents}
    out: list[_Ent] = []
    absorbed: set[int] = set()
    for ent in ents:
        if id(ent) in absorbed:
            continue
        split = None
        if ent.label in NAME_LIKE_LABELS and ent.end - ent.start > 1:
            split = _person_inside(doc, ent, known_firsts, lasts, starts)
        elif ent.label in NAME_LIKE_LABELS and _is_given_name(
            doc_tokens(doc)[ent.start], known_firsts
        ):
            # A lone first name taken for a place or organisation ("Luciana" + "Prado Matos").
            tail = _name_tail(doc, ent.start, starts)
            if tail is not None:
                end, swallowed = tail
                if swallowed is not None:
                    absorbed.add(id(swallowed))
                out.append(_Ent(ent.start, end, PERSON))
                continue
        if split is None:
            out.append(ent)
            continue
        first, person_end, swallowed = split
        if swallowed is not None:
            absorbed.add(id(swallowed))
        out.append(_Ent(ent.start, first, ent.label))
        out.append(_Ent(first, person_end, PERSON))
    return [e for e in out if id(e) not in absorbed]


def _person_inside(
    doc: Doc,
    ent: _Ent,
    known_firsts: set[str] | frozenset[str],
    lasts: set[str],
    starts: dict[int, _Ent],
) -> tuple[int, int, _Ent | None] | None:
    """Where a person's name starts inside ``ent``, where it ends, and the entity it absorbs."""

    def is_first(i: int) -> bool:
        keeps_a_word = any(
            doc_tokens(doc)[j].is_alpha and doc_tokens(doc)[j].lower_ != "the"
            for j in range(ent.start, i)
        )
        return (
            keeps_a_word
            and titles.is_capitalised(doc_tokens(doc)[i])
            and names.fold(doc_tokens(doc)[i].text) in known_firsts
        )

    last = ent.end - 1
    if is_first(last):
        tail = _name_tail(doc, last, starts)
        return None if tail is None else (last, *tail)
    surname_seen = names.fold(doc_tokens(doc)[last].text) in lasts
    for i in range(max(ent.start + 1, last - MAX_NAME_TAIL), last):
        if not is_first(i) or not all(
            titles.is_capitalised(doc_tokens(doc)[j]) for j in range(i + 1, ent.end)
        ):
            continue
        # Without the surname elsewhere in the article, a listed given name and
        # a tail free of organisation words ("Peter Book" is not a person).
        # The organisation left behind must still be a name of its own ("San" is not).
        listed = names.fold(doc_tokens(doc)[i].text) in names.first_names()
        org_left = sum(
            doc_tokens(doc)[j].is_alpha and doc_tokens(doc)[j].lower_ != "the"
            for j in range(ent.start, i)
        )
        clean_tail = not any(_is_org_word(doc_tokens(doc)[j]) for j in range(i, ent.end))
        if surname_seen or (listed and clean_tail and org_left >= 2):
            return i, ent.end, None
    return None


def _is_org_word(token: Token) -> bool:
    """True for a word that ends an organisation's or a prize's name ("Book", "Fund")."""
    return names.fold(token.text) in org_words()


def _add_untagged_names(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """Add a person the model missed: a listed given name opening a run of proper nouns.

    "the Russian Direct Investment Fund Kirill Dmitriev" leaves "Kirill
    Dmitriev" untagged. The run must stand alone (no untagged capitalised
    proper noun right before it) and hold no organisation word.
    """
    covered = {i for e in ents for i in range(e.start, e.end)}
    given = names.first_names()
    added = []
    i = 0
    while i < len(doc):
        token = doc_tokens(doc)[i]
        if (
            i in covered
            or names.fold(token.text) not in given
            or not _is_given_name(token, given)
            or (
                i > 0
                and i - 1 not in covered
                and doc_tokens(doc)[i - 1].pos_ == "PROPN"
                and titles.is_capitalised(doc_tokens(doc)[i - 1])
            )
        ):
            i += 1
            continue
        end = i + 1
        while (
            end < len(doc)
            and end - i <= MAX_NAME_TAIL
            and end not in covered
            and titles.is_capitalised(doc_tokens(doc)[end])
            and doc_tokens(doc)[end].pos_ == "PROPN"
            and not _is_org_word(doc_tokens(doc)[end])
        ):
            end += 1
        if end > i + 1 and (end >= len(doc) or end not in covered):
            added.append(_Ent(i, end, PERSON))
        i = end
    return sorted(ents + added, key=lambda e: e.start) if added else ents


# Lower-case words that may sit inside a title before a name ("Minister of Mining and ...").
# Longest title phrase (tokens) searched before a name.
# Longest name (words) read off the end of a title phrase or before an apposition.
MAX_TITLED_NAME = 4


def _name_word(token: Token) -> bool:
    """A capitalised proper noun that may belong to a person's name."""
    return (
        titles.is_capitalised(token)
        and token.pos_ == "PROPN"
        and token.lower_ not in person_nouns()
        and not _is_org_word(token)
        and names.fold(token.text) not in title_tails()
        and names.country_match(token.text) is None
        and countries.lookup_region(token.text) is None  # "... the Far East and the Arctic"
    )


def _titled_before(doc: Doc, start: int) -> bool:
    """True when a title phrase ends right before token ``start``.

    "Deputy Minister of Mining and Heavy Industry <Name>", "glaciologist <Name>":
    a person noun followed only by capitalised words and title glue.
    """
    for token in titles.walk_back(doc, start):
        if token.lower_ in person_nouns():
            return True
        if not (titles.is_capitalised(token) or titles.is_glue(token)):
            return False
    return False


def _add_titled_names(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """A person named after a title phrase, which the model left untagged or tagged wrong.

    "Secretary for Geology and Mineral Transformation Marcos Albuquerque
    Teixeira": the name is the trailing run of capitalised proper nouns that
    no other entity holds, after the last portfolio word; two to four words.
    A PERSON that swallowed a portfolio word ("Coal Bambang Suryo Wicaksono")
    loses it; one that lost its first name to the title gets it back.
    """
    owner = {i: e for e in ents for i in range(e.start, e.end)}
    out = list(ents)
    lower_words = view_lower_words(doc)
    for ent in ents:
        if ent.label != PERSON:
            continue
        # "Coal Bambang Suryo Wicaksono" -> "Bambang Suryo Wicaksono"
        while (
            ent.end - ent.start > 2
            and (
                names.fold(doc_tokens(doc)[ent.start].text) in title_tails()
                or countries.lookup_region(doc_tokens(doc)[ent.start].text) is not None
            )
            and ent.start > 0
            and (
                titles.is_glue(doc_tokens(doc)[ent.start - 1])
                or titles.is_capitalised(doc_tokens(doc)[ent.start - 1])
            )
        ):
            owner.pop(ent.start, None)
            ent.start += 1
        # "Ibero-America Lucía" + "Fernández Ortega": take the untagged first name back.
        first = ent.start - 1
        if (
            first >= 0
            and first not in owner
            and ent.end - first <= MAX_TITLED_NAME
            and _name_word(doc_tokens(doc)[first])
            and _titled_before(doc, first)
        ):
            ent.start = first
            ent.titled = True
            owner[first] = ent
    i = 0
    while i < len(doc):
        token = doc_tokens(doc)[i]
        if token.lower_ not in person_nouns() or (i in owner and owner[i].label == PERSON):
            i += 1
            continue
        # Walk the title phrase to its end: capitalised words and glue.
        k = i + 1
        while (
            k < len(doc)
            and k - i <= titles.MAX_TOKENS
            and (k not in owner or owner[k].label != PERSON)
            and (titles.is_capitalised(doc_tokens(doc)[k]) or titles.is_glue(doc_tokens(doc)[k]))
            and not doc_tokens(doc)[k].is_sent_start
        ):
            k += 1
        start = k
        while start - 1 > i and _name_word(doc_tokens(doc)[start - 1]):
            holder = owner.get(start - 1)
            if holder is not None and (holder.label == PERSON or holder.start >= start - 1):
                break  # only an entity that also holds part of the title may lose the name
            start -= 1
        if k - start > MAX_TITLED_NAME:
            start = k - 3  # a long run: the name is its tail ("... Transformation" not listed)
        if 2 <= k - start and (k >= len(doc) or k not in owner or owner[k].label != PERSON):
            span_text = doc[start:k].text
            if (
                _name_like(doc[start:k], lower_words)
                and names.known_org(span_text) is None
                and names.country_match(span_text) is None
                and countries.lookup_region(span_text) is None
                and not any(names.country_match(t.text) for t in doc[start:k])
            ):
                # "Geology and Mineral Transformation Marcos ... Teixeira"/ORG keeps its title part.
                holders = {id(owner[j]): owner[j] for j in range(start, k) if j in owner}
                for holder in holders.values():
                    holder.end = min(holder.end, start)
                out = [e for e in out if e.start < e.end]
                new = _Ent(start, k, PERSON, titled=True)
                out.append(new)
                for j in range(start, k):
                    owner[j] = new
        i = max(k, i + 1)
    return sorted(out, key=lambda e: e.start)


def _name_like(tokens: Sequence[Token], lower_words: frozenset[str]) -> bool:
    """No plural proper noun ("Care Services") and no word the article writes in lower case."""
    doc = tokens[0].doc if tokens else None
    for t in tokens:
        hyphenated = doc is not None and (
            (t.i + 1 < len(doc) and doc_tokens(doc)[t.i + 1].text in HYPHENS)
            or (t.i > 0 and doc_tokens(doc)[t.i - 1].text in HYPHENS)
        )
        if t.tag_ == "NNPS" or (t.text.lower() in lower_words and not hyphenated):
            return False  # "So" of "So-yeon" is part of a name even beside a lower-case "so"
    return True


def _add_appositive_names(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """ "Rasa Juodytė, an energy security researcher at ...": the run before is a person.

    Two to four capitalised words before a comma, then an apposition of at most
    five words ending in a person noun. An organisation the model made of the
    run ("Tuvshinjargal Ganbold"/ORG) becomes the person.
    """
    out = list(ents)
    owner = {i: e for e in ents for i in range(e.start, e.end)}
    lower_words = view_lower_words(doc)
    for comma in doc_tokens(doc):
        if comma.text != "," or comma.i < 2:
            continue
        j = comma.i + 1
        if j < len(doc) and doc_tokens(doc)[j].lower_ in ("a", "an", "the"):
            j += 1
        role = None
        for k in range(j, min(j + 5, len(doc))):
            if doc_tokens(doc)[k].lower_ in person_nouns() and doc_tokens(doc)[k].text.islower():
                role = k
                break
            if (
                not (doc_tokens(doc)[k].is_alpha or titles.is_glue(doc_tokens(doc)[k].text))
                or doc_tokens(doc)[k].pos_ == "VERB"
            ):
                break
        if role is None:
            continue
        end = comma.i
        start = end
        while start - 1 >= 0 and end - (start - 1) <= MAX_TITLED_NAME + 2:
            prev = doc_tokens(doc)[start - 1]
            hyphen_part = (
                start - 2 >= 0 and doc_tokens(doc)[start - 2].text in HYPHENS and not prev.is_punct
            )
            joined = (
                doc_tokens(doc)[start].text in HYPHENS and not prev.whitespace_
            )  # "So" of "So-yeon"
            if titles.is_capitalised(prev) and (prev.pos_ in ("PROPN", "NOUN", "ADJ") or joined):
                start -= 1
            elif prev.text in HYPHENS and not prev.whitespace_ and start < end:
                start -= 1
            elif hyphen_part and prev.is_alpha and not doc_tokens(doc)[start - 2].whitespace_:
                start -= 1  # "So-yeon": a lower-case part after a hyphen
            else:
                break
        while start < end and doc_tokens(doc)[start].text in HYPHENS:
            start += 1
        words = doc[start:end].text.replace("-", " ").split()
        if not 2 <= len(words) <= MAX_TITLED_NAME + 1 or not titles.is_capitalised(
            doc_tokens(doc)[start]
        ):
            continue
        holders = {id(owner[t]): owner[t] for t in range(start, end) if t in owner}
        if any(h.start < start or h.end > end for h in holders.values()):
            continue  # an entity reaching outside the run: not a bare name
        if any(h.label == PERSON and (h.start, h.end) == (start, end) for h in holders.values()):
            continue
        text = doc[start:end].text
        if (
            not _name_like(doc[start:end], lower_words)
            or any(_is_org_word(doc_tokens(doc)[t]) for t in range(start, end))
            or names.known_org(text) is not None
            or names.country_match(text) is not None
        ):
            continue
        out = [e for e in out if id(e) not in holders]
        new = _Ent(start, end, PERSON, titled=True)
        out.append(new)
        for t in range(start, end):
            owner[t] = new
    return sorted(out, key=lambda e: e.start)


def _merge_adjacent_persons(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """ "Florencio Mamani" + "Ticona": two PERSONs with only a space between are one name."""
    out: list[_Ent] = []
    for ent in sorted(ents, key=lambda e: e.start):
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.label == PERSON
            and ent.label == PERSON
            and ent.start == prev.end
            and doc_tokens(doc)[prev.end - 1].whitespace_
            and "\n" not in doc_tokens(doc)[prev.end - 1].whitespace_
            and ent.end - prev.start <= MAX_TITLED_NAME
            and not any(doc_tokens(doc)[t].text in POSSESSIVES for t in range(prev.start, prev.end))
        ):
            prev.end = ent.end
            prev.titled = prev.titled or ent.titled
            continue
        out.append(ent)
    return out


def _is_given_name(token: Token, known_firsts: set[str] | frozenset[str]) -> bool:
    """A capitalised known first name that is not also a country or capital ("Jordan")."""
    return (
        titles.is_capitalised(token)
        and names.fold(token.text) in known_firsts
        and names.country_match(token.text) is None
    )


def _name_tail(doc: Doc, first: int, starts: dict[int, _Ent]) -> tuple[int, _Ent | None] | None:
    """Where the name that a first name at token ``first`` opens ends, and what it absorbs.

    The name goes on over a PERSON entity right after, or over up to
    ``MAX_NAME_TAIL`` capitalised proper nouns that no entity holds; None when
    neither follows.
    """
    after = starts.get(first + 1)
    if after is not None:
        return (after.end, after) if after.label == PERSON else None
    end = first + 1
    while (
        end < len(doc)
        and end - first <= MAX_NAME_TAIL
        and titles.is_capitalised(doc_tokens(doc)[end])
    ):
        if doc_tokens(doc)[end].pos_ != "PROPN" or end in starts:
            break
        end += 1
    return (end, None) if end > first + 1 else None


def _trim(doc: Doc, ent: _Ent) -> _Ent | None:
    """Tidy a name-like entity's edges; returns None when nothing is left (a bare title).

    Drops stray punctuation at the edges, an unclosed bracket and what follows
    ("Sport (CAS"), a leading "the" (a capitalised one only at a sentence start
    and before two words or more), titles before a person and a trailing
    possessive. Numeric and temporal entities only lose a possessive
    ("next week's"), so "50%" keeps its sign.
    """
    start, end = ent.start, ent.end
    while end > start and doc_tokens(doc)[end - 1].text in POSSESSIVES:
        end -= 1
    if ent.label not in NAME_LABELS and ent.label != "WORK_OF_ART":
        return _Ent(start, end, ent.label) if start < end else None
    opened = [i for i in range(start, end) if doc_tokens(doc)[i].text == "("]
    if opened and not any(doc_tokens(doc)[i].text == ")" for i in range(opened[0], end)):
        end = opened[0]
    while end > start and doc_tokens(doc)[end - 1].text in EDGE_PUNCT:
        end -= 1
    while start < end and doc_tokens(doc)[start].text in EDGE_PUNCT:
        start += 1
    while end > start and doc_tokens(doc)[end - 1].text in POSSESSIVES:
        end -= 1
    if start < end - 1 and doc_tokens(doc)[start].text == "the":
        start += 1
    elif (
        start < end - 2
        and doc_tokens(doc)[start].text == "The"
        and doc_tokens(doc)[start].is_sent_start
    ):
        # "The Foreign Ministry said" opens a sentence; "The Hague" and "The
        # Times" (one word after "The") keep their article.
        start += 1
    if ent.label == PERSON and start < end:
        words = [t.text for t in doc[start:end]]
        if names.title_key(" ".join(words)) in names.honorifics():
            return None
        if ent.titled:
            # Only real titles go: "Abdirahman" before "Hassan" is a name, not a descriptor.
            start += names.title_length(words)
        else:
            start += len(words) - len(names.strip_titles(words))
    if start >= end:
        return None
    return _Ent(start, end, ent.label, ent.titled)


def _merge_country_institution(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """GPE + "'s" + ORG("Foreign Ministry") -> one ORG "Russia's Foreign Ministry"."""
    out: list[_Ent] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (
            nxt is not None
            and ent.label == "GPE"
            and nxt.label == ORG
            and nxt.start == ent.end + 1
            and doc_tokens(doc)[ent.end].text in POSSESSIVES
            and doc_tokens(doc)[nxt.end - 1].lower_ in names.institution_heads()
            and _is_country(doc[ent.start : ent.end].text)
        ):
            out.append(_Ent(ent.start, nxt.end, ORG))
            i += 2
            continue
        out.append(ent)
        i += 1
    return out


def _sunday_titles(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """ "The Mail" + "on Sunday" -> one ORG "The Mail on Sunday" (a newspaper's title).

    Only a name written with its "The" (as titles are): "Labour on Sunday said"
    stays Labour.
    """
    out: list[_Ent] = []
    absorbed: set[int] = set()
    for ent in ents:
        if ent.start in absorbed:
            continue
        end = ent.end
        if (
            ent.label == ORG
            and doc[ent.start].text == "The"
            and end + 1 < len(doc)
            and doc[end].lower_ == "on"
            and doc[end + 1].text == "Sunday"
        ):
            absorbed.add(end + 1)  # a DATE "Sunday" tagged on its own goes
            ent = _Ent(ent.start, end + 2, ORG, ent.titled)
        out.append(ent)
    return out


def _is_country(text: str) -> bool:
    """True when ``text`` names a country (not a city): "Russia", "the US"."""
    match = names.country_match(names.strip_leading_the(text))
    return match is not None and match.via in ("name", "alias")


def _drop_title_fragments(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """Drop an entity that is the tail of a title ("State" in "Secretary of State")."""
    titles = names.honorifics()
    title_words = names.title_words()
    keep = []
    for ent in ents:
        inside_title = (
            ent.label != PERSON
            and ent.end - ent.start <= 2
            and ent.start > 0
            and doc_tokens(doc)[ent.start - 1].lower_.rstrip(".") in title_words
            and any(
                names.title_key(doc[ent.start - k : ent.end].text) in titles
                for k in (1, 2, 3)
                if ent.start - k >= 0
            )
        )
        if not inside_title:
            keep.append(ent)
    return keep


def _relabel_places(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """A PERSON that is a country, capital, nationality or region gets a place label.

    The small model calls "Burkina Faso", "Niamey" or "Sahel" a person in some
    sentences. A word the article also uses inside a person's full name is
    left alone ("Jordan" after "Michael Jordan").
    """
    in_names = _person_words(doc, ents)
    for ent in ents:
        if ent.label != PERSON:
            continue
        text = _text(doc, ent)
        if names.fold(text) in in_names or names.fold(text) in names.first_names():
            continue
        match = names.country_match(text)
        if match is not None:
            ent.label = "NORP" if match.via == "demonym" else "GPE"
        elif (region := countries.lookup_region(text)) is not None:
            # "Sahel" names the region; "Africans" names its people.
            named = names.fold(names.strip_leading_the(region)) == names.fold(text)
            ent.label = "LOC" if named else "NORP"
    return ents


def _relabel_surnames(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """A lone surname of a person named in full elsewhere in the article is a PERSON.

    Covers a surname mislabelled as ORG/GPE/... ("Lavrov's tour") and one the
    model left untagged. A word that names a country or city is left alone
    ("Washington" stays a place even next to a Denzel Washington).
    """
    lasts = _surnames(doc, ents)
    if not lasts:
        return ents
    # "Solvang Lunde"/ORG after "Marit Solvang Lunde": a tail of two words or more.
    tails = {
        names.fold(" ".join(words[k:]))
        for e in ents
        if e.label == PERSON and len(words := _text(doc, e).split()) >= 3
        for k in range(1, len(words) - 1)
    }
    for ent in ents:
        text = _text(doc, ent)
        if ent.label in NAME_LIKE_LABELS and " " in text and names.fold(text) in tails:
            ent.label = PERSON
        elif (
            ent.label in NAME_LIKE_LABELS
            and " " not in text
            and names.fold(text) in lasts
            and names.country_match(text) is None
        ):
            ent.label = PERSON
    covered = {i for e in ents for i in range(e.start, e.end)}
    heads = {last.split("-")[0] for last in lasts}  # cheap filter before building words
    added = []
    for token in doc_tokens(doc):
        if (
            token.i in covered
            or names.fold(token.text) not in heads
            or not _word_starts_at(doc, token.i)
        ):
            continue
        start, end = token.i, _word_end(doc, token.i)
        word = doc[start:end]
        if (
            end - 1 not in covered
            and word[0].pos_ in ("PROPN", "NOUN")  # the model calls a rare surname a noun
            and titles.is_capitalised(word[0])
            and names.fold(word.text) in lasts
            and not _in_name_run(doc, start, end)
            and names.country_match(word.text) is None
        ):
            added.append(_Ent(start, end, PERSON))
    return ents + added if added else ents


def _word_end(doc: Doc, start: int) -> int:
    """End of the written word at ``start``: hyphen-joined tokens ("Diallo-Kane") are one."""
    end = start + 1
    while (
        end + 1 < len(doc)
        and not doc_tokens(doc)[end - 1].whitespace_
        and doc_tokens(doc)[end].text in HYPHENS
        and not doc_tokens(doc)[end].whitespace_
        and doc_tokens(doc)[end + 1].is_alpha
    ):
        end += 2
    return end


def _word_starts_at(doc: Doc, i: int) -> bool:
    """False when token ``i`` continues a hyphenated word ("Kane" in "Diallo-Kane")."""
    return (
        i < 2
        or doc_tokens(doc)[i - 1].text not in HYPHENS
        or bool(doc_tokens(doc)[i - 2].whitespace_)
    )


def _surnames(doc: Doc, ents: list[_Ent]) -> set[str]:
    """Folded last words of the article's full person names, where the evidence is good.

    A full name counts when its first word is a known given name ("Sergei
    Lavrov"), or when the model itself tags the surname alone as a person
    somewhere in the article. So "Man United" or "Tudor England", which the
    model calls people, do not turn "United" or "England" into people.
    """
    alone = {names.fold(_text(doc, e)) for e in ents if e.label == PERSON}
    given = names.first_names()
    lasts = set()
    for ent in ents:
        words = names.strip_name_suffixes(_text(doc, ent).split())
        if ent.label != PERSON or len(words) < 2:
            continue
        first, last = names.fold(words[0]), names.fold(words[-1])
        if not words[-1][:1].isupper() or names.country_match(words[-1]) is not None:
            continue
        titled = ent.titled or _titled_before(doc, ent.start)
        if first in given or last in alone or titled:
            lasts.add(last)
        if titled and len(words) == 2 and _korean_given(words[-1]):
            lasts.add(first)  # "Park Jin-woo" is "Park" later: the family name first
        if titled and len(words) >= 3:
            # "Mariela Quispe Condori" is "Quispe" later: a paternal surname second.
            lasts.update(names.fold(w) for w in words[1:-1] if w[:1].isupper() and "-" not in w)
    return lasts


def _korean_given(word: str) -> bool:
    """ "Jin-woo", "So-yeon": a given name after the family name (a lower-case part)."""
    head, _, tail = word.partition("-")
    return bool(head) and tail[:1].islower()


def _person_words(doc: Doc, ents: list[_Ent]) -> set[str]:
    """Folded words (and tokens) of the article's multi-word PERSON entities."""
    out: set[str] = set()
    for ent in ents:
        if ent.label == PERSON and ent.end - ent.start > 1:
            span = doc[ent.start : ent.end]
            out.update(names.fold(w) for w in span.text.split())
            out.update(names.fold(t.text) for t in span)
    return out


def _in_name_run(doc: Doc, start: int, end: int) -> bool:
    """True when a capitalised proper noun sits right before or after the word."""
    near = [doc_tokens(doc)[j] for j in (start - 1, end) if 0 <= j < len(doc)]
    return any(t.pos_ == "PROPN" and titles.is_capitalised(t) for t in near)


def _drop_non_names(doc: Doc, ents: list[_Ent]) -> list[_Ent]:
    """Drop a one-word PERSON that is evidently not a name ("Realpolitik").

    Kept when the word is part of a multi-word person in the article or a known
    first name; dropped when it is a listed non-name, is written in lower case
    elsewhere in the article, or opens a sentence as a common noun.
    """
    in_names = _person_words(doc, ents)
    lower_words = view_lower_words(doc)
    keep = []
    for ent in ents:
        if ent.label != PERSON or ent.end - ent.start != 1:
            keep.append(ent)
            continue
        token = doc_tokens(doc)[ent.start]
        word = names.fold(token.text)
        if word in in_names or word in names.first_names():
            keep.append(ent)
            continue
        not_a_name = (
            word in non_names()
            or token.text.lower() in lower_words
            or (token.is_sent_start and token.pos_ in ("NOUN", "ADJ", "ADV"))
        )
        if not not_a_name:
            keep.append(ent)
    return keep


def _in_skip(doc: Doc, ent: _Ent, skip: tuple[tuple[int, int], ...]) -> bool:
    """True when the entity overlaps a skipped character span."""
    start, end = (
        doc_tokens(doc)[ent.start].idx,
        doc_tokens(doc)[ent.end - 1].idx + len(doc_tokens(doc)[ent.end - 1]),
    )
    return any(start < s_end and s_start < end for s_start, s_end in skip)


# -- canonical names -----------------------------------------------------------


def _canonicals(doc: Doc, ents: list[_Ent]) -> list[str]:
    """One canonical name per entity; short forms join the article's one matching full name."""
    no_alias: dict[str, str] = {}
    texts = [_text(doc, e) for e in ents]
    rules = []
    for ent, text in zip(ents, texts, strict=True):
        if ent.label == PERSON:
            rules.append(names.canonical_person(text, aliases=no_alias))
        elif ent.label == ORG:
            rules.append(names.canonical_org(text, aliases=no_alias))
        elif ent.label == "GPE":
            rules.append(names.canonical_place(text, aliases=no_alias))
        elif ent.label in NAME_LABELS:
            rules.append(names.strip_possessive(names.strip_leading_the(text)))
        else:
            rules.append(text)
    rules = [_run_in_once(rule) for rule in rules]
    people = {r for e, r in zip(ents, rules, strict=True) if e.label == PERSON}
    orgs = {r for e, r in zip(ents, rules, strict=True) if e.label == ORG}
    org_counts = Counter(r for e, r in zip(ents, rules, strict=True) if e.label == ORG)
    out = []
    for ent, rule in zip(ents, rules, strict=True):
        words = rule.split()
        if ent.label == PERSON and len(words) == 2 and names.title_key(words[0]) in names.PEERAGE:
            title, rule = names.title_key(words[0]), words[1]  # "Lady Boothroyd"
        elif ent.label == PERSON and len(words) == 1:
            title = _title_before(doc, ent)
        else:
            title = ""
        if title in ("sir", "dame"):
            # "Sir Alan" is Sir Alan Sugar: a knight goes by the given name.
            rule = _fuller(rule, people, _same_given_name)
        elif title in names.PEERAGE:
            # "Lady Boothroyd" is Betty Boothroyd where the article names her so;
            # else "Lord Falconer" is his name.
            named = {p for p in people if names.title_key(p.split()[0]) not in names.PEERAGE}
            full = _fuller(rule, named, _same_person)
            rule = full if full != rule else f"{title.capitalize()} {rule}"
        elif ent.label == PERSON:
            full = _fuller(rule, people, _same_person)
            if full == rule:
                # "Boothroyd" of Betty Boothroyd when "Lady Boothroyd" is named too.
                untitled = {p for p in people if names.title_key(p.split()[0]) not in names.PEERAGE}
                full = _fuller(rule, untitled, _same_person)
            rule = full
        elif ent.label == ORG:
            full = _fuller(rule, orgs, _same_org)
            if full == rule and len(words) == 1:
                # "Deutsche" (a headline) of Deutsche Bank, named so at least as often.
                often = {o for o in orgs if org_counts[o] >= org_counts[rule]}
                full = _fuller(rule, often, _first_word_of)
            rule = full
        out.append(rule)
    return out


def _fuller(name: str, candidates: set[str], same: Callable[[list[str], list[str]], bool]) -> str:
    """The one longer name in the article that ``name`` is a short form of, else ``name``."""
    words = name.split()
    longer = {c for c in candidates if len(c.split()) > len(words) and same(words, c.split())}
    return next(iter(longer)) if len(longer) == 1 else name


def _same_person(short: list[str], full: list[str]) -> bool:
    """A surname ("Lavrov") or first and last name ("Luciana Matos") of a fuller name."""
    fold = names.fold
    if len(short) == 1:
        # "Quispe" of "Mariela Quispe Condori": a later word; the first is a given name.
        if len(full) == 2 and _korean_given(full[-1]):
            return fold(short[0]) == fold(full[0])  # "Park" of "Park Jin-woo"
        return fold(short[0]) in [fold(w) for w in full[1:]]
    if [fold(w) for w in full[-len(short) :]] == [fold(w) for w in short]:
        return True  # "Solheim Berg" of "Ingrid Solheim Berg"
    return fold(short[0]) == fold(full[0]) and fold(short[-1]) == fold(full[-1])


def _courtesy(token: Token) -> bool:
    key = names.title_key(token.text).strip()
    return key in names.courtesy_titles() or key in names.PEERAGE


def _title_before(doc: Doc, ent: _Ent) -> str:
    """The knight's or peer's title written with a one-word name ("Sir Alan", "Lord Falconer")."""
    for token in doc[max(0, ent.start - 1) : ent.start + 1]:
        key = names.title_key(token.text).strip()
        if key in ("sir", "dame") or key in names.PEERAGE:
            return key
    return ""


def _same_given_name(short: list[str], full: list[str]) -> bool:
    return len(short) == 1 and names.fold(short[0]) == names.fold(full[0])


def _run_in_once(name: str) -> str:
    """ "Next Next": a headline's last word run into the body's first, the same name once."""
    words = name.split()
    if len(words) == 2 and names.fold(words[0]) == names.fold(words[1]):
        return words[0]
    return name


def _first_word_of(short: list[str], full: list[str]) -> bool:
    return len(short) == 1 and names.fold(short[0]) == names.fold(full[0])


def _same_org(short: list[str], full: list[str]) -> bool:
    """A trailing part of two words or more ("Foreign Ministry" of "Russian Foreign Ministry")."""
    return len(short) >= 2 and [names.fold(w) for w in full[-len(short) :]] == [
        names.fold(w) for w in short
    ]
