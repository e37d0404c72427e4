"""What every page shares: the cached store, model and mirror, the cached queries, the global filters.

The filters live in the URL (``?country=RUS&speaker=...``) so a view can be
bookmarked and shared. The sidebar widgets read the URL once per session and
from then on write every change back to it; their values survive switching
pages because the widgets are drawn by the entry file on every run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from claimscope import explore, logs, names, queries, read
from claimscope.explore import FILTER_PARAMS, POLARITIES, SPEAKER_TYPES, Filters
from claimscope.mirror import Mirror
from claimscope.settings import Settings
from claimscope.settings import store_location as configured_location
from claimscope.store import Store

if TYPE_CHECKING:
    from spacy.language import Language

    from claimscope import pgstore
    from claimscope.records import Article

APP_DIR = Path(__file__).resolve().parent.parent
SAMPLE_DIR = APP_DIR / "sample_articles"

# Page scripts, relative to the entry file (for st.switch_page and st.page_link).
UPLOAD_PAGE = "views/upload.py"
OVERVIEW_PAGE = "views/overview.py"
COUNTRIES_PAGE = "views/countries.py"
SPEAKERS_PAGE = "views/speakers.py"
READER_PAGE = "views/reader.py"
POINTS_PAGE = "views/points.py"

# Plotly options for every chart: no toolbar, and the world map's shapes from
# static/ (served by enableStaticServing) rather than Plotly's CDN, so the map
# draws offline too.
PLOTLY_CONFIG = {"displayModeBar": False, "topojsonURL": "app/static/"}

# Session-state keys of the sidebar filter widgets (namespaced "filters.").
_KEYS = {
    "countries": "filters.countries",
    "speakers": "filters.speakers",
    "speaker_types": "filters.speaker_types",
    "sources": "filters.sources",
    "date_from": "filters.date_from",
    "date_to": "filters.date_to",
    "search": "filters.search",
    "tones": "filters.tones",
}
_LOADED_KEY = "filters.loaded_from_url"
_SAVED_KEY = "filters.saved"  # a plain copy that outlives widget-state cleanup
_EARLIEST, _LATEST = date(1900, 1, 1), date(2100, 12, 31)
# What a page shows at most (the rest is a filter, a page or an export away).
SPEAKER_OPTIONS = 1_000  # in the sidebar picker; any other name can be typed
TOP_SPEAKERS = 100  # in the Speakers & claims table
CLAIMS_PER_PAGE = queries.CLAIMS_PER_PAGE
ARTICLES_IN_PICKER = 500
TOP_POINTS = 50  # talking points listed, largest first


# -- loaders ---------------------------------------------------------------------


def settings() -> Settings:
    """Limits and error policy from the environment (``CLAIMSCOPE_*``), as for the CLI."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def open_store(path: str) -> Store | pgstore.PostgresStore:
    """One store per location (a DuckDB file or a ``postgresql://`` URL), shared by all
    sessions (it is thread-safe and keeps no connection open: each read opens the file
    read-only for a moment, so CLI ingests and other dashboards use the same store
    meanwhile). The server's log goes to the file beside the store."""
    from claimscope.store import open_store as open_any

    logs.log_to_file_once(logs.log_path(path))
    return open_any(path, wait=settings().store_wait)


def store_location() -> str:
    """Where the store lives: ``$CLAIMSCOPE_STORE`` (a file or a URL), else the user's
    data directory."""
    return configured_location()


def get_store() -> Store | pgstore.PostgresStore:
    """The store at :func:`store_location`."""
    return open_store(store_location())


@st.cache_resource(show_spinner="Loading the language model…")
def get_nlp() -> Language:
    """The spaCy pipeline, loaded once per server process (never pickled per session).

    spaCy is imported here, not at the top: only the Upload page needs it, so
    the other pages open without paying for the import.
    """
    from claimscope import nlp as nlp_stage

    return nlp_stage.load()


@st.cache_resource(show_spinner=False)
def _mirror(path: str) -> Mirror:
    """One in-memory mirror of the store per server, shared by all sessions (see
    :mod:`claimscope.mirror`: the store's file is attached only to copy new rows)."""
    return Mirror()


def mirror() -> Mirror:
    """The mirror, brought up to the store's version and the user's alias table."""
    store = get_store()
    with st.spinner("Reading the store…", show_time=True):
        database = _mirror(store.path)
        database.sync(store, store_version(), names.load_aliases())
    return database


def _key(filters: Filters) -> str:
    # A stable, hashable cache key (the filters themselves ride along unhashed).
    return repr(filters)


# Cached per store version, alias table and filter set: a rerun with the same
# filters (a click elsewhere, another session) reads nothing. Each entry holds
# only what a page shows.
_CACHE = {"show_spinner": False, "max_entries": 64}


@st.cache_resource(show_spinner=False, max_entries=8)
def _selected(
    path: str, version: str, aliases: str, key: str, _filters: Filters
) -> queries.Selected:
    """What a filter set selects, worked out once for every page and session (Arrow
    tables shared read-only; at 200,000 articles a broad filter's take some 30 MB, so
    only the last eight filter sets are kept)."""
    with queries.selection(_mirror(path), _filters) as chosen:
        return chosen.selected()


def _selection(
    path: str, version: str, aliases: str, key: str, filters: Filters
) -> contextlib.AbstractContextManager[queries.Selection]:
    """A selection of ``filters`` opened on the work :func:`_selected` keeps."""
    selected = _selected(path, version, aliases, key, filters)
    return queries.selection(_mirror(path), filters, selected)


@st.cache_data(**_CACHE)
def _options(
    path: str, version: str, aliases: str
) -> tuple[dict[str, str], dict[str, int], dict[str, int], dict[str, int]]:
    """Sidebar choices with their counts: country names, countries, speakers, sources."""
    database = _mirror(path)
    with queries.selection(database, Filters()) as everything:
        counts = queries.country_counts(everything)
    return (
        queries.country_names(database),
        explore.options_with_counts(counts, "iso3", "articles"),
        queries.speaker_options(database, limit=SPEAKER_OPTIONS),
        queries.source_counts(database),
    )


def _names(path: str, version: str, aliases: str) -> dict[str, str]:
    """ISO3 -> country name, from the sidebar's cached choices (not read again per page)."""
    return _options(path, version, aliases)[0]


@st.cache_data(**_CACHE)
def _summary(path: str, version: str, aliases: str, key: str, _filters: Filters) -> dict[str, int]:
    # The headline counts of every page but the reader's, worked out once per filter set.
    with _selection(path, version, aliases, key, _filters) as chosen:
        return queries.summary(chosen)


@st.cache_data(**_CACHE)
def _counts(
    path: str, version: str, aliases: str, key: str, _filters: Filters
) -> tuple[dict[str, int], pd.DataFrame]:
    # Shared by the Overview and the Countries page (whose view of another filter set
    # is often one the Overview has shown).
    totals = _summary(path, version, aliases, key, _filters)
    with _selection(path, version, aliases, key, _filters) as chosen:
        return totals, queries.country_counts(chosen)


@st.cache_data(**_CACHE)
def _timeline(path: str, version: str, aliases: str, key: str, _filters: Filters) -> pd.DataFrame:
    with _selection(path, version, aliases, key, _filters) as chosen:
        return queries.mentions_over_time(chosen)


SpeakersData = tuple[dict[str, int], pd.DataFrame, pd.DataFrame, queries.Page, pd.DataFrame]


@st.cache_data(**_CACHE)
def _speakers(path: str, version: str, aliases: str, key: str, _filters: Filters) -> SpeakersData:
    country_names_ = _names(path, version, aliases)
    totals = _summary(path, version, aliases, key, _filters)
    with _selection(path, version, aliases, key, _filters) as chosen:
        return (
            totals,
            queries.speaker_counts(chosen, limit=TOP_SPEAKERS),
            queries.speaker_country_matrix(chosen, names=country_names_),
            queries.claims(chosen, names=country_names_, limit=CLAIMS_PER_PAGE),
            queries.speaker_country_tone(chosen, names=country_names_),
        )


CountryData = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int, queries.Page]


def _about(names_: dict[str, str], chosen: queries.Selection, iso3: str) -> CountryData:
    """One country's timeline, co-mentioned countries, busiest speakers about it and how
    many speak about it, and first page of claims."""
    return (
        queries.mentions_over_time(chosen, iso3=iso3),
        queries.co_mentions(chosen, iso3),
        queries.speaker_counts(chosen, iso3=iso3, limit=TOP_SPEAKERS),
        queries.speaker_total(chosen, iso3=iso3),
        queries.claims(chosen, iso3=iso3, names=names_, limit=CLAIMS_PER_PAGE),
    )


@st.cache_data(**_CACHE)
def _country(
    path: str, version: str, aliases: str, key: str, _filters: Filters, iso3: str
) -> CountryData:
    names_ = _names(path, version, aliases)
    with _selection(path, version, aliases, key, _filters) as chosen:
        return _about(names_, chosen, iso3)


@st.cache_data(**_CACHE)
def _claims(
    path: str,
    version: str,
    aliases: str,
    key: str,
    _filters: Filters,
    iso3: str | None,
    look_for: str,
    offset: int,
) -> queries.Page:
    names_ = _names(path, version, aliases)
    with _selection(path, version, aliases, key, _filters) as chosen:
        return queries.claims(
            chosen,
            iso3=iso3,
            look_for=look_for,
            names=names_,
            offset=offset,
            limit=CLAIMS_PER_PAGE,
        )


@st.cache_data(**_CACHE)
def _articles(path: str, version: str, aliases: str, key: str, _filters: Filters) -> queries.Page:
    with _selection(path, version, aliases, key, _filters) as chosen:
        return queries.articles(chosen, limit=ARTICLES_IN_PICKER)


@st.cache_data(**_CACHE)
def _points(
    path: str, version: str, aliases: str, key: str, _filters: Filters
) -> tuple[dict[str, int], pd.DataFrame]:
    totals = _summary(path, version, aliases, key, _filters)
    with _selection(path, version, aliases, key, _filters) as chosen:
        return totals, queries.talking_points(chosen, limit=TOP_POINTS)


@st.cache_data(**_CACHE)
def _point_claims(
    path: str, version: str, aliases: str, key: str, _filters: Filters, point_id: str
) -> pd.DataFrame:
    with _selection(path, version, aliases, key, _filters) as chosen:
        return queries.point_claims(chosen, point_id)


def _args(filters: Filters) -> tuple[str, str, str, str, Filters]:
    database = mirror()
    del database  # synced: the cached functions below read the same mirror
    return (store_location(), store_version(), names.aliases_version(), _key(filters), filters)


def overview(filters: Filters) -> tuple[dict[str, int], pd.DataFrame, pd.DataFrame]:
    """Headline counts, country counts and the timeline for the Overview page."""
    args = _args(filters)
    return (*_counts(*args), _timeline(*args))


def speakers(filters: Filters) -> SpeakersData:
    """Headline counts, the busiest speakers, the speaker x country matrix, the first
    page of claims and the speakers' mean tone toward each country."""
    return _speakers(*_args(filters))


def countries(
    filters: Filters, wanted: tuple[str, ...]
) -> tuple[dict[str, int], pd.DataFrame, str | None, CountryData | None]:
    """Headline and country counts under ``filters`` (the Countries page's picker), the
    country the page opens on (the first of ``wanted`` that is mentioned, else the most
    mentioned) and its figures."""
    args = _args(filters)
    totals, counts = _counts(*args)
    if counts.empty:
        return totals, counts, None, None
    codes = set(counts["iso3"])
    default = next((c for c in wanted if c in codes), counts["iso3"].iloc[0])
    return totals, counts, default, _country(*args, default)


def country(filters: Filters, iso3: str) -> CountryData:
    """One country's timeline, co-mentioned countries, the busiest speakers about it and
    how many speak about it, and the first page of claims about it."""
    return _country(*_args(filters), iso3)


def talking_points(filters: Filters) -> tuple[dict[str, int], pd.DataFrame]:
    """Headline counts and the largest talking points among the selected claims."""
    return _points(*_args(filters))


def point_claims(filters: Filters, point_id: str) -> pd.DataFrame:
    """The selected claims of one talking point, with their articles."""
    return _point_claims(*_args(filters), point_id)


def claims_page(
    filters: Filters, *, iso3: str | None = None, look_for: str = "", page: int = 1
) -> queries.Page:
    """One page of the claims table (``CLAIMS_PER_PAGE`` rows), newest first."""
    return _claims(*_args(filters), iso3, look_for.strip(), (page - 1) * CLAIMS_PER_PAGE)


def paged_claims(
    key: str,
    filters: Filters,
    *,
    iso3: str | None = None,
    look_for: str = "",
    first: queries.Page | None = None,
) -> queries.Page:
    """The page of claims that the page picker under ``key`` asks for (the first
    page again whenever the filters change; the last when it is past the end).
    ``first`` is the first page without ``look_for``, when the page has it already."""
    state = st.session_state
    asked_for = repr((filters, iso3, look_for.strip()))
    if state.get(f"{key}.for") != asked_for:
        state[f"{key}.for"] = asked_for
        state[key] = 1
    number = max(1, int(state.get(key) or 1))
    if number == 1 and first is not None and not look_for.strip():
        return first
    page = claims_page(filters, iso3=iso3, look_for=look_for, page=number)
    last = max(1, -(-page.total // CLAIMS_PER_PAGE))
    if number > last:
        state[key] = last  # the picker is drawn after this, so it may still be set
        page = claims_page(filters, iso3=iso3, look_for=look_for, page=last)
    return page


def page_picker(key: str, page: queries.Page) -> None:
    """The page number under a long table, and which rows are shown."""
    pages = max(1, -(-page.total // CLAIMS_PER_PAGE))
    if pages < 2:
        return
    left, right = st.columns([1, 3])
    left.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=key)
    right.caption(
        f"Claims {page.offset + 1:,} to {page.offset + len(page.rows):,} of {page.total:,},"
        " newest first; the downloads hold them all."
    )


def all_claims(filters: Filters, *, iso3: str | None = None, look_for: str = "") -> pd.DataFrame:
    """Every claim the filters select, for an export (computed when it is asked for)."""
    path, version, aliases, key, _ = _args(filters)
    with _selection(path, version, aliases, key, filters) as chosen:
        return queries.claims(
            chosen, iso3=iso3, look_for=look_for.strip(), names=_names(path, version, aliases)
        ).rows


def articles(filters: Filters) -> queries.Page:
    """The newest ``ARTICLES_IN_PICKER`` articles the filters select, and how many there are."""
    return _articles(*_args(filters))


def article_row(article_id: str) -> dict | None:
    """One stored article's row (for the reader's picker), whatever the filters."""
    return queries.article(mirror(), article_id)


def country_names() -> dict[str, str]:
    """ISO3 -> country name, for every country in the store."""
    return _options(store_location(), store_version(), names.aliases_version())[0]


@st.cache_data(**_CACHE)
def _read_article(path: str, version: str, aliases: str, article_id: str) -> Article | None:
    # Per store version and alias table: a rerun of the reader (a click, another
    # tab) does not open the store again.
    article = open_store(path).article(article_id)
    return None if article is None else names.with_aliases(article, names.load_aliases())


def read_article(article_id: str) -> Article | None:
    """One stored article, named as the user's alias table says today."""
    return _read_article(store_location(), store_version(), names.aliases_version(), article_id)


@st.cache_data(ttl=1, show_spinner=False)
def _version(path: str) -> str:
    # Shared by every session for a second: a page's several reads, and many
    # sessions rerunning at once, open the store once, yet a new article
    # still shows on the next rerun.
    return open_store(path).version()


def store_version() -> str:
    """The store's version (article count and latest ingest), read at most once a second."""
    return _version(store_location())


def forget_version() -> None:
    """After this session wrote to the store: its next read sees the new version at once."""
    _version.clear()


# -- filters ---------------------------------------------------------------------


def _seed_widgets() -> None:
    """Give every filter widget its value before it is drawn.

    The first run of a session reads the URL. Later runs keep the widgets'
    own state; should Streamlit have dropped a widget's state (it does on
    ``st.switch_page`` mid-run), the copy saved at the end of the last run
    puts it back.
    """
    state = st.session_state
    if not state.get(_LOADED_KEY):
        params = {key: st.query_params.get_all(key) for key in FILTER_PARAMS}
        filters = Filters.from_query_params(params)
        for key in _KEYS.values():
            state.pop(key, None)
        state[_LOADED_KEY] = True
    else:
        filters = state.get(_SAVED_KEY, Filters())
    for name, key in _KEYS.items():
        if key not in state:
            value = getattr(filters, name)
            state[key] = list(value) if isinstance(value, tuple) else value


def current_filters() -> Filters:
    """The filters as the sidebar widgets hold them now."""
    state = st.session_state
    return Filters(
        countries=tuple(state.get(_KEYS["countries"], ())),
        speakers=tuple(state.get(_KEYS["speakers"], ())),
        speaker_types=tuple(state.get(_KEYS["speaker_types"], ())),
        sources=tuple(state.get(_KEYS["sources"], ())),
        date_from=state.get(_KEYS["date_from"]),
        date_to=state.get(_KEYS["date_to"]),
        search=state.get(_KEYS["search"]) or "",
        tones=tuple(state.get(_KEYS["tones"], ())),
    )


def set_country_filter(codes: list[str]) -> None:
    """Narrow the global country filter to ``codes`` (call from a widget callback)."""
    st.session_state[_KEYS["countries"]] = list(codes)


def clear_filters() -> None:
    """Reset every filter (a widget callback)."""
    for name, key in _KEYS.items():
        st.session_state[key] = (
            [] if name in {"countries", "speakers", "speaker_types", "sources", "tones"} else None
        )
    st.session_state[_KEYS["search"]] = ""


def _sync_url(filters: Filters) -> None:
    """Write the filters to the URL, touching only the filter keys that changed."""
    wanted = filters.to_query_params()
    for key in FILTER_PARAMS:
        value = wanted.get(key)
        target = [value] if isinstance(value, str) else list(value or [])
        if st.query_params.get_all(key) == target:
            continue
        if target:
            st.query_params[key] = target if len(target) > 1 else target[0]
        else:
            del st.query_params[key]


def _with_chosen(options: dict[str, int], chosen: list[str]) -> list[str]:
    # Values from a shared link that this store does not hold stay selectable
    # (with a zero count) instead of making the widget fail.
    return list(options) + [value for value in chosen if value not in options]


def sidebar_filters() -> Filters:
    """Draw the global filters in the sidebar, keep the URL in step, return the filters."""
    _seed_widgets()
    state = st.session_state
    store = get_store()
    mirror()
    country_names, countries, speakers, sources = _options(
        store.path, store_version(), names.aliases_version()
    )

    with st.sidebar:
        st.subheader("Filters")
        st.multiselect(
            "Countries",
            _with_chosen(countries, state[_KEYS["countries"]]),
            key=_KEYS["countries"],
            format_func=lambda c: f"{country_names.get(c, c)} ({countries.get(c, 0):,})",
            placeholder="All countries",
            help="Articles that mention the country; claims whose content mentions it.",
        )
        st.multiselect(
            "Speakers",
            _with_chosen(speakers, state[_KEYS["speakers"]]),
            key=_KEYS["speakers"],
            format_func=lambda s: f"{s} ({speakers.get(s, 0):,})" if s in speakers else s,
            placeholder="All speakers",
            accept_new_options=True,
            help=f"The {SPEAKER_OPTIONS:,} speakers with the most claims are listed;"
            " type any other name exactly as the Speakers page shows it.",
        )
        st.multiselect(
            "Speaker type",
            list(SPEAKER_TYPES),
            key=_KEYS["speaker_types"],
            placeholder="All types",
        )
        st.multiselect(
            "Tone",
            list(POLARITIES),
            key=_KEYS["tones"],
            placeholder="Any tone",
            help="Claims with this tone toward a country, person or organisation they name"
            " (toward the chosen countries, when countries are chosen).",
        )
        st.multiselect(
            "Source",
            _with_chosen(sources, state[_KEYS["sources"]]),
            key=_KEYS["sources"],
            format_func=lambda s: f"{s} ({sources.get(s, 0):,})",
            placeholder="All sources",
        )
        left, right = st.columns(2)
        left.date_input(
            "From",
            key=_KEYS["date_from"],
            min_value=_EARLIEST,
            max_value=_LATEST,
            format="YYYY-MM-DD",
        )
        right.date_input(
            "To", key=_KEYS["date_to"], min_value=_EARLIEST, max_value=_LATEST, format="YYYY-MM-DD"
        )
        st.text_input("Search in claims", key=_KEYS["search"], placeholder="e.g. sanctions")
        filters = current_filters()
        if not filters.is_empty:
            st.button("Clear filters", on_click=clear_filters, key="filters.clear")
        st.caption("The filters are in the page address: copy it to share this view.")
    state[_SAVED_KEY] = filters
    _sync_url(filters)
    return filters


def sample_files() -> list[Path]:
    """The bundled sample articles (the folder's README is about them, not one of them)."""
    if not SAMPLE_DIR.is_dir():
        return []
    return sorted(
        path
        for path in SAMPLE_DIR.iterdir()
        if path.is_file() and not path.name.startswith(".") and not read.is_readme(path.name)
    )


# -- small shared pieces ---------------------------------------------------------


def empty_store_notice() -> None:
    """What a newcomer sees before anything is stored."""
    st.info(
        "No articles yet — go to **Upload** to add your own, or load the bundled samples there."
    )
    st.page_link(UPLOAD_PAGE, label="Go to Upload", icon=":material/upload_file:")


def stop_if_empty() -> None:
    """On an empty store, the newcomer's notice, and the page stops."""
    if not mirror().count():
        empty_store_notice()
        st.stop()


def no_match_notice() -> None:
    st.warning("No article matches these filters.")
    st.button("Clear filters", on_click=clear_filters, key="notice.clear")


def selected_countries(chart_key: str) -> list[str]:
    """ISO3 codes of the countries clicked (or boxed, lassoed) on a chart.

    The chart's traces carry the code in ``customdata``; a map point also
    has it as ``location``.
    """
    event = st.session_state.get(chart_key) or {}
    points = event.get("selection", {}).get("points", [])
    codes: list[str] = []
    for point in points:
        code = point.get("customdata") or point.get("location")
        if isinstance(code, list):
            code = code[0] if code else None
        if code:
            codes.append(str(code))
    return list(dict.fromkeys(codes))


def country_click_handler(chart_key: str) -> Callable[[], None]:
    """A plotly ``on_select`` callback that applies the chosen countries as the filter."""

    def handle() -> None:
        codes = selected_countries(chart_key)
        if codes:
            set_country_filter(codes)

    return handle


def number(value: int) -> str:
    """Thousands separators for every count shown."""
    return f"{value:,}"
