"""The store on a PostgreSQL server: the DuckDB store's methods and tables, shared by a team.

``claimscope ingest --store postgresql://user@host:port/db`` (or
``CLAIMSCOPE_STORE``) writes here, and every dashboard pointed at the same URL
reads here. The tables and columns are those of ``schema.sql`` (see
``schema_postgresql.sql``: JSONB for the cue and speaker-mention structs, TEXT[]
for a quote's countries) plus ``seq`` in each table, a store-internal key that
grows with every row written, which the dashboard's mirror copies from.

The reliability rules are the DuckDB store's:

- Every operation takes a connection of its own and closes it (safe from any
  thread, and nothing stays open between operations).
- A batch of articles goes in as one transaction (``COPY`` per table); should
  it fail, each article is stored again in a transaction of its own, so only
  the one the server rejects fails. Nothing is ever half written.
- A writer first locks ``articles`` against other writers (readers go on) for
  its transaction; whether an article is already stored is checked after that,
  so two ingests of the same text store it once, and ``seq`` order is the order
  of commits (the mirror never skips a row committed late). A writer that waits
  longer than ``wait`` seconds for the lock raises :class:`StoreBusy`.
- A server that cannot be reached, a bad URL, a refused login: one
  :class:`StoreUnavailable` message with the URL (its password hidden), never
  a traceback.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from claimscope.points import Assignment, Claim, KnownPoints
from claimscope.records import (
    Article,
)
from claimscope.settings import shown_location
from claimscope.store import (
    COLUMNS,
    DEFAULT_WAIT,
    SCHEMAS,
    TABLES,
    StoreBusy,
    StoreUnavailable,
    _known_points,
    batch_rows,
    fresh_articles,
    read_article,
)

log = logging.getLogger(__name__)

__all__ = ["PostgresStore"]

# An arbitrary number naming the lock that keeps two processes from creating the
# tables at once (PostgreSQL's CREATE ... IF NOT EXISTS is not safe against that).
_SCHEMA_LOCK = 0x636C6D73
_CONNECT_TIMEOUT = 10


def _schema_sql() -> str:
    return (
        resources.files("claimscope").joinpath("schema_postgresql.sql").read_text(encoding="utf-8")
    )


class PostgresStore:
    """A Claimscope store in a PostgreSQL database (same methods as :class:`~claimscope.store.Store`)."""

    # The column that orders each table's rows as they were written.
    order_key = "seq"

    def __init__(self, url: str, *, read_only: bool = False, wait: float = DEFAULT_WAIT) -> None:
        self.path = url
        self.read_only = read_only
        self.wait = wait
        if not read_only:
            with self._connection() as conn, conn.transaction():
                # Tables made once (by whoever comes first); a role that may only read
                # and write rows never needs the right to create them.
                if conn.execute("SELECT to_regclass('claim_points')").fetchone()[0] is None:
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
                    conn.execute(_schema_sql())

    @property
    def display(self) -> str:
        """The URL with its password hidden."""
        return shown_location(self.path)

    # -- connections -------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        import psycopg

        try:
            conn = psycopg.connect(self.path, connect_timeout=_CONNECT_TIMEOUT, autocommit=True)
        except (psycopg.OperationalError, psycopg.ProgrammingError) as error:
            reason = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
            raise StoreUnavailable(
                f"cannot reach the PostgreSQL store {self.display}: {reason}"
            ) from None
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        """A connection for writing: lock waits end after ``wait`` seconds."""
        if self.read_only:
            raise PermissionError(f"the store {self.display} was opened read-only")
        with self._connection() as conn:
            conn.execute(f"SET lock_timeout = {int(self.wait * 1000)}")
            yield conn

    def _lock_writers(self, conn: Any) -> None:
        import psycopg

        try:
            # SHARE ROW EXCLUSIVE: one writer at a time, readers never wait.
            conn.execute("LOCK TABLE articles IN SHARE ROW EXCLUSIVE MODE")
        except psycopg.errors.LockNotAvailable:
            raise StoreBusy(
                f"the store {self.display} stayed busy for {self.wait:g} s: another"
                " writer holds it; raise CLAIMSCOPE_STORE_WAIT"
            ) from None

    # -- writing -----------------------------------------------------------
    def add(self, article: Article) -> bool:
        """Store an article with its rows; ``False`` when its id is already stored."""
        (result,) = self.add_many([article])
        if isinstance(result, Exception):
            raise result
        return result

    def add_many(self, articles: Sequence[Article]) -> list[bool | Exception]:
        """Store articles: the batch in one transaction, else each alone (see the module
        docstring). Per article ``True`` stored, ``False`` already stored, or the
        exception that rolled that article back."""
        if not articles:
            return []
        with self._writing() as conn:
            try:
                return self._insert(conn, articles)
            except StoreBusy:
                raise
            except Exception:  # noqa: BLE001 - redone one by one: each error goes to its article
                log.debug("a batch of %d articles failed; storing them one by one", len(articles))
            results: list[bool | Exception] = []
            for article in articles:
                try:
                    (result,) = self._insert(conn, [article])
                    results.append(result)
                except StoreBusy:
                    raise
                except Exception as error:  # noqa: BLE001 - returned to the caller, who logs it
                    results.append(error)
        return results

    def _insert(self, conn: Any, articles: Sequence[Article]) -> list[bool]:
        with conn.transaction():
            self._lock_writers(conn)
            # Checked under the lock: no other writer can slip in between.
            stored = {
                row[0]
                for row in conn.execute(
                    "SELECT id FROM articles WHERE id = ANY(%s)", [[a.id for a in articles]]
                ).fetchall()
            }
            results, new = fresh_articles(articles, stored)
            for table, rows in batch_rows(new).items():
                if rows:
                    _copy_rows(conn, table, rows)
        return results

    # -- reading -----------------------------------------------------------
    def _fetch(self, sql: str, params: Sequence | None = None) -> list[tuple]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    def has(self, article_id: str) -> bool:
        return bool(self.stored_ids([article_id]))

    def stored_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of ``article_ids`` are stored (one query for a whole batch)."""
        if not article_ids:
            return set()
        rows = self._fetch("SELECT id FROM articles WHERE id = ANY(%s)", [list(article_ids)])
        return {row[0] for row in rows}

    def count(self, table: str = "articles") -> int:
        _check_table(table)
        return int(self._fetch(f"SELECT count(*) FROM {table}")[0][0])

    def version(self) -> str:
        """Changes whenever articles are added or claims grouped into talking points: a
        cache key for derived frames."""
        count, latest, grouped = self._fetch(
            "SELECT count(*), max(ingested_at), (SELECT count(*) FROM claim_points) FROM articles"
        )[0]
        return f"{count}:{latest}:{grouped}"

    # -- talking points (claimscope.points owns the grouping) ---------------------
    def update_points(
        self, assign: Callable[[KnownPoints, list[Claim]], Sequence[Assignment]]
    ) -> int:
        """Group the claims that no talking point holds yet, in one write transaction
        (under the writers' lock: no ingest writes meanwhile), as the DuckDB store does:
        ``assign`` gets the stored assignments in the order made and the new claims
        (by publication date, undated last, then article id and quote index)."""
        with self._writing() as conn, conn.transaction():
            self._lock_writers(conn)
            new = [
                Claim(article_id, int(index), text, tuple(countries or ()))
                for article_id, index, text, countries in conn.execute(
                    "SELECT q.article_id, q.quote_index, q.text, q.countries FROM quotes q"
                    " JOIN articles a ON a.id = q.article_id"
                    " WHERE NOT EXISTS (SELECT 1 FROM claim_points p"
                    " WHERE p.article_id = q.article_id AND p.quote_index = q.quote_index)"
                    ' ORDER BY a.published NULLS LAST, q.article_id COLLATE "C", q.quote_index'
                ).fetchall()
            ]
            if not new:
                return 0
            known = conn.execute(
                "SELECT p.point_id, p.article_id || ':' || p.quote_index AS key,"
                " coalesce(q.text, '') AS text, coalesce(q.countries, '{}') AS countries,"
                " p.embedding FROM claim_points p LEFT JOIN quotes q"
                " ON q.article_id = p.article_id AND q.quote_index = p.quote_index"
                " ORDER BY p.seq"
            ).fetchall()
            assignments = assign(_known_points(_points_arrow(known)), new)
            rows = [
                {
                    "article_id": a.article_id,
                    "quote_index": a.quote_index,
                    "point_id": a.point_id,
                    "similarity": float(a.similarity),
                    "negated": bool(a.negated),
                    "embedding": [float(v) for v in a.vector],
                }
                for a in assignments
            ]
            if rows:
                _copy_rows(conn, "claim_points", rows)
        return len(assignments)

    def clear_points(self) -> None:
        """Forget every talking-point assignment (the next update groups all claims anew)."""
        with self._writing() as conn, conn.transaction():
            self._lock_writers(conn)
            conn.execute("DELETE FROM claim_points")

    def query(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        """Run a read query (PostgreSQL's SQL, ``%s`` parameters) and return a DataFrame."""
        with self._connection() as conn:
            return _frame(conn.execute(sql, params))

    def query_all(self, statements: Sequence[str]) -> list[pd.DataFrame]:
        """Run several read queries in one snapshot, so they see the same articles."""
        with self._connection() as conn, self._snapshot(conn):
            return [_frame(conn.execute(sql)) for sql in statements]

    @contextlib.contextmanager
    def _snapshot(self, conn: Any) -> Iterator[None]:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")

    def frame(self, table: str) -> pd.DataFrame:
        """A whole table as a DataFrame (``articles`` without its text column)."""
        _check_table(table)
        columns = [c for c in COLUMNS[table] if c != "text" or table != "articles"]
        return self.query(f"SELECT {_quoted(columns)} FROM {table} ORDER BY seq")

    def snapshot_arrow(self) -> dict[str, pa.Table]:
        """Every table, whole, from one snapshot, with the columns and Arrow types of the
        DuckDB store, rows in the order they were written (for ``claimscope export``)."""
        tables = {}
        with self._connection() as conn, self._snapshot(conn):
            for table in TABLES:
                columns = COLUMNS[table]
                rows = conn.execute(
                    f"SELECT {_quoted(columns)} FROM {table} ORDER BY seq"
                ).fetchall()
                tables[table] = _arrow(table, columns, rows)
        return tables

    def article(self, article_id: str) -> Article | None:
        """One stored article with all its rows, as the pipeline made it."""
        with self._connection() as conn, self._snapshot(conn):
            return read_article(
                lambda sql, params: conn.execute(sql, params).fetchall(),
                article_id,
                param="%s",
                seq="seq",
            )

    # -- the dashboard's mirror -----------------------------------------------
    @contextlib.contextmanager
    def mirror_rows(
        self,
        conn: duckdb.DuckDBPyConnection,
        name: str,
        columns: Mapping[str, Sequence[str]],
        since: Mapping[str, int],
    ) -> Iterator[dict[str, int]]:
        """The rows of each table in ``columns`` written since ``since[table]`` (a value
        of ``seq``), as tables ``name.<table>`` of the DuckDB connection ``conn`` (with
        ``seq``), for one copy; yields per table the ``seq`` a later copy starts from.
        All from one snapshot; when a table has fewer rows than ``since`` says (another
        database behind the URL), every row is given, for a copy from nothing.

        The rows travel as CSV (``COPY ... TO STDOUT``) into a temporary file that DuckDB
        reads: no Python object per row (a first copy of 20,000 articles took 1.4 s
        through Python tuples)."""
        if not name.isidentifier():
            raise ValueError(f"not a schema name: {name!r}")
        with tempfile.TemporaryDirectory(prefix="claimscope-mirror-") as folder:
            with self._connection() as pg, self._snapshot(pg):
                marks = {
                    table: int(
                        pg.execute(f"SELECT coalesce(max(seq), 0) + 1 FROM {table}").fetchone()[0]
                    )
                    for table in columns
                }
                shrunk = any(marks[table] < since.get(table, 0) for table in columns)
                for table, wanted in columns.items():
                    first = 0 if shrunk else since.get(table, 0)
                    _copy_out(pg, table, wanted, first, Path(folder) / f"{table}.csv")
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
            try:
                for table, wanted in columns.items():
                    _copy_in(conn, name, table, wanted, Path(folder) / f"{table}.csv")
                yield marks
            finally:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    def close(self) -> None:
        """Nothing stays open between operations."""

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _points_arrow(rows: list[tuple]) -> pa.Table:
    """Stored assignments (point_id, key, text, countries, embedding) as the Arrow table
    the DuckDB store reads them into."""
    columns = list(zip(*rows, strict=True)) if rows else [[]] * 5
    return pa.table(
        {
            "point_id": pa.array(columns[0], pa.string()),
            "key": pa.array(columns[1], pa.string()),
            "text": pa.array(columns[2], pa.string()),
            "countries": pa.array([list(c) for c in columns[3]], pa.list_(pa.string())),
            "embedding": pa.array([list(e) for e in columns[4]], pa.list_(pa.float32())),
        }
    )


def _copy_rows(conn: Any, table: str, rows: list[dict]) -> None:
    from psycopg.types.json import Jsonb

    columns = list(rows[0])
    schema = SCHEMAS.get(table)
    structs = [c for c in columns if schema and pa.types.is_struct(schema.field(c).type)]
    with conn.cursor().copy(f"COPY {table} ({_quoted(columns)}) FROM STDIN") as copy:
        for row in rows:
            for column in structs:
                if row[column] is not None:
                    row = {**row, column: Jsonb(row[column])}
            copy.write_row([row[c] for c in columns])


def _frame(cursor: Any) -> pd.DataFrame:
    """A result as DuckDB's ``.df()`` gives it: dates and timestamps as datetime64[us]."""
    names = [d.name for d in cursor.description or ()]
    frame = pd.DataFrame(cursor.fetchall(), columns=names)
    for name in names:
        values = frame[name].dropna()
        if len(values) and isinstance(values.iloc[0], datetime.date):
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    return frame


def _arrow(table: str, columns: Sequence[str], rows: list[tuple]) -> pa.Table:
    """Rows of a store table as Arrow, typed as the DuckDB store's (date, timestamp,
    struct, list)."""
    fields = []
    for column in columns:
        if column == "ingested_at":
            fields.append(pa.field(column, pa.timestamp("us")))
        elif column == "published":
            fields.append(pa.field(column, pa.date32()))
        else:
            fields.append(SCHEMAS[table].field(column))
    schema = pa.schema(fields)
    data = {column: [row[i] for row in rows] for i, column in enumerate(columns)}
    return pa.Table.from_pydict(data, schema=schema)


# Mirrored columns of tables that are not pipeline records (talking points).
_OTHER_TYPES = {
    ("claim_points", "article_id"): "VARCHAR",
    ("claim_points", "quote_index"): "BIGINT",
    ("claim_points", "point_id"): "VARCHAR",
    ("claim_points", "similarity"): "FLOAT",
}


def _is_list(table: str, column: str) -> bool:
    return table in SCHEMAS and pa.types.is_list(SCHEMAS[table].field(column).type)


def _duckdb_type(table: str, column: str) -> str:
    """The DuckDB type a mirrored column is read as (lists arrive as JSON text)."""
    if (table, column) in _OTHER_TYPES:
        return _OTHER_TYPES[table, column]
    if column == "published":
        return "DATE"
    kind = SCHEMAS[table].field(column).type
    if pa.types.is_integer(kind):
        return "BIGINT"
    if pa.types.is_floating(kind):
        return "DOUBLE"
    return "VARCHAR"


def _copy_out(pg: Any, table: str, wanted: Sequence[str], first: int, path: Path) -> None:
    """Rows of ``table`` from ``seq`` ``first`` on, as CSV with a header, into ``path``."""
    selected = ["seq"]
    for column in wanted:
        # A list as JSON text: one CSV field, read back exactly (NULLs and quotes too).
        selected.append(
            f'array_to_json("{column}")::text AS "{column}"'
            if _is_list(table, column)
            else f'"{column}"'
        )
    sql = (
        f"COPY (SELECT {', '.join(selected)} FROM {table} WHERE seq >= {int(first)}"
        " ORDER BY seq) TO STDOUT (FORMAT csv, HEADER true)"
    )
    with path.open("wb") as out, pg.cursor().copy(sql) as copy:
        for data in copy:
            out.write(data)


def _copy_in(
    conn: duckdb.DuckDBPyConnection, schema: str, table: str, wanted: Sequence[str], path: Path
) -> None:
    """The CSV of :func:`_copy_out` as table ``schema.table`` of ``conn``, typed."""
    types = {"seq": "BIGINT", **{c: _duckdb_type(table, c) for c in wanted}}
    declared = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
    shown = ["seq"] + [
        f'CAST(CAST("{c}" AS JSON) AS VARCHAR[]) AS "{c}"' if _is_list(table, c) else f'"{c}"'
        for c in wanted
    ]
    quoted = str(path).replace("'", "''")
    conn.execute(
        f"CREATE OR REPLACE TABLE {schema}.{table} AS SELECT {', '.join(shown)} FROM read_csv("
        f"'{quoted}', header = true, columns = {{{declared}}}, quote = '\"', escape = '\"',"
        " allow_quoted_nulls = false, auto_detect = false)"
    )
