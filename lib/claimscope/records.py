"""Plain-data records that every stage passes on: the shapes of CONTRACT.md.

Extractors take a spaCy ``Doc`` and return tuples of these frozen records; the
pipeline assembles them into an :class:`Article`, which the CLI prints as JSON
and the store writes as rows. No stage mutates another stage's records.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

QuoteKind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["expert", "official", "organization", "journalist", "other"]
CountryVia = Literal["name", "demonym", "capital", "city", "alias"]
Polarity = Literal["negative", "neutral", "positive"]
POLARITIES: tuple[Polarity, ...] = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article_text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from a file, before any NLP.

    ``path`` is the input path as given, with ``#row`` (csv/json/jsonl) or
    ``!member`` (zip) for an article inside a batch file.
    """

    path: str
    text: str
    title: str | None = None
    source: str | None = None
    dateline: str | None = None
    published: str | None = None  # YYYY-MM-DD
    url: str | None = None
    # Where the dateline sits in ``text`` (start, end), so that country
    # detection can skip it: a dateline is metadata, not a mention.
    dateline_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """A file (or a row of a batch) that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file left out on purpose, and why: a README beside the articles is not one."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    text: str
    label: str
    canonical: str


@dataclass(frozen=True, slots=True)
class CountryMention:
    start: int
    end: int
    text: str
    iso3: str
    country: str
    via: CountryVia


@dataclass(frozen=True, slots=True)
class RegionMention:
    start: int
    end: int
    text: str
    region: str


@dataclass(frozen=True, slots=True)
class Tone:
    """The tone of a quote toward one target it mentions.

    ``target`` is a country's ISO3 code, or a person's or organisation's
    canonical name; ``score`` is P(positive) - P(negative), in [-1, 1].
    """

    target: str
    polarity: Polarity
    score: float


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: Span | None
    speaker_mention: Span | None
    speaker: str | None
    speaker_role: str | None
    speaker_type: SpeakerType | None
    countries: tuple[str, ...] = ()
    tone: tuple[Tone, ...] = ()
    confidence: float | None = None  # claimscope.confidence: None when not scored


@dataclass(frozen=True, slots=True)
class Article:
    """The full result for one article: the JSON Lines object of the contract."""

    path: str
    id: str
    title: str | None
    source: str | None
    dateline: str | None
    published: str | None
    text: str
    entities: tuple[EntityMention, ...] = ()
    countries: tuple[CountryMention, ...] = ()
    regions: tuple[RegionMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    url: str | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object (tuples become lists)."""
        data = asdict(self)
        for quote in data["quotes"]:
            quote["countries"] = list(quote["countries"])
            quote["tone"] = list(quote["tone"])
        for key in ("entities", "countries", "regions", "quotes"):
            data[key] = list(data[key])
        return data


def article_id(text: str) -> str:
    """The stable article id: sha256 hex of the (cleaned) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
