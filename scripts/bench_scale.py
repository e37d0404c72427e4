"""Rerunnable scale benchmark: `make bench-scale` (a script, not a timed test).

The Dask engine on a real cluster (a scheduler and single-threaded worker
processes, started with the ``dask`` command) ingests the first 120 articles
of the BBC News test batch into PostgreSQL (a throwaway cluster, as in the
tests), with 2 workers and with 1, in side-by-side rounds (the order swapped
each round: the machine is shared, so compare the ratio within a round). A
cluster's start and the model's load on its workers come before the clock
starts: a real cluster is up before an ingest, and loads the model once.

Then a plain ingest of the same articles (this process, no workers) into
DuckDB, and every store's articles, quotes (with speakers) and country
mentions (every table, in fact) compared row for row with it.

Prints the machine's load (``uptime``) and free CPU before and after, each
time, the speed-up, and the rate per worker in articles per second, from which
a 1,000,000-article archive on N workers is estimated. Since the machine may
be shared, each run also gives the CPU time each worker process spent (read on
the workers before and after) and this process's (reading results, writing
the store): the work per article, which other jobs on the machine slow down
but do not change, and the wall time the workers would take on cores of their
own (the busiest worker's CPU time).

Last, the dashboard's first copy of a PostgreSQL store into its in-memory
mirror against the same from a DuckDB file, at ``--mirror`` articles (random
articles of tests/test_queries.py replicated inside PostgreSQL, then moved
to DuckDB by export and import).

    python scripts/bench_scale.py                  # 120 articles, 2 rounds
    python scripts/bench_scale.py --articles 240 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

DEFAULT_CSV = ROOT.parent / "shared" / "corpora" / "bbc-news" / "test.csv"
ARCHIVE = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--articles", type=int, default=120, help="first N articles of the CSV")
    parser.add_argument("--rounds", type=int, default=2, help="side-by-side rounds")
    parser.add_argument("--workers", type=int, default=2, help="workers of the larger cluster")
    parser.add_argument(
        "--partition", type=int, default=32, help="articles per partition (ingest --partition)"
    )
    parser.add_argument(
        "--mirror", type=int, default=20_000, help="articles of the mirror copy (0: skip it)"
    )
    args = parser.parse_args()
    if not args.csv.exists():
        raise SystemExit(f"{args.csv} not found: pass --csv PATH to a CSV batch with a text column")

    from bench import _capacity

    from claimscope import read
    from claimscope.records import Document
    from claimscope.settings import Settings
    from pgserver import PostgresServer

    strict = Settings(strict=True, jobs=1)
    documents = [d for d in read.read_paths([args.csv], settings=strict) if isinstance(d, Document)]
    documents = documents[: args.articles]
    words = sum(len(d.text.split()) for d in documents)
    print(f"{len(documents)} articles, {words:,} words (the first of {args.csv.name})")
    print(f"partitions of {args.partition} articles")
    _machine("start", _capacity())

    with PostgresServer() as postgres:
        reference = _plain_rows(documents, strict)
        times: dict[int, list[float]] = {1: [], args.workers: []}
        cpus: dict[int, list[list[float]]] = {1: [], args.workers: []}
        for number in range(args.rounds):
            order = (1, args.workers) if number % 2 == 0 else (args.workers, 1)
            for workers in order:
                seconds, rows, load, cpu, client_cpu = _dask_ingest(
                    postgres, documents, strict, workers, args.partition
                )
                times[workers].append(seconds)
                cpus[workers].append(cpu)
                same = _compare(rows, reference)
                print(
                    f"round {number + 1}: {workers} worker{'s' * (workers > 1)}:"
                    f" {seconds:.2f} s ({len(documents) / seconds:.2f} articles/s;"
                    f" model load on the workers {load:.1f} s, not timed); CPU s per worker"
                    f" {' + '.join(f'{c:.1f}' for c in cpu)}, this process {client_cpu:.1f};"
                    f" rows {same}"
                )
            ratio = times[1][-1] / times[args.workers][-1]
            print(f"round {number + 1}: {args.workers} workers x{ratio:.2f} of 1 worker")
        if args.mirror:
            _mirror_copy(postgres, args.mirror)
    _machine("end", _capacity())

    ratios = [one / many for one, many in zip(times[1], times[args.workers], strict=True)]
    one = statistics.median(times[1])
    many = statistics.median(times[args.workers])
    per_worker_one = len(documents) / one
    per_worker_many = len(documents) / many / args.workers
    print("\n== Summary ==")
    print(
        f"{args.workers} workers vs 1: x{statistics.median(ratios):.2f} (median of rounds:"
        f" {', '.join(f'x{r:.2f}' for r in ratios)}); target x1.6"
    )
    print(f"1 worker: median {one:.2f} s, {per_worker_one:.2f} articles/s")
    print(
        f"{args.workers} workers: median {many:.2f} s, {len(documents) / many:.2f} articles/s,"
        f" {per_worker_many:.2f} articles/s per worker"
    )
    one_cpu = statistics.median(sum(c) for c in cpus[1])
    many_cpu = statistics.median(sum(c) for c in cpus[args.workers])
    busiest = statistics.median(max(c) for c in cpus[args.workers])
    cpu_rate = len(documents) / one_cpu
    print(
        f"worker CPU: 1 worker {one_cpu:.1f} s, {args.workers} workers {many_cpu:.1f} s together"
        f" (x{many_cpu / one_cpu:.2f} the work); on cores of their own: busiest worker"
        f" {busiest:.1f} s, x{one_cpu / busiest:.2f} of 1 worker"
    )
    print(f"per worker CPU-second: {cpu_rate:.2f} articles ({words / one_cpu:,.0f} words)")
    print(f"a {ARCHIVE:,}-article archive (articles like these):")
    for workers in (2, 8, 32, 128):
        measured = ARCHIVE / (per_worker_many * workers) / 3600
        dedicated = ARCHIVE / (cpu_rate * workers) / 3600
        print(
            f"  {workers:>4} workers: {measured:,.1f} h at the measured {per_worker_many:.2f}"
            f" articles/s per worker; {dedicated:,.1f} h with a core each ({cpu_rate:.2f})"
        )


def _machine(when: str, capacity: float) -> None:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"machine at the {when}: {uptime}")
    print(f"  CPU free: two busy processes get x{capacity:.2f} the work of one (x2.00 idle)")


def _plain_rows(documents, settings):  # noqa: ANN001, ANN202
    """A plain ingest (one process, no workers) into DuckDB: every table's rows."""
    from claimscope import nlp
    from claimscope.ingest import ingest
    from claimscope.store import open_store
    from conftest import table_rows

    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "p.duckdb") as store:
        start = time.perf_counter()
        outcomes = list(ingest(documents, store, nlp.load(), settings=settings))
        seconds = time.perf_counter() - start
        stored = sum(o.status == "stored" for o in outcomes)
        print(f"plain DuckDB ingest, this process: {stored} stored in {seconds:.2f} s")
        return table_rows(store)


def _dask_ingest(postgres, documents, settings, workers: int, partition: int):  # noqa: ANN001, ANN202
    """A Dask ingest on a fresh cluster of ``workers`` into a new PostgreSQL database:
    its seconds (the cluster up and the model loaded before the clock starts), rows,
    how long the workers took to load the model, each worker's CPU seconds during the
    ingest (busiest first) and this process's."""
    from claimscope.cluster import DaskEngine
    from claimscope.ingest import ingest
    from claimscope.store import open_store
    from conftest import table_rows
    from daskcluster import DaskCluster

    url = postgres.new_database("bench")
    with DaskCluster(workers=workers) as cluster, open_store(url) as store:
        start = time.perf_counter()
        with DaskEngine(cluster.address, settings) as engine:
            load = time.perf_counter() - start
            before = engine.client.run(time.process_time)
            client_before = time.process_time()
            start = time.perf_counter()
            outcomes = list(
                ingest(
                    documents, store, None, settings=settings, engine=engine, chunk_size=partition
                )
            )
            seconds = time.perf_counter() - start
            client_cpu = time.process_time() - client_before
            after = engine.client.run(time.process_time)
        if any(o.status != "stored" for o in outcomes):
            raise SystemExit(f"not every article was stored: {[o.line() for o in outcomes][:5]}")
        cpu = sorted((after[w] - before[w] for w in after), reverse=True)
        return seconds, table_rows(store), load, cpu, client_cpu


def _mirror_copy(postgres, articles: int) -> None:  # noqa: ANN001
    """The dashboard's first copy of a store of ``articles`` articles, from PostgreSQL and
    from DuckDB (the same rows, moved by export and import)."""
    import psycopg

    from claimscope.mirror import Mirror
    from claimscope.store import open_store
    from claimscope.transfer import export_store, import_store
    from test_queries import random_articles

    base = max(1, articles // 10)
    url = postgres.new_database("mirror")
    with open_store(url) as server:
        server.add_many(random_articles(base))
        with psycopg.connect(url, autocommit=True) as conn:
            for copy in range(1, -(-articles // base)):
                renamed = f"id || '-{copy}'"
                conn.execute(
                    "INSERT INTO articles (id, path, title, source, dateline, published, url, text)"
                    f" SELECT {renamed}, path, title, source, dateline, published, url, text"
                    " FROM articles WHERE id NOT LIKE '%-%'"
                )
                for table, columns in (
                    ("country_mentions", '"start", "end", text, iso3, country, via'),
                    ("quotes", 'quote_index, "start", "end", text, kind, cue, speaker_mention,'
                     " speaker, speaker_role, speaker_type, countries"),
                ):  # fmt: skip
                    conn.execute(
                        f"INSERT INTO {table} (article_id, {columns})"
                        f" SELECT article_id || '-{copy}', {columns} FROM {table}"
                        " WHERE article_id NOT LIKE '%-%'"
                    )
        with tempfile.TemporaryDirectory() as folder:
            export_store(server, Path(folder) / "export")
            with open_store(Path(folder) / "m.duckdb") as duck:
                import_store(duck, Path(folder) / "export")
                found = {}
                for name, store in (("PostgreSQL", server), ("DuckDB", duck)):
                    mirror = Mirror()
                    start = time.perf_counter()
                    mirror.sync(store, store.version(), {})
                    found[name] = time.perf_counter() - start
                    claims = mirror.count("claims")
                    mirror.close()
        print(
            f"dashboard mirror, first copy of {server.count():,} articles ({claims:,} claims,"
            f" {server.count('country_mentions'):,} country mentions):"
            f" from PostgreSQL {found['PostgreSQL']:.2f} s, from DuckDB {found['DuckDB']:.2f} s"
        )


def _compare(rows: dict, reference: dict) -> str:
    for table in reference:
        if rows[table] != reference[table]:
            raise SystemExit(f"{table}: rows differ from the plain DuckDB ingest")
    counts = ", ".join(
        f"{len(reference[t])} {t}" for t in ("articles", "quotes", "country_mentions")
    )
    return f"identical to the plain DuckDB ingest ({counts}; every table)"


if __name__ == "__main__":
    main()
