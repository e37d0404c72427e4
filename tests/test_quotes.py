"""Quote extraction and speaker attribution on short original sentences and the TASS sample."""

from __future__ import annotations

from spacy.language import Language

from claimscope import confidence, speaker_ranker
from claimscope.pipeline import analyze_text
from claimscope.quotes import _speech_tag, extract_quotes, quotation_spans
from claimscope.records import Quote


def _quotes(text: str, nlp: Language) -> tuple[Quote, ...]:
    quotes = analyze_text(text, nlp).quotes
    for quote in quotes:
        assert quote.text == text[quote.start : quote.end]
        for span in (quote.cue, quote.speaker_mention):
            assert span is None or span.text == text[span.start : span.end]
    return quotes


def _only(text: str, nlp: Language) -> Quote:
    quotes = _quotes(text, nlp)
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_quotation_spans_pair_curly_straight_and_guillemets() -> None:
    text = 'He said “one two” and "three four" and «five six».'
    assert [text[s:e] for s, e in quotation_spans(text)] == [
        "“one two”",
        '"three four"',
        "«five six»",
    ]


def test_quotation_spans_keep_nested_quotes_and_reversed_openers_inside() -> None:
    text = "”We said “no” twice,” she wrote. ''Archive marks,'' he said."
    assert [text[s:e] for s, e in quotation_spans(text)] == [
        "”We said “no” twice,”",
        "''Archive marks,''",
    ]


def test_quotation_spans_close_an_open_quote_at_the_paragraph_end() -> None:
    text = '"First paragraph of a long quote.\n\n"Second paragraph ends it."'
    assert [text[s:e] for s, e in quotation_spans(text)] == [
        '"First paragraph of a long quote.',
        '"Second paragraph ends it."',
    ]


def test_quotes_reported_speech_keeps_that_and_drops_final_period(nlp: Language) -> None:
    quote = _only("The farmer said that the harvest would be poor this year.", nlp)
    assert quote.text == "that the harvest would be poor this year"
    assert quote.kind == "indirect"
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "The farmer"


def test_quotes_inverted_cue_after_content(nlp: Language) -> None:
    quote = _only("The bridge will reopen in March, the mayor of Leeds announced.", nlp)
    assert quote.text == "The bridge will reopen in March"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "the mayor of Leeds"
    assert quote.speaker_type == "official"


def test_quotes_direct_quote_includes_marks_and_names_speaker(nlp: Language) -> None:
    quote = _only('"We will not raise taxes this year," Anna Keller told reporters.', nlp)
    assert quote.text == '"We will not raise taxes this year,"'
    assert quote.kind == "direct"
    assert quote.speaker == "Anna Keller"


def test_quotes_direct_quote_split_by_the_cue_is_one_quote(nlp: Language) -> None:
    text = '"The plan is dead," said Peter Ross, "and nobody will revive it soon."'
    quote = _only(text, nlp)
    assert quote.start == 0 and quote.end == len(text)
    assert quote.speaker == "Peter Ross"


def test_quotes_tag_after_a_quotation_names_the_speaker_whatever_the_verb(nlp: Language) -> None:
    text = (
        "The council met on Tuesday.\n\n"
        '"We are not going anywhere, and the mayor knows it," the union leader shot back.'
    )
    quote = _only(text, nlp)
    assert quote.text == '"We are not going anywhere, and the mayor knows it,"'
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "the union leader"


def test_quotes_tag_with_a_hyphenated_speaker_and_a_participle_verb_names_it(
    nlp: Language,
) -> None:
    text = (
        "The clip went up on Thursday.\n\n"
        '"What if the mayor had singing lessons?" the 43-year-old asked in the description.'
    )
    quote = _only(text, nlp)
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "the 43-year-old"


def test_quotes_tag_whose_name_the_model_reads_as_a_verb_names_the_speaker(
    nlp: Language,
) -> None:
    text = (
        "Bush kept interrupting.\n"
        '"Jeb wants to be a tough guy tonight," Trump shot back. "Let me talk."'
    )
    quote = _quotes(text, nlp)[0]
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "Trump"


def test_quotes_short_quotation_opening_a_sentence_with_its_tag_is_a_quote(nlp: Language) -> None:
    text = (
        "Sanders said the race would go on.\n\n"
        '"Absolutely," he said when a reporter asked about the convention.'
    )
    quotes = _quotes(text, nlp)
    found = [q for q in quotes if q.text == '"Absolutely,"']
    assert len(found) == 1
    assert found[0].speaker_mention is not None and found[0].speaker_mention.text == "he"


def test_quotes_short_quotation_inside_a_sentence_is_not_a_quote_of_its_own(
    nlp: Language,
) -> None:
    text = 'The minister called the plan "a disgrace," he said on Monday.'
    assert all(q.text != '"a disgrace,"' for q in _quotes(text, nlp))


def test_quotes_quotation_whose_opening_mark_the_parse_hangs_on_the_sentence_before_stays_apart(
    nlp: Language,
) -> None:
    text = (
        "The solution, the partner told them, was simple. "
        "''Just put your money in Vanguard,'' he said."
    )
    quotes = _quotes(text, nlp)
    assert [q.text for q in quotes] == [
        "The solution, the partner told them, was simple.",
        "''Just put your money in Vanguard,''",
    ]
    assert quotes[1].speaker_mention is not None and quotes[1].speaker_mention.text == "he"


def test_quotes_adding_after_a_tag_starts_a_second_quote_of_the_same_speaker(
    nlp: Language,
) -> None:
    text = (
        "Voters lined up early.\n\n"
        '"He stands for the middle class," Anderson said, adding that Sanders is '
        '"definitely the most trustworthy of the candidates."'
    )
    quotes = _quotes(text, nlp)
    assert [q.text for q in quotes] == [
        '"He stands for the middle class,"',
        'that Sanders is "definitely the most trustworthy of the candidates."',
    ]
    assert [q.cue.text if q.cue else None for q in quotes] == ["said", "adding"]
    assert {q.speaker for q in quotes} == {"Anderson"}


def test_quotes_said_and_added_are_two_quotes(nlp: Language) -> None:
    text = (
        "The hearing was short.\n\n"
        "Lazar said he welcomed extradition to the United States and added, "
        '"I will plead guilty, no problem."'
    )
    quotes = _quotes(text, nlp)
    assert [q.text for q in quotes] == [
        "he welcomed extradition to the United States",
        '"I will plead guilty, no problem."',
    ]
    assert [q.kind for q in quotes] == ["indirect", "direct"]
    assert all(q.speaker == "Lazar" for q in quotes)


def test_quotes_added_with_an_object_is_not_a_second_statement(nlp: Language) -> None:
    text = "The chef said she tasted the soup and added salt before serving it."
    quotes = _quotes(text, nlp)
    assert len(quotes) == 1 and "added salt" in quotes[0].text


def test_quotes_quotation_over_two_paragraphs_is_one_quote_of_the_tag_after_it(
    nlp: Language,
) -> None:
    text = (
        "Maria Espinoza met Trump in August.\n\n"
        '"I won\'t just talk like a conservative during the election season," Espinoza said.\n\n'
        '"I am a proven champion for individual liberty and the rule of law.\n\n'
        '"I will take that same strength of conviction to Washington," Jane Roe said.'
    )
    quotes = _quotes(text, nlp)
    assert len(quotes) == 2
    second = quotes[1]
    assert second.text.startswith('"I am a proven champion') and second.text.endswith(
        'Washington,"'
    )
    assert second.speaker_mention is not None and second.speaker_mention.text == "Jane Roe"


def test_quotes_parenthetical_tag_inside_the_clause_keeps_both_sides(nlp: Language) -> None:
    text = (
        "The talks went on for hours. "
        "It was, he said, one of the bitterest failures of his presidency."
    )
    quote = _only(text, nlp)
    assert quote.text == "It was, he said, one of the bitterest failures of his presidency"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "he"


def test_speech_tag_reads_through_auxiliaries_to_its_verb(nlp: Language) -> None:
    text = (
        "The exchange was tense.\n\n"
        '"Are you going to answer the question?" a reporter can be heard asking the senator.'
    )
    tag = _speech_tag(nlp(text), text.index("?") + 2)
    assert tag is not None
    verb, head, (start, end) = tag
    assert (verb.text, head.text, text[start:end]) == ("heard", "reporter", "a reporter")


def test_speech_tag_is_not_read_into_the_next_sentence_after_a_question(nlp: Language) -> None:
    text = (
        'Critics were scathing. "Why does the government refuse to tour the country? '
        "It does rather beg the question, 'What have they got to hide?'\" "
        "The general election is widely expected next May."
    )
    assert _speech_tag(nlp(text), text.index("hide?'\"") + len("hide?'\"")) is None


def test_quotes_relative_clause_speech_verb_right_before_a_quotation_names_its_speaker(
    nlp: Language,
) -> None:
    text = (
        "On Friday, Ortiz won the backing of a city councillor, Ann Wood, who declared "
        "at the town hall, \u201cIt is time for this city to come together.\u201d "
        "Ortiz was also backed by the union."
    )
    quote = _quotes(text, nlp)[0]
    assert quote.text.startswith("\u201cIt is time")
    assert quote.cue is not None and quote.cue.text == "declared"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "who"
    assert quote.speaker == "Ann Wood"


def test_quotes_participle_right_before_a_quotation_is_not_its_cue(nlp: Language) -> None:
    text = (
        "As the chief executive, Jane Moss, put it in her memo to employees explaining "
        "the deal, \u201cWe will be stronger together than we ever were apart.\u201d"
    )
    quote = _quotes(text, nlp)[0]
    assert quote.speaker_mention is None or quote.speaker_mention.text != "employees"


def test_quotes_second_half_after_the_tag_sentence_is_the_same_quote(nlp: Language) -> None:
    text = (
        'Both parties "saw the treaty as a lifeline for the farmers," said Victor Hale, '
        'a former trade envoy. "It was an easy vote."'
    )
    quote = _only(text, nlp)
    assert quote.kind == "mixed"
    assert quote.start == 0 and quote.end == len(text)
    assert quote.speaker == "Victor Hale"


def test_quotes_a_title_between_the_halves_does_not_split_the_quote(nlp: Language) -> None:
    text = (
        "The council met on Tuesday.\n\n"
        '"We will win this fight in the courts," Tom Hardy said on "Morning Edition." '
        '"And we will win it soon, I am sure."'
    )
    quote = _only(text, nlp)
    assert quote.text.startswith('"We will win') and quote.text.endswith('I am sure."')
    assert quote.speaker == "Tom Hardy"


def test_quotes_paragraph_ending_in_a_colon_introduces_the_quotation_after_it(
    nlp: Language,
) -> None:
    text = (
        "Flooding closed the main road again on Friday.\n\n"
        "Mayor Ellen Brook then continued:\n\n"
        '"We will rebuild the bridge before winter, and we will not wait for the state."'
    )
    quote = _only(text, nlp)
    assert quote.text.startswith('"We will rebuild')
    assert quote.cue is not None and quote.cue.text == "continued"
    assert quote.speaker == "Ellen Brook"


def test_quotes_second_half_after_a_long_apposition_is_the_same_quote(nlp: Language) -> None:
    text = (
        "The hearing ran late.\n\n"
        '"The budget is a mess and everybody in this building knows it," said Laura Finch, '
        "a Democrat from Ohio who chairs the appropriations subcommittee and has spent two "
        'decades arguing for rural hospitals. "We will fix it this year."'
    )
    quote = _only(text, nlp)
    assert quote.text.endswith('"We will fix it this year."')
    assert quote.speaker == "Laura Finch"


def test_quotes_according_to_makes_the_rest_of_the_sentence_content(nlp: Language) -> None:
    quote = _only("According to the ministry, exports fell by a third in 2023.", nlp)
    assert quote.text == "exports fell by a third in 2023"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "the ministry"


def test_quotes_pronoun_speaker_resolves_to_the_named_person(nlp: Language) -> None:
    text = (
        "Economist Maria Lopez said that inflation would ease. "
        "She added that rates could fall next spring."
    )
    quotes = _quotes(text, nlp)
    assert len(quotes) == 2
    assert quotes[1].speaker_mention is not None and quotes[1].speaker_mention.text == "She"
    assert quotes[1].speaker == "Maria Lopez"
    assert quotes[0].speaker_type == "expert"


def test_quotes_continuation_paragraph_inherits_the_speaker(nlp: Language) -> None:
    text = (
        '"The factory will close in June," said union leader Tom Hardy.\n\n'
        '"Two hundred workers will lose their jobs and nobody in the company cares."'
    )
    quotes = _quotes(text, nlp)
    assert len(quotes) == 2
    assert quotes[1].text.startswith('"Two hundred')
    assert quotes[1].speaker == quotes[0].speaker == "Tom Hardy"


def test_quotes_mixed_quote_is_the_whole_clause(nlp: Language) -> None:
    quote = _only('The senator said the bill was "a gift to polluters" and must fail.', nlp)
    assert quote.kind == "mixed"
    assert quote.text == 'the bill was "a gift to polluters" and must fail'


def test_quotes_no_quote_without_a_cue(nlp: Language) -> None:
    assert _quotes("The river rose two metres overnight and flooded the old town.", nlp) == ()


def test_quotes_tass_sample_attributes_every_claim_to_the_expert(
    tass_text: str, nlp: Language
) -> None:
    quotes = _quotes(tass_text, nlp)
    assert len(quotes) >= 14
    speakers = {q.speaker for q in quotes}
    assert speakers == {"Dmitry Razumovsky"}, [(q.speaker, q.text[:40]) for q in quotes]
    headline = tass_text.index("Russia moving towards")
    assert any(q.start == headline for q in quotes)
    role = next(q.speaker_role for q in quotes if q.speaker_role)
    assert "Institute for Latin American Studies" in role
    assert {q.speaker_type for q in quotes} == {"expert"}
    assert not any("Pompeo" in (q.speaker or "") for q in quotes)


def test_quotes_passive_report_has_no_speaker(nlp: Language) -> None:
    quote = _only("It was reported that the talks had failed.", nlp)
    assert quote.text == "that the talks had failed"
    assert quote.speaker_mention is None and quote.speaker is None


def test_quotes_transcript_colon_names_the_speaker(nlp: Language) -> None:
    quote = _only("PENCE: We will win this state by a wide margin.", nlp)
    assert quote.text == "We will win this state by a wide margin"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "PENCE"


def test_quotes_intention_cue_takes_the_infinitive(nlp: Language) -> None:
    quote = _only("The minister wants to cut fuel taxes before the election.", nlp)
    assert quote.text == "to cut fuel taxes before the election"
    assert quote.speaker_type == "official"


def test_quotes_parenthetical_cue_inside_the_content(nlp: Language) -> None:
    quote = _only("The trade deal, she said, would help farmers in the north.", nlp)
    assert quote.start == 0 and quote.text.endswith("farmers in the north")
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "she"


def test_quotes_nominal_organisation_speaker_type(nlp: Language) -> None:
    quote = _only("Exports fell sharply, the ministry said in a statement on Monday.", nlp)
    assert quote.text == "Exports fell sharply"
    assert quote.speaker_type == "organization"


def test_quotes_apposition_gives_the_role_and_type(nlp: Language) -> None:
    text = "Jane Doe, a professor of history at Yale University, said that the vote was rigged."
    quote = _only(text, nlp)
    assert quote.speaker == "Jane Doe"
    assert quote.speaker_role == "professor of history at Yale University"
    assert quote.speaker_type == "expert"


def test_quotes_she_skips_a_speaker_already_called_he(nlp: Language) -> None:
    text = (
        "Minister Claire Dubois said that the grants would double. "
        "Analyst Omar Kane said that the offer came late, and he added that visas matter more. "
        "She insisted that the door was open."
    )
    quotes = _quotes(text, nlp)
    last = quotes[-1]
    assert last.speaker_mention is not None and last.speaker_mention.text == "She"
    assert last.speaker == "Claire Dubois"
    assert {q.speaker_type for q in quotes if q.speaker == "Claire Dubois"} == {"official"}


def test_stance_adjective_with_a_clause_is_an_indirect_quote(nlp: Language) -> None:
    text = "The mayor was confident that the new bridge would open in spring."
    quote = _only(text, nlp)
    assert quote.kind == "indirect"
    assert quote.text == "that the new bridge would open in spring"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "The mayor"


def test_impersonal_adjective_clause_is_a_quote_of_no_one(nlp: Language) -> None:
    quote = _only("It is clear that the new bridge will open in spring.", nlp)
    assert quote.text == "that the new bridge will open in spring"
    assert quote.cue is not None and quote.cue.text == "is clear"
    assert quote.speaker_mention is None and quote.speaker is None


def test_subject_inside_an_impersonal_clause_is_not_its_speaker(nlp: Language, monkeypatch) -> None:
    monkeypatch.setattr(confidence, "load_model", lambda: None)  # every quote kept
    text = "It was apparent that Clinton wanted to shield her dealings from the public."
    quote = _only(text, nlp)
    assert quote.text == "that Clinton wanted to shield her dealings from the public"
    assert quote.speaker is None


def test_raising_verb_hedge_is_a_sourceless_indirect_quote(nlp: Language) -> None:
    quote = _only("The new bridge seems to be a costly mistake.", nlp)
    assert quote.kind == "indirect"
    assert quote.text == "The new bridge seems to be a costly mistake"
    assert quote.speaker_mention is None


def test_raising_verb_with_a_to_phrase_names_its_source(nlp: Language, monkeypatch) -> None:
    # The rule alone (the learned chooser off): the one it seems so to is the source.
    monkeypatch.setattr(speaker_ranker, "load_model", lambda: None)
    monkeypatch.setattr(confidence, "load_model", lambda: None)
    text = "Nothing about the plan seems credible to the mayor."
    quote = _only(text, nlp)
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "the mayor"


def test_chooser_overrules_the_to_phrase_holder_of_a_raising_verb(nlp: Language) -> None:
    # The learned chooser disagrees with the rule above: in PolNeAR train every such
    # "seems ... to X" quote (4 of 4) has no source, so it answers NONE.
    quote = _only("Nothing about the plan seems credible to the mayor.", nlp)
    assert quote.speaker_mention is None


def test_passive_expectation_is_a_sourceless_indirect_quote(nlp: Language) -> None:
    quote = _only("The mayor is expected to open the new bridge on Friday.", nlp)
    assert quote.text == "The mayor is expected to open the new bridge on Friday"
    assert quote.speaker_mention is None


def test_mined_relation_adjective_stance_takes_its_prepositional_object(nlp: Language) -> None:
    quote = _only("Local unions are deeply critical of the new trade agreement with Canada.", nlp)
    assert quote.text == "the new trade agreement with Canada"
    assert quote.cue is not None and quote.cue.text == "critical of"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "Local unions"


def test_mined_relation_weak_verb_with_a_preposition_is_a_quote(nlp: Language) -> None:
    quote = _only("The finance minister spoke about the deficit at length on Monday.", nlp)
    assert quote.text.startswith("the deficit")
    assert (
        quote.speaker_mention is not None and quote.speaker_mention.text == "The finance minister"
    )


def test_mined_relation_inside_a_relative_clause_keeps_to_its_clause(nlp: Language) -> None:
    text = "Ms. Ortiz, who has long opposed the tax cut, spoke at the plant on Monday."
    quote = _only(text, nlp)
    assert quote.text == "the tax cut"
    assert quote.speaker == "Ortiz"


def test_mined_relation_needs_a_holder_in_its_own_clause(nlp: Language) -> None:
    assert _quotes("Speaking about the deficit was hard for the mayor.", nlp) == ()


def test_quotes_clause_after_the_cue_wins_over_one_run_in_from_the_paragraph_before(
    nlp: Language,
) -> None:
    text = (
        '"That is what I like and that is what the voters like."\n'
        "Moments earlier, in her opening remarks, Senator Vance said she was ideally "
        "suited for the job."
    )
    texts = [q.text for q in _quotes(text, nlp)]
    assert "she was ideally suited for the job" in texts


def test_finding_opening_phrase_is_the_source_of_the_rest(nlp: Language) -> None:
    text = "In a Quinnipiac poll released on Tuesday, the governor trails her challenger by six."
    quote = _only(text, nlp)
    assert quote.text == "the governor trails her challenger by six"
    assert quote.speaker_mention is not None
    assert quote.speaker_mention.text == "a Quinnipiac poll released on Tuesday"


def test_finding_phrase_ending_the_sentence_is_the_source_of_the_clause(nlp: Language) -> None:
    text = "The governor trails her challenger by six points in the latest Quinnipiac poll."
    quote = _only(text, nlp)
    assert quote.text == "The governor trails her challenger by six points"
    assert quote.speaker_mention is not None
    assert quote.speaker_mention.text == "the latest Quinnipiac poll"


def test_finding_phrase_yields_to_a_speech_cue_in_its_sentence(nlp: Language) -> None:
    quote = _only("In a survey of its members, the union said wages must rise.", nlp)
    assert quote.text == "wages must rise"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "the union"


def test_quotes_parenthetical_cue_after_a_subordinate_clause_takes_the_whole_sentence(
    nlp: Language,
) -> None:
    text = (
        "Though that transition was relatively seamless, he said, replacing the nominee "
        "would be far more painful."
    )
    quote = _only(text, nlp)
    assert quote.text.startswith("Though that transition")
    assert quote.text.endswith("far more painful")
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "he"


def test_quotes_content_runs_on_past_a_sentence_split_without_a_full_stop(
    nlp: Language,
) -> None:
    text = (
        "At the hearing, the senator cited disparaging remarks the banker had made about "
        "regulators as proof of his contempt."
    )
    doc = nlp.make_doc(text)
    doc[[t.text for t in doc].index("the", 5)].is_sent_start = True  # the small model's slip
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert len(list(doc.sents)) == 2
    (quote,) = extract_quotes(doc)
    assert quote.text.startswith("disparaging remarks")
    assert quote.text.endswith("proof of his contempt")


def test_quotes_clause_subject_the_parse_left_outside_is_still_content(nlp: Language) -> None:
    text = (
        "The county has said single parents and families - young, old, adoptive and "
        "foster - would qualify for the new credit."
    )
    quote = _only(text, nlp)
    assert quote.text.startswith("single parents and families")
    assert quote.text.endswith("would qualify for the new credit")


def test_quotes_what_the_cue_governs_before_its_clause_is_not_content(nlp: Language) -> None:
    quote = _only("The mayor told reporters on Tuesday that the bridge would reopen.", nlp)
    assert quote.text == "that the bridge would reopen"


def test_quotes_object_before_a_prepositional_content_is_content(nlp: Language) -> None:
    quote = _only("The senator has distanced herself from the trade deal she once backed.", nlp)
    assert quote.text == "herself from the trade deal she once backed"
