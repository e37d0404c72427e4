"""PolNeAR: load the gold attributions and score predicted quotes against them.

The protocol is the one the project reports (``eval-data/README.md``): each
predicted quote is matched to at most one gold Content, greedily by coverage
(gold characters covered by the prediction / gold characters); a match needs
coverage > 0.3 (lenient) and, reported separately, > 0.8 (strict). The speaker
is right when the predicted speaker mention overlaps the gold Source by at
least one character, or when both are absent.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from claimscope.records import Document, Quote, ReadFailure

LENIENT = 0.3
STRICT = 0.8

Fragments = tuple[tuple[int, int], ...]

# ``''`` stands for a double quote in the NYT's archive text.
_QUOTE_MARKS = re.compile(r"[\"“”«»„]|''")
_PRONOUNS = frozenset(
    "i me my we us our you your he him his she her it its they them their "
    "this that these those who which one someone somebody".split()
)


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One gold attribution: Content fragments, and Source and Cue when annotated."""

    content: Fragments
    content_text: str
    source: Fragments = ()
    source_text: str = ""
    cue: Fragments = ()

    @property
    def direct(self) -> bool:
        """Direct when the content carries quotation marks (the README's definition)."""
        return bool(_QUOTE_MARKS.search(self.content_text))

    @property
    def pronoun_source(self) -> bool:
        return self.source_text.strip().lower() in _PRONOUNS


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def _fragments(spec: str) -> Fragments:
    """``"10 20;25 30"`` -> ``((10, 20), (25, 30))``."""
    pairs = []
    for part in spec.split(";"):
        start, end = part.split()
        pairs.append((int(start), int(end)))
    return tuple(pairs)


def parse_ann(ann: str, text: str) -> tuple[GoldAttribution, ...]:
    """Parse one brat stand-off file into attributions (those with a Content)."""
    spans: dict[str, tuple[str, Fragments]] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if line.startswith("T"):
            label, _, spec = parts[1].partition(" ")
            if label in ("Source", "Cue", "Content") and spec:
                try:
                    spans[parts[0]] = (label, _fragments(spec))
                except ValueError:
                    continue
        elif line.startswith("E"):
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            relations.append(roles)

    def joined(frags: Fragments) -> str:
        return " ".join(text[s:e] for s, e in frags)

    found = []
    for roles in relations:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        source = spans.get(roles.get("Source", ""))
        cue = spans.get(roles.get("Cue", ""))
        found.append(
            GoldAttribution(
                content=content[1],
                content_text=joined(content[1]),
                source=source[1] if source else (),
                source_text=joined(source[1]) if source else "",
                cue=cue[1] if cue else (),
            )
        )
    found.sort(key=lambda a: a.content[0])
    return tuple(found)


def _first_annotators(metadata: Path) -> dict[str, str]:
    with metadata.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["filename"]: row["annotators"].split("|")[0] for row in rows}


def load_split(split_dir: Path) -> list[GoldArticle]:
    """Load every article of a split (``.../data/dev``), with the first annotator's gold.

    ``metadata.tsv`` (in ``split_dir.parent``) names the annotators; an article
    without an attribution file is skipped.
    """
    split_dir = Path(split_dir)
    annotators = _first_annotators(split_dir.parent / "metadata.tsv")
    articles = []
    for path in sorted((split_dir / "text").glob("*.txt")):
        name = path.stem
        annotator = annotators.get(name)
        ann_path = split_dir / "attributions" / f"{name}_{annotator}.ann"
        if annotator is None or not ann_path.exists():
            candidates = sorted((split_dir / "attributions").glob(f"{name}_*.ann"))
            if not candidates:
                continue
            ann_path = candidates[0]
        text = _read_exact(path)
        ann = _read_exact(ann_path)
        articles.append(GoldArticle(name, text, parse_ann(ann, text)))
    return articles


def _read_exact(path: Path) -> str:
    """The file's text with line endings untouched (brat offsets count every character)."""
    return path.read_bytes().decode("utf-8")


# --- scoring ---------------------------------------------------------------


def _covered(frags: Fragments, start: int, end: int) -> int:
    return sum(max(0, min(e, end) - max(s, start)) for s, e in frags)


def coverage(quote: Quote, gold: GoldAttribution) -> float:
    """Share of the gold content's characters that the predicted span covers."""
    total = sum(e - s for s, e in gold.content)
    return _covered(gold.content, quote.start, quote.end) / total if total else 0.0


def speaker_right(quote: Quote, gold: GoldAttribution) -> bool:
    """The predicted mention overlaps the gold Source by >= 1 char, or both are absent."""
    mention = quote.speaker_mention
    if mention is None or not gold.source:
        return mention is None and not gold.source
    return _covered(gold.source, mention.start, mention.end) > 0


def match(
    predictions: Sequence[Quote], gold: Sequence[GoldAttribution], threshold: float
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by coverage: the best-covering pairs first.

    Returns ``(prediction index, gold index)`` pairs with coverage > threshold.
    """
    pairs = []
    for i, quote in enumerate(predictions):
        for j, attribution in enumerate(gold):
            if attribution.content[-1][1] <= quote.start or quote.end <= attribution.content[0][0]:
                continue
            value = coverage(quote, attribution)
            if value > threshold:
                pairs.append((value, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i in used_pred or j in used_gold:
            continue
        used_pred.add(i)
        used_gold.add(j)
        matched.append((i, j))
    return matched


def _prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Counts and scores of one evaluation run (lenient 0.3, strict 0.8, end to end)."""

    articles: int
    gold: int
    predicted: int
    matched: int  # at coverage > 0.3
    matched_strict: int  # at coverage > 0.8
    speaker_right: int  # among the lenient matches
    gold_direct: int
    matched_direct: int
    gold_indirect: int
    matched_indirect: int
    gold_pronoun: int
    matched_pronoun: int
    seconds: float = 0.0
    per_article: tuple[tuple[str, int, int, int], ...] = field(default=(), repr=False)

    @property
    def precision(self) -> float:
        return _prf(self.matched, self.predicted, self.gold)[0]

    @property
    def recall(self) -> float:
        return _prf(self.matched, self.predicted, self.gold)[1]

    @property
    def f1(self) -> float:
        return _prf(self.matched, self.predicted, self.gold)[2]

    @property
    def precision_strict(self) -> float:
        return _prf(self.matched_strict, self.predicted, self.gold)[0]

    @property
    def recall_strict(self) -> float:
        return _prf(self.matched_strict, self.predicted, self.gold)[1]

    @property
    def f1_strict(self) -> float:
        return _prf(self.matched_strict, self.predicted, self.gold)[2]

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.matched if self.matched else 0.0

    @property
    def e2e_precision(self) -> float:
        return _prf(self.speaker_right, self.predicted, self.gold)[0]

    @property
    def e2e_recall(self) -> float:
        return _prf(self.speaker_right, self.predicted, self.gold)[1]

    @property
    def e2e_f1(self) -> float:
        return _prf(self.speaker_right, self.predicted, self.gold)[2]

    @property
    def recall_direct(self) -> float:
        return self.matched_direct / self.gold_direct if self.gold_direct else 0.0

    @property
    def recall_indirect(self) -> float:
        return self.matched_indirect / self.gold_indirect if self.gold_indirect else 0.0

    @property
    def recall_pronoun(self) -> float:
        return self.matched_pronoun / self.gold_pronoun if self.gold_pronoun else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Counts and every derived score, as plain JSON-ready values."""
        data = asdict(self)
        data.pop("per_article")
        for name in (
            "precision recall f1 precision_strict recall_strict f1_strict speaker_accuracy "
            "e2e_precision e2e_recall e2e_f1 recall_direct recall_indirect recall_pronoun"
        ).split():
            data[name] = round(getattr(self, name), 4)
        return data

    def format(self) -> str:
        """A readable table of the protocol's figures."""
        rows = [
            ("lenient (coverage > 0.3)", self.precision, self.recall, self.f1),
            ("strict (coverage > 0.8)", self.precision_strict, self.recall_strict, self.f1_strict),
            ("end to end (speaker right)", self.e2e_precision, self.e2e_recall, self.e2e_f1),
        ]
        lines = [
            f"PolNeAR: {self.articles} articles, {self.gold} gold attributions, "
            f"{self.predicted} predicted quotes ({self.seconds:.1f} s)",
            "",
            f"{'':28} {'P':>6} {'R':>6} {'F1':>6}",
        ]
        lines += [f"{name:28} {p:6.3f} {r:6.3f} {f:6.3f}" for name, p, r, f in rows]
        lines += [
            "",
            f"speaker accuracy (of {self.matched} matches): {self.speaker_accuracy:.3f}",
            f"recall, direct   ({self.gold_direct:>5} gold): {self.recall_direct:.3f}",
            f"recall, indirect ({self.gold_indirect:>5} gold): {self.recall_indirect:.3f}",
            f"recall, pronoun source ({self.gold_pronoun:>5} gold): {self.recall_pronoun:.3f}",
        ]
        return "\n".join(lines)


def score(
    predictions: dict[str, Sequence[Quote]],
    gold: Sequence[GoldArticle],
    *,
    seconds: float = 0.0,
) -> EvalReport:
    """Score predicted quotes (by article name) against gold articles.

    An article missing from ``predictions`` counts as having no predictions.
    """
    counts = dict.fromkeys(
        "gold predicted matched matched_strict speaker_right gold_direct matched_direct "
        "gold_indirect matched_indirect gold_pronoun matched_pronoun".split(),
        0,
    )
    per_article = []
    for article in gold:
        quotes = list(predictions.get(article.name, ()))
        attributions = article.attributions
        lenient = match(quotes, attributions, LENIENT)
        strict = match(quotes, attributions, STRICT)
        right = sum(speaker_right(quotes[i], attributions[j]) for i, j in lenient)
        matched_gold = {j for _, j in lenient}
        counts["gold"] += len(attributions)
        counts["predicted"] += len(quotes)
        counts["matched"] += len(lenient)
        counts["matched_strict"] += len(strict)
        counts["speaker_right"] += right
        for j, attribution in enumerate(attributions):
            kind = "direct" if attribution.direct else "indirect"
            counts[f"gold_{kind}"] += 1
            counts[f"matched_{kind}"] += j in matched_gold
            if attribution.pronoun_source:
                counts["gold_pronoun"] += 1
                counts["matched_pronoun"] += j in matched_gold
        per_article.append((article.name, len(attributions), len(quotes), len(lenient)))
    return EvalReport(articles=len(gold), seconds=seconds, per_article=tuple(per_article), **counts)


def evaluate(split_dir: Path, nlp: Language, *, limit: int | None = None) -> EvalReport:
    """Run the full pipeline on each article's raw text and score it against the gold."""
    from claimscope.pipeline import analyze  # the pipeline imports the quote stage

    gold = load_split(Path(split_dir))
    if limit is not None:
        gold = gold[:limit]
    started = time.perf_counter()
    documents = [Document(path=a.name, text=a.text) for a in gold]
    predictions: dict[str, Sequence[Quote]] = {}
    for result in analyze(documents, nlp):
        if isinstance(result, ReadFailure):
            raise ValueError(f"{result.path}: {result.reason}")
        predictions[result.path] = result.quotes
    return score(predictions, gold, seconds=time.perf_counter() - started)
