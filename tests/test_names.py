"""Canonical person and organisation names: variants, titles, diacritics, aliases."""

from __future__ import annotations

import itertools
import os

import pytest

from claimscope.names import canonical_org, canonical_person, canonical_place, load_aliases

NO_ALIASES: dict[str, str] = {}


@pytest.mark.parametrize(
    "written",
    [
        "Sergei Lavrov",
        "Sergey Lavrov",
        "Sergej Lavrov",
        "SERGEY LAVROV",
        "Mr. Sergey Lavrov",
        "Foreign Minister Sergei Lavrov\u2019s",
        "Sergey  Lavrov's",
        "Russian Foreign Minister Sergey Lavrov",
    ],
)
def test_person_variants_titles_and_possessive_give_one_name(written: str) -> None:
    assert canonical_person(written, aliases=NO_ALIASES) == "Sergei Lavrov"


@pytest.mark.parametrize(
    ("variants", "preferred"),
    [
        (["Dmitry Peskov", "Dmitri Peskov", "Dmitriy Peskov"], "Dmitry Peskov"),
        (["Aleksandr Novak", "Alexander Novak", "Alexandr Novak"], "Alexander Novak"),
        (["Yuri Ushakov", "Yury Ushakov", "Yuriy Ushakov"], "Yuri Ushakov"),
        (["Nikolai Patrushev", "Nikolay Patrushev"], "Nikolai Patrushev"),
        (["Andrei Rudenko", "Andrey Rudenko"], "Andrei Rudenko"),
        (["Alexei Overchuk", "Alexey Overchuk", "Aleksei Overchuk"], "Alexei Overchuk"),
        (["Evgeny Ivanov", "Yevgeny Ivanov", "Evgeniy Ivanov"], "Yevgeny Ivanov"),
        (["Nicolás Maduro", "Nicolas Maduro", "President Nicolas Maduro"], "Nicolas Maduro"),
    ],
)
def test_transliteration_and_diacritic_variants_merge(variants: list[str], preferred: str) -> None:
    assert {canonical_person(v, aliases=NO_ALIASES) for v in variants} == {preferred}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Sen. Maria Okafor", "Maria Okafor"),
        ("Dr Helen Brandt", "Helen Brandt"),
        ("Deputy Foreign Minister Sergei Ryabkov", "Sergei Ryabkov"),
        ("Prime Minister Kwame Mensah", "Kwame Mensah"),
        ("Ms Okafor", "Okafor"),
    ],
)
def test_titles_are_dropped_from_person_names(written: str, expected: str) -> None:
    assert canonical_person(written, aliases=NO_ALIASES) == expected


def test_roman_numerals_and_single_acronyms_keep_their_capitals() -> None:
    assert canonical_person("Andre Nzame III", aliases=NO_ALIASES) == "Andre Nzame III"
    assert canonical_person("BBC", aliases=NO_ALIASES) == "BBC"


def test_canonical_person_does_not_depend_on_order() -> None:
    spellings = ["Sergey Lavrov", "Sergei Lavrov", "Mr Sergei Lavrov", "SERGEY LAVROV"]
    results = {
        tuple(canonical_person(s, aliases=NO_ALIASES) for s in sorted(order))
        for order in itertools.permutations(spellings)
    }
    assert results == {("Sergei Lavrov",) * 4}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("the Valdai International Discussion Club", "Valdai International Discussion Club"),
        ("The Valdai International Discussion Club", "Valdai International Discussion Club"),
        ("Nato", "NATO"),
        ("the EU", "EU"),
        ("European Union", "EU"),
        ("TASS", "TASS"),
        ("Tass", "TASS"),
        ("BRICS", "BRICS"),
        ("Reuters'", "Reuters"),
    ],
)
def test_org_names_are_canonical(written: str, expected: str) -> None:
    assert canonical_org(written, aliases=NO_ALIASES) == expected


def test_country_possessive_org_takes_the_demonym() -> None:
    forms = [
        "the Russian Foreign Ministry",
        "Russian Foreign Ministry",
        "Russia's Foreign Ministry",
        "Russia\u2019s Foreign Ministry",
    ]
    assert {canonical_org(f, aliases=NO_ALIASES) for f in forms} == {"Russian Foreign Ministry"}
    assert canonical_org("the Foreign Ministry of Russia", aliases=NO_ALIASES) == (
        "Russian Foreign Ministry"
    )
    # Not a ministry of the country: the name is kept.
    assert canonical_org("Bank of England", aliases=NO_ALIASES) == "Bank of England"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("the US", "United States"),
        ("US", "United States"),
        ("the United States", "United States"),
        ("Moscow", "Moscow"),
        ("Russia's", "Russia"),
    ],
)
def test_country_names_and_abbreviations_are_canonical(written: str, expected: str) -> None:
    assert canonical_place(written, aliases=NO_ALIASES) == expected


def test_alias_table_overrides_the_rules(tmp_path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text(
        "alias,canonical\nSergei Lavrov,S. V. Lavrov\nValdai Club,Valdai Discussion Club\n"
        "the Valdai International Discussion Club,Valdai Discussion Club\n",
        encoding="utf-8",
    )
    aliases = load_aliases(table)
    # Applied after the rules, so every spelling the rules merge follows the alias.
    assert canonical_person("Sergey Lavrov", aliases=aliases) == "S. V. Lavrov"
    assert canonical_person("Foreign Minister Sergei Lavrov", aliases=aliases) == "S. V. Lavrov"
    assert canonical_org("Valdai Club", aliases=aliases) == "Valdai Discussion Club"
    assert (
        canonical_org("The Valdai International Discussion Club", aliases=aliases)
        == "Valdai Discussion Club"
    )
    assert canonical_person("Nicolas Maduro", aliases=aliases) == "Nicolas Maduro"


def test_alias_table_is_reread_when_the_file_changes(tmp_path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("alias,canonical\nMaduro,Nicolas Maduro Moros\n", encoding="utf-8")
    assert canonical_person("Maduro", aliases=load_aliases(table)) == "Nicolas Maduro Moros"
    table.write_text("alias,canonical\nMaduro,N. Maduro\n", encoding="utf-8")
    os.utime(table, ns=(0, 10**18))  # a distinct modification time even on coarse clocks
    assert canonical_person("Maduro", aliases=load_aliases(table)) == "N. Maduro"


def test_missing_alias_table_means_no_aliases(tmp_path) -> None:
    assert load_aliases(tmp_path / "absent.csv") == {}


def test_default_alias_table_lives_in_the_user_data_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = tmp_path / "claimscope"
    folder.mkdir()
    (folder / "aliases.csv").write_text("alias,canonical\nDmitry Peskov,Peskov D.\n")
    assert canonical_person("Dmitri Peskov") == "Peskov D."


def test_alias_table_without_its_columns_is_refused(tmp_path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("name,preferred\nA,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match="alias,canonical"):
        load_aliases(table)


def test_post_nominals_and_a_doubled_name_are_dropped() -> None:
    assert canonical_person("Philippe Sands QC", aliases=NO_ALIASES) == "Philippe Sands"
    assert canonical_person("Martin Luther King Jr.", aliases=NO_ALIASES) == "Martin Luther King"
    assert canonical_person("Stan Lee Stan Lee", aliases=NO_ALIASES) == "Stan Lee"


def test_initials_are_written_with_a_period() -> None:
    assert canonical_person("J Allard", aliases=NO_ALIASES) == "J. Allard"
    assert canonical_person("J. Allard", aliases=NO_ALIASES) == "J. Allard"
