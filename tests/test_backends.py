"""Every dashboard figure is the same on DuckDB and on PostgreSQL for the same articles:
every function of queries.py over each store's mirror, the pandas reference read from
each store, and every page run with AppTest against each."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from claimscope import explore, pipeline, points, queries, read
from claimscope.explore import Filters
from claimscope.mirror import Mirror
from claimscope.records import Article
from claimscope.settings import Settings
from claimscope.store import STORE_ENV_VAR, open_store
from conftest import SAMPLE_ARTICLES
from test_app import APP, _metrics, _text
from test_queries import FILTERS, random_articles

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

PAGES = [
    "views/overview.py",
    "views/countries.py",
    "views/speakers.py",
    "views/points.py",
    "views/reader.py",
]


@pytest.fixture(scope="module")
def corpus(nlp) -> list[Article]:
    """The sample articles through the real pipeline, and random ones for every filter."""
    settings = Settings(strict=True, jobs=1)
    items = read.read_paths([SAMPLE_ARTICLES], settings=settings)
    real = [r for r in pipeline.analyze(items, nlp, settings=settings) if isinstance(r, Article)]
    return real + random_articles(120)


@pytest.fixture(scope="module")
def locations(corpus, postgres, tmp_path_factory) -> dict[str, str]:
    """The same articles, written in the same order, into a DuckDB file and a PostgreSQL
    database."""
    found = {
        "duckdb": str(tmp_path_factory.mktemp("backends") / "news.duckdb"),
        "postgresql": postgres.new_database("news"),
    }
    embedder = points.load_embedder()
    for location in found.values():
        with open_store(location) as store:
            for first in range(0, len(corpus), 32):
                assert all(r is True for r in store.add_many(corpus[first : first + 32]))
            # Talking points, grouped by each store's own transaction.
            assert points.update_store(store, embedder) == store.count("quotes")
    return found


@pytest.fixture(scope="module")
def mirrors(locations) -> dict[str, Mirror]:
    built = {}
    for backend, location in locations.items():
        store = open_store(location)
        built[backend] = Mirror()
        built[backend].sync(store, store.version(), {})
    return built


def _same(duck: object, server: object) -> None:
    if isinstance(duck, pd.DataFrame):
        pd.testing.assert_frame_equal(duck, server)
    elif isinstance(duck, queries.Page):
        assert (duck.total, duck.offset) == (server.total, server.offset)
        pd.testing.assert_frame_equal(duck.rows, server.rows)
    else:
        assert duck == server


def _figures(db: Mirror, filters: Filters) -> dict[str, object]:
    """Every figure queries.py gives for ``filters``: what every page shows."""
    names = queries.country_names(db)
    found: dict[str, object] = {
        "country_names": names,
        "speaker_options": queries.speaker_options(db, limit=1_000),
        "source_counts": queries.source_counts(db),
    }
    with queries.selection(db, filters) as sel:
        found["summary"] = queries.summary(sel)
        found["country_counts"] = queries.country_counts(sel)
        found["speaker_counts"] = queries.speaker_counts(sel)
        found["top_speakers"] = queries.speaker_counts(sel, limit=3)
        for freq in ("D", "W", "M", None):
            found[f"timeline {freq}"] = queries.mentions_over_time(sel, freq=freq)
        found["matrix"] = queries.speaker_country_matrix(sel, names=names)
        found["tone matrix"] = queries.speaker_country_tone(sel, names=names)
        found["claims"] = queries.claims(sel, names=names)
        found["claims page"] = queries.claims(sel, names=names, offset=5, limit=7)
        found["claims look_for"] = queries.claims(sel, look_for="the", names=names)
        found["articles"] = queries.articles(sel, limit=500)
        for iso3 in ("RUS", "BRA", "KEN", "XXX"):
            found[f"co_mentions {iso3}"] = queries.co_mentions(sel, iso3)
            found[f"timeline {iso3}"] = queries.mentions_over_time(sel, iso3=iso3, freq="W")
            found[f"speakers about {iso3}"] = queries.speaker_counts(sel, iso3=iso3)
            found[f"top speakers about {iso3}"] = queries.speaker_counts(sel, iso3=iso3, limit=2)
            found[f"speakers about {iso3} in all"] = queries.speaker_total(sel, iso3=iso3)
            found[f"claims about {iso3}"] = queries.claims(sel, iso3=iso3, names=names)
        found["talking_points"] = queries.talking_points(sel, limit=50, min_claims=1)
        for point_id in found["talking_points"]["point_id"].tolist()[:5]:
            found[f"point {point_id}"] = queries.point_claims(sel, point_id)
        chosen = found["articles"].rows["id"].tolist()[:5]
    for article_id in chosen:
        found[f"article {article_id}"] = queries.article(db, article_id)
    return found


SAMPLE_FILTERS = [
    Filters(countries=("RUS",)),
    Filters(countries=("CUB", "VEN"), speaker_types=("official",)),
    Filters(sources=("TASS",), search="energy"),
    Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)),
    Filters(tones=("negative",)),
    Filters(countries=("VEN",), tones=("positive", "neutral")),
]


@pytest.mark.parametrize(
    "filters", FILTERS + SAMPLE_FILTERS, ids=lambda f: str(f.to_query_params()) or "none"
)
def test_every_query_gives_the_same_figures_on_both_backends(mirrors, filters) -> None:
    duck = _figures(mirrors["duckdb"], filters)
    server = _figures(mirrors["postgresql"], filters)
    assert duck.keys() == server.keys()
    for name in duck:
        try:
            _same(duck[name], server[name])
        except AssertionError as error:
            raise AssertionError(f"{name} differs: {error}") from None
    if filters == Filters():
        assert duck["summary"]["articles"] > 0 and len(duck["talking_points"]) > 0


def test_the_pandas_reference_reads_the_same_frames_from_both_backends(locations) -> None:
    duck, server = (
        explore.load_frames(open_store(locations[b]), aliases={}) for b in ("duckdb", "postgresql")
    )
    pd.testing.assert_frame_equal(duck.articles, server.articles, check_dtype=False)
    pd.testing.assert_frame_equal(duck.claims, server.claims, check_dtype=False)
    # The reference reads mentions in no order (a join): the same rows, sorted.
    columns = ["article_id", "iso3", "country", "via", "source"]
    pd.testing.assert_frame_equal(
        duck.mentions.sort_values(columns).reset_index(drop=True),
        server.mentions.sort_values(columns).reset_index(drop=True),
        check_dtype=False,
    )


def test_a_stored_article_reads_back_the_same_from_both_backends(locations, corpus) -> None:
    stores = [open_store(locations[b]) for b in ("duckdb", "postgresql")]
    for article in itertools.islice(corpus, 0, None, 9):
        # A quote's confidence is extraction output only: the stores do not keep it.
        stored = dataclasses.replace(
            article, quotes=tuple(dataclasses.replace(q, confidence=None) for q in article.quotes)
        )
        assert stores[0].article(article.id) == stores[1].article(article.id) == stored


def _page(location: str, page: str, monkeypatch, query: dict[str, str]) -> AppTest:
    monkeypatch.setenv(STORE_ENV_VAR, location)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    return at.run()


def _shown(at: AppTest) -> dict[str, object]:
    """What a page shows: metrics, tables, charts' data, text (errors must be none)."""
    assert not at.exception, at.exception
    return {
        "metrics": _metrics(at),
        "tables": [frame.value.reset_index(drop=True) for frame in at.dataframe],
        "text": _text(at),
        "charts": [chart.proto.spec for chart in at.get("plotly_chart")],
    }


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "query", [{}, {"country": "RUS"}, {"speaker_type": "official", "q": "the"}], ids=str
)
def test_every_page_shows_the_same_on_both_backends(locations, monkeypatch, page, query) -> None:
    duck = _shown(_page(locations["duckdb"], page, monkeypatch, query))
    server = _shown(_page(locations["postgresql"], page, monkeypatch, query))
    assert duck["metrics"] == server["metrics"]
    assert len(duck["tables"]) == len(server["tables"])
    for ours, theirs in zip(duck["tables"], server["tables"], strict=True):
        pd.testing.assert_frame_equal(ours, theirs)
    assert duck["charts"] == server["charts"]
    # The sidebar names the store (a URL's password hidden); the rest of the text is the same.
    assert f"Store: `{locations['duckdb']}`" in duck["text"]
    assert f"Store: `{locations['postgresql']}`" in server["text"]
    assert duck["text"].replace(locations["duckdb"], "STORE") == server["text"].replace(
        locations["postgresql"], "STORE"
    )
    assert duck["metrics"] or duck["tables"]
    if page == "views/overview.py":
        assert duck["charts"] and all(duck["charts"])


def test_a_dashboard_on_an_unreachable_server_says_so_without_the_password(monkeypatch) -> None:
    from pgserver import free_port

    url = f"postgresql://analyst:hunter2@127.0.0.1:{free_port()}/news"
    monkeypatch.setenv(STORE_ENV_VAR, url)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    (error,) = at.error
    assert "Cannot open the store at postgresql://analyst:***@127.0.0.1" in error.value
    assert "cannot reach the PostgreSQL store" in error.value
    assert "hunter2" not in error.value


def test_an_upload_from_the_browser_is_stored_in_postgresql(postgres, monkeypatch, nlp) -> None:
    url = postgres.new_database("upload")
    monkeypatch.setenv(STORE_ENV_VAR, url)
    monkeypatch.setenv("CLAIMSCOPE_JOBS", "1")
    text = (SAMPLE_ARTICLES / "tass-russia-cuba-energy.txt").read_bytes()
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("views/upload.py").run()
    at.get("file_uploader")[0].set_value([("tass.txt", text, "text/plain")])
    at.run()
    assert not at.exception
    assert at.dataframe[0].value.set_index("path").at["tass.txt", "status"] == "stored"
    at.switch_page("views/overview.py").run()
    assert _metrics(at)["Articles"] == "1"
    with open_store(url) as store:
        (stored,) = store.frame("articles")["path"]
    assert stored == "tass.txt"


def test_both_backends_hold_the_same_tones_and_they_are_not_empty(mirrors) -> None:
    counts = {backend: db.count("tones") for backend, db in mirrors.items()}
    assert counts["duckdb"] == counts["postgresql"] > 0
