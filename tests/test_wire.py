"""Wire metadata read from article text: datelines, agencies, headlines, dates."""

from __future__ import annotations

import pytest

from claimscope import wire


@pytest.mark.parametrize(
    ("opening", "place", "place_text", "source", "published"),
    [
        ("MOSCOW, February 6. /TASS/. Russia is", "Moscow", "MOSCOW", "TASS", None),
        ("MOSCOW, February 6, 2024. /TASS/. Russia", "Moscow", "MOSCOW", "TASS", "2024-02-06"),
        ("WASHINGTON (Reuters) - The United States", "Washington", "WASHINGTON", "Reuters", None),
        ("PARIS (AFP) — France said", "Paris", "PARIS", "AFP", None),
        ("BEIJING, March 3 (Xinhua) -- China has", "Beijing", "BEIJING", "Xinhua", None),
        ("LONDON, Jan 5 (AP) - Britain's", "London", "LONDON", "AP", None),
        ("ANKARA (AA) - Türkiye and Iraq", "Ankara", "ANKARA", "AA", None),
        ("La Paz, Apr 8, 2025 (EFE).- Farmers", "La Paz", "La Paz", "EFE", "2025-04-08"),
        ("Washington (Reuters) - U.S. officials", "Washington", "Washington", "Reuters", None),
        (
            "RIO DE JANEIRO, March 3, 2025 (Reuters) - Brazil",
            "Rio de Janeiro",
            "RIO DE JANEIRO",
            "Reuters",
            "2025-03-03",
        ),
        (
            "DAR ES SALAAM, 5 June 2025 (Xinhua) -- Tanzania",
            "Dar es Salaam",
            "DAR ES SALAAM",
            "Xinhua",
            "2025-06-05",
        ),
        (
            "ST. PETERSBURG, June 14, 2024. /TASS/. The forum",
            "St. Petersburg",
            "ST. PETERSBURG",
            "TASS",
            "2024-06-14",
        ),
        # The region after the place is part of the dateline, not a country mention.
        ("VILNIUS, Lithuania (AP) — Lithuania's", "Vilnius", "VILNIUS, Lithuania", "AP", None),
        ("NAIROBI, Kenya, May 12, 2025 — Kenya's", "Nairobi", "NAIROBI, Kenya", None, "2025-05-12"),
        ("GAZA CITY — Residents said", "Gaza City", "GAZA CITY", None, None),
        ("MOSCOW. Feb 6, 2025 (Interfax) - Russia", "Moscow", "MOSCOW", "Interfax", "2025-02-06"),
        ("WASHINGTON, D.C. (Reuters) - The", "Washington", "WASHINGTON, D.C.", "Reuters", None),
        (
            "BRUSSELS/LONDON, March 3 (Reuters) - The EU",
            "Brussels/London",
            "BRUSSELS/LONDON",
            "Reuters",
            None,
        ),
        ("N'DJAMENA, Chad (AP) — Chad's", "N'Djamena", "N'DJAMENA, Chad", "AP", None),
        # A date and a period end a dateline too, with no agency or dash.
        ("LONDON, June 2. Britain and France", "London", "LONDON", None, None),
        ("KYIV, 3 March 2025. Ukraine's", "Kyiv", "KYIV", None, "2025-03-03"),
    ],
)
def test_dateline_styles_give_place_agency_and_date(
    opening: str, place: str, place_text: str, source: str | None, published: str | None
) -> None:
    text = f"Some headline about the news today\n\n{opening} more text follows here."
    found = wire.find_dateline(text)
    assert found is not None
    assert found.place == place
    assert text[found.span[0] : found.span[1]] == place_text
    assert found.source == source
    assert found.published == published


@pytest.mark.parametrize(
    "paragraph",
    [
        "BREAKING: The central bank raised rates.",
        "The president said. Then he left.",
        "Russia said (again) - nothing new.",
        "UN chief warns - more aid is needed.",
        "NATO said on Monday that it would meet.",
    ],
)
def test_prose_openings_are_not_datelines(paragraph: str) -> None:
    assert wire.find_dateline(paragraph) is None


def test_a_dateline_alone_in_its_paragraph_is_found() -> None:
    # Web pages often set the dateline in a paragraph (or a <p class="dateline">) of its own.
    text = "Talks in London\n\nLONDON, June 2.\n\nBritain and France agreed on Monday."
    found = wire.find_dateline(text)
    assert found is not None and found.place == "London"
    assert text[slice(*found.span)] == "LONDON"


def test_agency_opening_without_place_gives_the_source() -> None:
    meta = wire.wire_metadata("Firm beats forecasts, shares jump\n\n(Reuters) - The firm said.")
    assert (meta.source, meta.dateline, meta.dateline_span) == ("Reuters", None, None)


def test_dateline_without_year_never_invents_one() -> None:
    found = wire.find_dateline("BEIJING, March 3 (Xinhua) -- China said.")
    assert found is not None and found.published is None
    assert wire.wire_metadata("BEIJING, March 3 (Xinhua) -- China said.").published is None


def test_dateline_after_headline_and_lead_is_found_with_its_offset() -> None:
    text = (
        "Experts see a shift in policy, says analyst\n\n"
        "The analyst recalled the history of the issue\n\n"
        "MOSCOW, February 6. /TASS/. Russia is building ties."
    )
    meta = wire.wire_metadata(text)
    assert meta.dateline == "Moscow"
    assert meta.source == "TASS"
    assert meta.dateline_span is not None
    assert text[slice(*meta.dateline_span)] == "MOSCOW"
    assert meta.title == "Experts see a shift in policy, says analyst"


def test_dateline_deep_in_the_body_is_ignored() -> None:
    paragraphs = ["Some paragraph of ordinary prose here."] * 6
    text = "\n\n".join([*paragraphs, "PARIS (AFP) — France said."])
    assert wire.find_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Russia moving towards pragmatism, says expert\n\nBody.",
            "Russia moving towards pragmatism, says expert",
        ),
        ("Will the talks succeed?\n\nBody.", "Will the talks succeed?"),
        ("The minister spoke at length on Monday.\n\nBody.", None),  # a sentence, not a headline
        ("Hello\n\nBody.", None),  # too short to be a headline
        ("PARIS (AFP) — France said on Monday\n\nBody.", None),  # a dateline
        (" ".join(["word"] * 40), None),  # a run-on paragraph
    ],
)
def test_title_is_the_first_line_only_when_it_reads_as_a_headline(
    text: str, title: str | None
) -> None:
    assert wire.find_title(text) == title


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-03-12", "2025-03-12"),
        ("2025-03-12T10:00:00Z", "2025-03-12"),
        ("12 March 2025", "2025-03-12"),
        ("Thursday, 6th of February 2020", "2020-02-06"),
        ("March 12, 2025 9:12 AM UTC", "2025-03-12"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("12 MARCH 2025", "2025-03-12"),
        ("12.03.2025 14:30", "2025-03-12"),
        ("25/03/2025", "2025-03-25"),
        ("03/25/2025", "2025-03-25"),
        ("03/04/2025", None),  # day and month could be swapped: refuse to guess
        ("March 12", None),  # no year
        ("2025-02-30", None),  # no such day
        ("yesterday", None),
    ],
)
def test_parse_date_reads_common_full_dates_and_refuses_ambiguity(
    value: str, iso: str | None
) -> None:
    assert wire.parse_date(value) == iso


def test_published_line_gives_the_date() -> None:
    text = "A headline for the story here\n\nPublished: 12 March 2025\n\nBody text."
    assert wire.find_published(text) == "2025-03-12"
    assert wire.wire_metadata(text).published == "2025-03-12"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Published 12.03.2025 14:30", "2025-03-12"),
        ("Updated on Thursday, 6 February 2020, 14:00 GMT", "2020-02-06"),
        ("Date: 2024-11-04", "2024-11-04"),
        ("Updated rules came into force on 12 March 2025.", None),  # a sentence
        ("Posted by the editors on 12 March 2025", None),
    ],
)
def test_published_line_must_start_with_a_date(line: str, iso: str | None) -> None:
    assert wire.find_published(f"A headline for the story\n\n{line}\n\nBody.") == iso


def test_dateline_date_wins_over_published_line() -> None:
    text = "Published: 1 January 2020\n\nMOSCOW, February 6, 2024. /TASS/. Russia said."
    assert wire.wire_metadata(text).published == "2024-02-06"


@pytest.mark.parametrize(
    ("name", "cased"),
    [
        ("MOSCOW", "Moscow"),
        ("RIO DE JANEIRO", "Rio de Janeiro"),
        ("DAR ES SALAAM", "Dar es Salaam"),
        ("N'DJAMENA", "N'Djamena"),
        ("PORT-AU-PRINCE", "Port-au-Prince"),
        ("La Paz", "La Paz"),
    ],
)
def test_place_names_are_title_cased(name: str, cased: str) -> None:
    assert wire.title_case_place(name) == cased


def test_dateline_end_is_where_the_text_after_a_line_opening_dateline_starts() -> None:
    text = "Obama leads.\nCLEVELAND, July 19 (UPI) — Former Attorney General Michael Mukasey told"
    line = text.index("CLEVELAND")
    assert text[wire.dateline_end(text, line) :].startswith("Former Attorney")
    assert wire.dateline_end(text, 0) is None
