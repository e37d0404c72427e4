"""What the tone model costs: the whole pipeline and store with and without tone, side by side.

    python scripts/bench_tone.py                  # the BBC News test batch, 3 rounds
    python scripts/bench_tone.py --limit 100 --rounds 2

Each round ingests the batch into a fresh store twice in one process (``jobs=1``,
strict mode), once with tone and once without, in alternating order; the
machine is shared, so the figure is the median of the rounds' ratios of CPU
time (and of wall time), never seconds across runs. It also times the tone
model alone on every target the batch gives (targets per second) and counts
the quotes and targets.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "corpora" / "bbc-news" / "test.csv"


def _timed_cpu(function) -> tuple[float, float, object]:  # noqa: ANN001 - any callable
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="articles of the batch to use")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from claimscope import nlp, read, tone
    from claimscope.ingest import ingest
    from claimscope.records import Article, Document
    from claimscope.settings import Settings
    from claimscope.store import Store

    model = nlp.load()
    toner = tone.default_model()
    documents = [
        d
        for d in read.read_paths([args.csv], settings=Settings(strict=True))
        if isinstance(d, Document)
    ][: args.limit]
    words = sum(len(d.text.split()) for d in documents)
    print(f"{len(documents):,} articles, {words:,} words ({args.csv.name}), one process")
    list(ingest(documents[:8], Store(":memory:"), model, settings=Settings(strict=True, jobs=1)))

    def run(with_tone: bool) -> tuple[float, float]:
        settings = Settings(strict=True, jobs=1, tone=with_tone)
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.duckdb") as store:
            wall, cpu, _ = _timed_cpu(
                lambda: list(ingest(documents, store, model, settings=settings))
            )
        return wall, cpu

    rounds = []
    for number in range(args.rounds):
        order = (True, False) if number % 2 == 0 else (False, True)
        found = {flag: run(flag) for flag in order}
        rounds.append(found)
        print(
            f"round {number + 1}: with tone {found[True][0]:.1f} s wall ({found[True][1]:.1f} s CPU),"
            f" without {found[False][0]:.1f} s ({found[False][1]:.1f} s CPU)"
        )
    cpu_ratio = statistics.median(r[True][1] / r[False][1] for r in rounds)
    wall_ratio = statistics.median(r[True][0] / r[False][0] for r in rounds)
    print(
        f"tone adds {cpu_ratio - 1:+.1%} CPU time, {wall_ratio - 1:+.1%} wall time"
        " (median of the rounds' ratios); throughput with tone"
        f" {1 / cpu_ratio:.1%} of without (CPU)"
    )

    # The model alone, on every target of the batch, as the pipeline gives them.
    from claimscope import pipeline

    articles = [
        a
        for a in pipeline.analyze(documents, model, settings=Settings(strict=True, jobs=1))
        if isinstance(a, Article)
    ]
    quotes = sum(len(a.quotes) for a in articles)
    docs = list(nlp.parse_many(model, [a.text for a in articles]))
    targets = []
    for article, doc in zip(articles, docs, strict=True):
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        found = tone.quote_targets(
            article.text, article.quotes, article.countries, article.entities, sentences
        )
        targets.extend(t.item for t in found)
    wall, cpu, _ = _timed_cpu(lambda: toner.probabilities(targets))
    print(
        f"{quotes:,} quotes, {len(targets):,} target mentions;"
        f" the model alone: {len(targets) / cpu:,.0f} targets per CPU second"
        f" ({len(targets) / wall:,.0f} per wall second)"
    )


if __name__ == "__main__":
    main()
