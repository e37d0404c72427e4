"""Speaker names: score the name shown on each quote against a hand-annotated BBC gold set.

The gold (``tests/data/bbc_speakers.jsonl``, described in ``tests/data/README.md``)
holds no article text: each line names a row of the BBC News corpus
(``train.csv#17``, the reader's own row numbering), the character span of one
attribution's content in the text the reader gives for that row, the SHA-1 of
that span, and the speaker's acceptable names (``"Sir Digby Jones|Digby Jones"``,
preferred first; ``null`` when the article names nobody). Before scoring, every
span is checked against the corpus: a changed reader or corpus fails loudly,
naming the row.

Quotes are matched to gold contents as in PolNeAR (:mod:`claimscope.polnear`):
greedily by coverage of the gold characters, one-to-one, coverage > 0.3. On the
matched pairs the predicted ``quote.speaker`` is right when it equals one of the
gold names after folding case, diacritics, a possessive and a leading "the", or
when both are absent.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from claimscope import names, polnear
from claimscope.records import Document, Quote, ReadFailure

LENIENT = polnear.LENIENT
KINDS = ("direct", "indirect", "mixed")

# Error classes, in the order reports list them.
WRONG_PERSON = "wrong person"
MISSING_NAME = "missing name"
NAME_WHERE_NONE = "name given where none"
PARTIAL_NAME = "partial name"
EXTRA_WORDS = "name with extra words"
ERROR_CLASSES = (WRONG_PERSON, PARTIAL_NAME, EXTRA_WORDS, MISSING_NAME, NAME_WHERE_NONE)


class GoldMismatch(ValueError):
    """The corpus text no longer matches the gold (a row moved, or the reader changed)."""


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One gold attribution: where its content is, and who said it."""

    path: str  # "train.csv#17": the corpus file and the reader's row number
    start: int
    end: int
    sha1: str
    kind: str  # direct | indirect | mixed
    speakers: tuple[str, ...]  # acceptable names, preferred first; () when nobody is named
    mention: tuple[int, int] | None = None
    role: str | None = None

    @property
    def file(self) -> str:
        return self.path.rpartition("#")[0]

    @property
    def row(self) -> int:
        return int(self.path.rpartition("#")[2])

    @property
    def speaker(self) -> str | None:
        """The preferred name, or ``None``."""
        return self.speakers[0] if self.speakers else None


def parse_gold_line(line: str) -> GoldQuote:
    """One JSON Lines record to a :class:`GoldQuote`."""
    data = json.loads(line)
    speaker = data.get("speaker")
    mention = data.get("mention")
    return GoldQuote(
        path=data["path"],
        start=int(data["start"]),
        end=int(data["end"]),
        sha1=data["sha1"],
        kind=data["kind"],
        speakers=tuple(s.strip() for s in speaker.split("|") if s.strip()) if speaker else (),
        mention=(int(mention[0]), int(mention[1])) if mention else None,
        role=data.get("role"),
    )


def load_gold(path: Path) -> tuple[GoldQuote, ...]:
    """Read the gold file (JSON Lines; blank lines skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    gold = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            gold.append(parse_gold_line(line))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: bad gold record: {error}") from error
    return tuple(gold)


# --- names -------------------------------------------------------------------


def fold_name(name: str | None) -> str:
    """The comparison key of a name: case, diacritics, dashes, a possessive and a
    leading "the" folded away (``"the Bank of England's" -> "bank of england"``)."""
    if not name:
        return ""
    key = names.fold(names.strip_possessive(name.strip()))
    key = key.removeprefix("the ")
    return key.strip(" ,.;:")


def name_right(predicted: str | None, gold: GoldQuote) -> bool:
    """The predicted name is one of the gold forms, or both are absent."""
    key = fold_name(predicted)
    if not gold.speakers:
        return not key
    return key in {fold_name(name) for name in gold.speakers}


def _words(name: str) -> list[str]:
    return fold_name(name).replace("-", " ").split()


def error_class(predicted: str | None, gold: GoldQuote) -> str | None:
    """Why a predicted name is wrong (one of :data:`ERROR_CLASSES`), or ``None`` if right.

    Partial: the predicted words, titles ("Mr", "Sir") aside, are some of a gold
    form's words ("Howard" or "Mr Howard" for "Michael Howard"). Extra words: a
    gold form's words all occur in the prediction, with more ("Tory MP Boris
    Johnson" for "Boris Johnson").
    """
    if name_right(predicted, gold):
        return None
    if not fold_name(predicted):
        return MISSING_NAME
    if not gold.speakers:
        return NAME_WHERE_NONE
    titles = names.title_words()
    said = [w for w in _words(predicted or "") if w not in titles]
    for form in gold.speakers:
        wanted = _words(form)
        if said and set(said) <= set(wanted):
            return PARTIAL_NAME
        if set(wanted) <= set(_words(predicted or "")):
            return EXTRA_WORDS
    return WRONG_PERSON


# --- matching and scoring --------------------------------------------------


def _as_polnear(gold: GoldQuote, text: str = "") -> polnear.GoldAttribution:
    return polnear.GoldAttribution(
        content=((gold.start, gold.end),), content_text=text[gold.start : gold.end]
    )


def coverage(quote: Quote, gold: GoldQuote) -> float:
    """Share of the gold content's characters that the predicted span covers."""
    return polnear.coverage(quote, _as_polnear(gold))


def match(
    predictions: Sequence[Quote], gold: Sequence[GoldQuote], threshold: float = LENIENT
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by coverage, as in PolNeAR: ``(prediction, gold)`` pairs."""
    return polnear.match(predictions, [_as_polnear(g) for g in gold], threshold)


@dataclass(frozen=True, slots=True)
class SpeakerError:
    """One matched quote whose speaker name is wrong, with what a developer needs to read it."""

    path: str
    start: int
    end: int
    kind: str
    error: str  # one of ERROR_CLASSES
    gold: tuple[str, ...]
    predicted: str | None
    predicted_mention: str | None
    gold_mention: str | None = None
    gold_role: str | None = None
    quote: str = ""  # the gold content, from the corpus at run time (never stored)

    def line(self) -> str:
        gold = " | ".join(self.gold) if self.gold else "(nobody named)"
        mention = f' (mention "{self.predicted_mention}")' if self.predicted_mention else ""
        said = f' (text: "{self.gold_mention}")' if self.gold_mention else ""
        snippet = _shorten(self.quote, 90)
        return (
            f"{self.path} [{self.start}:{self.end}] {self.kind}: {self.error}\n"
            f"    gold: {gold}{said}\n"
            f"    predicted: {self.predicted or '(none)'}{mention}\n"
            f"    quote: {snippet}"
        )


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class SpeakerReport:
    """Counts and scores of one run over the gold set."""

    articles: int
    gold: int
    predicted: int
    matched: int
    names_right: int
    gold_by_kind: tuple[tuple[str, int], ...] = ()
    matched_by_kind: tuple[tuple[str, int], ...] = ()
    errors: tuple[SpeakerError, ...] = field(default=(), repr=False)
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def name_accuracy(self) -> float:
        """Share of the matched quotes whose speaker name is right."""
        return _ratio(self.names_right, self.matched)

    def error_counts(self) -> dict[str, int]:
        counts = Counter(e.error for e in self.errors)
        return {name: counts[name] for name in ERROR_CLASSES if counts[name]}

    def recall_by_kind(self) -> dict[str, float]:
        matched = dict(self.matched_by_kind)
        return {kind: _ratio(matched.get(kind, 0), total) for kind, total in self.gold_by_kind}

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """Counts and scores as JSON-ready values (and the errors, if asked)."""
        data: dict[str, Any] = {
            "articles": self.articles,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "names_right": self.names_right,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "name_accuracy": round(self.name_accuracy, 4),
            "recall_by_kind": {k: round(v, 4) for k, v in self.recall_by_kind().items()},
            "error_counts": self.error_counts(),
            "seconds": round(self.seconds, 2),
        }
        if errors:
            data["errors"] = [
                {
                    "path": e.path,
                    "start": e.start,
                    "end": e.end,
                    "kind": e.kind,
                    "error": e.error,
                    "gold": list(e.gold),
                    "predicted": e.predicted,
                    "predicted_mention": e.predicted_mention,
                }
                for e in self.errors
            ]
        return data

    def format(self, *, errors: bool = False) -> str:
        """A readable summary; with ``errors``, every wrong name grouped by class."""
        by_kind = ", ".join(
            f"{kind} {value:.3f} ({total})"
            for (kind, total), value in zip(
                self.gold_by_kind, self.recall_by_kind().values(), strict=True
            )
        )
        counts = ", ".join(f"{name} {n}" for name, n in self.error_counts().items()) or "none"
        lines = [
            f"BBC speaker names: {self.articles} articles, {self.gold} gold attributions, "
            f"{self.predicted} predicted quotes ({self.seconds:.1f} s)",
            "",
            f"quotes (coverage > {LENIENT}): P {self.precision:.3f}  R {self.recall:.3f}  "
            f"F1 {self.f1:.3f}",
            f"recall by kind: {by_kind}",
            f"name accuracy (of {self.matched} matched quotes): {self.name_accuracy:.3f} "
            f"({self.names_right} right)",
            f"wrong names by class: {counts}",
        ]
        if errors and self.errors:
            for name in ERROR_CLASSES:
                group = [e for e in self.errors if e.error == name]
                if group:
                    lines += ["", f"== {name} ({len(group)})"]
                    lines += [e.line() for e in group]
        return "\n".join(lines)


def score(
    predictions: Mapping[str, Sequence[Quote]],
    gold: Sequence[GoldQuote],
    *,
    texts: Mapping[str, str] | None = None,
    seconds: float = 0.0,
) -> SpeakerReport:
    """Score predicted quotes (by gold ``path``) against the gold attributions.

    An article missing from ``predictions`` counts as having none; ``texts``
    (by path) only fill the errors' quote and mention text.
    """
    texts = texts or {}
    by_path: dict[str, list[GoldQuote]] = {}
    for item in gold:
        by_path.setdefault(item.path, []).append(item)
    predicted = matched = right = 0
    gold_kinds: Counter[str] = Counter(g.kind for g in gold)
    matched_kinds: Counter[str] = Counter()
    errors: list[SpeakerError] = []
    for path, items in by_path.items():
        quotes = list(predictions.get(path, ()))
        text = texts.get(path, "")
        predicted += len(quotes)
        for i, j in sorted(match(quotes, items), key=lambda pair: items[pair[1]].start):
            quote, item = quotes[i], items[j]
            matched += 1
            matched_kinds[item.kind] += 1
            problem = error_class(quote.speaker, item)
            if problem is None:
                right += 1
                continue
            errors.append(
                SpeakerError(
                    path=path,
                    start=item.start,
                    end=item.end,
                    kind=item.kind,
                    error=problem,
                    gold=item.speakers,
                    predicted=quote.speaker,
                    predicted_mention=quote.speaker_mention.text if quote.speaker_mention else None,
                    gold_mention=text[item.mention[0] : item.mention[1]]
                    if text and item.mention
                    else None,
                    gold_role=item.role,
                    quote=text[item.start : item.end],
                )
            )
    kinds = [k for k in KINDS if gold_kinds[k]] + sorted(set(gold_kinds) - set(KINDS))
    return SpeakerReport(
        articles=len(by_path),
        gold=len(gold),
        predicted=predicted,
        matched=matched,
        names_right=right,
        gold_by_kind=tuple((k, gold_kinds[k]) for k in kinds),
        matched_by_kind=tuple((k, matched_kinds[k]) for k in kinds),
        errors=tuple(errors),
        seconds=seconds,
    )


# --- the corpus ------------------------------------------------------------


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def verify(gold: Iterable[GoldQuote], texts: Mapping[str, str]) -> None:
    """Raise :class:`GoldMismatch` naming the row when a gold span no longer matches."""
    for item in gold:
        text = texts.get(item.path)
        if text is None:
            raise GoldMismatch(f"{item.path}: row not found in the corpus")
        if item.end > len(text) or _sha1(text[item.start : item.end]) != item.sha1:
            raise GoldMismatch(
                f"{item.path}: the text at [{item.start}:{item.end}] no longer matches the gold "
                "(sha1 differs): the corpus or the reader changed; re-anchor this row"
            )
        if item.mention and item.mention[1] > len(text):
            raise GoldMismatch(f"{item.path}: mention {item.mention} lies past the text's end")


def read_documents(gold: Sequence[GoldQuote], corpus_dir: Path) -> dict[str, Document]:
    """The reader's documents for every row the gold names, keyed by gold path."""
    from claimscope import read

    wanted = {g.path for g in gold}
    documents: dict[str, Document] = {}
    for name in sorted({g.file for g in gold}):
        location = Path(corpus_dir) / name
        if not location.is_file():
            raise GoldMismatch(f"{location}: corpus file not found")
        for result in read.read_paths([location]):
            row = result.path.rpartition("#")[2]
            key = f"{name}#{row}"
            if key not in wanted:
                continue
            if isinstance(result, ReadFailure):
                raise GoldMismatch(f"{key}: the reader failed: {result.reason}")
            documents[key] = result
    return documents


def evaluate(
    gold_file: Path, nlp: Language, corpus_dir: Path, *, limit: int | None = None
) -> SpeakerReport:
    """Read the gold rows from the corpus, check them, run the pipeline, score the names."""
    from claimscope.pipeline import analyze

    gold = load_gold(Path(gold_file))
    if limit is not None:
        keep = list(dict.fromkeys(g.path for g in gold))[:limit]
        gold = tuple(g for g in gold if g.path in keep)
    documents = read_documents(gold, Path(corpus_dir))
    texts = {path: document.text for path, document in documents.items()}
    verify(gold, texts)
    started = time.perf_counter()
    predictions: dict[str, Sequence[Quote]] = {}
    paths = list(documents)
    for path, result in zip(paths, analyze(documents.values(), nlp), strict=True):
        if isinstance(result, ReadFailure):
            raise ValueError(f"{path}: {result.reason}")
        predictions[path] = result.quotes
    return score(predictions, gold, texts=texts, seconds=time.perf_counter() - started)
