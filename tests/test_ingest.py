"""Ingest: stored, duplicate (never parsed again), failed with a reason."""

from __future__ import annotations

import logging

import pytest

from claimscope.ingest import ingest, ingest_files
from claimscope.records import Document, ReadFailure, Skipped
from claimscope.settings import Settings
from claimscope.store import Store


def test_ingest_reports_each_item_and_skips_stored_work(nlp, tmp_path):
    items = [
        Document(path="a", text="Brazil and Argentina met in Buenos Aires, officials said."),
        Document(path="a-again", text="Brazil and Argentina met in Buenos Aires, officials said."),
        ReadFailure(path="broken.pdf", reason="corrupt PDF"),
        Document(path="b", text="Kenya's central bank raised rates on Tuesday."),
    ]
    with Store(tmp_path / "s.duckdb") as store:
        outcomes = list(ingest(items, store, nlp))
        assert [(o.path, o.status) for o in outcomes] == [
            ("a", "stored"),
            ("a-again", "duplicate"),
            ("broken.pdf", "failed"),
            ("b", "stored"),
        ]
        assert outcomes[2].line() == "broken.pdf: failed: corrupt PDF"
        assert store.count("articles") == 2
        again = list(ingest(items[:1], store, nlp))
        assert again[0].status == "duplicate"
        assert again[0].article_id == outcomes[0].article_id


def test_a_readme_is_reported_skipped(nlp, tmp_path):
    items = [Skipped(path="README.md", reason="a README, not an article")]
    with Store(tmp_path / "s.duckdb") as store:
        (outcome,) = ingest(items, store, nlp)
    assert outcome.status == "skipped"
    assert outcome.line() == "README.md: skipped: a README, not an article"


def _batch_fails(self, conn, articles):
    """The batch transaction fails, so the store redoes it one article at a time."""
    raise ValueError("the batch failed")


def test_an_article_the_store_rejects_fails_alone_and_is_logged(nlp, tmp_path, monkeypatch, caplog):
    real = Store._insert

    def insert(self, conn, article):
        if "Kenya" in article.text:
            raise ValueError("cannot store this one")
        return real(self, conn, article)

    monkeypatch.setattr(Store, "_insert", insert)
    monkeypatch.setattr(Store, "_insert_batch", _batch_fails)
    items = [
        Document(path="a", text="Brazil and Argentina met, officials said."),
        Document(path="b", text="Kenya's central bank raised rates on Tuesday."),
        Document(path="c", text="Chile and Peru signed a trade pact."),
    ]
    with Store(tmp_path / "s.duckdb") as store, caplog.at_level(logging.ERROR, "claimscope"):
        outcomes = list(ingest(items, store, nlp))
        assert [o.status for o in outcomes] == ["stored", "failed", "stored"]
        assert outcomes[1].reason.startswith("could not store: ValueError: cannot store this one")
        assert store.count() == 2
    assert any(r.exc_info and "b" in r.getMessage() for r in caplog.records)


def test_strict_mode_raises_a_store_failure(nlp, tmp_path, monkeypatch):
    def insert(self, conn, article):
        raise ValueError("cannot store")

    monkeypatch.setattr(Store, "_insert", insert)
    monkeypatch.setattr(Store, "_insert_batch", _batch_fails)
    items = [Document(path="a", text="Brazil and Argentina met, officials said.")]
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(ValueError):
        list(ingest(items, store, nlp, settings=Settings(strict=True)))


def test_chunks_keep_the_order_of_every_item(nlp, tmp_path):
    items = [Document(path=f"d{n}", text=f"Country number {n} is Peru.") for n in range(7)]
    items.insert(3, ReadFailure(path="bad", reason="corrupt"))
    with Store(tmp_path / "s.duckdb") as store:
        outcomes = list(ingest(items, store, nlp, chunk_size=2))
        assert [o.path for o in outcomes] == [i.path for i in items]
        assert store.count() == 7


def test_files_ingest_as_one_stream_each_outcome_with_its_file(nlp, tmp_path):
    def broken():
        yield Document(path="half.csv#1", text="Chile and Peru signed a trade pact.")
        raise RuntimeError("the reader broke")

    files = [
        ("a.txt", lambda: [Document(path="a.txt", text="Brazil and Argentina met.")]),
        ("half.csv", broken),
        ("b.txt", lambda: [Document(path="b.txt", text="Kenya's central bank raised rates.")]),
    ]
    with Store(tmp_path / "s.duckdb") as store:
        found = list(ingest_files(files, store, nlp))
    assert [(index, o.path, o.status) for index, o in found] == [
        (0, "a.txt", "stored"),
        (1, "half.csv#1", "stored"),
        (1, "half.csv", "failed"),
        (2, "b.txt", "stored"),
    ]
    assert "the reader broke" in found[2][1].reason
