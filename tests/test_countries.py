"""Country and region mentions: exact lookup, traps, context rules, the TASS sample."""

from __future__ import annotations

import subprocess
import sys
import timeit
from collections import Counter

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from claimscope import countries
from claimscope.countries import country_name, demonym, find_countries, lookup, lookup_region

# (mention as written, ISO3, via)
MENTIONS = [
    # short names
    ("Russia", "RUS", "name"),
    ("Venezuela", "VEN", "name"),
    ("Brazil", "BRA", "name"),
    ("Colombia", "COL", "name"),
    ("Argentina", "ARG", "name"),
    ("Cuba", "CUB", "name"),
    ("Mexico", "MEX", "name"),
    ("Japan", "JPN", "name"),
    ("India", "IND", "name"),
    ("China", "CHN", "name"),
    ("South Africa", "ZAF", "name"),
    ("Germany", "DEU", "name"),
    ("France", "FRA", "name"),
    ("Ukraine", "UKR", "name"),
    ("Poland", "POL", "name"),
    ("Nigeria", "NGA", "name"),
    ("Niger", "NER", "name"),
    ("Egypt", "EGY", "name"),
    ("Iran", "IRN", "name"),
    ("Iraq", "IRQ", "name"),
    ("Israel", "ISR", "name"),
    ("Saudi Arabia", "SAU", "name"),
    ("South Korea", "KOR", "name"),
    ("North Korea", "PRK", "name"),
    ("New Zealand", "NZL", "name"),
    ("Papua New Guinea", "PNG", "name"),
    ("Equatorial Guinea", "GNQ", "name"),
    ("Guinea-Bissau", "GNB", "name"),
    ("Guinea", "GIN", "name"),
    ("Dominican Republic", "DOM", "name"),
    ("Dominica", "DMA", "name"),
    ("Central African Republic", "CAF", "name"),
    ("Democratic Republic of the Congo", "COD", "name"),
    ("Republic of the Congo", "COG", "name"),
    ("Bosnia and Herzegovina", "BIH", "name"),
    ("Trinidad and Tobago", "TTO", "name"),
    ("Sri Lanka", "LKA", "name"),
    ("El Salvador", "SLV", "name"),
    ("Costa Rica", "CRI", "name"),
    ("Vietnam", "VNM", "name"),
    ("Kazakhstan", "KAZ", "name"),
    ("Switzerland", "CHE", "name"),
    ("Taiwan", "TWN", "name"),
    ("Palestine", "PSE", "name"),
    ("Greenland", "GRL", "name"),
    ("Eswatini", "SWZ", "name"),
    ("North Macedonia", "MKD", "name"),
    ("Turkey", "TUR", "name"),
    ("Georgia", "GEO", "name"),
    ("Jordan", "JOR", "name"),
    ("Chad", "TCD", "name"),
    ("United States", "USA", "name"),
    ("United Kingdom", "GBR", "name"),
    ("Netherlands", "NLD", "name"),
    ("the Netherlands", "NLD", "name"),
    ("the United States", "USA", "name"),
    ("the Philippines", "PHL", "name"),
    # official names
    ("Russian Federation", "RUS", "alias"),
    ("Federal Republic of Germany", "DEU", "name"),
    ("Kingdom of Saudi Arabia", "SAU", "name"),
    ("Hashemite Kingdom of Jordan", "JOR", "name"),
    ("Bolivarian Republic of Venezuela", "VEN", "name"),
    ("Islamic Republic of Iran", "IRN", "alias"),
    ("People's Republic of China", "CHN", "alias"),
    ("Republic of Korea", "KOR", "alias"),
    ("Democratic People's Republic of Korea", "PRK", "alias"),
    ("United Republic of Tanzania", "TZA", "name"),
    ("Plurinational State of Bolivia", "BOL", "name"),
    ("State of Israel", "ISR", "name"),
    ("Republic of Turkey", "TUR", "name"),
    ("United States of America", "USA", "alias"),
    # abbreviations and aliases
    ("US", "USA", "alias"),
    ("U.S.", "USA", "alias"),
    ("USA", "USA", "alias"),
    ("America", "USA", "alias"),
    ("the States", "USA", "alias"),
    ("UK", "GBR", "alias"),
    ("U.K.", "GBR", "alias"),
    ("Britain", "GBR", "alias"),
    ("Great Britain", "GBR", "alias"),
    ("England", "GBR", "alias"),
    ("Scotland", "GBR", "alias"),
    ("UAE", "ARE", "alias"),
    ("DRC", "COD", "alias"),
    ("Congo", "COD", "alias"),
    ("Holland", "NLD", "alias"),
    ("Ivory Coast", "CIV", "name"),
    ("Côte d'Ivoire", "CIV", "alias"),
    ("Cote d'Ivoire", "CIV", "alias"),
    ("Czechia", "CZE", "name"),
    ("Czech Republic", "CZE", "alias"),
    ("Türkiye", "TUR", "alias"),
    ("Cabo Verde", "CPV", "name"),
    ("East Timor", "TLS", "alias"),
    ("Gaza", "PSE", "alias"),
    ("West Bank", "PSE", "alias"),
    ("Crimea", "UKR", "alias"),
    ("Hong Kong", "HKG", "name"),
    ("PRC", "CHN", "alias"),
    ("DPRK", "PRK", "alias"),
    # historic names
    ("Soviet Union", "RUS", "alias"),
    ("USSR", "RUS", "alias"),
    ("Burma", "MMR", "alias"),
    ("Persia", "IRN", "alias"),
    ("Siam", "THA", "alias"),
    ("Ceylon", "LKA", "alias"),
    ("Zaire", "COD", "alias"),
    ("Swaziland", "SWZ", "alias"),
    ("Rhodesia", "ZWE", "alias"),
    ("East Germany", "DEU", "alias"),
    ("Soviet", "RUS", "demonym"),
    # seats of government standing for the state
    ("the Kremlin", "RUS", "alias"),
    ("the White House", "USA", "alias"),
    ("Downing Street", "GBR", "alias"),
    ("Korea", "KOR", "alias"),
    # possessives
    ("Russia's", "RUS", "name"),
    ("Russia’s", "RUS", "name"),
    ("Venezuela's", "VEN", "name"),
    ("America's", "USA", "alias"),
    ("the Bahamas'", "BHS", "name"),
    ("the U.S.'s", "USA", "alias"),
    # demonyms: adjectives, plurals, nouns
    ("Russian", "RUS", "demonym"),
    ("Russians", "RUS", "demonym"),
    ("Venezuelan", "VEN", "demonym"),
    ("Venezuelans", "VEN", "demonym"),
    ("Colombian", "COL", "demonym"),
    ("Brazilian", "BRA", "demonym"),
    ("Brazilians", "BRA", "demonym"),
    ("American", "USA", "demonym"),
    ("Americans", "USA", "demonym"),
    ("British", "GBR", "demonym"),
    ("Britons", "GBR", "demonym"),
    ("French", "FRA", "demonym"),
    ("German", "DEU", "demonym"),
    ("Chinese", "CHN", "demonym"),
    ("Japanese", "JPN", "demonym"),
    ("Ukrainian", "UKR", "demonym"),
    ("Ukrainians", "UKR", "demonym"),
    ("Israeli", "ISR", "demonym"),
    ("Israelis", "ISR", "demonym"),
    ("Palestinian", "PSE", "demonym"),
    ("Iraqi", "IRQ", "demonym"),
    ("Saudi", "SAU", "alias"),
    ("Emirati", "ARE", "demonym"),
    ("Filipino", "PHL", "demonym"),
    ("Filipinos", "PHL", "demonym"),
    ("Dutch", "NLD", "demonym"),
    ("Swiss", "CHE", "demonym"),
    ("Polish", "POL", "demonym"),
    ("Poles", "POL", "demonym"),
    ("Turkish", "TUR", "demonym"),
    ("Turks", "TUR", "demonym"),
    ("Greek", "GRC", "demonym"),
    ("Argentine", "ARG", "demonym"),
    ("Argentinian", "ARG", "demonym"),
    ("Mexican", "MEX", "demonym"),
    ("Cuban", "CUB", "demonym"),
    ("Nigerian", "NGA", "demonym"),
    ("Nigerien", "NER", "demonym"),
    ("Jordanian", "JOR", "demonym"),
    ("Chadian", "TCD", "demonym"),
    ("North Korean", "PRK", "demonym"),
    ("South Korean", "KOR", "demonym"),
    ("South African", "ZAF", "demonym"),
    ("New Zealander", "NZL", "demonym"),
    ("Congolese", "COD", "demonym"),
    ("Ivorian", "CIV", "demonym"),
    ("Thai", "THA", "demonym"),
    ("Kazakh", "KAZ", "demonym"),
    ("Azerbaijani", "AZE", "demonym"),
    ("Pakistani", "PAK", "demonym"),
    ("Indian", "IND", "demonym"),
    # capitals
    ("Moscow", "RUS", "capital"),
    ("Washington", "USA", "capital"),
    ("Bogota", "COL", "capital"),
    ("Bogotá", "COL", "capital"),
    ("Caracas", "VEN", "capital"),
    ("Brasilia", "BRA", "capital"),
    ("Brasília", "BRA", "capital"),
    ("Beijing", "CHN", "capital"),
    ("Tokyo", "JPN", "capital"),
    ("Kyiv", "UKR", "capital"),
    ("Kiev", "UKR", "capital"),
    ("London", "GBR", "capital"),
    ("Paris", "FRA", "capital"),
    ("Tbilisi", "GEO", "capital"),
    ("Amman", "JOR", "capital"),
    ("N'Djamena", "TCD", "capital"),
    ("Ankara", "TUR", "capital"),
    ("Tehran", "IRN", "capital"),
    ("Havana", "CUB", "capital"),
    ("Pretoria", "ZAF", "capital"),
    ("New Delhi", "IND", "capital"),
    ("Astana", "KAZ", "capital"),
    ("Asunción", "PRY", "capital"),
    ("Yaoundé", "CMR", "capital"),
    ("Washington, D.C.", "USA", "capital"),
    # large cities
    ("Osaka", "JPN", "city"),
    ("Shanghai", "CHN", "city"),
    ("Mumbai", "IND", "city"),
    ("Bombay", "IND", "city"),
    ("São Paulo", "BRA", "city"),
    ("Sao Paulo", "BRA", "city"),
    ("Istanbul", "TUR", "city"),
    ("Saint Petersburg", "RUS", "city"),
    ("St. Petersburg", "RUS", "city"),
    ("New York", "USA", "city"),
    ("Los Angeles", "USA", "city"),
    ("Lagos", "NGA", "city"),
    ("Karachi", "PAK", "city"),
    ("Medellín", "COL", "city"),
    ("Tel Aviv", "ISR", "city"),
    ("Odesa", "UKR", "city"),
    # case and spacing
    ("RUSSIA", "RUS", "name"),
    ("MOSCOW", "RUS", "capital"),
    ("  South   Africa ", "ZAF", "name"),
]

# Strings that must NOT resolve to any country.
TRAPS = [
    "Jordan Peterson",
    "Georgia Tech",
    "Chad Smith",
    "turkey",
    "china",
    "Washington Post",
    "Paris Hilton",
    "New Mexico State",
    "New Mexico",
    "New Jersey",
    "Michael Jordan",
    "Indian Ocean",
    "Native American",
    "Guinea pig",
    "Us",
    "Realpolitik",
    "Chavists",
    "BRICS",
    "Latin America",
    "European Union",
    "Russian Academy of Sciences",
    "Bank of America",
    "South China Sea",
    "Africa",
    "The west",
    "united states",
    "",
]

REGIONS = [
    ("Latin America", "Latin America"),
    ("Latin American", "Latin America"),
    ("the Middle East", "the Middle East"),
    ("Middle East", "the Middle East"),
    ("Europe", "Europe"),
    ("Africa", "Africa"),
    ("Asia", "Asia"),
    ("EU", "European Union"),
    ("European Union", "European Union"),
    ("BRICS", "BRICS"),
    ("NATO", "NATO"),
    ("G20", "G20"),
    ("G7", "G7"),
    ("ASEAN", "ASEAN"),
    ("the Arctic", "the Arctic"),
    ("the Caucasus", "the Caucasus"),
    ("the Balkans", "the Balkans"),
    ("Yugoslavia", "Yugoslavia"),
]

# Sentences whose country mentions are known: (sentence, expected ISO3 in order).
SENTENCES = [
    ("Jordan Peterson gave a lecture in Toronto on Tuesday.", ["CAN"]),
    ("She studied engineering at Georgia Tech before moving to Germany.", ["DEU"]),
    ("Chad Smith played the drums at the concert.", []),
    ("We ate turkey and china plates were on the table.", []),
    ("The Washington Post first reported the story.", []),
    ("Paris Hilton arrived late to the party.", []),
    ("New Mexico State beat its rival on Saturday.", []),
    ("Michael Jordan won six titles with the Bulls.", []),
    ("The Russian Academy of Sciences published a report.", []),
    ("The Bank of England raised interest rates again.", []),
    ("Russian Foreign Minister Sergey Lavrov met his Cuban counterpart.", ["RUS", "CUB"]),
    ("The U.S. and the UK signed a deal with the Netherlands.", ["USA", "GBR", "NLD"]),
    ("Russia's envoy flew from Bogotá to Caracas.", ["RUS", "COL", "VEN"]),
    ("Officials in Washington said Moscow had not replied.", ["USA", "RUS"]),
    ("Talks between Venezuelans and Colombians resumed.", ["VEN", "COL"]),
    ("The summit in Japan's Osaka ended on Friday.", ["JPN", "JPN"]),
    ("The Soviet Union collapsed in 1991.", ["RUS"]),
    ("Turkey and Ukraine signed a grain deal.", ["TUR", "UKR"]),
    ("He spoke in Russian to reporters in Kyiv.", ["UKR"]),
    ("Papua New Guinea and New Zealand held talks.", ["PNG", "NZL"]),
    # A town qualified by a US state is a mention of the United States (a city).
    ("She grew up in Alexandria, Va., and later moved to Cairo.", ["USA", "EGY"]),
    ("Clinton starts her week in St. Petersburg, Fla., with a rally.", ["USA"]),
    ("Many Polish Americans and Mexican-Americans voted early.", []),
    ("The mine in British Columbia reopened.", []),
    ("Unemployment fell in the West Midlands but rose in the West.", []),
    ("The Geneva Convention bans torture, Israel said.", ["ISR"]),
    ("The Brit Awards were held in London.", ["GBR"]),
    ("She teaches at Georgetown and lives in New Jersey.", []),
    ("Flooding hit Georgetown, the capital of Guyana.", ["GUY", "GUY"]),
    ("The Russian Defence Ministry denied the report.", ["RUS"]),
    ("Russia's Foreign Ministry and the Bank of Russia disagreed.", ["RUS"]),
    ("Pole vaulter Yelena Isinbayeva set a record; the Pole Robert Kubica won.", ["POL"]),
]


# Names that are also first names need the article to say which reading it is.
CONTEXT = {"Jordan": " from Amman", "Chad": " from N'Djamena"}


def in_sentence(form: str) -> str:
    return f"Officials said {form} was mentioned in the report{CONTEXT.get(form, '')}."


@pytest.fixture(scope="module")
def parsed(nlp: Language) -> dict[str, Doc]:
    """Every test sentence parsed once by the real model."""
    texts = [in_sentence(form) for form, _, _ in MENTIONS]
    texts += [sentence for sentence, _ in SENTENCES]
    return dict(zip(texts, nlp.pipe(texts), strict=True))


@pytest.mark.parametrize(("form", "iso3", "via"), MENTIONS)
def test_lookup_resolves_mention(form: str, iso3: str, via: str) -> None:
    match = lookup(form)
    assert match is not None, form
    assert (match.iso3, match.via) == (iso3, via)
    assert match.country == country_name(iso3)


@pytest.mark.parametrize(("form", "iso3", "via"), MENTIONS)
def test_find_countries_finds_mention_in_sentence(
    parsed: dict[str, Doc], form: str, iso3: str, via: str
) -> None:
    text = in_sentence(form)
    found, _ = find_countries(parsed[text])
    assert [(m.iso3, m.via) for m in found[:1]] == [(iso3, via)], form
    assert {m.iso3 for m in found} == {iso3}
    mention = found[0]
    assert text[mention.start : mention.end] == mention.text
    assert form.strip().removesuffix("'s").removesuffix("’s") in text


def test_find_countries_mention_span_excludes_possessive_and_the(parsed: dict[str, Doc]) -> None:
    found, _ = find_countries(parsed["Officials said Russia's was mentioned in the report."])
    assert [m.text for m in found] == ["Russia"]
    found, _ = find_countries(parsed["Officials said the Netherlands was mentioned in the report."])
    assert [m.text for m in found] == ["Netherlands"]


@pytest.mark.parametrize("trap", TRAPS)
def test_lookup_rejects_trap(trap: str) -> None:
    assert lookup(trap) is None


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_countries_in_sentence(
    parsed: dict[str, Doc], sentence: str, expected: list[str]
) -> None:
    found, _ = find_countries(parsed[sentence])
    assert [m.iso3 for m in found] == expected, [m.text for m in found]


@pytest.mark.parametrize(("form", "region"), REGIONS)
def test_lookup_region_names_region_not_country(form: str, region: str) -> None:
    assert lookup_region(form) == region
    assert lookup(form) is None


def test_find_countries_reports_regions_and_blocs_separately(nlp: Language) -> None:
    doc = nlp(
        "Leaders from the European Union, NATO and the G7 discussed Latin America, "
        "the Middle East and the Arctic with Brazil."
    )
    found, regions = find_countries(doc)
    assert [m.iso3 for m in found] == ["BRA"]
    assert [r.region for r in regions] == [
        "European Union",
        "NATO",
        "G7",
        "Latin America",
        "the Middle East",
        "the Arctic",
    ]
    assert all(doc.text[r.start : r.end] == r.text for r in regions)


def test_georgia_is_the_country_next_to_tbilisi(nlp: Language) -> None:
    doc = nlp(
        "Georgia accused Moscow of tightening its grip on Abkhazia, "
        "the Georgian foreign ministry in Tbilisi said."
    )
    found, _ = find_countries(doc)
    assert [m.text for m in found if m.iso3 == "GEO"] == ["Georgia", "Georgian", "Tbilisi"]


def test_georgia_is_the_us_state_next_to_atlanta(nlp: Language) -> None:
    doc = nlp(
        "Voters in Georgia lined up for the primary as election officials in Atlanta "
        "and the governor said turnout beat Florida and Texas."
    )
    found, _ = find_countries(doc)
    assert [m.text for m in found] == ["Atlanta"]  # Atlanta is a US city


def test_jordan_is_the_country_next_to_amman(nlp: Language) -> None:
    doc = nlp("King Abdullah said Jordan would host the talks in Amman next week.")
    found, _ = find_countries(doc)
    assert [m.iso3 for m in found] == ["JOR", "JOR"]


def test_jordan_is_a_player_next_to_the_bulls(nlp: Language) -> None:
    doc = nlp("Jordan scored 45 points as the Bulls beat the Knicks in the NBA final.")
    found, _ = find_countries(doc)
    assert found == ()


def test_turkey_sandwich_is_food(nlp: Language) -> None:
    found, _ = find_countries(nlp("Turkey sandwiches were served at the meeting in Ankara."))
    assert [m.text for m in found] == ["Ankara"]


def test_skip_drops_the_dateline(nlp: Language) -> None:
    text = "MOSCOW, February 6. /TASS/. Moscow and Havana signed a deal."
    found, _ = find_countries(nlp(text), skip=((0, 6),))
    assert [(m.start, m.text) for m in found] == [(28, "Moscow"), (39, "Havana")]


def test_tass_sample_countries_ranked_and_complete(nlp: Language, tass_text: str) -> None:
    start = tass_text.index("MOSCOW")
    found, regions = find_countries(nlp(tass_text), skip=((start, start + len("MOSCOW")),))
    counts = Counter(m.iso3 for m in found)
    ranked = [iso3 for iso3, _ in counts.most_common()]
    assert ranked[:2] == ["RUS", "VEN"]
    assert set(counts) == {
        "RUS", "VEN", "BRA", "COL", "ARG", "USA", "CUB", "MEX", "JPN", "IND", "CHN", "ZAF",
    }  # fmt: skip
    texts = {m.text for m in found}
    assert {"Moscow", "Washington", "Bogota", "US", "United States", "Osaka"} <= texts
    assert {"Russian", "Colombian", "Brazilian", "Venezuelan"} <= texts
    assert all(m.start != start for m in found), "the dateline is metadata"
    assert all(tass_text[m.start : m.end] == m.text for m in found)
    assert next(m for m in found if m.text == "Osaka").via == "city"
    # "the Russian Academy of Sciences" is an organisation, not a mention of Russia.
    academy = tass_text.index("Russian Academy")
    assert all(m.start != academy for m in found)
    assert {"Latin America", "BRICS", "G20"} <= {r.region for r in regions}
    region_texts = {r.text for r in regions}
    assert "Chavists" not in texts | region_texts and "Realpolitik" not in texts


def test_demonym_and_country_name() -> None:
    assert demonym("RUS") == "Russian"
    assert demonym("VEN") == "Venezuelan"
    assert demonym("USA") == "American"
    assert demonym("XXX") is None
    assert country_name("USA") == "United States"
    assert country_name("RUS") == "Russia"
    assert country_name("XXX") is None


def test_lookup_is_microseconds_and_tables_load_fast() -> None:
    """Measured, printed, and only loosely asserted (machines differ)."""
    code = (
        "import time; t = time.perf_counter(); from claimscope import countries as c; "
        "assert c._tables.cache_info().currsize == 0, 'loaded at import'; "
        "i = time.perf_counter(); c._tables(); print(time.perf_counter() - i, i - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    load, _import = (float(x) for x in out.split())
    countries.lookup.cache_clear()
    cold = timeit.timeit(lambda: countries._lookup_entry.__wrapped__("Venezuela's"), number=1000)
    warm = timeit.timeit(lambda: lookup("Venezuela's"), number=10000)
    print(
        f"\ntables load {load * 1000:.1f} ms; lookup uncached {cold / 1000 * 1e6:.1f} us, "
        f"cached {warm / 10000 * 1e6:.2f} us"
    )
    assert load < 1.0
    assert warm / 10000 < 1e-4


def test_the_west_is_a_region_but_not_inside_the_west_midlands(nlp: Language) -> None:
    _, regions = find_countries(nlp("Unemployment fell in the West Midlands but rose in the West."))
    assert [r.text for r in regions] == ["the West"]


# -- places in context ---------------------------------------------------------------


def _found(nlp: Language, text: str, **options: object) -> list[tuple[str, str]]:
    found, _ = find_countries(nlp(text), **options)  # type: ignore[arg-type]
    return [(m.text, m.iso3) for m in found]


def test_paris_texas_is_the_us_town_for_every_mention(nlp: Language) -> None:
    text = (
        "Paris, Texas, opened a new library on Monday. The mayor of Paris said the "
        "building cost $4 million."
    )
    assert _found(nlp, text) == [("Paris", "USA"), ("Paris", "USA")]


def test_paris_stays_french_when_the_article_names_france_and_texas(nlp: Language) -> None:
    text = (
        "The French president met the governor of Texas in Paris on Monday. Texas "
        "firms employ 5,000 people in France."
    )
    assert _found(nlp, text) == [("French", "FRA"), ("Paris", "FRA"), ("France", "FRA")]


def test_paris_in_a_texas_local_story_is_the_texas_town(nlp: Language) -> None:
    text = (
        "The city council in Paris voted to repair the square. A grant from Austin "
        "will cover half the cost, and shoppers from Sulphur Springs and Texarkana "
        "often drive to Paris."
    )
    assert {iso3 for _, iso3 in _found(nlp, text)} == {"USA"}


def test_london_ont_is_the_canadian_city(nlp: Language) -> None:
    text = "Police in London, Ont., are looking for a missing girl. Call police in London."
    assert _found(nlp, text) == [("London", "CAN"), ("London", "CAN")]


def test_edmonton_north_london_is_the_london_borough(nlp: Language) -> None:
    text = "Two men were arrested after a stabbing in Edmonton, north London. A vigil will be held in Edmonton."
    assert _found(nlp, text) == [("Edmonton", "GBR"), ("London", "GBR"), ("Edmonton", "GBR")]


def test_edmonton_alone_is_still_the_canadian_city(nlp: Language) -> None:
    assert _found(nlp, "The Oilers play in Edmonton tonight.") == [("Edmonton", "CAN")]


def test_palestine_man_in_a_texas_story_is_the_texas_town(nlp: Language) -> None:
    text = (
        "A 36-year-old Palestine man was charged after a truck was taken in Anderson "
        "County, Texas. The truck was found in Tyler. He is held in Palestine."
    )
    assert {iso3 for _, iso3 in _found(nlp, text)} == {"USA"}


def test_palestine_in_a_middle_east_story_is_the_territory(nlp: Language) -> None:
    text = "Palestine and Israel resumed talks in Cairo, Egyptian officials said."
    assert ("Palestine", "PSE") in _found(nlp, text)


def test_dateline_region_decides_the_town(nlp: Language) -> None:
    text = "PARIS, Texas (AP) — A fire destroyed a warehouse in Paris early Tuesday."
    assert _found(nlp, text, skip=((0, 12),)) == [("Paris", "USA")]


def test_a_list_of_countries_is_not_a_qualifier(nlp: Language) -> None:
    text = "The minister's tour includes visits to Cuba, Venezuela and Mexico."
    assert [iso3 for _, iso3 in _found(nlp, text)] == ["CUB", "VEN", "MEX"]


def test_towns_are_found_after_a_preposition_of_place(nlp: Language) -> None:
    text = (
        "A gang based in Leicester was jailed, and a man from Camberley, Surrey, "
        "was arrested. Flooding cut the road between Mombasa and Malindi."
    )
    assert _found(nlp, text) == [
        ("Leicester", "GBR"),
        ("Camberley", "GBR"),
        ("Mombasa", "KEN"),
        ("Malindi", "KEN"),
    ]


def test_a_town_named_like_a_person_or_company_is_not_a_town(nlp: Language) -> None:
    text = "Tyler said the report by Jupiter was wrong, according to Nokia's chief."
    assert _found(nlp, text) == []


def test_a_town_in_a_sports_report_is_its_team(nlp: Language) -> None:
    text = (
        "Newcastle were beaten 3-1 as Liverpool scored twice before half-time. The "
        "substitute's header made it 3-1 at Anfield, and the manager praised the goal."
    )
    assert _found(nlp, text) == []


def test_us_led_and_the_us_department_of_justice_count_the_united_states(
    nlp: Language,
) -> None:
    text = (
        "The U.S.-led coalition struck again, hours after the U.S. Department of "
        "Justice charged two men. Assistant US Attorney Scott Christie said so."
    )
    found = _found(nlp, text)
    assert found == [("U.S.", "USA"), ("U.S.", "USA"), ("US", "USA")]
    assert text.index("U.S.-led") == find_countries(nlp(text))[0][0].start


def test_hyphenated_country_pairs_and_adjectives_count_each_country(nlp: Language) -> None:
    text = "The Russia-Ukraine war, Iran-backed groups and UK-based monitors."
    assert [iso3 for _, iso3 in _found(nlp, text)] == ["RUS", "UKR", "IRN", "GBR"]


def test_american_before_an_organisation_counts(nlp: Language) -> None:
    text = (
        "American carmaker Ford cut jobs, and the American Federal Aviation "
        "Administration grounded jets."
    )
    assert _found(nlp, text) == [("American", "USA"), ("American", "USA")]


def test_georgia_the_skater_is_a_person_not_the_country(nlp: Language) -> None:
    text = (
        "Figure skater Georgia Bryce was picked for the Olympics. Georgia began "
        "skating at four, and her coach said Georgia had the best jumps in Britain."
    )
    assert _found(nlp, text) == [("Britain", "GBR")]


def test_georgia_with_an_age_is_a_person(nlp: Language) -> None:
    assert _found(nlp, "Georgia, 17, won the junior title in Sheffield.") == [("Sheffield", "GBR")]


def test_iceland_the_supermarket_is_not_the_country(nlp: Language) -> None:
    text = (
        "Iceland has released a range of frozen ready meals, the supermarket said. "
        "The chain has 900 stores across the UK."
    )
    assert _found(nlp, text) == [("UK", "GBR")]


def test_iceland_the_country_still_counts(nlp: Language) -> None:
    text = "Iceland has released new figures showing visitors to Reykjavik fell after the eruption."
    assert _found(nlp, text) == [("Iceland", "ISL"), ("Reykjavik", "ISL")]


def test_a_language_after_and_is_not_a_country(nlp: Language) -> None:
    text = "The site had discussion groups in English and Russian."
    assert _found(nlp, text) == []


ORG_TEXT = (
    "Air Zimbabwe cancelled flights. The Bank of England held rates, and the Russian "
    "Foreign Ministry summoned the ambassador."
)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("state", [("Russian", "RUS")]),
        ("all", [("Zimbabwe", "ZWE"), ("England", "GBR"), ("Russian", "RUS")]),
        ("none", []),
    ],
)
def test_country_inside_an_organisation_name_follows_the_setting(
    nlp: Language, setting: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(nlp, ORG_TEXT, org_names=setting) == expected


def test_org_names_setting_defaults_to_state_and_reads_the_environment(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(countries.ORG_NAMES_ENV_VAR, raising=False)
    assert countries.org_names_setting() == "state"
    monkeypatch.setenv(countries.ORG_NAMES_ENV_VAR, "all")
    assert countries.org_names_setting() == "all"
    assert ("Zimbabwe", "ZWE") in _found(nlp, ORG_TEXT)
    assert countries.org_names_setting("none") == "none"  # the caller wins


def test_org_names_setting_refuses_an_unknown_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(countries.ORG_NAMES_ENV_VAR, "some")
    with pytest.raises(ValueError, match="state, all, none"):
        countries.org_names_setting()


def test_tables_are_read_only_and_cues_compiled_at_load() -> None:
    tables = countries._tables()
    with pytest.raises(TypeError):
        tables.rules["Georgia"] = tables.rules["Georgia"]  # type: ignore[index]
    assert all(hasattr(cue, "search") for cue in tables.rules["Georgia"].support)
    assert not hasattr(tables, "cue_patterns")
