"""Country and region mentions resolved to ISO 3166 alpha-3.

PLACEHOLDER first version (being replaced).
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimscope.records import CountryMention, RegionMention


def find_countries(
    doc: Doc, *, skip: tuple[tuple[int, int], ...] = ()
) -> tuple[tuple[CountryMention, ...], tuple[RegionMention, ...]]:
    return (), ()
