"""Upload: drop articles (or a zip of them) and see what was stored, skipped or refused."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

import pandas as pd
import streamlit as st
from views import common

from claimscope import ingest as ingest_stage
from claimscope import read as read_stage
from claimscope.explore import escape_markdown
from claimscope.ingest import IngestOutcome
from claimscope.nlp import BATCH_SIZE
from claimscope.progress import Progress, Tally
from claimscope.records import Document, ReadFailure, Skipped
from claimscope.settings import ENV_VARS
from claimscope.workers import worker_count

log = logging.getLogger("claimscope.views.upload")

ACCEPTED = ["txt", "md", "html", "htm", "pdf", "docx", "csv", "json", "jsonl", "zip"]
RESULTS_KEY = "upload.results"  # file_id -> outcomes, so a rerun never redoes a file
SAMPLES_KEY = "upload.sample_results"

st.title("Upload articles")
st.write(
    "Drop news articles here — text, Markdown, HTML, PDF, Word, or CSV/JSON/JSONL batches — "
    "or one zip holding many. Each article is read, analysed and stored; an article already "
    "in the store is recognised and skipped without being analysed again."
)
st.caption(
    f"A large upload (over {BATCH_SIZE} articles) is parsed by"
    f" {worker_count(common.settings().jobs):,} worker processes"
    f" (the `{ENV_VARS['jobs']}` setting; 1 parses in the server itself)."
)


def _outcome_rows(outcomes: Iterable[IngestOutcome]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "path": o.path,
                "status": o.status,
                "reason": o.reason or "",
                "title": o.title or "",
                "quotes": o.quotes,
                "countries": o.countries,
            }
            for o in outcomes
        ],
        columns=["path", "status", "reason", "title", "quotes", "countries"],
    )


def _run(
    files: list[tuple[str, Callable[[], Iterable[Document | ReadFailure | Skipped]]]], label: str
) -> list[list[IngestOutcome]]:
    """Ingest the files with a status box and a progress bar; outcomes per file.

    The same rules as ``claimscope ingest``: short writes, so CLI ingests and
    other sessions share the store meanwhile, and worker processes
    (``CLAIMSCOPE_JOBS``) once there is more than one batch to parse. A file
    that breaks a reader or an extractor becomes a failed outcome naming the
    file and the reason; an error nobody expected is logged with its traceback
    (raised in strict mode).
    """
    settings = common.settings()
    try:
        nlp = common.get_nlp()
    except OSError as error:
        st.error(f"The language model could not be loaded: {error}")
        return [[] for _ in files]
    store = common.get_store()
    per_file: list[list[IngestOutcome]] = [[] for _ in files]
    progress = Progress()
    tally = Tally(lambda: (item for _, read in files for item in read()))
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text=f"Reading {len(files):,} file{'s' if len(files) != 1 else ''}…")
        current = 0
        try:
            for index, outcome in ingest_stage.ingest_files(files, store, nlp, settings=settings):
                while current < index:  # every outcome of the earlier files is in
                    _file_done(files[current][0], per_file[current])
                    current += 1
                per_file[index].append(outcome)
                progress.total = tally.total
                progress.advance()
                bar.progress(progress.fraction or index / len(files), text=progress.describe())
        except Exception as error:  # noqa: BLE001 - logged; the files not done are named as failed
            if settings.strict:
                raise
            log.exception("uploading failed")
            reason = f"unexpected {type(error).__name__}: {error} (its traceback is in the log)"
            for index in range(current, len(files)):
                per_file[index].append(IngestOutcome(files[index][0], "failed", reason=reason))
        for index in range(current, len(files)):
            _file_done(files[index][0], per_file[index])
        bar.progress(1.0, text=f"Done: {progress.describe()}")
        common.forget_version()
        outcomes = [o for found in per_file for o in found]
        failed = sum(o.status == "failed" for o in outcomes)
        status.update(
            label=f"{label.rstrip('…')}: {_summary(outcomes)}",
            state="error" if failed and failed == len(outcomes) else "complete",
            expanded=False,
        )
    # Outside the status box, which folds away when done.
    for outcome in outcomes:
        if outcome.status == "failed":
            st.error(
                f"**{escape_markdown(outcome.path)}** could not be stored:"
                f" {escape_markdown(outcome.reason or '')}"
            )
    return per_file


def _file_done(name: str, found: list[IngestOutcome]) -> None:
    st.write(f"{escape_markdown(name)}: {_summary(found)}")


def _summary(outcomes: list[IngestOutcome]) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("stored", "duplicate", "failed")}
    skipped = sum(o.status == "skipped" for o in outcomes)
    text = ", ".join(f"{n:,} {status}" for status, n in counts.items())
    return f"{text}, {skipped:,} skipped" if skipped else text


def _reader(name: str, data: bytes) -> Callable[[], Iterator[Document | ReadFailure | Skipped]]:
    return lambda: read_stage.read_bytes(name, data, settings=common.settings())


uploaded = st.file_uploader(
    "Articles or a zip",
    type=ACCEPTED,
    accept_multiple_files=True,
    key="upload.files",
    help="Many files at once, or one zip.",
)
done: dict[str, list[IngestOutcome]] = st.session_state.setdefault(RESULTS_KEY, {})
new_files = [f for f in uploaded or [] if f.file_id not in done]
if new_files:
    for file in new_files:
        done[file.file_id] = []
    results = _run(
        [(f.name, _reader(f.name, f.getvalue())) for f in new_files],
        f"Extracting {len(new_files):,} file{'s' if len(new_files) != 1 else ''}…",
    )
    # Outcomes are kept per upload for the table below (UI state only: the
    # articles themselves are in the store).
    for file, found in zip(new_files, results, strict=True):
        done[file.file_id] = found

current = [o for f in uploaded or [] for o in done.get(f.file_id, [])]
if current:
    st.subheader("Results")
    st.caption(_summary(current))
    st.dataframe(_outcome_rows(current), hide_index=True, width="stretch")

st.divider()
st.subheader("Try it with the sample articles")
samples = common.sample_files()
if not samples:
    st.caption("No sample articles are bundled with this copy of Claimscope.")
else:
    st.write(
        f"{len(samples):,} sample files in `sample_articles/` (the CSV and JSONL files hold several articles each)."
    )
    if st.button("Load the sample articles", type="primary", key="upload.load_samples"):
        per_file = _run(
            [
                (p.name, lambda p=p: read_stage.read_paths([p], settings=common.settings()))
                for p in samples
            ],
            "Loading the samples…",
        )
        st.session_state[SAMPLES_KEY] = [o for found in per_file for o in found]
    sample_results = st.session_state.get(SAMPLES_KEY)
    if sample_results:
        st.caption(_summary(sample_results))
        st.dataframe(_outcome_rows(sample_results), hide_index=True, width="stretch")

store = common.get_store()
if store.count() and (current or st.session_state.get(SAMPLES_KEY)):
    st.page_link(common.OVERVIEW_PAGE, label="See the Overview", icon=":material/public:")
