"""Quotes (direct, indirect, mixed) with cue and speaker.

PLACEHOLDER first version (being replaced).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from claimscope.records import EntityMention, Quote


def extract_quotes(doc: Doc, *, entities: Sequence[EntityMention] = ()) -> tuple[Quote, ...]:
    return ()
