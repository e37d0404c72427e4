"""Ingest: stored, duplicate (never parsed again), failed with a reason."""

from __future__ import annotations

from claimscope.ingest import ingest
from claimscope.records import Document, ReadFailure
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
