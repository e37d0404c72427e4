"""The DuckDB store: one class, an explicit path, the schema in the package.

An article and all its rows go in within one transaction, so a failure never
leaves half an article behind. The article id is the hash of its cleaned text,
so storing the same text twice stores nothing new.

One store, many users. DuckDB lets one process at a time open a file for
writing, and while it does no other process can open it at all. So a
:class:`Store` keeps no connection open: every operation opens one, does its
work and closes it at once. Reads open the file read-only; a write opens it
for one article (or one small batch, an article per transaction) and closes
it. An operation that finds the file held by another process waits and
retries with exponential backoff and jitter, for up to ``wait`` seconds, and
only then raises :class:`StoreBusy` (a message for people, never DuckDB's
lock error). Whether an article is already stored is checked inside its
write transaction, so two processes storing the same text store it once.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from claimscope.points import DIMENSIONS, Assignment, Claim, KnownPoints
from claimscope.records import (
    Article,
    CountryMention,
    EntityMention,
    Quote,
    RegionMention,
    Span,
    Tone,
)
from claimscope.settings import STORE_ENV_VAR, default_store_path, is_server_url

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_WAIT",
    "STORE_ENV_VAR",
    "TABLES",
    "Store",
    "StoreBusy",
    "StoreUnavailable",
    "default_store_path",
    "is_server_url",
    "open_store",
]

DEFAULT_WAIT = 300.0
_ROWS_PER_INSERT = 200
TABLES = ("articles", "entities", "country_mentions", "region_mentions", "quotes", "quote_tones")
# How DuckDB says that another process (or, in this process, a connection with
# other options) holds the file.
_LOCK_MESSAGES = ("Could not set lock", "Conflicting lock", "different configuration")
T = TypeVar("T")
_FIRST_DELAY = 0.01
_MAX_DELAY = 0.5


class StoreBusy(RuntimeError):
    """The store stayed held by another process for longer than the store's ``wait``."""


class StoreUnavailable(StoreBusy):
    """The store cannot be used now: a database server that cannot be reached or refuses
    the connection. A kind of :class:`StoreBusy`, so every caller that reports a busy
    store in words (an ingest fails the articles it could not store) does the same."""


def open_store(location: str | Path, *, read_only: bool = False, wait: float = DEFAULT_WAIT):
    """The store at ``location``: a ``postgresql://user@host:port/db`` URL opens a
    :class:`~claimscope.pgstore.PostgresStore`, anything else a DuckDB file (:class:`Store`).
    Both have the same methods and the same tables."""
    if is_server_url(location):
        from claimscope.pgstore import PostgresStore

        return PostgresStore(str(location), read_only=read_only, wait=wait)
    return Store(location, read_only=read_only, wait=wait)


def _schema_sql() -> str:
    return resources.files("claimscope").joinpath("schema.sql").read_text(encoding="utf-8")


def _span_struct(span: Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _span_from_struct(value: object) -> Span | None:
    if not isinstance(value, dict):
        return None
    return Span(int(value["start"]), int(value["end"]), str(value["text"]))


_SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())])
SCHEMAS = {
    "articles": pa.schema(
        [
            ("id", pa.string()),
            ("path", pa.string()),
            ("title", pa.string()),
            ("source", pa.string()),
            ("dateline", pa.string()),
            ("published", pa.string()),
            ("url", pa.string()),
            ("text", pa.string()),
        ]
    ),  # fmt: skip
    "entities": pa.schema(
        [
            ("article_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", pa.string()),
            ("label", pa.string()),
            ("canonical", pa.string()),
        ]
    ),  # fmt: skip
    "country_mentions": pa.schema(
        [
            ("article_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", pa.string()),
            ("iso3", pa.string()),
            ("country", pa.string()),
            ("via", pa.string()),
        ]
    ),  # fmt: skip
    "region_mentions": pa.schema(
        [
            ("article_id", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", pa.string()),
            ("region", pa.string()),
        ]
    ),  # fmt: skip
    "quotes": pa.schema(
        [
            ("article_id", pa.string()),
            ("quote_index", pa.int32()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", pa.string()),
            ("kind", pa.string()),
            ("cue", _SPAN),
            ("speaker_mention", _SPAN),
            ("speaker", pa.string()),
            ("speaker_role", pa.string()),
            ("speaker_type", pa.string()),
            ("countries", pa.list_(pa.string())),
        ]
    ),  # fmt: skip
    "quote_tones": pa.schema(
        [
            ("article_id", pa.string()),
            ("quote_index", pa.int32()),
            ("target", pa.string()),
            ("polarity", pa.string()),
            ("score", pa.float64()),
        ]
    ),  # fmt: skip
}


def _batch_tables(articles: Sequence[Article]) -> dict[str, pa.Table]:
    """Every row of ``articles``, one Arrow table per store table (articles first)."""
    return {
        table: pa.Table.from_pylist(found, schema=SCHEMAS[table])
        for table, found in batch_rows(articles).items()
        if found
    }


# Columns of each table in the order of schema.sql, as a store's frames and exports give them.
COLUMNS = {
    table: tuple(SCHEMAS[table].names) + (("ingested_at",) if table == "articles" else ())
    for table in SCHEMAS
}


def fresh_articles(
    articles: Sequence[Article], stored: set[str]
) -> tuple[list[bool], list[Article]]:
    """Which of ``articles`` are new (per article, in order), and the new ones once each.

    ``stored`` holds the ids already in the store; an id twice in one batch is new once.
    """
    seen = set(stored)
    results = []
    new: list[Article] = []
    for article in articles:
        fresh = article.id not in seen
        results.append(fresh)
        if fresh:
            new.append(article)
            seen.add(article.id)
    return results, new


def batch_rows(articles: Sequence[Article]) -> dict[str, list[dict]]:
    """Every row of ``articles`` as a dict per row, per store table (articles first);
    what every backend writes."""
    rows: dict[str, list[dict]] = {table: [] for table in SCHEMAS}
    for a in articles:
        rows["articles"].append(
            {"id": a.id, "path": a.path, "title": a.title, "source": a.source,
             "dateline": a.dateline, "published": a.published, "url": a.url, "text": a.text}
        )  # fmt: skip
        for e in a.entities:
            rows["entities"].append(
                {"article_id": a.id, "start": e.start, "end": e.end, "text": e.text,
                 "label": e.label, "canonical": e.canonical}
            )  # fmt: skip
        for c in a.countries:
            rows["country_mentions"].append(
                {"article_id": a.id, "start": c.start, "end": c.end, "text": c.text,
                 "iso3": c.iso3, "country": c.country, "via": c.via}
            )  # fmt: skip
        for r in a.regions:
            rows["region_mentions"].append(
                {"article_id": a.id, "start": r.start, "end": r.end, "text": r.text,
                 "region": r.region}
            )  # fmt: skip
        for index, q in enumerate(a.quotes):
            rows["quotes"].append(
                {"article_id": a.id, "quote_index": index, "start": q.start, "end": q.end,
                 "text": q.text, "kind": q.kind, "cue": _span_struct(q.cue),
                 "speaker_mention": _span_struct(q.speaker_mention), "speaker": q.speaker,
                 "speaker_role": q.speaker_role, "speaker_type": q.speaker_type,
                 "countries": list(q.countries)}
            )  # fmt: skip
            for t in q.tone:
                rows["quote_tones"].append(
                    {"article_id": a.id, "quote_index": index, "target": t.target,
                     "polarity": t.polarity, "score": t.score}
                )  # fmt: skip
    return rows


def _points_table_sql() -> str:
    """The ``CREATE TABLE IF NOT EXISTS claim_points`` statement of the packaged schema."""
    schema = _schema_sql()
    start = schema.index("CREATE TABLE IF NOT EXISTS claim_points")
    return schema[start : schema.index(";", start) + 1]


def _count_points(conn: duckdb.DuckDBPyConnection) -> int:
    """Rows of ``claim_points`` (0 in a store written before talking points)."""
    found = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'claim_points'"
        " AND schema_name = 'main' AND database_name = current_database()"
    ).fetchone()[0]
    if not found:
        return 0
    return int(conn.execute("SELECT count(*) FROM claim_points").fetchone()[0])


def _known_points(table: pa.Table) -> KnownPoints:
    embeddings = table.column("embedding").combine_chunks()
    if len(embeddings):
        vectors = embeddings.flatten().to_numpy(zero_copy_only=False).astype(np.float32)
        vectors = vectors.reshape(len(embeddings), -1)
    else:
        vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
    return KnownPoints(
        point_ids=table.column("point_id").to_pylist(),
        keys=table.column("key").to_pylist(),
        texts=table.column("text").to_pylist(),
        countries=table.column("countries").to_pylist(),
        vectors=vectors,
    )


def _is_lock_conflict(error: duckdb.Error) -> bool:
    return isinstance(error, duckdb.IOException | duckdb.ConnectionException) and any(
        message in str(error) for message in _LOCK_MESSAGES
    )


class Store:
    """A Claimscope store in one DuckDB file (or ``":memory:"``).

    Safe to share between threads (a Streamlit server's sessions) and between
    processes (CLI ingests, dashboards): see the module docstring. ``wait`` is
    how many seconds an operation waits for other processes before it gives
    up with :class:`StoreBusy`. A ``read_only`` store never creates the file.
    """

    # The column that orders each table's rows as they were written.
    order_key = "rowid"

    def __init__(
        self, path: str | Path, *, read_only: bool = False, wait: float = DEFAULT_WAIT
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait
        self._lock = threading.RLock()
        # ":memory:" lives only as long as its connection, so that one stays open.
        self._memory: duckdb.DuckDBPyConnection | None = None
        if self.path == ":memory:":
            self._memory = duckdb.connect(":memory:")
            self._memory.execute(_schema_sql())
        elif not read_only:
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            with self._connection(write=True) as conn:
                conn.execute(_schema_sql())

    # -- connections -------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one operation, closed (and the file released) right after."""
        with self._lock:
            if self._memory is not None:
                yield self._memory
                return
            if write and self.read_only:
                raise PermissionError(f"the store {self.path} was opened read-only")
            conn = self._open(read_only=not write)
            try:
                yield conn
            finally:
                conn.close()

    def _open(self, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        return self._retrying(lambda: duckdb.connect(self.path, read_only=read_only))

    def _retrying(self, action: Callable[[], T]) -> T:
        """``action()``, retried with backoff while another process holds the file."""
        deadline = time.monotonic() + self.wait
        delay = _FIRST_DELAY
        waited = 0
        while True:
            try:
                return action()
            except duckdb.Error as error:
                if not _is_lock_conflict(error):
                    raise
                if time.monotonic() + delay > deadline:
                    raise StoreBusy(
                        f"the store {self.path} stayed busy for {self.wait:g} s: another"
                        " program keeps it open for writing (a DuckDB shell, an old Claimscope?);"
                        " close it, or raise CLAIMSCOPE_STORE_WAIT"
                    ) from None
            waited += 1
            if waited in (1, 50, 200):
                log.debug("store %s is busy; retrying (attempt %d)", self.path, waited)
            # Jitter keeps several waiting processes from retrying in step.
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, _MAX_DELAY)

    @contextlib.contextmanager
    def attached(self, conn: duckdb.DuckDBPyConnection, name: str) -> Iterator[str]:
        """This store attached read-only to another DuckDB connection as ``name``, for one
        operation (DuckDB copies between databases without a trip through Python); the
        file is released right after, like every other read."""
        if self._memory is not None:
            raise ValueError("an in-memory store cannot be attached to another connection")
        if not name.isidentifier():
            raise ValueError(f"not a database name: {name!r}")
        quoted = self.path.replace("'", "''")
        with self._lock:
            self._retrying(lambda: conn.execute(f"ATTACH '{quoted}' AS {name} (READ_ONLY)"))
            try:
                yield name
            finally:
                conn.execute(f"DETACH {name}")

    @property
    def display(self) -> str:
        """How messages name this store: its path."""
        return self.path

    @contextlib.contextmanager
    def mirror_rows(
        self,
        conn: duckdb.DuckDBPyConnection,
        name: str,
        columns: Mapping[str, Sequence[str]],
        since: Mapping[str, int],
    ) -> Iterator[dict[str, int]]:
        """The tables in ``columns`` readable as ``name.<table>`` on the DuckDB connection
        ``conn`` for one copy (the file attached read-only: every row, each with its
        ``rowid``); yields per table the ``rowid`` a later copy starts from (the store is
        append-only: its row count), for the tables the file has (one written before
        talking points has no ``claim_points``). ``since`` is for server stores, which
        send only the rows written since."""
        with self.attached(conn, name):
            present = {
                row[0]
                for row in conn.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = $db",
                    {"db": name},
                ).fetchall()
            }
            yield {
                table: int(conn.execute(f"SELECT count(*) FROM {name}.{table}").fetchone()[0])
                for table in columns
                if table in present
            }

    # -- writing -----------------------------------------------------------
    def add(self, article: Article) -> bool:
        """Store an article with its rows; ``False`` when its id is already stored."""
        (result,) = self.add_many([article])
        if isinstance(result, Exception):
            raise result
        return result

    def add_many(self, articles: Sequence[Article]) -> list[bool | Exception]:
        """Store articles in one short write session.

        Per article: ``True`` stored, ``False`` already stored (by anyone, or
        earlier in ``articles``), or the exception that rolled back that
        article alone; the others go on. The batch goes in as one transaction
        with one INSERT per table (its rows handed to DuckDB as Arrow tables);
        should that fail, each article is stored again in a transaction of its
        own, so that only the one the store rejects fails. Raises only when the
        store cannot be opened (:class:`StoreBusy`, ...).
        """
        if not articles:
            return []
        with self._connection(write=True) as conn:
            try:
                return list(self._insert_batch(conn, articles))
            except Exception:  # noqa: BLE001 - redone one by one: each error goes to its article
                log.debug("a batch of %d articles failed; storing them one by one", len(articles))
            results: list[bool | Exception] = []
            for article in articles:
                try:
                    results.append(self._insert(conn, article))
                except Exception as error:  # noqa: BLE001 - returned to the caller, who logs it
                    results.append(error)
        return results

    def _insert_batch(
        self, conn: duckdb.DuckDBPyConnection, articles: Sequence[Article]
    ) -> list[bool]:
        conn.execute("BEGIN TRANSACTION")
        try:
            # Checked inside the transaction: no other writer can slip in between.
            ids = [a.id for a in articles]
            stored = {
                row[0]
                for row in conn.execute(
                    "SELECT id FROM articles WHERE list_contains(?, id)", [ids]
                ).fetchall()
            }
            results, new = fresh_articles(articles, stored)
            for table, rows in _batch_tables(new).items():
                name = f"claimscope_new_{table}"
                conn.register(name, rows)
                try:
                    columns = ", ".join(f'"{c}"' for c in rows.column_names)
                    conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name}")
                finally:
                    conn.unregister(name)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                conn.execute("ROLLBACK")
            raise
        return results

    def _insert(self, conn: duckdb.DuckDBPyConnection, article: Article) -> bool:
        conn.execute("BEGIN TRANSACTION")
        try:
            # Checked inside the transaction: no other writer can slip in between.
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", [article.id]).fetchone():
                conn.execute("ROLLBACK")
                return False
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
                conn,
                "entities",
                [(e.start, e.end, e.text, e.label, e.canonical) for e in article.entities],
                article.id,
            )
            self._insert_many(
                conn,
                "country_mentions",
                [(c.start, c.end, c.text, c.iso3, c.country, c.via) for c in article.countries],
                article.id,
            )
            self._insert_many(
                conn,
                "region_mentions",
                [(r.start, r.end, r.text, r.region) for r in article.regions],
                article.id,
            )
            self._insert_many(
                conn,
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
            self._insert_many(
                conn,
                "quote_tones",
                [
                    (index, t.target, t.polarity, t.score)
                    for index, q in enumerate(article.quotes)
                    for t in q.tone
                ],
                article.id,
            )
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                conn.execute("ROLLBACK")
            raise
        return True

    @staticmethod
    def _insert_many(
        conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], article_id: str
    ) -> None:
        # One multi-row INSERT per chunk: DuckDB's executemany runs one
        # statement per row and made storing cost a third of extraction.
        if not rows:
            return
        row_placeholder = "(" + ", ".join(["?"] * (len(rows[0]) + 1)) + ")"
        for first in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[first : first + _ROWS_PER_INSERT]
            conn.execute(
                f"INSERT INTO {table} VALUES {', '.join([row_placeholder] * len(chunk))}",
                [value for row in chunk for value in (article_id, *row)],
            )

    # -- reading -----------------------------------------------------------
    def has(self, article_id: str) -> bool:
        return bool(self.stored_ids([article_id]))

    def stored_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of ``article_ids`` are stored (one query for a whole batch)."""
        if not article_ids:
            return set()
        with self._connection(write=False) as conn:
            rows = conn.execute(
                "SELECT id FROM articles WHERE list_contains(?, id)", [list(article_ids)]
            ).fetchall()
        return {row[0] for row in rows}

    def count(self, table: str = "articles") -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        with self._connection(write=False) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def version(self) -> str:
        """Changes whenever articles are added or claims grouped into talking points: a
        cache key for derived frames."""
        with self._connection(write=False) as conn:
            count, latest = conn.execute(
                "SELECT count(*), max(ingested_at) FROM articles"
            ).fetchone()
            grouped = _count_points(conn)
        return f"{count}:{latest}:{grouped}"

    # -- talking points (claimscope.points owns the grouping) ---------------------
    def update_points(
        self, assign: Callable[[KnownPoints, list[Claim]], Sequence[Assignment]]
    ) -> int:
        """Group the claims that no talking point holds yet, in one write transaction.

        ``assign`` gets the stored assignments (in the order made) and the new
        claims (ordered by publication date, undated last, then article id and
        quote index) and returns their assignments, which are stored. Returns how
        many claims were grouped.
        """
        with self._connection(write=True) as conn:
            conn.execute(_points_table_sql())  # an older store gains the table
            conn.execute("BEGIN TRANSACTION")
            try:
                new = [
                    Claim(article_id, int(index), text, tuple(countries or ()))
                    for article_id, index, text, countries in conn.execute(
                        "SELECT q.article_id, q.quote_index, q.text, q.countries FROM quotes q"
                        " JOIN articles a ON a.id = q.article_id"
                        " WHERE NOT EXISTS (SELECT 1 FROM claim_points p"
                        " WHERE p.article_id = q.article_id AND p.quote_index = q.quote_index)"
                        " ORDER BY a.published NULLS LAST, q.article_id, q.quote_index"
                    ).fetchall()
                ]
                if not new:
                    conn.execute("ROLLBACK")
                    return 0
                known = conn.sql(
                    "SELECT p.point_id, p.article_id || ':' || p.quote_index AS key,"
                    " coalesce(q.text, '') AS text, coalesce(q.countries, []) AS countries,"
                    " p.embedding FROM claim_points p"
                    " LEFT JOIN quotes q"
                    " ON q.article_id = p.article_id AND q.quote_index = p.quote_index"
                    " ORDER BY p.rowid"
                ).to_arrow_table()
                assignments = assign(_known_points(known), new)
                rows = pa.table(
                    {
                        "article_id": [a.article_id for a in assignments],
                        "quote_index": pa.array([a.quote_index for a in assignments], pa.int32()),
                        "point_id": [a.point_id for a in assignments],
                        "similarity": pa.array([a.similarity for a in assignments], pa.float32()),
                        "negated": [a.negated for a in assignments],
                        "embedding": pa.array(
                            [list(a.vector) for a in assignments], pa.list_(pa.float32())
                        ),
                    }
                )
                conn.register("claimscope_new_points", rows)
                try:
                    conn.execute(
                        "INSERT INTO claim_points SELECT article_id, quote_index, point_id,"
                        " similarity, negated, CAST(embedding AS FLOAT[256])"
                        " FROM claimscope_new_points"
                    )
                finally:
                    conn.unregister("claimscope_new_points")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    conn.execute("ROLLBACK")
                raise
        return len(assignments)

    def clear_points(self) -> None:
        """Forget every talking-point assignment (the next update groups all claims anew)."""
        with self._connection(write=True) as conn:
            conn.execute(_points_table_sql())
            conn.execute("DELETE FROM claim_points")

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        with self._connection(write=False) as conn:
            return conn.execute(sql, params or []).df()

    def query_all(self, statements: Sequence[str]) -> list[pd.DataFrame]:
        """Run several read queries on one connection, so they see the same articles."""
        with self._connection(write=False) as conn:
            conn.execute("BEGIN TRANSACTION")
            try:
                return [conn.execute(sql).df() for sql in statements]
            finally:
                conn.execute("ROLLBACK")

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

    def snapshot_arrow(self) -> dict[str, pa.Table]:
        """Every table, whole, from one snapshot, rows in the order they were written
        (for ``claimscope export``)."""
        tables = {}
        with self._connection(write=False) as conn:
            conn.execute("BEGIN TRANSACTION")
            try:
                for table in TABLES:
                    columns = ", ".join(f'"{c}"' for c in COLUMNS[table])
                    query = f"SELECT {columns} FROM {table} ORDER BY rowid"
                    tables[table] = conn.sql(query).to_arrow_table()
            finally:
                conn.execute("ROLLBACK")
        return tables

    def article(self, article_id: str) -> Article | None:
        """One stored article with all its rows, as the pipeline made it."""
        with self._connection(write=False) as conn:
            return read_article(
                lambda sql, params: conn.execute(sql, params).fetchall(),
                article_id,
                param="?",
                seq="rowid",
                # an older store opened read-only may lack the tones
                tones=self._has_table(conn, "quote_tones"),
            )

    @staticmethod
    def _has_table(
        conn: duckdb.DuckDBPyConnection, table: str, database: str | None = None
    ) -> bool:
        """Whether ``table`` exists (a store written before it was added may lack it)."""
        return bool(
            conn.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?"
                " AND (? IS NULL OR database_name = ?)",
                [table, database, database],
            ).fetchone()[0]
        )

    def close(self) -> None:
        """Nothing stays open between operations; an in-memory store is dropped."""
        with self._lock:
            if self._memory is not None:
                self._memory.close()
                self._memory = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_article(
    fetch: Callable[[str, list], Sequence[Sequence]],
    article_id: str,
    *,
    param: str,
    seq: str,
    tones: bool = True,
) -> Article | None:
    """One stored article read with ``fetch(sql, params)``, on any backend: ``param`` is
    its placeholder (``?``, ``%s``), ``seq`` the column that keeps insertion order."""

    def rows(sql: str) -> Sequence[Sequence]:
        return fetch(sql.format(p=param, seq=seq), [article_id])

    found = rows(
        "SELECT id, path, title, source, dateline, CAST(published AS TEXT), url, text"
        " FROM articles WHERE id = {p}"
    )
    if not found:
        return None
    by_quote: dict[int, list[Tone]] = {}
    if tones:
        for index, target, polarity, score in rows(
            "SELECT quote_index, target, polarity, score FROM quote_tones"
            " WHERE article_id = {p} ORDER BY {seq}"
        ):
            by_quote.setdefault(index, []).append(Tone(target, polarity, score))
    return article_from_rows(
        found[0],
        rows(
            'SELECT "start", "end", text, label, canonical FROM entities'
            ' WHERE article_id = {p} ORDER BY "start", {seq}'
        ),
        rows(
            'SELECT "start", "end", text, iso3, country, via FROM country_mentions'
            ' WHERE article_id = {p} ORDER BY "start", {seq}'
        ),
        rows(
            'SELECT "start", "end", text, region FROM region_mentions'
            ' WHERE article_id = {p} ORDER BY "start", {seq}'
        ),
        rows(
            'SELECT "start", "end", text, kind, cue, speaker_mention, speaker, speaker_role,'
            " speaker_type, countries FROM quotes WHERE article_id = {p} ORDER BY quote_index"
        ),
        by_quote,
    )


def article_from_rows(
    row: Sequence,
    entities: Sequence[Sequence],
    countries: Sequence[Sequence],
    regions: Sequence[Sequence],
    quotes: Sequence[Sequence],
    tones: Mapping[int, Sequence[Tone]],
) -> Article:
    """An article rebuilt from its stored rows, as every backend reads them: ``row`` is
    ``id, path, title, source, dateline, published, url, text``; each quote row ``start,
    end, text, kind, cue, speaker_mention, speaker, speaker_role, speaker_type, countries``
    in quote order; ``tones`` by quote index."""
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
                tone=tuple(tones.get(index, ())),
            )
            for index, q in enumerate(quotes)
        ),
    )
