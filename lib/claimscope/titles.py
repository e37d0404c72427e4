"""Title phrases before a name ("Deputy Minister of Mining and Heavy Industry Jane Doe").

One walk and one set of glue words for every stage that reads titles: the
entity repair (a name after a title is a person) and the speaker path (the
title is the speaker's role; a title mention runs on to the name after it).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

# Lower-case words inside a title phrase ("Minister of Mining and Heavy Industry").
GLUE = frozenset({"of", "for", "and", "the", "on", "&", "-"})
# Longest title phrase walked, in tokens.
MAX_TOKENS = 16


def is_glue(token: Token | str) -> bool:
    """A word that joins the parts of a title ("of", "and", "&")."""
    return (token if isinstance(token, str) else token.lower_) in GLUE


def is_capitalised(token: Token) -> bool:
    """A capitalised word (not a whole-word capital like "A" opening a sentence is excluded)."""
    return token.is_alpha and token.text[:1].isupper()


def walk_back(doc: Doc, start: int) -> Iterator[Token]:
    """The tokens before token ``start``, nearest first, within its sentence and
    at most :data:`MAX_TOKENS` away: the stretch a title phrase can occupy."""
    i = start - 1
    sent_start = doc[start].sent.start if start < len(doc) else 0
    while i >= max(sent_start, start - MAX_TOKENS):
        yield doc[i]
        i -= 1
