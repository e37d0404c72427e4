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

With ``--trees`` it also cross-validates gradient-boosted trees
(scikit-learn's ``HistGradientBoostingClassifier``, the ``train`` extra)
stacked on out-of-fold linear scores over the linear model's best six
candidates of each quote, on the same folds, and ships them (exported as plain
arrays, :class:`claimscope.speaker_ranker.Trees`) only when they beat the
linear model by ``TREE_MIN_GAIN``; so far they do not (README, Quality).

Parses are cached with ``DocBin`` (``--cache``, default /tmp/claimscope-ranker),
so later runs take about a minute for the examples and four for the search (ten
more with ``--trees``). Deterministic: fixed seeds, full-batch optimiser. The
shipped model is the one the search picks (L2 3, margin 0 on the current
features and rules: CV 0.9152 over 14,258 train matches); rebuild it, from the repository root, with

    PYTHONPATH=lib .venv/bin/python scripts/train_speaker_ranker.py \\
        ../shared/eval-data/polnear/data/train --cache /tmp/claimscope-ranker

(``--cache`` holds the parses and the examples; give another folder to keep a
shared one untouched). Pass ``--l2``/``--margin`` only to skip the search.
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
# Trees stacked on the linear scores (--trees). Settings tried by 5-fold CV on train
# (ranked quotes, L2 3): depth 4, 200 rounds at 0.1, leaves >= 20, best 6 candidates,
# features in >= 500 quotes: 0.9097 at margin 0.5 against the linear 0.9089 at 0.25;
# depth 6, 300 rounds at 0.05, leaves >= 40, best 3, features in >= 200 quotes: 0.9096.
TREE_PARAMS = {
    "max_depth": 4,
    "max_iter": 200,
    "learning_rate": 0.1,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}
TREE_TOP = 6
TREE_MIN_COUNT = 500  # a tree feature must fire in this many training quotes
TREE_MARGIN_GRID = (0.0, 0.25, 0.5, 1.0)
# The trees ship only when their CV accuracy beats the linear model's by this much
# (about 28 of PolNeAR train's 14,161 ranked quotes): less is noise for their CPU cost.
TREE_MIN_GAIN = 0.002


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
    real_choose = speaker_ranker.choose

    def record(ranking, content, cue, rule_mention, *, kind=None, model=None, previous=None):
        calls[content] = (ranking, cue, rule_mention, kind, previous)
        return speaker_ranker.Choice(rule_mention)

    speaker_ranker.choose = record
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
        speaker_ranker.choose = real_choose
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


# --- the trees stacked on the linear model -----------------------------------------------------


def out_of_fold_scores(
    examples: Sequence[Example], fold_of: dict[int, int], l2: float
) -> list[np.ndarray]:
    """Each quote's linear candidate scores from a model fitted without its fold's articles:
    the trees learn on scores like those the shipped linear model gives unseen text."""
    found: list[np.ndarray | None] = [None] * len(examples)
    for fold in range(FOLDS):
        weights = fit([e for e in examples if fold_of[e.article] != fold], l2)
        for n, example in enumerate(examples):
            if fold_of[example.article] == fold:
                found[n] = linear_scores(example, weights)
    return found  # type: ignore[return-value]


def linear_scores(example: Example, weights: dict[str, float]) -> np.ndarray:
    return np.array([sum(weights.get(k, 0.0) * v for k, v in f.items()) for f in example.features])


def tree_columns(examples: Sequence[Example], min_count: int) -> tuple[str, ...]:
    """The stacked linear facts, then every feature that fires in ``min_count`` quotes."""
    counts: Counter[str] = Counter()
    for example in examples:
        names: set[str] = set()
        for features in example.features:
            names.update(features)
        counts.update(names)
    frequent = sorted(name for name, n in counts.items() if n >= min_count)
    return speaker_ranker.STACKED + tuple(frequent)


@dataclass(slots=True)
class TreeData:
    """Every candidate of every quote as one row of the trees' input."""

    x: np.ndarray
    y: np.ndarray
    quote: np.ndarray  # row -> quote index
    starts: np.ndarray  # quote -> first row (and the end after the last)


def tree_data(
    examples: Sequence[Example], linear: Sequence[np.ndarray], columns: tuple[str, ...]
) -> TreeData:
    shape = speaker_ranker.Trees(columns, *_empty_trees())
    blocks = [
        shape.matrix(e.features, scores, e.rule) for e, scores in zip(examples, linear, strict=True)
    ]
    sizes = [len(e.labels) for e in examples]
    return TreeData(
        np.vstack(blocks).astype(np.float32),
        np.concatenate([np.asarray(e.labels, dtype=np.int8) for e in examples]),
        np.repeat(np.arange(len(examples)), sizes),
        np.concatenate([[0], np.cumsum(sizes)]),
    )


def _empty_trees() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    return np.zeros((0, 1), dtype=np.int64), np.zeros((0, 1)), np.zeros((0, 2)), 0.0


def fit_trees(
    data: TreeData, quotes: np.ndarray, columns: tuple[str, ...], params: dict[str, float]
) -> speaker_ranker.Trees:
    """Gradient-boosted trees (log-loss on each candidate's label) on the candidates of
    ``quotes`` (a mask over quotes, each with a right candidate) among the linear model's
    best ``TREE_TOP``, exported as complete trees over the columns they use."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # training only

    rows = quotes[data.quote] & (data.x[:, 3] < TREE_TOP)
    depth = int(params["max_depth"])
    model = HistGradientBoostingClassifier(
        learning_rate=params["learning_rate"],
        max_iter=int(params["max_iter"]),
        max_depth=depth,
        max_leaf_nodes=2**depth,
        min_samples_leaf=int(params["min_samples_leaf"]),
        l2_regularization=params["l2_regularization"],
        early_stopping=False,
        random_state=SEED,
    )
    model.fit(data.x[rows], data.y[rows])
    nodes = [predictors[0].nodes for predictors in model._predictors]
    used = sorted({int(r["feature_idx"]) for tree in nodes for r in tree if not r["is_leaf"]})
    keep = list(range(len(speaker_ranker.STACKED))) + [
        c for c in used if c >= len(speaker_ranker.STACKED)
    ]
    remap = {old: new for new, old in enumerate(keep)}
    feature = np.zeros((len(nodes), 2**depth - 1), dtype=np.int64)
    threshold = np.full((len(nodes), 2**depth - 1), PAD_THRESHOLD)
    leaf = np.zeros((len(nodes), 2**depth))
    for t, tree in enumerate(nodes):
        _complete(tree, 0, 0, 0, depth, remap, feature[t], threshold[t], leaf[t])
    base = float(np.ravel(model._baseline_prediction)[0])
    return speaker_ranker.Trees(
        tuple(columns[c] for c in keep), feature, threshold, leaf, base, TREE_TOP
    )


PAD_THRESHOLD = 1e30  # a padding node sends every row left


def _complete(tree, node, position, level, depth, remap, feature, threshold, leaf) -> None:
    """Write one sklearn tree into complete-tree arrays; a leaf above the last level is
    padded with nodes that always go left, down to copies of its value."""
    record = tree[node]
    if level == depth:
        leaf[position - (2**depth - 1)] = record["value"]
        return
    child = node
    if not record["is_leaf"]:
        feature[position] = remap[int(record["feature_idx"])]
        threshold[position] = record["num_threshold"]
    for side, branch in ((1, "left"), (2, "right")):
        if not record["is_leaf"]:
            child = int(record[branch])
        _complete(
            tree, child, 2 * position + side, level + 1, depth, remap, feature, threshold, leaf
        )


def decide_scores(example: Example, values: np.ndarray, margin: float) -> bool:
    """As :func:`decide`, on given candidate scores."""
    best = int(np.argmax(values))
    if example.rule < 0 or best == example.rule or values[best] - values[example.rule] < margin:
        return example.rule_right
    return example.labels[best]


def stacked_trees(
    examples: Sequence[Example],
    fold_of: dict[int, int],
    l2: float,
    margin: float,
    linear_right: int,
    meta: dict,
) -> tuple[speaker_ranker.Trees | None, float]:
    """Cross-validate trees stacked on out-of-fold linear scores (the same folds); fit them
    on all of train when they beat the linear model by TREE_MIN_GAIN. Returns the trees
    (or None) and the margin to ship; records the figures in ``meta``.

    The linear scores a fold's trees learn from come from models that saw the other
    folds, the held-out fold among them: a small leak, the usual one of stacking.
    """
    started = time.perf_counter()
    linear = out_of_fold_scores(examples, fold_of, l2)
    columns = tree_columns(examples, TREE_MIN_COUNT)
    data = tree_data(examples, linear, columns)
    reachable = np.array([any(e.labels) for e in examples])
    folds = np.array([fold_of[e.article] for e in examples])
    right = Counter()
    for fold in range(FOLDS):
        trees = fit_trees(data, (folds != fold) & reachable, columns, TREE_PARAMS)
        for n in np.flatnonzero(folds == fold):
            example = examples[n]
            values = trees.scores(example.features, linear[n], example.rule)
            for tree_margin in TREE_MARGIN_GRID:
                right[tree_margin] += decide_scores(example, values, tree_margin)
    tree_margin, tree_right = max(right.items(), key=lambda kv: (kv[1], -kv[0]))
    gain = (tree_right - linear_right) / len(examples)
    print(
        "CV trees: "
        + "  ".join(f"m={m}: {right[m] / len(examples):.4f}" for m in TREE_MARGIN_GRID)
        + f" (linear {linear_right / len(examples):.4f}; {len(columns)} columns, "
        f"{time.perf_counter() - started:.0f} s)"
    )
    meta["trees_cv_accuracy"] = round(tree_right / len(examples), 4)
    if gain < TREE_MIN_GAIN:
        print(f"trees gain {gain:+.4f} < {TREE_MIN_GAIN}: the linear model ships alone")
        return None, margin
    meta["trees"] = dict(TREE_PARAMS, top=TREE_TOP, min_count=TREE_MIN_COUNT)
    # Fitted on the out-of-fold scores: what the shipped linear model gives unseen text.
    return fit_trees(data, reachable, columns, TREE_PARAMS), tree_margin


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split_dir", type=Path, help=".../polnear/data/train")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/claimscope-ranker"))
    parser.add_argument("--out", type=Path, default=OUT.with_name(speaker_ranker.MODEL_FILE))
    parser.add_argument("--l2", type=float, default=None, help="skip the search: this L2")
    parser.add_argument("--margin", type=float, default=None, help="skip the search: this margin")
    parser.add_argument(
        "--trees",
        action="store_true",
        help="also cross-validate gradient-boosted trees stacked on the linear scores "
        "(scikit-learn), and ship them if they beat the linear model by TREE_MIN_GAIN",
    )
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
    meta = {
        "trained_on": f"PolNeAR {args.split_dir.name} ({len(articles)} articles, "
        f"{len(examples)} matched quotes)",
        "l2": l2,
        "cv_accuracy": round(sum(best) / len(examples), 4),
        "cv_rule_accuracy": round(rule_right / len(examples), 4),
        "script": "scripts/train_speaker_ranker.py",
    }
    trees = None
    if args.trees:
        trees, margin = stacked_trees(examples, fold_of, l2, margin, sum(best), meta)
    model = speaker_ranker.Model(weights, margin, meta, trees)
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights, {args.out.stat().st_size // 1024} KB)")
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:40]
    for name, value in top:
        print(f"  {value:+.3f}  {name}")


if __name__ == "__main__":
    main()
