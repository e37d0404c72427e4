"""File to :class:`Article`: read, parse once, run every extractor, assemble.

Each extractor is a pure function of the spaCy ``Doc`` (plus what earlier
extractors found); this module only wires them together and turns a crash
of the model or of an extractor on one article into a :class:`ReadFailure`
for that article, logged with its traceback, so the rest of a batch still
goes through (in strict mode the error is raised instead).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from claimscope import countries as country_stage
from claimscope import entities as entity_stage
from claimscope import nlp as nlp_stage
from claimscope import quotes as quote_stage
from claimscope import read as read_stage
from claimscope.records import Article, Document, Quote, ReadFailure, Skipped
from claimscope.settings import Settings

log = logging.getLogger(__name__)

Result = Article | ReadFailure | Skipped


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


def analyze(
    items: Iterable[Document | ReadFailure | Skipped],
    nlp: Language,
    *,
    settings: Settings | None = None,
) -> Iterator[Result]:
    """Parse documents in batches and yield one Article (or failure) per item, in order."""
    settings = settings or Settings()
    pending: list[Document] = []

    def flush() -> Iterator[Result]:
        for document, doc in zip(pending, _parse(pending, nlp, settings), strict=True):
            if isinstance(doc, ReadFailure):
                yield doc
                continue
            try:
                yield build_article(document, doc)
            except Exception as error:
                if settings.strict:
                    raise
                log.exception("extraction failed on %s", document.path)
                yield ReadFailure(document.path, _unexpected("extraction", error))
        pending.clear()

    for item in items:
        if not isinstance(item, Document):
            yield from flush()
            yield item
            continue
        pending.append(item)
        if len(pending) >= nlp_stage.BATCH_SIZE:
            yield from flush()
    yield from flush()


def _parse(documents: list[Document], nlp: Language, settings: Settings) -> list[Doc | ReadFailure]:
    """Parse a batch; if the model fails on it, parse each text alone so only the bad one fails."""
    if not documents:
        return []
    texts = [d.text for d in documents]
    try:
        return list(nlp_stage.parse_many(nlp, texts, part_chars=settings.part_chars))
    except Exception:
        if settings.strict:
            raise
        log.exception(
            "the model failed on a batch of %d texts; parsing them one by one", len(texts)
        )
    parsed: list[Doc | ReadFailure] = []
    for document in documents:
        try:
            parsed.extend(
                nlp_stage.parse_many(nlp, [document.text], part_chars=settings.part_chars)
            )
        except Exception as error:
            log.exception("the model failed on %s", document.path)
            parsed.append(ReadFailure(document.path, _unexpected("the language model", error)))
    return parsed


def _unexpected(stage: str, error: Exception) -> str:
    return f"{stage} failed: {type(error).__name__}: {error} (a bug: its traceback is in the log)"


def analyze_paths(
    paths: Iterable[str | Path],
    nlp: Language,
    *,
    raw: bool = False,
    settings: Settings | None = None,
) -> Iterator[Result]:
    """Read every path (batches expand to many articles) and analyze each article."""
    return analyze(read_stage.read_paths(paths, raw=raw, settings=settings), nlp, settings=settings)


def analyze_text(text: str, nlp: Language, *, path: str = "<text>") -> Article:
    """Analyze one raw text as given (no cleaning): offsets index ``text`` itself."""
    result = next(analyze([Document(path=path, text=text)], nlp))
    if isinstance(result, ReadFailure):
        raise ValueError(result.reason)
    return result
