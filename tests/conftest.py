"""Shared fixtures: the real spaCy model loaded once, the shared data folder, and a
default store in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from claimscope import nlp as nlp_stage

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_DIR.parent / "shared"
SAMPLE_ARTICLES = PROJECT_DIR / "sample_articles"
TASS_SAMPLE = SHARED_DIR / "samples" / "tass-russia-latin-america.txt"
POLNEAR_DIR = SHARED_DIR / "eval-data" / "polnear" / "data"
BBC_TEST_CSV = SHARED_DIR / "corpora" / "bbc-news" / "test.csv"


@pytest.fixture(autouse=True)
def _default_store_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """A command run without --store (and its log file) never touches the user's data
    directory: the default store is a temporary file unless a test sets its own."""
    folder = tmp_path_factory.getbasetemp() / "default-store"
    monkeypatch.setenv("CLAIMSCOPE_STORE", str(folder / "claimscope.duckdb"))


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The real default pipeline, loaded once for the whole test session."""
    return nlp_stage.load()


def table_rows(store) -> dict[str, list[dict]]:
    """Every row of every table of a store (either backend), in the order written,
    without the time of ingest (the only column two ingests of the same files differ in)."""
    from claimscope.store import TABLES

    tables = store.snapshot_arrow()
    return {
        table: [
            {k: v for k, v in row.items() if k != "ingested_at"}
            for row in tables[table].to_pylist()
        ]
        for table in TABLES
    }


def require(path: Path) -> Path:
    """Skip the calling test when a file from ../shared is absent (a bare clone)."""
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is absent)")
    return path


@pytest.fixture
def tass_text() -> str:
    return require(TASS_SAMPLE).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster for the whole session (``tests/pgserver.py``),
    stopped at the end; skips when PostgreSQL is not installed (``make postgresql``)."""
    from pgserver import PostgresServer, postgres_bin

    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed: run `make postgresql`")
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


BACKENDS = ("duckdb", pytest.param("postgresql", marks=pytest.mark.postgresql))


@pytest.fixture(params=BACKENDS)
def new_store_location(request, tmp_path):
    """A function that gives the location of a new empty store of the backend under
    test: a DuckDB file in ``tmp_path`` or a new database on the session's cluster."""
    if request.param == "duckdb":
        names = iter(range(1_000))
        return lambda: str(tmp_path / f"s{next(names)}.duckdb")
    server = request.getfixturevalue("postgres")
    return server.new_database


@pytest.fixture
def store_location(new_store_location) -> str:
    """The location of one new empty store, DuckDB or PostgreSQL (parametrized)."""
    return new_store_location()


@pytest.fixture(scope="session")
def dask_cluster():
    """A Dask scheduler and two single-threaded workers, each its own process
    (``tests/daskcluster.py``), for the whole session; stopped at the end."""
    from daskcluster import DaskCluster

    cluster = DaskCluster(workers=2).start()
    try:
        yield cluster
    finally:
        cluster.stop()


def ingest_with_cli(store_path: Path, paths: list[Path]) -> None:
    """``claimscope --strict ingest --jobs 1`` of ``paths`` into ``store_path``; must succeed."""
    from click.testing import CliRunner

    from claimscope.cli import main

    result = CliRunner().invoke(
        main, ["--strict", "ingest", "--jobs", "1", "--store", str(store_path), *map(str, paths)]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    """The Venezuela samples (talking points and near-misses) ingested in one run: a
    file to copy, never to write to."""
    path = tmp_path_factory.mktemp("points") / "samples.duckdb"
    ingest_with_cli(path, sorted(SAMPLE_ARTICLES.glob("*venezuela*")))
    return path
