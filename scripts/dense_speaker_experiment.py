"""Experiment: does the parser's ``doc.tensor`` help the speaker chooser? (No, so far.)

The learned chooser (``claimscope.speaker_ranker``) is a sparse linear softmax over
string features. This script tests whether the parser's contextual token vectors
(``doc.tensor``: en_core_web_sm's shared tok2vec output, 96 numbers a token; every
extraction path parses and extracts in one process, so a chooser would have it)
rank the candidate source mentions better, two ways:

* a second stage (the protocol of ``train_speaker_ranker.py --trees``): the same
  examples, the same 5 folds over articles, out-of-fold linear scores (L2 3) for
  every quote; over the linear model's best ``top`` candidates a softmax scores
  ``linear + u.z (+ v.tanh(W z + b))`` from inputs ``z`` (standardised): the gap to
  the best linear score, rank, NONE, the rules' pick, and dense blocks (``head``: the
  candidate's head vector; ``head*cue``, ``head*content``, ``head*before_cue``: its
  elementwise product with the cue head's, the content's first token's, the token
  before the cue's; ``span``: the mean over the mention; ``none_context``: the cue's,
  content's and before-cue vectors on NONE's row only), fitted with L2 by full-batch
  L-BFGS (fixed seed) on four folds, scored on the fifth, decided at margin 0;
* ``--joint``: the dense blocks as columns of the linear model itself, beside the
  sparse features, over all candidates (their own L2).

DocBin does not store the tensor, so the split is parsed once more with the real
pipeline (``nlp.parse_many``, 84 s for train) and the tensors are cached beside the
DocBin (``train.tensors.npz``, keyed by article name and text hash, checked against
the DocBin's tokens); the examples and out-of-fold scores are cached under a hash
of the package's code and tables.

Figures (PolNeAR train, 14,234 quotes put to the chooser, main at 7235504; 5-fold
CV accuracy at margin 0, the linear model 0.9153 = 13,028 right; the linear best 6
hold a right candidate for 0.9897): no configuration gains the 43 quotes (0.003)
asked for shipping. Second stage, quotes gained over the linear model:

  blocks                              L2     hidden  top   CV      quotes
  none (linear facts only)            10     -       6/3   0.9151  -2
  head                                10     -       6     0.9139  -20
  head*cue                            300    -       6     0.9136  -24
  span                                1000   -       6     0.9150  -4
  none_context                        1000   -       6     0.9149  -5
  head, head*cue, head*content        10     -       6     0.9130  -33
  head, head*cue, head*content        300    -       3     0.9144  -13
  head, head*cue, head*content        100    16      6     0.9134  -26
  head, head*cue, head*content        1000   16      6     0.9140  -18
  span, none_context                  300    -       6     0.9151  -2
  span, none_context                  1000   -       6     0.9160  +10
  span, none_context                  3000   -       6     0.9149  -5
  span, none_context                  1000   8       6     0.9159  +9
  all six                             10     -       6     0.9061  -130
  all six                             100    -       6     0.9110  -61
  all six                             1000   -       6     0.9151  -2
  all six                             3000   -       6     0.9158  +7
  all six                             10000  -       6     0.9151  -2
  all six                             3000   8       6     0.9158  +7

Second stage with a hidden layer of 16 over inputs equal on every row
("context": the cue's and content's vectors) beside the head's: L2 300 0.9149 (-6),
L2 3000 0.9142 (-15); with the head minus the rules' pick's head too, L2 1000
0.9153 (+1). Joint (dense columns in the linear model, sparse L2 3): the head's
vector at dense L2 3, 30, 300, 1000, 3000: 0.9157, 0.9158, 0.9162, 0.9162, 0.9160
(+6, +7, +13, +13, +11: steady, but a fifth of the 43 asked); head, head*cue,
head*content at 300 0.9145 (-11); span, none_context at 300 0.9156 (+5). The
second stage's best figures (+7 to +10) sit among neighbours at -5 to -2 and are
the best of some twenty tries: noise. Even in-sample the vectors add little (head,
L2 10, fitted on folds 1-4: 10,459 -> 10,477 right of their 11,414 quotes, and
2,569 -> 2,565 of fold 0's 2,820), so the limit is not the fit but the information:
the tok2vec vectors (a window of four tokens each side) carry the word class and
local syntax that the sparse features already name. (Of the linear
model's 1,206 out-of-fold errors, 769 are on quotes whose cue is not the gold's.)
Cost, had it paid: the stage's inputs and scores add 20-90 us a quote (numpy, one
run beside the linear scoring of the same quotes' sparse features, 45-80 us, on a
shared machine), a chooser call being about 0.45 ms.

Run, from a worktree (about 7 minutes once the parses are cached; ``--time`` adds
the per-quote cost; each ``--joint`` spec takes 3-10 minutes):

    PYTHONPATH=$PWD/lib /work/main/.venv/bin/python scripts/dense_speaker_experiment.py \\
        /work/shared/eval-data/polnear/data/train --cache /tmp/dense [--time]
    ... --joint head:3 --joint head:30 --joint head:300 --joint head:1000 --joint head:3000
    ... --joint head+head*cue+head*content:300 --joint span+none_context:300
    ... --config head+context:300:16 --config head+context:3000:16 \\
        --config head+head-rule+context:1000:16

(``--cache`` must hold ``train.spacy`` from ``train_speaker_ranker.py``, or the
split is parsed afresh.)
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_speaker_ranker as trainer  # noqa: E402

from claimscope import nlp as nlp_stage  # noqa: E402
from claimscope import speaker_ranker  # noqa: E402
from claimscope.polnear import GoldArticle, load_split  # noqa: E402

WIDTH = 96


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def tensors_of(
    split_dir: Path, articles: Sequence[GoldArticle], docs: Sequence, cache: Path
) -> list[np.ndarray]:
    """Each article's doc.tensor from the real pipeline, cached in an .npz beside the DocBin."""
    path = cache / f"{split_dir.name}.tensors.npz"
    if path.exists():
        stored = np.load(path)
        found = []
        for article, doc in zip(articles, docs, strict=True):
            key = f"{article.name}|{_text_key(article.text)}"
            if key not in stored or stored[key].shape[0] != len(doc):
                break
            found.append(stored[key])
        else:
            return found
    started = time.perf_counter()
    nlp = nlp_stage.load()
    arrays: dict[str, np.ndarray] = {}
    found = []
    for article, doc, fresh in zip(
        articles, docs, nlp_stage.parse_many(nlp, (a.text for a in articles)), strict=True
    ):
        if [t.text for t in fresh] != [t.text for t in doc]:
            raise ValueError(f"{article.name}: the reparse's tokens differ from the cached DocBin")
        tensor = np.asarray(fresh.tensor, dtype=np.float32)
        if tensor.shape != (len(doc), WIDTH):
            raise ValueError(f"{article.name}: doc.tensor has shape {tensor.shape}")
        arrays[f"{article.name}|{_text_key(article.text)}"] = tensor
        found.append(tensor)
    np.savez(path, **arrays)
    print(f"parsed {len(found)} articles for tensors in {time.perf_counter() - started:.0f} s")
    return found


@dataclass(slots=True)
class Tokens:
    """Token indices the dense features read, per example (aligned with its candidates)."""

    heads: list[int]  # candidate -> head token (-1 for NONE)
    spans: list[tuple[int, int]]  # candidate -> mention's token range ((0, 0) for NONE)
    cue: int  # the cue's head token (-1: no cue)
    content: tuple[int, int]  # the content's token range


def examples_with_tokens(articles, docs) -> tuple[list, list[Tokens], object]:
    """``train_speaker_ranker.examples_of``, recording each candidate set's token indices."""
    recorded: list[Tokens] = []
    real = speaker_ranker.candidates

    def spy(ctx, content, cue, rule_mention, **kwargs):
        found = real(ctx, content, cue, rule_mention, **kwargs)
        doc = ctx.doc
        verb = speaker_ranker.cue_head(doc, cue)
        span = doc.char_span(content[0], content[1], alignment_mode="expand")
        spans = []
        for c in found:
            if c.span is None:
                spans.append((0, 0))
                continue
            mention = doc.char_span(c.span[0], c.span[1], alignment_mode="expand")
            spans.append(
                (mention.start, mention.end) if mention is not None else (c.head.i, c.head.i + 1)
            )
        recorded.append(
            Tokens(
                [-1 if c.head is None else c.head.i for c in found],
                spans,
                -1 if verb is None else verb.i,
                (span.start, span.end)
                if span is not None and len(span)
                else (len(doc) - 1, len(doc)),
            )
        )
        return found

    speaker_ranker.candidates = spy
    try:
        examples, counts = trainer.examples_of(articles, docs)
    finally:
        speaker_ranker.candidates = real
    if len(recorded) != len(examples):
        raise RuntimeError(f"{len(recorded)} candidate sets recorded for {len(examples)} examples")
    return examples, recorded, counts


# --- the second stage --------------------------------------------------------------------

BLOCKS = ("head", "head*cue", "head*content", "span", "head*before_cue", "none_context")
# Only for a hidden layer (in a softmax alone, a block equal on every row cancels):
# "context" (the cue's and content's vectors), "head-rule" (minus the rules' pick's head).


def dense_rows(
    tensor: np.ndarray,
    tok: Tokens,
    linear: np.ndarray,
    rule: int,
    top: int,
    blocks: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """The linear model's best ``top`` candidates (indices) and one input row for each:
    the linear facts (gap to the best score, rank, NONE, the rules' pick), then the
    dense blocks named."""
    order = np.argsort(-linear, kind="stable")[:top]
    zero = np.zeros(WIDTH, dtype=np.float32)
    cue = tensor[tok.cue] if tok.cue >= 0 else zero
    content = tensor[tok.content[0]]
    before = tensor[tok.cue - 1] if tok.cue > 0 else zero
    rows = []
    best = linear[order[0]]
    for rank, n in enumerate(order):
        head_i = tok.heads[n]
        none = head_i < 0
        facts = np.zeros(top + 3, dtype=np.float32)
        facts[0] = linear[n] - best
        facts[1 + rank] = 1.0
        facts[top + 1] = none
        facts[top + 2] = n == rule
        parts = [facts]
        head = zero if none else tensor[head_i]
        for block in blocks:
            if block == "head":
                parts.append(head)
            elif block == "head*cue":
                parts.append(head * cue)
            elif block == "head*content":
                parts.append(head * content)
            elif block == "span":
                start, end = tok.spans[n]
                parts.append(zero if none else tensor[start:end].mean(axis=0))
            elif block == "head*before_cue":
                parts.append(head * before)
            elif block == "context":  # the same on every row: for the hidden layer
                parts.append(np.concatenate([cue, content]))
            elif block == "head-rule":
                rule_i = tok.heads[rule] if rule >= 0 else -1
                parts.append(head - (tensor[rule_i] if rule_i >= 0 else zero))
            elif block == "none_context":
                parts.append(
                    np.concatenate([cue, content, before])
                    if none
                    else np.zeros(3 * WIDTH, dtype=np.float32)
                )
            else:
                raise ValueError(f"unknown block {block!r}")
        rows.append(np.concatenate(parts))
    return order, np.vstack(rows)


@dataclass(slots=True)
class StageData:
    x: np.ndarray  # (rows, d)
    lin: np.ndarray  # rows: the linear score
    labels: np.ndarray
    quote: np.ndarray  # row -> example index
    cand: np.ndarray  # row -> candidate index in its example
    starts: np.ndarray  # example -> first row, and the end


def stage_data(examples, tokens, tensors, linear, top, blocks) -> StageData:
    xs, lins, labels, quotes, cands, sizes = [], [], [], [], [], []
    for q, (e, tok, lin) in enumerate(zip(examples, tokens, linear, strict=True)):
        order, x = dense_rows(tensors[e.article], tok, lin, e.rule, top, blocks)
        xs.append(x)
        lins.append(lin[order])
        labels.append(np.asarray(e.labels, dtype=np.float64)[order])
        quotes.append(np.full(len(order), q))
        cands.append(order)
        sizes.append(len(order))
    return StageData(
        np.vstack(xs).astype(np.float64),
        np.concatenate(lins),
        np.concatenate(labels),
        np.concatenate(quotes),
        np.concatenate(cands),
        np.concatenate([[0], np.cumsum(sizes)]),
    )


def group_loss(s: np.ndarray, labels: np.ndarray, starts: np.ndarray, group: np.ndarray):
    """Softmax log-loss of each group's positives (every group has one); d loss / d s."""
    top = np.maximum.reduceat(s, starts)
    p = np.exp(s - top[group])
    z = np.add.reduceat(p, starts)
    masked = np.where(labels > 0, s, -np.inf)
    top_pos = np.maximum.reduceat(masked, starts)
    p_pos = np.where(labels > 0, np.exp(masked - top_pos[group]), 0.0)
    z_pos = np.add.reduceat(p_pos, starts)
    loss = float(np.sum(top + np.log(z) - top_pos - np.log(z_pos)))
    return loss, p / z[group] - p_pos / z_pos[group]


@dataclass(slots=True)
class Fitted:
    mean: np.ndarray
    scale: np.ndarray
    u: np.ndarray  # linear weights
    w: np.ndarray | None  # (d, hidden)
    b: np.ndarray | None
    v: np.ndarray | None

    def scores(self, x: np.ndarray, lin: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        s = lin + z @ self.u
        if self.w is not None:
            s = s + np.tanh(z @ self.w + self.b) @ self.v
        return s


def fit_stage(data: StageData, rows: np.ndarray, l2: float, hidden: int) -> Fitted:
    """Fit on ``rows`` (whole quotes, each with a positive): score = linear + u.z
    (+ v.tanh(W z + b)), L2 on u, W, v; full-batch L-BFGS from a fixed seed."""
    x = data.x[rows]
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    lin = data.lin[rows]
    labels = data.labels[rows]
    quote = data.quote[rows]
    change = np.flatnonzero(np.diff(quote)) + 1
    starts = np.concatenate([[0], change])
    group = np.repeat(np.arange(len(starts)), np.diff(np.concatenate([starts, [len(rows)]])))
    d = z.shape[1]
    rng = np.random.default_rng(trainer.SEED)
    sizes = [d] + ([d * hidden, hidden, hidden] if hidden else [])

    def unpack(theta):
        parts, at = [], 0
        for size in sizes:
            parts.append(theta[at : at + size])
            at += size
        return parts

    def fun(theta):
        parts = unpack(theta)
        u = parts[0]
        s = lin + z @ u
        if hidden:
            w, b, v = parts[1].reshape(d, hidden), parts[2], parts[3]
            h = np.tanh(z @ w + b)
            s = s + h @ v
        loss, ds = group_loss(s, labels, starts, group)
        grads = [z.T @ ds]
        penalty = float(u @ u)
        if hidden:
            dh = np.outer(ds, v) * (1 - h * h)
            grads += [(z.T @ dh).ravel() + l2 * w.ravel(), dh.sum(axis=0), h.T @ ds + l2 * v]
            penalty += float(np.sum(w * w) + v @ v)
        grads[0] = grads[0] + l2 * u
        return loss + 0.5 * l2 * penalty, np.concatenate(grads)

    theta = np.zeros(sum(sizes))
    if hidden:
        theta[d : d + d * hidden] = rng.normal(0, 1 / np.sqrt(d), d * hidden)
    theta = trainer.lbfgs(fun, theta, iterations=400)
    parts = unpack(theta)
    if hidden:
        return Fitted(mean, scale, parts[0], parts[1].reshape(d, hidden), parts[2], parts[3])
    return Fitted(mean, scale, parts[0], None, None, None)


def cross_validate(examples, data: StageData, fold_of, l2: float, hidden: int) -> int:
    """Right answers over all examples, each scored by a stage fitted on the other folds."""
    folds = np.array([fold_of[e.article] for e in examples])
    row_fold = folds[data.quote]
    has_pos = np.add.reduceat(data.labels, data.starts[:-1]) > 0
    right = 0
    for fold in range(trainer.FOLDS):
        rows = np.flatnonzero((row_fold != fold) & has_pos[data.quote])
        fitted = fit_stage(data, rows, l2, hidden)
        for q in np.flatnonzero(folds == fold):
            e = examples[q]
            a, b = data.starts[q], data.starts[q + 1]
            values = np.full(len(e.labels), -np.inf)
            values[data.cand[a:b]] = fitted.scores(data.x[a:b], data.lin[a:b])
            right += trainer.decide_scores(e, values, 0.0)
    return right


# --- the dense inputs in the linear model itself ----------------------------------------------


def candidate_dense(tensor: np.ndarray, tok: Tokens, blocks: Sequence[str]) -> np.ndarray:
    """One row per candidate (all of them): the dense blocks named (NONE: zeros, but for
    ``none_context``, which only NONE's row holds)."""
    zero = np.zeros(WIDTH, dtype=np.float32)
    cue = tensor[tok.cue] if tok.cue >= 0 else zero
    content = tensor[tok.content[0]]
    before = tensor[tok.cue - 1] if tok.cue > 0 else zero
    heads = np.asarray(tok.heads)
    none = heads < 0
    head = tensor[np.where(none, 0, heads)]
    head[none] = 0.0
    parts = []
    for block in blocks:
        if block == "head":
            parts.append(head)
        elif block == "head*cue":
            parts.append(head * cue)
        elif block == "head*content":
            parts.append(head * content)
        elif block == "head*before_cue":
            parts.append(head * before)
        elif block == "span":
            parts.append(
                np.vstack(
                    [
                        zero if h < 0 else tensor[a:b].mean(axis=0)
                        for h, (a, b) in zip(tok.heads, tok.spans, strict=True)
                    ]
                )
            )
        elif block == "none_context":
            ctx = np.zeros((len(heads), 3 * WIDTH), dtype=np.float32)
            ctx[none] = np.concatenate([cue, content, before])
            parts.append(ctx)
        else:
            raise ValueError(f"unknown block {block!r}")
    return np.hstack(parts)


def joint_cv(examples, dense: list[np.ndarray], fold_of, l2: float, dense_l2: float) -> int:
    """5-fold CV of the linear model with the dense columns beside the sparse features
    (L2 ``l2`` on the sparse weights, ``dense_l2`` on the dense ones); margin 0."""
    right = 0
    for fold in range(trainer.FOLDS):
        train = [n for n, e in enumerate(examples) if fold_of[e.article] != fold and any(e.labels)]
        held = [n for n, e in enumerate(examples) if fold_of[e.article] == fold]
        stacked = np.vstack([dense[n] for n in train]).astype(np.float64)
        mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
        scale = scale / np.sqrt(l2 / dense_l2)  # one L2 for all: rescale the dense columns
        vocab_list = trainer.vocabulary([examples[n] for n in train])
        vocab = {name: c for c, name in enumerate(vocab_list)}
        m = trainer.matrix([examples[n] for n in train], vocab)
        z = (stacked - mean) / scale
        d = z.shape[1]
        rows = np.repeat(np.arange(m.n_rows), d)
        cols = np.tile(np.arange(d) + len(vocab_list), m.n_rows)
        m.rows = np.concatenate([m.rows, rows])
        m.cols = np.concatenate([m.cols, cols])
        m.vals = np.concatenate([m.vals, z.ravel()])
        w = trainer.lbfgs(
            lambda v, m=m: trainer.loss_and_grad(v, m, l2), np.zeros(len(vocab_list) + d)
        )
        weights = {name: float(w[c]) for c, name in enumerate(vocab_list)}
        wd = w[len(vocab_list) :]
        for n in held:
            e = examples[n]
            values = trainer.linear_scores(e, weights) + ((dense[n] - mean) / scale) @ wd
            right += trainer.decide_scores(e, values, 0.0)
    return right


def library_key() -> str:
    """A hash of the package's code and word tables: the cached examples are rebuilt
    when the features or the rules change (the tone model aside)."""
    root = Path(speaker_ranker.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "tone" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def cached_examples(split_dir: Path, articles, docs, fold_of, cache: Path):
    """The examples, their token indices and out-of-fold linear scores (L2 3), cached
    under the library's hash (``library_key``)."""
    path = cache / f"{split_dir.name}.dense-{library_key()}.pkl"
    if path.exists():
        with path.open("rb") as handle:
            return pickle.load(handle)
    examples, tokens, _ = examples_with_tokens(articles, docs)
    linear = trainer.out_of_fold_scores(examples, fold_of, 3.0)
    with path.open("wb") as handle:
        pickle.dump((examples, tokens, linear), handle)
    return examples, tokens, linear


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split_dir", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dense"))
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        help="BLOCK+BLOCK:L2:HIDDEN[:TOP] (repeatable; default: the configurations in CONFIGS)",
    )
    parser.add_argument(
        "--joint",
        action="append",
        default=[],
        help="BLOCK+BLOCK:DENSE_L2: dense columns inside the linear model (repeatable)",
    )
    parser.add_argument("--time", action="store_true", help="also time the stage per quote")
    args = parser.parse_args()
    articles = load_split(args.split_dir)
    docs = trainer.parsed_docs(args.split_dir, articles, args.cache)
    tensors = tensors_of(args.split_dir, articles, docs, args.cache)
    order = list(range(len(articles)))
    random.Random(trainer.SEED).shuffle(order)
    fold_of = {article: n % trainer.FOLDS for n, article in enumerate(order)}
    examples, tokens, linear = cached_examples(args.split_dir, articles, docs, fold_of, args.cache)
    print(f"{len(examples)} examples, {sum(t.shape[0] for t in tensors)} tokens")
    right = sum(trainer.decide_scores(e, s, 0.0) for e, s in zip(examples, linear, strict=True))
    n = len(examples)
    print(f"CV linear (l2 3, margin 0): {right / n:.4f} ({right}/{n})", flush=True)
    for top in (6,):
        in_top = sum(
            any(e.labels[c] for c in np.argsort(-s, kind="stable")[:top])
            for e, s in zip(examples, linear, strict=True)
        )
        print(f"top {top}: a right candidate among them for {in_top / n:.4f}")
    configs = [
        (tuple(b for b in parts[0].split("+") if b), float(parts[1]), int(parts[2]))
        + ((int(parts[3]),) if len(parts) > 3 else (6,))
        for parts in (c.split(":") for c in args.config)
    ] or CONFIGS
    for spec in args.joint:
        blocks_text, dense_l2 = spec.split(":")
        blocks = tuple(blocks_text.split("+"))
        started = time.perf_counter()
        dense = [
            candidate_dense(tensors[e.article], tok, blocks)
            for e, tok in zip(examples, tokens, strict=True)
        ]
        joint_right = joint_cv(examples, dense, fold_of, 3.0, float(dense_l2))
        print(
            f"CV joint {blocks_text} dense l2={dense_l2}: {joint_right / n:.4f} "
            f"({joint_right - right:+d} quotes) [{time.perf_counter() - started:.0f} s]",
            flush=True,
        )
    if args.joint and not args.config:
        return
    for blocks, l2, hidden, top in configs:
        started = time.perf_counter()
        data = stage_data(examples, tokens, tensors, linear, top, blocks)
        dense_right = cross_validate(examples, data, fold_of, l2, hidden)
        print(
            f"CV dense {'+'.join(blocks) or 'facts'} l2={l2} hidden={hidden} top={top}: "
            f"{dense_right / n:.4f} ({dense_right - right:+d} quotes) "
            f"[{data.x.shape[1]} inputs, {time.perf_counter() - started:.0f} s]",
            flush=True,
        )
        if args.time:
            time_inference(examples, tokens, tensors, linear, data, l2, hidden, top, blocks)


def time_inference(examples, tokens, tensors, linear, data, l2, hidden, top, blocks) -> None:
    """Per-quote cost of the second stage (its inputs and scores) beside the linear
    model's own scoring of the same quotes' sparse features, in one run."""
    has_pos = np.add.reduceat(data.labels, data.starts[:-1]) > 0
    fitted = fit_stage(data, np.flatnonzero(has_pos[data.quote]), l2, hidden)
    weights = {}
    for e in examples[:2000]:
        for f in e.features:
            weights.update(dict.fromkeys(f, 0.1))
    sample = list(range(2000))
    for _ in range(2):  # twice: the second pass is the one reported
        started = time.perf_counter()
        for q in sample:
            e = examples[q]
            scores = trainer.linear_scores(e, weights)
        linear_cost = (time.perf_counter() - started) / len(sample)
        started = time.perf_counter()
        for q in sample:
            e = examples[q]
            order, x = dense_rows(tensors[e.article], tokens[q], linear[q], e.rule, top, blocks)
            scores = fitted.scores(x, linear[q][order])
        dense_cost = (time.perf_counter() - started) / len(sample)
    del scores
    print(
        f"  per quote: linear scores {linear_cost * 1e6:.0f} us, dense stage "
        f"{dense_cost * 1e6:.0f} us more (2,000 quotes)"
    )


_THREE = ("head", "head*cue", "head*content")
# (blocks, L2, hidden units, top K): the second stages measured (see the docstring).
CONFIGS = [
    ((), 10.0, 0, 6),
    ((), 10.0, 0, 3),
    (("head",), 10.0, 0, 6),
    (("head*cue",), 300.0, 0, 6),
    (("span",), 1000.0, 0, 6),
    (("none_context",), 1000.0, 0, 6),
    (_THREE, 10.0, 0, 6),
    (_THREE, 300.0, 0, 3),
    (_THREE, 100.0, 16, 6),
    (_THREE, 1000.0, 16, 6),
    (("span", "none_context"), 300.0, 0, 6),
    (("span", "none_context"), 1000.0, 0, 6),
    (("span", "none_context"), 3000.0, 0, 6),
    (("span", "none_context"), 1000.0, 8, 6),
    (BLOCKS, 10.0, 0, 6),
    (BLOCKS, 100.0, 0, 6),
    (BLOCKS, 1000.0, 0, 6),
    (BLOCKS, 3000.0, 0, 6),
    (BLOCKS, 10000.0, 0, 6),
    (BLOCKS, 3000.0, 8, 6),
]


if __name__ == "__main__":
    main()
