"""NewsMTSC (Hamborg and Donnay, EACL 2021): its loader, a fixed split of train, its scorer.

One line of the data holds a sentence and one or more target mentions, each with
the sentiment the sentence expresses toward it (2.0 negative, 4.0 neutral, 6.0
positive). The official test sets are held out; we tune on a split of train made
by a hash of each line's ``primary_gid``, so that every target of a sentence
falls on the same side and the split never changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimscope.records import POLARITIES, Polarity

_GOLD_POLARITY: dict[float, Polarity] = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}

HELD_ASIDE_PERCENT = 15
"""Share of train's sentences held aside to tune and score on (by a hash of primary_gid)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One target mention of a sentence and its gold polarity (None when unlabelled)."""

    gid: str
    primary_gid: str
    sentence: str
    start: int
    end: int
    mention: str
    polarity: Polarity | None


def parse_line(line: str) -> list[Target]:
    """The targets of one NewsMTSC JSON line; a ValueError says what is missing."""
    try:
        obj = json.loads(line)
        sentence = obj["sentence_normalized"]
        primary = str(obj.get("primary_gid", ""))
        raw_targets = obj["targets"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(
            f"not a NewsMTSC line (needs sentence_normalized and targets): {exc}"
        ) from exc
    targets = []
    for raw in raw_targets:
        start, end = int(raw["from"]), int(raw["to"])
        if not 0 <= start < end <= len(sentence):
            raise ValueError(f"target {raw.get('Input.gid')!r}: offsets {start}:{end} out of range")
        gold = raw.get("polarity")
        targets.append(
            Target(
                gid=str(raw["Input.gid"]),
                primary_gid=primary,
                sentence=sentence,
                start=start,
                end=end,
                mention=sentence[start:end],
                polarity=_GOLD_POLARITY[float(gold)] if gold is not None else None,
            )
        )
    return targets


def load(path: Path) -> list[Target]:
    """Every target of a NewsMTSC JSON Lines file, in file order."""
    targets: list[Target] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                targets.extend(parse_line(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from exc
    return targets


def is_held_aside(primary_gid: str, *, percent: int = HELD_ASIDE_PERCENT) -> bool:
    """True for the sentences of train held aside for tuning (a stable hash, no seed)."""
    digest = hashlib.sha256(primary_gid.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def split(targets: Iterable[Target]) -> tuple[list[Target], list[Target]]:
    """(fit, held_aside): train's targets split by :func:`is_held_aside` of their sentence."""
    fit: list[Target] = []
    held: list[Target] = []
    for target in targets:
        (held if is_held_aside(target.primary_gid) else fit).append(target)
    return fit, held


@dataclass(frozen=True, slots=True)
class Scores:
    n: int
    macro_f1: float
    accuracy: float
    f1: dict[str, float]
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count


def score(gold: Sequence[Polarity], predicted: Sequence[Polarity]) -> Scores:
    """Macro F1 over the three classes (F1m, as the paper) and accuracy."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    confusion = {g: dict.fromkeys(POLARITIES, 0) for g in POLARITIES}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    f1: dict[str, float] = {}
    for label in POLARITIES:
        tp = confusion[label][label]
        fp = sum(confusion[g][label] for g in POLARITIES if g != label)
        fn = sum(confusion[label][p] for p in POLARITIES if p != label)
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    n = len(gold)
    correct = sum(confusion[label][label] for label in POLARITIES)
    return Scores(
        n=n,
        macro_f1=sum(f1.values()) / len(POLARITIES),
        accuracy=correct / n if n else 0.0,
        f1=f1,
        confusion=confusion,
    )


def labelled(targets: Iterable[Target]) -> Iterator[Target]:
    """The targets that carry a gold polarity."""
    return (t for t in targets if t.polarity is not None)
