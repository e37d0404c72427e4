"""The one entity view: built once per article, the only way any stage reads entities."""

from __future__ import annotations

import ast
from pathlib import Path

import spacy
from spacy.tokens import Doc

from claimscope import entities, quotes, speakers
from claimscope.view import (
    EntityView,
    ViewEntity,
    doc_memo,
    doc_sentences,
    doc_text,
    doc_tokens,
    forget,
    lower_words,
)

LIB = Path(entities.__file__).resolve().parent
# The model's raw entity attributes: only the entity stage's repair reads them.
RAW_ENTITY_ATTRIBUTES = frozenset({"ents", "ent_type", "ent_type_", "ent_iob", "ent_iob_"})


def _raw_entity_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno} .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in RAW_ENTITY_ATTRIBUTES
    ]


def test_no_stage_reads_the_model_entities_after_the_repair() -> None:
    reads = [
        read
        for path in sorted(LIB.glob("*.py"))
        if path.name != "entities.py"
        for read in _raw_entity_reads(path)
    ]
    assert reads == []


def test_the_entity_stage_reads_doc_ents_in_its_repair_only() -> None:
    reads = _raw_entity_reads(LIB / "entities.py")
    assert len(reads) == 1 and reads[0].endswith(".ents")


def test_quotes_hand_the_whole_speaker_path_to_the_speakers_module() -> None:
    tree = ast.parse((LIB / "quotes.py").read_text(encoding="utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "speakers"
    }
    assert used == {"Found", "attribute"}


def test_quote_rules_are_declared_in_priority_order() -> None:
    names = [rule.name for tier in quotes.QUOTE_RULES for rule in tier.rules]
    assert names == [
        "cue",
        "declaration",
        "impersonal stance",
        "according to",
        "colon label",
        "stance adjective",
        "finding",
        "bare quotation",
        "raising verb",
        "mined relation",
    ]
    assert [tier.merge for tier in quotes.QUOTE_RULES] == [True, False, False, False, False, False]


def _blank_doc(words: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words)


def test_view_answers_labels_by_token_and_entities_by_character() -> None:
    doc = _blank_doc(["Jane", "Doe", "met", "the", "IMF", "."])
    text = doc_text(doc)
    jane = ViewEntity(0, 2, 0, 8, text[0:8], "PERSON", "Jane Doe")
    imf = ViewEntity(4, 5, 18, 21, text[18:21], "ORG", "IMF")
    view = EntityView.build(doc, (imf, jane))
    assert [e.canonical for e in view] == ["Jane Doe", "IMF"]
    assert view.label(1) == "PERSON" and view.label(doc[4]) == "ORG" and view.label(2) == ""
    assert view.at(3) is None
    assert view.overlapping(5, 19) == [jane, imf]
    assert view.overlapping(9, 17) == []
    assert view.span(jane).text == "Jane Doe"
    assert view.mentions()[0].text == "Jane Doe"


def test_doc_text_is_the_docs_text_joined_once() -> None:
    doc = _blank_doc(["Hello", "world"])
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)


def test_pipeline_stages_agree_on_the_repaired_entities(nlp) -> None:
    text = (
        "The Valdai International Discussion Club Dmitry Razumovsky said on Monday that "
        "Lavrov's tour of Latin America was a success. Razumovsky added that BRICS matters."
    )
    doc = nlp(text)
    view = entities.build_view(doc)
    people = {e.canonical for e in view if e.label == "PERSON"}
    assert "Dmitry Razumovsky" in people
    assert entities.extract_entities(doc, view=view, aliases={}) == view.mentions()
    found = quotes.extract_quotes(doc, view=view)
    assert found and {q.speaker for q in found} == {"Dmitry Razumovsky"}
    assert speakers.SpeakerResolver(view).named == [
        e.mention() for e in view if e.label in ("PERSON", "ORG", "GPE")
    ]


def test_doc_tokens_are_made_once_and_are_the_docs_tokens() -> None:
    doc = Doc(spacy.blank("en").vocab, words=["Rain", "fell", "in", "Lima"])
    tokens = doc_tokens(doc)
    assert doc_tokens(doc) is tokens
    assert [(t.i, t.text) for t in tokens] == [(t.i, t.text) for t in doc]


def test_lower_words_are_the_all_lower_case_alphabetic_words() -> None:
    words = ["The", "rain", "in", "Lima", "fell", "2", "in-depth", "rain"]
    doc = Doc(spacy.blank("en").vocab, words=words)
    assert lower_words(doc) == {"rain", "in", "fell"}


def test_doc_sentences_give_each_token_its_sentence() -> None:
    words = ["It", "rained", ".", "Lima", "flooded", ".", "Then", "sun", "."]
    starts = [True, False, False, True, False, False, True, False, False]
    doc = Doc(spacy.blank("en").vocab, words=words, sent_starts=starts)
    sentences, sentence_of = doc_sentences(doc)
    assert [s.text for s in sentences] == ["It rained .", "Lima flooded .", "Then sun ."]
    assert sentence_of == (0, 0, 0, 1, 1, 1, 2, 2, 2)
    assert all(sentences[sentence_of[t.i]].start == t.sent.start for t in doc)


def test_forget_drops_every_memo_and_keeps_other_user_data() -> None:
    doc = Doc(spacy.blank("en").vocab, words=["Rain", "fell"])
    doc.user_data["someone.else"] = 1
    doc_text(doc), doc_tokens(doc), lower_words(doc)
    doc_memo(doc, "answers")[0] = "kept"
    forget(doc)
    assert doc.user_data == {"someone.else": 1}
    assert doc_memo(doc, "answers") == {}
