"""Talking points: claims that say the same thing, grouped across articles.

Each claim (a stored quote) is embedded with WordLlama's ``l2_supercat`` 256
static token embeddings (MIT; the weights and tokenizer ship inside the
``wordllama`` wheel, nothing is fetched) averaged over its tokens, and joins
the talking point whose centroid (the normalised mean of its members) is the
most similar, when that cosine similarity is at least :data:`THRESHOLD`;
otherwise it opens a new point. Two guards keep apart what an average of word
vectors cannot. A claim never joins a point whose first claim has the other
*stance*: an odd number of flips between the two, a flip being a negation
present in one only ("have failed" / "have not failed") or a pair of opposite
words from ``data/opposites_en.tsv`` ("will meet" / "will miss"; "have
failed" / "did not work" is two flips, so it may group). Nor one whose first
claim is about other countries only ("sanctions on Cuba" / "sanctions on
Venezuela"; a claim without a country may join any).

A claim of fewer than :data:`MIN_WORDS` words (a fragment the quote
extractor cut short) is a point of its own that nothing joins.

Grouping is incremental: :func:`update_store` takes the stored claims that no
point holds yet (a new batch, or every claim of a store written before this
module existed), in a fixed order (publication date, article id, quote index),
and assigns them against the points already stored, in one write transaction.
Nothing already assigned moves. What remains order-dependent: claims grouped in
one run are assigned in that fixed order, but a later ingest of older articles
assigns their claims after the newer ones, and a claim close to the threshold
of two points may then join another point (each centroid is the mean of the
members it had when the claim came). :func:`regroup` recomputes every
assignment in the fixed order, which is what ingesting all articles at once
gives.

The model loads in about 0.3 s (16 MB of float16 weights) and embeds
thousands of claims a second on one core; WordLlama's own loader is not used (it looks
for the tokenizer in the wrong folder of its wheel and then tries the network,
and its import configures the root logger).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from claimscope.nlp import one_blas_thread

if TYPE_CHECKING:
    from claimscope.store import Store

MODEL = "WordLlama l2_supercat (256 dimensions)"
DIMENSIONS = 256
# Cosine similarity to a point's centroid needed to join it. Chosen on the
# sample articles' paraphrases and near-misses (tests/test_points.py): see the
# README's "Talking points" section for the measured figures.
THRESHOLD = 0.72
# A claim of fewer words is a fragment ("their families", "this"): its average of
# word vectors says little, so it stays a point of its own and no claim joins it.
MIN_WORDS = 5
_BLOCK = 64  # claims scored together against the points as they stood
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_WORD = re.compile(r"[a-z]+")
_QUOTES = "\"'“”‘’«»„‟‹›"
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|none|nothing|nobody|nowhere|cannot|without)\b|n[’']t\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One stored quote to group: where it is, what it says, which countries it names."""

    article_id: str
    quote_index: int
    text: str
    countries: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The id this claim gives the point it opens: ``<article id>:<quote index>``."""
        return f"{self.article_id}:{self.quote_index}"


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one claim went: its point, its similarity to that point's centroid when it
    joined (1.0 for the claim that opened it), whether it holds a negation, its embedding."""

    article_id: str
    quote_index: int
    point_id: str
    similarity: float
    negated: bool
    vector: tuple[float, ...]


def claim_text(text: str) -> str:
    """The words of a claim: quotation marks around it dropped, whitespace collapsed."""
    return " ".join(text.strip().strip(_QUOTES).split())


def negated(text: str) -> bool:
    """Whether ``text`` holds a negation ("not", "n't", "never", "no", "without", ...)."""
    return _NEGATION.search(text) is not None


def long_enough(text: str) -> bool:
    """Whether a claim has :data:`MIN_WORDS` words or more, enough to be grouped."""
    return len(claim_text(text).split()) >= MIN_WORDS


@lru_cache(maxsize=1)
def opposites() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """The pairs of ``data/opposites_en.tsv``: words of one side, words of the other."""
    source = resources.files("claimscope") / "data" / "opposites_en.tsv"
    with source.open(encoding="utf-8") as handle:
        rows = csv.DictReader(
            (line for line in handle if not line.startswith("#")),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        return tuple(
            (frozenset(row["one_side"].split(",")), frozenset(row["other_side"].split(",")))
            for row in rows
        )


@dataclass(frozen=True, slots=True)
class Stance:
    """Which way a claim points: negated or not, and per pair of opposite words +1
    (words of one side only), -1 (the other side only) or 0 (neither, or both)."""

    negated: bool
    directions: tuple[int, ...]

    def contradicts(self, other: Stance) -> bool:
        """An odd number of flips between the two: a negation, or a pair of opposites."""
        flips = int(self.negated != other.negated)
        flips += sum(a * b < 0 for a, b in zip(self.directions, other.directions, strict=True))
        return flips % 2 == 1


def stance(text: str) -> Stance:
    """The stance of a claim's text (see :class:`Stance`)."""
    words = set(_WORD.findall(text.lower()))
    return Stance(
        negated(text),
        tuple(bool(words & one) - bool(words & other) for one, other in opposites()),
    )


def _package_dir(name: str) -> Path:
    # Found without importing it: WordLlama's package import configures logging.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the {name} package is not installed (pip install {name}); it carries the"
            " embeddings that group talking points"
        )
    return Path(next(iter(spec.submodule_search_locations)))


class Embedder:
    """WordLlama's static embeddings: tokens looked up, averaged, normalised.

    Holds the embedding matrix (32,000 x 256, float32) and the tokenizer; safe to
    share between threads (the tokenizer is only read).
    """

    def __init__(self, weights: Path, tokenizer: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.matrix = np.ascontiguousarray(
            load_file(str(weights))["embedding.weight"], dtype=np.float32
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    @property
    def dimensions(self) -> int:
        return int(self.matrix.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32, ``len(texts) x 256``); a text with no token
        gets a zero vector, similar to nothing."""
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return vectors
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, len(self.matrix) - 1)
            if len(ids):
                vectors[row] = self.matrix[ids].mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors


def load_embedder() -> Embedder:
    """The embedder from the files inside the installed ``wordllama`` wheel (offline)."""
    root = _package_dir("wordllama")
    return Embedder(root / _WEIGHTS, root / _TOKENIZER)


def similarity(embedder: Embedder, first: str, second: str) -> float:
    """Cosine similarity of two texts as grouping sees them (claim words only)."""
    a, b = embedder.embed([claim_text(first), claim_text(second)])
    return float(a @ b)


class Points:
    """The talking points known so far: per point its id, summed member vectors, first
    claim's stance and countries. Grows as :meth:`assign` places claims; the order of
    points (creation order) breaks ties between equally similar points."""

    def __init__(self, dimensions: int = DIMENSIONS) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self._sums = np.zeros((0, dimensions), dtype=np.float32)
        self._stances: list[Stance] = []
        self._joinable: list[bool] = []
        self._countries: list[frozenset[str]] = []
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add_member(self, point_id: str, vector: np.ndarray) -> None:
        """Count a stored member of ``point_id`` (the point must be opened first)."""
        self._sums[self.index[point_id]] += vector

    def open(
        self,
        point_id: str,
        vector: np.ndarray,
        *,
        stance: Stance,
        countries: Sequence[str],
        joinable: bool = True,
    ) -> None:
        """A new point whose first claim is ``vector``."""
        if self._size == len(self._sums):
            grown = np.zeros((max(16, 2 * self._size), self._sums.shape[1]), dtype=np.float32)
            grown[: self._size] = self._sums[: self._size]
            self._sums = grown
        self.index[point_id] = self._size
        self.ids.append(point_id)
        self._sums[self._size] = vector
        self._stances.append(stance)
        self._joinable.append(joinable)
        self._countries.append(frozenset(countries))
        self._size += 1

    def assign(
        self, claims: Sequence[Claim], vectors: np.ndarray, *, threshold: float = THRESHOLD
    ) -> list[Assignment]:
        """Place each claim, in the order given, in the most similar compatible point at
        ``threshold`` or more (ties: the older point), else in a new point of its own.

        The similarities to the points as they stood before are computed for a few
        claims at once (one matrix product); only the points these claims changed or
        opened are scored again claim by claim, so the result is the one-by-one result.
        """
        vectors = np.asarray(vectors, dtype=np.float32)
        placed: list[Assignment] = []
        for first in range(0, len(claims), _BLOCK):
            block = slice(first, first + _BLOCK)
            placed.extend(self._assign_block(claims[block], vectors[block], threshold))
        return placed

    def _assign_block(
        self, claims: Sequence[Claim], vectors: np.ndarray, threshold: float
    ) -> list[Assignment]:
        before = self._size
        sums = self._sums[:before]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids = (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        known = vectors @ centroids.T  # claims x points before this block
        changed: set[int] = set()
        above_none = np.zeros(0, dtype=np.int64)
        placed = []
        for column, (claim, vector) in enumerate(zip(claims, vectors, strict=True)):
            own = stance(claim.text)
            countries = frozenset(claim.countries)
            scores = np.empty(self._size, dtype=np.float32)
            scores[:before] = known[column]
            again = np.array(sorted(changed) + list(range(before, self._size)), dtype=np.int64)
            if len(again):
                rows = self._sums[again]
                lengths = np.linalg.norm(rows, axis=1)
                scores[again] = (rows @ vector) / np.where(lengths > 0, lengths, 1.0)
            best, score = None, 1.0
            joinable = long_enough(claim.text)
            above = np.flatnonzero(scores >= threshold) if joinable else above_none
            # Most similar first, the older point first among equals.
            for candidate in above[np.lexsort((above, -scores[above]))]:
                theirs = self._countries[candidate]
                if (
                    self._joinable[candidate]
                    and not own.contradicts(self._stances[candidate])
                    and (not countries or not theirs or theirs & countries)
                ):
                    best, score = int(candidate), float(scores[candidate])
                    break
            if best is None:
                self.open(
                    claim.key, vector, stance=own, countries=claim.countries, joinable=joinable
                )
                point_id = claim.key
            else:
                self._sums[best] += vector
                if best < before:
                    changed.add(best)
                point_id = self.ids[best]
            placed.append(
                Assignment(
                    claim.article_id,
                    claim.quote_index,
                    point_id,
                    round(score, 6),
                    own.negated,
                    tuple(vector.tolist()),
                )
            )
        return placed


def group(
    claims: Sequence[Claim],
    embedder: Embedder,
    *,
    points: Points | None = None,
    threshold: float = THRESHOLD,
) -> list[Assignment]:
    """Assign ``claims`` (in the order given) to ``points`` (new ones when ``None``)."""
    points = points if points is not None else Points(embedder.dimensions)
    # One BLAS thread: the products here are many and small (a block of claims against
    # the points, then each claim against the few points its block changed), and
    # OpenBLAS waking its threads for each cost five times the CPU of one thread
    # (0.49 s against 0.09 s for 1,300 claims on 2 cores), taken from the workers.
    with one_blas_thread():
        vectors = embedder.embed([claim_text(c.text) for c in claims])
        return points.assign(claims, vectors, threshold=threshold)


def update_store(store: Store, embedder: Embedder, *, threshold: float = THRESHOLD) -> int:
    """Group every stored claim that no talking point holds yet; how many were grouped.

    One write transaction: the store hands over the points it holds and the new
    claims in their fixed order, and stores the assignments.
    """

    def assign(known: KnownPoints, new: Sequence[Claim]) -> list[Assignment]:
        return group(new, embedder, points=known.points(embedder.dimensions), threshold=threshold)

    return store.update_points(assign)


def regroup(store: Store, embedder: Embedder, *, threshold: float = THRESHOLD) -> int:
    """Forget every assignment and group all claims again, in the fixed order."""
    store.clear_points()
    return update_store(store, embedder, threshold=threshold)


@dataclass(frozen=True, slots=True)
class KnownPoints:
    """The assignments already stored, in the order they were made (a store's rows)."""

    point_ids: Sequence[str]
    keys: Sequence[str]  # each member's own claim key
    texts: Sequence[str]  # each member's claim as stored
    countries: Sequence[Sequence[str]]
    vectors: np.ndarray

    def points(self, dimensions: int = DIMENSIONS) -> Points:
        """The points these rows make: opened by their first claims, summed over members."""
        points = Points(dimensions)
        for point_id, key, text, countries, vector in zip(
            self.point_ids, self.keys, self.texts, self.countries, self.vectors, strict=True
        ):
            if point_id not in points.index:
                if key != point_id:
                    # The opening claim comes first: rows are in the order assigned.
                    raise ValueError(f"talking point {point_id} has a member before its first")
                points.open(
                    point_id,
                    vector,
                    stance=stance(text),
                    countries=countries,
                    joinable=long_enough(text),
                )
            else:
                points.add_member(point_id, vector)
        return points
