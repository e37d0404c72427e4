"""The ``claimscope`` command: a thin layer over the library.

Each command builds library objects and prints; bad input becomes a usage
error or a one-line message on stderr naming the file, never a traceback.
The model and the store are imported inside the commands that use them, so
that ``claimscope serve`` (a wrapper around Streamlit) stays small.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimscope import logs, names
from claimscope import nlp as nlp_stage
from claimscope.records import Article, ReadFailure, Skipped
from claimscope.settings import ENV_VARS, MB, Settings, shown_location, store_location

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

QUOTE_CSV_COLUMNS = (
    "path",
    "id",
    "title",
    "source",
    "dateline",
    "published",
    "start",
    "end",
    "text",
    "kind",
    "cue",
    "speaker_mention",
    "speaker",
    "speaker_role",
    "speaker_type",
    "countries",
    "tone",
)


def _load_model(name: str | None) -> Language:
    try:
        return nlp_stage.load(name)
    except OSError as error:
        raise click.ClickException(str(error)) from error


def _aliases() -> dict[str, str]:
    """The user's alias table, applied to what is printed (a bad table is a usage error)."""
    try:
        return names.load_aliases()
    except ValueError as error:
        raise click.ClickException(str(error)) from error


def _report_failure(failure: ReadFailure | Skipped) -> None:
    status = "skipped: " if isinstance(failure, Skipped) else ""
    click.echo(f"{failure.path}: {status}{failure.reason}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimscope")
@click.option(
    "--model",
    envvar=nlp_stage.MODEL_ENV_VAR,
    default=None,
    metavar="NAME",
    help=f"spaCy pipeline to use [env {nlp_stage.MODEL_ENV_VAR}; default {nlp_stage.DEFAULT_MODEL}].",
)
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Raise unexpected errors (a bug in a reader, an extractor, the model) instead of"
    f" failing the one article they hit [env {ENV_VARS['strict']}=1].",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also write the log (retries, tracebacks of caught errors) to stderr.",
)
@click.pass_context
def main(ctx: click.Context, model: str | None, strict: bool | None, verbose: bool) -> None:
    """Claimscope: who claims what about which country, from news articles.

    Every unexpected error that is caught (the article it hit fails; the rest go on) is
    logged with its traceback to a file beside the store: news.duckdb -> news.log (a
    PostgreSQL store: postgresql-HOST-PORT-DB.log in the user data directory).
    """
    ctx.obj = {"model": model, "strict": strict or None, "verbose": verbose}


def _limit_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The size limits, shared by ``extract`` and ``ingest`` (defaults: :class:`Settings`)."""
    defaults = Settings()
    options = [
        click.option(
            "--max-file-mb",
            type=click.FloatRange(min=0, min_open=True),
            metavar="MB",
            default=None,
            help="Refuse a file (or zip member) larger than this, before reading it"
            f" [env {ENV_VARS['max_file_bytes']}; default {defaults.max_file_bytes // MB:,}].",
        ),
        click.option(
            "--max-article-chars",
            type=click.IntRange(min=1),
            metavar="N",
            default=None,
            help="Refuse an article longer than this; shorter long ones are parsed in parts"
            f" [env {ENV_VARS['max_article_chars']}; default {defaults.max_article_chars:,}].",
        ),
        click.option(
            "--max-zip-members",
            type=click.IntRange(min=1),
            metavar="N",
            default=None,
            help="Refuse a zip with more members than this"
            f" [env {ENV_VARS['max_zip_members']}; default {defaults.max_zip_members:,}].",
        ),
        click.option(
            "--max-zip-mb",
            type=click.FloatRange(min=0, min_open=True),
            metavar="MB",
            default=None,
            help="Stop reading a zip once it has unpacked this much"
            f" [env {ENV_VARS['max_zip_bytes']}; default {defaults.max_zip_bytes // MB:,}].",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _jobs_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        metavar="N",
        default=None,
        help="Worker processes that parse and extract, results kept in input order"
        f" [env {ENV_VARS['jobs']}; default 0: one per core; 1: no workers].",
    )(function)


def _tone_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--no-tone",
        is_flag=True,
        default=False,
        help="Leave every quote's tone empty: the tone model is not run"
        f" [env {ENV_VARS['tone']}=0].",
    )(function)


def _settings(ctx: click.Context, limits: dict[str, Any]) -> Settings:
    """Defaults, then the environment, then the command line."""

    def in_bytes(megabytes: float | None) -> int | None:
        return None if megabytes is None else int(megabytes * MB)

    try:
        return Settings.from_env(
            strict=ctx.obj["strict"],
            max_file_bytes=in_bytes(limits.get("max_file_mb")),
            max_article_chars=limits.get("max_article_chars"),
            max_zip_members=limits.get("max_zip_members"),
            max_zip_bytes=in_bytes(limits.get("max_zip_mb")),
            jobs=limits.get("jobs"),
            tone=False if limits.get("no_tone") else None,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from error


@main.command()
@click.option(
    "--raw", is_flag=True, help="Take each file's UTF-8 text exactly: no cleaning, no metadata."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per article; csv: one row per quote.",
)
@_limit_options
@_jobs_option
@_tone_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def extract(
    ctx: click.Context, raw: bool, output_format: str, paths: tuple[Path, ...], **limits: Any
) -> None:
    """Extract entities, countries and quotes from PATHS and print them; nothing is stored.

    A batch file (csv, json, jsonl, zip) yields one result per article inside it.
    Exit status: 0 all read, 1 some files failed (each failure is one line on
    stderr naming the file and the reason; the others are still printed). A
    README is skipped, with a line on stderr.
    """
    from claimscope import pipeline

    settings = _settings(ctx, limits)
    with logs.logging_to(logs.log_path(store_location()), verbose=ctx.obj["verbose"]):
        nlp = _load_model(ctx.obj["model"])
        aliases = _aliases()
        results = (
            names.with_aliases(r, aliases) if isinstance(r, Article) else r
            for r in pipeline.analyze_paths(paths, nlp, raw=raw, settings=settings)
        )
        if output_format == "jsonl":
            failed = _print_jsonl(results)
        else:
            failed = _print_quotes_csv(results)
    sys.stdout.flush()
    ctx.exit(1 if failed else 0)


Result = Article | ReadFailure | Skipped


def _articles(results: Iterator[Result], failures: list[ReadFailure]) -> Iterator[Article]:
    """Yield the articles; report each failure (or skipped file) on stderr, collect failures."""
    for result in results:
        if isinstance(result, ReadFailure):
            _report_failure(result)
            failures.append(result)
        elif isinstance(result, Skipped):
            _report_failure(result)
        else:
            yield result


def _print_jsonl(results: Iterator[Result]) -> int:
    failures: list[ReadFailure] = []
    for article in _articles(results, failures):
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
    return len(failures)


def _print_quotes_csv(results: Iterator[Result]) -> int:
    writer = csv.DictWriter(sys.stdout, fieldnames=QUOTE_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    failures: list[ReadFailure] = []
    for result in _articles(results, failures):
        for quote in result.quotes:
            writer.writerow(
                {
                    "path": result.path,
                    "id": result.id,
                    "title": result.title,
                    "source": result.source,
                    "dateline": result.dateline,
                    "published": result.published,
                    "start": quote.start,
                    "end": quote.end,
                    "text": quote.text,
                    "kind": quote.kind,
                    "cue": quote.cue.text if quote.cue else "",
                    "speaker_mention": quote.speaker_mention.text if quote.speaker_mention else "",
                    "speaker": quote.speaker or "",
                    "speaker_role": quote.speaker_role or "",
                    "speaker_type": quote.speaker_type or "",
                    "countries": ";".join(quote.countries),
                    "tone": ";".join(f"{t.target}:{t.polarity}:{t.score:+.2f}" for t in quote.tone),
                }
            )
    return len(failures)


def _store_option(function):
    return click.option(
        "--store",
        "store_path",
        metavar="FILE|URL",
        default=None,
        help="DuckDB file, or PostgreSQL database as postgresql://user@host:port/db"
        " [env CLAIMSCOPE_STORE; default: claimscope.duckdb in the user data directory].",
    )(function)


def _resolve_store_path(store_path: str | None) -> str:
    """The store's location as given: a file path or a ``postgresql://`` URL."""
    return store_path if store_path else store_location()


def _open_store(target: str, settings: Settings):
    """The store at ``target``; a store that cannot be opened is a message, not a traceback."""
    import duckdb

    from claimscope.store import StoreBusy, StoreUnavailable, open_store

    try:
        return open_store(target, wait=settings.store_wait)
    except StoreUnavailable as error:
        raise click.ClickException(str(error)) from error
    except (duckdb.Error, OSError, StoreBusy) as error:
        raise click.ClickException(f"cannot open store {_shown(target)}: {error}") from error


def _shown(target: str) -> str:
    """A store's location for messages (a URL's password hidden)."""
    return shown_location(target)


@main.command()
@_store_option
@_limit_options
@_jobs_option
@_tone_option
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where articles are parsed: here (worker processes, --jobs), or on a Dask cluster"
    " (--scheduler); either way this process reads the files and writes the store.",
)
@click.option(
    "--partition",
    type=click.IntRange(min=1),
    metavar="N",
    default=nlp_stage.BATCH_SIZE,
    show_default=True,
    help="Articles per partition: one task on a worker, one write transaction. Smaller"
    " partitions share the last ones more evenly between workers.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    envvar="CLAIMSCOPE_SCHEDULER",
    default=None,
    help="The Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786"
    " [env CLAIMSCOPE_SCHEDULER; ignored by --engine local].",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def ingest(
    ctx: click.Context,
    store_path: str | None,
    engine: str,
    partition: int,
    scheduler: str | None,
    paths: tuple[Path, ...],
    **limits: Any,
) -> None:
    """Read, extract and store PATHS; print one status line per article and a summary.

    Status is `stored`, `duplicate` (the same text is already stored), `failed: reason`
    or `skipped: reason` (a README). Exit status: 0 all read, 1 some failed. Other
    ingests and open dashboards may use the same store meanwhile.
    """
    if engine == "dask" and not scheduler:
        raise click.UsageError("--engine dask needs --scheduler tcp://HOST:PORT")
    target = _resolve_store_path(store_path)
    settings = _settings(ctx, limits)
    with logs.logging_to(logs.log_path(target), verbose=ctx.obj["verbose"]):
        cluster = scheduler if engine == "dask" else None
        totals = _ingest(ctx, target, paths, settings, cluster, partition)
    skipped = f", {totals['skipped']} skipped" if totals["skipped"] else ""
    click.echo(
        f"{totals['stored']} stored, {totals['duplicate']} duplicate, {totals['failed']} failed"
        f"{skipped} -> {_shown(target)}"
    )
    ctx.exit(1 if totals["failed"] else 0)


def _ingest(
    ctx: click.Context,
    target: str,
    paths: tuple[Path, ...],
    settings: Settings,
    scheduler: str | None,
    partition: int,
) -> Counter[str]:
    store = _open_store(target, settings)
    with store, _engine(ctx, scheduler, settings) as engine:
        nlp = None if engine is not None else _load_model(ctx.obj["model"])
        return _ingest_into(store, nlp, paths, settings, engine, partition)


@contextlib.contextmanager
def _engine(ctx: click.Context, scheduler: str | None, settings: Settings) -> Iterator[Any]:
    """The Dask engine on ``scheduler`` (``None``: parse here); a cluster that cannot be
    reached is a message."""
    if scheduler is None:
        yield None
        return
    from claimscope.cluster import ClusterUnavailable, DaskEngine

    try:
        with DaskEngine(scheduler, settings, model=ctx.obj["model"]) as engine:
            yield engine
    except ClusterUnavailable as error:  # raised when connecting: nothing was ingested
        raise click.ClickException(str(error)) from error


def _ingest_into(
    store: Any,
    nlp: Language | None,
    paths: tuple[Path, ...],
    settings: Settings,
    engine: Any,
    partition: int,
) -> Counter[str]:
    from claimscope import read
    from claimscope.ingest import ingest as ingest_items

    totals: Counter[str] = Counter()
    progress = _progress_bar(lambda: read.read_paths(paths, settings=settings))
    items = read.read_paths(paths, settings=settings)
    outcomes = ingest_items(
        items, store, nlp, settings=settings, engine=engine, chunk_size=partition
    )
    for outcome in outcomes:
        totals[outcome.status] += 1
        line = outcome.line()
        if outcome.status == "failed":
            log.info("%s", line)
        if progress is not None:
            progress.advance(line)
        else:
            click.echo(line)
    if progress is not None:
        progress.close()
    return totals


class _ProgressBar:
    """tqdm on stderr: articles done (received from the pipeline, never merely
    handed to a worker), the average rate since the start, and the time left once
    a background count of the input (:class:`claimscope.progress.Tally`) is in."""

    def __init__(self, items: Callable[[], Any]) -> None:
        from tqdm import tqdm

        self.items = items
        self.tally: Any = None
        # smoothing=0: the average since the start, not the last burst (workers
        # hand back a batch of articles at a time).
        self.bar = tqdm(unit="article", file=sys.stderr, dynamic_ncols=True, smoothing=0)

    def advance(self, line: str) -> None:
        if self.tally is None:
            from claimscope.progress import Tally

            # Started with the first outcome, once the workers are running: they
            # are forked only while no other thread runs (see claimscope.workers).
            self.tally = Tally(self.items)
        if self.bar.total is None and self.tally.total is not None:
            self.bar.total = self.tally.total
        self.bar.update(1)
        self.bar.write(line, file=sys.stdout)

    def close(self) -> None:
        self.bar.close()


def _progress_bar(items: Callable[[], Any]) -> _ProgressBar | None:
    """A progress bar on stderr when stderr is a terminal; ``None`` in pipes and tests."""
    if not sys.stderr.isatty():
        return None
    return _ProgressBar(items)


@main.command()
@_store_option
@click.option("--port", type=int, default=8501, show_default=True, help="Port to serve on.")
@click.pass_context
def serve(ctx: click.Context, store_path: str | None, port: int) -> None:
    """Start the dashboard (`streamlit run dashboard.py`) on a store."""
    dashboard = Path(__file__).resolve().parents[2] / "dashboard.py"
    if not dashboard.exists():
        raise click.ClickException(
            f"dashboard.py not found at {dashboard}: run `claimscope serve` from a source checkout"
        )
    env = dict(os.environ)
    env["CLAIMSCOPE_STORE"] = str(_resolve_store_path(store_path))
    if ctx.obj["model"]:
        env[nlp_stage.MODEL_ENV_VAR] = ctx.obj["model"]
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(dashboard),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    shown = _shown(env["CLAIMSCOPE_STORE"])
    click.echo(f"Claimscope on http://localhost:{port} (store {shown})", err=True)
    try:
        completed = subprocess.run(command, env=env, cwd=dashboard.parent, check=False)
    except KeyboardInterrupt:
        ctx.exit(0)
    ctx.exit(completed.returncode)


def _tone_targets(path: Path):
    """NewsMTSC targets of a file, a bad line being a one-line error naming it."""
    from claimscope import newsmtsc

    try:
        return newsmtsc.load(path)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise click.ClickException(str(error)) from error


def _tone_model():
    from claimscope import tone

    try:
        return tone.default_model()
    except (OSError, ImportError) as error:
        raise click.ClickException(f"the tone model cannot be loaded: {error}") from error


@main.command(name="tone")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def tone_command(file: Path) -> None:
    """Print the tone toward each target of a NewsMTSC-format JSON Lines FILE.

    One JSON line per target, in file order: {"gid": its Input.gid, "polarity":
    "negative|neutral|positive", "score": P(positive) - P(negative)}.
    """
    from claimscope import tone

    targets = _tone_targets(file)
    scores = _tone_model().predict([tone.ToneInput(t.sentence, t.start, t.end) for t in targets])
    for target, result in zip(targets, scores, strict=True):
        click.echo(
            json.dumps({"gid": target.gid, "polarity": result.polarity, "score": result.score})
        )


@main.command(name="export")
@_store_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["parquet"]),
    default="parquet",
    show_default=True,
    help="One Parquet file per table, and manifest.json with their row counts.",
)
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def export_command(
    ctx: click.Context, store_path: str | None, output_format: str, folder: Path
) -> None:
    """Write every table of the store to FOLDER (one snapshot), for `claimscope import`.

    Moves a store between backends (DuckDB, PostgreSQL) or machines. FOLDER must not
    hold an export already.
    """
    from claimscope.store import StoreBusy
    from claimscope.transfer import TransferError, export_store

    target = _resolve_store_path(store_path)
    settings = _settings(ctx, {})
    store = _open_store(target, settings)
    try:
        with logs.logging_to(logs.log_path(target), verbose=ctx.obj["verbose"]), store:
            counts = export_store(store, folder)
    except (TransferError, OSError, StoreBusy) as error:
        raise click.ClickException(str(error)) from error
    rows = ", ".join(f"{table} {count:,}" for table, count in counts.items())
    click.echo(f"exported {rows} -> {folder}")


@main.command(name="import")
@_store_option
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.pass_context
def import_command(ctx: click.Context, store_path: str | None, folder: Path) -> None:
    """Add the articles of an export FOLDER to the store; articles already stored are
    left as they are (run it again after an interruption).

    Each file's row count is checked against the export's manifest before anything
    is written, and the rows the store gained against the files' rows of the articles
    added (import into a store that nobody else writes meanwhile). Exit status: 0
    done, 1 a count did not add up or an article was refused.
    """
    from claimscope.store import StoreBusy
    from claimscope.transfer import TransferError, import_store

    target = _resolve_store_path(store_path)
    settings = _settings(ctx, {})
    store = _open_store(target, settings)
    try:
        with logs.logging_to(logs.log_path(target), verbose=ctx.obj["verbose"]), store:
            report = import_store(store, folder)
    except (TransferError, OSError, StoreBusy) as error:
        raise click.ClickException(str(error)) from error
    rows = ", ".join(f"{table} {count:,}" for table, count in report.rows.items())
    click.echo(
        f"{report.added} imported, {report.duplicates} already stored; rows added and"
        f" checked: {rows} -> {_shown(target)}"
    )


@main.group(name="eval")
def eval_group() -> None:
    """Score extraction against gold annotations."""


@eval_group.command(name="polnear")
@click.argument(
    "split_dir", type=click.Path(path_type=Path, exists=True, file_okay=False, dir_okay=True)
)
@click.option("--limit", type=int, default=None, help="Score only the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.pass_context
def eval_polnear(ctx: click.Context, split_dir: Path, limit: int | None, as_json: bool) -> None:
    """Score quotes on a PolNeAR split folder (e.g. .../polnear/data/dev).

    Protocol: each predicted quote matches at most one gold Content, greedily by
    coverage of the gold characters; a match needs coverage > 0.3 (lenient) or
    > 0.8 (strict). The speaker is right when the predicted mention overlaps
    the gold Source, or both are absent.
    """
    from claimscope import polnear

    if not (split_dir / "text").is_dir() or not (split_dir / "attributions").is_dir():
        raise click.UsageError(f"{split_dir} has no text/ and attributions/ folders")
    nlp = _load_model(ctx.obj["model"])
    try:
        report = polnear.evaluate(split_dir, nlp, limit=limit)
    except (OSError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.format())


@eval_group.command(name="speakers")
@click.argument(
    "gold_file", type=click.Path(path_type=Path, exists=True, dir_okay=False, file_okay=True)
)
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("../shared/corpora/bbc-news"),
    show_default=True,
    help="Folder holding the corpus files the gold rows name (train.csv).",
)
@click.option("--errors", is_flag=True, help="List every wrong name, grouped by class.")
@click.option("--limit", type=int, default=None, help="Score only the first N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.pass_context
def eval_speakers(
    ctx: click.Context,
    gold_file: Path,
    corpus_dir: Path,
    errors: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """Score speaker names on a hand-annotated gold set (e.g. tests/data/bbc_speakers.jsonl).

    Each gold line names a corpus row, the span of one quote's content and the
    speaker's acceptable names; spans are checked against the corpus first.
    Quotes match gold contents as in PolNeAR (coverage > 0.3); a matched quote's
    name is right when quote.speaker equals a gold name (case, diacritics, a
    possessive and a leading "the" aside), or both are absent.
    """
    from claimscope import speakereval

    if not corpus_dir.is_dir():
        raise click.UsageError(f"corpus folder {corpus_dir} not found (pass --corpus DIR)")
    nlp = _load_model(ctx.obj["model"])
    try:
        report = speakereval.evaluate(gold_file, nlp, corpus_dir, limit=limit)
    except (OSError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(report.to_dict(errors=errors), indent=2, ensure_ascii=False))
    else:
        click.echo(report.format(errors=errors))


@eval_group.command(name="newsmtsc")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--held-aside",
    is_flag=True,
    help="Score only the sentences of FILE held aside from training (for train.jsonl).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def eval_newsmtsc(file: Path, held_aside: bool, as_json: bool) -> None:
    """Score the tone model on a NewsMTSC-format FILE: macro F1 and accuracy.

    Every labelled target is predicted (negative, neutral, positive) and scored
    with macro F1 over the three classes (F1m, as the NewsMTSC paper) and
    accuracy. The shipped model was trained on train.jsonl less its held-aside
    15% (a hash of primary_gid), so score train.jsonl with --held-aside only.
    """
    from claimscope import newsmtsc, tone

    targets = list(newsmtsc.labelled(_tone_targets(file)))
    if held_aside:
        targets = newsmtsc.split(targets)[1]
    if not targets:
        raise click.UsageError(f"{file} has no labelled target to score")
    scores = _tone_model().predict([tone.ToneInput(t.sentence, t.start, t.end) for t in targets])
    report = newsmtsc.score([t.polarity for t in targets], [s.polarity for s in scores])
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), indent=2))
        return
    click.echo(f"targets   {report.n}")
    click.echo(f"macro F1  {report.macro_f1:.4f}")
    click.echo(f"accuracy  {report.accuracy:.4f}")
    click.echo("F1        " + "  ".join(f"{k} {v:.4f}" for k, v in report.f1.items()))


if __name__ == "__main__":  # pragma: no cover
    main()
