"""One repaired entity view per article, built once and read by every stage.

The small model's ``doc.ents`` are wrong in systematic ways (see
:mod:`claimscope.entities`). The entity stage repairs them once and returns an
:class:`EntityView`; the country, quote and speaker stages read entities only
through it, so all stages agree on what is a person, an organisation or a
place. No stage reads ``doc.ents`` or ``Token.ent_type_`` (a test enforces it).

The view also holds ``doc.text`` read once: spaCy joins every token on each
access of ``Doc.text``; and :func:`doc_tokens` makes the ``Token`` objects of
an article once: spaCy makes a new one on every iteration and every ``doc[i]``,
and the stages scan each article a dozen times.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimscope.records import EntityMention

if TYPE_CHECKING:  # annotations only: countries.py reads this module without spaCy
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True, slots=True)
class ViewEntity:
    """One repaired entity: token bounds, character bounds, label and canonical name.

    ``canonical`` is the rule-based canonical name (no user aliases: those are
    applied when stored data is read).
    """

    start: int  # first token
    end: int  # token after the last
    start_char: int
    end_char: int
    text: str
    label: str
    canonical: str

    def mention(self) -> EntityMention:
        return EntityMention(self.start_char, self.end_char, self.text, self.label, self.canonical)


@dataclass(frozen=True, slots=True)
class EntityView:
    """An article's repaired entities in text order, with lookups by token and character."""

    doc: Doc
    text: str
    entities: tuple[ViewEntity, ...]
    _by_token: dict[int, int] = field(repr=False, compare=False)
    _starts: tuple[int, ...] = field(repr=False, compare=False)

    @classmethod
    def build(
        cls, doc: Doc, entities: tuple[ViewEntity, ...], text: str | None = None
    ) -> EntityView:
        ordered = tuple(sorted(entities, key=lambda e: e.start))
        by_token = {i: n for n, ent in enumerate(ordered) for i in range(ent.start, ent.end)}
        return cls(
            doc=doc,
            text=doc_text(doc),
            entities=ordered,
            _by_token=by_token,
            _starts=tuple(e.start_char for e in ordered),
        )

    def __iter__(self) -> Iterator[ViewEntity]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def at(self, i: int) -> ViewEntity | None:
        """The entity holding token ``i``, if any."""
        n = self._by_token.get(i)
        return None if n is None else self.entities[n]

    def label(self, token: Token | int) -> str:
        """The entity label of a token (``""`` outside every entity): the view's ``ent_type_``."""
        ent = self.at(token if isinstance(token, int) else token.i)
        return "" if ent is None else ent.label

    def overlapping(self, start_char: int, end_char: int) -> list[ViewEntity]:
        """Entities overlapping the character span, in text order."""
        last = bisect_right(self._starts, end_char - 1)
        return [e for e in self.entities[:last] if e.end_char > start_char]

    def span(self, ent: ViewEntity) -> Span:
        """The entity as a spaCy span (for its root, sentence and neighbours)."""
        return self.doc[ent.start : ent.end]

    def mentions(self) -> tuple[EntityMention, ...]:
        """The entities as the contract's records."""
        return tuple(e.mention() for e in self.entities)


# Every memo kept in ``doc.user_data`` has a key with this prefix (see :func:`forget`).
_PREFIX = "claimscope."
_TEXT_KEY = _PREFIX + "text"
_TOKENS_KEY = _PREFIX + "tokens"
_LOWER_WORDS_KEY = _PREFIX + "lower_words"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document and kept in its ``user_data``.

    spaCy joins every token on each access of ``Doc.text``; token-level helpers
    that only hold a ``Token`` read the text through this.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def doc_tokens(doc: Doc) -> tuple[Token, ...]:
    """The document's tokens, made once and kept in its ``user_data`` (see :func:`forget`).

    Scanning ``doc`` makes a new ``Token`` object per token each time; the
    stages scan every article about fifteen times.
    """
    tokens = doc.user_data.get(_TOKENS_KEY)
    if tokens is None:
        tokens = doc.user_data[_TOKENS_KEY] = tuple(doc)
    return tokens


def lower_words(doc: Doc) -> frozenset[str]:
    """The article's all-lower-case alphabetic words: a capitalised word found among
    them elsewhere is an ordinary word at a sentence start, not a name."""
    found = doc.user_data.get(_LOWER_WORDS_KEY)
    if found is None:
        words = (t.text for t in doc_tokens(doc))
        found = doc.user_data[_LOWER_WORDS_KEY] = frozenset(
            w for w in words if w.isalpha() and w.islower()
        )
    return found


def doc_sentences(doc: Doc) -> tuple[tuple[Span, ...], tuple[int, ...]]:
    """The document's sentences, and for each token the index of its sentence among them.

    ``Token.sent`` walks the sentence on every call; this is done once per article.
    """
    memo = doc_memo(doc, "sentences")
    if "sentences" not in memo:
        sentences = tuple(doc.sents)
        index = [0] * len(doc)
        for number, sent in enumerate(sentences):
            index[sent.start : sent.end] = [number] * (sent.end - sent.start)
        memo["sentences"] = (sentences, tuple(index))
    return memo["sentences"]


def doc_memo(doc: Doc, name: str) -> dict:
    """A dictionary kept with the document, for a pure function of it to remember
    its answers by (e.g. a token index -> the answer): the article is scanned by
    many rules and many quotes, and the memo dies with the article (see :func:`forget`)."""
    return doc.user_data.setdefault(_PREFIX + name, {})


def forget(doc: Doc) -> None:
    """Drop every memo kept in ``doc.user_data`` (tokens refer back to the document:
    without this, a parsed article waits for the cycle collector)."""
    for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith(_PREFIX)]:
        del doc.user_data[key]
