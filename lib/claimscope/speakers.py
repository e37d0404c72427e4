"""Speakers: the mention as written, who it is across the article, role and type.

A quote's subject ("he", "the expert", "Razumovsky", "Director of the
Institute ... Dmitry Razumovsky") is resolved to a named PERSON or ORG: names
through the entity stage's canonical names, pronouns and role nouns to the most
recent compatible named speaker. Role nouns also resolve forward ("..., minister
says" in a headline is the minister named below) and by type ("the official" is
the latest official). The role is how the text describes that person (the title
before the name where they are first named, the words around the name in the
mention, or an apposition), remembered for later quotes; the type comes from
role words in ``data/speaker_roles.csv``.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from claimscope import confidence, countries, names, speaker_ranker, titles, wire
from claimscope.entities import person_nouns
from claimscope.records import EntityMention, Quote, QuoteKind, Span
from claimscope.view import EntityView, ViewEntity, doc_memo, doc_text

_PERSON_PRONOUNS = frozenset({"he", "she", "i", "him", "her"})
_GENDERED = {"he": "he", "him": "he", "she": "she", "her": "she"}
_OTHER_PRONOUN = {"he": "she", "she": "he"}
_TITLE_GENDER = {
    **dict.fromkeys(("mr", "sir", "lord", "king", "prince", "father", "monsieur", "herr"), "he"),
    **dict.fromkeys(("mrs", "ms", "miss", "dame", "lady", "queen", "princess", "madame"), "she"),
}
# The role of a country or capital that speaks ("India said", "Moscow warned").
GOVERNMENT_ROLE = "government"
# People who speak for an organisation: "a Rosneft spokesman" is Rosneft speaking.
_SPOKES = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})
_GROUP_PRONOUNS = frozenset({"they", "we", "it"})
# Pronouns that put a person other than the quoted speaker into a sentence.
PERSONAL_PRONOUNS = frozenset({"he", "she", "i", "him", "her", "his", "they", "them", "we", "us"})
_CUT_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "cc"})
_SPEAKER_TYPE_ORDER = ("expert", "journalist", "official", "organization")
_MAX_MENTION_TOKENS = 25
_MAX_TITLE_GAP = 80  # characters between a cut title mention and the name it runs into
# Determiners of a nominal speaker that is nobody in particular ("a minister", "many experts"),
# except in a lead, where "a senior official said" is the person named next.
_INDEFINITE = frozenset({"a", "an", "some", "many", "any", "another", "one", "several"})


@lru_cache(maxsize=1)
def role_words() -> dict[str, str]:
    """Role word (lowercase, may be several words) -> speaker type."""
    source = resources.files("claimscope") / "data" / "speaker_roles.csv"
    with source.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["word"].strip().lower(): row["speaker_type"].strip() for row in rows}


@lru_cache(maxsize=1)
def generic_role_nouns() -> frozenset[str]:
    """Role nouns that name no unique office (``role_nouns_generic.txt``)."""
    return frozenset(w.lower() for w in names.data_lines("role_nouns_generic.txt"))


@lru_cache(maxsize=1)
def document_nouns() -> frozenset[str]:
    """Nouns for texts that speak for their authors (``document_nouns.txt``)."""
    return frozenset(w.lower() for w in names.data_lines("document_nouns.txt"))


@lru_cache(maxsize=1)
def org_nouns() -> frozenset[str]:
    """Nouns that stand for an organisation named earlier (``org_nouns.txt``)."""
    return frozenset(w.lower() for w in names.data_lines("org_nouns.txt"))


@lru_cache(maxsize=1)
def _role_words_by_length() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """:func:`role_words` split into one-word roles (looked up) and longer ones (searched)."""
    words = role_words()
    return (
        {word: kind for word, kind in words.items() if " " not in word},
        tuple((word, kind) for word, kind in words.items() if " " in word),
    )


def speaker_type_of(description: str) -> str | None:
    """The type that the role words of a description imply (expert > journalist > official).

    A role word counts as a whole word, followed by a space, a comma or a plural "s".
    """
    lowered = f" {description.lower()} "
    single, multi = _role_words_by_length()
    found = {
        kind
        for word, kind in multi
        if f" {word} " in lowered or f" {word}," in lowered or f" {word}s " in lowered
    }
    for piece in lowered.split(" "):
        for word in (piece, piece[:-1] if piece.endswith("s") else "", piece.split(",", 1)[0]):
            kind = single.get(word)
            if kind is not None:
                found.add(kind)
    for kind in _SPEAKER_TYPE_ORDER:
        if kind in found:
            return kind
    return None


def mention_span(subject: Token | None) -> tuple[int, int] | None:
    """The subject's noun phrase as written: its subtree without clauses hanging off it."""
    if subject is None:
        return None
    memo = doc_memo(subject.doc, "mention_span")
    if subject.i not in memo:
        memo[subject.i] = _mention_span(subject)
    return memo[subject.i]


def _mention_span(subject: Token) -> tuple[int, int]:
    keep = [subject]
    for child in subject.children:
        if child.dep_ in _CUT_DEPS:
            continue
        keep.extend(child.subtree)
    keep.sort(key=lambda t: t.i)
    # Contiguous around the head: stop at the first gap.
    tokens = [subject]
    for token in reversed([t for t in keep if t.i < subject.i]):
        if token.i != tokens[0].i - 1:
            break
        tokens.insert(0, token)
    for token in [t for t in keep if t.i > subject.i]:
        if token.i != tokens[-1].i + 1:
            break
        tokens.append(token)
    while len(tokens) > 1 and (
        tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"
    ):
        tokens.pop()
    while len(tokens) > 1 and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    # Never across a paragraph break: the small model runs sentences over them.
    text, at = doc_text(subject.doc), subject.idx
    tokens = [t for t in tokens if "\n" not in text[min(t.idx, at) : max(t.idx, at)]]
    if len(tokens) > _MAX_MENTION_TOKENS:
        tokens = [subject]
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _without_article(text: str) -> str:
    for article in ("a ", "an ", "the "):
        if text.lower().startswith(article):
            return text[len(article) :]
    return text


# Words that make a different office of the same noun: the shadow chancellor is
# not "the chancellor", the deputy minister not "the minister".
_DISTINGUISHING = frozenset(
    {"shadow", "deputy", "vice", "former", "ex", "assistant", "junior", "acting", "outgoing"}
)


def _speaks_for_organisation(head: Token) -> bool:
    """A mention's head that an organisation inside it speaks through.

    "a Rosneft spokesman", "UKIP officials", "Reuters news agency", "a spokesman
    for Unison": spokespeople, generic roles and organisation nouns.
    """
    lemma = head.lemma_.lower()
    return (
        lemma in _SPOKES
        or lemma in generic_role_nouns()
        or lemma in org_nouns()
        or lemma in document_nouns()
    )


def _main_subject(token: Token) -> bool:
    """The subject of its sentence's main verb (or of a verb joined to it by "and")."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = token.head
    while verb.dep_ == "conj":
        verb = verb.head
    return verb.dep_ == "ROOT"


def _role_matches(described: str, noun: str, required: Sequence[str] = ()) -> bool:
    """True when a description (lower case) names the role noun with its modifiers.

    An occurrence after a distinguishing word the mention lacks does not count.
    """
    if any(word not in described for word in required):
        return False
    for found in re.finditer(rf"(?<![\w-]){re.escape(noun)}", described):
        before = re.findall(r"[\w-]+", described[: found.start()].split("|")[-1])[-2:]
        # "ex-Conservative chancellor", "former Tory chancellor", "shadow chancellor"
        other = [
            word
            for word in before
            if (word in _DISTINGUISHING or word.startswith("ex-")) and word not in required
        ]
        if not other:
            return True
    return False


def role_text(description: str) -> str | None:
    """A description as a role: no leading article or courtesy title ("Mr" is no role)."""
    words = description.strip(" ,").split()
    courtesy = names.courtesy_titles() | names.PEERAGE
    while words and (names.title_key(words[0]) in courtesy or words[0].lower() in _ARTICLES):
        words.pop(0)
    while words and names.title_key(words[-1]) in courtesy:
        words.pop()  # "Attorney General Lord" (Goldsmith): the title belongs to the name
    text = " ".join(words).strip(" ,()")
    if not any(ch.isalpha() for ch in text) or text.endswith(("’s", "'s")):
        return None
    if text.startswith(("’", "'")):
        return None  # "Blair's spokesman": someone else, described by whom they speak for
    return text


_ARTICLES = frozenset({"a", "an", "the"})
# Tags that never end a title before a name: plurals and verbs ("voters", "fires").
_NOT_A_TITLE_END = frozenset({"NNS", "NNPS", "VBZ", "VBD", "VBP", "VBG", "VB", "VBN"})


def _in_lead(token: Token) -> bool:
    """Whether a token is in an article's first two sentences (a headline and its lead)."""
    sentence = token.sent
    return sentence.start == 0 or token.doc[sentence.start - 1].sent.start == 0


def _described_before(pronoun: Token) -> bool:
    """Whether a person described, not named, is a subject just before the pronoun.

    "The solution, the analyst told them, was simple. '...,' he said": "he" is the
    analyst, not the first person the article names after (a role word of
    ``data/speaker_roles.csv``; "the partner" is none).
    """
    sentence = pronoun.sent
    first = pronoun.doc[sentence.start - 1].sent.start if sentence.start > 0 else 0
    words = role_words()
    return any(
        token.dep_ in ("nsubj", "nsubjpass")
        and token.pos_ == "NOUN"
        and token.tag_ == "NN"
        and (token.lower_ in words or token.lemma_.lower() in words)
        for token in pronoun.doc[first : pronoun.i]
    )


def _named_group(subject: Token, group: ViewEntity) -> bool:
    """ "The Tories", "the Democrats": a capitalised plural that names a group (NORP),
    with "the", as a subject."""
    return (
        group.label == "NORP"
        and subject.tag_ == "NNPS"
        and subject.i == group.end - 1
        and any(c.lower_ == "the" for c in subject.children)
    )


def _apposition(subject: Token) -> str | None:
    """ "Jane Doe, an economist at the institute, said": the apposition, without clauses."""
    for child in subject.children:
        if child.dep_ == "appos" and child.i > subject.i:
            bounds = mention_span(child)
            if bounds is None:
                return None
            text = doc_text(subject.doc)[bounds[0] : bounds[1]].strip(" ,")
            for article in ("a ", "an ", "the "):
                if text.lower().startswith(article):
                    text = text[len(article) :]
            return text or None
    return None


def _antecedent(subject: Token) -> Token | None:
    """The noun a relative pronoun subject ("who", "which", "that") stands for."""
    if subject.tag_ in ("WP", "WDT") or subject.lower_ == "that":
        clause = subject.head
        if clause.dep_ == "relcl":
            return clause.head
    return None


class SpeakerResolver:
    """Resolves subjects to named speakers, left to right through one article."""

    def __init__(self, view: EntityView) -> None:
        self.doc = view.doc
        self.view = view
        self.named = [e.mention() for e in view if e.label in ("PERSON", "ORG", "GPE")]
        # Every description the article gives of each speaker, in text order.
        self.descriptions: dict[str, list[str]] = {}
        # Roles known only from a resolved role noun ("the prime minister" said it).
        self.fallback_roles: dict[str, str] = {}
        self.groups: set[str] = set()  # parties and groups named by their members
        # Where in ``history`` the latest speaker was an organisation's spokesperson.
        self.spokesperson_at = -1
        # People that quotes name as their speaker, (mention start, name), in text order.
        self.people_quoted: list[tuple[int, str]] = []
        # Role nouns already resolved ("the chancellor" -> Gordon Brown): the same again.
        self.nominals: dict[str, str] = {}
        self.pronouns: dict[str, set[str]] = {}  # "he"/"she" already used for a speaker
        self.history: list[tuple[str, str]] = []  # (speaker, PERSON|ORG), latest last
        # Organisations that quotes name as their speaker, (mention start, name), in text
        # order: "a report says" in a lead is the organisation quoted next.
        self.organisations_quoted: list[tuple[int, str]] = []
        self.gender = self._genders()

    def learn_roles(
        self, mentions: Sequence[tuple[int, int] | None], heads: Sequence[Token]
    ) -> None:
        """First pass over an article's named speakers: remember how each is described.

        "..., says expert" in a headline can then resolve to the expert named later.
        """
        for bounds, head in zip(mentions, heads, strict=True):
            if bounds is None:
                continue
            entity = self._entity_at(bounds[0], bounds[1], head=head)
            if entity is None:
                continue
            if entity.label == "ORG":
                self.organisations_quoted.append((bounds[0], self._canonical(entity)))
            elif entity.label == "PERSON":
                self.people_quoted.append((bounds[0], self._canonical(entity)))
            described = self._description(bounds[0], bounds[1], entity, head)
            if described:
                self.describe(self._canonical(entity), described, person=entity.label == "PERSON")
        # People described wherever they are named, not only in a quote's mention:
        # "a study by glaciologist Jane Doe", "Jane Doe, an economist at X, said".
        for entity in self.named:
            if entity.label != "PERSON":
                continue
            described = self._context_role(entity)
            if described:
                self.describe(self._canonical(entity), described)

    def describe(self, speaker: str, description: str, *, person: bool = True) -> None:
        """Remember a description of a speaker (courtesy titles and articles dropped).

        A person's description holding their own name is a headline run in
        ("Mourinho defiant on Chelsea form Chelsea boss"), not a role; an
        organisation's may ("Home Office spokesman").
        """
        text = role_text(description)
        own = {names.fold(w) for w in speaker.split() if len(w) > 2} if person else set()
        if text and own & {names.fold(w.strip(",.")) for w in text.split()}:
            return
        if text and text not in self.descriptions.setdefault(speaker, []):
            self.descriptions[speaker].append(text)

    def role_of(self, speaker: str) -> str | None:
        """The most informative description of a speaker the article gives so far.

        One with a role word (speaker_roles.csv) beats one without ("Jewish
        voters" run in from a headline); a capitalised title beats a trailing
        phrase ("of the Observatory"); else the first given.
        """
        options = self.descriptions.get(speaker)
        if not options:
            return self.fallback_roles.get(speaker)
        return min(
            options,
            key=lambda text: (
                speaker_type_of(text) is None,
                text.split()[0].islower(),
                options.index(text),
            ),
        )

    def _described_text(self, speaker: str) -> str:
        """All of a speaker's descriptions, lower case, for matching role nouns."""
        return " | ".join(self.descriptions.get(speaker, ())).lower()

    def _context_role(self, entity: EntityMention) -> str | None:
        """The title phrase right before a named person, else the apposition after them."""
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            return None
        first = span.start
        for token in titles.walk_back(self.doc, span.start):
            title_like = token.is_alpha and (
                titles.is_capitalised(token)
                or titles.is_glue(token)
                or (token.pos_ in ("NOUN", "ADJ", "PROPN") and token.head.i > token.i)
            )
            if not title_like or self.view.label(token) == "PERSON":
                break
            first = token.i
        words = list(self.doc[first : span.start])
        while words and titles.is_glue(words[0]):
            words.pop(0)
        if words:
            text = doc_text(self.doc)[words[0].idx : span.start_char].strip()
            if speaker_type_of(text) is not None:
                return text
        appos = _apposition(span.root)
        return appos if appos and speaker_type_of(appos) is not None else None

    def _described_as(
        self, noun: str, required: Sequence[str] = (), *, before: int | None = None
    ) -> str | None:
        """The first speaker whose role mentions the noun, anywhere in the article."""
        if before is not None:
            # The latest person named before that point whom the article describes so.
            for entity in reversed([e for e in self.named if e.end <= before]):
                name = self._canonical(entity)
                if entity.label == "PERSON" and _role_matches(
                    self._described_text(name), noun, required
                ):
                    return name
            return None
        for speaker in self.descriptions:
            if _role_matches(self._described_text(speaker), noun, required):
                return speaker
        return None

    def _first_of_kind(
        self, kind: str, required: Sequence[str] = (), exclude: frozenset[str] = frozenset()
    ) -> str | None:
        """The first speaker in the article whose role is of that type."""
        for speaker in self.descriptions:
            if speaker in exclude:
                continue
            lowered = self._described_text(speaker)
            if speaker_type_of(self.role_of(speaker) or "") == kind and all(
                word in lowered for word in required
            ):
                return speaker
        return None

    def _nominal(self, subject: Token) -> str | None:
        """ "the deputy minister", "says expert", "its director": the named person meant.

        Backward to the latest speaker described with the noun (and its role
        modifiers, "deputy"), else forward to the first so described (headlines
        and leads come before the name), else by type: the latest, then the first
        speaker of the noun's type. Plurals and indefinites ("a minister") are
        nobody in particular, except an indefinite before any named speaker.
        """
        noun = subject.lemma_.lower()
        kind = speaker_type_of(noun)
        if kind is None or kind == "organization" or subject.tag_ in ("NNS", "NNPS"):
            return None
        children = list(subject.children)
        first_named = min((e.start for e in self.named if e.label == "PERSON"), default=0)
        if any(c.lower_ in _INDEFINITE for c in children) and subject.idx > first_named:
            return None
        if any(c.dep_ == "poss" and self.view.label(c) == "PERSON" for c in children):
            return None  # "Putin's spokesman" is not Putin
        # Modifiers that pick one holder of the role: "deputy" (a role word),
        # "shadow", "lord" (a title word); a description must also hold a proper
        # adjective ("the Conservative leader"), which a speaker's type cannot.
        modifiers = [c for c in children if c.dep_ in ("amod", "compound") and c.lower_ != noun]
        required = [
            c.lower_
            for c in modifiers
            if role_words().get(c.lower_) not in (None, "organization")
            or c.lower_ in _DISTINGUISHING
            or c.lower_ in names.title_words()
        ]
        described = required + [
            c.lower_
            for c in modifiers
            if c.text[:1].isupper() and not c.is_sent_start and c.lower_ not in required
        ]
        # "The chancellor" is not the shadow chancellor, whatever else matches;
        # and an office ("the prime minister") is not someone described with
        # another office of its type (the mayor): only a generic noun ("the
        # official") may be anyone of its type.
        specific = noun not in generic_role_nouns()
        other_office = frozenset(
            speaker
            for speaker in self.descriptions
            if not _role_matches(self._described_text(speaker), noun, described)
            and (
                noun in self._described_text(speaker)
                or (specific and speaker_type_of(self.role_of(speaker) or "") == kind)
            )
        )
        # Who is already established wins over who is introduced later: a person
        # described with the role and named before, then a speaker of the type;
        # a person named later only in a lead ("..., says expert") or last.
        before = subject.idx < first_named
        # An office with a proper modifier ("the Tory leader") needs it described:
        # a speaker of the type with no description cannot be checked for it.
        if specific:
            required = described
        # "Gordon Brown addressed the conference. The Chancellor said ...": a definite
        # role noun right after a person was the subject is that person again, unless
        # the article gives them another office of the kind.
        # The subject must already be described with the mention's distinguishing
        # words ("shadow") and its party or organisation ("the Tory leader"); an
        # untagged proper word ("The Spectator editor") need not be.
        definite = any(c.lower_ == "the" for c in children)
        variation = self._recent_subject(subject, None) if definite else None
        must = [
            word
            for word in required
            if not any(
                c.lower_ == word
                and c.text[:1].isupper()
                and self.view.label(c) not in ("NORP", "ORG", "GPE", "PERSON")
                for c in modifiers
            )
            or word in _DISTINGUISHING
        ]
        distinguished = [w for w in described if w in _DISTINGUISHING]
        same_standing = bool(distinguished) and all(
            w in self._described_text(variation or "") for w in distinguished
        )  # "the former cabinet secretary" may be the "former civil service chief"
        if variation is not None and (
            (variation in other_office and not same_standing)
            or " " not in variation  # a one-word "name" is often a party or a place
            or any(word not in self._described_text(variation) for word in must)
        ):
            variation = None
        return (
            self._latest("PERSON", noun, required=described)
            or self._described_as(noun, described, before=subject.idx)
            or self.nominals.get(self._nominal_key(subject))
            or variation
            or (self._described_as(noun, described) if before else None)
            or self._latest(
                "PERSON", kind=kind, required=required, strict=True, exclude=other_office
            )
            or self._latest("PERSON", kind=kind, required=required, exclude=other_office)
            or self._described_as(noun, described)
            or self._first_of_kind(kind, required, exclude=other_office)
            or (self._next_subject(subject, other_office, must) if definite else None)
        )

    @staticmethod
    def _nominal_key(subject: Token) -> str:
        """A role noun with its modifiers, lower case: "the shadow chancellor" -> "shadow chancellor"."""
        words = [
            c.lower_ for c in subject.children if c.dep_ in ("amod", "compound") and c.i < subject.i
        ]
        return " ".join([*words, subject.lemma_.lower()])

    def _entity_at(self, start: int, end: int, *, head: Token) -> EntityMention | None:
        inside = [e for e in self.named if e.start < end and start < e.end]
        for entity in inside:
            if entity.start <= head.idx < entity.end:
                return entity
        # A name elsewhere in the mention is the speaker when it is not the object
        # of a preposition ("An attorney for Mills" is not Mills).
        persons = []
        for entity in inside:
            span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if entity.label != "PERSON" or span is None:
                continue
            before = self.doc[span.start - 1] if span.start > 0 else None
            closes = entity.end >= end and (before is None or before.pos_ != "ADP")
            between = doc_text(self.doc)[min(entity.end, head.idx) : max(entity.start, head.idx)]
            if any(q in between for q in '"“”') or "' " in between or " '" in between:
                continue  # "Blair' The Tories": a headline's quotation run into the body
            if span.root.dep_ != "pobj" or closes:  # "Director of X Jane Doe" closes with her
                persons.append(entity)
        return persons[-1] if persons else None

    def _name_after(self, end: int) -> EntityMention | None:
        """A PERSON that a title phrase ending at ``end`` runs into (capitalised words between)."""
        for entity in self.named:
            if entity.start < end:
                continue
            if entity.label != "PERSON" or entity.start - end > _MAX_TITLE_GAP:
                return None
            between = doc_text(self.doc)[end : entity.start].split()
            if "\n" in doc_text(self.doc)[end : entity.start]:
                return None
            if all(w[:1].isupper() or titles.is_glue(w) for w in between):
                return entity
            return None
        return None

    def _canonical(self, entity: EntityMention) -> str:
        name = entity.canonical or entity.text
        if entity.label == "PERSON" and " " not in name.strip():
            # A bare surname: the earlier full name that ends with it.
            for other in reversed([e for e in self.named if e.start < entity.start]):
                full = other.canonical or other.text
                if other.label == "PERSON" and full.split()[-1:] == [name.strip()] and " " in full:
                    return full
        return name.replace("’s", "").replace("'s", "").strip()

    def _latest(
        self,
        label: str,
        role_noun: str | None = None,
        *,
        pronoun: str | None = None,
        kind: str | None = None,
        required: Sequence[str] = (),
        strict: bool = False,
        exclude: frozenset[str] = frozenset(),
    ) -> str | None:
        """The latest speaker with that label, described by the noun, or compatible.

        A "she" skips speakers already called "he" (and the reverse); a role noun
        with no described match skips speakers whose role is of another type.
        """
        other = _OTHER_PRONOUN.get(pronoun or "")
        for speaker, label_ in reversed(self.history):
            if label_ != label or speaker in exclude:
                continue
            if other and other in self.pronouns.get(speaker, set()):
                continue
            role = self.role_of(speaker) or ""
            described = self._described_text(speaker)
            if role_noun is not None and not _role_matches(described, role_noun, required):
                continue
            if any(word not in described for word in required):
                continue
            if kind is not None and role and speaker_type_of(role) not in (kind, None):
                continue
            if kind is not None and strict and speaker_type_of(role) != kind:
                continue
            return speaker
        return None

    def _titled_person(self, text: str) -> str | None:
        """A title and a surname the model missed ("Mr Balls"): the person so named here."""
        words = text.split()
        if len(words) < 2 or len(words) > 3 or names.title_key(words[0]) not in names.honorifics():
            return None
        rest = words[1:]
        if not all(w[:1].isupper() for w in rest):
            return None
        surname = names.fold(names.strip_possessive(rest[-1]))
        for entity in self.named:
            full = (entity.canonical or entity.text).split()
            if entity.label == "PERSON" and len(full) > 1 and names.fold(full[-1]) == surname:
                return self._canonical(entity)
        return None

    def _nominal_org(self, subject: Token) -> str | None:
        """ "The bank said": the latest organisation named with the noun, else the latest
        organisation speaking, else the latest one that was a sentence's subject.
        """
        if any(c.lower_ in _INDEFINITE for c in subject.children):
            return None  # "a bank said": some bank
        noun = subject.lemma_.lower()
        if noun != "party" and any(
            c.dep_ == "poss" and (c.lower_ in PERSONAL_PRONOUNS or self.view.label(c) == "PERSON")
            for c in subject.children
        ):
            return None  # "his constituency association": someone's, not the one named
        earlier = [e for e in self.named if e.label == "ORG" and e.end <= subject.idx]
        for entity in reversed(earlier):
            if noun in names.fold(entity.canonical or entity.text).split():
                return self._canonical(entity)
        # A party speaking as its members ("The Tories said") is not "the government".
        latest = self._latest("ORG", exclude=frozenset() if noun == "party" else self.groups)
        if latest is not None:
            return latest
        for entity in reversed(earlier):
            span = self.view.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is not None and _main_subject(span.root):
                return self._canonical(entity)
        return None

    def _introduced_next(self, subject: Token) -> str | None:
        """ "A senior barrister who has resigned says ... Ian MacDonald QC quit ...": a lead's
        person noun, before anyone is named, is the person the next sentence is about.

        Only a singular person noun, before the article names any person, and only the
        main-clause subject of one of the two sentences after it.
        """
        if subject.tag_ != "NN" or subject.lemma_.lower() not in person_nouns():
            return None
        if any(c.dep_ in ("det", "poss") and c.lower_ not in _INDEFINITE for c in subject.children):
            return None  # "the foreign secretary" is someone already known
        if not _in_lead(subject) or any(
            e.label == "PERSON" and e.start < subject.idx for e in self.named
        ):
            return None
        return self._next_subject(subject, frozenset(), (), sentences=2)

    def _next_subject(
        self,
        subject: Token,
        exclude: frozenset[str],
        required: Sequence[str],
        *,
        sentences: int = 1,
    ) -> str | None:
        """The named person who is the main-clause subject of the next sentence(s).

        "The lord chancellor hinted at reform. '...,' Lord Falconer told the BBC.":
        a role noun nobody before fits is the person named right after, unless the
        article gives them another office or lacks the role's required words.
        """
        sentence = subject.sent
        for _ in range(sentences):
            if sentence.end >= len(self.doc):
                return None
            sentence = self.doc[sentence.end].sent
            for entity in self.named:
                if entity.label != "PERSON" or not (
                    sentence.start_char <= entity.start < sentence.end_char
                ):
                    continue
                span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
                if span is None or not _main_subject(span.root):
                    continue
                name = self._canonical(entity)
                described = f"{self._described_text(name)} | {name.lower()}"  # "Lord Falconer"
                if name in exclude or any(word not in described for word in required):
                    return None
                return name
        return None

    def _appositive_name(self, subject: Token) -> EntityMention | None:
        """The person or organisation named in apposition right after a nominal subject."""
        for child in subject.children:
            if child.dep_ != "appos" or child.i < subject.i:
                continue
            for entity in self.named:
                if entity.label in ("PERSON", "ORG") and entity.start <= child.idx < entity.end:
                    return entity
        return None

    def _untagged_name(self, head: Token, start: int, end: int) -> EntityMention | None:
        """A name the model did not tag, at the head of a mention.

        One the article tags elsewhere ("M&S." where "M&S" is an organisation)
        is that entity; one after a describing noun ("Telecom analysts Ovum",
        "Internet service provider (ISP) Plus.net") is an organisation, or a
        person when the noun is a role ("economist Jane Doe").
        """
        first = head
        while (
            first.i > 0
            and self.doc[first.i - 1].pos_ == "PROPN"
            and self.doc[first.i - 1].idx >= start
            and self.doc[first.i - 1].text[:1].isupper()
        ):
            first = self.doc[first.i - 1]
        begin, finish = first.idx, head.idx + len(head.text.rstrip("."))
        name = doc_text(self.doc)[begin:finish]
        if finish <= begin or not name[:1].isupper():
            return None
        for entity in self.named:
            if names.fold(entity.text) == names.fold(name) and entity.label in ("PERSON", "ORG"):
                return EntityMention(begin, finish, name, entity.label, entity.canonical)
        opening = self.doc.char_span(start, first.idx, alignment_mode="contract")
        described = [
            t
            for t in opening or ()
            if t.pos_ == "NOUN"
            and t.text.islower()
            and first.i <= t.head.i <= head.i
            and not self.view.label(t)
        ]  # a noun that describes the name ("analysts Ovum"), not "today Brent South"
        if not described or first.is_sent_start or countries.lookup(name) is not None:
            return None
        noun = described[-1]
        person = (
            noun.tag_ == "NN"
            and noun.lemma_.lower() not in org_nouns()
            and speaker_type_of(noun.lemma_) not in (None, "organization")
        )
        return EntityMention(begin, finish, name, "PERSON" if person else "ORG", name)

    def _spokesperson_last(self) -> bool:
        """Whether the latest speaker was an organisation through its spokesperson."""
        return bool(self.history) and self.spokesperson_at == len(self.history) - 1

    def _quoted_next(self, at: int, label: str) -> str | None:
        """ "He denied it" before anyone is named: the first person quoted by name after."""
        quoted = self.people_quoted if label == "PERSON" else self.organisations_quoted
        return next((name for start, name in quoted if start > at), None)

    def _publisher(self, subject: Token, at: int) -> str | None:
        """ "The report said": the organisation it speaks for, when the article makes it plain.

        A definite document ("the report", "the letter") is the latest
        organisation quoted before it; an indefinite one ("a report says", a
        lead) is the organisation quoted next, within the following two sentences.
        """
        if subject.tag_ in ("NNS", "NNPS") or any(
            c.dep_ == "poss" and c.lower_ not in ("its", "their") for c in subject.children
        ):
            return None  # "Butler's report", "the reports": someone else's, or many
        indefinite = any(c.lower_ in _INDEFINITE for c in subject.children)
        if not indefinite and (latest := self._latest("ORG")) is not None:
            return latest
        sentence = subject.sent
        limit = sentence.end
        for _ in range(2):
            if limit >= len(self.doc):
                break
            limit = self.doc[limit].sent.end
        horizon = self.doc[limit - 1].idx if limit > 0 else at
        for start, name in self.organisations_quoted:
            if at < start <= horizon:
                return name
        return None

    def _organisation_in(self, start: int, end: int) -> EntityMention | None:
        """The organisation named inside a mention ("a Labour Party spokesman").

        One the model did not tag counts too when the mention names it as what
        the speaker speaks for ("a spokesman for Unison") or as the name after
        its description ("Telecom analysts Ovum").
        """
        inside = [e for e in self.named if start <= e.start and e.end <= end]
        found = next((e for e in inside if e.label == "ORG"), None)
        if found is not None:
            return found
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        head = span.root
        named = [
            grand
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ in ("for", "at", "from", "of")
            for grand in prep.children
            if grand.dep_ == "pobj"
        ]
        if head.pos_ == "PROPN" and head.i > span.start and not span[0].is_sent_start:
            named.append(head)  # "Internet service provider Plus.net"
        for token in named:
            words = [
                t
                for t in token.subtree
                if t.i <= token.i and t.dep_ not in ("det", "poss", "case", "punct")
            ]
            words = [t for t in words if t.i >= token.left_edge.i and t.i > head.i or t is token]
            if not words or not (words[0].text[:1].isupper() or token.pos_ == "PROPN"):
                continue
            begin, finish = words[0].idx, token.idx + len(token)
            text = doc_text(self.doc)[begin:finish]
            return EntityMention(begin, finish, text, "ORG", text)
        return None

    def _genders(self) -> dict[str, str]:
        """ "he"/"she" for the people whose courtesy title says so ("Mr Blair", "Ms Hewitt")."""
        found: dict[str, str] = {}
        for entity in self.named:
            if entity.label != "PERSON":
                continue
            words = doc_text(self.doc)[max(0, entity.start - 12) : entity.start].split()
            words = words[-1:] + entity.text.split()[:1]
            for word in words:
                gender = _TITLE_GENDER.get(names.title_key(word))
                if gender:
                    found.setdefault(self._canonical(entity), gender)
        return found

    def _recent_subject(
        self, pronoun: Token, gender: str | None, *, label: str = "PERSON"
    ) -> str | None:
        """The person a "he"/"she" most likely is: the nearest main-clause subject naming one.

        Looks back over the pronoun's sentence (outside quotation marks) and the
        two before it; a person whose title or earlier pronoun says otherwise is
        skipped. ``None`` when no sentence that close has a person as subject.
        """
        sentence = pronoun.sent
        sentences = [sentence]
        while len(sentences) < 3 and sentences[-1].start > 0:
            sentences.append(self.doc[sentences[-1].start - 1].sent)
        text = doc_text(self.doc)
        other = _OTHER_PRONOUN.get(gender or "")
        for sent in sentences:
            limit = pronoun.idx if sent is sentence else sent.end_char
            people = [
                e
                for e in self.named
                if e.label == label and sent.start_char <= e.start and e.end <= limit
            ]
            for entity in reversed(people):
                span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
                if span is None or not _main_subject(span.root):
                    continue
                if sum(text.count(q, sent.start_char, entity.start) for q in '"“”') % 2:
                    continue  # inside a quotation: the quoted speaker's words
                name = self._canonical(entity)
                if other and (
                    self.gender.get(name) == other or other in self.pronouns.get(name, set())
                ):
                    continue
                return name
        return None

    def _preceding_entity(self, at: int, label: str) -> str | None:
        """The latest earlier entity with that label, preferring one that is a subject."""
        earlier = [e for e in self.named if e.end <= at and e.label == label]
        for entity in reversed(earlier):
            span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                return self._canonical(entity)
        return self._canonical(earlier[-1]) if earlier else None

    def resolve(
        self, subject: Token | None, *, mention: tuple[int, int] | None = None, at: int
    ) -> tuple[str | None, str | None, str | None]:
        """``(speaker, role, speaker_type)`` for a quote whose subject (head) is ``subject``."""
        if subject is None:
            return None, None, None
        bounds = mention or mention_span(subject)
        antecedent = _antecedent(subject)
        if antecedent is not None:
            # "an architect who said": the mention is "who", the speaker the architect.
            subject, bounds = antecedent, mention_span(antecedent)
        assert bounds is not None
        start, end = bounds
        text = doc_text(self.doc)[start:end]
        lower = subject.lower_
        entity = self._entity_at(start, end, head=subject)
        if entity is None and subject.pos_ == "PROPN":
            entity = self._name_after(end)
            if entity is not None:
                # "Deputy Minister for the Development of ... Jane Doe": the parse
                # cut the mention before the name; it runs on to it.
                end = entity.end
                text = doc_text(self.doc)[start:end]
        if entity is None and subject.pos_ == "PROPN" and subject.lower_ not in role_words():
            entity = self._untagged_name(subject, start, end)
        if entity is None and subject.pos_ in ("NOUN", "PROPN"):
            # "The shadow education secretary, Tim Collins, said": the name in apposition.
            entity = self._appositive_name(subject)
        group = self.view.at(subject.i)
        if entity is None and group is not None and _named_group(subject, group):
            # "The Tories said": a party or group named by its members, speaking as one.
            first = subject
            while (
                first.i > 0
                and self.doc[first.i - 1].text[:1].isupper()
                and any(
                    c.i == first.i - 1 and c.dep_ in ("compound", "amod") for c in subject.children
                )
            ):
                first = self.doc[first.i - 1]  # "the Liberal Democrats"
            name = doc_text(self.doc)[first.idx : group.end_char]
            entity = EntityMention(first.idx, group.end_char, name, "ORG", name)
            self.groups.add(name)
        speaker: str | None = None
        label = "PERSON"
        role: str | None = None
        if entity is not None:
            # "Moscow said": a country or capital speaks for its government.
            speaker = self._canonical(entity)
            label = "PERSON" if entity.label == "PERSON" else "ORG"
            described = self._description(start, end, entity, subject) or _apposition(subject)
            if described:
                self.describe(speaker, described, person=entity.label == "PERSON")
            elif entity.label == "GPE":
                # "Moscow said" is Russia speaking: a capital stands for its country.
                match = countries.lookup(entity.text)
                if match is not None and match.via in ("name", "capital"):
                    speaker = match.country
                self.describe(speaker, GOVERNMENT_ROLE)
        elif lower in _PERSON_PRONOUNS:
            gender = _GENDERED.get(lower)
            speaker = self._recent_subject(subject, gender) if gender else None
            if speaker is None and gender and self._spokesperson_last():
                # '..., a spokeswoman for the commission said. She added ...': the
                # spokeswoman goes on speaking for the organisation.
                speaker, label = self.history[-1][0], "ORG"
            speaker = (
                speaker
                or self._latest("PERSON", pronoun=gender)
                or self._preceding_entity(at, "PERSON")
                or (
                    self._quoted_next(at, "PERSON")
                    if _in_lead(subject) and not _described_before(subject)
                    else None
                )
            )
            if speaker is not None and lower in _GENDERED and label == "PERSON":
                self.pronouns.setdefault(speaker, set()).add(_GENDERED[lower])
        elif lower == "it":
            speaker = self._recent_subject(subject, None, label="ORG") or self._latest("ORG")
            label = "ORG"
        elif lower in _GROUP_PRONOUNS:
            speaker = self._latest("ORG")
            label = "ORG"
        elif (titled := self._titled_person(text)) is not None:
            speaker = titled  # "Mr Balls": the surname of Ed Balls, named elsewhere
        elif _speaks_for_organisation(subject) and (org := self._organisation_in(start, end)):
            # "A Rosneft spokesman said", "Reuters news agency reported": the organisation.
            speaker, label = self._canonical(org), "ORG"
            self.describe(speaker, text, person=False)
            if subject.lemma_.lower() in _SPOKES:
                self.spokesperson_at = len(self.history)
        elif (
            subject.lemma_.lower() in _SPOKES
            and self.history
            and self.history[-1][1] == "ORG"
            and not any(c.dep_ in ("compound", "amod", "nmod", "prep") for c in subject.children)
        ):
            # 'AOL backed the cuts. "...," a spokesman said': the organisation just quoted.
            speaker, label = self.history[-1][0], "ORG"
            self.spokesperson_at = len(self.history)
        elif subject.lemma_.lower() in document_nouns() and (
            published := self._publisher(subject, at)
        ):
            speaker, label = published, "ORG"  # "the report said": who published it
        elif (
            subject.lemma_.lower() in _SPOKES
            and any(c.lower_ == "the" for c in subject.children)
            and (spoke := self._latest("ORG", subject.lemma_.lower()))
        ):
            speaker, label = spoke, "ORG"  # "the spokesman" again: the organisation's
        elif subject.lemma_.lower() in org_nouns() and subject.tag_ not in ("NNS", "NNPS"):
            speaker = self._nominal_org(subject)  # "the bank said": the bank named before
            label = "ORG"
        elif (
            subject.pos_ == "NOUN"
            or (subject.pos_ in ("PROPN", "ADJ") and subject.text.islower())
            or (subject.pos_ == "PROPN" and subject.lower_ in role_words())  # "The Chancellor"
        ):
            speaker = self._nominal(subject) or self._introduced_next(subject)
            if speaker is not None:
                self.nominals.setdefault(self._nominal_key(subject), speaker)
                # "the prime minister" said it: a role, but not evidence to match on.
                self.fallback_roles.setdefault(speaker, role_text(text) or text)
            else:
                role = text
        if speaker is None:
            kind = speaker_type_of(text) or ("other" if text else None)
            if role is None and subject.pos_ in ("NOUN", "PROPN"):
                role = _without_article(text)  # "the US Secretary of State": all we know
            return None, role, kind
        role = self.role_of(speaker)
        self.history.append((speaker, label))
        if label == "ORG" and role == GOVERNMENT_ROLE:
            kind = "official"  # "India said": the country's government, an official voice
        elif label == "ORG":
            kind = "organization"
        else:
            kind = speaker_type_of(role or "") or speaker_type_of(text) or "other"
        return speaker, role, kind

    def _description(
        self, start: int, end: int, entity: EntityMention, subject: Token
    ) -> str | None:
        """The mention's words outside the name, plus an apposition: how the text describes them."""
        parts = []
        before = doc_text(self.doc)[start : entity.start].strip(" ,")
        after = doc_text(self.doc)[entity.end : end]
        # Words after a name describe it only as an apposition ("Jane Doe, an economist").
        after = after.strip(" ,") if after.lstrip(" ").startswith((",", "(")) else ""
        last = self.doc.char_span(start, entity.start, alignment_mode="contract")
        words = [t for t in last or () if t.is_alpha]
        if words and words[-1].tag_ in _NOT_A_TITLE_END:
            # "Blair moves to woo Jewish voters Tony Blair": a headline run into the
            # body, not a title (a title before a name ends in a singular noun).
            before = ""
        for part in (before, after):
            if part and any(ch.isalpha() for ch in part):
                parts.append(part)
        text = " ".join(parts)
        for prefix in ("the ", "The ", "a ", "A ", "an ", "An "):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        if text.endswith("’s") or text.endswith("'s"):
            return None
        return text or None


# --- the speaker path of a quote -------------------------------------------------

# A bare quotation inherits the previous quote's speaker only this close after it
# (characters): '"...," she said.\n\n"..."'.
MAX_CONTINUATION_GAP = 120
_TRIM = " \t\n,;:—–-"


@dataclass(frozen=True, slots=True)
class Found:
    """A quote as the rules found it, with its candidate source.

    ``subject`` is the head of the source phrase the parse gives, ``mention``
    its bounds when the rule knows them better than the parse, ``sourceless``
    that the rule found no source on purpose ("it is expected that ...").
    """

    start: int
    end: int
    kind: QuoteKind
    cue: Span | None
    subject: Token | None
    mention: tuple[int, int] | None = None
    sourceless: bool = False
    rule: str = ""  # the name of the quote rule that found it


def _past_dateline(found: Found) -> Found:
    """A wire dateline is not a speaker: 'WASHINGTON -- President Obama, ..., said'.

    The parse makes the capitalised place opening a line the subject, with the
    speaker as an apposition after the dateline; that apposition is the subject
    then (its mention cut to start after the dash), and with none the quote has
    no parsed subject (the chooser and carried speakers decide).
    """
    subject = found.subject
    if subject is None or found.mention is not None:
        return found
    end = _dateline_end(subject)
    if end is None:
        return found
    after = [c for c in subject.children if c.dep_ == "appos" and c.idx >= end]
    if not after:
        return dataclasses.replace(found, subject=None)
    bounds = mention_span(after[0])
    mention = (max(bounds[0], end), bounds[1]) if bounds else None
    return dataclasses.replace(found, subject=after[0], mention=mention)


def _dateline_end(token: Token) -> int | None:
    """Where the dateline ends when the token is one of its words, else None."""
    if not token.text.isupper() or len(token.text) < 2:
        return None
    text = doc_text(token.doc)
    line = text.rfind("\n", 0, token.idx) + 1
    lead = text[line : token.idx].strip(" \t")
    if lead and not lead.isupper():
        return None
    end = wire.dateline_end(text, line)
    if end is None or token.idx + len(token.text) > end:
        return None
    return end


def attribute(
    view: EntityView,
    found: Sequence[Found],
    *,
    model: confidence.ConfidenceModel | None = None,
) -> tuple[Quote, ...]:
    """Each found quote with its speaker: mention as written, who it is, role and type.

    The quotes of :func:`attribute_facts`, each with its confidence
    (:mod:`claimscope.confidence`); reported speech below the model's threshold is
    left out. A direct quote is always kept: its words are on record even when
    its source is uncertain.
    """
    model = model or confidence.load_model()
    kept = []
    for quote, facts in attribute_facts(view, found):
        if model is not None:
            probability = model.probability(facts)
            if probability < model.threshold and quote.kind != "direct":
                continue
            quote = dataclasses.replace(quote, confidence=round(probability, 3))
        kept.append(quote)
    return tuple(kept)


def attribute_facts(
    view: EntityView, found: Sequence[Found]
) -> tuple[tuple[Quote, confidence.QuoteFacts], ...]:
    """Each found quote with its speaker, and what its confidence is computed from.

    The whole speaker path: the mention (the rule's, else the subject's noun
    phrase, grown to hold whole names), its resolution across the article
    (:class:`SpeakerResolver`), continuation quotations that carry the previous
    speaker on, and one role and type per speaker.
    """
    text = view.text
    found = [_past_dateline(f) for f in found]
    resolver = SpeakerResolver(view)
    with_subject = [f for f in found if f.subject is not None]
    subject_mentions = [f.mention or mention_span(f.subject) for f in with_subject]
    resolver.learn_roles(subject_mentions, [f.subject for f in with_subject])
    ranking = speaker_ranker.RankContext.build(view)
    # The sources of quotes with a cue, by where the quote starts.
    later_sources = [
        (f.start, bounds)
        for f, bounds in zip(with_subject, subject_mentions, strict=True)
        if f.cue is not None and bounds is not None
    ]
    quotes: list[Quote] = []
    made: list[tuple[Found, speaker_ranker.Choice | None]] = []
    previous: Quote | None = None
    for cand in found:
        if cand.start >= cand.end:
            continue
        choice: speaker_ranker.Choice | None = None
        mention = None if cand.sourceless else (cand.mention or mention_span(cand.subject))
        mention = _whole_names(_stripped(text, mention), resolver.named)
        if cand.cue is None and mention is None and not cand.sourceless:
            # 'Prentis criticised the plans. "..."': a person just made the subject.
            introduced = _introduced_speaker(view, cand.start, previous)
            if introduced is not None:
                mention = (introduced.start_char, introduced.end_char)
                cand = dataclasses.replace(cand, subject=view.span(introduced).root)
        if cand.cue is not None or previous is None:
            mention, cand, choice = _ranked_mention(
                ranking, cand, mention, resolver.named, previous
            )
        if cand.cue is None and mention is None and previous is not None:
            turn = _continuation(view, cand, previous)
            if turn is None:
                continue
            cand = dataclasses.replace(cand, start=turn[0], kind=turn[1])
            inherited = (previous.speaker_mention.start, previous.speaker_mention.end)
            mention, cand, choice = _ranked_mention(
                ranking, cand, inherited, resolver.named, previous
            )
            if mention != inherited and _introduces_later(mention, cand.end, later_sources):
                # '"...problem is." A spokeswoman for Royal Mail said: "We are ...': the
                # mention is the source of the quote its cue opens, not of this one.
                mention = inherited
            if mention == inherited:
                # The previous quote's speaker goes on (the chooser agrees).
                quote = dataclasses.replace(
                    previous, start=cand.start, end=cand.end, text=text[cand.start : cand.end]
                )
                quote = dataclasses.replace(quote, kind=cand.kind, cue=None, countries=())
                quotes.append(quote)
                made.append((cand, choice))
                previous = quote
                continue
        speaker, role, kind = resolver.resolve(
            cand.subject if mention else None, mention=mention, at=cand.start
        )
        quote = Quote(
            start=cand.start,
            end=cand.end,
            text=text[cand.start : cand.end],
            kind=cand.kind,
            cue=cand.cue,
            speaker_mention=Span(mention[0], mention[1], text[mention[0] : mention[1]])
            if mention
            else None,
            speaker=speaker,
            speaker_role=role,
            speaker_type=kind,
        )
        quotes.append(quote)
        made.append((cand, choice))
        previous = quote
    final = _consistent_speakers(quotes, resolver)
    return tuple(
        (quote, _facts(view, cand, quote, choice))
        for quote, (cand, choice) in zip(final, made, strict=True)
    )


def _facts(
    view: EntityView, cand: Found, quote: Quote, choice: speaker_ranker.Choice | None
) -> confidence.QuoteFacts:
    """What :mod:`claimscope.confidence` reads of a quote."""
    doc = view.doc
    cue = None
    if quote.cue is not None:
        span = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        cue = span.root if span is not None and len(span) else None
    mention = quote.speaker_mention
    head = (
        speaker_ranker.mention_head(doc, (mention.start, mention.end))
        if mention is not None
        else None
    )
    side = None
    if quote.cue is not None:
        side = (
            "before"
            if quote.cue.end <= quote.start
            else "after"
            if quote.cue.start >= quote.end
            else "inside"
        )
    return confidence.QuoteFacts(
        rule=cand.rule,
        kind=quote.kind,
        cue_lemma=cue.lemma_.lower() if cue is not None else None,
        cue_pos=cue.pos_ if cue is not None else None,
        cue_dep=cue.dep_ if cue is not None else None,
        cue_precision=speaker_ranker.cue_precisions().get((cue.lemma_.lower(), cue.pos_))
        if cue is not None
        else None,
        cue_side=side,
        mention_pos=head.pos_ if head is not None else None,
        mention_tag=head.tag_ if head is not None else None,
        mention_label=(view.label(head) or "none") if head is not None else None,
        named=quote.speaker is not None,
        speaker_type=quote.speaker_type,
        words=len(quote.text.split()),
        marks=sum(quote.text.count(mark) for mark in '"“”'),
        sourceless=cand.sourceless,
        choice=choice,
    )


def _introduces_later(
    mention: tuple[int, int] | None,
    end: int,
    sources: Sequence[tuple[int, tuple[int, int]]],
) -> bool:
    """Whether a mention after a quotation is the source of a later quote with a cue."""
    if mention is None or mention[0] < end:
        return False
    return any(
        start >= end and bounds[0] < mention[1] and mention[0] < bounds[1]
        for start, bounds in sources
    )


def _introduced_speaker(view: EntityView, start: int, previous: Quote | None) -> ViewEntity | None:
    """The person a bare quotation follows on from, when the text just introduced one.

    'Prentis criticised the plans. "..."' or 'Prentis was scathing: "..."': the
    main-clause subject of the sentence before the quotation (or of its own
    sentence, before it) is a named person other than the previous speaker.
    """
    doc, text = view.doc, view.text
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    if text[sent.start_char : start].strip(" \t\"“”'‘") == "":
        if sent.start == 0:
            return None
        sent = doc[sent.start - 1].sent
        limit = sent.end_char
    else:
        limit = start
    if "\n" in text[sent.start_char : start] and sent.end_char <= start:
        return None  # a paragraph break between: no longer the same turn
    people = [
        e
        for e in view
        if e.label == "PERSON" and sent.start_char <= e.start_char and e.end_char <= limit
    ]
    for entity in reversed(people):
        if not _main_subject(view.span(entity).root):
            continue
        if sum(text.count(q, sent.start_char, entity.start_char) for q in '"“”') % 2:
            continue
        if previous is not None and previous.speaker in (entity.canonical, entity.text):
            return None  # the same speaker goes on: the continuation rule has it
        return entity
    return None


def _ranked_mention(
    ranking: speaker_ranker.RankContext,
    cand: Found,
    mention: tuple[int, int] | None,
    named: Sequence[EntityMention],
    previous: Quote | None = None,
) -> tuple[tuple[int, int] | None, Found, speaker_ranker.Choice]:
    """The learned chooser's mention for a quote (``speaker_ranker``), the quote with
    that mention's head as its subject, and the chooser's answer; the rules' choice
    stands unless the model scores another candidate clearly higher."""
    choice = speaker_ranker.choose(
        ranking,
        (cand.start, cand.end),
        cand.cue,
        mention,
        kind=cand.kind,
        previous=_speaker_bounds(previous),
    )
    chosen = choice.mention
    if chosen == mention:
        return mention, cand, choice
    if cand.cue is None and chosen is not None and cand.start <= chosen[0] < cand.end:
        # A quotation with no cue carries its speaker on from before; a name
        # inside its own words is what the speaker talks about.
        return mention, cand, dataclasses.replace(choice, mention=mention, overrode=False)
    chosen = _whole_names(_stripped(ranking.view.text, chosen), named)
    head = speaker_ranker.mention_head(ranking.doc, chosen)
    return chosen, dataclasses.replace(cand, subject=head), choice


def _speaker_bounds(quote: Quote | None) -> tuple[int, int] | None:
    """A quote's speaker mention as character bounds (None without one)."""
    if quote is None or quote.speaker_mention is None:
        return None
    return quote.speaker_mention.start, quote.speaker_mention.end


def _continuation(view: EntityView, cand: Found, previous: Quote) -> tuple[int, QuoteKind] | None:
    """Where a cue-less quotation that carries the previous speaker on starts, and its kind;
    None when it does not carry it on.

    Only right after it: with other text between, the guess is mostly wrong.
    """
    doc, text = view.doc, view.text
    close = cand.start - previous.end < MAX_CONTINUATION_GAP
    start, kind = cand.start, cand.kind
    if not close and previous.cue is not None:
        # '..., the expert recalled. Washington did not react because "it is
        # not a top visit."': a fragment in the sentence right after the
        # speaker's cue; its sentence is what the speaker says.
        after = max(previous.end, previous.cue.end)
        start = _fragment_sentence(doc, text, after, cand.start)
        between = text[after:start]
        lead = doc.char_span(start, cand.start, alignment_mode="contract")
        # "She gives credit ... because 'X'": someone else is in the sentence.
        other = lead is None or any(
            t.lower_ in PERSONAL_PRONOUNS or view.label(t) == "PERSON" for t in lead
        )
        close = (
            start < cand.start
            and not other
            and not any(ch.isalnum() or ch == "\n" for ch in between)
        )
        kind = "mixed" if close else kind
    if not (close and previous.speaker_mention):
        return None
    return start, kind


def _fragment_sentence(doc: Doc, text: str, after: int, quotation: int) -> int:
    """Where the sentence holding a quoted fragment starts (never before ``after``)."""
    span = doc.char_span(quotation, quotation + 1, alignment_mode="expand")
    if span is None:
        return quotation
    start = max(span.sent.start_char, after)
    while start < quotation and (text[start] in _TRIM or text[start] in ".!?"):
        start += 1
    return start


def _whole_names(
    bounds: tuple[int, int] | None, named: Sequence[EntityMention]
) -> tuple[int, int] | None:
    """A mention that cuts a name ("yeon" of "Kim So-yeon") grows to hold all of it."""
    if bounds is None:
        return None
    start, end = bounds
    for entity in named:
        if entity.label == "PERSON" and entity.start < end and start < entity.end:
            start, end = min(start, entity.start), max(end, entity.end)
    return start, end


def _stripped(text: str, bounds: tuple[int, int] | None) -> tuple[int, int] | None:
    """A speaker mention without surrounding whitespace (a headline's "expert" + blank line)."""
    if bounds is None:
        return None
    start, end = bounds
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _consistent_speakers(quotes: list[Quote], resolver: SpeakerResolver) -> list[Quote]:
    """One role and one type per speaker across the article ("she" is still the minister).

    The role is the most informative description the whole article gives; the
    type follows that role, else the types the quotes' mentions imply.
    """
    kinds: dict[str, Counter[str]] = {}
    first_roles: dict[str, str] = {}
    for quote in quotes:
        if quote.speaker is None:
            continue
        if quote.speaker_role:
            first_roles.setdefault(quote.speaker, quote.speaker_role)
        if quote.speaker_type and quote.speaker_type != "other":
            kinds.setdefault(quote.speaker, Counter())[quote.speaker_type] += 1
    result = []
    for quote in quotes:
        if quote.speaker is not None:
            role = resolver.role_of(quote.speaker) or first_roles.get(quote.speaker)
            counted = kinds.get(quote.speaker)
            if quote.speaker_type == "organization" or role == GOVERNMENT_ROLE:
                kind = quote.speaker_type
            else:
                kind = speaker_type_of(role or "") or (
                    counted.most_common(1)[0][0] if counted else quote.speaker_type
                )
                if kind == "organization":
                    kind = "official"  # a person described by their organisation speaks for it
            quote = dataclasses.replace(quote, speaker_role=role, speaker_type=kind)
        result.append(quote)
    return result
