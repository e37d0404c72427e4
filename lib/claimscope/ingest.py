"""Read, extract and store: the work behind ``claimscope ingest`` and the upload page.

Work already stored is never redone: an article's id is the hash of its cleaned
text, known before any NLP, so a stored article is reported as a duplicate
without being parsed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from spacy.language import Language

from claimscope import pipeline
from claimscope.records import Article, Document, ReadFailure
from claimscope.store import Store

Status = Literal["stored", "duplicate", "failed"]


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
        if self.status == "failed":
            return f"{self.path}: failed: {self.reason}"
        return f"{self.path}: {self.status}"


def ingest(
    items: Iterable[Document | ReadFailure], store: Store, nlp: Language
) -> Iterator[IngestOutcome]:
    """Store every new article of ``items``; yield one outcome per item, in order."""
    seen: set[str] = set()

    def new_documents() -> Iterator[Document | ReadFailure]:
        for item in items:
            if isinstance(item, Document):
                article_id = pipeline.article_id(item.text)
                if article_id in seen or store.has(article_id):
                    # Reported, not parsed: the pipeline never sees duplicates.
                    yield ReadFailure(item.path, _DUPLICATE + article_id)
                    continue
                seen.add(article_id)
            yield item

    for result in pipeline.analyze(new_documents(), nlp):
        yield _store_result(result, store)


# A private marker so that duplicates can ride through the pipeline's ordered
# stream as failures without being parsed.
_DUPLICATE = "\x00duplicate:"


def _store_result(result: Article | ReadFailure, store: Store) -> IngestOutcome:
    if isinstance(result, ReadFailure):
        if result.reason.startswith(_DUPLICATE):
            return IngestOutcome(
                result.path, "duplicate", article_id=result.reason[len(_DUPLICATE) :]
            )
        return IngestOutcome(result.path, "failed", reason=result.reason)
    try:
        stored = store.add(result)
    except Exception as error:  # noqa: BLE001 - reported per file; the store rolled back
        return IngestOutcome(result.path, "failed", reason=f"could not store: {error}")
    return IngestOutcome(
        result.path,
        "stored" if stored else "duplicate",
        article_id=result.id,
        title=result.title,
        quotes=len(result.quotes),
        countries=len(result.countries),
    )
