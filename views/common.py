"""What every page shares: the cached store, model and frames, and the global filters.

The filters live in the URL (``?country=RUS&speaker=...``) so a view can be
bookmarked and shared. The sidebar widgets read the URL once per session and
from then on write every change back to it; their values survive switching
pages because the widgets are drawn by the entry file on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from claimscope import explore, logs, names, read
from claimscope.explore import FILTER_PARAMS, SPEAKER_TYPES, Filters, Frames
from claimscope.settings import Settings
from claimscope.store import Store, default_store_path

if TYPE_CHECKING:
    from spacy.language import Language

    from claimscope.records import Article

APP_DIR = Path(__file__).resolve().parent.parent
SAMPLE_DIR = APP_DIR / "sample_articles"

# Page scripts, relative to the entry file (for st.switch_page and st.page_link).
UPLOAD_PAGE = "views/upload.py"
OVERVIEW_PAGE = "views/overview.py"
COUNTRIES_PAGE = "views/countries.py"
SPEAKERS_PAGE = "views/speakers.py"
READER_PAGE = "views/reader.py"

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
}
_LOADED_KEY = "filters.loaded_from_url"
_SAVED_KEY = "filters.saved"  # a plain copy that outlives widget-state cleanup
_EARLIEST, _LATEST = date(1900, 1, 1), date(2100, 12, 31)


# -- loaders ---------------------------------------------------------------------


def settings() -> Settings:
    """Limits and error policy from the environment (``CLAIMSCOPE_*``), as for the CLI."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def open_store(path: str) -> Store:
    """One :class:`Store` per path, shared by all sessions (it is thread-safe and keeps
    no connection open: each read opens the file read-only for a moment, so CLI
    ingests and other dashboards use the same store meanwhile). The server's log
    goes to the file beside the store."""
    logs.log_to_file_once(logs.log_path(path))
    return Store(path, wait=settings().store_wait)


def store_location() -> str:
    """Where the store lives: ``$CLAIMSCOPE_STORE``, else the user's data directory."""
    return str(default_store_path())


def get_store() -> Store:
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


@st.cache_data(show_spinner=False, max_entries=8)
def _frames(path: str, version: str, aliases: str) -> Frames:
    # ``version`` and ``aliases`` are only the cache key: they change whenever
    # articles are added or the user's alias table is edited.
    return explore.load_frames(open_store(path))


@st.cache_data(show_spinner=False, max_entries=8)
def _options(
    path: str, version: str, aliases: str
) -> tuple[dict[str, str], dict[str, int], dict[str, int], dict[str, int]]:
    """Sidebar choices with their counts: country names, countries, speakers, sources."""
    data = _frames(path, version, aliases)
    return (
        explore.country_names(data),
        explore.options_with_counts(explore.country_counts(data.mentions), "iso3", "articles"),
        explore.options_with_counts(explore.speaker_counts(data.claims), "speaker", "claims"),
        explore.source_counts(data.articles),
    )


def read_article(article_id: str) -> Article | None:
    """One stored article, named as the user's alias table says today."""
    article = get_store().article(article_id)
    return None if article is None else names.with_aliases(article, names.load_aliases())


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


def frames() -> Frames:
    """The store as cached frames, re-read only when the store's version changes."""
    return _frames(store_location(), store_version(), names.aliases_version())


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
    )


def set_country_filter(codes: list[str]) -> None:
    """Narrow the global country filter to ``codes`` (call from a widget callback)."""
    st.session_state[_KEYS["countries"]] = list(codes)


def clear_filters() -> None:
    """Reset every filter (a widget callback)."""
    for name, key in _KEYS.items():
        st.session_state[key] = (
            [] if name in {"countries", "speakers", "speaker_types", "sources"} else None
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
            format_func=lambda s: f"{s} ({speakers.get(s, 0):,})",
            placeholder="All speakers",
        )
        st.multiselect(
            "Speaker type",
            list(SPEAKER_TYPES),
            key=_KEYS["speaker_types"],
            placeholder="All types",
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


def stored_frames_or_stop() -> Frames:
    """The cached frames; on an empty store, the newcomer's notice and the page stops."""
    data = frames()
    if data.articles.empty:
        empty_store_notice()
        st.stop()
    return data


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
