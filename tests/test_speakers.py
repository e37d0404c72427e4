"""Speaker resolution on wire-style copy: names after titles, surnames, nominal speakers."""

from __future__ import annotations

from spacy.language import Language

from claimscope import pipeline
from claimscope.records import Article, Quote


def _article(nlp: Language, text: str) -> Article:
    return pipeline.analyze_text(text, nlp)


def _quote_with(article: Article, words: str) -> Quote:
    found = [q for q in article.quotes if words in q.text]
    assert found, [q.text for q in article.quotes]
    return found[0]


def test_name_after_a_long_title_is_the_speaker_and_the_title_its_role(nlp: Language) -> None:
    article = _article(
        nlp,
        "“The new mine will double our exports within five years,” Deputy Minister of "
        "Mining and Heavy Industry Oyuntsetseg Baatarkhuu told reporters on Monday.",
    )
    quote = _quote_with(article, "double our exports")
    assert quote.speaker == "Oyuntsetseg Baatarkhuu"
    assert quote.speaker_type == "official"
    assert quote.speaker_role is not None and "Deputy Minister" in quote.speaker_role
    people = [e for e in article.entities if e.label == "PERSON"]
    assert [e.text for e in people] == ["Oyuntsetseg Baatarkhuu"]
    assert all(article.text[e.start : e.end] == e.text for e in article.entities)


def test_portfolio_word_before_a_name_stays_in_the_title(nlp: Language) -> None:
    article = _article(
        nlp,
        "“Reserves are shrinking fast,” Director General of Minerals and Coal "
        "Bambang Hadi Prasetyo told Reuters.\n\n"
        "Prasetyo said new permits would be capped.",
    )
    speakers = {q.speaker for q in article.quotes}
    assert speakers == {"Bambang Hadi Prasetyo"}
    assert all(q.speaker_type == "official" for q in article.quotes)


def test_apposition_with_a_role_noun_makes_an_untagged_name_a_speaker(nlp: Language) -> None:
    article = _article(
        nlp,
        "Dalia Kvietkutė, a climate researcher at the Northern Policy Institute in Riga, "
        "said the new pipeline would not survive another winter.\n\n"
        "“Nobody has tested it in a real storm,” Kvietkutė said.",
    )
    first = _quote_with(article, "pipeline")
    second = _quote_with(article, "real storm")
    assert first.speaker == second.speaker == "Dalia Kvietkute"
    assert first.speaker_type == second.speaker_type == "expert"


def test_bare_surname_resolves_to_the_full_name_and_its_role_type(nlp: Language) -> None:
    article = _article(
        nlp,
        "Secretary for Geology and Mineral Transformation Marcos Albuquerque Teixeira "
        "said the valley would host two refineries.\n\n"
        "Teixeira said the licences would require local hiring.",
    )
    quote = _quote_with(article, "local hiring")
    assert quote.speaker == "Marcos Albuquerque Teixeira"
    assert quote.speaker_type == "official"


def test_multi_word_tail_of_a_full_name_joins_it(nlp: Language) -> None:
    article = _article(
        nlp,
        "Station director Marit Solvang Lunde said the ice cores were safe.\n\n"
        "Solvang Lunde said the funding would run out in March.",
    )
    quote = _quote_with(article, "funding")
    assert quote.speaker == "Marit Solvang Lunde"


def test_headline_nominal_speaker_resolves_forward_to_the_named_minister(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Ferry links to the islands will reopen next month, minister says\n\n"
        "Transport Minister Kari Brekke Holm said on Friday that the ferry links would "
        "reopen next month after repairs.\n\n"
        "“We have waited long enough,” Holm told reporters.",
    )
    headline = article.quotes[0]
    assert headline.speaker_mention is not None
    assert headline.speaker_mention.text == "minister"
    assert headline.speaker == "Kari Brekke Holm"
    assert headline.speaker_type == "official"


def test_later_role_noun_with_modifier_is_the_named_person(nlp: Language) -> None:
    article = _article(
        nlp,
        "Deputy Water Minister Ahmet Kaya said the dam would be finished in May.\n\n"
        "Hydrologist Selin Demir said the river was lower than ever.\n\n"
        "“We will share every measurement,” the deputy minister said.\n\n"
        "“The data must be public,” the hydrologist said.",
    )
    assert _quote_with(article, "every measurement").speaker == "Ahmet Kaya"
    assert _quote_with(article, "must be public").speaker == "Selin Demir"


def test_speaker_mentions_never_carry_whitespace(nlp: Language) -> None:
    article = _article(
        nlp,
        "Arctic route will open early, says expert\n\n"
        "MOSCOW, March 3 (TASS) - Ships may start sailing the route in June, Director of "
        "the Polar Institute Irina Markova told TASS.",
    )
    mentions = [q.speaker_mention for q in article.quotes if q.speaker_mention]
    assert mentions
    for mention in mentions:
        assert mention.text == mention.text.strip()
        assert article.text[mention.start : mention.end] == mention.text
    assert article.quotes[0].speaker == "Irina Markova"


def test_dateline_place_is_never_the_speaker(nlp: Language) -> None:
    article = _article(
        nlp,
        "Latvia says bridge is safe\n\n"
        "RIGA, Latvia (AP) — Latvia's transport minister said Tuesday that the old bridge "
        "had passed its inspection, and he promised that repairs would start soon.\n\n"
        "“The bridge is safe,” Transport Minister Janis Ozolins told The Associated Press.",
    )
    quote = _quote_with(article, "passed its inspection")
    assert quote.speaker_mention is not None
    assert quote.speaker_mention.text == "Latvia's transport minister"
    assert quote.speaker == "Janis Ozolins"


def test_speaker_in_apposition_to_a_dateline_is_the_speaker_not_the_place(
    nlp: Language,
) -> None:
    # The parse makes the dateline's place the subject and the speaker its apposition.
    article = _article(
        nlp,
        "WASHINGTON -- President Obama, dedicating the museum on Saturday, said it would "
        "tell an American story.\n"
        "CLEVELAND, July 19 (UPI) — Former Attorney General Michael Mukasey told delegates "
        "that Hillary Clinton should be disqualified.\n"
        "RANGOON, Burma - Aung San Suu Kyi's political allies on Monday predicted an "
        "overwhelming victory.",
    )
    story = _quote_with(article, "American story")
    assert story.speaker_mention is not None and story.speaker_mention.text == "President Obama"
    assert story.speaker == "Obama"
    told = _quote_with(article, "should be disqualified")
    assert told.speaker_mention is not None
    assert told.speaker_mention.text == "Former Attorney General Michael Mukasey"
    assert told.speaker == "Michael Mukasey"
    victory = _quote_with(article, "overwhelming victory")
    assert victory.speaker_mention is not None
    assert victory.speaker_mention.text.startswith("Aung San Suu Kyi's political allies")


def test_quotation_signed_with_a_dash_and_a_name_is_that_names(nlp: Language) -> None:
    # Fact-check and "quotable" lists sign each quotation on the line below it.
    article = _article(
        nlp,
        "Fact check: the debate\n\n"
        "Hillary Clinton said on Tuesday that the economy was growing.\n\n"
        '"The idea that I would dismantle health care in America is absurd."\n\n'
        "- Bernie Sanders.\n\n"
        '"We will win this fight for our families, all of them," - Marc H. Morial, '
        "Washington.",
    )
    signed = _quote_with(article, "dismantle health care")
    assert signed.speaker_mention is not None
    assert signed.speaker_mention.text == "Bernie Sanders"
    morial = _quote_with(article, "win this fight")
    assert morial.speaker_mention is not None
    assert morial.speaker_mention.text == "Marc H. Morial"


def test_quoted_fragment_after_an_inverted_cue_inherits_the_speaker(nlp: Language) -> None:
    article = _article(
        nlp,
        "Director of the Baltic Studies Institute Irina Markova said the talks went well.\n\n"
        "The minister's trip to Havana was his second this year, the expert noted. "
        "Meanwhile, Brussels, which has long treated the island as a matter for its own "
        "diplomats, paid no attention to the trip because "
        '"it is a routine visit that cannot change the balance in the region."',
    )
    quote = _quote_with(article, "routine visit")
    assert quote.kind == "mixed"
    assert quote.text.startswith("Meanwhile, Brussels")
    assert quote.speaker == "Irina Markova"


def test_quoted_fragment_in_a_sentence_about_someone_else_is_not_inherited(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Director of the Baltic Studies Institute Irina Markova said the talks went well.\n\n"
        "The minister's trip to Havana was his second this year, the expert noted. "
        "She credits local activists because "
        '"nobody else has kept the archives open for so many years."',
    )
    assert not [q for q in article.quotes if "archives" in q.text and q.cue is None]


def test_portfolio_after_a_title_is_not_taken_for_a_name(nlp: Language) -> None:
    article = _article(nlp, "The Minister of Health Care Services said the wards were full.")
    assert not [e for e in article.entities if e.label == "PERSON"]
    assert article.quotes[0].speaker is None


# --- the error classes of the BBC name check (tests/data/bbc_speakers.jsonl) -------------


def test_role_noun_is_not_the_shadow_office_named_inside_the_quote(nlp: Language) -> None:
    article = _article(
        nlp,
        "Chancellor Gordon Brown defended the budget on Tuesday. "
        "Shadow chancellor Oliver Letwin said taxes would rise by £8bn after the election. "
        "The chancellor said that claim was nonsense and would not survive scrutiny.",
    )
    assert _quote_with(article, "taxes would rise").speaker == "Oliver Letwin"
    assert _quote_with(article, "claim was nonsense").speaker == "Gordon Brown"


def test_established_speaker_beats_a_former_office_holder_named_later(nlp: Language) -> None:
    article = _article(
        nlp,
        "Mr Brown said the economy was growing faster than any other in Europe. "
        "The chancellor said that the new rules would not change his plans.\n\n"
        "Earlier, former chancellor Ken Clarke welcomed the decision on the rules.",
    )
    assert _quote_with(article, "new rules").speaker != "Ken Clarke"


def test_role_noun_office_is_not_given_to_a_holder_of_another_office(nlp: Language) -> None:
    article = _article(
        nlp,
        "London mayor Ken Livingstone said he would not apologise to the reporter. "
        "The prime minister said it was time for the mayor to say sorry.",
    )
    assert _quote_with(article, "time for the mayor").speaker != "Ken Livingstone"


def test_person_made_subject_by_a_non_speech_verb_owns_the_next_quotation(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Health Secretary John Reid said the reforms would cut waiting times. "
        "Unison leader Dave Prentis criticised the plans on Friday. "
        '"This will hurt patients and the staff who care for them."',
    )
    assert _quote_with(article, "hurt patients").speaker == "Dave Prentis"


def test_organisation_spokesman_gives_the_organisation_as_speaker(nlp: Language) -> None:
    article = _article(
        nlp,
        "Rosneft bought the Yuganskneftegas unit in December. "
        "A Rosneft spokesman said the company would appeal against the ruling. "
        "The spokesman added that talks with the banks were continuing.",
    )
    first = _quote_with(article, "appeal against")
    assert (first.speaker, first.speaker_type) == ("Rosneft", "organization")
    assert _quote_with(article, "talks with the banks").speaker == "Rosneft"


def test_knight_named_by_given_name_is_the_full_name(nlp: Language) -> None:
    article = _article(
        nlp,
        "Sir Alan Sugar has sold his stake in Amstrad. "
        "Sir Alan said the deal was done and that the shares would rise.",
    )
    assert _quote_with(article, "deal was done").speaker == "Alan Sugar"


def test_it_added_is_the_organisation_that_is_subject_not_an_earlier_newspaper(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "The Times reported that Ofcom would review the market. "
        "BT said it welcomed the review and would cut prices. "
        "It added that it plans to invest £10bn in its network.",
    )
    assert _quote_with(article, "invest").speaker == "BT"


def test_according_to_a_newspaper_a_named_person_said_is_the_persons_claim(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "According to the Financial Times, Peter Chernin said the company would not sell "
        "its stake in the network.",
    )
    quote = _quote_with(article, "would not sell")
    assert quote.speaker == "Peter Chernin"


def test_quote_reopened_after_a_sentence_end_does_not_pair_across_narration(
    nlp: Language,
) -> None:
    text = (
        'Mr Blair replied: "The idea is outrageous. It is untrue. "I attack him politically '
        'and never on that basis." Mr Blair also defended his party.'
    )
    article = _article(nlp, text)
    assert not [q for q in article.quotes if "also defended" in q.text and q.kind == "direct"]
    assert any(q.text.startswith('"I attack him') for q in article.quotes)


def test_courtesy_title_is_never_a_role_and_a_description_elsewhere_is(nlp: Language) -> None:
    article = _article(
        nlp,
        "Tory leader Michael Howard visited Dover on Monday. "
        "Mr Howard said immigration was out of control and would be capped.",
    )
    quote = _quote_with(article, "out of control")
    assert quote.speaker == "Michael Howard"
    assert quote.speaker_role == "Tory leader" and quote.speaker_type == "official"


def test_peer_keeps_the_title_with_a_surname_or_joins_the_full_name(nlp: Language) -> None:
    article = _article(
        nlp,
        "Lord Falconer said the reforms of the Lords would go ahead next year. "
        "Betty Boothroyd opposed them. Lady Boothroyd said the plans were a mistake.",
    )
    assert _quote_with(article, "reforms of the Lords").speaker == "Lord Falconer"
    assert _quote_with(article, "plans were a mistake").speaker == "Betty Boothroyd"


def test_country_speaks_as_its_government_and_a_capital_as_its_country(nlp: Language) -> None:
    article = _article(
        nlp, "Moscow warned on Monday that the sanctions would hurt European farmers most."
    )
    quote = _quote_with(article, "sanctions would hurt")
    assert (quote.speaker, quote.speaker_role, quote.speaker_type) == (
        "Russia",
        "government",
        "official",
    )


def test_headline_run_into_the_body_is_not_a_role(nlp: Language) -> None:
    article = _article(
        nlp,
        "Blair moves to woo Jewish voters Tony Blair has said he will never attack the Tory "
        "leader over his faith. The prime minister told the Jewish Chronicle that he attacked "
        "him only politically.",
    )
    roles = {q.speaker_role for q in article.quotes if q.speaker == "Tony Blair"}
    assert "Jewish voters" not in roles


def test_an_office_with_a_party_modifier_is_not_an_undescribed_speaker(nlp: Language) -> None:
    article = _article(
        nlp,
        "Tony Blair said the economy was strong and would grow next year. "
        "The Tory leader said that the tax burden had risen under Labour.",
    )
    assert _quote_with(article, "tax burden").speaker != "Tony Blair"


def test_spokesman_for_an_untagged_organisation_gives_the_organisation(nlp: Language) -> None:
    article = _article(
        nlp, "A spokesman for Unison, Britain's biggest union, said the plans were unfair."
    )
    quote = _quote_with(article, "plans were unfair")
    assert (quote.speaker, quote.speaker_type) == ("Unison", "organization")


def test_an_article_in_a_journal_speaks_for_the_journal(nlp: Language) -> None:
    article = _article(nlp, "A British Medical Journal article said the drug was safe.")
    assert _quote_with(article, "drug was safe").speaker == "British Medical Journal"


def test_a_new_spokeswoman_for_another_body_is_not_the_earlier_one(nlp: Language) -> None:
    article = _article(
        nlp,
        "A Royal Mail spokeswoman said the ballots would be delivered on time. "
        "A spokeswoman for the Electoral Commission said the rules had been followed.",
    )
    assert _quote_with(article, "rules had been followed").speaker == "Electoral Commission"


# --- issue 9: names from the article's own evidence ---------------------------------


def test_a_report_in_the_lead_is_the_organisation_quoted_next(nlp: Language) -> None:
    article = _article(
        nlp,
        "Rail fares will rise faster than wages for a decade, a report says.\n\n"
        "The Transport Policy Institute said commuters in the north would pay most. "
        "The report said ticket offices would also close.",
    )
    lead = _quote_with(article, "faster than wages")
    later = _quote_with(article, "ticket offices")
    assert lead.speaker == later.speaker == "Transport Policy Institute"
    assert later.speaker_type == "organization"


def test_a_definite_role_noun_right_after_a_named_subject_is_that_person(nlp: Language) -> None:
    article = _article(
        nlp,
        "Gordon Brown has addressed the conference behind closed doors. "
        "The Chancellor said the opposition's plans would cut spending by £50bn. "
        "Later the chancellor said the economy was strong.",
    )
    first = _quote_with(article, "£50bn")
    second = _quote_with(article, "economy was strong")
    assert first.speaker == second.speaker == "Gordon Brown"


def test_a_role_noun_is_not_the_subject_before_when_the_article_gives_them_another_office(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Tory leader Michael Howard said the plans were reckless. "
        "The prime minister said the economy was strong.",
    )
    assert _quote_with(article, "economy was strong").speaker != "Michael Howard"


def test_an_untagged_name_after_a_describing_noun_is_the_speaker(nlp: Language) -> None:
    article = _article(
        nlp,
        "BT offered to cut its wholesale prices on Monday. "
        "Telecom analysts Ovum welcomed the move, saying BT had given a lot of ground.",
    )
    assert _quote_with(article, "given a lot of ground").speaker == "Ovum"


def test_a_spokesman_right_after_an_organisation_speaks_for_it(nlp: Language) -> None:
    article = _article(
        nlp,
        "AOL backed the price cuts but said regulation was still needed. "
        '"This is a reminder to the regulator that the market remains fragile," a spokesman said.',
    )
    assert _quote_with(article, "reminder to the regulator").speaker == "AOL"


def test_she_after_an_organisations_spokeswoman_is_that_organisation(nlp: Language) -> None:
    article = _article(
        nlp,
        '"We are looking into it," a spokeswoman for the Electoral Commission said. '
        "She said the commission was satisfied that every voter would get a ballot.",
    )
    assert _quote_with(article, "commission was satisfied").speaker == "Electoral Commission"


def test_a_pronoun_before_anyone_is_named_is_the_first_person_quoted_after(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "But he denied that he was ruling out membership of the euro. "
        "Gordon Brown said it was vital to invest in science.",
    )
    assert _quote_with(article, "ruling out membership").speaker == "Gordon Brown"


def test_a_quotation_before_another_speakers_colon_cue_continues_the_previous_speaker(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Officials at Harlow Council are trying to fix the problem. A spokesman for Harlow "
        'Council said: "We have sent out the ballot papers, the problem is with Parcelnet. '
        '"Somewhere along the line, something has gone wrong and these papers have not arrived. '
        '"Parcelnet is investigating to see if they can find out what the problem is." '
        'A spokeswoman for Parcelnet said: "We are investigating a problem with the delivery '
        'route in the Mowden area."',
    )
    assert _quote_with(article, "Parcelnet is investigating").speaker == "Harlow Council"
    assert _quote_with(article, "delivery route").speaker == "Parcelnet"


def test_a_role_noun_with_a_name_in_apposition_is_that_person(nlp: Language) -> None:
    article = _article(
        nlp,
        "The report found wide gaps between regions. "
        'The shadow education secretary, Tim Collins, said: "It is clear from this report '
        'that children from poor areas are far less likely to go to university."',
    )
    quote = _quote_with(article, "far less likely")
    assert quote.speaker == "Tim Collins"
    assert quote.speaker_role is not None and "shadow education secretary" in quote.speaker_role


def test_a_party_named_by_its_members_speaks_as_the_party(nlp: Language) -> None:
    article = _article(
        nlp,
        "Labour attacked the immigration plans on Monday. "
        'The Tories said: "It is not racist to impose limits on immigration."',
    )
    quote = _quote_with(article, "limits on immigration")
    assert quote.speaker == "Tories"
    assert quote.speaker_type == "organization"


def test_a_name_in_a_headline_quotation_is_not_the_speaker_of_the_body(nlp: Language) -> None:
    article = _article(
        nlp,
        "Tories attack 'scared Blair' The Tories have accused Tony Blair of being "
        '"terrified" of scrutiny over his spending record.',
    )
    quote = _quote_with(article, "terrified")
    assert quote.speaker == "Tories"


def test_a_persons_noun_in_a_lead_is_the_person_the_next_sentence_names(nlp: Language) -> None:
    article = _article(
        nlp,
        "A senior barrister who has resigned in protest says the new law is giving Britain "
        "a bad name. Ian MacDonald QC quit when the government ignored a court ruling.",
    )
    assert _quote_with(article, "bad name").speaker == "Ian MacDonald"


def test_a_role_noun_after_a_subject_need_not_repeat_an_untagged_proper_word(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Tory MP Boris Johnson has defended the mayor. However, Mr Johnson, who is MP for "
        'Henley, said Mr Blair "should butt out of" the row. "I don\'t see why the prime '
        'minister has to get involved in this," The Spectator editor told the BBC.',
    )
    assert _quote_with(article, "get involved").speaker == "Boris Johnson"


def test_a_former_office_may_be_the_subjects_other_former_office(nlp: Language) -> None:
    article = _article(
        nlp,
        "Former civil service chief Lord Butler said the cabinet was ignored. Lord Butler "
        "said the government had too much freedom. The former cabinet secretary said in an "
        'interview: "There is too much emphasis on selling." Robin Butler retired in 1998.',
    )
    assert _quote_with(article, "emphasis on selling").speaker == "Robin Butler"


def test_a_role_noun_nobody_before_fits_is_the_person_named_right_after(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "Betty Boothroyd said reform was needed. In 1999 Labour removed most hereditary "
        "peers. The lord chancellor hinted further reforms could be unveiled in the next "
        'manifesto. "We need to look very carefully at the relationship between the Lords '
        'and the Commons," Lord Falconer told the BBC.',
    )
    assert _quote_with(article, "further reforms").speaker == "Lord Falconer"


def test_the_government_is_not_the_party_quoted_before(nlp: Language) -> None:
    article = _article(
        nlp,
        "The Liberal Democrats unveiled plans to help pensioners. The party said the plans "
        "could save the average pensioner £100 a year. The government said it already paid "
        "£200 for winter fuel.",
    )
    assert _quote_with(article, "average pensioner").speaker == "Liberal Democrats"
    assert _quote_with(article, "winter fuel").speaker != "Liberal Democrats"


def test_someones_own_organisation_is_not_the_one_named_before(nlp: Language) -> None:
    article = _article(
        nlp,
        "Mid-Bedfordshire MP Jonathan Sayeed survived a vote. The Conservative Party said he "
        "had its support. However, his constituency association said it would meet again "
        "next month.",
    )
    assert _quote_with(article, "meet again").speaker is None


def test_a_lead_rule_does_not_reach_a_spokesman_past_the_lead(nlp: Language) -> None:
    article = _article(
        nlp,
        "US crude prices surge US crude prices have soared to fresh highs. The gains tracked a "
        "surge in petrol futures. The jump followed a fire at Western Refining's refinery in "
        "Texas. A spokesman for the group said it could not say when the unit would be running "
        'again. "This market simply wants to go up," Citigroup analyst Kyle Cooper told Reuters.',
    )
    assert _quote_with(article, "unit would be running").speaker != "Kyle Cooper"


def test_pronoun_after_a_described_speaker_in_the_lead_is_not_the_person_named_later(
    nlp: Language,
) -> None:
    article = _article(
        nlp,
        "The solution, the analyst told them, was simple. "
        "''Just put your money in index funds,'' he said.\n\n"
        "Mr. Graham said the decision was wrong.",
    )
    quote = _quote_with(article, "Just put your money")
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "he"
    assert quote.speaker != "Graham"
