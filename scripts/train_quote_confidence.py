"""Train the quote-confidence model (``claimscope.confidence``) on PolNeAR train.

Runs the real quote rules and speaker path (with the shipped chooser) over every
train article, keeps every quote with the facts its confidence reads, and labels
a quote right when it matches a gold attribution (``polnear.match`` at coverage
> 0.3) and its speaker mention is the gold Source (``polnear.speaker_right``).
A logistic model (L2, L-BFGS in numpy) is fitted by 5-fold cross-validation
over articles; the L2 strength and the threshold below which quotes are
dropped are the pair whose out-of-fold predictions give the best end-to-end F1
on train (a quote counts when it is found and its source is right). Direct
quotes are never dropped (``speakers.attribute``), so the scores keep them. Prints, for
every pair, what keeping only the quotes above the threshold does to the
counts, F1@0.3, speaker accuracy and end-to-end F1, then writes
``lib/claimscope/data/quote_confidence.json``. Retrain it after changing the
quote rules or the chooser; from the repository root:

    PYTHONPATH=lib .venv/bin/python scripts/train_quote_confidence.py \\
        ../shared/eval-data/polnear/data/train --cache /tmp/claimscope-ranker

(parses are cached with ``DocBin`` as for ``train_speaker_ranker.py``; about a
minute with the cache).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
from train_speaker_ranker import FOLDS, SEED, lbfgs, parsed_docs

from claimscope import confidence, entities, quotes, speakers
from claimscope.polnear import LENIENT, load_split, match, speaker_right

OUT = Path(__file__).resolve().parent.parent / "lib" / "claimscope" / "data" / confidence.MODEL_FILE
L2_GRID = (1.0, 10.0, 30.0)
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
MIN_FEATURE_COUNT = 5


def examples(articles, docs) -> list[tuple[int, dict[str, float], bool, bool, bool]]:
    """(article index, features, matched, right, direct) for every quote the pipeline finds."""
    found = []
    for index, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        view = entities.build_view(doc)
        pairs = speakers.attribute_facts(view, quotes.found_quotes(view))
        predicted = [quote for quote, _ in pairs]
        gold_of = dict(match(predicted, article.attributions, LENIENT))
        for n, (quote, facts) in enumerate(pairs):
            gold = article.attributions[gold_of[n]] if n in gold_of else None
            right = gold is not None and speaker_right(quote, gold)
            found.append(
                (index, confidence.features(facts), gold is not None, right, quote.kind == "direct")
            )
    return found


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Logistic regression weights (the first column, the bias, is not penalised)."""

    def loss_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = np.clip(x @ w, -40, 40)
        p = 1.0 / (1.0 + np.exp(-z))
        loss = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * np.sum(w[1:] ** 2))
        grad = x.T @ (p - y)
        grad[1:] += l2 * w[1:]
        return loss, grad

    return lbfgs(loss_and_grad, np.zeros(x.shape[1]))


def scores(kept: np.ndarray, matched: np.ndarray, right: np.ndarray, gold: int) -> dict:
    predicted = int(kept.sum())
    hits = int(matched[kept].sum())
    good = int(right[kept].sum())
    return {
        "quotes": predicted,
        "matched": hits,
        "right": good,
        "f1": 2 * hits / (predicted + gold),
        "speaker_accuracy": good / max(1, hits),
        "e2e_f1": 2 * good / (predicted + gold),
    }


def line(name: str, s: dict) -> str:
    return (
        f"{name}: {s['quotes']} quotes, {s['matched']} matched, {s['right']} right; F1@0.3 "
        f"{s['f1']:.4f}, speaker accuracy {s['speaker_accuracy']:.4f}, e2e F1 {s['e2e_f1']:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split_dir", type=Path, help=".../polnear/data/train")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/claimscope-ranker"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    articles = load_split(args.split_dir)
    docs = parsed_docs(args.split_dir, articles, args.cache)
    started = time.perf_counter()
    found = examples(articles, docs)
    gold = sum(len(a.attributions) for a in articles)
    counts = Counter(name for _, features, *_ in found for name in features)
    vocab = sorted(name for name, n in counts.items() if n >= MIN_FEATURE_COUNT)
    vocab.remove("bias")
    vocab.insert(0, "bias")
    column = {name: n for n, name in enumerate(vocab)}
    x = np.zeros((len(found), len(vocab)))
    for row, (_, features, *_) in enumerate(found):
        for name, value in features.items():
            if name in column:
                x[row, column[name]] = value
    matched = np.array([m for _, _, m, _, _ in found])
    right = np.array([r for _, _, _, r, _ in found])
    direct = np.array([d for *_, d in found])  # always kept (claimscope.speakers.attribute)
    y = right.astype(float)
    every = np.ones(len(found), dtype=bool)
    print(
        f"{len(found)} quotes from {len(articles)} articles [{time.perf_counter() - started:.0f} s]"
    )
    print(line("all kept", scores(every, matched, right, gold)))

    order = list(range(len(articles)))
    random.Random(SEED).shuffle(order)
    fold_of = {article: n % FOLDS for n, article in enumerate(order)}
    folds = np.array([fold_of[a] for a, *_ in found])
    best = None
    for l2 in L2_GRID:
        held_out = np.zeros(len(found))
        for fold in range(FOLDS):
            w = fit(x[folds != fold], y[folds != fold], l2)
            held_out[folds == fold] = 1.0 / (1.0 + np.exp(-np.clip(x[folds == fold] @ w, -40, 40)))
        for threshold in THRESHOLDS:
            s = scores((held_out >= threshold) | direct, matched, right, gold)
            print(line(f"CV l2={l2} threshold={threshold}", s))
            if best is None or s["e2e_f1"] > best[0]["e2e_f1"]:
                best = (s, l2, threshold)
    assert best is not None
    s, l2, threshold = best
    print(line(f"chosen l2={l2} threshold={threshold}", s))
    w = fit(x, y, l2)
    model = confidence.ConfidenceModel(
        {name: float(w[n]) for n, name in enumerate(vocab) if abs(w[n]) > 1e-6},
        threshold,
        {
            "trained_on": f"PolNeAR {args.split_dir.name} ({len(articles)} articles, "
            f"{len(found)} quotes)",
            "l2": l2,
            "cv": {k: round(v, 4) for k, v in s.items()},
            "cv_all_kept": {k: round(v, 4) for k, v in scores(every, matched, right, gold).items()},
            "script": "scripts/train_quote_confidence.py",
        },
    )
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out} ({len(model.weights)} weights)")


if __name__ == "__main__":
    main()
