"""The DuckDB store: schema, one transaction per article, duplicates, round trip."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from claimscope.records import (
    Article,
    CountryMention,
    EntityMention,
    Quote,
    RegionMention,
    Span,
)
from claimscope.store import Store, default_store_path

TEXT = 'Moscow says Brazil matters. "It does," Ivan Petrov said.'


def make_article(text: str = TEXT) -> Article:
    return Article(
        path="a.txt",
        id="a" * 64,
        title="Title",
        source="TASS",
        dateline="Moscow",
        published="2025-02-06",
        text=text,
        entities=(EntityMention(39, 50, "Ivan Petrov", "PERSON", "Ivan Petrov"),),
        countries=(
            CountryMention(0, 6, "Moscow", "RUS", "Russia", "capital"),
            CountryMention(12, 18, "Brazil", "BRA", "Brazil", "name"),
        ),
        regions=(RegionMention(0, 6, "Moscow", "Test region"),),
        quotes=(
            Quote(
                start=28,
                end=38,
                text='"It does,"',
                kind="direct",
                cue=Span(51, 55, "said"),
                speaker_mention=Span(39, 50, "Ivan Petrov"),
                speaker="Ivan Petrov",
                speaker_role=None,
                speaker_type="other",
                countries=("BRA",),
            ),
        ),
    )


def test_store_round_trips_an_article(tmp_path):
    article = make_article()
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add(article) is True
        assert store.article(article.id) == article


def test_store_reopens_a_file_with_its_rows(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.add(make_article())
    with Store(path) as store:
        assert store.count("articles") == 1
        assert store.count("quotes") == 1
        quotes = store.frame("quotes")
        assert quotes.loc[0, "speaker"] == "Ivan Petrov"
        assert list(quotes.loc[0, "countries"]) == ["BRA"]
        assert quotes.loc[0, "cue"]["text"] == "said"


def test_store_adding_the_same_id_twice_stores_nothing_new(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add(make_article()) is True
        version = store.version()
        assert store.add(make_article()) is False
        assert store.count("articles") == 1
        assert store.count("country_mentions") == 2
        assert store.version() == version


def test_store_failed_insert_leaves_nothing_half_written(tmp_path):
    # A quote with a kind of the wrong type makes the quotes insert fail after
    # the article row went in: the transaction must roll the article back too.
    broken = dataclasses.replace(
        make_article(),
        quotes=(dataclasses.replace(make_article().quotes[0], start="not a number"),),
    )
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(duckdb.Error):
            store.add(broken)
        for table in ("articles", "entities", "country_mentions", "quotes"):
            assert store.count(table) == 0, table
        assert store.add(make_article()) is True


def test_store_rejects_unknown_table(tmp_path):
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(ValueError, match="unknown table"):
        store.count("nope")


def test_default_store_path_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMSCOPE_STORE", str(tmp_path / "x.duckdb"))
    assert default_store_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("CLAIMSCOPE_STORE")
    assert default_store_path().name == "claimscope.duckdb"


def test_store_keeps_every_row_of_a_long_article(tmp_path):
    # More rows than one multi-row INSERT takes: the chunks must add up.
    words = " ".join(f"Name{i}" for i in range(450))
    entities = []
    position = 0
    for word in words.split(" "):
        entities.append(EntityMention(position, position + len(word), word, "PERSON", word))
        position += len(word) + 1
    article = dataclasses.replace(
        make_article(words), entities=tuple(entities), countries=(), regions=(), quotes=()
    )
    with Store(tmp_path / "s.duckdb") as store:
        store.add(article)
        assert store.count("entities") == 450
        assert store.article(article.id).entities == article.entities
