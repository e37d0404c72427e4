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
