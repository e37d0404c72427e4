"""What tone and talking points cost: the pipeline with and without them, side by side.

    python scripts/bench_tone.py                  # the BBC News test batch, 3 rounds, 2 workers
    python scripts/bench_tone.py --limit 120 --rounds 5
    python scripts/bench_tone.py --model old/ --model lib/claimscope/data/tone   # two models
    python scripts/bench_tone.py --split --limit 120   # where the added time goes, part by part

Each round ingests the batch into fresh stores (strict mode, ``--jobs`` worker
processes, one per core by default, as a user runs it): once without tone and
talking points (``tone`` off, no grouping: issue 10's pipeline, as
``scripts/bench.py`` times it) and once with both per ``--model`` folder (the
shipped model by default), the configurations in a rotating order. Each worker
loads the tone model at its first batch and the grouping loads the embedder, as
in a real ingest. The machine is shared, so the figures are each round's ratio
(with over without) and their median, never seconds across runs: of wall time,
and of CPU time (this process's and its finished workers', so other jobs on the
machine move it far less than the wall time).
It then times each model alone on every target the batch gives (targets per
CPU second, one thread).

``--split`` instead times, in one process on one core, each part of what tone
and talking points add to an article's ingest (CPU seconds and their share of
the pipeline without them: parse, extractors, store): finding the targets,
tokenising, the model's runs, the tones, the extra store rows, loading the
models, embedding the claims, assigning them to points, the grouping's store
transaction.
"""

from __future__ import annotations

import argparse
import functools
import resource
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


def _children_cpu() -> float:
    """CPU seconds of this process's finished (and waited-for) child processes."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="articles of the batch to use")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: one per core)")
    parser.add_argument(
        "--model",
        type=Path,
        action="append",
        help="a tone model folder (model.onnx, tokenizer.json); repeat to compare (default: shipped)",
    )
    parser.add_argument("--split", action="store_true", help="time each added part instead")
    args = parser.parse_args()
    if args.split:
        split(args.csv, args.limit)
        return

    from claimscope import nlp, read, tone
    from claimscope.ingest import ingest
    from claimscope.records import Document
    from claimscope.settings import Settings
    from claimscope.store import Store
    from claimscope.workers import worker_count

    models = args.model or [tone.MODEL_DIR]
    model = nlp.load()
    documents = [
        d
        for d in read.read_paths([args.csv], settings=Settings(strict=True))
        if isinstance(d, Document)
    ][: args.limit]
    words = sum(len(d.text.split()) for d in documents)
    jobs = worker_count(args.jobs)
    print(f"{len(documents):,} articles, {words:,} words ({args.csv.name}), {jobs} workers")
    list(model.pipe([d.text for d in documents[:16]]))  # warm

    def run(name: str) -> tuple[float, float]:
        """Wall and CPU seconds (here and in the workers) of one ingest into a fresh store."""
        children = _children_cpu()
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.duckdb") as store:
            if name == "without":
                settings = Settings(strict=True, jobs=jobs, tone=False)
                wall, cpu, _ = _timed_cpu(
                    lambda: list(ingest(documents, store, model, settings=settings, group=False))
                )
            else:
                # A fresh loader: every worker (or this process) loads the model, as in use.
                tone.default_model = functools.cache(functools.partial(tone.ToneModel, Path(name)))
                settings = Settings(strict=True, jobs=jobs)
                wall, cpu, _ = _timed_cpu(
                    lambda: list(ingest(documents, store, model, settings=settings))
                )
        return wall, cpu + _children_cpu() - children

    names = ["without", *(str(m) for m in models)]
    rounds: list[dict[str, tuple[float, float]]] = []
    for number in range(args.rounds):
        shift = number % len(names)
        order = names[shift:] + names[:shift]
        found = {name: run(name) for name in order}
        rounds.append(found)
        base = found["without"]
        print(
            f"round {number + 1} (order: {', '.join(_short(n) for n in order)}): wall s (CPU s)"
            f" without {base[0]:.1f} ({base[1]:.1f}); "
            + "; ".join(
                f"{_short(m)} {found[m][0]:.1f} ({found[m][1]:.1f}):"
                f" x{found[m][0] / base[0]:.3f} wall, x{found[m][1] / base[1]:.3f} CPU"
                for m in names[1:]
            ),
            flush=True,
        )
    for name in names[1:]:
        for part, what in ((0, "wall"), (1, "CPU")):
            ratios = [r[name][part] / r["without"][part] for r in rounds]
            added = statistics.median(ratios) - 1
            print(
                f"{_short(name)}: tone and talking points add {added:+.1%} to the {what} time"
                f" (median of {', '.join(f'x{x:.3f}' for x in ratios)}); throughput"
                f" {1 / (1 + added):.1%} of without"
            )
    model_alone(documents, model, [Path(n) for n in names[1:]])


def _short(name: str) -> str:
    return name if name == "without" else Path(name).name or name


def model_alone(documents, nlp_model, models: list[Path]) -> None:  # noqa: ANN001 - spaCy's
    """Each tone model alone on every target of the batch, as the pipeline gives them."""
    from claimscope import nlp, pipeline, tone
    from claimscope.records import Article
    from claimscope.settings import Settings

    settings = Settings(strict=True, jobs=1, tone=False)
    articles = [
        a
        for a in pipeline.analyze(documents, nlp_model, settings=settings)
        if isinstance(a, Article)
    ]
    docs = list(nlp.parse_many(nlp_model, [a.text for a in articles]))
    per_article = []
    for article, doc in zip(articles, docs, strict=True):
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        found = tone.quote_targets(
            article.text, article.quotes, article.countries, article.entities, sentences
        )
        per_article.append([t.item for t in found])
    targets = sum(len(items) for items in per_article)
    quotes = sum(len(a.quotes) for a in articles)
    print(f"{quotes:,} quotes, {targets:,} target mentions; each model alone, one article a call:")
    for folder in models:
        toner = tone.ToneModel(folder)
        _, cpu, _ = _timed_cpu(lambda t=toner: [t.probabilities(i) for i in per_article])
        print(f"  {_short(str(folder))}: {targets / cpu:,.0f} targets per CPU second")


def split(csv: Path, limit: int | None) -> None:
    """CPU time of each part that tone and talking points add, beside the pipeline's own."""
    import dataclasses

    from claimscope import nlp, pipeline, points, read, tone
    from claimscope.records import Document
    from claimscope.settings import Settings
    from claimscope.store import Store

    documents = [
        d for d in read.read_paths([csv], settings=Settings(strict=True)) if isinstance(d, Document)
    ][:limit]
    model = nlp.load()
    list(model.pipe([d.text for d in documents[:8]]))  # warm
    part: dict[str, float] = {}

    def timed(name: str, function):  # noqa: ANN001, ANN202 - any callable, its result
        _, cpu, result = _timed_cpu(function)
        part[name] = part.get(name, 0.0) + cpu
        return result

    toner = timed("load the tone model", tone.ToneModel)
    embedder = timed("load the embedder", points.load_embedder)
    docs = timed("parse", lambda: list(nlp.parse_many(model, [d.text for d in documents])))
    sentences = [[(s.start_char, s.end_char) for s in doc.sents] for doc in docs]
    articles = [
        timed("extractors", lambda d=d, doc=doc: pipeline.build_article(d, doc))
        for d, doc in zip(documents, docs, strict=True)
    ]
    toned = []
    targets = 0
    for article, spans in zip(articles, sentences, strict=True):
        found = timed(
            "tone: find targets",
            lambda a=article, spans=spans: tone.quote_targets(
                a.text, a.quotes, a.countries, a.entities, spans
            ),
        )
        targets += len(found)
        encodings = timed("tone: tokenise", lambda f=found: toner.tokenize([t.item for t in f]))
        probabilities = timed("tone: model runs", lambda e=encodings: toner.run(e))
        by_quote = timed("tone: tones", lambda f=found, p=probabilities: tone.tones(f, p))
        quotes = tuple(
            dataclasses.replace(q, tone=by_quote[i]) if i in by_quote else q
            for i, q in enumerate(article.quotes)
        )
        toned.append(dataclasses.replace(article, quotes=quotes))
    with tempfile.TemporaryDirectory() as folder:
        without = Store(Path(folder) / "without.duckdb")
        with_tone = Store(Path(folder) / "with.duckdb")
        for first in range(0, len(articles), nlp.BATCH_SIZE):
            timed("store", lambda f=first: without.add_many(articles[f : f + nlp.BATCH_SIZE]))
            timed(
                "store with tones",
                lambda f=first: with_tone.add_many(toned[f : f + nlp.BATCH_SIZE]),
            )
        claims = timed(
            "points: update_store (all)", lambda: points.update_store(with_tone, embedder)
        )
        texts = with_tone.query("SELECT text FROM quotes")["text"].map(points.claim_text).tolist()
        keyed = [points.Claim("a", i, text) for i, text in enumerate(texts)]
        timed("points: embed and assign", lambda: points.group(keyed, embedder))
    part["tone: store rows"] = part.pop("store with tones") - part["store"]
    base = part["parse"] + part["extractors"] + part["store"]
    print(
        f"{len(documents):,} articles, {sum(len(a.quotes) for a in articles):,} quotes,"
        f" {targets:,} targets, {claims:,} claims grouped; CPU seconds, one process"
    )
    print(f"  pipeline without them: {base:.2f} s (parse, extractors, store)")
    for name in ("parse", "extractors", "store"):
        print(f"    {name:<32} {part[name]:7.3f} s")
    added = [n for n in part if n.startswith(("tone", "points", "load"))]
    print("  added (share of the pipeline without them):")
    for name in added:
        if name != "points: update_store (all)":
            print(f"    {name:<32} {part[name]:7.3f} s  {part[name] / base:6.1%}")
    grouping = part["points: update_store (all)"]
    print(
        f"    {'points: update_store (all)':<32} {grouping:7.3f} s  {grouping / base:6.1%}"
        f"  (embed and assign timed again alone above; the rest is the store transaction)"
    )
    total = sum(part[n] for n in added if n != "points: embed and assign")
    print(f"  added in all: {total:.2f} s, {total / base:.1%} of the pipeline without them")


if __name__ == "__main__":
    main()
