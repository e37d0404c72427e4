"""The columns the dashboard reads, mirrored from a store into an in-memory DuckDB.

Why a mirror: a :class:`~claimscope.store.Store` keeps no connection open, so
that ingests and other dashboards get the file in between (DuckDB lets no
other process write while a reader holds it). Each read therefore starts with
an empty buffer pool and decompresses what it scans: at 200,000 articles a
case-blind search of two million claims took 570 ms that way, against 45 ms
in memory. So the dashboard copies what its queries read into an in-memory
DuckDB once, then adds what is new whenever the store's version changes: the
store is append-only, so the new rows of each table are those past the row
count already mirrored (DuckDB reads them by ``rowid`` in a millisecond). The
file is attached read-only for that copy only.

The mirror is shaped for the queries of :mod:`claimscope.queries`:

- ``articles``: one row per article, without its text; ``key`` is its row in
  the store, so it also orders articles as they were stored;
- ``places``: one row per article and country it mentions, with the number of
  mentions (a third of the rows of ``country_mentions``, and no distinct counts);
- ``point_ids``: one row per talking point, numbering its ``point_id`` (a
  66-character string in the store); each claim grouped into a point holds that
  number as ``point``, with its ``similarity`` to the point when it joined (no
  embeddings), so talking points are counted from ``claims`` alone, without a join
  on two million rows; the view ``points`` has one row per grouped claim (its
  ``point_id`` and similarity); both are empty for a store written before talking
  points;
- ``tones``: one row per quote and target it names, with the quote's tone
  toward it (a store written before tones has none); ``tone_pairs``: those
  toward a country the claim names, of claims with a speaker, by the claim's
  ``rowid`` (``claim_row``) and stored speaker (``stored_id``), for the speakers'
  tone heatmap;
- ``claims``: one row per quote, with its text also lower-cased (for the
  case-blind search) and its speaker as an integer ``speaker_id`` into
  ``speakers``, which names speakers as the user's alias table says today
  (``stored_speakers`` holds the names as stored). An edit of the alias table
  renames ``speakers`` and re-points ``speaker_id``; the store is never touched.

At 200,000 articles (two million claims) it takes about 700 MB and loads in
about a second and a half.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from claimscope import names
from claimscope.store import Store

if TYPE_CHECKING:
    from claimscope.pgstore import PostgresStore

log = logging.getLogger(__name__)

SOURCE = "claimscope_source"
_TABLES = (
    "articles",
    "places",
    "claims",
    "tones",
    "tone_pairs",
    "stored_speakers",
    "speakers",
    "point_ids",
    "seen",
)
_VIEWS = ("points",)
_SCHEMA = """
CREATE TABLE articles (
    key BIGINT NOT NULL, id VARCHAR NOT NULL, title VARCHAR, source VARCHAR,
    published DATE, path VARCHAR
);
CREATE TABLE places (
    key BIGINT NOT NULL, iso3 VARCHAR NOT NULL, country VARCHAR, mentions INTEGER NOT NULL,
    published DATE
);
CREATE TABLE claims (
    key BIGINT NOT NULL, quote_index INTEGER NOT NULL, stored_id INTEGER, speaker_id INTEGER,
    role VARCHAR, type VARCHAR, kind VARCHAR, text VARCHAR, lowered VARCHAR,
    countries VARCHAR[], published DATE, point INTEGER, similarity FLOAT
);
CREATE TABLE tones (
    key BIGINT NOT NULL, quote_index INTEGER NOT NULL, target VARCHAR NOT NULL,
    polarity VARCHAR NOT NULL, score DOUBLE NOT NULL
);
CREATE TABLE tone_pairs (
    claim_row BIGINT NOT NULL, stored_id INTEGER NOT NULL, target VARCHAR NOT NULL,
    score DOUBLE NOT NULL
);
CREATE TABLE stored_speakers (id INTEGER NOT NULL, name VARCHAR NOT NULL, speaker_id INTEGER);
CREATE TABLE speakers (id INTEGER NOT NULL, name VARCHAR NOT NULL);
CREATE TABLE point_ids (id INTEGER NOT NULL, point_id VARCHAR NOT NULL);
CREATE VIEW points AS SELECT c.key, c.quote_index, p.point_id, c.similarity
    FROM claims c JOIN point_ids p ON p.id = c.point;
CREATE TABLE seen (name VARCHAR PRIMARY KEY, rows BIGINT NOT NULL);
"""
_STORE_TABLES = ("articles", "country_mentions", "quotes")
# The store's columns the copy reads (a server store sends only these).
_SOURCE_COLUMNS = {
    "articles": ("id", "title", "source", "published", "path"),
    "country_mentions": ("article_id", "iso3", "country"),
    "quotes": (
        "article_id", "quote_index", "speaker", "speaker_role", "speaker_type", "kind", "text",
        "countries",
    ),
    "quote_tones": ("article_id", "quote_index", "target", "polarity", "score"),
    "claim_points": ("article_id", "quote_index", "point_id", "similarity"),
}  # fmt: skip


class Mirror:
    """An in-memory copy of a store's dashboard columns; thread-safe (one per store)."""

    def __init__(self, *, memory_limit: str | None = None) -> None:
        self._db = duckdb.connect(":memory:")
        # Big aggregations spill to disk instead of growing the process.
        self._db.execute(f"SET temp_directory = '{tempfile.gettempdir()}/claimscope-mirror'")
        if memory_limit:
            self._db.execute(f"SET memory_limit = '{memory_limit}'")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()
        self.version: str | None = None
        self.aliases: dict[str, str] = {}

    def sync(self, store: Store | PostgresStore, version: str, aliases: Mapping[str, str]) -> None:
        """Bring the mirror to ``version`` of ``store`` (a no-op when it is there), named
        as ``aliases`` says (folded alias -> canonical, as :func:`names.load_aliases`)."""
        aliases = dict(aliases)
        with self._lock:
            if version != self.version:
                self._refresh(store, aliases)
                self.version = version
            elif aliases != self.aliases:
                self._transaction(lambda: self._rename(aliases, everyone=True))
            self.aliases = aliases

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own (for one thread; its temporary tables are its own)."""
        return self._db.cursor()

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """A read query with named ``$parameters``; safe from any thread."""
        cursor = self._db.cursor()
        try:
            return cursor.execute(sql, dict(params or {})).df()
        finally:
            cursor.close()

    def count(self, table: str = "articles") -> int:
        if table not in _TABLES + _VIEWS:
            raise ValueError(f"unknown mirror table {table!r}")
        return int(self.query(f"SELECT count(*) AS n FROM {table}")["n"][0])

    def close(self) -> None:
        self._db.close()

    # -- copying ---------------------------------------------------------------

    def _transaction(self, work: Any) -> None:
        self._db.execute("BEGIN TRANSACTION")
        try:
            work()
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _refresh(self, store: Store | PostgresStore, aliases: dict[str, str]) -> None:
        def copy(key: str, marks: Mapping[str, int]) -> None:
            if not self._append(aliases, key, marks):
                # Rows went missing: not the store mirrored so far (a file put in
                # its place). Start again from nothing.
                log.info("store %s changed under the mirror; copying it again", store.display)
                for table in _TABLES:
                    self._db.execute(f"DELETE FROM {table}")
                self._append(aliases, key, marks)
            if aliases != self.aliases:
                self._rename(aliases, everyone=True)

        since = dict(self._db.execute("SELECT name, rows FROM seen").fetchall())
        # Tones a failed pairing left (their claims are committed): paired first.
        self._transaction(self._pair_tones)
        with store.mirror_rows(self._db, SOURCE, _SOURCE_COLUMNS, since) as marks:
            key = store.order_key
            self._transaction(lambda: copy(key, marks))
        self._transaction(self._pair_tones)

    def _pair_tones(self) -> None:
        """Add the ``tone_pairs`` of the tones just copied: a named speaker's tone toward a
        country the claim names, which the speakers' tone heatmap counts, found once here
        rather than by a join of the selected claims with every tone on each filter set.
        Run after the copy is committed: a row inserted in an open transaction has a
        provisional ``rowid``, and ``claim_row`` is the claim's lasting one."""
        db = self._db
        new = db.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary"
            " AND table_name = 'claimscope_new_tones'"
        ).fetchone()[0]
        if not new:
            return
        db.execute(
            "INSERT INTO tone_pairs SELECT c.claim_row, c.stored_id, t.target, t.score"
            # Only claims with a speaker that name a country: the join's smaller side
            # (half the time of filtering after the join).
            " FROM claimscope_new_tones t JOIN (SELECT rowid AS claim_row, key, quote_index,"
            " stored_id, countries FROM claims WHERE stored_id IS NOT NULL AND len(countries) > 0)"
            " c ON c.key = t.key AND c.quote_index = t.quote_index"
            " WHERE list_contains(c.countries, t.target)"
        )
        db.execute("DROP TABLE claimscope_new_tones")

    def _append(self, aliases: dict[str, str], key: str, marks: Mapping[str, int]) -> bool:
        """Copy the rows added since the last copy (``key``: the store's column that
        orders rows as written; ``marks``: where the next copy starts, per table);
        ``False`` when the store has fewer rows than already copied (nothing is copied
        then)."""
        db = self._db
        seen = dict(db.execute("SELECT name, rows FROM seen").fetchall())
        # The tables the store has (an older store has no quote_tones nor claim_points).
        tables = tuple(table for table in _SOURCE_COLUMNS if table in marks)
        if any(marks[table] < seen.get(table, 0) for table in tables):
            return False
        first = {table: seen.get(table, 0) for table in tables}
        db.execute(
            f"INSERT INTO articles SELECT {key}, id, title, source, published, path"
            f" FROM {SOURCE}.articles WHERE {key} >= $first",
            {"first": first["articles"]},
        )
        # Rows in any order (nothing reads them in the order written): DuckDB then
        # copies with every thread and less memory.
        db.execute("SET preserve_insertion_order = false")
        db.execute(
            "INSERT INTO places SELECT a.key, m.iso3, m.country, m.mentions, a.published"
            " FROM (SELECT article_id, iso3, min(country) AS country, count(*) AS mentions"
            f" FROM {SOURCE}.country_mentions WHERE {key} >= $first GROUP BY article_id, iso3) m"
            " JOIN articles a ON a.id = m.article_id",
            {"first": first["country_mentions"]},
        )
        newest = int(db.execute("SELECT coalesce(max(id), 0) FROM stored_speakers").fetchone()[0])
        db.execute(
            "INSERT INTO stored_speakers SELECT $newest + row_number() OVER (ORDER BY name), name,"
            f" NULL FROM (SELECT DISTINCT speaker AS name FROM {SOURCE}.quotes"
            f" WHERE {key} >= $first AND speaker <> ''"
            " EXCEPT SELECT name FROM stored_speakers)",
            {"first": first["quotes"], "newest": newest},
        )
        self._rename(aliases, everyone=False, newer_than=newest)
        # The talking points of the new claim_points rows, numbered (``point_ids``).
        db.execute(
            "CREATE OR REPLACE TEMP TABLE claimscope_new_points (key BIGINT, quote_index INTEGER,"
            " point INTEGER, similarity FLOAT)"
        )
        if "claim_points" in tables:
            numbered = int(db.execute("SELECT coalesce(max(id), 0) FROM point_ids").fetchone()[0])
            db.execute(
                "INSERT INTO point_ids SELECT $numbered + row_number() OVER (ORDER BY point_id),"
                f" point_id FROM (SELECT DISTINCT point_id FROM {SOURCE}.claim_points"
                f" WHERE {key} >= $first EXCEPT SELECT point_id FROM point_ids)",
                {"first": first["claim_points"], "numbered": numbered},
            )
            db.execute(
                "INSERT INTO claimscope_new_points SELECT a.key, p.quote_index, n.id, p.similarity"
                f" FROM {SOURCE}.claim_points p JOIN articles a ON a.id = p.article_id"
                f" JOIN point_ids n ON n.point_id = p.point_id WHERE p.{key} >= $first",
                {"first": first["claim_points"]},
            )
        # Claims copied before this pass are those of the articles copied before it
        # (an article is stored with its quotes in one transaction).
        copied = int(db.execute("SELECT coalesce(max(key), -1) FROM claims").fetchone()[0])
        db.execute(
            "INSERT INTO claims SELECT a.key, q.quote_index, s.id, s.speaker_id, q.speaker_role,"
            " q.speaker_type, q.kind, q.text, lower(q.text), q.countries, a.published,"
            " n.point, n.similarity"
            f" FROM {SOURCE}.quotes q JOIN articles a ON a.id = q.article_id"
            f" LEFT JOIN stored_speakers s ON s.name = q.speaker"
            " LEFT JOIN claimscope_new_points n ON n.key = a.key AND n.quote_index = q.quote_index"
            f" WHERE q.{key} >= $first",
            {"first": first["quotes"]},
        )
        db.execute("RESET preserve_insertion_order")
        # Claims grouped after they were copied (talking points are stored in a later
        # write than their articles).
        db.execute(
            "UPDATE claims SET point = n.point, similarity = n.similarity"
            " FROM (SELECT * FROM claimscope_new_points WHERE key <= $copied) n"
            " WHERE claims.key = n.key AND claims.quote_index = n.quote_index",
            {"copied": copied},
        )
        db.execute("DROP TABLE claimscope_new_points")
        if "quote_tones" in tables:
            db.execute(
                "CREATE OR REPLACE TEMP TABLE claimscope_new_tones AS"
                " SELECT a.key, t.quote_index, t.target, t.polarity, t.score"
                f" FROM {SOURCE}.quote_tones t JOIN articles a ON a.id = t.article_id"
                f" WHERE t.{key} >= $first ORDER BY t.{key}",
                {"first": first["quote_tones"]},
            )
            db.execute("INSERT INTO tones SELECT * FROM claimscope_new_tones")
            # Paired with their claims once committed (see ``_pair_tones``).
        for table in tables:
            db.execute(
                "INSERT OR REPLACE INTO seen VALUES ($name, $rows)",
                {"name": table, "rows": marks[table]},
            )
        return True

    def _rename(self, aliases: dict[str, str], *, everyone: bool, newer_than: int = 0) -> None:
        """Name speakers as the alias table says (the stored name where it says nothing).

        ``everyone``: every stored name again, and every claim re-pointed (an edit
        of the table); else only the stored names past ``newer_than`` (a copy).
        """
        db = self._db
        stored = db.execute(
            "SELECT id, name FROM stored_speakers WHERE $everyone OR id > $newer ORDER BY id",
            {"everyone": everyone, "newer": newer_than},
        ).fetchall()
        renamed = names.alias_map([name for _, name in stored], aliases)
        if everyone:
            db.execute("DELETE FROM speakers")
        known = dict(db.execute("SELECT name, id FROM speakers").fetchall())
        pairs = []
        for stored_id, name in stored:
            shown = renamed.get(name, name)
            if shown not in known:
                known[shown] = len(known) + 1
            pairs.append((stored_id, known[shown]))
        new_names = pd.DataFrame(
            [(i, n) for n, i in known.items()], columns=["id", "name"], dtype=object
        )
        pointers = pd.DataFrame(pairs, columns=["stored_id", "speaker_id"], dtype=object)
        db.register("claimscope_names", new_names)
        db.register("claimscope_pointers", pointers)
        try:
            db.execute(
                "INSERT INTO speakers SELECT CAST(id AS INTEGER), CAST(name AS VARCHAR)"
                " FROM claimscope_names WHERE CAST(id AS INTEGER) NOT IN (SELECT id FROM speakers)"
            )
            db.execute(
                "UPDATE stored_speakers SET speaker_id = CAST(p.speaker_id AS INTEGER)"
                " FROM claimscope_pointers p"
                " WHERE stored_speakers.id = CAST(p.stored_id AS INTEGER)"
            )
            if everyone:
                db.execute(
                    "UPDATE claims SET speaker_id = s.speaker_id FROM stored_speakers s"
                    " WHERE claims.stored_id = s.id AND claims.speaker_id IS DISTINCT FROM"
                    " s.speaker_id"
                )
        finally:
            db.unregister("claimscope_names")
            db.unregister("claimscope_pointers")
