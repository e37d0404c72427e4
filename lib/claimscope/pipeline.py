"""File to :class:`Article`: read, parse once, run every extractor, assemble.

Each extractor is a pure function of the spaCy ``Doc`` (plus what earlier
extractors found); this module only wires them together and turns an
extractor's crash on one article into a :class:`ReadFailure` for that article,
so the rest of a batch still goes through.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from claimscope import countries as country_stage
from claimscope import entities as entity_stage
from claimscope import nlp as nlp_stage
from claimscope import quotes as quote_stage
from claimscope import read as read_stage
from claimscope.records import Article, Document, Quote, ReadFailure

Result = Article | ReadFailure


def article_id(text: str) -> str:
    """The stable article id: sha256 hex of the (cleaned) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_article(document: Document, doc: Doc) -> Article:
    """Run every extractor over one parsed document and assemble the record."""
    skip = (document.dateline_span,) if document.dateline_span else ()
    view = entity_stage.build_view(doc, skip=skip)  # the one entity view every stage reads
    entities = entity_stage.extract_entities(doc, view=view, aliases={})
    countries, regions = country_stage.find_countries(doc, skip=skip, view=view)
    quotes = quote_stage.extract_quotes(doc, view=view)
    quotes = tuple(_with_countries(quote, countries) for quote in quotes)
    return Article(
        path=document.path,
        id=article_id(document.text),
        title=document.title,
        source=document.source,
        dateline=document.dateline,
        published=document.published,
        url=document.url,
        text=document.text,
        entities=entities,
        countries=countries,
        regions=regions,
        quotes=quotes,
    )


def _with_countries(quote: Quote, countries: Iterable) -> Quote:
    """A quote's countries: those mentioned inside its content, in order, once each."""
    inside = [c.iso3 for c in countries if quote.start <= c.start and c.end <= quote.end]
    return dataclasses.replace(quote, countries=tuple(dict.fromkeys(inside)))


def analyze(items: Iterable[Document | ReadFailure], nlp: Language) -> Iterator[Result]:
    """Parse documents in batches and yield one Article (or failure) per item, in order."""
    pending: list[Document] = []

    def flush() -> Iterator[Result]:
        docs = nlp_stage.parse_many(nlp, (d.text for d in pending))
        for document, doc in zip(pending, docs, strict=True):
            try:
                yield build_article(document, doc)
            except Exception as error:  # noqa: BLE001 - one bad article must not stop a batch
                yield ReadFailure(document.path, f"extraction failed: {error}")
        pending.clear()

    for item in items:
        if isinstance(item, ReadFailure):
            yield from flush()
            yield item
            continue
        pending.append(item)
        if len(pending) >= nlp_stage.BATCH_SIZE:
            yield from flush()
    yield from flush()


def analyze_paths(
    paths: Iterable[str | Path], nlp: Language, *, raw: bool = False
) -> Iterator[Result]:
    """Read every path (batches expand to many articles) and analyze each article."""
    return analyze(read_stage.read_paths(paths, raw=raw), nlp)


def analyze_text(text: str, nlp: Language, *, path: str = "<text>") -> Article:
    """Analyze one raw text as given (no cleaning): offsets index ``text`` itself."""
    result = next(analyze([Document(path=path, text=text)], nlp))
    if isinstance(result, ReadFailure):
        raise ValueError(result.reason)
    return result
