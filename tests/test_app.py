"""The dashboard driven headless with Streamlit's AppTest, page by page.

Each test points ``CLAIMSCOPE_STORE`` at its own DuckDB file in ``tmp_path``:
empty, filled with a small hand-made corpus (exact numbers to assert on), or
filled through the real pipeline from ``sample_articles/``.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from spacy.language import Language
from streamlit.testing.v1 import AppTest

from claimscope.queries import CLAIMS_PER_PAGE
from claimscope.store import STORE_ENV_VAR
from conftest import SAMPLE_ARTICLES, require
from test_explore import fill_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = [
    "views/upload.py",
    "views/countries.py",
    "views/speakers.py",
    "views/points.py",
    "views/reader.py",
]


def _app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _open(page: str, query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = _app(query)
    at.switch_page(page)
    return at.run()


def _text(at: AppTest) -> str:
    """Every markdown, caption, info and warning string on the page."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "empty.duckdb"
    monkeypatch.setenv(STORE_ENV_VAR, str(path))
    return path


@pytest.fixture
def small_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three hand-made articles (see ``test_explore.make_articles``)."""
    path = tmp_path / "small.duckdb"
    fill_store(path).close()
    monkeypatch.setenv(STORE_ENV_VAR, str(path))
    return path


# -- empty store -------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "views/overview.py",
        "views/countries.py",
        "views/speakers.py",
        "views/points.py",
        "views/reader.py",
    ],
)
def test_every_page_tells_a_newcomer_to_upload_when_the_store_is_empty(
    empty_store: Path, page: str
) -> None:
    at = _open(page)
    assert not at.exception
    assert "No articles yet" in at.info[0].value


def test_upload_page_offers_the_uploader_and_the_samples(empty_store: Path) -> None:
    at = _open("views/upload.py")
    assert not at.exception
    assert at.title[0].value == "Upload articles"
    uploader = at.get("file_uploader")[0]
    assert uploader.accept_multiple_files
    assert at.button(key="upload.load_samples").label == "Load the sample articles"


# -- small hand-made store ------------------------------------------------------------


def test_overview_counts_everything_without_filters(small_store: Path) -> None:
    at = _app()
    assert not at.exception
    assert _metrics(at) == {"Articles": "3", "Countries": "4", "Speakers": "2", "Claims": "3"}
    charts = at.get("plotly_chart")
    bar = json.loads(charts[1].proto.spec)["data"][0]
    assert bar["y"][-1] == "Russia" and bar["customdata"][-1] == "RUS"
    assert json.loads(charts[0].proto.spec)["data"][0]["type"] == "choropleth"


def test_country_filter_from_the_url_narrows_the_overview(small_store: Path) -> None:
    at = _app({"country": "VEN"})
    assert not at.exception
    assert at.multiselect(key="filters.countries").value == ["VEN"]
    assert _metrics(at) == {"Articles": "2", "Countries": "3", "Speakers": "1", "Claims": "1"}


def test_changing_a_filter_writes_it_to_the_url_and_it_survives_switching_pages(
    small_store: Path,
) -> None:
    at = _app()
    at.multiselect(key="filters.speakers").set_value(["Sergey Lavrov"]).run()
    assert at.query_params["speaker"] == "Sergey Lavrov"
    assert _metrics(at)["Claims"] == "1"
    at.switch_page("views/speakers.py").run()
    assert not at.exception
    assert at.multiselect(key="filters.speakers").value == ["Sergey Lavrov"]
    claims = at.dataframe[-1].value
    assert claims["speaker"].tolist() == ["Sergey Lavrov"]
    assert claims["claim"].tolist() == ['"Cuba is a friend."']


def test_a_filter_that_matches_nothing_says_so(small_store: Path) -> None:
    at = _app({"q": "no such words anywhere"})
    assert not at.exception
    assert _metrics(at)["Articles"] == "0"
    assert "No article matches these filters" in at.warning[0].value


def test_bad_or_unknown_url_values_do_not_break_the_page(small_store: Path) -> None:
    at = _app({"country": "XYZ", "from": "not-a-date", "speaker_type": "wizard"})
    assert not at.exception
    assert at.multiselect(key="filters.countries").value == ["XYZ"]
    assert at.date_input(key="filters.date_from").value is None


def test_countries_page_defaults_to_the_filtered_country(small_store: Path) -> None:
    at = _open("views/countries.py", {"country": "VEN"})
    assert not at.exception
    assert at.selectbox[0].value == "VEN"
    assert _metrics(at) == {
        "Mentions": "2",
        "Articles": "2",
        "Speakers about it": "1",
        "Claims about it": "1",
    }
    speakers = at.dataframe[0].value
    assert speakers["speaker"].tolist() == ["Dmitry Razumovsky"]
    co = [json.loads(c.proto.spec)["data"][0] for c in at.get("plotly_chart")][-1]
    assert set(co["customdata"]) == {"CUB", "RUS"}


def test_speakers_page_ranks_speakers_and_lists_every_claim(small_store: Path) -> None:
    at = _open("views/speakers.py")
    assert not at.exception
    top = at.dataframe[0].value
    assert top["speaker"].tolist() == ["Dmitry Razumovsky", "Sergey Lavrov"]
    assert top["claims"].tolist() == [2, 1]
    claims = at.dataframe[1].value
    assert len(claims) == 3
    assert set(claims.columns) >= {
        "speaker",
        "role",
        "claim",
        "kind",
        "countries",
        "article",
        "date",
    }
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]


def test_edited_alias_table_renames_stored_speakers_on_every_page(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    table = tmp_path / "data" / "claimscope" / "aliases.csv"
    table.parent.mkdir(parents=True)
    table.write_text("alias,canonical\nDmitry Razumovsky,D. Razumovsky\n", encoding="utf-8")
    at = _open("views/speakers.py")
    assert not at.exception
    assert at.dataframe[0].value["speaker"].tolist() == ["D. Razumovsky", "Sergey Lavrov"]
    reader = _open("views/reader.py", {"article": "id-b"})
    assert reader.dataframe[0].value["speaker"].tolist() == ["D. Razumovsky"]


def test_speakers_page_search_box_narrows_the_claims(small_store: Path) -> None:
    at = _open("views/speakers.py")
    at.text_input(key="speakers.search").set_value("brazil").run()
    assert not at.exception
    assert at.dataframe[-1].value["speaker"].tolist() == ["Dmitry Razumovsky"]
    assert "1 claims" in _text(at)


def test_reader_escapes_the_article_and_highlights_its_annotations(small_store: Path) -> None:
    at = _open("views/reader.py", {"article": "id-b"})
    assert not at.exception
    assert at.selectbox[0].value == "id-b"
    body = at.html[-1].value
    assert "&lt;b&gt;matters&lt;/b&gt;" in body and "<b>matters" not in body
    assert '<mark class="cs-country" title="Brazil (BRA)">Brazil</mark>' in body
    assert 'class="cs-quote"' in body
    assert "quote" in at.html[0].value  # the legend
    quotes = at.dataframe[0].value
    assert quotes["speaker"].tolist() == ["Dmitry Razumovsky"]


def test_reader_without_a_link_opens_the_newest_article_and_puts_it_in_the_url(
    small_store: Path,
) -> None:
    at = _open("views/reader.py")
    assert not at.exception
    assert at.selectbox[0].value == "id-b"  # 2024-03-20, the newest
    assert at.query_params["article"] == "id-b"


def test_reader_link_to_an_unknown_article_warns(small_store: Path) -> None:
    at = _open("views/reader.py", {"article": "nope"})
    assert not at.exception
    assert "not in the store" in at.warning[0].value


# -- uploads and samples through the real pipeline --------------------------------------


def test_upload_stores_new_files_and_names_the_ones_that_fail(
    empty_store: Path, nlp: Language
) -> None:
    text = require(SAMPLE_ARTICLES / "tass-russia-cuba-energy.txt").read_bytes()
    at = _open("views/upload.py")
    at.get("file_uploader")[0].set_value(
        [
            ("tass.txt", text, "text/plain"),
            ("broken.pdf", b"%PDF-1.4 not really", "application/pdf"),
        ]
    )
    at.run()
    assert not at.exception
    results = at.dataframe[0].value.set_index("path")
    assert results.at["tass.txt", "status"] == "stored"
    assert results.at["tass.txt", "countries"] > 0
    assert results.at["broken.pdf", "status"] == "failed"
    assert any("broken.pdf" in e.value for e in at.error)
    at.switch_page("views/overview.py").run()
    assert _metrics(at)["Articles"] == "1"
    at.switch_page("views/upload.py").run()

    # The same text again is recognised as stored, not analysed twice.
    at.get("file_uploader")[0].set_value([("again.txt", text, "text/plain")])
    at.run()
    assert at.dataframe[0].value.set_index("path").at["again.txt", "status"] == "duplicate"


def test_upload_of_a_zip_stores_each_article_inside(empty_store: Path, nlp: Language) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("tass-russia-cuba-energy.txt", "xinhua-kenya-railway-extension.txt"):
            archive.writestr(name, require(SAMPLE_ARTICLES / name).read_bytes())
    at = _open("views/upload.py")
    at.get("file_uploader")[0].set_value(("wires.zip", buffer.getvalue(), "application/zip"))
    at.run()
    assert not at.exception
    results = at.dataframe[0].value
    assert results["status"].tolist() == ["stored", "stored"]
    assert all(path.startswith("wires.zip") for path in results["path"])


def test_load_the_samples_button_fills_every_page(empty_store: Path, nlp: Language) -> None:
    require(SAMPLE_ARTICLES)
    at = _open("views/upload.py")
    at.button(key="upload.load_samples").click().run()
    assert not at.exception
    results = at.dataframe[0].value
    stored = int((results["status"] == "stored").sum())
    assert stored >= 10 and not (results["status"] == "failed").any()
    assert "README" not in " ".join(results["path"])

    at.switch_page("views/overview.py").run()
    metrics = {k: int(v.replace(",", "")) for k, v in _metrics(at).items()}
    assert metrics["Articles"] == stored and metrics["Countries"] >= 5
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert not at.error, page
    at.switch_page("views/speakers.py").run()
    shown = len(at.dataframe[-1].value)
    assert shown == min(metrics["Claims"], CLAIMS_PER_PAGE)
    assert f"{metrics['Claims']:,} claims" in _text(at)
    if metrics["Claims"] > CLAIMS_PER_PAGE:  # the rest is on the next page
        at.number_input(key="speakers.page").set_value(2).run()
        assert len(at.dataframe[-1].value) == min(metrics["Claims"] - shown, CLAIMS_PER_PAGE)

    # Loading them again stores nothing new.
    at.switch_page("views/upload.py").run()
    at.button(key="upload.load_samples").click().run()
    assert set(at.dataframe[0].value["status"]) == {"duplicate"}


# -- talking points ------------------------------------------------------------------


@pytest.fixture
def points_store(sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Venezuela samples' store (see ``test_points``)."""
    path = tmp_path / "points.duckdb"
    shutil.copy(sample_store, path)
    monkeypatch.setenv(STORE_ENV_VAR, str(path))
    return path


def test_talking_points_page_shows_the_largest_point_and_who_said_it_where(
    points_store: Path,
) -> None:
    at = _open("views/points.py")
    assert not at.exception and not at.error
    table, claims = at.dataframe[0].value, at.dataframe[1].value
    assert "sanctions against Venezuela have failed" in table["claim"].iloc[0]
    assert (table["claims"] >= 2).all()
    assert "5 claims by 3 speakers in 3 outlets, 2025-03-04 to 2025-03-18" in _text(at)
    assert len(claims) == 5 and set(claims["outlet"]) == {"TASS", "Xinhua", "Reuters"}
    assert "Zhang Hao" in set(claims["speaker"])


def test_a_linked_talking_point_opens_with_its_claims(points_store: Path) -> None:
    support = _open("views/points.py").dataframe[0].value
    wanted = support[support["claim"].str.contains("Russia's support")]["point_id"].iloc[0]
    at = _open("views/points.py", {"point": wanted})
    claims = at.dataframe[1].value
    assert set(claims["speaker"]) == {"Igor Sokolov", "Maria Fernanda Rojas"}
    assert "2 claims by 2 speakers in 2 outlets" in _text(at)


def test_talking_points_follow_the_sidebar_filters(points_store: Path) -> None:
    at = _open("views/points.py", {"source": ["Xinhua", "Reuters"]})
    top = at.dataframe[0].value.iloc[0]
    assert top["claims"] == 3 and "TASS" not in top["outlet_names"]
    at = _open("views/points.py", {"speaker": "Pierre Lemaire"})
    assert "No talking point yet" in _text(at)


def test_talking_points_page_on_a_store_older_than_talking_points_says_so(
    points_store: Path,
) -> None:
    import duckdb

    with duckdb.connect(str(points_store)) as conn:
        conn.execute("DROP TABLE claim_points")
    at = _open("views/points.py")
    assert not at.exception and not at.error
    assert "written before talking points" in _text(at)
