"""Train the speaker-mention chooser (``claimscope.speaker_ranker``) on PolNeAR train.

Runs the real pipeline over every train article with the chooser switched off,
records what the quote stage hands the chooser for each quote it asks about
(content, cue, kind, the rules' mention: for a continuation quotation, the
inherited one), matches the predicted quotes to the gold
(``polnear.match`` at coverage > 0.3), and turns each matched quote into a
candidate set: a candidate is positive when its mention overlaps the gold
Source, NONE when the gold has no Source. A linear softmax ranker (conditional
logit, L2, the likelihood of the positive candidates) is fitted with L-BFGS in
numpy; the L2 strength and the margin by which the model must beat the rules'
choice are picked by 5-fold cross-validation over articles. Writes
``lib/claimscope/data/speaker_ranker.json`` and prints cross-validated and
held-out (fixed 80/20 article split) accuracy against the rules.

Parses are cached with ``DocBin`` (``--cache``, default /tmp/claimscope-ranker),
so later runs take seconds. Deterministic: fixed seeds, full-batch optimiser.

    PYTHONPATH=lib .venv/bin/python scripts/train_speaker_ranker.py \\
        ../shared/eval-data/polnear/data/train
"""

from __future__ import annotations

import argparse
import pickle
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import DocBin

from claimscope import nlp as nlp_stage
from claimscope import speaker_ranker
from claimscope.pipeline import build_article
from claimscope.polnear import LENIENT, GoldArticle, load_split, match
from claimscope.records import Document

OUT = Path(__file__).resolve().parent.parent / "lib" / "claimscope" / "data" / "MODEL"
SEED = 13
FOLDS = 5
L2_GRID = (1.0, 3.0, 10.0)
MARGIN_GRID = (0.0, 0.25, 0.5, 1.0)
MIN_FEATURE_COUNT = 3  # a feature must fire in this many training quotes


@dataclass(slots=True)
class Example:
    """One matched quote the chooser was asked about: its candidates' features and labels."""

    article: int
    features: list[dict[str, float]]
    labels: list[bool]
    rule: int  # index of the rules' candidate (0 is NONE)
    rule_right: bool  # whether the rules' mention is right (as scored)
    spans: list[tuple[int, int] | None]  # each candidate's mention (for error reports)
    content: tuple[int, int]
    gold_source: tuple[tuple[int, int], ...]
    cue_right: bool  # whether the quote's cue overlaps the gold Cue (for error reports)


# --- data --------------------------------------------------------------------------------


def parsed_docs(split_dir: Path, articles: Sequence[GoldArticle], cache: Path) -> list:
    nlp = nlp_stage.load()
    path = cache / f"{split_dir.name}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(docs) == len(articles) and all(
            d.text == a.text for d, a in zip(docs, articles, strict=True)
        ):
            return docs
    started = time.perf_counter()
    docs = list(nlp_stage.parse_many(nlp, (a.text for a in articles)))
    cache.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(store_user_data=True)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(path)
    print(f"parsed {len(docs)} articles in {time.perf_counter() - started:.0f} s -> {path}")
    return docs


def _overlaps_gold(bounds, source) -> bool:
    return bounds is not None and any(s < bounds[1] and bounds[0] < e for s, e in source)


def examples_of(articles: Sequence[GoldArticle], docs: Sequence) -> tuple[list[Example], Counter]:
    """Candidate sets for every matched quote the chooser is asked about (rules' choice kept)."""
    calls: dict[tuple[int, int], tuple] = {}
    real_choose = speaker_ranker.choose_mention

    def record(ranking, content, cue, rule_mention, *, kind=None, model=None, previous=None):
        calls[content] = (ranking, cue, rule_mention, kind, previous)
        return rule_mention

    speaker_ranker.choose_mention = record
    found: list[Example] = []
    counts: Counter = Counter()
    try:
        for index, (article, doc) in enumerate(zip(articles, docs, strict=True)):
            calls.clear()
            quotes = build_article(Document(path=article.name, text=article.text), doc).quotes
            for i, j in match(quotes, article.attributions, LENIENT):
                quote, gold = quotes[i], article.attributions[j]
                counts["matched"] += 1
                call = calls.get((quote.start, quote.end))
                if call is None:
                    counts["unranked"] += 1
                    mention = quote.speaker_mention
                    bounds = (mention.start, mention.end) if mention else None
                    right = (bounds is None and not gold.source) or _overlaps_gold(
                        bounds, gold.source
                    )
                    counts["unranked_right"] += right
                    continue
                ranking, cue, rule_mention, kind, previous = call
                cands = speaker_ranker.candidates(
                    ranking,
                    (quote.start, quote.end),
                    cue,
                    rule_mention,
                    kind=kind,
                    previous=previous,
                )
                labels = [
                    (c.span is None and not gold.source) or _overlaps_gold(c.span, gold.source)
                    for c in cands
                ]
                rule = next((n for n, c in enumerate(cands) if c.is_rule), -1)
                rule_right = (rule_mention is None and not gold.source) or _overlaps_gold(
                    rule_mention, gold.source
                )
                counts["ranked"] += 1
                counts["ranked_rule_right"] += rule_right
                counts["reachable"] += any(labels)
                found.append(
                    Example(
                        index,
                        [c.features for c in cands],
                        labels,
                        rule,
                        rule_right,
                        [c.span for c in cands],
                        (quote.start, quote.end),
                        gold.source,
                        cue is not None and _overlaps_gold((cue.start, cue.end), gold.cue),
                    )
                )
    finally:
        speaker_ranker.choose_mention = real_choose
    return found, counts


# --- the model ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Matrix:
    """Candidate rows in COO form, grouped by quote."""

    rows: np.ndarray  # entry -> candidate row
    cols: np.ndarray  # entry -> feature
    vals: np.ndarray
    starts: np.ndarray  # quote -> first candidate row
    group: np.ndarray  # candidate row -> quote
    labels: np.ndarray  # candidate row -> 0/1
    n_rows: int


def vocabulary(examples: Sequence[Example]) -> list[str]:
    counts: Counter[str] = Counter()
    for example in examples:
        names = set()
        for features in example.features:
            names.update(features)
        counts.update(names)
    return sorted(name for name, n in counts.items() if n >= MIN_FEATURE_COUNT)


def matrix(examples: Sequence[Example], vocab: dict[str, int]) -> Matrix:
    rows, cols, vals, starts, group, labels = [], [], [], [], [], []
    row = 0
    for q, example in enumerate(examples):
        starts.append(row)
        for features, label in zip(example.features, example.labels, strict=True):
            for name, value in features.items():
                col = vocab.get(name)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
                    vals.append(value)
            group.append(q)
            labels.append(label)
            row += 1
    return Matrix(
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(vals, dtype=np.float64),
        np.array(starts, dtype=np.int64),
        np.array(group, dtype=np.int64),
        np.array(labels, dtype=np.float64),
        row,
    )


def scores(m: Matrix, w: np.ndarray) -> np.ndarray:
    return np.bincount(m.rows, weights=w[m.cols] * m.vals, minlength=m.n_rows)


def loss_and_grad(w: np.ndarray, m: Matrix, l2: float) -> tuple[float, np.ndarray]:
    """Negative log-likelihood of the positive candidates of each quote, plus L2."""
    s = scores(m, w)
    top = np.maximum.reduceat(s, m.starts)
    p = np.exp(s - top[m.group])
    z = np.add.reduceat(p, m.starts)
    # The positives' own log-sum-exp, so that their mass never underflows to zero.
    masked = np.where(m.labels > 0, s, -np.inf)
    top_pos = np.maximum.reduceat(masked, m.starts)
    p_pos = np.where(m.labels > 0, np.exp(masked - top_pos[m.group]), 0.0)
    z_pos = np.add.reduceat(p_pos, m.starts)
    log_z = top + np.log(z)
    log_z_pos = top_pos + np.log(z_pos)
    loss = float(np.sum(log_z - log_z_pos)) + 0.5 * l2 * float(w @ w)
    diff = p / z[m.group] - p_pos / z_pos[m.group]
    grad = np.bincount(m.cols, weights=diff[m.rows] * m.vals, minlength=len(w)) + l2 * w
    return loss, grad


def lbfgs(fun, w: np.ndarray, *, iterations: int = 300, history: int = 10, tol: float = 1e-6):
    """Plain L-BFGS with a backtracking (Armijo) line search."""
    loss, grad = fun(w)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for _ in range(iterations):
        q = grad.copy()
        alphas = []
        for s, y in zip(reversed(s_list), reversed(y_list), strict=True):
            rho = 1.0 / float(y @ s)
            alpha = rho * float(s @ q)
            q -= alpha * y
            alphas.append((rho, alpha))
        if s_list:
            q *= float(s_list[-1] @ y_list[-1]) / float(y_list[-1] @ y_list[-1])
        for (s, y), (rho, alpha) in zip(
            zip(s_list, y_list, strict=True), reversed(alphas), strict=True
        ):
            beta = rho * float(y @ q)
            q += (alpha - beta) * s
        direction = -q
        slope = float(grad @ direction)
        if slope >= 0:
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0
        while True:
            new_w = w + step * direction
            new_loss, new_grad = fun(new_w)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s_vec, y_vec = new_w - w, new_grad - grad
        if float(s_vec @ y_vec) > 1e-12:
            s_list.append(s_vec)
            y_list.append(y_vec)
            if len(s_list) > history:
                s_list.pop(0)
                y_list.pop(0)
        done = abs(loss - new_loss) <= tol * max(1.0, abs(loss))
        w, loss, grad = new_w, new_loss, new_grad
        if done:
            break
    return w


def fit(examples: Sequence[Example], l2: float) -> dict[str, float]:
    trainable = [e for e in examples if any(e.labels)]
    vocab_list = vocabulary(trainable)
    vocab = {name: n for n, name in enumerate(vocab_list)}
    m = matrix(trainable, vocab)
    w = lbfgs(lambda v: loss_and_grad(v, m, l2), np.zeros(len(vocab_list)))
    return {name: float(w[n]) for n, name in enumerate(vocab_list) if abs(w[n]) > 1e-6}


def decide(example: Example, weights: dict[str, float], margin: float) -> bool:
    """Whether the chooser's answer for this quote is right (the rules' unless beaten)."""
    values = [sum(weights.get(k, 0.0) * v for k, v in f.items()) for f in example.features]
    best = max(range(len(values)), key=lambda n: (values[n], -n))
    if example.rule < 0 or best == example.rule or values[best] - values[example.rule] < margin:
        return example.rule_right
    return example.labels[best]


def accuracy(examples: Sequence[Example], weights: dict[str, float], margin: float) -> float:
    return sum(decide(e, weights, margin) for e in examples) / max(1, len(examples))


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split_dir", type=Path, help=".../polnear/data/train")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/claimscope-ranker"))
    parser.add_argument("--out", type=Path, default=OUT.with_name(speaker_ranker.MODEL_FILE))
    parser.add_argument("--l2", type=float, default=None, help="skip the search: this L2")
    parser.add_argument("--margin", type=float, default=None, help="skip the search: this margin")
    args = parser.parse_args()

    articles = load_split(args.split_dir)
    docs = parsed_docs(args.split_dir, articles, args.cache)
    started = time.perf_counter()
    examples, counts = examples_of(articles, docs)
    with (args.cache / f"{args.split_dir.name}.examples.pkl").open("wb") as handle:
        pickle.dump((examples, counts), handle)
    ranked = counts["ranked"]
    print(
        f"{counts['matched']} matched quotes, {ranked} of them put to the chooser (the rules "
        f"right on {counts['ranked_rule_right'] / ranked:.3f}, a right candidate exists for "
        f"{counts['reachable'] / ranked:.3f}), {counts['unranked']} not "
        f"[{time.perf_counter() - started:.0f} s]"
    )

    order = list(range(len(articles)))
    random.Random(SEED).shuffle(order)
    fold_of = {article: n % FOLDS for n, article in enumerate(order)}
    l2_grid = (args.l2,) if args.l2 is not None else L2_GRID
    margin_grid = (args.margin,) if args.margin is not None else MARGIN_GRID
    results: dict[tuple[float, float], list[int]] = {}
    rule_right = sum(e.rule_right for e in examples)
    for l2 in l2_grid:
        for fold in range(FOLDS):
            train = [e for e in examples if fold_of[e.article] != fold]
            held = [e for e in examples if fold_of[e.article] == fold]
            weights = fit(train, l2)
            for margin in margin_grid:
                right = sum(decide(e, weights, margin) for e in held)
                results.setdefault((l2, margin), []).append(right)
        line = "  ".join(
            f"m={margin}: {sum(results[(l2, margin)]) / len(examples):.4f}"
            for margin in margin_grid
        )
        print(f"CV l2={l2}: {line}")
    (l2, margin), best = max(results.items(), key=lambda kv: (sum(kv[1]), -kv[0][1], -kv[0][0]))
    unranked_right = counts["unranked_right"]
    print(
        f"cross-validated speaker accuracy over all {counts['matched']} matches: rules "
        f"{(rule_right + unranked_right) / counts['matched']:.4f}, chooser "
        f"{(sum(best) + unranked_right) / counts['matched']:.4f} (l2={l2}, margin={margin})"
    )

    # A fixed 80/20 article split: accuracy on the part trained on and on the held-out part.
    held_articles = {a for a in order[: len(order) // 5]}
    train = [e for e in examples if e.article not in held_articles]
    held = [e for e in examples if e.article in held_articles]
    weights = fit(train, l2)
    print(
        f"80/20 split: train {accuracy(train, weights, margin):.4f} "
        f"(rules {sum(e.rule_right for e in train) / len(train):.4f}), held-out "
        f"{accuracy(held, weights, margin):.4f} (rules {sum(e.rule_right for e in held) / len(held):.4f})"
    )

    weights = fit(examples, l2)
    model = speaker_ranker.Model(
        weights,
        margin,
        {
            "trained_on": f"PolNeAR {args.split_dir.name} ({len(articles)} articles, "
            f"{len(examples)} matched quotes)",
            "l2": l2,
            "cv_accuracy": round(sum(best) / len(examples), 4),
            "cv_rule_accuracy": round(rule_right / len(examples), 4),
            "script": "scripts/train_speaker_ranker.py",
        },
    )
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights, {args.out.stat().st_size // 1024} KB)")
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:40]
    for name, value in top:
        print(f"  {value:+.3f}  {name}")


if __name__ == "__main__":
    main()
