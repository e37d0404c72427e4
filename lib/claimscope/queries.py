"""The dashboard's questions as SQL over the mirror, each returning only what a page shows.

A page opens one :func:`selection` for its filters: the articles, country
mentions and claims they select are worked out once, into Arrow tables
registered on that connection (integer keys and short columns only; nothing
when a filter is empty), and every figure of the page is a small query over
them; :meth:`Selection.selected` keeps that work for the next page with the
same filters.
The filters mean exactly what :mod:`claimscope.explore` spells out in pandas
(its functions are the reference these are tested against):

- ``sources`` and the date range select articles;
- ``countries`` selects articles that mention any of them and claims whose
  content mentions any of them;
- ``speakers``, ``speaker_types``, ``search`` and ``tones`` select claims, and
  articles that hold at least one selected claim (a claim's tone counts toward
  one of the ``countries`` when countries are chosen);
- country mentions are those of the selected articles.

The results have the shapes of the reference functions (``country_counts``,
``speaker_counts``, ...), so the chart builders take either. The SQL is DuckDB
with named parameters over the tables of :class:`claimscope.mirror.Mirror`;
the list operations (``list_has_any``, ``list_contains``, ``unnest``) are its
only DuckDB-specific words.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from claimscope.explore import Filters, time_frequency, tone_text
from claimscope.mirror import Mirror

_TRUNC = {"D": "day", "W": "week", "M": "month"}
# Rows of a claims table page: a page renders in milliseconds whatever the store holds.
CLAIMS_PER_PAGE = 200
CLAIM_COLUMNS = [
    "speaker",
    "role",
    "type",
    "claim",
    "kind",
    "countries",
    "tone",
    "article",
    "date",
    "article_id",
]
# The claim columns a selection keeps (the texts stay in the mirror's table, read by
# ``claim_row``, the claim's ``rowid`` there, for the rows a page shows).
_LIGHT = (
    "claim_row, key, quote_index, speaker_id, role, type, countries, published, point, similarity"
)
# Every claim, with its row number as a selection names it.
_ALL_CLAIMS = "(SELECT rowid AS claim_row, * FROM claims)"


@dataclass(frozen=True)
class Page:
    """One page of a long table: its rows, how many rows there are in all, where it starts."""

    rows: pd.DataFrame
    total: int
    offset: int


@dataclass(frozen=True)
class Selected:
    """What a :class:`Selection` worked out, to open again on another connection of the
    same mirror at once: its tables as Arrow tables (never changed; any thread may read
    them) and the names a page's queries read (see :class:`Selection`)."""

    tables: tuple[tuple[str, Any], ...]
    articles: str
    places: str
    claims: str


class Selection:
    """What a set of filters selects, on one connection of the mirror.

    ``articles``, ``places`` and ``claims`` name tables (or subqueries) with the
    mirror's columns for the selected rows (``claims`` with ``claim_row``, the claim's
    ``rowid`` in the mirror's ``claims``, and without the texts once narrowed).
    ``selected`` (from :meth:`selected` of an earlier selection with the same filters,
    on the same mirror version) opens that work again instead of doing it anew.
    """

    def __init__(self, cursor: Any, filters: Filters, selected: Selected | None = None) -> None:
        self.cursor = cursor
        self.filters = filters
        self.params: dict[str, Any] = {}
        self._tables: list[tuple[str, Any]] = []
        if selected is not None:
            for name, table in selected.tables:
                cursor.register(name, table)  # zero-copy: the cursor reads the Arrow table
            self._tables = list(selected.tables)
            self.articles, self.places, self.claims = (
                selected.articles,
                selected.places,
                selected.claims,
            )
            return
        self._names = itertools.count()  # the names belong to this cursor alone
        # Each step keeps row numbers and keys only; the selected claims' columns are
        # copied once, at the end, by row (wide temporary tables cost more to write
        # than the scans they save), or by the one scan when nothing else narrows them.
        claim = self._claim_conditions(filters)
        # A claim about a country sits in an article that mentions it (a quote's
        # countries are those mentioned inside it), and a selected claim in an article
        # holding one: only the other article criteria narrow the claims further.
        narrows_claims = bool(filters.date_from or filters.date_to or filters.sources)

        def about() -> str:  # a claim about the countries (its parameters for the next query)
            if len(filters.countries) == 1:
                return f"list_contains(countries, {self.param(filters.countries[0])})"
            return f"list_has_any(countries, {self.param(list(filters.countries))})"

        # The claim criteria alone (speakers, types, text, tones): the one scan of the
        # claims takes their short columns at once, and they are the selected claims;
        # with countries too, whether each is about them (the articles are those
        # holding any hit, the claims only the hits about the countries).
        whole = bool(claim) and not filters.countries and not narrows_claims
        if claim:
            columns = (
                _LIGHT.replace("claim_row", "rowid AS claim_row")
                if whole
                else "rowid AS claim_row, key"
                + (f", {about()} AS about" if filters.countries else "")
            )
            hits = self._temporary(f"SELECT {columns} FROM claims q WHERE {' AND '.join(claim)}")
        article = []
        if filters.date_from:
            article.append(f"a.published >= {self.param(filters.date_from)}")
        if filters.date_to:
            article.append(f"a.published <= {self.param(filters.date_to)}")
        if filters.sources:
            article.append(f"a.source IN ({self.values(filters.sources)})")
        if filters.countries:
            article.append(
                f"a.key IN (SELECT key FROM places WHERE iso3 IN ({self.values(filters.countries)}))"
            )
        if claim:
            # Articles holding a selected claim (the country criterion is the
            # article's own, above).
            article.append(f"a.key IN (SELECT key FROM {hits})")
        self.articles = "articles"
        self.places = "places"
        self.claims = _ALL_CLAIMS
        if article:
            chosen = self._temporary(f"SELECT key FROM articles a WHERE {' AND '.join(article)}")
            self.articles = f"(SELECT * FROM articles WHERE key IN (SELECT key FROM {chosen}))"
            self.places = self._temporary(
                f"SELECT * FROM places WHERE key IN (SELECT key FROM {chosen})"
            )
        narrowing = []
        if whole:
            self.claims = hits
        elif claim:
            about_hits = " WHERE about" if filters.countries else ""
            narrowing.append(f"rowid IN (SELECT claim_row FROM {hits}{about_hits})")
        elif filters.countries:
            narrowing.append(about())
        if narrows_claims:
            narrowing.append(f"key IN (SELECT key FROM {chosen})")
        if narrowing:
            columns = _LIGHT.replace("claim_row", "rowid AS claim_row")
            self.claims = self._temporary(
                f"SELECT {columns} FROM claims WHERE {' AND '.join(narrowing)}"
            )
        self.params = {}

    def _claim_conditions(self, filters: Filters) -> list[str]:
        conditions = []
        if filters.speakers:
            # The speakers' numbers first: a list of numbers is a filter of the scan
            # itself (a subquery would make it a join after reading every claim).
            found = self.cursor.execute(
                f"SELECT id FROM speakers WHERE name IN ({self.values(filters.speakers)})",
                self.params,
            ).fetchall()
            self.params = {}
            ids = sorted(int(row[0]) for row in found)
            conditions.append(f"q.speaker_id IN ({', '.join(map(str, ids))})" if ids else "FALSE")
        if filters.speaker_types:
            conditions.append(f"q.type IN ({self.values(filters.speaker_types)})")
        if filters.search.strip():
            conditions.append(f"contains(q.lowered, {self.param(filters.search.strip().lower())})")
        if filters.tones:
            toward = (
                f" AND t.target IN ({self.values(filters.countries)})" if filters.countries else ""
            )
            conditions.append(
                "EXISTS (SELECT 1 FROM tones t WHERE t.key = q.key"
                f" AND t.quote_index = q.quote_index AND t.polarity IN ({self.values(filters.tones)})"
                f"{toward})"
            )
        return conditions

    def _temporary(self, select: str) -> str:
        # An Arrow table registered on this cursor, rather than a temporary table:
        # it costs no more to make and can be kept for the next page (``selected``).
        name = f"selected_{next(self._names)}"
        table = self.cursor.sql(select, params=self.params).to_arrow_table()
        self.cursor.register(name, table)
        self._tables.append((name, table))
        self.params = {}
        return name

    def selected(self) -> Selected:
        """This selection's work, to open again with the same filters (see ``selected``)."""
        return Selected(tuple(self._tables), self.articles, self.places, self.claims)

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def values(self, items: Iterable[Any]) -> str:
        return ", ".join(self.param(item) for item in items)

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        return self.cursor.execute(sql, dict(params or {})).df()


@contextlib.contextmanager
def selection(
    db: Mirror, filters: Filters, selected: Selected | None = None
) -> Iterator[Selection]:
    """The rows ``filters`` select, worked out once for every query of a page (or taken
    from ``selected``, the work of an earlier selection with the same filters)."""
    cursor = db.cursor()
    try:
        yield Selection(cursor, filters, selected)
    finally:
        cursor.close()  # its registered tables go with it


# -- headline figures and countries ------------------------------------------------


def summary(sel: Selection) -> dict[str, int]:
    """The headline counts: articles, countries, speakers and claims."""
    row = sel.run(
        f"SELECT (SELECT count(*) FROM {sel.articles}) AS articles,"
        f" (SELECT count(DISTINCT iso3) FROM {sel.places}) AS countries,"
        f" (SELECT count(DISTINCT speaker_id) FROM {sel.claims}) AS speakers,"
        f" (SELECT count(*) FROM {sel.claims}) AS claims"
    ).iloc[0]
    return {key: int(row[key]) for key in ("articles", "countries", "speakers", "claims")}


def country_counts(sel: Selection) -> pd.DataFrame:
    """Per country: ``iso3, country, mentions, articles``, most mentioned first."""
    frame = sel.run(
        "SELECT iso3, country, sum(mentions) AS mentions, count(*) AS articles"
        f" FROM {sel.places} GROUP BY iso3, country ORDER BY mentions DESC, country, iso3"
    )
    return frame.astype({"mentions": int, "articles": int})


def country_names(db: Mirror) -> dict[str, str]:
    """ISO3 code -> country name, as the country extractor named it (every stored country)."""
    frame = db.query("SELECT iso3, min(country) AS country FROM places GROUP BY iso3")
    return dict(zip(frame["iso3"], frame["country"], strict=True))


def mentions_over_time(
    sel: Selection, *, iso3: str | None = None, freq: str | None = None
) -> pd.DataFrame:
    """Country mentions per period: ``period, mentions, articles`` (undated ones left out).

    ``iso3`` narrows to one country; ``freq`` is ``D``, ``W`` or ``M`` (chosen
    from the date span when not given, as :func:`claimscope.explore.time_frequency`).
    """
    where = "published IS NOT NULL" + (" AND iso3 = $iso3" if iso3 else "")
    params: dict[str, Any] = {"iso3": iso3} if iso3 else {}
    if freq is None:
        span = sel.run(
            f"SELECT min(published) AS first, max(published) AS last FROM {sel.places}"
            f" WHERE {where}",
            params,
        ).iloc[0]
        if pd.isna(span["first"]):
            return _empty_timeline()
        freq = time_frequency(pd.to_datetime(pd.Series([span["first"], span["last"]])))
    frame = sel.run(
        "SELECT period, sum(mentions) AS mentions, count(DISTINCT key) AS articles FROM"
        f" (SELECT date_trunc($unit, published) AS period, key, mentions FROM {sel.places}"
        f" WHERE {where}) GROUP BY period ORDER BY period",
        {**params, "unit": _TRUNC[freq]},
    )
    if frame.empty:
        return _empty_timeline()
    frame["period"] = pd.to_datetime(frame["period"])
    return frame.astype({"mentions": int, "articles": int})


def _empty_timeline() -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime([]), "mentions": [], "articles": []})


def co_mentions(sel: Selection, iso3: str) -> pd.DataFrame:
    """Countries mentioned in the same articles as ``iso3``: ``iso3, country, articles``."""
    frame = sel.run(
        f"SELECT iso3, country, count(*) AS articles FROM {sel.places}"
        f" WHERE key IN (SELECT key FROM {sel.places} WHERE iso3 = $iso3) AND iso3 <> $iso3"
        " GROUP BY iso3, country ORDER BY articles DESC, country, iso3",
        {"iso3": iso3},
    )
    return frame.astype({"articles": int})


# -- speakers -----------------------------------------------------------------------


def speaker_counts(
    sel: Selection, *, iso3: str | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Per named speaker: ``speaker, role, type, claims, articles``, most claims first.

    Role and type are the ones the texts give most often for that speaker
    (ties: alphabetical). ``iso3`` keeps the claims about that country;
    ``limit`` the busiest speakers.
    """
    about = " AND list_contains(countries, $iso3)" if iso3 else ""
    params: dict[str, Any] = {"iso3": iso3} if iso3 else {}
    top = candidates = among = ""
    if limit is not None:
        top, params["limit"] = " LIMIT $limit", limit
        # Only speakers with as many claims as the ``limit``-th busiest (ties kept) can
        # be among the busiest: their articles are counted, no one else's.
        candidates = (
            " candidates AS (SELECT speaker_id FROM (SELECT speaker_id, count(*) AS claims"
            " FROM named GROUP BY speaker_id) WHERE claims >= (SELECT coalesce(min(claims), 0)"
            " FROM (SELECT count(*) AS claims FROM named GROUP BY speaker_id"
            " ORDER BY claims DESC LIMIT $limit))),"
        )
        among = " WHERE speaker_id IN (SELECT speaker_id FROM candidates)"
    # The commonest role and type of each of them, counted in one scan (ties:
    # alphabetical; ``by_type`` tells the two groupings apart).
    modal = (
        " modal AS (SELECT speaker_id, role, type, by_type, row_number() OVER"
        " (PARTITION BY speaker_id, by_type ORDER BY n DESC, role, type) AS rank FROM"
        " (SELECT speaker_id, role, type, grouping(role) AS by_type, count(*) AS n FROM named"
        " WHERE speaker_id IN (SELECT speaker_id FROM totals)"
        " GROUP BY GROUPING SETS ((speaker_id, role), (speaker_id, type)))"
        " WHERE CASE by_type WHEN 0 THEN role IS NOT NULL ELSE type IS NOT NULL END),"
        " roles AS (SELECT speaker_id, role FROM modal WHERE rank = 1 AND by_type = 0),"
        " types AS (SELECT speaker_id, type FROM modal WHERE rank = 1 AND by_type = 1)"
    )
    frame = sel.run(
        # Read anew by each part: a scan of the selection costs less than writing a copy
        # of it, as a CTE used three times would be, unless a country narrows it.
        f"WITH named AS {'' if iso3 else 'NOT '}MATERIALIZED (SELECT speaker_id, role, type, key"
        " FROM"
        f" {sel.claims} WHERE speaker_id IS NOT NULL{about}),{candidates}"
        " totals AS (SELECT p.speaker_id, s.name AS speaker, p.claims, p.articles FROM"
        " (SELECT speaker_id, count(*) AS claims, count(DISTINCT key) AS articles FROM named"
        f"{among} GROUP BY speaker_id) p JOIN speakers s ON s.id = p.speaker_id"
        f" ORDER BY claims DESC, speaker{top}),"
        f"{modal}"
        " SELECT t.speaker, r.role, y.type, t.claims, t.articles FROM totals t"
        " LEFT JOIN roles r ON r.speaker_id = t.speaker_id"
        " LEFT JOIN types y ON y.speaker_id = t.speaker_id"
        " ORDER BY t.claims DESC, t.speaker",
        params,
    )
    return frame.astype({"claims": int, "articles": int})


def speaker_total(sel: Selection, *, iso3: str | None = None) -> int:
    """How many named speakers the selected claims have (about ``iso3``, when given):
    the rows :func:`speaker_counts` gives without a limit."""
    about = " AND list_contains(countries, $iso3)" if iso3 else ""
    frame = sel.run(
        f"SELECT count(DISTINCT speaker_id) AS n FROM {sel.claims}"
        f" WHERE speaker_id IS NOT NULL{about}",
        {"iso3": iso3} if iso3 else {},
    )
    return int(frame["n"][0])


def speaker_country_matrix(
    sel: Selection,
    *,
    names: Mapping[str, str] | None = None,
    top_speakers: int = 15,
    top_countries: int = 15,
) -> pd.DataFrame:
    """Claims per speaker (rows) and country their claims mention (columns), for the
    busiest speakers and countries (ties: alphabetical); columns named with ``names``."""
    frame = sel.run(
        "WITH pairs AS (SELECT speaker_id, unnest(countries) AS iso3 FROM"
        f" {sel.claims} WHERE speaker_id IS NOT NULL),"
        " top_speakers AS (SELECT s.name AS speaker, p.speaker_id, count(*) AS n FROM pairs p"
        " JOIN speakers s ON s.id = p.speaker_id GROUP BY s.name, p.speaker_id"
        " ORDER BY n DESC, speaker LIMIT $speakers),"
        " top_countries AS (SELECT iso3, count(*) AS n FROM pairs GROUP BY iso3"
        " ORDER BY n DESC, iso3 LIMIT $countries),"
        " cells AS (SELECT t.speaker, p.iso3, count(*) AS n FROM pairs p"
        " JOIN top_speakers t ON t.speaker_id = p.speaker_id"
        " WHERE p.iso3 IN (SELECT iso3 FROM top_countries) GROUP BY t.speaker, p.iso3)"
        " SELECT 'row' AS part, speaker, NULL AS iso3, n FROM top_speakers"
        " UNION ALL SELECT 'column', NULL, iso3, n FROM top_countries"
        " UNION ALL SELECT 'cell', speaker, iso3, n FROM cells",
        {"speakers": top_speakers, "countries": top_countries},
    )
    rows = frame[frame["part"] == "row"].sort_values(["n", "speaker"], ascending=[False, True])
    columns = frame[frame["part"] == "column"].sort_values(["n", "iso3"], ascending=[False, True])
    if rows.empty:
        return pd.DataFrame()
    cells = frame[frame["part"] == "cell"]
    matrix = (
        cells.pivot_table(index="speaker", columns="iso3", values="n", aggfunc="sum", fill_value=0)
        .reindex(index=rows["speaker"].tolist(), columns=columns["iso3"].tolist(), fill_value=0)
        .astype(int)
    )
    if names:
        matrix.columns = [names.get(code, code) for code in matrix.columns]
    matrix.index.name, matrix.columns.name = "speaker", "country"
    return matrix


def speaker_country_tone(
    sel: Selection,
    *,
    names: Mapping[str, str] | None = None,
    top_speakers: int = 15,
    top_countries: int = 15,
) -> pd.DataFrame:
    """The mean tone of each speaker's claims toward each country, as
    :func:`claimscope.explore.speaker_country_tone`: ``speaker, iso3, country, claims, score``
    for the speakers and countries with the most toned claims (ties: alphabetical)."""
    # The mirror's ``tone_pairs`` hold every named speaker's tone toward a country the
    # claim names: the selected claims' pairs are those of their row numbers.
    chosen = (
        ""
        if sel.claims == _ALL_CLAIMS
        else (f" WHERE p.claim_row IN (SELECT claim_row FROM {sel.claims})")
    )
    frame = sel.run(
        "WITH pairs AS (SELECT s.speaker_id, p.target AS iso3, p.score FROM tone_pairs p"
        f" JOIN stored_speakers s ON s.id = p.stored_id{chosen}),"
        " named AS (SELECT s.name AS speaker, p.iso3, p.score FROM pairs p"
        " JOIN speakers s ON s.id = p.speaker_id),"
        " top_speakers AS (SELECT speaker FROM named GROUP BY speaker"
        " ORDER BY count(*) DESC, speaker LIMIT $speakers),"
        " top_countries AS (SELECT iso3 FROM named GROUP BY iso3"
        " ORDER BY count(*) DESC, iso3 LIMIT $countries)"
        " SELECT speaker, iso3, count(*) AS claims, avg(score) AS score FROM named"
        " WHERE speaker IN (SELECT speaker FROM top_speakers)"
        " AND iso3 IN (SELECT iso3 FROM top_countries)"
        " GROUP BY speaker, iso3 ORDER BY speaker, iso3",
        {"speakers": top_speakers, "countries": top_countries},
    )
    names = names or {}
    frame["country"] = [names.get(code, code) for code in frame["iso3"]]
    frame = frame.astype({"claims": int, "score": float})
    return frame[["speaker", "iso3", "country", "claims", "score"]].reset_index(drop=True)


def speaker_options(db: Mirror, *, limit: int) -> dict[str, int]:
    """The ``limit`` speakers with the most claims: ``{speaker: claims}``, most first."""
    frame = db.query(
        "SELECT s.name AS speaker, c.claims FROM (SELECT speaker_id, count(*) AS claims"
        " FROM claims WHERE speaker_id IS NOT NULL GROUP BY speaker_id) c"
        " JOIN speakers s ON s.id = c.speaker_id ORDER BY claims DESC, speaker LIMIT $limit",
        {"limit": limit},
    )
    return dict(zip(frame["speaker"], frame["claims"].astype(int), strict=True))


def source_counts(db: Mirror) -> dict[str, int]:
    """Articles per source, most first (articles without a source left out)."""
    frame = db.query(
        "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL"
        " GROUP BY source ORDER BY n DESC, source"
    )
    return dict(zip(frame["source"], frame["n"].astype(int), strict=True))


# -- claims and articles -------------------------------------------------------------


def claims(
    sel: Selection,
    *,
    iso3: str | None = None,
    look_for: str = "",
    names: Mapping[str, str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """The claims as the analyst reads and exports them: newest article first, then in
    the order the articles were stored, each article's claims in their order.

    Columns as :func:`claimscope.explore.claims_table`. ``iso3`` keeps the
    claims about that country; ``look_for`` those whose claim, speaker, role or
    article title holds it (any case); ``offset``/``limit`` cut one page
    (``limit=None``: every row, for an export).
    """
    conditions = []
    params: dict[str, Any] = {}
    if iso3:
        conditions.append("list_contains(c.countries, $iso3)")
        params["iso3"] = iso3
    if look_for.strip():
        conditions.append(
            "(contains(q.lowered, $needle) OR contains(lower(coalesce(s.name, '')), $needle)"
            " OR contains(lower(coalesce(c.role, '')), $needle)"
            " OR contains(lower(coalesce(a.title, '')), $needle))"
        )
        params["needle"] = look_for.strip().lower()
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    # The texts (and titles) come from the mirror's tables; the search of
    # ``look_for`` needs them for every row, a plain page only for its own rows.
    joined = (
        f"{sel.claims} c JOIN claims q ON q.key = c.key AND q.quote_index = c.quote_index"
        " JOIN articles a ON a.key = c.key LEFT JOIN speakers s ON s.id = c.speaker_id"
    )
    order = "c.published DESC NULLS LAST, c.key, c.quote_index"
    # The page is cut on the sort keys alone; its other columns are read by row.
    keys = "c.claim_row, c.published, c.key, c.quote_index"
    if look_for.strip():
        total = int(sel.run(f"SELECT count(*) AS n FROM {joined}{where}", params)["n"][0])
        chosen = f"SELECT {keys} FROM {joined}{where}"
    else:
        counted = f"SELECT count(*) AS n FROM {sel.claims} c{where}"
        total = int(sel.run(counted, params)["n"][0])
        chosen = f"SELECT {keys} FROM {sel.claims} c{where}"
    cut = ""
    if limit is not None:
        cut, params["limit"] = " LIMIT $limit", limit
    if offset:
        cut, params["offset"] = f"{cut} OFFSET $offset", offset
    page = sel.cursor.sql(f"{chosen} ORDER BY {order}{cut}", params=params).to_arrow_table()
    # The page's rows are read from ``claims`` by row number, and its tones by row
    # number after a look at the key column alone: a join with the page would read
    # every text and every tone.
    sel.cursor.register("page", page)
    try:
        frame = sel.run(
            "WITH page_tones AS (SELECT t.key, t.quote_index,"
            " list({'target': t.target, 'polarity': t.polarity, 'score': t.score}"
            " ORDER BY t.rowid) AS tone FROM tones t"
            " WHERE t.rowid IN (SELECT rowid FROM tones WHERE key IN (SELECT key FROM page))"
            " GROUP BY t.key, t.quote_index)"
            " SELECT s.name AS speaker, q.role, q.type, q.text AS claim, q.kind, q.countries,"
            " pt.tone, a.title AS article, c.published AS date, a.id AS article_id"
            " FROM page c JOIN (SELECT rowid AS claim_row, text, speaker_id, role, type, kind,"
            " countries FROM claims WHERE rowid IN (SELECT claim_row FROM page)) q"
            " ON q.claim_row = c.claim_row"
            " JOIN articles a ON a.key = c.key LEFT JOIN speakers s ON s.id = q.speaker_id"
            " LEFT JOIN page_tones pt ON pt.key = c.key AND pt.quote_index = c.quote_index"
            f" ORDER BY {order}"
        )
    finally:
        sel.cursor.unregister("page")
    names = names or {}
    frame["countries"] = [
        ", ".join(names.get(code, code) for code in found) if found is not None else ""
        for found in frame["countries"]
    ]
    frame["tone"] = [
        tone_text(
            [(t["target"], t["polarity"], t["score"]) for t in found]
            if isinstance(found, list | tuple | np.ndarray)
            else [],
            names,
        )
        for found in frame["tone"]
    ]
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    rows = frame.reindex(columns=CLAIM_COLUMNS).reset_index(drop=True)
    return Page(rows=rows, total=total, offset=offset)


def _texts(rows: str, more: str = "") -> str:
    """The texts (and ``more`` columns) of the claims in ``rows`` (a table or CTE with
    ``claim_row``), read by ``rowid``: DuckDB fetches just those rows instead of
    scanning two million texts."""
    columns = f"text, {more}" if more else "text"
    return (
        f"(SELECT rowid AS claim_row, {columns} FROM claims"
        f" WHERE rowid IN (SELECT claim_row FROM {rows}))"
    )


def articles(sel: Selection, *, limit: int) -> Page:
    """The newest ``limit`` articles the filters select: ``id, title, source, published, path``."""
    total = int(sel.run(f"SELECT count(*) AS n FROM {sel.articles}")["n"][0])
    frame = sel.run(
        f"SELECT id, title, source, published, path FROM {sel.articles}"
        " ORDER BY published DESC NULLS LAST, title, id LIMIT $limit",
        {"limit": limit},
    )
    frame["published"] = pd.to_datetime(frame["published"])
    return Page(rows=frame, total=total, offset=0)


def article(db: Mirror, article_id: str) -> dict[str, Any] | None:
    """One article's row (as :func:`articles` gives it), or ``None`` when it is not stored."""
    frame = db.query(
        "SELECT id, title, source, published, path FROM articles WHERE id = $id", {"id": article_id}
    )
    if frame.empty:
        return None
    frame["published"] = pd.to_datetime(frame["published"])
    return frame.iloc[0].to_dict()


# -- talking points ------------------------------------------------------------------

POINT_COLUMNS = [
    "point_id",
    "claim",
    "claims",
    "speakers",
    "outlets",
    "articles",
    "first",
    "latest",
    "speaker_names",
    "outlet_names",
]
POINT_CLAIM_COLUMNS = [
    "speaker",
    "role",
    "claim",
    "outlet",
    "article",
    "date",
    "similarity",
    "article_id",
]


def talking_points(sel: Selection, *, limit: int, min_claims: int = 2) -> pd.DataFrame:
    """The largest talking points among the selected claims, one row each.

    Columns: ``point_id``; ``claim``, the text of its most central selected claim
    (the one that opened it, when selected); ``claims`` selected in it; distinct
    ``speakers`` and ``outlets`` (sources) with their names, most claims first
    (``speaker_names``, ``outlet_names``); ``articles``; ``first`` and ``latest``
    publication dates. Largest first, then the most outlets, the earliest, the id.
    Only points with ``min_claims`` selected claims or more.
    """
    frame = sel.run(
        # Read twice rather than copied (the sizes need one column of it).
        "WITH members AS NOT MATERIALIZED (SELECT claim_row, point, similarity, key,"
        f" quote_index, speaker_id, published FROM {sel.claims} WHERE point IS NOT NULL),"
        # The points that can be among the ``limit`` largest: as large as the
        # ``limit``-th or larger (ties kept); only their members are looked at further.
        " sizes AS (SELECT point, count(*) AS claims FROM members GROUP BY point"
        " HAVING count(*) >= $least),"
        " cut AS (SELECT coalesce(min(claims), 0) AS claims FROM"
        " (SELECT claims FROM sizes ORDER BY claims DESC LIMIT $limit)),"
        " picked AS MATERIALIZED (SELECT m.*, a.source FROM members m"
        " JOIN articles a ON a.key = m.key"
        " WHERE m.point IN (SELECT point FROM sizes WHERE claims >= (SELECT claims FROM cut))),"
        # Sizes, outlets and dates in one pass over the candidates' members.
        " top AS (SELECT p.point, n.point_id, count(*) AS claims, count(DISTINCT p.key)"
        " AS articles, count(DISTINCT p.source) AS outlets, min(p.published) AS first,"
        " max(p.published) AS latest FROM picked p JOIN point_ids n ON n.id = p.point"
        " GROUP BY p.point, n.point_id),"
        " chosen AS (SELECT * FROM top"
        " ORDER BY claims DESC, outlets DESC, first NULLS LAST, point_id LIMIT $limit),"
        # The most similar member labels a point (ties: the first stored).
        " labels AS MATERIALIZED (SELECT point, max_by(claim_row, {'similarity': similarity,"
        " 'key': -key, 'quote_index': -quote_index}) AS claim_row FROM picked"
        " WHERE point IN (SELECT point FROM chosen) GROUP BY point),"
        " who AS (SELECT point, count(DISTINCT name) AS speakers,"
        " string_agg(name, ', ' ORDER BY n DESC, name) AS speaker_names FROM"
        " (SELECT m.point, s.name, count(*) AS n FROM picked m"
        " JOIN speakers s ON s.id = m.speaker_id"
        " WHERE m.point IN (SELECT point FROM chosen) GROUP BY m.point, s.name)"
        " GROUP BY point),"
        " outlet_names AS (SELECT point, string_agg(source, ', ' ORDER BY n DESC, source)"
        " AS outlet_names FROM (SELECT m.point, m.source, count(*) AS n FROM picked m"
        " WHERE m.source IS NOT NULL"
        " AND m.point IN (SELECT point FROM chosen) GROUP BY m.point, m.source)"
        " GROUP BY point)"
        " SELECT c.point_id, q.text AS claim, c.claims, coalesce(w.speakers, 0) AS speakers,"
        " c.outlets, c.articles, c.first, c.latest, coalesce(w.speaker_names, '')"
        " AS speaker_names, coalesce(o.outlet_names, '') AS outlet_names FROM chosen c"
        " JOIN labels l ON l.point = c.point"
        f" JOIN {_texts('labels')} q ON q.claim_row = l.claim_row"
        " LEFT JOIN who w ON w.point = c.point"
        " LEFT JOIN outlet_names o ON o.point = c.point"
        " ORDER BY c.claims DESC, c.outlets DESC, c.first NULLS LAST, c.point_id",
        {"least": min_claims, "limit": limit},
    )
    for column in ("first", "latest"):
        frame[column] = [_day(value) for value in frame[column]]
    counts = {"claims": int, "speakers": int, "outlets": int, "articles": int}
    return frame.reindex(columns=POINT_COLUMNS).astype(counts).reset_index(drop=True)


def point_claims(sel: Selection, point_id: str) -> pd.DataFrame:
    """The selected claims of one talking point, oldest first, with their articles:
    columns :data:`POINT_CLAIM_COLUMNS` (``similarity`` to the point when it joined)."""
    frame = sel.run(
        "WITH members AS MATERIALIZED (SELECT claim_row, key, quote_index, speaker_id, role,"
        f" published, similarity FROM {sel.claims}"
        " WHERE point = (SELECT id FROM point_ids WHERE point_id = $point))"
        " SELECT s.name AS speaker, c.role, q.text AS claim, a.source AS outlet,"
        " a.title AS article, c.published AS date, c.similarity, a.id AS article_id"
        f" FROM members c JOIN {_texts('members')} q ON q.claim_row = c.claim_row"
        " JOIN articles a ON a.key = c.key LEFT JOIN speakers s ON s.id = c.speaker_id"
        " ORDER BY c.published NULLS LAST, c.key, c.quote_index",
        {"point": point_id},
    )
    frame["date"] = [_day(value) for value in frame["date"]]
    frame["similarity"] = frame["similarity"].astype(float).round(3)
    return frame.reindex(columns=POINT_CLAIM_COLUMNS).reset_index(drop=True)


def _day(value: Any) -> Any:
    """A date as a ``datetime.date``; ``None`` for an undated article."""
    return None if pd.isna(value) else pd.Timestamp(value).date()
