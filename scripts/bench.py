"""Rerunnable benchmark: `make bench` (a script, not a timed test).

Prints, from one run, every figure of issue 10, each measured side by side in
that run (these machines are shared and noisy: compare ratios, not seconds
across runs):

- extraction over the BBC News test batch (../shared/corpora/bbc-news): spaCy's
  default ``nlp.pipe`` alone (the stock pipeline, one process) against the whole
  Claimscope pipeline (parse, entities, countries, quotes and store) with worker
  processes and in one process; words per second and the ratios; the time per
  stage (read, parse, entities, countries, quotes, store); re-ingesting stored
  work; the peak memory of a ``claimscope ingest`` (its workers included);
- the dashboard at 2,000, 20,000 and 200,000 articles (the ingested batch
  replicated with new ids, spread dates and sources, and each claim's text made
  distinct, with SQL ``INSERT ... SELECT``; cached under the temporary folder):
  every page driven through ``dashboard.py`` with Streamlit's AppTest, without
  filters and with a country, a speaker, a search text and all three, its
  median and p95 rerun time; the first page of a cold server (a fresh process:
  imports, the store read, the page); the dashboard process's peak memory.

It runs in strict mode: an extractor's crash stops the benchmark instead of
being counted as a fast failed article.

    python scripts/bench.py                      # everything (about 10 minutes)
    python scripts/bench.py --sizes 2000,20000   # a quicker dashboard part
    python scripts/bench.py --no-dashboard       # extraction only
    python scripts/bench.py --no-extraction      # dashboard only (reuses the cached stores)
    python scripts/bench.py --no-extraction --sizes 200000 --queries   # and each query's time
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "corpora" / "bbc-news" / "test.csv"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "claimscope-bench"
SOURCES = ["BBC", "Reuters", "TASS", "Xinhua", "AP"]
PAGES = {
    "Overview": "views/overview.py",
    "Countries": "views/countries.py",
    "Speakers & claims": "views/speakers.py",
    "Article reader": "views/reader.py",
    "Talking points": "views/points.py",
    "Upload": "views/upload.py",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=None, help="articles of the batch to use")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: one per core)")
    parser.add_argument("--sizes", default="2000,20000,200000", help="dashboard store sizes")
    parser.add_argument("--runs", type=int, default=5, help="reruns of each page and filter set")
    parser.add_argument("--rounds", type=int, default=2, help="side-by-side extraction rounds")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where stores are kept")
    parser.add_argument("--rebuild", action="store_true", help="build the cached stores again")
    parser.add_argument("--no-extraction", action="store_true")
    parser.add_argument("--no-dashboard", action="store_true")
    parser.add_argument(
        "--queries",
        action="store_true",
        help="also time each query of queries.py per filter set (best of 3, no cache)",
    )
    parser.add_argument("--dashboard-run", type=Path, help=argparse.SUPPRESS)  # internal
    parser.add_argument("--queries-run", type=Path, help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    if args.dashboard_run:
        _dashboard_run(args.dashboard_run, args.runs)
        return
    if args.queries_run:
        _queries_run(args.queries_run)
        return
    if not args.csv.exists():
        raise SystemExit(f"{args.csv} not found: pass --csv PATH to a CSV batch with a text column")
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    print(
        f"CPU free for this run: two busy processes get x{_capacity():.2f} the work of one done"
        " (x2.00 on an idle 2-core machine; other jobs share these cores)"
    )
    base = _base_path(args)
    if not args.no_extraction:
        extraction(args, base)
    if not args.no_dashboard:
        if not base.exists() or args.rebuild:
            _ingest_base(args, base)
        dashboard(args, base)


# -- extraction ------------------------------------------------------------------


def extraction(args: argparse.Namespace, base: Path) -> None:
    from claimscope import countries, entities, nlp, pipeline, quotes, read
    from claimscope.ingest import ingest
    from claimscope.records import Document
    from claimscope.settings import Settings
    from claimscope.store import Store
    from claimscope.workers import worker_count

    # Issue 10's pipeline (parse, entities, countries, quotes, store) runs without the
    # tone model and the talking points (issue 12 adds those; measured beside it).
    strict = Settings(strict=True, jobs=1, tone=False)
    jobs = worker_count(args.jobs)
    print("\n== Extraction ==")
    stock, stock_load = _timed(lambda: nlp.load(fast=False))
    ours, ours_load = _timed(lambda: nlp.load())
    items, *read_times = _measured(lambda: list(read.read_paths([args.csv], settings=strict)))
    read_times = tuple(read_times)
    documents = [d for d in items if isinstance(d, Document)][: args.limit]
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(documents):,} articles, {words:,} words ({args.csv.name})")
    print(f"model load: stock {stock_load:.2f} s, Claimscope's {ours_load:.2f} s")
    # Warm both pipelines (first-batch allocations) so that no timed run pays for it.
    list(stock.pipe(texts[:16]))
    list(ours.pipe(texts[:16]))

    # Rounds side by side: stock nlp.pipe, the whole pipeline with workers, the
    # whole pipeline in one process; the ratios are taken within each round
    # (other jobs on the machine come and go between rounds).
    parallel = Settings(strict=True, jobs=jobs, tone=False)
    full = Settings(strict=True, jobs=jobs)
    rounds: list[dict[str, tuple[float, float]]] = []
    for number in range(args.rounds):
        found: dict[str, tuple[float, float]] = {}
        found["pipe"] = _timed_cpu(lambda: list(stock.pipe(texts)))
        with tempfile.TemporaryDirectory() as folder:
            with Store(Path(folder) / "workers.duckdb") as store:
                found["workers"] = _timed_cpu(
                    lambda store=store: list(
                        ingest(documents, store, ours, settings=parallel, group=False)
                    )
                )
                if number == 0:
                    again_seconds = _timed(
                        lambda store=store: list(
                            ingest(documents, store, ours, settings=parallel, group=False)
                        )
                    )[1]
                    stored = store.count()
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "one.duckdb") as store:
            found["one"] = _timed_cpu(
                lambda store=store: list(
                    ingest(documents, store, ours, settings=strict, group=False)
                )
            )
        # As a user gets it: tone and talking points too (issue 12's budget: 25%).
        with tempfile.TemporaryDirectory() as folder:
            with Store(Path(folder) / "full.duckdb") as store:
                found["full"] = _timed_cpu(
                    lambda store=store: list(ingest(documents, store, ours, settings=full))
                )
            if number == 0:
                shutil.copy(Path(folder) / "full.duckdb", base)
        rounds.append(found)

    # Time per stage, one process, stage by stage over the whole batch: wall and CPU.
    docs, *parse_times = _measured(lambda: list(nlp.parse_many(ours, texts)))
    stage = {"read + clean": read_times, "parse": tuple(parse_times)}

    def entity_stage() -> list:
        views = []
        for document, doc in zip(documents, docs, strict=True):
            skip = (document.dateline_span,) if document.dateline_span else ()
            view = entities.build_view(doc, skip=skip)
            entities.extract_entities(doc, view=view, aliases={})
            views.append((doc, skip, view))
        return views

    views, *stage["entities"] = _measured(entity_stage)
    stage["countries"] = _measured(
        lambda: [countries.find_countries(doc, skip=skip, view=view) for doc, skip, view in views]
    )[1:]
    stage["quotes (with speakers)"] = _measured(
        lambda: [quotes.extract_quotes(doc, view=view) for doc, _, view in views]
    )[1:]
    articles = [
        pipeline.build_article(d, doc) for d, (doc, _, _) in zip(documents, views, strict=True)
    ]
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.duckdb") as store:
        stage["store"] = _measured(
            lambda store=store: [
                store.add_many(articles[first : first + nlp.BATCH_SIZE])
                for first in range(0, len(articles), nlp.BATCH_SIZE)
            ]
        )[1:]

    memory, cli_seconds = _cli_ingest_peak(args.csv, args.limit, jobs)

    def ratio(key: str, part: int) -> float:
        return statistics.median(r["pipe"][part] / r[key][part] for r in rounds)

    for number, found in enumerate(rounds, start=1):
        print(
            f"round {number}: wall s (CPU s): nlp.pipe {found['pipe'][0]:.1f} ({found['pipe'][1]:.1f}),"
            f" {jobs} workers {found['workers'][0]:.1f} ({found['workers'][1]:.1f}),"
            f" one process {found['one'][0]:.1f} ({found['one'][1]:.1f}),"
            f" {jobs} workers with tone and talking points {found['full'][0]:.1f}"
            f" ({found['full'][1]:.1f})"
        )
    pipe_seconds = statistics.median(r["pipe"][0] for r in rounds)
    workers_seconds = statistics.median(r["workers"][0] for r in rounds)
    one_seconds = statistics.median(r["one"][0] for r in rounds)
    print(f"spaCy's default nlp.pipe, one process     {words / pipe_seconds:8,.0f} words/s")
    print(
        f"whole pipeline + store, {jobs} workers        {words / workers_seconds:8,.0f} words/s"
        f"  x{ratio('workers', 0):.2f} of nlp.pipe (median of the rounds' ratios)"
        "  <- the figure of issue 10"
    )
    print(
        f"whole pipeline + store, one process       {words / one_seconds:8,.0f} words/s"
        f"  x{ratio('one', 0):.2f} of nlp.pipe"
    )
    full_seconds = statistics.median(r["full"][0] for r in rounds)
    added = statistics.median(r["full"][0] / r["workers"][0] - 1 for r in rounds)
    print(
        f"the same with tone and talking points     {words / full_seconds:8,.0f} words/s"
        f"  x{ratio('full', 0):.2f} of nlp.pipe; they add {added:.0%} to the time,"
        f" throughput {1 / (1 + added):.0%} of without"
    )
    print(
        f"CPU time per word, nlp.pipe over ours: x{ratio('workers', 1):.2f} with workers,"
        f" x{ratio('one', 1):.2f} in one process (the work, whatever else runs on the machine)"
    )
    print(f"stored {stored:,} articles")
    print(
        f"re-ingest of stored work / first ingest   x{again_seconds / rounds[0]['workers'][0]:.3f}"
    )
    print("time per stage (one process): wall, share of the wall, CPU per article")
    total = sum(wall for wall, _ in stage.values())
    for name, (wall, cpu) in stage.items():
        print(
            f"  {name:<24} {wall:7.2f} s  {wall / total:6.1%}"
            f"  {1000 * cpu / len(documents):7.1f} ms CPU/article"
        )
    print(
        f"claimscope ingest --jobs {jobs} (a fresh process, model loads included):"
        f" {cli_seconds:.1f} s, peak memory {memory / 2**20:,.0f} MiB (all its processes together)"
    )
    print(f"CPU free at the end: two busy processes get x{_capacity():.2f} the work of one done")


def _cli_ingest_peak(csv: Path, limit: int | None, jobs: int) -> tuple[int, float]:
    """Peak resident memory of a ``claimscope ingest`` and its workers, summed, and its time."""
    with tempfile.TemporaryDirectory() as folder:
        source = csv
        if limit:
            import pandas as pd

            source = Path(folder) / csv.name
            pd.read_csv(csv).head(limit).to_csv(source, index=False)
        command = [
            str(Path(sys.executable).parent / "claimscope"),
            "--strict",
            "ingest",
            "--jobs",
            str(jobs),
            "--store",
            str(Path(folder) / "cli.duckdb"),
            str(source),
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = _peak_tree_memory(process)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"claimscope ingest failed: {process.stderr.read().decode()[-2000:]}")
    return peak, seconds


def _peak_tree_memory(process: subprocess.Popen) -> int:
    """Sample the resident memory of ``process`` and its descendants until it ends."""
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.1)
    return peak


def _tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


# -- the stores ------------------------------------------------------------------------


def _base_path(args: argparse.Namespace) -> Path:
    schema = (ROOT / "lib" / "claimscope" / "schema.sql").read_bytes()
    key = hashlib.sha256(schema + str(args.csv.resolve()).encode() + str(args.limit).encode())
    return args.cache / f"base-{key.hexdigest()[:12]}.duckdb"


def _ingest_base(args: argparse.Namespace, base: Path) -> None:
    from claimscope import nlp, read
    from claimscope.ingest import ingest
    from claimscope.records import Document
    from claimscope.settings import Settings
    from claimscope.store import Store

    settings = Settings(strict=True, jobs=args.jobs)
    documents = [
        d for d in read.read_paths([args.csv], settings=settings) if isinstance(d, Document)
    ]
    base.unlink(missing_ok=True)
    with Store(base) as store:
        list(ingest(documents[: args.limit], store, nlp.load(), settings=settings))


def scaled_store(base: Path, size: int, cache: Path, rebuild: bool) -> Path:
    """The base store replicated to ``size`` articles: new ids (sha256 of id and copy),
    dates spread over ten years, five sources, and every copy's claim texts made
    distinct (a real archive repeats no claim; repeated strings would flatter the
    search), built with INSERT ... SELECT."""
    import duckdb

    from claimscope.store import Store

    path = cache / f"{base.stem}-{size}.duckdb"
    if path.exists() and not rebuild and path.stat().st_mtime >= base.stat().st_mtime:
        return path
    path.unlink(missing_ok=True)
    Store(path).close()
    sources = "[" + ", ".join(f"'{s}'" for s in SOURCES) + "]"
    with duckdb.connect(str(path)) as con:
        con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
        count = con.execute("SELECT count(*) FROM base.articles").fetchone()[0]
        con.execute(
            "CREATE TEMP TABLE copies AS SELECT old_id, k, new_id, n FROM ("
            " SELECT a.id AS old_id, r.k,"
            " CASE WHEN r.k = 0 THEN a.id ELSE sha256(a.id || ':' || r.k) END AS new_id,"
            " row_number() OVER (ORDER BY r.k, a.id) AS n"
            f" FROM base.articles a, range({-(-size // count)}) r(k)) WHERE n <= {size}"
        )
        con.execute(
            "INSERT INTO articles SELECT c.new_id, a.path || '#copy' || c.k, a.title,"
            f" {sources}[(c.n % {len(SOURCES)}) + 1], a.dateline,"
            " DATE '2015-01-01' + CAST((c.n * 7919) % 3653 AS INTEGER), a.url, a.text,"
            " a.ingested_at FROM copies c JOIN base.articles a ON a.id = c.old_id"
        )
        con.execute(
            "INSERT INTO quotes BY NAME SELECT c.new_id AS article_id,"
            " x.* EXCLUDE (article_id) REPLACE ("
            " CASE WHEN c.k = 0 THEN x.text ELSE x.text || ' [' || c.k || ']' END AS text)"
            " FROM copies c JOIN base.quotes x ON x.article_id = c.old_id"
        )
        # Every other table of an article's rows (entities, places, talking points, ...):
        # a copy of a claim stays in its talking point (the same claim, reworded).
        tables = con.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_catalog = 'base'"
            " AND column_name = 'article_id' AND table_name <> 'quotes'"
        ).fetchall()
        for (table,) in tables:
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT c.new_id AS article_id,"
                f" x.* EXCLUDE (article_id) FROM copies c JOIN base.{table} x"
                " ON x.article_id = c.old_id"
            )
        con.execute("CHECKPOINT")
    return path


# -- the dashboard -------------------------------------------------------------------


def dashboard(args: argparse.Namespace, base: Path) -> None:
    print("\n== Dashboard (AppTest through dashboard.py) ==")
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        store, build_seconds = _timed(
            lambda size=size: scaled_store(base, size, args.cache, args.rebuild)
        )
        command = [
            sys.executable,
            __file__,
            "--dashboard-run",
            str(store),
            "--runs",
            str(args.runs),
        ]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "lib")])}
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=ROOT, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"the dashboard run failed:\n{done.stderr[-4000:]}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        _print_dashboard(size, report, build_seconds)
        if args.queries:
            timed = subprocess.run(
                [sys.executable, __file__, "--queries-run", str(store)],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                check=False,
            )
            if timed.returncode != 0:
                raise SystemExit(f"the query timing failed:\n{timed.stderr[-4000:]}")
            print(timed.stdout, end="")


def _print_dashboard(size: int, report: dict, build_seconds: float) -> None:
    counts = report["counts"]
    print(
        f"\n{size:,} articles ({counts['claims']:,} claims, {counts['mentions']:,} country"
        f" mentions; store ready in {build_seconds:.1f} s)"
    )
    print(
        f"  cold server, first page (imports, store read, Overview): {report['cold_start']:.2f} s"
    )
    print(
        f"  {'page':<20} {'median':>8} {'p95':>8} {'max':>8}   (s; {report['samples']} runs a page)"
    )
    every = []
    for page, samples in report["pages"].items():
        every += samples
        print(f"  {page:<20} {_median(samples):8.3f} {_p95(samples):8.3f} {max(samples):8.3f}")
    print(f"  {'every page':<20} {_median(every):8.3f} {_p95(every):8.3f} {max(every):8.3f}")
    first = report["first_views"]
    print(
        f"  first view of a new filter set (a miss of every cache): median {_median(first):.3f} s,"
        f" p95 {_p95(first):.3f} s, max {max(first):.3f} s"
    )
    print(f"  filter sets: {', '.join(report['scenarios'])}")
    print(f"  dashboard process peak memory: {report['peak_mib']:,.0f} MiB")


def _dashboard_run(store: Path, runs: int) -> None:
    """In a fresh process: the cold first page, then every page and filter set."""
    started = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    os.environ["CLAIMSCOPE_STORE"] = str(store)
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp())  # no user alias table
    app = str(ROOT / "dashboard.py")
    at = AppTest.from_file(app, default_timeout=600).run()
    cold = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the Overview failed: {at.exception}")
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        counts = {
            "claims": con.execute("SELECT count(*) FROM quotes").fetchone()[0],
            "mentions": con.execute("SELECT count(*) FROM country_mentions").fetchone()[0],
        }
    country, speaker = _busiest(store)
    scenarios = {
        "none": {},
        "country": {"countries": [country]},
        "speaker": {"speakers": [speaker]},
        "text": {"search": "government"},
        "all three": {"countries": [country], "speakers": [speaker], "search": "the"},
    }
    pages: dict[str, list[float]] = {name: [] for name in PAGES}
    first_views: list[float] = []
    # One session, as an analyst uses it: set the sidebar filters, then visit
    # every page; the first view of each page is a miss of every cache.
    for filters in scenarios.values():
        for name, script in PAGES.items():
            at.switch_page(script)
            if name == "Overview":
                at.multiselect(key="filters.countries").set_value(filters.get("countries", []))
                at.multiselect(key="filters.speakers").set_value(filters.get("speakers", []))
                at.text_input(key="filters.search").set_value(filters.get("search", ""))
            _, seconds = _timed(at.run)
            if at.exception:
                raise SystemExit(f"{name} failed with {filters}: {at.exception}")
            pages[name].append(seconds)
            first_views.append(seconds)
            for _ in range(runs - 1):
                _, seconds = _timed(at.run)
                pages[name].append(seconds)
    # VmHWM, not ru_maxrss: after fork and exec, ru_maxrss still counts the parent's peak.
    peak = _high_water_mark() / 2**20
    print(
        json.dumps(
            {
                "cold_start": cold,
                "counts": counts,
                "pages": pages,
                "first_views": first_views,
                "scenarios": [f"{k} {v}" if v else k for k, v in scenarios.items()],
                "samples": len(scenarios) * runs,
                "peak_mib": peak,
            }
        )
    )


def _queries_run(store: Path) -> None:
    """In a fresh process: the mirror's copy of ``store``, then each query a page runs,
    per filter set, in ms (the best of three; no Streamlit, no cache)."""
    from claimscope import queries
    from claimscope.explore import Filters
    from claimscope.mirror import Mirror
    from claimscope.store import open_store

    source = open_store(str(store))
    mirror = Mirror()
    loaded = _timed(lambda: mirror.sync(source, source.version(), {}))[1]
    print(f"  mirror copy {loaded:.2f} s; memory after it {_resident() / 2**20:,.0f} MiB")
    country, speaker = _busiest(store)
    scenarios = {
        "none": Filters(),
        "country": Filters(countries=(country,)),
        "speaker": Filters(speakers=(speaker,)),
        "text": Filters(search="government"),
        "all three": Filters(countries=(country,), speakers=(speaker,), search="the"),
    }
    names = queries.country_names(mirror)
    rows: dict[str, list[float]] = {}
    for filters in scenarios.values():
        for name, ms in _query_times(mirror, filters, names).items():
            rows.setdefault(name, []).append(ms)
    print(f"  {'query (ms, best of 3)':<24}" + "".join(f"{k:>11}" for k in scenarios))
    for name, values in rows.items():
        print(f"  {name:<24}" + "".join(f"{v:11.1f}" for v in values))
    print(f"  peak memory of the timing process: {_high_water_mark() / 2**20:,.0f} MiB")


def _query_times(mirror: Any, filters: Any, names: dict[str, str]) -> dict[str, float]:
    """Each query of a page under ``filters``, in ms (the best of three runs)."""
    from claimscope import queries

    def best(function) -> float:  # noqa: ANN001 - any callable
        return min(_timed(function)[1] for _ in range(3)) * 1000

    cursors = []

    def build() -> queries.Selection:
        cursors.append(mirror.cursor())
        return queries.Selection(cursors[-1], filters)

    try:
        made = best(build)
        chosen = build()
        counts = queries.country_counts(chosen)
        iso3 = counts["iso3"].iloc[0] if len(counts) else "XXX"
        points = queries.talking_points(chosen, limit=50)
        point = points["point_id"].iloc[0] if len(points) else ""
        return {
            "selection": made,
            "summary": best(lambda: queries.summary(chosen)),
            "country counts": best(lambda: queries.country_counts(chosen)),
            "timeline": best(lambda: queries.mentions_over_time(chosen)),
            "busiest speakers": best(lambda: queries.speaker_counts(chosen, limit=100)),
            "speaker x country": best(lambda: queries.speaker_country_matrix(chosen, names=names)),
            "speaker x country tone": best(
                lambda: queries.speaker_country_tone(chosen, names=names)
            ),
            "claims, first page": best(lambda: queries.claims(chosen, names=names, limit=200)),
            "country: timeline": best(lambda: queries.mentions_over_time(chosen, iso3=iso3)),
            "country: co-mentions": best(lambda: queries.co_mentions(chosen, iso3)),
            "country: speakers": best(lambda: queries.speaker_counts(chosen, iso3=iso3, limit=100)),
            "country: claims": best(
                lambda: queries.claims(chosen, iso3=iso3, names=names, limit=200)
            ),
            "talking points": best(lambda: queries.talking_points(chosen, limit=50)),
            "a point's claims": best(lambda: queries.point_claims(chosen, point)),
            "reader's articles": best(lambda: queries.articles(chosen, limit=500)),
        }
    finally:
        for cursor in cursors:
            cursor.close()


def _busiest(store: Path) -> tuple[str, str]:
    """The most mentioned country and the most quoted speaker of ``store``."""
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        country = con.execute(
            "SELECT iso3 FROM country_mentions GROUP BY iso3 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        speaker = con.execute(
            "SELECT speaker FROM quotes WHERE speaker <> '' GROUP BY speaker"
            " ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    return country, speaker


# -- helpers ---------------------------------------------------------------------------

_SPIN = (
    "import time; t = time.perf_counter(); sum(range(40_000_000)); print(time.perf_counter() - t)"
)


def _capacity() -> float:
    """How much more work two CPU-bound processes do than one, right now."""
    alone = float(
        subprocess.run(
            [sys.executable, "-c", _SPIN], capture_output=True, text=True, check=True
        ).stdout
    )
    pair = [
        subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    seconds = [float(p.communicate()[0]) for p in pair]
    return 2 * alone / max(seconds)


def _timed(function):  # noqa: ANN001, ANN202 - any callable
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def _measured(function):  # noqa: ANN001, ANN202 - any callable
    """The call's result, its wall seconds and its CPU seconds (this process)."""
    cpu = time.process_time()
    result, seconds = _timed(function)
    return result, seconds, time.process_time() - cpu


def _timed_cpu(function) -> tuple[float, float]:  # noqa: ANN001 - any callable
    """Wall seconds and CPU seconds (this process and the children that ended) of a call."""
    cpu = _cpu()
    _, seconds = _timed(function)
    return seconds, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _resident() -> int:
    """This process's resident memory now in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _high_water_mark() -> int:
    """This process's peak resident memory in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
