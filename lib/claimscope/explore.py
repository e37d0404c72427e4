"""Filters and the dashboard's figures spelled out in pandas: the reference semantics.

:class:`Filters` (round-tripping through the URL) and the helpers for labels,
escaping, exports and the reader are what the dashboard uses. The frame
functions (:func:`load_frames`, :func:`apply_filters`, :func:`country_counts`,
...) define what each figure means on a whole store held in memory; the
dashboard computes the same figures in SQL (:mod:`claimscope.queries`), and
its tests compare the two on random stores and filters. Nothing here imports
streamlit, so all of it is tested without a browser.

How a filter applies (the same on every page):

- ``sources`` and the date range select articles;
- ``countries`` selects articles that mention any of them and claims whose
  content mentions any of them;
- ``speakers``, ``speaker_types`` and ``search`` select claims, and articles
  that hold at least one selected claim;
- ``tones`` selects claims with that tone toward a target they name (toward
  one of the ``countries`` when countries are chosen), and articles that hold
  at least one selected claim;
- country mentions are those of the selected articles.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd

from claimscope import names
from claimscope.records import POLARITIES, Article
from claimscope.store import Store

SPEAKER_TYPES = ("expert", "official", "organization", "journalist", "other")

# URL query parameter names, one per filter field. Short, because analysts
# share these links.
_PARAM_NAMES = {
    "countries": "country",
    "speakers": "speaker",
    "speaker_types": "speaker_type",
    "sources": "source",
    "date_from": "from",
    "date_to": "to",
    "search": "q",
    "tones": "tone",
}
FILTER_PARAMS = tuple(_PARAM_NAMES.values())

_ARTICLE_COLUMNS = ["id", "title", "source", "published", "path"]
_MENTION_COLUMNS = ["article_id", "iso3", "country", "via", "published", "source"]
_CLAIM_COLUMNS = [
    "article_id",
    "quote_index",
    "speaker",
    "speaker_role",
    "speaker_type",
    "kind",
    "claim",
    "countries",
    "tone",
    "title",
    "source",
    "published",
]


@dataclass(frozen=True)
class Filters:
    """What the analyst has narrowed the corpus to; empty fields filter nothing."""

    countries: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    speaker_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    tones: tuple[str, ...] = ()  # polarities: negative, neutral, positive

    @classmethod
    def from_query_params(cls, params: Mapping[str, str | Sequence[str]]) -> Filters:
        """Filters from URL query parameters (``?country=RUS&country=USA&q=sanctions``).

        A value may be a string or a list of strings (repeated keys). Dates
        that do not parse as ``YYYY-MM-DD`` are dropped: a hand-edited link
        must still open the dashboard.
        """

        def values(name: str) -> tuple[str, ...]:
            raw = params.get(_PARAM_NAMES[name], ())
            items = [raw] if isinstance(raw, str) else list(raw)
            return tuple(dict.fromkeys(v.strip() for v in items if v and v.strip()))

        def one_date(name: str) -> date | None:
            for value in values(name):
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    return None
            return None

        search = values("search")
        return cls(
            countries=tuple(v.upper() for v in values("countries")),
            speakers=values("speakers"),
            speaker_types=tuple(v for v in values("speaker_types") if v in SPEAKER_TYPES),
            sources=values("sources"),
            date_from=one_date("date_from"),
            date_to=one_date("date_to"),
            search=search[0] if search else "",
            tones=tuple(v for v in values("tones") if v in POLARITIES),
        )

    def to_query_params(self) -> dict[str, list[str] | str]:
        """The non-empty filters as query parameters; the inverse of :meth:`from_query_params`."""
        params: dict[str, list[str] | str] = {}
        for name in ("countries", "speakers", "speaker_types", "sources", "tones"):
            value = getattr(self, name)
            if value:
                params[_PARAM_NAMES[name]] = list(value)
        if self.date_from:
            params[_PARAM_NAMES["date_from"]] = self.date_from.isoformat()
        if self.date_to:
            params[_PARAM_NAMES["date_to"]] = self.date_to.isoformat()
        if self.search.strip():
            params[_PARAM_NAMES["search"]] = self.search.strip()
        return params

    @property
    def is_empty(self) -> bool:
        return not self.to_query_params()

    def with_(self, **changes: Any) -> Filters:
        """A copy with some fields changed (lists become tuples)."""
        fixed = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return replace(self, **fixed)


@dataclass(frozen=True)
class Frames:
    """The store as three flat frames: articles, country mentions and claims (quotes)."""

    articles: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_ARTICLE_COLUMNS))
    mentions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_MENTION_COLUMNS))
    claims: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_CLAIM_COLUMNS))


def load_frames(store: Store, *, aliases: Mapping[str, str] | None = None) -> Frames:
    """Read the store into :class:`Frames` with three queries on one snapshot: an ingest
    writing meanwhile never leaves claims without articles. Claims come newest article
    first, then in the order the articles were stored.

    The whole store goes into memory: this is the reference that the dashboard's
    SQL (:mod:`claimscope.queries`, over :mod:`claimscope.mirror`) is tested
    against, and fine for a few thousand articles; the dashboard never calls it.

    Speakers are named as the alias table says (``aliases``; ``None`` reads the
    user's table), so an edit of the table renames stored claims on the next read.
    """
    articles, mentions, claims, tones = store.query_all(
        [
            "SELECT id, title, source, published, path FROM articles"
            " ORDER BY published DESC NULLS LAST, title, id",
            "SELECT m.article_id, m.iso3, m.country, m.via, a.published, a.source"
            " FROM country_mentions m JOIN articles a ON a.id = m.article_id",
            "SELECT q.article_id, q.quote_index, q.speaker, q.speaker_role, q.speaker_type,"
            " q.kind, q.text AS claim, q.countries, a.title, a.source, a.published"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            f" ORDER BY a.published DESC NULLS LAST, a.{store.order_key}, q.quote_index",
            "SELECT article_id, quote_index, target, polarity, score FROM quote_tones"
            f" ORDER BY {store.order_key}",
        ]
    )
    found: dict[tuple[str, int], list[tuple[str, str, float]]] = {}
    for row in tones.itertuples(index=False):
        found.setdefault((row.article_id, int(row.quote_index)), []).append(
            (row.target, row.polarity, float(row.score))
        )
    claims["tone"] = [
        tuple(found.get((a, int(i)), ()))
        for a, i in zip(claims["article_id"], claims["quote_index"], strict=True)
    ]
    table = names.load_aliases() if aliases is None else aliases
    renamed = names.alias_map(claims["speaker"], table)
    if renamed:
        claims["speaker"] = claims["speaker"].map(lambda s: renamed.get(s, s))
    return frames_from(articles, mentions, claims)


def frames_from(articles: pd.DataFrame, mentions: pd.DataFrame, claims: pd.DataFrame) -> Frames:
    """Normalise raw frames: datetime ``published``, tuple ``countries``, str columns."""
    articles = articles.reindex(columns=_ARTICLE_COLUMNS).copy()
    mentions = mentions.reindex(columns=_MENTION_COLUMNS).copy()
    claims = claims.reindex(columns=_CLAIM_COLUMNS).copy()
    for frame in (articles, mentions, claims):
        frame["published"] = pd.to_datetime(frame["published"], errors="coerce")
    claims["countries"] = [tuple(c) if c is not None else () for c in claims["countries"]]
    claims["tone"] = [tuple(t) if isinstance(t, tuple | list) else () for t in claims["tone"]]
    # An integer key per article: filtering joins on it, because ``isin`` over
    # Arrow-backed strings walks the values in Python (slow at 2,000 articles).
    articles["akey"] = range(len(articles))
    keys = dict(zip(articles["id"], articles["akey"], strict=True))
    for frame in (mentions, claims):
        frame["akey"] = frame["article_id"].map(keys).fillna(-1).astype("int64")
    return Frames(
        articles=articles.reset_index(drop=True),
        mentions=mentions.reset_index(drop=True),
        claims=claims.reset_index(drop=True),
    )


# -- filtering -----------------------------------------------------------------


def _in_dates(published: pd.Series, filters: Filters) -> pd.Series:
    keep = pd.Series(True, index=published.index)
    if filters.date_from:
        keep &= published >= pd.Timestamp(filters.date_from)
    if filters.date_to:
        keep &= published < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1)
    return keep


def _claims_matching(
    claims: pd.DataFrame, filters: Filters, *, by_country: bool = True
) -> pd.Series:
    """Claim-level criteria: speaker, speaker type, search text, tone and (``by_country``)
    countries. The tone criterion looks at the chosen countries in any case."""
    keep = pd.Series(True, index=claims.index)
    if filters.speakers:
        keep &= claims["speaker"].isin(filters.speakers)
    if filters.speaker_types:
        keep &= claims["speaker_type"].isin(filters.speaker_types)
    if filters.search.strip():
        keep &= claims["claim"].str.contains(filters.search.strip(), case=False, regex=False)
    if by_country and filters.countries:
        wanted = set(filters.countries)
        keep &= claims["countries"].map(lambda found: not wanted.isdisjoint(found)).astype(bool)
    if filters.tones:
        keep &= claims["tone"].map(lambda found: has_tone(found, filters)).astype(bool)
    return keep


def has_tone(tones: Sequence[tuple[str, str, float]], filters: Filters) -> bool:
    """Whether a claim's ``(target, polarity, score)`` tones hold one of ``filters.tones``
    (toward one of ``filters.countries`` when countries are chosen)."""
    return any(
        polarity in filters.tones and (not filters.countries or target in filters.countries)
        for target, polarity, _ in tones
    )


def apply_filters(frames: Frames, filters: Filters) -> Frames:
    """The frames narrowed to ``filters`` (see the module docstring for the rules)."""
    articles, mentions, claims = frames.articles, frames.mentions, frames.claims
    keep = _in_dates(articles["published"], filters)
    if filters.sources:
        keep &= articles["source"].isin(filters.sources)
    if filters.countries:
        mentioning = mentions.loc[mentions["iso3"].isin(filters.countries), "akey"].unique()
        keep &= articles["akey"].isin(mentioning)
    claim_keep = _claims_matching(claims, filters)
    if filters.speakers or filters.speaker_types or filters.search.strip() or filters.tones:
        # Articles that hold a selected claim (the country criterion is the
        # article's own, applied above).
        claim_only = _claims_matching(claims, filters, by_country=False)
        keep &= articles["akey"].isin(claims.loc[claim_only, "akey"].unique())
    if keep.all():
        return Frames(articles=articles, mentions=mentions, claims=claims[claim_keep])
    chosen = articles[keep]
    keys = chosen["akey"].to_numpy()
    return Frames(
        articles=chosen,
        mentions=mentions[mentions["akey"].isin(keys)],
        claims=claims[claim_keep & claims["akey"].isin(keys)],
    )


# -- aggregations --------------------------------------------------------------


def country_names(frames: Frames) -> dict[str, str]:
    """ISO3 code -> country name, as the country extractor named it."""
    pairs = frames.mentions[["iso3", "country"]].drop_duplicates("iso3")
    return dict(zip(pairs["iso3"], pairs["country"], strict=True))


def country_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per country: ``iso3, country, mentions, articles``, most mentioned first."""
    if mentions.empty:
        return pd.DataFrame({"iso3": [], "country": [], "mentions": [], "articles": []}).astype(
            {"mentions": int, "articles": int}
        )
    grouped = mentions.groupby(["iso3", "country"], as_index=False).agg(
        mentions=("article_id", "size"), articles=("article_id", "nunique")
    )
    return grouped.sort_values(["mentions", "country"], ascending=[False, True]).reset_index(
        drop=True
    )


def _modal(named: pd.DataFrame, column: str) -> pd.Series:
    """Per speaker, the value of ``column`` given most often (ties: alphabetical).

    Vectorised: one groupby over (speaker, value) pairs, not a Python call
    per speaker, which took most of a second on a few hundred articles.
    """
    pairs = named[["speaker", column]].dropna()
    if pairs.empty:
        return pd.Series(dtype=object)
    counts = pairs.groupby(["speaker", column]).size().reset_index(name="n")
    counts = counts.sort_values(["speaker", "n", column], ascending=[True, False, True])
    return counts.drop_duplicates("speaker").set_index("speaker")[column]


def speaker_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Per named speaker: ``speaker, role, type, claims, articles``, most claims first.

    Role and type are the ones the texts give most often for that speaker.
    Claims without a resolved speaker are left out.
    """
    named = claims[claims["speaker"].notna() & (claims["speaker"] != "")]
    if named.empty:
        return pd.DataFrame(
            {"speaker": [], "role": [], "type": [], "claims": [], "articles": []}
        ).astype({"claims": int, "articles": int})
    grouped = named.groupby("speaker").agg(
        claims=("claim", "size"), articles=("article_id", "nunique")
    )
    grouped["role"] = _modal(named, "speaker_role").reindex(grouped.index)
    grouped["type"] = _modal(named, "speaker_type").reindex(grouped.index)
    grouped = grouped.reset_index()[["speaker", "role", "type", "claims", "articles"]]
    return grouped.sort_values(["claims", "speaker"], ascending=[False, True]).reset_index(
        drop=True
    )


def claim_countries(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (claim, country it mentions): the claims frame exploded on ``countries``."""
    exploded = claims.explode("countries")
    exploded = exploded[exploded["countries"].notna()]
    return exploded.rename(columns={"countries": "iso3"})


def speaker_country_matrix(
    claims: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    top_speakers: int = 15,
    top_countries: int = 15,
) -> pd.DataFrame:
    """Claims per speaker (rows) and country their claims mention (columns).

    Only the busiest speakers and countries are kept so the heatmap stays
    readable; columns are named with ``names`` (ISO3 -> name) when given.
    """
    pairs = claim_countries(claims)
    pairs = pairs[pairs["speaker"].notna() & (pairs["speaker"] != "")]
    if pairs.empty:
        return pd.DataFrame()
    speakers = _busiest(pairs["speaker"], top_speakers)
    countries = _busiest(pairs["iso3"], top_countries)
    pairs = pairs[pairs["speaker"].isin(speakers) & pairs["iso3"].isin(countries)]
    matrix = pd.crosstab(pairs["speaker"], pairs["iso3"])
    matrix = matrix.reindex(index=speakers, columns=countries, fill_value=0)
    if names:
        matrix.columns = [names.get(code, code) for code in matrix.columns]
    matrix.index.name, matrix.columns.name = "speaker", "country"
    return matrix


def speaker_country_tone(
    claims: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    top_speakers: int = 15,
    top_countries: int = 15,
) -> pd.DataFrame:
    """The mean tone of each speaker's claims toward each country they mention.

    One row per (speaker, country): ``speaker, iso3, country, claims, score``
    (``claims``: how many of the speaker's claims carry a tone toward it;
    ``score``: their mean, in [-1, 1]), for the speakers and countries with the
    most such claims (ties: alphabetical), ordered by speaker and country.
    """
    columns = ["speaker", "iso3", "country", "claims", "score"]
    rows = [
        (speaker, target, score)
        for speaker, countries, tones in zip(
            claims["speaker"], claims["countries"], claims["tone"], strict=True
        )
        if isinstance(speaker, str) and speaker
        for target, _, score in tones
        if target in countries
    ]
    if not rows:
        return pd.DataFrame({c: [] for c in columns}).astype({"claims": int, "score": float})
    pairs = pd.DataFrame(rows, columns=["speaker", "iso3", "score"])
    pairs = pairs[
        pairs["speaker"].isin(_busiest(pairs["speaker"], top_speakers))
        & pairs["iso3"].isin(_busiest(pairs["iso3"], top_countries))
    ]
    grouped = pairs.groupby(["speaker", "iso3"], as_index=False).agg(
        claims=("score", "size"), score=("score", "mean")
    )
    names = names or {}
    grouped["country"] = [names.get(code, code) for code in grouped["iso3"]]
    grouped = grouped.sort_values(["speaker", "iso3"]).astype({"claims": int, "score": float})
    return grouped[columns].reset_index(drop=True)


def tone_text(
    tones: Sequence[tuple[str, str, float]], names: Mapping[str, str] | None = None
) -> str:
    """A claim's tones for a table cell: ``Venezuela negative -0.80; Maduro positive +0.55``
    (countries by name when ``names`` has them)."""
    names = names or {}
    return "; ".join(
        f"{names.get(target, target)} {polarity} {score:+.2f}" for target, polarity, score in tones
    )


def _busiest(values: pd.Series, top: int) -> pd.Index:
    """The ``top`` most frequent values, ties in alphabetical order."""
    counts = values.value_counts().rename_axis("value").reset_index(name="n")
    counts = counts.sort_values(["n", "value"], ascending=[False, True])
    return pd.Index(counts["value"].head(top))


def time_frequency(published: pd.Series) -> str:
    """A bucket size that gives a readable timeline: days, weeks or months."""
    dates = published.dropna()
    if dates.empty:
        return "D"
    span = dates.max() - dates.min()
    if span <= pd.Timedelta(days=62):
        return "D"
    if span <= pd.Timedelta(days=730):
        return "W"
    return "M"


def mentions_over_time(
    mentions: pd.DataFrame, *, iso3: str | None = None, freq: str | None = None
) -> pd.DataFrame:
    """Country mentions per period: ``period, mentions, articles`` (undated articles left out).

    ``iso3`` narrows to one country; ``freq`` is ``D``, ``W`` or ``M``
    (chosen from the date span when not given).
    """
    if iso3:
        mentions = mentions[mentions["iso3"] == iso3]
    dated = mentions[mentions["published"].notna()]
    if dated.empty:
        return pd.DataFrame({"period": pd.to_datetime([]), "mentions": [], "articles": []})
    freq = freq or time_frequency(dated["published"])
    period = dated["published"].dt.to_period(freq).dt.start_time
    grouped = dated.assign(period=period).groupby("period", as_index=False)
    return grouped.agg(mentions=("article_id", "size"), articles=("article_id", "nunique"))


def co_mentions(mentions: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Countries mentioned in the same articles as ``iso3``: ``iso3, country, articles``."""
    with_it = set(mentions.loc[mentions["iso3"] == iso3, "article_id"])
    others = mentions[mentions["article_id"].isin(with_it) & (mentions["iso3"] != iso3)]
    if others.empty:
        return pd.DataFrame({"iso3": [], "country": [], "articles": []}).astype({"articles": int})
    grouped = others.groupby(["iso3", "country"], as_index=False).agg(
        articles=("article_id", "nunique")
    )
    return grouped.sort_values(["articles", "country"], ascending=[False, True]).reset_index(
        drop=True
    )


def claims_about(claims: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The claims whose content mentions ``iso3``."""
    return claims[claims["countries"].map(lambda found: iso3 in found).astype(bool)]


def summary(frames: Frames) -> dict[str, int]:
    """The headline counts: articles, countries, speakers and claims."""
    speakers = frames.claims["speaker"].dropna()
    return {
        "articles": len(frames.articles),
        "countries": int(frames.mentions["iso3"].nunique()),
        "speakers": int(speakers[speakers != ""].nunique()),
        "claims": len(frames.claims),
    }


def claims_table(claims: pd.DataFrame, *, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The claims as the analyst reads and exports them, one row per claim.

    Columns: speaker, role, claim, kind, countries (names, comma separated),
    tone (:func:`tone_text`), article, date, article_id.
    """
    names = names or {}
    table = pd.DataFrame(
        {
            "speaker": claims["speaker"],
            "role": claims["speaker_role"],
            "type": claims["speaker_type"],
            "claim": claims["claim"],
            "kind": claims["kind"],
            "countries": [
                ", ".join(names.get(c, c) for c in found) for found in claims["countries"]
            ],
            "tone": [tone_text(found, names) for found in claims["tone"]],
            "article": claims["title"],
            "date": claims["published"].dt.date,
            "article_id": claims["article_id"],
        }
    )
    return table.reset_index(drop=True)


def options_with_counts(counts: pd.DataFrame, key: str, count: str) -> dict[str, int]:
    """``{value: count}`` from an aggregate frame, in its order (for filter option labels)."""
    return dict(zip(counts[key], counts[count].astype(int), strict=True))


def source_counts(articles: pd.DataFrame) -> dict[str, int]:
    """Articles per source, most first (articles without a source left out)."""
    counts = articles["source"].dropna().value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def article_label(row: Mapping[str, Any]) -> str:
    """How an article is named in pickers: ``title (date, source)``, else its path.

    A missing value (``None``, ``NaN``, ``NaT``, ``pd.NA``, blank) is left out,
    never printed as "nan".
    """
    title = next(
        (str(row[key]) for key in ("title", "path", "id") if _present(row.get(key))), "untitled"
    )
    extras = []
    if _present(row.get("published")):
        extras.append(pd.Timestamp(row["published"]).date().isoformat())
    if _present(row.get("source")):
        extras.append(str(row["source"]))
    return f"{title} ({', '.join(extras)})" if extras else title


def _present(value: object) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: present
        return True


# Inline Markdown syntax that could format, link or embed: escaped. Line-start
# syntax ("# ", "- ", "1. ") cannot occur once line breaks are spaces.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!~$|])")


def escape_markdown(text: str) -> str:
    """Text shown through Markdown (``st.markdown``, ``st.error``) exactly as written:
    every character that Markdown (or Streamlit's LaTeX and ``:color[...]``) would
    read as inline syntax is escaped, and line breaks become spaces, so a title or
    a file name can never become a link, an image or a heading."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def safe_url(url: str | None) -> str | None:
    """An article's URL if it is a web address (http or https), else ``None``:
    a ``javascript:`` or ``data:`` link from an uploaded file is never offered."""
    if not url:
        return None
    cleaned = url.strip()
    return cleaned if re.match(r"https?://[^\s<>\"]+$", cleaned, re.IGNORECASE) else None


# -- export --------------------------------------------------------------------


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so Excel opens accented names correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, *, sheet: str = "claims") -> bytes:
    """An .xlsx workbook (openpyxl) holding ``frame`` on one sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
    return buffer.getvalue()


# -- the article reader ---------------------------------------------------------

# Layer -> CSS class; quotes sit under countries and entities, so a country
# inside a quote shows both.
HIGHLIGHT_LAYERS = ("quote", "entity", "country")


def _layers(article: Article) -> list[tuple[int, int, str, str]]:
    spans: list[tuple[int, int, str, str]] = []
    for quote in article.quotes:
        who = quote.speaker or (quote.speaker_mention.text if quote.speaker_mention else None)
        title = f"{quote.kind} quote, speaker: {who or '?'}"
        if quote.tone:
            title += "; tone: " + tone_text([(t.target, t.polarity, t.score) for t in quote.tone])
        spans.append((quote.start, quote.end, "quote", title))
    countries = {(c.start, c.end) for c in article.countries}
    for entity in article.entities:
        if (entity.start, entity.end) not in countries:
            spans.append(
                (entity.start, entity.end, "entity", f"{entity.label}: {entity.canonical}")
            )
    for country in article.countries:
        spans.append((country.start, country.end, "country", f"{country.country} ({country.iso3})"))
    return spans


def annotate_html(article: Article) -> str:
    """The article text as HTML with quotes, entities and countries in ``<mark>`` tags.

    The text is escaped before any tag is added: uploaded content is never
    trusted HTML. Overlapping annotations nest per stretch of text, so the
    output is always well formed.
    """
    text = article.text
    spans = [(max(0, s), min(len(text), e), k, t) for s, e, k, t in _layers(article) if s < e]
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    order = {layer: rank for rank, layer in enumerate(HIGHLIGHT_LAYERS)}
    parts: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        piece = html.escape(text[start:end])
        covering = sorted(
            (span for span in spans if span[0] <= start and end <= span[1]),
            key=lambda span: order[span[2]],
            reverse=True,
        )
        for _, _, kind, title in covering:
            piece = (
                f'<mark class="cs-{kind}" title="{html.escape(title, quote=True)}">{piece}</mark>'
            )
        parts.append(piece)
    return "".join(parts)


def article_rows(article: Article, *, kind: str) -> pd.DataFrame:
    """One of an article's own tables: ``quotes``, ``countries`` or ``entities``."""
    if kind == "quotes":
        return pd.DataFrame(
            [
                {
                    "speaker": q.speaker,
                    "as written": q.speaker_mention.text if q.speaker_mention else None,
                    "role": q.speaker_role,
                    "type": q.speaker_type,
                    "kind": q.kind,
                    "cue": q.cue.text if q.cue else None,
                    "claim": q.text,
                    "countries": ", ".join(q.countries),
                    "tone": tone_text([(t.target, t.polarity, t.score) for t in q.tone]),
                }
                for q in article.quotes
            ],
            columns=[
                "speaker",
                "as written",
                "role",
                "type",
                "kind",
                "cue",
                "claim",
                "countries",
                "tone",
            ],  # fmt: skip
        )
    if kind == "countries":
        return pd.DataFrame(
            [(c.text, c.country, c.iso3, c.via, c.start) for c in article.countries],
            columns=["text", "country", "iso3", "via", "offset"],
        )
    if kind == "entities":
        return pd.DataFrame(
            [(e.text, e.label, e.canonical, e.start) for e in article.entities],
            columns=["text", "label", "canonical", "offset"],
        )
    raise ValueError(f"unknown table {kind!r}; expected quotes, countries or entities")
