"""Named entities: spaCy's NER, repaired, with one canonical name per entity.

PLACEHOLDER first version (being replaced): spaCy's entities as found.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimscope.records import EntityMention


def extract_entities(doc: Doc, *, skip: tuple[tuple[int, int], ...] = ()) -> tuple[EntityMention, ...]:
    return tuple(
        EntityMention(ent.start_char, ent.end_char, ent.text, ent.label_, ent.text)
        for ent in doc.ents
        if not any(s <= ent.start_char < e for s, e in skip)
    )
