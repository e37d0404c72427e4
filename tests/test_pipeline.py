"""The pipeline wiring: ids, batch order, quote countries, one failure per bad article."""

from __future__ import annotations

from claimscope import pipeline
from claimscope import quotes as quote_stage
from claimscope.records import Article, Document, ReadFailure


def test_article_id_is_sha256_of_the_text():
    assert pipeline.article_id("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_analyze_keeps_the_order_of_documents_and_failures(nlp):
    items = [
        Document(path="one", text="Peru exports copper."),
        ReadFailure(path="two", reason="unreadable"),
        Document(path="three", text="Chile exports wine."),
    ]
    results = list(pipeline.analyze(items, nlp))
    assert [r.path for r in results] == ["one", "two", "three"]
    assert isinstance(results[0], Article) and isinstance(results[1], ReadFailure)


def test_analyze_text_offsets_index_the_given_text(nlp):
    text = 'Analyst Olga Ivanova said that Japan and India will sign a deal. "Soon," she added.'
    article = pipeline.analyze_text(text, nlp)
    assert article.text == text
    for span in (*article.entities, *article.countries, *article.quotes):
        assert text[span.start : span.end] == span.text


def test_quote_countries_are_the_countries_inside_its_content(nlp):
    text = (
        "Professor Lena Brandt said that Germany and France must agree. "
        "Spain was not mentioned by her."
    )
    article = pipeline.analyze_text(text, nlp)
    for quote in article.quotes:
        inside = {c.iso3 for c in article.countries if quote.start <= c.start < quote.end}
        assert set(quote.countries) == inside


def test_extractor_crash_fails_only_that_article(nlp, monkeypatch):
    real = quote_stage.extract_quotes

    def explode_on_marker(doc, **kwargs):
        if "EXPLODE" in doc.text:
            raise RuntimeError("boom")
        return real(doc, **kwargs)

    monkeypatch.setattr(quote_stage, "extract_quotes", explode_on_marker)
    items = [Document(path="ok", text="Kenya grew."), Document(path="bad", text="EXPLODE now.")]
    ok, bad = pipeline.analyze(items, nlp)
    assert isinstance(ok, Article)
    assert isinstance(bad, ReadFailure) and "boom" in bad.reason
