"""Rerunnable benchmark: `make bench`.

Runs each stage over the BBC News CSV batch (../shared/corpora/bbc-news) in one
process and prints absolute timings plus ratios measured in the same run (these
machines are noisy: compare ratios, not seconds across runs). It runs in
strict mode: an extractor's crash stops the benchmark instead of being counted
as a fast failed article.

    python scripts/bench.py [--csv PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from claimscope import countries, nlp, pipeline, read
from claimscope.ingest import ingest
from claimscope.records import Document
from claimscope.settings import Settings
from claimscope.store import Store

STRICT = Settings(strict=True)

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news" / "test.csv"


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    print(f"{label:<46} {elapsed:8.2f} s")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not args.csv.exists():
        raise SystemExit(f"{args.csv} not found: pass --csv PATH to a CSV batch with a text column")

    model, load_seconds = timed("load spaCy model", lambda: nlp.load())
    documents, read_seconds = timed(
        "read + clean CSV batch", lambda: list(read.read_paths([args.csv], settings=STRICT))
    )
    documents = [d for d in documents if isinstance(d, Document)][: args.limit]
    words = sum(len(d.text.split()) for d in documents)
    print(f"{'articles / words':<46} {len(documents):>8} / {words:,}")

    texts = [d.text for d in documents]
    # Warm the model (first-batch allocations) so that neither timed run pays for it.
    list(model.pipe(texts[:16]))
    _, parse_seconds = timed("spaCy parse only (nlp.pipe)", lambda: list(model.pipe(texts)))
    articles, full_seconds = timed(
        "full pipeline (parse + all extractors)",
        lambda: list(pipeline.analyze(documents, model, settings=STRICT)),
    )
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "bench.duckdb"
        with Store(store_path) as store:
            _, ingest_seconds = timed(
                "ingest into a fresh DuckDB store",
                lambda: list(ingest(documents, store, model, settings=STRICT)),
            )
            _, again_seconds = timed(
                "ingest again (all duplicates)",
                lambda: list(ingest(documents, store, model, settings=STRICT)),
            )
            quotes = store.count("quotes")
            mentions = store.count("country_mentions")

    names = [c.text for a in articles if hasattr(a, "countries") for c in a.countries] or ["Russia"]
    countries.lookup(names[0])
    rounds = 200_000
    start = time.perf_counter()
    for i in range(rounds):
        countries.lookup(names[i % len(names)])
    lookup_us = (time.perf_counter() - start) / rounds * 1e6

    print()
    print(
        f"throughput, full pipeline: {len(documents) / full_seconds:8.1f} articles/s,"
        f" {words / full_seconds:,.0f} words/s"
    )
    print(f"extractors' overhead over the bare parse: x{full_seconds / parse_seconds:.2f}")
    print(f"ingest / extract-only time:               x{ingest_seconds / full_seconds:.2f}")
    print(f"re-ingest of stored work / first ingest:  x{again_seconds / ingest_seconds:.3f}")
    print(f"stored {quotes} quotes and {mentions} country mentions")
    print(f"country lookup (cached): {lookup_us:.2f} us per mention")
    print(f"model load {load_seconds:.2f} s; read {read_seconds:.2f} s")


if __name__ == "__main__":
    main()
