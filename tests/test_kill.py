"""Killed mid-ingest: SIGKILL a real ``claimscope ingest``, rerun it, and the store
holds exactly the rows of an uninterrupted run (whole articles only, none twice)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from articles import write_articles
from claimscope.store import TABLES, Store, open_store

CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
ARTICLES = 96  # three parse batches of 32


def ingest(store: Path, folder: Path, jobs: int = 1) -> subprocess.Popen:
    # One process by default: worker processes parse ahead and the writes come
    # in a burst at the end, too fast to kill in the middle of.
    return subprocess.Popen(
        [str(CLAIMSCOPE), "--strict", "ingest", "--jobs", str(jobs), "--store", str(store)]
        + [str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def rows(store: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, without the ingest time."""
    found = {}
    with Store(store, read_only=True) as opened:
        for table in TABLES:
            frame = opened.query(f"SELECT * FROM {table}")
            frame = frame.drop(columns=["ingested_at"], errors="ignore")
            found[table] = sorted(tuple(map(repr, row)) for row in frame.itertuples(index=False))
    return found


def stored_so_far(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        return Store(store, read_only=True, wait=5).count()
    except duckdb.Error:  # the schema is not committed yet
        return 0


def test_sigkill_mid_ingest_then_rerun_gives_the_rows_of_an_uninterrupted_run(
    tmp_path: Path,
) -> None:
    folder = write_articles(tmp_path / "articles", ARTICLES)

    whole = tmp_path / "whole.duckdb"
    run = ingest(whole, folder)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert out.splitlines()[-1].startswith(f"{ARTICLES} stored, 0 duplicate, 0 failed")

    killed = tmp_path / "killed.duckdb"
    run = ingest(killed, folder)
    deadline = time.monotonic() + 240
    while stored_so_far(killed) == 0:
        assert run.poll() is None, "the ingest finished before it could be killed"
        assert time.monotonic() < deadline, "nothing was stored in time"
        time.sleep(0.3)  # mid-session: measured 20-36 stored, not a multiple of 8
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    assert run.returncode == -signal.SIGKILL
    at_kill = stored_so_far(killed)
    if at_kill >= ARTICLES:
        pytest.fail("the kill came after the last article: nothing was interrupted")

    print(f"killed with {at_kill} of {ARTICLES} articles stored")
    rerun = ingest(killed, folder)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    summary = out.splitlines()[-1]
    assert summary.startswith(f"{ARTICLES - at_kill} stored, {at_kill} duplicate, 0 failed")
    assert rows(killed) == rows(whole)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has finished


def test_sigkill_of_an_ingest_with_workers_leaves_no_worker_behind(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "articles", 160)
    store = tmp_path / "s.duckdb"
    run = ingest(store, folder, jobs=2)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2:
        assert run.poll() is None, "the ingest finished before it could be killed"
        assert time.monotonic() < deadline, "no worker started in time"
        workers = [  # forked or spawned; not multiprocessing's resource tracker
            p for p in children(run.pid) if "resource_tracker" not in _cmdline(p)
        ]
        time.sleep(0.2)
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in workers):
        assert time.monotonic() < deadline, "a worker outlived its killed parent"
        time.sleep(0.2)
    rerun = ingest(store, folder, jobs=2)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert Store(store, read_only=True).count() == 160


ENDLESS = 10**6  # articles of 300 entity rows each, stored 8 to a write session:
# far more than any machine writes before the kill, so the kill always lands mid-run
WRITER = """
import dataclasses, sys
sys.path.insert(0, sys.argv[2])
from claimscope.records import EntityMention
from claimscope.store import open_store
from test_store import make_article
store = open_store(sys.argv[1])
base = make_article()
entities = tuple(EntityMention(0, 6, "Moscow", "GPE", f"Moscow {n}") for n in range(300))
for first in range(0, int(sys.argv[3]), 8):
    store.add_many([
        dataclasses.replace(base, id=f"{n:064d}", path=f"a{n}", entities=entities)
        for n in range(first, first + 8)
    ])
    print(first + 8, flush=True)
"""


def test_sigkill_inside_a_write_leaves_only_whole_articles(store_location: str) -> None:
    # Either backend: DuckDB's file, or PostgreSQL, which rolls back the transaction
    # of a client that died.
    store = store_location
    tests_dir = str(Path(__file__).resolve().parent)

    def writer(count: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store), tests_dir, str(count)],
            stdout=subprocess.PIPE,
            text=True,
        )

    run = writer(ENDLESS)
    run.stdout.readline()  # the first batch is in; the writer is busy with the next
    time.sleep(0.3)  # mid-session: a fast PostgreSQL stores 160 by then, DuckDB 20-36
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    with open_store(store, read_only=True) as opened:
        articles = opened.count("articles")
        per_article = opened.query(
            "SELECT a.id, count(e.article_id) AS n FROM articles a"
            " LEFT JOIN entities e ON e.article_id = a.id GROUP BY a.id"
        )
        orphans = opened.query(
            "SELECT count(*) AS n FROM entities WHERE article_id NOT IN (SELECT id FROM articles)"
        )
    assert 8 <= articles < ENDLESS
    assert run.returncode == -signal.SIGKILL, "the writer ended before it was killed"
    print(f"killed with {articles} articles stored")
    assert set(per_article["n"]) == {300}, "an article was stored without all its rows"
    assert int(orphans["n"][0]) == 0

    written = articles + 16  # the stored ones again (skipped) and two batches more
    rerun = writer(written)
    rerun.communicate(timeout=120)
    assert rerun.returncode == 0
    with open_store(store, read_only=True) as opened:
        assert opened.count("articles") == written
        assert opened.count("entities") == written * 300
