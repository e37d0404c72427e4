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


def require(path: Path) -> Path:
    """Skip the calling test when a file from ../shared is absent (a bare clone)."""
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is absent)")
    return path


@pytest.fixture
def tass_text() -> str:
    return require(TASS_SAMPLE).read_text(encoding="utf-8")


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
