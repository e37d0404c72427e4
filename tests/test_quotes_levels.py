"""Which cue and which mention own a quote when a sentence holds two levels of speech."""

from __future__ import annotations

from spacy.language import Language

from claimscope import entities
from claimscope.pipeline import analyze_text
from claimscope.quotes import find_candidates, quotation_spans


def _candidates(text: str, nlp: Language) -> list[tuple[str, str | None, str | None]]:
    """(content, cue, rule subject) of each candidate the rules keep."""
    view = entities.build_view(nlp(text))
    return [
        (
            text[c.start : c.end],
            c.cue.text if c.cue is not None else None,
            c.subject.text if c.subject is not None else None,
        )
        for c in find_candidates(view)
    ]


def test_object_control_verb_gives_its_infinitive_cue_to_the_object(nlp: Language) -> None:
    text = "The surprise defeat led the party chairman to declare that the campaign was over."
    assert _candidates(text, nlp) == [("that the campaign was over", "to declare", "chairman")]
    text = "The ruling left many farmers to wonder whether the subsidy would return."
    assert _candidates(text, nlp) == [("whether the subsidy would return", "to wonder", "farmers")]


def test_purpose_infinitive_keeps_the_subject_of_the_main_verb(nlp: Language) -> None:
    text = "The senator used the speech to argue that the tax would hurt farmers."
    assert _candidates(text, nlp) == [("that the tax would hurt farmers", "to argue", "senator")]


def test_closing_according_to_owns_the_speech_it_reports(nlp: Language) -> None:
    text = "Governor John Smith said he would veto the bill, according to two of his aides."
    # The source is the phrase headed by "two" ("two of his aides"), not the governor.
    assert _candidates(text, nlp) == [
        ("Governor John Smith said he would veto the bill", "according to", "two")
    ]


def test_according_to_inside_the_quoted_words_stays_the_quoted_speakers_source(
    nlp: Language,
) -> None:
    text = "Governor John Smith said the plant “will close, according to the company.”"
    assert _candidates(text, nlp) == [
        ("the plant “will close, according to the company.”", "said", "Smith")
    ]


def test_opening_according_to_leaves_a_named_persons_speech_to_the_person(
    nlp: Language,
) -> None:
    text = "According to the local newspaper, Governor John Smith said he would veto the bill."
    assert _candidates(text, nlp) == [("he would veto the bill", "said", "Smith")]


def test_transcript_label_after_an_opening_quote_mark_is_the_speaker(nlp: Language) -> None:
    # A transcript quoted paragraph by paragraph: each turn opens with a quote mark.
    text = (
        "The interview went on.\n\n"
        '"WALLACE: Governor, I do not want to interrupt you, but we have to move on.\n\n'
        '"PENCE: And that is why we will win this state in November.'
    )
    quotes = analyze_text(text, nlp).quotes
    assert [(q.text, q.speaker_mention.text if q.speaker_mention else None) for q in quotes] == [
        ("Governor, I do not want to interrupt you, but we have to move on", "WALLACE"),
        ("And that is why we will win this state in November", "PENCE"),
    ]


def test_opening_as_clause_attributes_the_main_clause_to_its_speaker(nlp: Language) -> None:
    text = "As the local newspaper reported on Monday, the governor vetoed the bill."
    assert _candidates(text, nlp) == [("the governor vetoed the bill", "reported", "newspaper")]
    text = "As reported by the local newspaper, the governor vetoed the bill."
    assert _candidates(text, nlp) == [("the governor vetoed the bill", "reported", "newspaper")]


def test_temporal_as_clause_without_a_speech_cue_attributes_nothing(nlp: Language) -> None:
    assert _candidates("As the governor spoke, protesters gathered outside.", nlp) == []


def test_made_it_clear_is_one_cue_over_the_inner_clause(nlp: Language) -> None:
    text = "The senator has made it clear that she expects the bill to fail."
    assert _candidates(text, nlp) == [
        ("that she expects the bill to fail", "made it clear", "senator")
    ]


def test_according_to_inside_a_quotation_leaves_the_quote_to_its_speaker(nlp: Language) -> None:
    text = (
        'The reporter said: "Well, according to the eyewitness, the fighting went on until '
        'dawn and the town is now quiet."'
    )
    ((content, cue, subject),) = _candidates(text, nlp)
    assert content.startswith('"Well, according to') and (cue, subject) == ("said", "reporter")


def test_quotation_spans_close_a_straight_opener_with_a_curly_closer() -> None:
    text = '"I do not think so,” Grassley said. "He said “no” twice," she wrote.'
    assert [text[s:e] for s, e in quotation_spans(text)] == [
        '"I do not think so,”',
        '"He said “no” twice,"',
    ]


def test_quotation_spans_take_an_opening_mark_after_a_word_as_a_closer() -> None:
    text = "“Apparently not,“ he said. “A leopard does not change its spots.”"
    assert [text[s:e] for s, e in quotation_spans(text)] == [
        "“Apparently not,“",
        "“A leopard does not change its spots.”",
    ]


def test_tag_after_a_mixed_mark_quotation_names_the_speaker(nlp: Language) -> None:
    text = (
        "The senator spoke to voters in Iowa.\n\n"
        '"I do not think the issue is getting the attention it needs,” Grassley said.'
    )
    (quote,) = analyze_text(text, nlp).quotes
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "Grassley"
