"""Shared fixtures: the real spaCy model loaded once, and the shared data folder."""

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
