"""Country mentions scored on the annotated place sample (``tests/data/places_sample.json``).

The sample has short passages written for it (US and Canadian towns, London
boroughs, "U.S.-led", people and companies named like countries) and eleven BBC
articles annotated by reading, stored as offsets and the sha1 of each text only.
A predicted mention is right when it overlaps a gold mention of the same country.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from spacy.language import Language

from claimscope import wire
from claimscope.countries import find_countries
from claimscope.read import read_paths
from claimscope.records import Document
from conftest import BBC_TEST_CSV, require

SAMPLE = Path(__file__).parent / "data" / "places_sample.json"

# Floors a change must keep; measured: passages P 1.000 R 0.885, BBC P 1.000 R 0.969.
PASSAGE_FLOOR = {"precision": 0.95, "recall": 0.85}
BBC_FLOOR = {"precision": 0.95, "recall": 0.93}

Gold = list[tuple[int, int, str]]


@dataclass(frozen=True)
class Score:
    gold: int
    found: int
    right_found: int
    gold_found: int

    @property
    def precision(self) -> float:
        return self.right_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, int, int, int]:
        return (self.gold, self.found, self.right_found, self.gold_found)


def score(gold: Gold, found: Gold) -> Score:
    """Overlap-and-same-country matching, counted on both sides."""

    def hit(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
        return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]

    return Score(
        gold=len(gold),
        found=len(found),
        right_found=sum(any(hit(f, g) for g in gold) for f in found),
        gold_found=sum(any(hit(g, f) for f in found) for g in gold),
    )


def predict(nlp: Language, text: str) -> Gold:
    """What the country stage finds, with the wire dateline as metadata (as the pipeline does)."""
    span = wire.wire_metadata(text).dateline_span
    found, _ = find_countries(nlp(text), skip=(span,) if span else ())
    return [(m.start, m.end, m.iso3) for m in found]


def _as_gold(rows: list[list]) -> Gold:
    return [(int(s), int(e), str(iso3)) for s, e, iso3 in rows]


@pytest.fixture(scope="module")
def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_place_sample_passages_score_above_floor(nlp: Language, sample: dict) -> None:
    total = Score(0, 0, 0, 0)
    misses = []
    for passage in sample["passages"]:
        gold = _as_gold(passage["mentions"])
        found = predict(nlp, passage["text"])
        total += score(gold, found)
        text = passage["text"]
        misses += [
            f"{passage['id']}: -{text[s:e]} {i}"
            for s, e, i in gold
            if not score([(s, e, i)], found).gold_found
        ]
        misses += [
            f"{passage['id']}: +{text[s:e]} {i}"
            for s, e, i in found
            if not score(gold, [(s, e, i)]).right_found
        ]
    print(
        f"\npassages: {total.gold} gold, {total.found} found; "
        f"P {total.precision:.3f} R {total.recall:.3f}\n  " + "\n  ".join(misses)
    )
    assert total.precision >= PASSAGE_FLOOR["precision"], misses
    assert total.recall >= PASSAGE_FLOOR["recall"], misses


def test_place_sample_bbc_articles_score_above_floor(nlp: Language, sample: dict) -> None:
    path = require(BBC_TEST_CSV)
    rows = {a["row"]: a for a in sample["bbc"]["articles"]}
    texts = {
        int(doc.path.rsplit("#", 1)[1]): doc.text
        for doc in read_paths([path])
        if isinstance(doc, Document) and int(doc.path.rsplit("#", 1)[1]) in rows
    }
    total = Score(0, 0, 0, 0)
    misses = []
    for row, article in rows.items():
        text = texts[row]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == article["sha1"], row
        gold = _as_gold(article["mentions"])
        found = predict(nlp, text)
        total += score(gold, found)
        misses += [
            f"#{row}: -{text[s:e]} {i}"
            for s, e, i in gold
            if not score([(s, e, i)], found).gold_found
        ]
        misses += [
            f"#{row}: +{text[s:e]} {i}"
            for s, e, i in found
            if not score(gold, [(s, e, i)]).right_found
        ]
    print(
        f"\nbbc: {len(rows)} articles, {total.gold} gold, {total.found} found; "
        f"P {total.precision:.3f} R {total.recall:.3f}\n  " + "\n  ".join(misses)
    )
    assert total.precision >= BBC_FLOOR["precision"], misses
    assert total.recall >= BBC_FLOOR["recall"], misses
