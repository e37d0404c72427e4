"""Read, extract and store: the work behind ``claimscope ingest`` and the upload page.

Work already stored is never redone: an article's id is the hash of its cleaned
text, known before any NLP, so a stored article is reported as a duplicate
without being parsed again.

Items go through in chunks of one parse batch: one read of the store says
which of the chunk's articles are already stored, the rest are parsed (by
worker processes, a few chunks ahead, while this process writes), and the new
articles are written in one short write session (one transaction per
article), so the store file is held for a fraction of a second per chunk and
other processes (a dashboard, another ingest) get their turn in between. Once
the items are through, the claims no talking point holds yet are grouped
(:mod:`claimscope.points`) in one more short write: grouping reads every
point's centre, so it runs once per ingest, not once per chunk. An
article another process stored meanwhile is caught inside its write
transaction and reported as a duplicate.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from claimscope import points
from claimscope.nlp import BATCH_SIZE
from claimscope.records import Article, Document, ReadFailure, Skipped, article_id
from claimscope.settings import Settings
from claimscope.store import Store, StoreBusy

if TYPE_CHECKING:
    from spacy.language import Language

    from claimscope.pgstore import PostgresStore
    from claimscope.pipeline import Engine

log = logging.getLogger(__name__)

Status = Literal["stored", "duplicate", "failed", "skipped"]
Item = Document | ReadFailure | Skipped


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one article (or one unreadable file)."""

    path: str
    status: Status
    reason: str | None = None
    article_id: str | None = None
    title: str | None = None
    quotes: int = 0
    countries: int = 0

    def line(self) -> str:
        """The status line the CLI prints: ``path: stored``, ``path: failed: reason``."""
        if self.status in ("failed", "skipped"):
            return f"{self.path}: {self.status}: {self.reason}"
        return f"{self.path}: {self.status}"


def ingest(
    items: Iterable[Item],
    store: Store | PostgresStore,
    nlp: Language | None,
    *,
    settings: Settings | None = None,
    chunk_size: int = BATCH_SIZE,
    engine: Engine | None = None,
    group: bool = True,
) -> Iterator[IngestOutcome]:
    """Store every new article of ``items``; yield one outcome per item, in order.

    ``settings.jobs`` worker processes (or the ``engine``: a Dask cluster, see
    :mod:`claimscope.cluster`; ``nlp`` is then unused) parse while this process
    reads the next chunks, checks them against the store and writes the finished
    ones. Once every item is through, the new claims are grouped into talking
    points (``group=False`` leaves them to the next ingest that groups).
    """
    settings = settings or Settings()
    seen: set[str] = set()
    plans: deque[_Plan] = deque()

    def to_parse() -> Iterator[list[Item]]:
        for chunk in _chunks(items, chunk_size):
            plan = _plan(chunk, store, seen)
            plans.append(plan)
            yield [chunk[i] for i in plan.to_parse]

    from claimscope import pipeline  # spaCy comes with it: not for a page that only shows outcomes

    stored = False
    for results in pipeline.analyze_batches(to_parse(), nlp, settings=settings, engine=engine):
        outcomes = list(_finish(plans.popleft(), results, store, settings))
        stored = stored or any(outcome.status == "stored" for outcome in outcomes)
        yield from outcomes
    if stored and group:
        _group(store, points.load_embedder(), settings)


def _group(store: Store, embedder: points.Embedder, settings: Settings) -> None:
    """Group the new claims into talking points; a failure leaves them for the next ingest
    (the articles are stored whatever happens here)."""
    try:
        points.update_store(store, embedder)
    except StoreBusy:
        log.info("the store stayed busy: new claims are grouped by the next ingest")
    except Exception:
        if settings.strict:
            raise
        log.exception("grouping claims into talking points failed")


def ingest_files(
    files: Sequence[tuple[str, Callable[[], Iterable[Item]]]],
    store: Store,
    nlp: Language,
    *,
    settings: Settings | None = None,
) -> Iterator[tuple[int, IngestOutcome]]:
    """Ingest several files as one stream; each outcome comes with its file's index.

    ``files`` pairs a name with a function that reads the file's items (called
    once). One stream, so worker processes share the work across small files.
    A reader that breaks on one file (a bug: logged, raised in strict mode)
    fails that file, named, and the next file goes on.
    """
    settings = settings or Settings()
    owners: deque[int] = deque()

    def items() -> Iterator[Item]:
        for index, (name, read) in enumerate(files):
            for item in _contained(name, read, settings):
                owners.append(index)
                yield item

    for outcome in ingest(items(), store, nlp, settings=settings):
        yield owners.popleft(), outcome


def _contained(name: str, read: Callable[[], Iterable[Item]], settings: Settings) -> Iterator[Item]:
    try:
        yield from read()
    except Exception as error:
        if settings.strict:
            raise
        log.exception("reading %s failed", name)
        reason = f"unexpected {type(error).__name__}: {error} (its traceback is in the log)"
        yield ReadFailure(name, reason)


@dataclass(frozen=True, slots=True)
class _Plan:
    """One chunk before parsing: each document's id, which are duplicates, which to parse."""

    chunk: list[Item]
    ids: dict[int, str]
    duplicates: frozenset[int]
    to_parse: tuple[int, ...]
    busy: str | None = None  # the store could not be read: every item fails with this


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists holding at most ``size`` documents (failures ride along)."""
    iterator = iter(items)
    while True:
        chunk: list[Item] = []
        documents = 0
        for item in iterator:
            chunk.append(item)
            documents += isinstance(item, Document)
            if documents >= size:
                break
        if not chunk:
            return
        yield chunk


def _plan(chunk: list[Item], store: Store, seen: set[str]) -> _Plan:
    ids = {i: article_id(item.text) for i, item in enumerate(chunk) if isinstance(item, Document)}
    try:
        stored = store.stored_ids(sorted(set(ids.values())))
    except StoreBusy as error:
        return _Plan(chunk, ids, frozenset(), (), busy=str(error))
    duplicates: set[int] = set()
    to_parse: list[int] = []
    for i, known in ids.items():
        if known in seen or known in stored:
            duplicates.add(i)  # reported, not parsed: the pipeline never sees duplicates
        else:
            seen.add(known)
            to_parse.append(i)
    return _Plan(chunk, ids, frozenset(duplicates), tuple(to_parse))


def _finish(
    plan: _Plan, parsed: list[Article | ReadFailure | Skipped], store: Store, settings: Settings
) -> Iterator[IngestOutcome]:
    """Write a chunk's new articles in one short session; its outcomes in order."""
    if plan.busy is not None:
        yield from (_failed(item, plan.busy) for item in plan.chunk)
        return
    results = dict(zip(plan.to_parse, parsed, strict=True))
    added = _store_all([r for r in results.values() if isinstance(r, Article)], store, settings)
    for i, item in enumerate(plan.chunk):
        if i in plan.duplicates:
            yield IngestOutcome(item.path, "duplicate", article_id=plan.ids[i])
        elif i in results:
            result = results[i]
            if isinstance(result, Article):
                yield _stored(result, added[result.id])
            else:
                yield _failed(result, "")
        else:
            yield _failed(item, "")


def _store_all(articles: list[Article], store: Store, settings: Settings) -> dict[str, bool | str]:
    """Store a batch in one short write session. Per id: ``True`` stored, ``False``
    duplicate, else why it failed (an article the store rejects fails alone)."""
    try:
        results = store.add_many(articles)
    except StoreBusy as error:
        return {a.id: str(error) for a in articles}
    added: dict[str, bool | str] = {}
    for article, result in zip(articles, results, strict=True):
        if isinstance(result, Exception):
            if settings.strict:
                raise result
            log.error("storing %s failed", article.path, exc_info=result)
            result = (
                f"could not store: {type(result).__name__}: {result} (its traceback is in the log)"
            )
        added[article.id] = result
    return added


def _stored(article: Article, added: bool | str) -> IngestOutcome:
    if isinstance(added, str):
        return IngestOutcome(article.path, "failed", reason=added, article_id=article.id)
    return IngestOutcome(
        article.path,
        "stored" if added else "duplicate",
        article_id=article.id,
        title=article.title,
        quotes=len(article.quotes),
        countries=len(article.countries),
    )


def _failed(item: Item, reason: str) -> IngestOutcome:
    if isinstance(item, Skipped):
        return IngestOutcome(item.path, "skipped", reason=item.reason)
    if isinstance(item, ReadFailure):
        return IngestOutcome(item.path, "failed", reason=item.reason)
    return IngestOutcome(item.path, "failed", reason=reason)
