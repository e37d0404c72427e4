"""File to :class:`Article`: read, parse once, run every extractor, assemble.

Each extractor is a pure function of the spaCy ``Doc`` (plus what earlier
extractors found); this module only wires them together and turns a crash
of the model or of an extractor on one article into a :class:`ReadFailure`
for that article, logged with its traceback, so the rest of a batch still
goes through (in strict mode the error is raised instead).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from claimscope import countries as country_stage
from claimscope import entities as entity_stage
from claimscope import nlp as nlp_stage
from claimscope import quotes as quote_stage
from claimscope import read as read_stage
from claimscope import records
from claimscope import tone as tone_stage
from claimscope.records import Article, Document, Quote, ReadFailure, Skipped
from claimscope.settings import Settings
from claimscope.view import forget

log = logging.getLogger(__name__)

Item = Document | ReadFailure | Skipped
Result = Article | ReadFailure | Skipped


article_id = records.article_id  # the stable article id: sha256 hex of the (cleaned) text


def build_article(
    document: Document, doc: Doc, *, tone_model: tone_stage.ToneModel | None = None
) -> Article:
    """Run every extractor over one parsed document and assemble the record.

    With a ``tone_model``, each quote gets its tone toward the countries, people
    and organisations it names; without, its ``tone`` stays empty.
    """
    skip = (document.dateline_span,) if document.dateline_span else ()
    view = entity_stage.build_view(doc, skip=skip)  # the one entity view every stage reads
    entities = entity_stage.extract_entities(doc, view=view, aliases={})
    countries, regions = country_stage.find_countries(doc, skip=skip, view=view)
    quotes = quote_stage.extract_quotes(doc, view=view)
    quotes = tuple(_with_countries(quote, countries) for quote in quotes)
    if tone_model is not None:
        quotes = _with_tone(doc, quotes, countries, entities, tone_model)
    forget(doc)  # the memos refer back to the doc: let it go as soon as it is dropped
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


def _with_tone(
    doc: Doc,
    quotes: tuple[Quote, ...],
    countries: tuple,
    entities: tuple,
    model: tone_stage.ToneModel,
) -> tuple[Quote, ...]:
    """The quotes with their tone toward every target they mention (one model call)."""
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if quotes else []
    targets = tone_stage.quote_targets(doc.text, quotes, countries, entities, sentences)
    if not targets:
        return quotes
    found = tone_stage.tones(targets, model.probabilities([t.item for t in targets]))
    return tuple(
        dataclasses.replace(quote, tone=found[i]) if i in found else quote
        for i, quote in enumerate(quotes)
    )


def analyze(
    items: Iterable[Item],
    nlp: Language,
    *,
    settings: Settings | None = None,
) -> Iterator[Result]:
    """Analyze documents in batches and yield one Article (or failure) per item, in order.

    ``settings.jobs`` worker processes share the work (see :func:`analyze_batches`).
    """
    settings = settings or Settings()
    for results in analyze_batches(_batches(items, nlp_stage.BATCH_SIZE), nlp, settings=settings):
        yield from results


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists holding at most ``size`` documents (failures ride along)."""
    batch: list[Item] = []
    documents = 0
    for item in items:
        batch.append(item)
        documents += isinstance(item, Document)
        if documents >= size:
            yield batch
            batch, documents = [], 0
    if batch:
        yield batch


class Engine(Protocol):
    """Somewhere else that runs :func:`analyze_batch` on batches (a Dask cluster:
    :class:`claimscope.cluster.DaskEngine`), results in the order of the batches."""

    def map(self, batches: Iterable[list[Item]]) -> Iterator[list[Result]]: ...


def analyze_batches(
    batches: Iterable[list[Item]],
    nlp: Language | None,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> Iterator[list[Result]]:
    """Each batch's results (one per item, in order), batch after batch, in order.

    With an ``engine`` the batches run there (``nlp`` is not used and may be
    ``None``). Else, with ``settings.jobs`` other than 1 and more than one batch to
    do, worker processes run the whole pipeline (parse and every extractor) on the
    batches, each with its own copy of the model loaded from where ``nlp`` was
    (see :mod:`claimscope.workers`); otherwise ``nlp`` does it here. The
    results are the same either way.
    """
    from claimscope import workers

    if engine is not None:
        yield from engine.map(batches)
        return
    if nlp is None:
        raise ValueError("a model is needed to analyze here (no engine given)")
    settings = settings or Settings()
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    jobs = workers.worker_count(settings.jobs)
    source = workers.ModelSource.of(nlp)
    if second is None or jobs == 1 or source is None:
        # One batch is done before the workers would have loaded their models.
        for batch in itertools.chain([first], [] if second is None else [second], batches):
            yield analyze_batch(batch, nlp, settings)
        return
    with workers.Workers(source, settings, jobs, nlp=nlp) as pool:
        yield from pool.map(itertools.chain([first, second], batches))


def analyze_batch(batch: list[Item], nlp: Language, settings: Settings) -> list[Result]:
    """Parse a batch's documents together and build each article; other items pass through.

    Runs in a memory zone, so the words of these texts do not stay in the
    model's vocabulary: a long-running process keeps a flat memory. A crash of
    the model or of an extractor fails its article only (raised in strict mode).
    """
    documents = [item for item in batch if isinstance(item, Document)]
    tone_model = None
    if settings.tone and documents:
        try:
            tone_model = tone_stage.default_model()
        except (OSError, ImportError, RuntimeError) as error:
            if settings.strict:
                raise
            log.exception("the tone model could not be loaded")
            reason = (
                f"the tone model could not be loaded: {type(error).__name__}: {error}"
                " (reinstall Claimscope, or set CLAIMSCOPE_TONE=0 to go without tone)"
            )
            failed = {id(d): ReadFailure(d.path, reason) for d in documents}
            return [failed.get(id(item), item) for item in batch]
    built: list[Result] = []
    with nlp_stage.memory_zone(nlp):
        for document, doc in zip(documents, _parse(documents, nlp, settings), strict=True):
            if isinstance(doc, ReadFailure):
                built.append(doc)
                continue
            try:
                built.append(build_article(document, doc, tone_model=tone_model))
            except Exception as error:
                if settings.strict:
                    raise
                log.exception("extraction failed on %s", document.path)
                built.append(ReadFailure(document.path, _unexpected("extraction", error)))
    articles = iter(built)
    return [next(articles) if isinstance(item, Document) else item for item in batch]


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
