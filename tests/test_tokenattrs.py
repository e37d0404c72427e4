"""The memoised attribute ruler and lemmatizer give the stock components' attributes."""

from __future__ import annotations

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language

from claimscope import nlp as nlp_stage
from claimscope import tokenattrs
from conftest import SAMPLE_ARTICLES, require

TRICKY = [
    "He ain't gonna go. Let's see: I gotta run, don't you? Whaddya think? Y'all can't.",
    "Gon na be fine , wan na bet ? Lemme see ... they 're n't here.",
    "  \n\n Leading spaces, a tab\there, and \u00a0odd\u00a0spaces. ",
    "",
    "OK",
]
COLUMNS = [POS, TAG, DEP, HEAD, MORPH, LEMMA]


@pytest.fixture(scope="module")
def stock() -> Language:
    return nlp_stage.load(fast=False)


def _attributes(doc) -> list[tuple]:  # noqa: ANN001 - a spaCy Doc
    return [(t.text, t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in doc]


def test_the_default_pipeline_uses_the_memoised_component(nlp: Language) -> None:
    assert tokenattrs.TOKEN_ATTRIBUTES in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(nlp.disabled)


def test_attributes_equal_the_stock_components_on_every_sample(
    nlp: Language, stock: Language
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(require(SAMPLE_ARTICLES).glob("*.txt"))]
    texts += TRICKY
    # Twice: the second pass reads the memo the first one filled.
    for _ in range(2):
        for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts), strict=True):
            assert _attributes(ours) == _attributes(theirs)
            assert (ours.to_array(COLUMNS) == theirs.to_array(COLUMNS)).all()


def test_multi_token_rules_still_apply(nlp: Language) -> None:
    doc = nlp("We are gonna win and you ain't.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["ai"] == "be"


def test_a_pipeline_without_the_stock_components_is_left_alone() -> None:
    import spacy

    blank = spacy.blank("en")
    assert tokenattrs.replace_components(blank) is False
    assert blank.pipe_names == []
