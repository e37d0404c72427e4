"""The store, on both backends (DuckDB and PostgreSQL, the ``store_location`` fixture):
schema, one transaction per article, duplicates, round trip, many writers; then what
is each backend's own (DuckDB's file lock, PostgreSQL's server and writers' lock)."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psycopg
import pytest

from claimscope.mirror import Mirror
from claimscope.records import (
    Article,
    CountryMention,
    EntityMention,
    Quote,
    RegionMention,
    Span,
    Tone,
)
from claimscope.store import Store, StoreBusy, StoreUnavailable, default_store_path, open_store

STORE_ERRORS = (duckdb.Error, psycopg.Error)

TEXT = 'Moscow says Brazil matters. "It does," Ivan Petrov said.'


def make_article(text: str = TEXT) -> Article:
    return Article(
        path="a.txt",
        id="a" * 64,
        title="Title",
        source="TASS",
        dateline="Moscow",
        published="2025-02-06",
        text=text,
        entities=(EntityMention(39, 50, "Ivan Petrov", "PERSON", "Ivan Petrov"),),
        countries=(
            CountryMention(0, 6, "Moscow", "RUS", "Russia", "capital"),
            CountryMention(12, 18, "Brazil", "BRA", "Brazil", "name"),
        ),
        regions=(RegionMention(0, 6, "Moscow", "Test region"),),
        quotes=(
            Quote(
                start=28,
                end=38,
                text='"It does,"',
                kind="direct",
                cue=Span(51, 55, "said"),
                speaker_mention=Span(39, 50, "Ivan Petrov"),
                speaker="Ivan Petrov",
                speaker_role=None,
                speaker_type="other",
                countries=("BRA",),
                tone=(Tone("BRA", "positive", 0.61), Tone("Ivan Petrov", "neutral", -0.05)),
            ),
        ),
    )


def test_store_round_trips_an_article(store_location):
    article = make_article()
    with open_store(store_location) as store:
        assert store.add(article) is True
        assert store.article(article.id) == article


def test_store_reopens_with_its_rows(store_location):
    with open_store(store_location) as store:
        store.add(make_article())
    with open_store(store_location) as store:
        assert store.count("articles") == 1
        assert store.count("quotes") == 1
        quotes = store.frame("quotes")
        assert quotes.loc[0, "speaker"] == "Ivan Petrov"
        assert list(quotes.loc[0, "countries"]) == ["BRA"]
        assert quotes.loc[0, "cue"]["text"] == "said"


def test_store_adding_the_same_id_twice_stores_nothing_new(store_location):
    with open_store(store_location) as store:
        assert store.add(make_article()) is True
        version = store.version()
        assert store.add(make_article()) is False
        assert store.count("articles") == 1
        assert store.count("country_mentions") == 2
        assert store.version() == version


def test_store_an_id_twice_in_one_batch_is_stored_once(store_location):
    with open_store(store_location) as store:
        assert store.add_many([make_article(), make_article()]) == [True, False]
        assert store.count("articles") == 1
        assert store.count("quotes") == 1


def test_store_failed_insert_leaves_nothing_half_written(store_location):
    # A quote with a kind of the wrong type makes the quotes insert fail after
    # the article row went in: the transaction must roll the article back too.
    broken = dataclasses.replace(
        make_article(),
        quotes=(dataclasses.replace(make_article().quotes[0], start="not a number"),),
    )
    with open_store(store_location) as store:
        with pytest.raises(STORE_ERRORS):
            store.add(broken)
        for table in ("articles", "entities", "country_mentions", "quotes"):
            assert store.count(table) == 0, table
        assert store.add(make_article()) is True


def test_store_rejects_unknown_table(store_location):
    with open_store(store_location) as store, pytest.raises(ValueError, match="unknown table"):
        store.count("nope")


def test_default_store_path_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMSCOPE_STORE", str(tmp_path / "x.duckdb"))
    assert default_store_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("CLAIMSCOPE_STORE")
    assert default_store_path().name == "claimscope.duckdb"


def test_store_keeps_every_row_of_a_long_article(store_location):
    # More rows than one multi-row INSERT takes: the chunks must add up.
    words = " ".join(f"Name{i}" for i in range(450))
    entities = []
    position = 0
    for word in words.split(" "):
        entities.append(EntityMention(position, position + len(word), word, "PERSON", word))
        position += len(word) + 1
    article = dataclasses.replace(
        make_article(words), entities=tuple(entities), countries=(), regions=(), quotes=()
    )
    with open_store(store_location) as store:
        store.add(article)
        assert store.count("entities") == 450
        assert store.article(article.id).entities == article.entities


# -- one store, many processes ---------------------------------------------------

HOLD_WRITE = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.close()
"""

WRITER = """
import dataclasses, sys
sys.path.insert(0, sys.argv[2])
from claimscope.store import open_store
from test_store import make_article
store = open_store(sys.argv[1])
articles = [
    dataclasses.replace(make_article(), id=f"{n:064d}", path=f"writer-{sys.argv[3]}-{n}")
    for n in range(30)
]
stored = 0
for first in range(0, len(articles), 4):
    stored += sum(store.add_many(articles[first : first + 4]))
    store.version()  # a read between writes, as a dashboard would
print(stored)
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_duckdb_an_operation_waits_while_another_process_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = _hold(path, 1.5)
    started = time.monotonic()
    try:
        store = Store(path, wait=30)
        assert store.add(make_article()) is True
        assert store.count() == 1
    finally:
        holder.wait(timeout=30)
    assert time.monotonic() - started >= 1.0


def test_duckdb_a_store_held_too_long_gives_a_message_not_a_lock_error(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = _hold(path, 10)
    try:
        with pytest.raises(StoreBusy) as raised:
            Store(path, wait=0.5).count()
    finally:
        holder.kill()
        holder.wait()
    message = str(raised.value)
    assert "stayed busy for 0.5 s" in message
    assert "IO Error" not in message and "Conflicting lock" not in message


def test_concurrent_writers_store_every_article_once(store_location):
    path = store_location
    open_store(path).close()
    tests_dir = str(Path(__file__).resolve().parent)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), tests_dir, str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    reader = open_store(path, read_only=True)
    while any(w.poll() is None for w in writers):
        reader.version()  # reads meanwhile never see a lock error
    outputs = [w.communicate(timeout=60) for w in writers]
    for writer, (_out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    assert sum(int(out) for out, _ in outputs) == 30
    with open_store(path) as store:
        assert store.count("articles") == 30
        assert store.count("entities") == 30
        assert store.count("quotes") == 30


def test_stored_ids_answers_for_a_whole_batch(store_location):
    with open_store(store_location) as store:
        store.add(make_article())
        assert store.stored_ids(["a" * 64, "b" * 64]) == {"a" * 64}
        assert store.stored_ids([]) == set()


def test_query_all_reads_one_snapshot(store_location):
    with open_store(store_location) as store:
        store.add(make_article())
        articles, quotes = store.query_all(
            ["SELECT count(*) AS n FROM articles", "SELECT count(*) AS n FROM quotes"]
        )
        assert (int(articles.n[0]), int(quotes.n[0])) == (1, 1)


def test_duckdb_a_read_only_store_refuses_to_write(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with pytest.raises(PermissionError, match="read-only"):
        Store(path, read_only=True).add(make_article())


def test_an_in_memory_store_keeps_its_rows_between_operations():
    with Store(":memory:") as store:
        store.add(make_article())
        assert store.count() == 1


def test_a_batch_with_an_article_the_store_rejects_stores_the_others(store_location):
    good = make_article()
    bad = dataclasses.replace(make_article(), id="b" * 64, path=None)  # path is NOT NULL
    other = dataclasses.replace(make_article(), id="c" * 64)
    with open_store(store_location) as store:
        results = store.add_many([good, bad, other, good])
        assert results[0] is True and results[2] is True and results[3] is False
        assert isinstance(results[1], duckdb.ConstraintException | psycopg.errors.NotNullViolation)
        assert store.count() == 2 and store.count("quotes") == 2
        assert store.article(other.id) == other


def test_a_batch_stores_every_row_of_every_article(store_location):
    articles = [dataclasses.replace(make_article(), id=f"{n:064d}") for n in range(40)]
    with open_store(store_location) as store:
        assert store.add_many(articles) == [True] * 40
        assert store.add_many(articles[:3]) == [False] * 3
        for article in articles:
            assert store.article(article.id) == article


def test_tones_are_stored_one_row_per_quote_and_target(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(make_article())
        rows = store.query(
            "SELECT quote_index, target, polarity, score FROM quote_tones ORDER BY rowid"
        )
    assert rows.values.tolist() == [
        [0, "BRA", "positive", 0.61],
        [0, "Ivan Petrov", "neutral", -0.05],
    ]


def _store_before_tones(path: Path) -> None:
    """A store file as Claimscope wrote it before tones: no quote_tones table."""
    with Store(path) as store:
        store.add(dataclasses.replace(make_article(), quotes=(
            dataclasses.replace(make_article().quotes[0], tone=()),
        )))  # fmt: skip
    conn = duckdb.connect(str(path))
    conn.execute("DROP TABLE quote_tones")
    conn.close()


def test_a_store_written_before_tones_opens_read_only_without_them(tmp_path):
    path = tmp_path / "old.duckdb"
    _store_before_tones(path)
    old = Store(path, read_only=True)
    article = old.article("a" * 64)
    assert article is not None and article.quotes[0].tone == ()
    mirror = Mirror()
    mirror.sync(old, old.version(), {})
    assert mirror.count("claims") == 1 and mirror.count("tones") == 0


def test_a_store_written_before_tones_gains_the_table_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.duckdb"
    _store_before_tones(path)
    with Store(path) as store:
        newer = dataclasses.replace(make_article(), id="n" * 64)
        assert store.add(newer) is True
        assert store.article(newer.id) == newer
        assert store.article("a" * 64).quotes[0].tone == ()
        assert store.count("quote_tones") == 2


# -- PostgreSQL's own ----------------------------------------------------------

HOLD_PG_WRITE = """
import sys, time, psycopg
conn = psycopg.connect(sys.argv[1])
conn.execute("LOCK TABLE articles IN SHARE ROW EXCLUSIVE MODE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.rollback()
"""


def _hold_pg(url: str, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_PG_WRITE, url, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.postgresql
def test_postgresql_a_writer_waits_for_another_and_readers_do_not(postgres):
    url = postgres.new_database()
    open_store(url).close()
    holder = _hold_pg(url, 1.5)
    started = time.monotonic()
    try:
        store = open_store(url, wait=30)
        assert store.count() == 0  # a read goes through at once
        assert time.monotonic() - started < 1.0
        assert store.add(make_article()) is True
    finally:
        holder.wait(timeout=30)
    assert time.monotonic() - started >= 1.0
    assert store.count() == 1


@pytest.mark.postgresql
def test_postgresql_a_writer_held_too_long_gives_a_message(postgres):
    url = postgres.new_database()
    open_store(url).close()
    holder = _hold_pg(url, 10)
    try:
        with pytest.raises(StoreBusy, match=r"stayed busy for 0\.5 s"):
            open_store(url, wait=0.5).add(make_article())
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.postgresql
def test_postgresql_a_read_only_store_refuses_to_write(postgres):
    url = postgres.new_database()
    open_store(url).close()
    with pytest.raises(PermissionError, match="read-only"):
        open_store(url, read_only=True).add(make_article())


@pytest.mark.postgresql
def test_postgresql_an_unreachable_server_is_a_message_with_the_password_hidden(postgres):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket is closed
    with pytest.raises(StoreUnavailable) as raised:
        open_store(f"postgresql://someone:hunter2@127.0.0.1:{port}/news")
    message = str(raised.value)
    assert f"postgresql://someone:***@127.0.0.1:{port}/news" in message
    assert "hunter2" not in message and "refused" in message


@pytest.mark.postgresql
def test_postgresql_a_missing_database_is_a_message(postgres):
    with pytest.raises(StoreUnavailable, match="does not exist"):
        open_store(postgres.database_url("no_such_database"))


@pytest.mark.postgresql
def test_postgresql_store_has_the_tables_and_columns_of_the_duckdb_store(postgres, tmp_path):
    url = postgres.new_database()
    open_store(url).close()
    Store(tmp_path / "s.duckdb").close()
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as conn:
        duck = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
    with psycopg.connect(url) as conn:
        server = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name <> 'seq'"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
    assert server == duck


def test_a_server_location_is_shown_without_its_password_and_logs_in_the_data_directory():
    from claimscope.logs import log_path
    from claimscope.settings import shown_location

    url = "postgresql://claims:s3cret@db.example:5432/news?sslmode=require"
    assert shown_location(url) == "postgresql://claims:***@db.example:5432/news?sslmode=require"
    assert shown_location("postgresql://claims@db.example/news") == (
        "postgresql://claims@db.example/news"
    )
    assert shown_location("/data/news.duckdb") == "/data/news.duckdb"
    logged = log_path(url)
    assert logged.name == "postgresql-db.example-5432-news.log"
    assert "s3cret" not in str(logged)
    assert log_path("/data/news.duckdb") == Path("/data/news.log")


def test_the_store_location_keeps_a_url_whole(monkeypatch):
    from claimscope.settings import store_location

    monkeypatch.setenv("CLAIMSCOPE_STORE", "postgresql://claims@db.example:5432/news")
    assert store_location() == "postgresql://claims@db.example:5432/news"
