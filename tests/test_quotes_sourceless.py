"""Constructions whose grammatical subject is not the source: the quote has no speaker."""

from __future__ import annotations

from spacy.language import Language

from claimscope import confidence, speaker_ranker
from claimscope.pipeline import analyze_text
from claimscope.records import Quote


def _quotes(text: str, nlp: Language) -> tuple[Quote, ...]:
    quotes = analyze_text(text, nlp).quotes
    for quote in quotes:
        assert quote.text == text[quote.start : quote.end]
    return quotes


def _quote_with(text: str, content: str, nlp: Language) -> Quote:
    quotes = _quotes(text, nlp)
    found = [q for q in quotes if q.text == content]
    assert found, [(q.text, q.cue) for q in quotes]
    return found[0]


def test_asked_whether_question_has_no_source_and_the_answer_has_the_answerer(
    nlp: Language, monkeypatch
) -> None:
    # The rules alone (the learned chooser off): the asker is not named.
    monkeypatch.setattr(speaker_ranker, "load_model", lambda: None)
    monkeypatch.setattr(confidence, "load_model", lambda: None)
    text = "Asked whether the mill would reopen, the mayor said that talks were going well."
    question = _quote_with(text, "whether the mill would reopen", nlp)
    assert question.cue is not None and question.cue.text == "Asked"
    assert question.speaker_mention is None and question.speaker is None
    answer = _quote_with(text, "that talks were going well", nlp)
    assert answer.speaker_mention is not None and answer.speaker_mention.text == "the mayor"


def test_asked_about_a_topic_is_a_sourceless_question(nlp: Language) -> None:
    text = "Asked about the closure of the mill, the mayor said that talks were going well."
    question = _quote_with(text, "about the closure of the mill", nlp)
    assert question.speaker_mention is None


def test_asked_if_clause_is_not_the_content_of_the_answer(nlp: Language) -> None:
    # The parse makes the question a clause of "said"; it is the question, not the answer.
    text = "Asked if he was ever bullied, the candidate said no."
    quotes = _quotes(text, nlp)
    assert not any(q.text.startswith("Asked") for q in quotes), [q.text for q in quotes]
    question = _quote_with(text, "if he was ever bullied", nlp)
    assert question.speaker_mention is None


def test_it_seems_that_clause_has_no_source_by_the_rules(nlp: Language, monkeypatch) -> None:
    # The rules alone (the learned chooser off): "it" of a raising verb is empty.
    monkeypatch.setattr(speaker_ranker, "load_model", lambda: None)
    monkeypatch.setattr(confidence, "load_model", lambda: None)
    quotes = _quotes("It seems the new bridge will not open before the winter.", nlp)
    assert quotes, "the hedge is a quote"
    assert all(q.speaker_mention is None for q in quotes), [q.speaker_mention for q in quotes]


def test_asked_to_do_something_is_the_question_not_the_answerers_claim(
    nlp: Language, monkeypatch
) -> None:
    monkeypatch.setattr(speaker_ranker, "load_model", lambda: None)
    monkeypatch.setattr(confidence, "load_model", lambda: None)
    text = "The mayor was asked to name the firms behind the new bridge."
    question = _quote_with(text, "to name the firms behind the new bridge", nlp)
    assert question.cue is not None and question.cue.text == "was asked"
    assert question.speaker_mention is None


def test_noun_cue_holder_after_from_is_the_source(nlp: Language, monkeypatch) -> None:
    monkeypatch.setattr(speaker_ranker, "load_model", lambda: None)
    monkeypatch.setattr(confidence, "load_model", lambda: None)
    text = "The vote came after complaints from farmers that the new tax was unfair."
    quote = _quote_with(text, "that the new tax was unfair", nlp)
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "farmers"
