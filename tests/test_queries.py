"""The dashboard's SQL (over the mirror) gives what the pandas reference gives, for every
filter; the mirror follows the store as it grows and the alias table as it changes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from claimscope import explore, queries
from claimscope.explore import Filters
from claimscope.mirror import Mirror
from claimscope.records import POLARITIES, Article, CountryMention, Quote, Span, Tone
from claimscope.store import TABLES, Store, open_store
from test_explore import fill_store, make_articles

COUNTRIES = {"Russia": "RUS", "Venezuela": "VEN", "Cuba": "CUB", "Brazil": "BRA", "Kenya": "KEN"}
SPEAKERS = [("Ana Souza", "economist", "expert"), ("Ivan Petrov", "minister", "official"),
            ("Grace Wanjiru", "spokeswoman", "official"), ("Kenji Sato", None, None)]  # fmt: skip
WORDS = ["sanctions", "oil", "Trade", "growth", "talks", "Grain"]


class _Text:
    """A text built piece by piece; ``add`` gives each piece's offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> tuple[int, int]:
        self.parts.append(piece)
        self.length += len(piece)
        return self.length - len(piece), self.length


def random_articles(count: int, seed: int = 7) -> list[Article]:
    """Articles with random countries, quotes, speakers, sources and dates (some undated)."""
    rng = random.Random(seed)
    moods = random.Random(seed + 1)  # tones drawn apart: the other draws stay as they were
    built = []
    for n in range(count):
        text, countries, quotes = _Text(), [], []
        add = text.add
        for name in rng.sample(list(COUNTRIES), rng.randint(0, 3)):
            start, end = add(name)
            countries.append(CountryMention(start, end, name, COUNTRIES[name], name, "name"))
            add(" and others met. ")
        for _ in range(rng.randint(0, 4)):
            speaker, role, kind = rng.choice(SPEAKERS)
            named = [rng.choice(list(COUNTRIES)) for _ in range(rng.randint(0, 2))]
            content = f'"{rng.choice(WORDS)} in {" and ".join(named) or "general"} matter"'
            start, end = add(content)
            inside = []
            for name in named:
                at = text.parts[-1].index(name) + start
                countries.append(
                    CountryMention(at, at + len(name), name, COUNTRIES[name], name, "name")
                )
                inside.append(COUNTRIES[name])
            add(" said ")
            at, stop = add(speaker)
            add(". ")
            quotes.append(
                Quote(
                    start,
                    end,
                    content,
                    "direct",
                    None,
                    Span(at, stop, speaker),
                    speaker if rng.random() > 0.1 else None,
                    role,
                    kind,
                    tuple(dict.fromkeys(inside)),
                    tuple(
                        Tone(target, moods.choice(POLARITIES), round(moods.uniform(-1, 1), 3))
                        for target in [*dict.fromkeys(inside), speaker][: moods.randint(0, 3)]
                    ),
                )  # fmt: skip
            )
        countries.sort(key=lambda c: c.start)
        published = (
            None if rng.random() < 0.15 else str(date(2023, 1, 1) + timedelta(rng.randint(0, 700)))
        )
        built.append(
            Article(
                path=f"r{n}.txt",
                id=f"{n:064d}",
                title=f"Story {n % 7}",
                source=rng.choice(["TASS", "BBC", "Reuters", None]),
                dateline=None,
                published=published,
                text="".join(text.parts) or "Nothing.",
                countries=tuple(countries),
                quotes=tuple(quotes),
            )  # fmt: skip
        )
    return built


FILTERS = [
    Filters(),
    Filters(countries=("VEN",)),
    Filters(countries=("RUS", "CUB")),
    Filters(speakers=("Ana Souza",)),
    Filters(speakers=("Ivan Petrov", "Kenji Sato"), countries=("BRA",)),
    Filters(speaker_types=("official",)),
    Filters(search="OIL"),
    Filters(search="grain in"),
    Filters(sources=("TASS", "BBC")),
    Filters(date_from=date(2023, 6, 1)),
    Filters(date_from=date(2023, 3, 1), date_to=date(2024, 2, 29), search="trade"),
    Filters(countries=("KEN",), speaker_types=("expert",), sources=("Reuters",)),
    Filters(search="no such words"),
    Filters(tones=("negative",)),
    Filters(tones=("positive", "neutral"), countries=("VEN",)),
    Filters(tones=("positive",), speakers=("Ana Souza",), sources=("TASS",)),
]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Mirror, explore.Frames]:
    path = tmp_path_factory.mktemp("q") / "random.duckdb"
    with Store(path) as store:
        store.add_many(random_articles(120))
        mirror = Mirror()
        mirror.sync(store, store.version(), {})
        return mirror, explore.load_frames(store, aliases={})


def _same(ours: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        ours.reset_index(drop=True), reference.reset_index(drop=True), check_dtype=False
    )


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.to_query_params()) or "none")
def test_sql_gives_the_reference_figures(both, filters: Filters) -> None:
    mirror, frames = both
    view = explore.apply_filters(frames, filters)
    names = queries.country_names(mirror)
    assert names == explore.country_names(frames)
    with queries.selection(mirror, filters) as sel:
        assert queries.summary(sel) == explore.summary(view)
        assert queries.speaker_total(sel) == len(explore.speaker_counts(view.claims))
        _same(queries.country_counts(sel), explore.country_counts(view.mentions))
        _same(queries.speaker_counts(sel), explore.speaker_counts(view.claims))
        for freq in ("D", "W", "M", None):
            _same(
                queries.mentions_over_time(sel, freq=freq),
                explore.mentions_over_time(view.mentions, freq=freq),
            )
        matrix = queries.speaker_country_matrix(sel, names=names)
        reference = explore.speaker_country_matrix(view.claims, names=names)
        assert matrix.empty == reference.empty
        if not reference.empty:
            _same(matrix, reference)
        _same(
            queries.speaker_country_tone(sel, names=names, top_speakers=3, top_countries=4),
            explore.speaker_country_tone(view.claims, names=names, top_speakers=3, top_countries=4),
        )
        page = queries.claims(sel, names=names)
        assert page.total == len(view.claims)
        _same(page.rows, explore.claims_table(view.claims, names=names))
        chosen = queries.articles(sel, limit=10_000)
        assert chosen.total == len(view.articles)
        assert chosen.rows["id"].tolist() == view.articles["id"].tolist()


@pytest.mark.parametrize("iso3", ["RUS", "KEN", "XXX"])
def test_country_page_figures_match_the_reference(both, iso3: str) -> None:
    mirror, frames = both
    filters = Filters(speaker_types=("official", "expert"))
    view = explore.apply_filters(frames, filters)
    about = explore.claims_about(view.claims, iso3)
    with queries.selection(mirror, filters) as sel:
        _same(queries.co_mentions(sel, iso3), explore.co_mentions(view.mentions, iso3))
        _same(
            queries.mentions_over_time(sel, iso3=iso3, freq="W"),
            explore.mentions_over_time(view.mentions, iso3=iso3, freq="W"),
        )
        _same(queries.speaker_counts(sel, iso3=iso3), explore.speaker_counts(about))
        _same(queries.speaker_counts(sel, iso3=iso3, limit=1), explore.speaker_counts(about)[:1])
        assert queries.speaker_total(sel, iso3=iso3) == len(explore.speaker_counts(about))
        _same(queries.claims(sel, iso3=iso3).rows, explore.claims_table(about))


def test_a_page_of_claims_is_a_slice_of_them_all(both) -> None:
    mirror, _ = both
    with queries.selection(mirror, Filters()) as sel:
        every = queries.claims(sel).rows
        page = queries.claims(sel, offset=20, limit=10)
        looked = queries.claims(sel, look_for="SOUZA")
        looked_page = queries.claims(sel, look_for="souza", offset=3, limit=4)
    assert page.total == len(every) and len(page.rows) == 10
    _same(page.rows, every.iloc[20:30])
    souza = every[every["speaker"] == "Ana Souza"].reset_index(drop=True)
    assert looked.total == len(souza)
    _same(looked_page.rows, souza.iloc[3:7])


def test_speaker_options_and_limits_rank_by_claims(both) -> None:
    mirror, frames = both
    reference = explore.speaker_counts(frames.claims)
    assert list(queries.speaker_options(mirror, limit=2).items()) == list(
        zip(reference["speaker"][:2], reference["claims"][:2], strict=True)
    )
    with queries.selection(mirror, Filters()) as sel:
        _same(queries.speaker_counts(sel, limit=2), reference.head(2))


@pytest.mark.parametrize("filters", FILTERS[:6] + FILTERS[9:12], ids=str)
def test_a_selection_opened_again_from_its_work_gives_the_same_figures(both, filters) -> None:
    mirror, _ = both
    names = queries.country_names(mirror)

    def figures(sel: queries.Selection) -> list[object]:
        return [
            queries.summary(sel),
            queries.country_counts(sel),
            queries.speaker_counts(sel, limit=2),
            queries.speaker_country_matrix(sel, names=names),
            queries.claims(sel, names=names, limit=7).rows,
            queries.talking_points(sel, limit=5, min_claims=1),
        ]

    with queries.selection(mirror, filters) as first:
        expected, kept = figures(first), first.selected()
    # Another connection (another page or session), the first one closed meanwhile.
    with queries.selection(mirror, filters, kept) as again:
        found = figures(again)
    for ours, reference in zip(found, expected, strict=True):
        if isinstance(ours, pd.DataFrame):
            pd.testing.assert_frame_equal(ours, reference)
        else:
            assert ours == reference


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 10])
def test_the_busiest_speakers_are_the_head_of_them_all_ties_included(both, limit: int) -> None:
    mirror, _ = both
    for filters in (Filters(), Filters(countries=("VEN",)), Filters(search="oil")):
        with queries.selection(mirror, filters) as sel:
            every = queries.speaker_counts(sel)
            top = queries.speaker_counts(sel, limit=limit)
            # A missing role is None or NaN depending on the other rows of the column.
            _same(top.astype(object).fillna(""), every.head(limit).astype(object).fillna(""))
            assert queries.speaker_total(sel) == len(every)


def test_the_mirror_adds_what_is_stored_later_and_renames_by_alias(store_location: str) -> None:
    articles = make_articles()
    with open_store(store_location) as store:
        store.add_many(articles[:2])
        mirror = Mirror()
        mirror.sync(store, store.version(), {})
        assert mirror.count() == 2
        store.add(articles[2])
        mirror.sync(store, store.version(), {"dmitry razumovsky": "D. Razumovsky"})
        assert mirror.count() == 3 and mirror.count("claims") == 3
        assert _speakers(mirror) == {"D. Razumovsky", "Sergey Lavrov"}
        with queries.selection(mirror, Filters(speakers=("D. Razumovsky",))) as sel:
            assert queries.summary(sel)["claims"] == 2
        mirror.sync(store, store.version(), {})
        assert _speakers(mirror) == {"Dmitry Razumovsky", "Sergey Lavrov"}
        stored = set(store.query("SELECT speaker FROM quotes")["speaker"])
    assert "D. Razumovsky" not in stored


def test_a_store_replaced_by_another_is_copied_again(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with fill_store(path) as store:
        mirror = Mirror()
        mirror.sync(store, store.version(), {})
    path.unlink()
    with Store(path) as store:
        store.add(make_articles()[0])
        mirror.sync(store, store.version(), {})
        assert mirror.count() == 1
        with queries.selection(mirror, Filters()) as sel:
            assert queries.summary(sel)["claims"] == 2


@pytest.mark.postgresql
def test_a_server_store_emptied_and_refilled_is_copied_again(postgres) -> None:
    url = postgres.new_database()
    articles = make_articles()
    with open_store(url) as store:
        store.add_many(articles)
        mirror = Mirror()
        mirror.sync(store, store.version(), {})
        assert mirror.count() == 3
        with psycopg.connect(url, autocommit=True) as conn:  # another database behind the URL
            conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")
        store.add(articles[0])
        mirror.sync(store, store.version(), {})
        assert mirror.count() == 1
        with queries.selection(mirror, Filters()) as sel:
            assert queries.summary(sel)["claims"] == 2


def test_aliases_that_merge_two_speakers_count_them_as_one(tmp_path: Path) -> None:
    with fill_store(tmp_path / "s.duckdb") as store:
        mirror = Mirror()
        mirror.sync(store, store.version(), {"sergey lavrov": "Razumovsky & Lavrov",
                                             "dmitry razumovsky": "Razumovsky & Lavrov"})  # fmt: skip
    with queries.selection(mirror, Filters()) as sel:
        speakers = queries.speaker_counts(sel)
        assert queries.summary(sel)["speakers"] == 1
    assert speakers[["speaker", "claims", "articles"]].values.tolist() == [
        ["Razumovsky & Lavrov", 3, 2]
    ]


def _speakers(mirror: Mirror) -> set[str]:
    with queries.selection(mirror, Filters()) as sel:
        return set(queries.speaker_counts(sel)["speaker"])


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(countries=("VEN",)), Filters(speakers=("Ana Souza",))], ids=str
)
def test_tone_pairs_copied_in_several_syncs_give_the_reference_tone_heatmap(
    tmp_path: Path, filters: Filters
) -> None:
    articles = random_articles(60, seed=11)
    aliases = {"ivan petrov": "Ana Souza"}  # a merge: pairs follow the names shown
    with Store(tmp_path / "s.duckdb") as store:
        mirror = Mirror()
        for part in (articles[:20], articles[20:45], articles[45:]):
            store.add_many(part)
            mirror.sync(store, store.version(), {})
        mirror.sync(store, store.version(), aliases)
        frames = explore.load_frames(store, aliases=aliases)
    view = explore.apply_filters(frames, filters)
    names = queries.country_names(mirror)
    reference = explore.speaker_country_tone(view.claims, names=names)
    assert not reference.empty
    with queries.selection(mirror, filters) as sel:
        _same(queries.speaker_country_tone(sel, names=names), reference)
