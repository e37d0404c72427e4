"""Filters and aggregations of the dashboard, on a small hand-made store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from claimscope import explore
from claimscope.explore import Filters
from claimscope.records import Article, CountryMention, EntityMention, Quote, Span, Tone
from claimscope.store import Store


def _article(
    key: str,
    text: str,
    *,
    source: str,
    published: str | None,
    quotes: list[tuple[str, str, str, str, tuple[str, ...]]] = (),
    tones: dict[str, tuple[Tone, ...]] | None = None,
) -> Article:
    """An article whose country mentions and quotes are found by string search in ``text``.

    ``quotes``: (quoted text, speaker, role, type, countries); ``tones``: quoted text ->
    its tones.
    """
    names = {"Russia": "RUS", "Venezuela": "VEN", "Cuba": "CUB", "Brazil": "BRA"}
    countries = []
    for name, iso3 in names.items():
        start = text.find(name)
        while start != -1:
            countries.append(CountryMention(start, start + len(name), name, iso3, name, "name"))
            start = text.find(name, start + 1)
    countries.sort(key=lambda c: c.start)
    built = []
    for content, speaker, role, kind, codes in quotes:
        start = text.index(content)
        surname = speaker.split()[-1]
        at = text.index(surname)
        built.append(
            Quote(
                start=start,
                end=start + len(content),
                text=content,
                kind="direct",
                cue=None,
                speaker_mention=Span(at, at + len(surname), surname),
                speaker=speaker,
                speaker_role=role,
                speaker_type=kind,
                countries=codes,
                tone=(tones or {}).get(content, ()),
            )
        )
    entities = tuple(EntityMention(c.start, c.end, c.text, "GPE", c.country) for c in countries)
    return Article(
        path=f"{key}.txt",
        id=f"id-{key}",
        title=f"Article {key}",
        source=source,
        dateline=None,
        published=published,
        text=text,
        entities=entities,
        countries=tuple(countries),
        quotes=tuple(built),
    )


def make_articles() -> list[Article]:
    """Three small articles: two from TASS about Russia and Venezuela, one undated from BBC."""
    return [
        _article(
            "a",
            'Razumovsky said: "Russia will support Venezuela." Lavrov added: "Cuba is a friend."',
            source="TASS",
            published="2024-03-01",
            tones={
                '"Russia will support Venezuela."': (
                    Tone("RUS", "positive", 0.4),
                    Tone("VEN", "positive", 0.7),
                ),
                '"Cuba is a friend."': (Tone("CUB", "positive", 0.9),),
            },
            quotes=[
                (
                    '"Russia will support Venezuela."',
                    "Dmitry Razumovsky",
                    "expert",
                    "expert",
                    ("RUS", "VEN"),
                ),
                ('"Cuba is a friend."', "Sergey Lavrov", "foreign minister", "official", ("CUB",)),
            ],
        ),
        _article(
            "b",
            'Russia and Brazil met. Razumovsky said: "Brazil <b>matters</b> to Russia."',
            source="TASS",
            published="2024-03-20",
            tones={
                '"Brazil <b>matters</b> to Russia."': (
                    Tone("BRA", "neutral", 0.1),
                    Tone("RUS", "negative", -0.6),
                )
            },
            quotes=[
                (
                    '"Brazil <b>matters</b> to Russia."',
                    "Dmitry Razumovsky",
                    "expert",
                    "expert",
                    ("BRA", "RUS"),
                ),
            ],
        ),
        _article("c", "Cuba and Venezuela signed a deal in Havana.", source="BBC", published=None),
    ]


def fill_store(path: Path) -> Store:
    """A store at ``path`` holding :func:`make_articles`."""
    store = Store(path)
    for article in make_articles():
        store.add(article)
    return store


@pytest.fixture
def frames(tmp_path: Path) -> explore.Frames:
    with fill_store(tmp_path / "store.duckdb") as store:
        return explore.load_frames(store)


def test_load_frames_reads_every_article_mention_and_claim(frames: explore.Frames) -> None:
    assert len(frames.articles) == 3
    assert len(frames.mentions) == 9
    assert len(frames.claims) == 3
    assert frames.claims["countries"].iloc[0] in {("RUS", "VEN"), ("BRA", "RUS"), ("CUB",)}
    assert pd.api.types.is_datetime64_any_dtype(frames.articles["published"])


def test_filters_round_trip_through_query_params() -> None:
    filters = Filters(
        countries=("RUS", "VEN"),
        speakers=("Dmitry Razumovsky",),
        speaker_types=("expert",),
        sources=("TASS",),
        date_from=date(2024, 3, 1),
        date_to=date(2024, 3, 31),
        search="support",
        tones=("negative", "positive"),
    )
    params = filters.to_query_params()
    assert params["country"] == ["RUS", "VEN"]
    assert params["tone"] == ["negative", "positive"]
    assert params["from"] == "2024-03-01"
    assert Filters.from_query_params(params) == filters


def test_filters_from_query_params_accept_single_strings_and_drop_bad_values() -> None:
    filters = Filters.from_query_params(
        {
            "country": "rus",
            "speaker": "Dmitry Razumovsky",
            "speaker_type": ["expert", "wizard"],
            "from": "yesterday",
            "q": "",
            "tone": ["hostile", "negative"],
        }
    )
    assert filters == Filters(
        countries=("RUS",),
        speakers=("Dmitry Razumovsky",),
        speaker_types=("expert",),
        tones=("negative",),
    )
    assert Filters().is_empty and Filters().to_query_params() == {}


def test_country_filter_keeps_articles_mentioning_it_and_claims_about_it(
    frames: explore.Frames,
) -> None:
    view = explore.apply_filters(frames, Filters(countries=("VEN",)))
    assert sorted(view.articles["id"]) == ["id-a", "id-c"]
    assert view.claims["speaker"].tolist() == ["Dmitry Razumovsky"]
    assert set(view.mentions["article_id"]) == {"id-a", "id-c"}


def test_speaker_filter_keeps_their_claims_and_the_articles_holding_them(
    frames: explore.Frames,
) -> None:
    view = explore.apply_filters(frames, Filters(speakers=("Sergey Lavrov",)))
    assert view.articles["id"].tolist() == ["id-a"]
    assert view.claims["claim"].tolist() == ['"Cuba is a friend."']


def test_source_date_and_search_filters_combine(frames: explore.Frames) -> None:
    view = explore.apply_filters(
        frames, Filters(sources=("TASS",), date_from=date(2024, 3, 10), search="BRAZIL")
    )
    assert view.articles["id"].tolist() == ["id-b"]
    assert len(view.claims) == 1
    undated = explore.apply_filters(frames, Filters(date_to=date(2030, 1, 1)))
    assert "id-c" not in set(undated.articles["id"])


def test_tone_filter_keeps_claims_with_that_tone_and_the_articles_holding_them(
    frames: explore.Frames,
) -> None:
    view = explore.apply_filters(frames, Filters(tones=("negative",)))
    assert view.articles["id"].tolist() == ["id-b"]
    assert view.claims["claim"].tolist() == ['"Brazil <b>matters</b> to Russia."']
    positive = explore.apply_filters(frames, Filters(tones=("positive",)))
    assert sorted(positive.claims["speaker"]) == ["Dmitry Razumovsky", "Sergey Lavrov"]


def test_tone_filter_with_a_country_looks_at_the_tone_toward_that_country(
    frames: explore.Frames,
) -> None:
    # Razumovsky's claim in article b is neutral toward Brazil, negative toward Russia.
    toward_brazil = explore.apply_filters(frames, Filters(countries=("BRA",), tones=("negative",)))
    assert toward_brazil.claims.empty and toward_brazil.articles.empty
    toward_russia = explore.apply_filters(frames, Filters(countries=("RUS",), tones=("negative",)))
    assert toward_russia.articles["id"].tolist() == ["id-b"]
    assert len(toward_russia.claims) == 1


def test_speaker_country_tone_is_the_mean_score_per_speaker_and_country(
    frames: explore.Frames,
) -> None:
    tone = explore.speaker_country_tone(frames.claims, names=explore.country_names(frames))
    rows = {(r.speaker, r.iso3): (r.country, r.claims, r.score) for r in tone.itertuples()}
    assert rows[("Dmitry Razumovsky", "RUS")] == ("Russia", 2, pytest.approx(-0.1))
    assert rows[("Dmitry Razumovsky", "VEN")] == ("Venezuela", 1, pytest.approx(0.7))
    assert rows[("Sergey Lavrov", "CUB")] == ("Cuba", 1, pytest.approx(0.9))
    assert len(rows) == 4
    top = explore.speaker_country_tone(frames.claims, top_speakers=1, top_countries=1)
    assert top[["speaker", "iso3", "claims"]].values.tolist() == [["Dmitry Razumovsky", "RUS", 2]]


def test_claims_table_and_reader_show_each_claims_tone(frames: explore.Frames, tmp_path) -> None:
    table = explore.claims_table(frames.claims, names=explore.country_names(frames))
    assert "Brazil neutral +0.10; Russia negative -0.60" in table["tone"].tolist()
    with fill_store(tmp_path / "tone.duckdb") as store:
        article = store.article("id-b")
    rows = explore.article_rows(article, kind="quotes")
    assert rows["tone"].tolist() == ["BRA neutral +0.10; RUS negative -0.60"]
    assert "tone: BRA neutral +0.10; RUS negative -0.60" in explore.annotate_html(article)


def test_country_counts_rank_by_mentions(frames: explore.Frames) -> None:
    counts = explore.country_counts(frames.mentions)
    assert counts.iloc[0].to_dict() == {
        "iso3": "RUS",
        "country": "Russia",
        "mentions": 3,
        "articles": 2,
    }
    assert set(counts["iso3"]) == {"RUS", "VEN", "CUB", "BRA"}


def test_speaker_counts_give_claims_role_and_type(frames: explore.Frames) -> None:
    speakers = explore.speaker_counts(frames.claims)
    assert speakers.to_dict("records") == [
        {
            "speaker": "Dmitry Razumovsky",
            "role": "expert",
            "type": "expert",
            "claims": 2,
            "articles": 2,
        },
        {
            "speaker": "Sergey Lavrov",
            "role": "foreign minister",
            "type": "official",
            "claims": 1,
            "articles": 1,
        },
    ]


def test_speaker_country_matrix_counts_claims_per_country(frames: explore.Frames) -> None:
    matrix = explore.speaker_country_matrix(frames.claims, names=explore.country_names(frames))
    assert matrix.loc["Dmitry Razumovsky", "Russia"] == 2
    assert matrix.loc["Dmitry Razumovsky", "Cuba"] == 0
    assert matrix.loc["Sergey Lavrov", "Cuba"] == 1


def test_mentions_over_time_buckets_dated_mentions(frames: explore.Frames) -> None:
    daily = explore.mentions_over_time(frames.mentions, freq="D")
    assert daily["mentions"].sum() == 7  # the undated article's two mentions are left out
    monthly = explore.mentions_over_time(frames.mentions, iso3="RUS", freq="M")
    assert monthly.to_dict("records") == [
        {"period": pd.Timestamp("2024-03-01"), "mentions": 3, "articles": 2}
    ]


def test_co_mentions_counts_shared_articles(frames: explore.Frames) -> None:
    together = explore.co_mentions(frames.mentions, "VEN")
    assert dict(zip(together["iso3"], together["articles"], strict=True)) == {
        "CUB": 2,
        "RUS": 1,
    }
    assert explore.co_mentions(frames.mentions, "XXX").empty


def test_summary_and_claims_table(frames: explore.Frames) -> None:
    assert explore.summary(frames) == {"articles": 3, "countries": 4, "speakers": 2, "claims": 3}
    table = explore.claims_table(frames.claims, names=explore.country_names(frames))
    row = table[table["speaker"] == "Sergey Lavrov"].iloc[0]
    assert row["countries"] == "Cuba" and row["article"] == "Article a"
    assert row["date"] == date(2024, 3, 1)


def test_exports_hold_exactly_the_rows(frames: explore.Frames) -> None:
    table = explore.claims_table(frames.claims)
    csv = explore.to_csv_bytes(table).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("speaker,role,type,claim")
    assert len(pd.read_csv(__import__("io").StringIO(csv))) == 3
    workbook = pd.read_excel(__import__("io").BytesIO(explore.to_excel_bytes(table)))
    assert workbook["speaker"].tolist() == table["speaker"].tolist()


def test_annotate_html_escapes_the_text_and_nests_marks(tmp_path: Path) -> None:
    with fill_store(tmp_path / "s.duckdb") as store:
        article = store.article("id-b")
    markup = explore.annotate_html(article)
    assert "<b>" not in markup and "&lt;b&gt;matters&lt;/b&gt;" in markup
    assert '<mark class="cs-country" title="Russia (RUS)">Russia</mark>' in markup
    # A country inside a quote sits inside the quote's mark.
    assert '<mark class="cs-quote"' in markup
    assert markup.count("<mark") == markup.count("</mark>")
    plain = __import__("re").sub(r"<[^>]+>", "", markup)
    assert __import__("html").unescape(plain) == article.text


def test_article_rows_tables(tmp_path: Path) -> None:
    with fill_store(tmp_path / "s.duckdb") as store:
        article = store.article("id-a")
    quotes = explore.article_rows(article, kind="quotes")
    assert quotes["speaker"].tolist() == ["Dmitry Razumovsky", "Sergey Lavrov"]
    assert explore.article_rows(article, kind="countries")["iso3"].tolist() == ["RUS", "VEN", "CUB"]
    with pytest.raises(ValueError, match="unknown table"):
        explore.article_rows(article, kind="people")


def test_time_frequency_picks_days_weeks_or_months() -> None:
    def span(days: int) -> pd.Series:
        start = pd.Timestamp("2024-01-01")
        return pd.Series([start, start + pd.Timedelta(days=days)])

    assert explore.time_frequency(span(30)) == "D"
    assert explore.time_frequency(span(300)) == "W"
    assert explore.time_frequency(span(3000)) == "M"
    assert explore.time_frequency(pd.Series([], dtype="datetime64[ns]")) == "D"


def test_article_label_names_title_date_and_source() -> None:
    row = {"id": "x", "title": "Talks", "published": pd.Timestamp("2024-03-01"), "source": "TASS"}
    assert explore.article_label(row) == "Talks (2024-03-01, TASS)"
    assert explore.article_label({"id": "x", "path": "a.txt", "published": pd.NaT}) == "a.txt"


def test_empty_store_gives_empty_frames_and_aggregates(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.duckdb") as store:
        frames = explore.load_frames(store)
    assert explore.summary(frames) == {"articles": 0, "countries": 0, "speakers": 0, "claims": 0}
    view = explore.apply_filters(frames, Filters(countries=("RUS",), search="x"))
    assert view.articles.empty
    assert explore.country_counts(view.mentions).empty
    assert explore.speaker_counts(view.claims).empty
    assert explore.speaker_country_matrix(view.claims).empty
    assert explore.mentions_over_time(view.mentions).empty


def test_alias_table_renames_stored_speakers_when_read_not_when_stored(tmp_path: Path) -> None:
    with fill_store(tmp_path / "store.duckdb") as store:
        renamed = explore.load_frames(store, aliases={"dmitry razumovsky": "D. Razumovsky"})
        plain = explore.load_frames(store, aliases={})
        stored = set(store.query("SELECT speaker FROM quotes")["speaker"])
    assert "D. Razumovsky" in set(renamed.claims["speaker"])
    assert "Dmitry Razumovsky" not in set(renamed.claims["speaker"])
    assert "Dmitry Razumovsky" in set(plain.claims["speaker"])
    assert "Dmitry Razumovsky" in stored and "D. Razumovsky" not in stored


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, "", "  "])
def test_article_label_never_prints_a_missing_value(missing: object) -> None:
    row = {"id": "x", "title": "Briefing", "published": missing, "source": missing}
    assert explore.article_label(row) == "Briefing"


def test_article_label_of_a_store_row_without_date_or_source(tmp_path: Path) -> None:
    article = Article(path="b.txt", id="b" * 64, title="Briefing", source=None,
                      dateline=None, published=None, text="Peru exports copper.")  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        store.add(article)
        frames = explore.load_frames(store)
    (row,) = frames.articles.to_dict("records")
    assert explore.article_label(row) == "Briefing"


def test_markdown_from_an_upload_shows_as_written() -> None:
    escaped = explore.escape_markdown("[click](javascript:alert(1))\n**bold** `x` $a$ <b>")
    assert escaped == ("\\[click\\](javascript:alert(1)) \\*\\*bold\\*\\* \\`x\\` \\$a\\$ \\<b\\>")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/story?id=1", "https://example.org/story?id=1"),
        (" http://example.org/a ", "http://example.org/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("https://example.org/a b", None),
        (None, None),
    ],
)
def test_only_web_addresses_become_links(url: str | None, safe: str | None) -> None:
    assert explore.safe_url(url) == safe
