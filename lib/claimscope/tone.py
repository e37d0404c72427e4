"""Tone toward a target: negative, neutral or positive, with a score in [-1, 1].

A small encoder (all-MiniLM-L6-v2, fine-tuned on the fit part of NewsMTSC's
train split by ``scripts/train_tone.py``) reads the sentence with the target
mention wrapped in two marker tokens, paired with the mention itself, and
classifies the sentiment the sentence expresses toward that target. It runs
from an int8 ONNX file shipped in ``data/tone/`` with onnxruntime and
``tokenizers``: no torch, nothing fetched at run time.

The score is P(positive) - P(negative); the polarity is the most probable class.
The input encoding below is the one owner of how a target is shown to the
model: the training script imports it, so training and inference never differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from claimscope.records import POLARITIES, CountryMention, EntityMention, Polarity, Quote, Tone

TARGET_LABELS = frozenset({"PERSON", "ORG"})
"""Entity labels whose mentions inside a quote get a tone (besides countries)."""

MODEL_DIR = Path(__file__).resolve().parent / "data" / "tone"
MARK_OPEN = "[unused0]"
MARK_CLOSE = "[unused1]"
MAX_TOKENS = 128
"""Tokens per input (mention + marked sentence); longer inputs lose the sentence's far ends."""
WINDOW_CHARS = 240
"""Characters kept on each side of the target in a long sentence, before tokenising."""
BATCH_SIZE = 32
"""Most inputs the model reads in one run."""
RUN_COST_TOKENS = 8
"""What one more model run costs, in tokens of work (measured: about 0.8 ms a run
against 0.1 ms a token on one thread), when batches are planned (:func:`plan_batches`)."""


@dataclass(frozen=True, slots=True)
class ToneInput:
    """A target to judge: ``sentence[start:end]`` is its mention."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ToneScore:
    polarity: Polarity
    score: float  # P(positive) - P(negative), in [-1, 1]
    probabilities: tuple[float, float, float]  # negative, neutral, positive


def marked_pair(item: ToneInput) -> tuple[str, str]:
    """(mention, sentence with the mention between markers), long sentences windowed."""
    sentence, start, end = item.sentence, item.start, item.end
    if not 0 <= start < end <= len(sentence):
        raise ValueError(f"target offsets {start}:{end} outside a {len(sentence)}-char sentence")
    left = max(0, start - WINDOW_CHARS)
    right = min(len(sentence), end + WINDOW_CHARS)
    marked = f"{sentence[left:start]} {MARK_OPEN} {sentence[start:end]} {MARK_CLOSE} {sentence[end:right]}"
    return sentence[start:end], " ".join(marked.split())


def load_tokenizer(model_dir: Path = MODEL_DIR):
    """The encoder's WordPiece tokenizer with the two markers kept whole, truncating the sentence."""
    from tokenizers import AddedToken, Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.add_special_tokens(
        [AddedToken(MARK_OPEN, normalized=False), AddedToken(MARK_CLOSE, normalized=False)]
    )
    tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
    tokenizer.no_padding()
    return tokenizer


def encode(tokenizer, items: Sequence[ToneInput]) -> dict[str, np.ndarray]:
    """The model's int64 inputs for a batch, padded to its longest member."""
    return pad(tokenizer.encode_batch([marked_pair(item) for item in items]))


def pad(encodings: Sequence) -> dict[str, np.ndarray]:
    """The model's int64 inputs from tokenizer encodings, padded to the longest."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        ids[row, :n] = enc.ids
        mask[row, :n] = 1
        types[row, :n] = enc.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def plan_batches(
    lengths: Sequence[int], *, max_size: int = BATCH_SIZE, run_cost: int = RUN_COST_TOKENS
) -> list[list[int]]:
    """Indices of ``lengths`` cut into batches (shortest inputs first) at the least work.

    A batch costs ``run_cost`` plus its size times its longest input (every input is
    padded to it); cutting the inputs sorted by length into consecutive batches of at
    most ``max_size`` is then a shortest path, solved exactly. Padding was about 30%
    of the tokens read when one article's targets ran as one batch.
    """
    if max_size < 1:
        raise ValueError(f"max_size must be at least 1, not {max_size}")
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    sizes = [lengths[i] for i in order]
    # best[k]: the least work for the first k sorted inputs; cut[k]: where its last batch starts.
    best = [0] + [0] * len(order)
    cut = [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        longest = sizes[end - 1]
        best[end], cut[end] = min(
            (best[start] + run_cost + (end - start) * longest, start)
            for start in range(max(0, end - max_size), end)
        )
    batches: list[list[int]] = []
    end = len(order)
    while end:
        batches.append(order[cut[end] : end])
        end = cut[end]
    return batches[::-1]


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def to_scores(probabilities: np.ndarray) -> list[ToneScore]:
    """One ToneScore per row of (negative, neutral, positive) probabilities."""
    scores = []
    for row in probabilities:
        neg, neu, pos = (float(p) for p in row)
        scores.append(
            ToneScore(
                polarity=POLARITIES[int(np.argmax(row))],
                score=round(pos - neg, 4),
                probabilities=(neg, neu, pos),
            )
        )
    return scores


class ToneModel:
    """The shipped ONNX classifier; thread-safe (one onnxruntime session, read only)."""

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int = 1) -> None:
        import onnxruntime as ort

        model_file = model_dir / "model.onnx"
        if not model_file.is_file():
            raise FileNotFoundError(f"no tone model at {model_file}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = load_tokenizer(model_dir)

    def probabilities(self, items: Sequence[ToneInput]) -> np.ndarray:
        """(len(items), 3) probabilities of negative, neutral, positive."""
        return self.run(self.tokenize(items))

    def tokenize(self, items: Sequence[ToneInput]) -> list:
        """The tokenizer's encoding of each item as the model reads it (:func:`marked_pair`)."""
        return self._tokenizer.encode_batch([marked_pair(item) for item in items]) if items else []

    def run(self, encodings: Sequence) -> np.ndarray:
        """(len(encodings), 3) probabilities, the inputs run in planned batches
        (:func:`plan_batches`: one article's targets in a few runs of similar lengths)."""
        out = np.zeros((len(encodings), 3), dtype=np.float32)
        for rows in plan_batches([len(e.ids) for e in encodings]):
            feeds = pad([encodings[i] for i in rows])
            feeds = {k: v for k, v in feeds.items() if k in self._inputs}
            (logits,) = self._session.run(["logits"], feeds)
            out[rows] = softmax(logits)
        return out

    def predict(self, items: Sequence[ToneInput]) -> list[ToneScore]:
        return to_scores(self.probabilities(items))


@dataclass(frozen=True, slots=True)
class QuoteTarget:
    """One mention of a target inside a quote, with the text the model reads."""

    quote: int  # index into the article's quotes
    target: str  # ISO3, or a canonical name
    item: ToneInput


def quote_targets(
    text: str,
    quotes: Sequence[Quote],
    countries: Sequence[CountryMention],
    entities: Sequence[EntityMention],
    sentences: Sequence[tuple[int, int]],
) -> list[QuoteTarget]:
    """Every mention of a country (ISO3) or a person or organisation (canonical name)
    inside a quote's content, each shown to the model in its sentence cut to the quote.

    ``sentences`` are the article's sentence spans (start, end), in order. An
    entity that covers a country mention is that country, not a second target.
    """
    found: list[QuoteTarget] = []
    for index, quote in enumerate(quotes):
        mentions: list[tuple[int, int, str]] = [
            (c.start, c.end, c.iso3)
            for c in countries
            if quote.start <= c.start and c.end <= quote.end
        ]
        for e in entities:
            if e.label not in TARGET_LABELS or not (quote.start <= e.start and e.end <= quote.end):
                continue
            if any(e.start <= s and t <= e.end for s, t, _ in mentions):
                continue
            mentions.append((e.start, e.end, e.canonical or e.text))
        for start, end, target in sorted(mentions):
            left, right = _sentence_of(sentences, start, end)
            left, right = max(left, quote.start), min(right, quote.end)
            item = ToneInput(text[left:right], start - left, end - left)
            found.append(QuoteTarget(index, target, item))
    return found


def _sentence_of(sentences: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The span of the sentences that hold ``start:end`` (the whole text when none do)."""
    left = next((s for s, t in reversed(sentences) if s <= start), 0)
    right = next((t for s, t in sentences if t >= end), end)
    return left, max(right, end)


def tones(targets: Sequence[QuoteTarget], probabilities: np.ndarray) -> dict[int, tuple[Tone, ...]]:
    """Quote index -> its tones, one per target in order of first mention: the mean of the
    probabilities of that target's mentions in the quote, then its most probable class."""
    grouped: dict[int, dict[str, list[np.ndarray]]] = {}
    for found, row in zip(targets, probabilities, strict=True):
        grouped.setdefault(found.quote, {}).setdefault(found.target, []).append(row)
    result: dict[int, tuple[Tone, ...]] = {}
    for quote, by_target in grouped.items():
        names = list(by_target)
        means = np.array([np.mean(by_target[name], axis=0) for name in names])
        result[quote] = tuple(
            Tone(name, s.polarity, s.score) for name, s in zip(names, to_scores(means), strict=True)
        )
    return result


@cache
def default_model() -> ToneModel:
    """The shipped model, loaded once per process (a read-only session, not a data cache)."""
    return ToneModel()
