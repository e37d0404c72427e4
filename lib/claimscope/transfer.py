"""Move a store between backends or machines: ``claimscope export`` and ``claimscope import``.

An export is a folder with one Parquet file per store table (the DuckDB
store's columns and types: ``cue`` and ``speaker_mention`` as structs,
``countries`` as a list of strings, ``published`` a date) and
``manifest.json`` with each table's row count. Every table is read in one
snapshot of the store, so an ingest running meanwhile never leaves rows
without their article in the export.

An import reads the folder back into any store through the store's own
writes (:meth:`add_many`: a batch per transaction, duplicates checked inside
it), so the import of an export into a store that already holds some of its
articles adds only the others, and an interrupted import can simply be run
again. Row counts are checked twice: each file against the manifest before
anything is written (a truncated or mixed-up copy is refused), and the store's
rows added per table against the files' rows of the articles it added. The
time of ingest (``ingested_at``) becomes that of the import.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from claimscope.records import (
    Article,
    CountryMention,
    EntityMention,
    Quote,
    RegionMention,
    Tone,
)
from claimscope.store import TABLES, _span_from_struct

MANIFEST = "manifest.json"
FORMAT = "claimscope-store"
FORMAT_VERSION = 1
IMPORT_BATCH = 200


class TransferError(ValueError):
    """An export folder that cannot be imported, or counts that do not add up."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: articles added and already stored, rows added per table."""

    added: int
    duplicates: int
    rows: dict[str, int]


def export_store(store: Any, folder: Path) -> dict[str, int]:
    """Write every table of ``store`` to ``folder`` (created) as Parquet, with a manifest;
    the row count of each table. Refuses a folder that already holds an export."""
    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise TransferError(f"{folder} already holds an export ({MANIFEST}); choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    tables = store.snapshot_arrow()
    counts = {}
    for table in TABLES:
        pq.write_table(tables[table], folder / f"{table}.parquet")
        counts[table] = tables[table].num_rows
    for table in TABLES:
        written = pq.ParquetFile(folder / f"{table}.parquet").metadata.num_rows
        if written != counts[table]:
            raise TransferError(f"{table}.parquet holds {written} rows, not {counts[table]}")
    manifest = {"format": FORMAT, "version": FORMAT_VERSION, "rows": counts}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def read_export(folder: Path) -> dict[str, pa.Table]:
    """The tables of an export folder, each checked against the manifest's row count."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TransferError(f"{folder} is not a Claimscope export: no {MANIFEST}") from None
    except json.JSONDecodeError as error:
        raise TransferError(f"{folder / MANIFEST} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise TransferError(
            f"{folder / MANIFEST} is not a {FORMAT} export of version {FORMAT_VERSION}"
        )
    tables = {}
    for table in TABLES:
        path = folder / f"{table}.parquet"
        if not path.exists():
            raise TransferError(f"{path} is missing")
        tables[table] = pq.read_table(path)
        expected = int(manifest["rows"][table])
        if tables[table].num_rows != expected:
            raise TransferError(
                f"{path.name} holds {tables[table].num_rows} rows, the manifest says {expected}:"
                " the export is incomplete"
            )
    return tables


def articles_from_tables(tables: dict[str, pa.Table]) -> Iterator[Article]:
    """The articles of an export, in the order they were stored, with all their rows."""
    rows: dict[str, dict[str, list[dict]]] = {t: defaultdict(list) for t in TABLES[1:]}
    for table in TABLES[1:]:
        for row in tables[table].to_pylist():
            rows[table][row["article_id"]].append(row)
    tones: dict[tuple[str, int], list[Tone]] = defaultdict(list)
    for t in rows["quote_tones"].values():
        for row in t:
            tones[row["article_id"], row["quote_index"]].append(
                Tone(row["target"], row["polarity"], row["score"])
            )
    for a in tables["articles"].to_pylist():
        key = a["id"]
        published = a["published"]
        yield Article(
            path=a["path"],
            id=key,
            title=a["title"],
            source=a["source"],
            dateline=a["dateline"],
            published=published.isoformat() if published is not None else None,
            url=a["url"],
            text=a["text"],
            entities=tuple(
                EntityMention(e["start"], e["end"], e["text"], e["label"], e["canonical"])
                for e in rows["entities"].get(key, ())
            ),
            countries=tuple(
                CountryMention(c["start"], c["end"], c["text"], c["iso3"], c["country"], c["via"])
                for c in rows["country_mentions"].get(key, ())
            ),
            regions=tuple(
                RegionMention(r["start"], r["end"], r["text"], r["region"])
                for r in rows["region_mentions"].get(key, ())
            ),
            quotes=tuple(
                Quote(
                    start=q["start"],
                    end=q["end"],
                    text=q["text"],
                    kind=q["kind"],
                    cue=_span_from_struct(q["cue"]),
                    speaker_mention=_span_from_struct(q["speaker_mention"]),
                    speaker=q["speaker"],
                    speaker_role=q["speaker_role"],
                    speaker_type=q["speaker_type"],
                    countries=tuple(q["countries"] or ()),
                    tone=tuple(tones.get((key, q["quote_index"]), ())),
                )
                for q in sorted(rows["quotes"].get(key, ()), key=lambda q: q["quote_index"])
            ),
        )


def import_store(store: Any, folder: Path, *, group: bool = True) -> ImportReport:
    """Add the articles of an export folder to ``store``; raises :class:`TransferError`
    when a file disagrees with the manifest, an article is refused, or the rows the
    store gained differ from the files' rows of the articles added (another writer
    meanwhile makes that check fail too: import into a store nobody else writes).

    Talking points are not part of an export: with ``group``, the claims added are
    grouped into the store's points afterwards, as an ingest does."""
    tables = read_export(folder)
    before = {table: store.count(table) for table in TABLES}
    expected: dict[str, int] = dict.fromkeys(TABLES, 0)
    added = duplicates = 0
    batch: list[Article] = []

    def flush() -> None:
        nonlocal added, duplicates
        for article, result in zip(batch, store.add_many(batch), strict=True):
            if isinstance(result, Exception):
                raise TransferError(
                    f"the store refused article {article.id} ({article.path}):"
                    f" {type(result).__name__}: {result}"
                )
            if result:
                added += 1
                expected["articles"] += 1
                expected["entities"] += len(article.entities)
                expected["country_mentions"] += len(article.countries)
                expected["region_mentions"] += len(article.regions)
                expected["quotes"] += len(article.quotes)
                expected["quote_tones"] += sum(len(q.tone) for q in article.quotes)
            else:
                duplicates += 1
        batch.clear()

    for article in articles_from_tables(tables):
        batch.append(article)
        if len(batch) >= IMPORT_BATCH:
            flush()
    flush()
    gained = {table: store.count(table) - before[table] for table in TABLES}
    if gained != expected:
        raise TransferError(
            "row counts do not add up after the import: the store gained "
            + ", ".join(f"{t} {gained[t]}" for t in TABLES)
            + "; the files' rows of the added articles are "
            + ", ".join(f"{t} {expected[t]}" for t in TABLES)
        )
    if added and group:
        from claimscope import points

        points.update_store(store, points.load_embedder())
    return ImportReport(added=added, duplicates=duplicates, rows=gained)
