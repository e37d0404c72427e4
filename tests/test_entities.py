"""Entity repair over the real spaCy model, and canonical names within and across articles."""

from __future__ import annotations

from spacy.language import Language

from claimscope import pipeline
from claimscope.entities import extract_entities
from claimscope.names import load_aliases, with_aliases
from claimscope.records import EntityMention
from conftest import SAMPLE_ARTICLES, require

NO_ALIASES: dict[str, str] = {}


def _entities(nlp: Language, text: str, **options) -> tuple[EntityMention, ...]:
    options.setdefault("aliases", NO_ALIASES)
    return extract_entities(nlp(text), **options)


def _people(mentions: tuple[EntityMention, ...]) -> dict[str, set[str]]:
    """PERSON mention text -> the canonical names given to it."""
    out: dict[str, set[str]] = {}
    for m in mentions:
        if m.label == "PERSON":
            out.setdefault(m.text, set()).add(m.canonical)
    return out


def test_tass_every_lavrov_is_one_person(nlp: Language, tass_text: str) -> None:
    mentions = _entities(nlp, tass_text)
    lavrovs = [m for m in mentions if "Lavrov" in m.text]
    # "Sergei Lavrov", twice "Sergey Lavrov", and the bare "Lavrov" the model calls an ORG.
    assert len(lavrovs) == 4
    assert {(m.label, m.canonical) for m in lavrovs} == {("PERSON", "Sergei Lavrov")}
    assert tass_text.count("Lavrov") == len(lavrovs)


def test_tass_surnames_join_the_full_name(nlp: Language, tass_text: str) -> None:
    people = _people(_entities(nlp, tass_text))
    assert people["Maduro"] == {"Nicolas Maduro"}
    assert people["Razumovsky"] == {"Dmitry Razumovsky"}
    assert people["Sergey Lavrov"] == {"Sergei Lavrov"}


def test_tass_first_name_split_from_the_club_before_it(nlp: Language, tass_text: str) -> None:
    mentions = _entities(nlp, tass_text)
    start = tass_text.index("Dmitry Razumovsky")
    person = [m for m in mentions if m.start == start]
    assert person == [
        EntityMention(start, start + 17, "Dmitry Razumovsky", "PERSON", "Dmitry Razumovsky")
    ]
    club = [m for m in mentions if "Valdai" in m.text]
    assert [(m.text, m.label) for m in club] == [("Valdai International Discussion Club", "ORG")]
    assert club[0].end < start


def test_tass_loanword_is_not_a_person(nlp: Language, tass_text: str) -> None:
    mentions = _entities(nlp, tass_text)
    assert not [m for m in mentions if m.text == "Realpolitik"]
    assert all(m.label != "PERSON" or " " in m.canonical for m in mentions)


def test_tass_blocs_are_organisations(nlp: Language, tass_text: str) -> None:
    labels = {m.text: m.label for m in _entities(nlp, tass_text)}
    assert labels["BRICS"] == "ORG"
    assert labels["G20"] == "ORG"
    assert labels["TASS"] == "ORG"


def test_offsets_always_reproduce_the_text(nlp: Language, tass_text: str) -> None:
    mentions = _entities(nlp, tass_text)
    assert len(mentions) > 50
    for m in mentions:
        assert tass_text[m.start : m.end] == m.text
        assert m.text == m.text.strip()
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_leading_the_and_possessive_are_trimmed_from_names(nlp: Language, tass_text: str) -> None:
    texts = {m.text for m in _entities(nlp, tass_text)}
    assert "Institute for Latin American Studies" in texts
    assert "United States" in texts
    assert not [t for t in texts if t.startswith("the ") or t.endswith(("'s", "\u2019s"))]


def test_skip_spans_hide_the_dateline(nlp: Language, tass_text: str) -> None:
    start = tass_text.index("MOSCOW, February 6")
    dateline = (start, tass_text.index("/TASS/.") + len("/TASS/."))
    doc = nlp(tass_text)
    unskipped = extract_entities(doc, aliases=NO_ALIASES)
    assert [m.text for m in unskipped if dateline[0] <= m.start < dateline[1]] == [
        "MOSCOW",
        "February 6",
    ]
    skipped = extract_entities(doc, skip=(dateline,), aliases=NO_ALIASES)
    assert not [m for m in skipped if m.start < dateline[1] and dateline[0] < m.end]
    assert len(skipped) == len(unskipped) - 2


def test_extraction_leaves_the_doc_untouched(nlp: Language, tass_text: str) -> None:
    doc = nlp(tass_text)
    before = [(e.start, e.end, e.label_) for e in doc.ents]
    extract_entities(doc, aliases=NO_ALIASES)
    assert [(e.start, e.end, e.label_) for e in doc.ents] == before
    assert "Club Dmitry" in [e.text[-11:] for e in doc.ents]


ARTICLES = (
    "Foreign Minister Sergey Lavrov arrived in Havana on Monday. Lavrov said the talks went well.",
    "Sergei Lavrov met his Brazilian counterpart in Brasilia, the ministry said on Tuesday.",
    "Kremlin spokesman Dmitri Peskov told reporters that Mr Lavrov would travel to Caracas.",
    "Dmitry Peskov said on Friday that Sergei Lavrov had no plans to visit Washington.",
)


def _canonical_people(nlp: Language, texts: tuple[str, ...]) -> list[set[str]]:
    docs = list(nlp.pipe(texts))
    return [
        {m.canonical for m in extract_entities(doc, aliases=NO_ALIASES) if m.label == "PERSON"}
        for doc in docs
    ]


def test_variant_spellings_merge_across_articles(nlp: Language) -> None:
    per_article = _canonical_people(nlp, ARTICLES)
    assert per_article[0] == {"Sergei Lavrov"}
    assert per_article[1] == {"Sergei Lavrov"}
    assert "Dmitry Peskov" in per_article[2]
    assert per_article[3] == {"Dmitry Peskov", "Sergei Lavrov"}
    assert set().union(*per_article) <= {"Sergei Lavrov", "Dmitry Peskov", "Lavrov"}


def test_canonical_names_do_not_depend_on_article_order(nlp: Language) -> None:
    forward = _canonical_people(nlp, ARTICLES)
    backward = _canonical_people(nlp, tuple(reversed(ARTICLES)))
    assert forward == list(reversed(backward))


def test_ambiguous_surname_is_left_alone(nlp: Language) -> None:
    text = (
        "Anna Petrova, an economist, spoke first. Then Oleg Petrova, her brother, "
        "disagreed. Petrova later left the room."
    )
    people = _people(_entities(nlp, text))
    assert people.get("Anna Petrova") == {"Anna Petrova"}
    assert people.get("Petrova", {"Petrova"}) == {"Petrova"}


def test_user_alias_table_overrides_canonical_names(nlp: Language, tmp_path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("alias,canonical\nSergei Lavrov,Lavrov S.V.\n", encoding="utf-8")
    mentions = _entities(nlp, ARTICLES[0], aliases=load_aliases(table))
    assert {m.canonical for m in mentions if m.label == "PERSON"} == {"Lavrov S.V."}


def test_extraction_never_reads_the_users_alias_table(nlp: Language, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "claimscope").mkdir()
    (tmp_path / "claimscope" / "aliases.csv").write_text("alias,canonical\nHavana,La Habana\n")
    mentions = extract_entities(nlp(ARTICLES[0]))
    assert {m.canonical for m in mentions if m.text == "Havana"} == {"Havana"}


def test_alias_table_renames_an_article_when_it_is_read(nlp: Language, tmp_path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("alias,canonical\nSergei Lavrov,Lavrov S.V.\n", encoding="utf-8")
    article = pipeline.analyze_text(
        "Russian Foreign Minister Sergei Lavrov said on Monday that the talks would resume.", nlp
    )
    assert {q.speaker for q in article.quotes} == {"Sergei Lavrov"}
    renamed = with_aliases(article, load_aliases(table))
    assert {q.speaker for q in renamed.quotes} == {"Lavrov S.V."}
    assert "Lavrov S.V." in {e.canonical for e in renamed.entities if e.label == "PERSON"}
    assert with_aliases(article, {}) is article


def test_tass_us_and_united_states_are_one_place(nlp: Language, tass_text: str) -> None:
    places = {(m.text, m.canonical) for m in _entities(nlp, tass_text) if m.label == "GPE"}
    assert ("US", "United States") in places
    assert ("United States", "United States") in places


def test_country_possessive_institution_is_one_organisation(nlp: Language) -> None:
    text = "Russia's Foreign Ministry said on Monday that the talks in Geneva would resume."
    orgs = [m for m in _entities(nlp, text) if m.label == "ORG"]
    assert orgs == [
        EntityMention(0, 25, "Russia's Foreign Ministry", "ORG", "Russian Foreign Ministry")
    ]


def test_places_the_model_calls_people_get_place_labels(nlp: Language) -> None:
    text = require(SAMPLE_ARTICLES / "afp-france-west-africa-partnership.txt").read_text(
        encoding="utf-8"
    )
    labels = {(m.text, m.label) for m in _entities(nlp, text)}
    assert ("Burkina Faso", "PERSON") not in labels
    assert ("Burkina Faso", "GPE") in labels
    assert ("Sahel", "LOC") in labels
    assert ("Africans", "NORP") in labels


def test_hyphenated_surname_joins_the_full_name(nlp: Language) -> None:
    text = require(SAMPLE_ARTICLES / "afp-france-west-africa-partnership.txt").read_text(
        encoding="utf-8"
    )
    people = _people(_entities(nlp, text))
    assert people["Diallo-Kane"] == {"Ousmane Diallo-Kane"}
    assert "Kane" not in people
    assert people["Delmas-Aubry"] == {"Claire Delmas-Aubry"}


def test_one_word_person_written_in_lower_case_elsewhere_is_dropped(nlp: Language) -> None:
    text = (
        "On the other hand, Gesamtkunstwerk still shapes the region. "
        "Few diplomats admit that gesamtkunstwerk works."
    )
    doc = nlp(text)
    assert [e.label_ for e in doc.ents if e.text == "Gesamtkunstwerk"] == ["PERSON"]
    assert not [m for m in extract_entities(doc, aliases=NO_ALIASES) if m.label == "PERSON"]


def test_one_word_person_without_evidence_is_kept(nlp: Language) -> None:
    # No lower-case use, not a listed non-name: the rule does not guess.
    text = "On the other hand, Gesamtkunstwerk still shapes the region, said Anna Ruiz."
    people = _people(_entities(nlp, text))
    assert set(people) == {"Gesamtkunstwerk", "Anna Ruiz"}


def test_listed_loanword_is_not_a_person(nlp: Language) -> None:
    text = "Still, Zugzwang describes the position of the government well, the columnist wrote."
    doc = nlp(text)
    assert [e.label_ for e in doc.ents] == ["PERSON"]
    assert extract_entities(doc, aliases=NO_ALIASES) == ()


def test_short_org_name_joins_the_one_fuller_name(nlp: Language) -> None:
    text = (
        "The Russian Foreign Ministry said on Monday that talks would resume. "
        "The Foreign Ministry added that the date was not set."
    )
    orgs = [(m.text, m.canonical) for m in _entities(nlp, text) if m.label == "ORG"]
    assert orgs == [
        ("Russian Foreign Ministry", "Russian Foreign Ministry"),
        ("Foreign Ministry", "Russian Foreign Ministry"),
    ]


def test_short_org_name_with_two_fuller_names_is_left_alone(nlp: Language) -> None:
    text = (
        "The London Stock Exchange and the New York Stock Exchange both fell. "
        "The Stock Exchange said trading was normal."
    )
    canonicals = {m.canonical for m in _entities(nlp, text) if m.label == "ORG"}
    assert canonicals == {"London Stock Exchange", "New York Stock Exchange", "Stock Exchange"}


def test_first_name_taken_for_a_place_opens_the_person(nlp: Language) -> None:
    text = (
        "Luciana Prado Matos, a geologist, said the mine was safe. "
        "Luciana Matos later added that water use would fall."
    )
    doc = nlp(text)
    assert ("Luciana", "GPE") in [(e.text, e.label_) for e in doc.ents]
    people = _people(extract_entities(doc, aliases=NO_ALIASES))
    assert people == {
        "Luciana Prado Matos": {"Luciana Prado Matos"},
        "Luciana Matos": {"Luciana Prado Matos"},
    }


def test_person_after_an_organisation_is_found_when_the_model_misses_it(nlp: Language) -> None:
    text = (
        "The head of the Russian Direct Investment Fund Kirill Dmitriev said the deal was signed."
    )
    mentions = [(m.text, m.label) for m in _entities(nlp, text)]
    assert mentions == [
        ("Russian Direct Investment Fund", "ORG"),
        ("Kirill Dmitriev", "PERSON"),
    ]


def test_person_at_the_end_of_an_organisation_run_is_split_off(nlp: Language) -> None:
    text = "Professor of the Higher School of Economics Vasily Kashin said so."
    doc = nlp(text)
    assert [e.label_ for e in doc.ents] == ["ORG"]
    mentions = [(m.text, m.label) for m in extract_entities(doc, aliases=NO_ALIASES)]
    assert mentions == [("Higher School of Economics", "ORG"), ("Vasily Kashin", "PERSON")]


def test_given_name_inside_a_prize_or_paper_name_is_not_split(nlp: Language) -> None:
    for text, name in (
        ("She won the Blue Peter Book Award last year.", "Blue Peter Book Award"),
        ("A reporter at the San Francisco Chronicle wrote it.", "San Francisco Chronicle"),
    ):
        mentions = [(m.text, m.label) for m in _entities(nlp, text) if m.label != "DATE"]
        assert mentions == [(name, "ORG")], text


def test_headline_surname_joins_the_full_name_when_a_peers_title_is_named_too(
    nlp: Language,
) -> None:
    text = (
        "Boothroyd calls for Lords speaker Betty Boothroyd has said the House of Lords needs "
        "its own Speaker. Lady Boothroyd said she believed it was unacceptable for the lord "
        "chancellor to have the role."
    )
    people = _people(_entities(nlp, text))
    assert people["Boothroyd"] == people["Lady Boothroyd"] == {"Betty Boothroyd"}


def test_one_word_org_joins_the_fuller_name_the_article_uses_as_often(nlp: Language) -> None:
    text = (
        "Deutsche sued over Yukos bankruptcy claim Deutsche Bank has been sued in Texas. "
        "Deutsche Bank said the claim had no merit. Deutsche Bank lawyers will reply next week."
    )
    orgs = {m.text: m.canonical for m in _entities(nlp, text) if m.label == "ORG"}
    assert orgs["Deutsche"] == "Deutsche Bank"


def test_headline_name_run_into_the_body_is_one_name_and_a_rarer_fuller_one_stays_apart(
    nlp: Language,
) -> None:
    text = (
        "Shares slide at retailer Next Next has warned that its profit will be lower than "
        "expected. Next said sales fell. The Next Directory catalogue did better, Next said."
    )
    orgs = {m.text: m.canonical for m in _entities(nlp, text) if m.label == "ORG"}
    assert orgs["Next Next"] == orgs["Next"] == "Next"
    assert orgs["Next Directory"] == "Next Directory"


def test_a_sunday_title_is_one_newspaper(nlp: Language) -> None:
    text = (
        "Ministers will back the plan, The Mail on Sunday reported. "
        "The Labour Party on Sunday said the plan was costly."
    )
    found = _entities(nlp, text)
    orgs = {m.text: m.canonical for m in found if m.label == "ORG"}
    assert orgs.get("The Mail on Sunday") == "Mail on Sunday", orgs
    assert not any(m.text.endswith("Party on Sunday") for m in found)
