"""CPU of each extraction stage against spaCy's stock ``nlp.pipe``, side by side in one run.

The quick loop behind ``make bench``'s extraction figures: process CPU time
(not wall, so other jobs on a shared machine matter less), the minimum of
``--runs`` runs, over the first ``--limit`` articles of a CSV batch. Stages:
the stock pipeline's ``nlp.pipe`` (the yardstick), Claimscope's parse, the
extractors (``pipeline.build_article``), the store (DuckDB, batches of
``nlp.BATCH_SIZE``) and pickling the records both ways (what crosses from a
worker process to the caller). Run it with ``PYTHONPATH`` at two trees to
compare code before and after a change.

``--compare`` instead checks that the fast pipeline annotates the articles
exactly as the stock one (tags, parts of speech, morphology, lemmas, heads,
dependencies, sentence starts, entities), and says how many differ.

    python scripts/bench_stages.py --limit 120 --runs 3
    python scripts/bench_stages.py --csv ../shared/corpora/bbc-news/train.csv --limit 600 --compare
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "corpora" / "bbc-news" / "test.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=120, help="articles of the batch to use")
    parser.add_argument("--runs", type=int, default=3, help="runs of each stage (the minimum)")
    parser.add_argument("--compare", action="store_true", help="check the annotations instead")
    args = parser.parse_args()
    if not args.csv.exists():
        raise SystemExit(f"{args.csv} not found: pass --csv PATH to a CSV batch with a text column")

    from claimscope import nlp, read
    from claimscope.records import Document
    from claimscope.settings import Settings

    settings = Settings(strict=True, jobs=1, tone=False)
    items = read.read_paths([args.csv], settings=settings)
    documents = [d for d in items if isinstance(d, Document)][: args.limit]
    stock, ours = nlp.load(fast=False), nlp.load()
    if args.compare:
        compare(documents, stock, ours)
    else:
        stages(documents, stock, ours, args.runs)


def compare(documents: list, stock: Any, ours: Any) -> None:
    """How many articles the fast pipeline annotates otherwise than the stock one."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    from claimscope import nlp

    columns = [TAG, POS, MORPH, LEMMA, HEAD, DEP, SENT_START, ENT_IOB, ENT_TYPE]
    texts = [d.text for d in documents]
    differ = tokens = 0
    for mine, theirs in zip(nlp.parse_many(ours, texts), stock.pipe(texts), strict=True):
        tokens += len(mine)
        differ += not (mine.to_array(columns) == theirs.to_array(columns)).all()
    print(f"{len(texts):,} articles, {tokens:,} tokens: {differ} annotated differently")


def stages(documents: list, stock: Any, ours: Any, runs: int) -> None:
    """Each stage's CPU seconds (the minimum of ``runs``), per article and over the stock pipe."""
    from claimscope import nlp, pipeline
    from claimscope.store import Store

    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    # Warm both pipelines (first-batch allocations, Claimscope's memos) before timing.
    list(stock.pipe(texts))
    list(nlp.parse_many(ours, texts))

    def store(articles: list) -> float:
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.duckdb") as db:
            start = time.process_time()
            for first in range(0, len(articles), nlp.BATCH_SIZE):
                db.add_many(articles[first : first + nlp.BATCH_SIZE])
            return time.process_time() - start

    found: dict[str, float] = {}
    found["stock nlp.pipe"], _ = _least_cpu(lambda: list(stock.pipe(texts)), runs)
    found["parse"], docs = _least_cpu(lambda: list(nlp.parse_many(ours, texts)), runs)
    found["extractors"], articles = _least_cpu(
        lambda: [pipeline.build_article(d, doc) for d, doc in zip(documents, docs, strict=True)],
        runs,
    )
    found["store"] = min(store(articles) for _ in range(runs))
    batches = [articles[i : i + nlp.BATCH_SIZE] for i in range(0, len(articles), nlp.BATCH_SIZE)]
    found["pickle"], blobs = _least_cpu(
        lambda: [pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL) for b in batches], runs
    )
    found["unpickle"], _ = _least_cpu(lambda: [pickle.loads(b) for b in blobs], runs)
    print(f"{len(texts):,} articles, {words:,} words; CPU, the minimum of {runs} runs:")
    for name, seconds in found.items():
        print(
            f"  {name:<15} {seconds:7.3f} s  {1000 * seconds / len(texts):6.1f} ms/article"
            f"  {seconds / found['stock nlp.pipe']:6.3f} of the stock pipe"
        )
    whole = sum(seconds for name, seconds in found.items() if name != "stock nlp.pipe")
    print(
        f"whole pipeline {whole:.3f} s: stock nlp.pipe CPU over ours"
        f" x{found['stock nlp.pipe'] / whole:.3f} (one process, no worker start)"
    )


def _least_cpu(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The least process CPU time of ``runs`` calls, and the last call's result."""
    least, result = float("inf"), None
    for _ in range(runs):
        start = time.process_time()
        result = function()
        least = min(least, time.process_time() - start)
    return least, result


if __name__ == "__main__":
    main()
