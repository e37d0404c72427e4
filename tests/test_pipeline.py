"""The pipeline wiring: ids, batch order, quote countries, one failure per bad article."""

from __future__ import annotations

import logging

import pytest

from claimscope import nlp as nlp_stage
from claimscope import pipeline
from claimscope import quotes as quote_stage
from claimscope.read import read_bytes
from claimscope.records import Article, Document, ReadFailure, Skipped
from claimscope.settings import Settings


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


def _explode_on_marker(real):
    def extract(doc, **kwargs):
        if "EXPLODE" in doc.text:
            raise RuntimeError("boom")
        return real(doc, **kwargs)

    return extract


def test_extractor_crash_fails_only_that_article_and_is_logged(nlp, monkeypatch, caplog):
    monkeypatch.setattr(
        quote_stage, "extract_quotes", _explode_on_marker(quote_stage.extract_quotes)
    )
    items = [Document(path="ok", text="Kenya grew."), Document(path="bad", text="EXPLODE now.")]
    with caplog.at_level(logging.ERROR, logger="claimscope"):
        ok, bad = pipeline.analyze(items, nlp)
    assert isinstance(ok, Article)
    assert isinstance(bad, ReadFailure)
    assert bad.reason.startswith("extraction failed: RuntimeError: boom")
    (record,) = caplog.records
    assert "bad" in record.getMessage() and record.exc_info is not None


def test_strict_mode_raises_an_extractor_crash(nlp, monkeypatch):
    monkeypatch.setattr(
        quote_stage, "extract_quotes", _explode_on_marker(quote_stage.extract_quotes)
    )
    items = [Document(path="bad", text="EXPLODE now.")]
    with pytest.raises(RuntimeError, match="boom"):
        list(pipeline.analyze(items, nlp, settings=Settings(strict=True)))


def _model_fails_on_marker(monkeypatch):
    real = nlp_stage.parse_many

    def parse_many(nlp, texts, *args, **kwargs):
        texts = list(texts)
        if any("POISON" in t for t in texts):
            raise ValueError("the model choked")
        return real(nlp, texts, *args, **kwargs)

    monkeypatch.setattr(nlp_stage, "parse_many", parse_many)


def test_a_model_crash_on_one_text_fails_that_article_only(nlp, monkeypatch, caplog):
    _model_fails_on_marker(monkeypatch)
    items = [
        Document(path="one", text="Peru exports copper."),
        Document(path="poisoned", text="POISON in the batch."),
        Document(path="three", text="Chile exports wine."),
    ]
    with caplog.at_level(logging.ERROR, logger="claimscope"):
        results = list(pipeline.analyze(items, nlp))
    assert [type(r).__name__ for r in results] == ["Article", "ReadFailure", "Article"]
    assert results[1].path == "poisoned"
    assert results[1].reason.startswith("the language model failed: ValueError: the model choked")
    assert all(r.exc_info is not None for r in caplog.records)


def test_strict_mode_raises_a_model_crash(nlp, monkeypatch):
    _model_fails_on_marker(monkeypatch)
    with pytest.raises(ValueError, match="choked"):
        list(
            pipeline.analyze(
                [Document(path="p", text="POISON")], nlp, settings=Settings(strict=True)
            )
        )


def test_a_long_article_is_parsed_in_parts_with_offsets_into_the_whole_text(nlp):
    text = "\n\n".join(
        f'"Exports to Brazil will double," said economist Ana Souza of Lisbon, report {n}.'
        for n in range(25)
    )
    (article,) = pipeline.analyze(
        [Document(path="long", text=text)], nlp, settings=Settings(part_chars=400)
    )
    assert isinstance(article, Article) and article.text == text
    assert len(article.quotes) >= 20
    for span in (*article.entities, *article.countries, *article.quotes):
        assert text[span.start : span.end] == span.text


def test_skipped_files_pass_through_in_order(nlp):
    items = [Skipped(path="README.md", reason="a README"), Document(path="a", text="Kenya grew.")]
    results = list(pipeline.analyze(items, nlp))
    assert results[0] == items[0] and isinstance(results[1], Article)


@pytest.mark.parametrize(
    "dateline",
    ["<p>LONDON, June 2. Officials", "<p>LONDON, June 2.</p><p>Officials"],
)
def test_an_html_dateline_is_metadata_not_a_country_mention(nlp, dateline):
    page = (
        "<html><head><title>Border data deal agreed</title></head><body><article>"
        f"<h1>Border data deal agreed</h1>{dateline} agreed on Monday to share border"
        " data along the Channel, officials said, and more talks will follow in the autumn.</p>"
        "</article></body></html>"
    )
    (document,) = read_bytes("page.html", page.encode())
    assert document.dateline == "London"
    (article,) = pipeline.analyze([document], nlp)
    assert [c.text for c in article.countries] == []
