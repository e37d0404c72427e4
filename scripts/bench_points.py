"""What talking points cost at ingest: `python scripts/bench_points.py` (not a timed test).

Ingests the BBC News test batch (../shared/corpora/bbc-news/test.csv) in one
process (``--jobs 1``, strict mode) into a fresh store and times, within that
run, the whole ingest and the part spent grouping claims into talking points
(every ``points.update_store`` call, embedding included); then the embedder
alone over every stored claim (claims per second, one core), and regrouping
the whole store from nothing. Prints the share of ingest time the grouping
took. Compare ratios, not seconds: the machine is shared.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from claimscope import ingest, nlp, points, read
from claimscope.settings import Settings
from claimscope.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "corpora" / "bbc-news" / "test.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument(
        "--show", type=int, default=0, help="print N claims that joined a point, to judge by eye"
    )
    args = parser.parse_args()
    grouping: list[float] = []
    update = points.update_store

    def timed_update(*a, **k) -> int:  # noqa: ANN002, ANN003 - points.update_store's
        start = time.perf_counter()
        try:
            return update(*a, **k)
        finally:
            grouping.append(time.perf_counter() - start)

    points.update_store = timed_update  # ingest calls it through the module
    model = nlp.load()
    settings = Settings(jobs=1, strict=True)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        start = time.perf_counter()
        outcomes = list(
            ingest.ingest(read.read_paths([str(args.csv)]), store, model, settings=settings)
        )
        total = time.perf_counter() - start
        stored = sum(o.status == "stored" for o in outcomes)
        claims = store.query("SELECT text FROM quotes")["text"].map(points.claim_text).tolist()
        embedder = points.load_embedder()
        start = time.perf_counter()
        embedder.embed(claims)
        embed = time.perf_counter() - start
        start = time.perf_counter()
        points.regroup(store, embedder)
        regroup = time.perf_counter() - start
        grouped = store.query(
            "SELECT count(*) AS claims, count(DISTINCT point_id) AS points,"
            " count(*) FILTER (WHERE point_id <> article_id || ':' || quote_index) AS joined"
            " FROM claim_points"
        ).iloc[0]
        joins = store.query(
            "SELECT p.similarity, first.text AS opened, q.text AS joined FROM claim_points p"
            " JOIN quotes q ON q.article_id = p.article_id AND q.quote_index = p.quote_index"
            " JOIN quotes first ON first.article_id || ':' || first.quote_index = p.point_id"
            " WHERE p.point_id <> p.article_id || ':' || p.quote_index"
            " ORDER BY hash(p.article_id || p.quote_index) LIMIT ?",
            [args.show],
        )
    print(f"articles stored: {stored:,}; claims: {len(claims):,}")
    print(
        f"ingest (one process, grouping included): {total:.1f} s, {total / stored * 1000:.0f} ms an article"
    )
    print(
        f"grouping at ingest ({len(grouping)} updates, model load included): {sum(grouping):.2f} s,"
        f" {sum(grouping) / total:.1%} of ingest time"
    )
    print(f"embedding alone: {len(claims) / embed:,.0f} claims/s ({embed:.2f} s)")
    print(f"regrouping the whole store from nothing: {regroup:.2f} s")
    print(
        f"points: {int(grouped['points']):,} for {int(grouped['claims']):,} claims;"
        f" {int(grouped['joined']):,} claims joined an earlier claim's point"
    )
    for row in joins.itertuples():
        print(f"{row.similarity:.2f}  {points.claim_text(row.opened)[:110]}")
        print(f"      {points.claim_text(row.joined)[:110]}")


if __name__ == "__main__":
    main()
