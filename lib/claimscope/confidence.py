"""How sure Claimscope is of a quote: the probability that it is an attribution whose
source is the speaker mention given.

Some quotes the rules find are not claims at all ("comments aimed at creating
hostile feelings") or come with the wrong source; an analyst reading "who
claims what" is better served without them. A logistic model scores each
quote from what the quote stage knows of it: the rule that found it, its kind,
its cue word (part of speech, relation, precision in the cue table), where the
cue sits, the speaker mention's part of speech and entity label, whether a name
was resolved, the learned chooser's probabilities (:class:`speaker_ranker.Choice`),
its length and quotation marks. ``scripts/train_quote_confidence.py`` fits it on
PolNeAR train and picks, by cross-validation over articles, the threshold below
which a quote is dropped (the one that maximises end-to-end F1: a quote counts
when it is found and its source is right). Weights and threshold ship as
``data/quote_confidence.json``; without that file every quote is kept.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the chooser imports the speaker path, which imports this module
    from claimscope.speaker_ranker import Choice

MODEL_FILE = "quote_confidence.json"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class QuoteFacts:
    """What the quote stage knows of one quote, for its confidence."""

    rule: str
    kind: str
    cue_lemma: str | None
    cue_pos: str | None
    cue_dep: str | None
    cue_precision: float | None  # share of the cue word's uses that are cues (cue table)
    cue_side: str | None  # "before", "after" or "inside" the content; None without a cue
    mention_pos: str | None
    mention_tag: str | None
    mention_label: str | None
    named: bool  # a speaker name was resolved
    speaker_type: str | None
    words: int
    marks: int  # quotation marks in the content
    sourceless: bool  # the rule found no source on purpose
    choice: Choice | None  # the chooser's answer (None: not ranked)


def _bucket(value: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _tenths(value: float | None, edges: tuple[int, ...]) -> str:
    return "none" if value is None else _bucket(int(value * 10), edges)


def features(facts: QuoteFacts) -> dict[str, float]:
    """The model's named inputs for one quote (indicator features and a few values)."""
    f: dict[str, float] = {"bias": 1.0}
    rule, kind, precision = facts.rule, facts.kind, facts.cue_precision
    coarse = _tenths(precision, (0, 1, 2, 4, 6, 8))
    f[f"rule={rule}"] = 1.0
    f[f"kind={kind}"] = 1.0
    f[f"rule={rule}|kind={kind}"] = 1.0
    f[f"rule={rule}|prec={coarse}"] = 1.0
    f[f"cue={facts.cue_lemma}"] = 1.0
    f[f"cue={facts.cue_lemma}|kind={kind}"] = 1.0
    f[f"cue_pos={facts.cue_pos}"] = 1.0
    f[f"cue_dep={facts.cue_dep}"] = 1.0
    f[f"prec={_tenths(None if precision is None else precision / 2, (0, 1, 2, 3, 4, 6, 8))}"] = 1.0
    f[f"prec={coarse}|kind={kind}"] = 1.0
    f["prec"] = 0.0 if precision is None else precision
    f[f"side={facts.cue_side}"] = 1.0
    f[f"mpos={facts.mention_pos}"] = 1.0
    f[f"mtag={facts.mention_tag}"] = 1.0
    f[f"ment={facts.mention_label}"] = 1.0
    f[f"mpos={facts.mention_pos}|kind={kind}"] = 1.0
    f[f"named={facts.named}"] = 1.0
    f[f"named={facts.named}|mpos={facts.mention_pos}"] = 1.0
    f[f"stype={facts.speaker_type}"] = 1.0
    f[f"words={_bucket(facts.words, (1, 2, 3, 5, 8, 13, 21, 34, 55))}"] = 1.0
    f[f"words={_bucket(facts.words, (2, 5, 13, 34))}|kind={kind}"] = 1.0
    f[f"marks={min(facts.marks, 4)}"] = 1.0
    f[f"sourceless={facts.sourceless}"] = 1.0
    choice = facts.choice
    if choice is None or choice.top is None:
        f["unranked"] = 1.0
        return f
    chosen = choice.probability or 0.0
    f[f"ptop={_tenths(choice.top, (3, 5, 6, 7, 8, 9))}"] = 1.0
    f[f"pch={_tenths(chosen, (1, 3, 5, 6, 7, 8, 9))}"] = 1.0
    f[f"pch={_tenths(chosen, (3, 6, 8, 9))}|mpos={facts.mention_pos}"] = 1.0
    f[f"pch={_tenths(chosen, (3, 6, 8, 9))}|rule={rule}"] = 1.0
    f[f"pnone={_tenths(choice.none, (0, 1, 3, 5, 7, 9))}"] = 1.0
    f[f"overrode={choice.overrode}"] = 1.0
    f["p_chosen"] = chosen
    f["p_top"] = choice.top
    return f


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """Logistic weights over :func:`features` and the threshold quotes must reach."""

    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any]

    def probability(self, facts: QuoteFacts) -> float:
        weights = self.weights
        z = sum(weights.get(name, 0.0) * value for name, value in features(facts).items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> str:
        data = {
            "format": FORMAT_VERSION,
            "threshold": self.threshold,
            "meta": self.meta,
            "weights": {
                name: rounded
                for name, value in sorted(self.weights.items())
                if (rounded := round(value, 5))
            },
        }
        return json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ConfidenceModel:
        data = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"quote confidence model format {data.get('format')!r} is not supported"
            )
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
            dict(data.get("meta", {})),
        )


@lru_cache(maxsize=1)
def load_model() -> ConfidenceModel | None:
    """The shipped model, or None when the data file is absent (every quote is kept)."""
    source = resources.files("claimscope") / "data" / MODEL_FILE
    if not source.is_file():
        return None
    return ConfidenceModel.from_json(source.read_text(encoding="utf-8"))
