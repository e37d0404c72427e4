"""Talking points: embeddings, incremental grouping, the store table, the mirror and SQL.

The sample articles about Venezuela (``sample_articles/*venezuela*``) repeat
two claims in other words across outlets and hold near-misses that must stay
apart: a negation ("have not failed"), the same claim about another country
(Cuba), and a forecast negated ("will not recover").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from claimscope import points, queries
from claimscope.explore import Filters
from claimscope.mirror import Mirror
from claimscope.store import Store
from conftest import SAMPLE_ARTICLES, ingest_with_cli


@pytest.fixture(scope="session")
def embedder() -> points.Embedder:
    return points.load_embedder()


def _points_of(store: Store) -> dict[str, str]:
    """Claim text (quotation marks dropped) -> the id of its point."""
    frame = store.query(
        "SELECT q.text, p.point_id FROM claim_points p JOIN quotes q"
        " ON q.article_id = p.article_id AND q.quote_index = p.quote_index"
    )
    return {points.claim_text(t): p for t, p in zip(frame["text"], frame["point_id"], strict=True)}


# -- pieces ------------------------------------------------------------------------


def test_claim_text_drops_the_quotation_marks_and_extra_spaces() -> None:
    assert points.claim_text(" “The sanctions  have failed,” ") == "The sanctions have failed,"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The sanctions have failed.", False),
        ("The sanctions have not failed.", True),
        ("The sanctions haven't failed.", True),
        ("The elections were neither free nor fair.", True),
        ("Moscow is ready to talk without preconditions.", True),
        ("Nobody expected it.", True),
    ],
)
def test_a_claim_is_negated_when_it_holds_a_negation(text: str, expected: bool) -> None:
    assert points.negated(text) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("The sanctions have failed.", "The sanctions have not failed.", True),
        ("Germany will meet its climate targets.", "Germany will miss its climate targets.", True),
        ("France will keep its troops there.", "France will withdraw its troops.", True),
        ("The sanctions have failed.", "The sanctions did not work.", False),  # two flips
        ("Exports have fallen.", "Exports dropped sharply.", False),  # the same side
        ("Exports have fallen.", "Exports rose in May and fell in June.", False),  # both sides
        ("Output will recover.", "Prices will rise.", False),  # unrelated pairs
    ],
)
def test_stances_contradict_on_an_odd_number_of_flips(
    first: str, second: str, expected: bool
) -> None:
    assert points.stance(first).contradicts(points.stance(second)) is expected
    assert points.stance(second).contradicts(points.stance(first)) is expected


def test_embeddings_are_unit_vectors_and_paraphrases_are_closer_than_other_topics(
    embedder: points.Embedder,
) -> None:
    vectors = embedder.embed(["The sanctions have failed.", "", "Oil exports rose."])
    assert vectors.shape == (3, points.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any()  # no token: similar to nothing
    paraphrase = points.similarity(
        embedder,
        "The Western sanctions against Venezuela have failed.",
        "Washington's sanctions policy toward Venezuela has been a failure.",
    )
    other = points.similarity(
        embedder,
        "The Western sanctions against Venezuela have failed.",
        "Venezuela's oil production will recover this year.",
    )
    assert paraphrase >= points.THRESHOLD > other


def _claim(index: int, text: str, countries: tuple[str, ...] = ("VEN",)) -> points.Claim:
    return points.Claim("a" * 64, index, text, countries)


def test_a_paraphrase_joins_the_point_and_an_unrelated_claim_opens_one(
    embedder: points.Embedder,
) -> None:
    claims = [
        _claim(0, "The Western sanctions against Venezuela have failed."),
        _claim(1, "Washington's sanctions policy toward Venezuela has been a failure."),
        _claim(2, "Venezuela's oil production will recover this year."),
    ]
    placed = points.group(claims, embedder)
    assert [a.point_id for a in placed] == [claims[0].key, claims[0].key, claims[2].key]
    assert placed[0].similarity == 1.0 and points.THRESHOLD <= placed[1].similarity < 1.0


def test_a_negated_claim_or_one_about_another_country_never_joins(
    embedder: points.Embedder,
) -> None:
    claims = [
        _claim(0, "The sanctions against Venezuela have failed."),
        _claim(1, "The sanctions against Venezuela have not failed."),
        _claim(2, "The sanctions against Cuba have failed.", ("CUB",)),
        _claim(3, "The sanctions against Venezuela have failed!", ()),  # may join any
    ]
    vectors = embedder.embed([c.text for c in claims])
    assert float(vectors[0] @ vectors[1]) >= points.THRESHOLD  # the words alone would group
    placed = points.group(claims, embedder)
    assert [a.point_id for a in placed] == [
        claims[0].key,
        claims[1].key,
        claims[2].key,
        claims[0].key,
    ]


def test_a_fragment_stays_alone_and_nothing_joins_it(embedder: points.Embedder) -> None:
    claims = [
        _claim(0, "their families"),
        _claim(1, "their families"),
        _claim(2, "The sanctions against Venezuela have failed."),
        _claim(3, "Venezuela sanctions failed"),
    ]
    placed = points.group(claims, embedder)
    assert [a.point_id for a in placed] == [c.key for c in claims]


def test_grouping_is_deterministic(embedder: points.Embedder) -> None:
    claims = [
        _claim(i, text)
        for i, text in enumerate(
            [
                "The sanctions against Venezuela have failed.",
                "The unilateral sanctions imposed on Venezuela have proved ineffective.",
                "Russia's support remains the key factor for Venezuela's stability.",
                "Russian assistance is the main factor behind Venezuela's stability.",
            ]
        )
    ]
    first = points.group(claims, embedder)
    assert points.group(claims, embedder) == first
    assert len({a.point_id for a in first}) == 2


# -- the sample articles -------------------------------------------------------------


def test_sample_paraphrases_group_across_outlets_and_near_misses_do_not(
    sample_store: Path,
) -> None:
    with Store(sample_store, read_only=True) as store:
        found = _points_of(store)
        assert store.query("SELECT count(*) AS n FROM claim_points")["n"][0] == len(
            store.frame("quotes")
        )
    failed = found["The Western sanctions against Venezuela have failed,"]
    assert found["The unilateral sanctions imposed on Venezuela have proved ineffective,"] == failed
    assert found["Washington's sanctions policy toward Venezuela has been a failure,"] == failed
    support = found["Russia's support remains the key factor for Venezuela's stability,"]
    assert found["Russian assistance is the main factor behind Venezuela's stability,"] == support
    assert support != failed
    # Near-misses: the same words negated, or about another country.
    assert found["The sanctions against Venezuela have not failed,"] != failed
    assert found["The sanctions against Cuba have failed,"] != failed
    recover = found["Venezuela's oil production will recover this year,"]
    assert found["Venezuela's oil production will not recover this year,"] != recover
    assert recover != failed


def test_grouping_in_date_ordered_batches_matches_one_run(
    sample_store: Path, tmp_path: Path
) -> None:
    """Articles ingested one by one, oldest first: the same points as all at once."""
    by_date = [
        "tass-venezuela-sanctions-failed.txt",
        "xinhua-venezuela-sanctions-ineffective.txt",
        "reuters-venezuela-oil-output.txt",
        "afp-eu-venezuela-sanctions-not-failed.txt",
        "ap-cuba-embargo-venezuela-crude.txt",
    ]
    path = tmp_path / "batches.duckdb"
    for name in by_date:
        ingest_with_cli(path, [SAMPLE_ARTICLES / name])
    with Store(path, read_only=True) as one_by_one, Store(sample_store, read_only=True) as once:
        assert _points_of(one_by_one) == _points_of(once)


def test_an_update_groups_only_new_claims_and_moves_none(
    sample_store: Path, tmp_path: Path, embedder: points.Embedder
) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(sample_store, path)
    with Store(path) as store:
        before = store.query("SELECT * EXCLUDE (embedding) FROM claim_points")
        assert points.update_store(store, embedder) == 0
        version = store.version()
        assert points.regroup(store, embedder) == len(before)
        after = store.query("SELECT * EXCLUDE (embedding) FROM claim_points")
        assert store.version() == version  # the same rows again
    assert after.equals(before)  # regrouping everything in the fixed order: the same points


def test_an_older_store_without_the_table_opens_and_is_grouped_by_the_next_ingest(
    sample_store: Path, tmp_path: Path, embedder: points.Embedder
) -> None:
    path = tmp_path / "old.duckdb"
    shutil.copy(sample_store, path)
    with duckdb.connect(str(path)) as conn:
        conn.execute("DROP TABLE claim_points")
    with Store(path, read_only=True) as old:
        assert old.version().endswith(":0")
        mirror = Mirror()
        mirror.sync(old, old.version(), {})  # the dashboard reads it as before
        assert mirror.count("points") == 0 and mirror.count("claims") > 0
        with queries.selection(mirror, Filters()) as everything:
            assert queries.talking_points(everything, limit=10).empty
    with Store(path) as store:  # a writer creates the table; the next update fills it
        assert points.update_store(store, embedder) == len(store.frame("quotes"))
        assert _points_of(store) == _points_of(Store(sample_store, read_only=True))


# -- the dashboard's queries ---------------------------------------------------------


@pytest.fixture
def sample_mirror(sample_store: Path) -> Mirror:
    with Store(sample_store, read_only=True) as store:
        mirror = Mirror()
        mirror.sync(store, store.version(), {})
        return mirror


def test_talking_points_lists_the_largest_with_who_said_it_where_and_when(
    sample_mirror: Mirror,
) -> None:
    with queries.selection(sample_mirror, Filters()) as everything:
        table = queries.talking_points(everything, limit=10)
        top = table.iloc[0]
        claims = queries.point_claims(everything, top["point_id"])
    assert list(table.columns) == queries.POINT_COLUMNS
    assert (table["claims"] >= 2).all()
    assert list(table["claims"]) == sorted(table["claims"], reverse=True)
    assert "sanctions against Venezuela have failed" in top["claim"]
    assert (top["claims"], top["outlets"], top["articles"]) == (5, 3, 3)
    assert str(top["first"]) == "2025-03-04" and str(top["latest"]) == "2025-03-18"
    assert set(top["outlet_names"].split(", ")) == {"TASS", "Xinhua", "Reuters"}
    assert {"Igor Sokolov", "Zhang Hao", "Daniel Whitcomb"} <= set(top["speaker_names"].split(", "))
    assert len(claims) == top["claims"] and list(claims.columns) == queries.POINT_CLAIM_COLUMNS
    assert set(claims["outlet"]) == {"TASS", "Xinhua", "Reuters"}
    assert claims["article_id"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert list(claims["date"]) == sorted(claims["date"])


def test_talking_points_respect_the_filters(sample_mirror: Mirror) -> None:
    with queries.selection(sample_mirror, Filters(sources=("Xinhua", "Reuters"))) as chosen:
        table = queries.talking_points(chosen, limit=10)
    top = table.iloc[0]
    assert "TASS" not in top["outlet_names"] and top["claims"] == 3
    with queries.selection(sample_mirror, Filters(speakers=("Pierre Lemaire",))) as chosen:
        assert queries.talking_points(chosen, limit=10).empty  # his claim stands alone
        assert len(queries.talking_points(chosen, limit=10, min_claims=1)) == 1


def test_the_mirror_follows_new_and_regrouped_points(
    sample_store: Path, tmp_path: Path, embedder: points.Embedder
) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(sample_store, path)
    mirror = Mirror()
    with Store(path) as store:
        grouped = len(store.frame("quotes"))
        mirror.sync(store, store.version(), {})
        assert mirror.count("points") == grouped
        store.clear_points()  # fewer rows than copied: the mirror copies the store again
        mirror.sync(store, store.version(), {})
        assert mirror.count("points") == 0
        points.update_store(store, embedder)  # new rows: only they are copied
        mirror.sync(store, store.version(), {})
        assert mirror.count("points") == grouped
        with queries.selection(mirror, Filters()) as everything:
            assert queries.talking_points(everything, limit=1)["claims"].iloc[0] == 5
