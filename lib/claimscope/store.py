"""The DuckDB store: one class, an explicit path, the schema in the package.

An article and all its rows go in within one transaction, so a failure never
leaves half an article behind. The article id is the hash of its cleaned text,
so storing the same text twice stores nothing new.
"""

from __future__ import annotations

import os
import threading
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import platformdirs

from claimscope.records import (
    Article,
    CountryMention,
    EntityMention,
    Quote,
    RegionMention,
    Span,
)

STORE_ENV_VAR = "CLAIMSCOPE_STORE"
_ROWS_PER_INSERT = 200
TABLES = ("articles", "entities", "country_mentions", "region_mentions", "quotes")


def default_store_path() -> Path:
    """``$CLAIMSCOPE_STORE``, else ``claimscope.duckdb`` in the user's data directory."""
    configured = os.environ.get(STORE_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("claimscope")) / "claimscope.duckdb"


def _schema_sql() -> str:
    return resources.files("claimscope").joinpath("schema.sql").read_text(encoding="utf-8")


def _span_struct(span: Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _span_from_struct(value: object) -> Span | None:
    if not isinstance(value, dict):
        return None
    return Span(int(value["start"]), int(value["end"]), str(value["text"]))


class Store:
    """A Claimscope store in one DuckDB file (or ``":memory:"``).

    The connection is guarded by a lock so one instance can be shared by the
    threads of a Streamlit server (``st.cache_resource``).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = duckdb.connect(self.path, read_only=read_only)
        if not read_only:
            self._conn.execute(_schema_sql())

    # -- writing -----------------------------------------------------------
    def add(self, article: Article) -> bool:
        """Store an article with its rows; ``False`` when its id is already stored."""
        with self._lock:
            if self.has(article.id):
                return False
            conn = self._conn
            conn.execute("BEGIN TRANSACTION")
            try:
                conn.execute(
                    "INSERT INTO articles (id, path, title, source, dateline, published, url, text)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        article.id,
                        article.path,
                        article.title,
                        article.source,
                        article.dateline,
                        article.published,
                        article.url,
                        article.text,
                    ],
                )
                self._insert_many(
                    "entities",
                    [(e.start, e.end, e.text, e.label, e.canonical) for e in article.entities],
                    article.id,
                )
                self._insert_many(
                    "country_mentions",
                    [(c.start, c.end, c.text, c.iso3, c.country, c.via) for c in article.countries],
                    article.id,
                )
                self._insert_many(
                    "region_mentions",
                    [(r.start, r.end, r.text, r.region) for r in article.regions],
                    article.id,
                )
                self._insert_many(
                    "quotes",
                    [
                        (
                            index,
                            q.start,
                            q.end,
                            q.text,
                            q.kind,
                            _span_struct(q.cue),
                            _span_struct(q.speaker_mention),
                            q.speaker,
                            q.speaker_role,
                            q.speaker_type,
                            list(q.countries),
                        )
                        for index, q in enumerate(article.quotes)
                    ],
                    article.id,
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return True

    def _insert_many(self, table: str, rows: list[tuple], article_id: str) -> None:
        # One multi-row INSERT per chunk: DuckDB's executemany runs one
        # statement per row and made storing cost a third of extraction.
        if not rows:
            return
        row_placeholder = "(" + ", ".join(["?"] * (len(rows[0]) + 1)) + ")"
        for first in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[first : first + _ROWS_PER_INSERT]
            self._conn.execute(
                f"INSERT INTO {table} VALUES {', '.join([row_placeholder] * len(chunk))}",
                [value for row in chunk for value in (article_id, *row)],
            )

    # -- reading -----------------------------------------------------------
    def has(self, article_id: str) -> bool:
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM articles WHERE id = ? LIMIT 1", [article_id]
            ).fetchone()
        return row is not None

    def count(self, table: str = "articles") -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        with self._lock:
            return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def version(self) -> str:
        """Changes whenever articles are added: a cache key for derived frames."""
        with self._lock:
            count, latest = self._conn.execute(
                "SELECT count(*), max(ingested_at) FROM articles"
            ).fetchone()
        return f"{count}:{latest}"

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        with self._lock:
            return self._conn.execute(sql, params or []).df()

    def frame(self, table: str) -> pd.DataFrame:
        """A whole table as a DataFrame (``articles`` without its text column)."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        columns = (
            "id, path, title, source, dateline, published, url, ingested_at"
            if table == "articles"
            else "*"
        )
        return self.query(f"SELECT {columns} FROM {table}")

    def article(self, article_id: str) -> Article | None:
        """One stored article with all its rows, as the pipeline made it."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id, path, title, source, dateline, CAST(published AS VARCHAR), url, text"
                " FROM articles WHERE id = ?",
                [article_id],
            ).fetchone()
            if row is None:
                return None
            entities = self._conn.execute(
                'SELECT "start", "end", text, label, canonical FROM entities'
                ' WHERE article_id = ? ORDER BY "start"',
                [article_id],
            ).fetchall()
            countries = self._conn.execute(
                'SELECT "start", "end", text, iso3, country, via FROM country_mentions'
                ' WHERE article_id = ? ORDER BY "start"',
                [article_id],
            ).fetchall()
            regions = self._conn.execute(
                'SELECT "start", "end", text, region FROM region_mentions'
                ' WHERE article_id = ? ORDER BY "start"',
                [article_id],
            ).fetchall()
            quotes = self._conn.execute(
                'SELECT "start", "end", text, kind, cue, speaker_mention, speaker, speaker_role,'
                " speaker_type, countries FROM quotes WHERE article_id = ? ORDER BY quote_index",
                [article_id],
            ).fetchall()
        article_id, path, title, source, dateline, published, url, text = row
        return Article(
            path=path,
            id=article_id,
            title=title,
            source=source,
            dateline=dateline,
            published=published,
            url=url,
            text=text,
            entities=tuple(EntityMention(*e) for e in entities),
            countries=tuple(CountryMention(*c) for c in countries),
            regions=tuple(RegionMention(*r) for r in regions),
            quotes=tuple(
                Quote(
                    start=q[0],
                    end=q[1],
                    text=q[2],
                    kind=q[3],
                    cue=_span_from_struct(q[4]),
                    speaker_mention=_span_from_struct(q[5]),
                    speaker=q[6],
                    speaker_role=q[7],
                    speaker_type=q[8],
                    countries=tuple(q[9] or ()),
                )
                for q in quotes
            ),
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
