"""Worker processes that run the whole article pipeline on batches, results in input order.

Each worker has the model once: forked from the caller, with the caller's
model in its memory (Linux, when the caller runs no other thread), else
started afresh and loading it from the folder the caller's model was loaded
from. It turns a batch of :class:`~claimscope.records.Document` into frozen
:class:`~claimscope.records.Article` records (or failures): only plain records
cross the process boundary, never spaCy ``Doc`` objects. At most two batches per
worker are in flight, so memory stays flat however long the input is, and the
caller (reading files, checking the store, writing) works while they parse.

Failures stay per article. An article that makes an extractor or the model
raise fails inside its worker exactly as in one process (see
:func:`claimscope.pipeline.analyze_batch`). A worker that dies outright (killed,
out of memory, a crash in native code) breaks the pool: the pool is started
again and the batches it held are redone one article per task, so that only an
article that kills a worker again fails, with a reason that says so. In strict
mode a dead worker is raised instead.

The workers' log records go to the caller's ``claimscope`` logger (a queue and a
listener thread), so they land in the log file beside the store.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claimscope.logs import LOGGER_NAME
from claimscope.records import Article, Document, ReadFailure, Skipped
from claimscope.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

Item = Document | ReadFailure | Skipped
Result = Article | ReadFailure | Skipped
# Batches queued per worker: one parsing, one waiting, so a worker never idles
# while the caller stores the previous result.
IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True, slots=True)
class ModelSource:
    """Where a worker loads its model from: the pipeline folder and Claimscope's options."""

    path: str
    fast: bool

    @classmethod
    def of(cls, nlp: Language) -> ModelSource | None:
        """The source ``nlp`` was loaded from; ``None`` for a pipeline built in memory."""
        from claimscope.tokenattrs import TOKEN_ATTRIBUTES

        path = getattr(nlp, "path", None)
        if path is None:
            return None
        return cls(str(path), TOKEN_ATTRIBUTES in nlp.pipe_names)


Pending = deque[tuple[list[Item], Any]]
"""Batches handed out, oldest first, each with its outcome: a future, or its results."""


def in_order(
    batches: Iterable[list[Item]],
    submit: Callable[[list[Item]], Any],
    collect: Callable[[Pending], list[Result]],
    limit: int,
) -> Iterator[list[Result]]:
    """Each batch's results in the order of ``batches``, at most ``limit`` batches in flight.

    ``submit`` hands a batch to the engine (a process pool, a Dask cluster) and
    returns its future; ``collect`` takes the oldest pending batch and returns its
    results (the engine's own failure handling lives there). A batch with nothing
    to parse passes through in its place.
    """
    pending: Pending = deque()
    for batch in batches:
        if any(isinstance(item, Document) for item in batch):
            pending.append((batch, submit(batch)))
        else:
            pending.append((batch, list(batch)))
        while len(pending) >= limit:
            yield collect(pending)
    while pending:
        yield collect(pending)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """``jobs`` worker processes; 0 means one per available core."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (all cores) or more, not {jobs}")
    return jobs or available_cores()


# -- inside a worker --------------------------------------------------------------


def _start_worker(queue: multiprocessing.Queue, level: int, parent: int) -> None:
    """Send this worker's log to the parent, and end it when the parent is gone."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.handlers[:] = [logging.handlers.QueueHandler(queue)]
    logger.setLevel(level)
    logger.propagate = False
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    # A killed parent (even SIGKILL) must not leave workers holding a model in memory.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


# The caller's model, for workers started by fork: set just before the fork and
# cleared right after, so a forked worker finds it in its copy of the caller's
# memory and loads nothing. Empty in every other case.
_INHERITED: dict[ModelSource, Language] = {}


def _load(source: ModelSource) -> Language:
    inherited = _INHERITED.get(source)
    if inherited is not None:
        return inherited
    from claimscope import nlp as nlp_stage

    return nlp_stage.load(source.path, fast=source.fast)  # once per worker: cached


def _start_method(nlp: Language | None) -> str:
    """``fork`` (workers start at once, sharing the loaded model) when it is safe: on
    Linux, with the model at hand, and no other thread in this process (a fork copies
    only the calling thread, and with it any lock another thread holds: a Streamlit
    server, say). ``spawn`` (a fresh interpreter that loads the model) otherwise."""
    if nlp is None or sys.platform != "linux" or threading.active_count() > 1:
        return "spawn"
    return "fork"


def _warm_up(source: ModelSource) -> int:
    """Load the model (the first task of each worker); the worker's pid."""
    _load(source)
    return os.getpid()


def _analyze(source: ModelSource, batch: list[Item], settings: Settings) -> list[Result]:
    from claimscope import pipeline

    return pipeline.analyze_batch(batch, _load(source), settings)


# -- in the caller ----------------------------------------------------------------


class _Relay(logging.Handler):
    """Hands a worker's record to the caller's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)


class Workers:
    """A pool of worker processes analysing batches; use as a context manager."""

    def __init__(
        self, source: ModelSource, settings: Settings, jobs: int, *, nlp: Language | None = None
    ) -> None:
        self.source = source
        self.settings = settings
        self.jobs = jobs
        self._nlp = nlp
        self._context = multiprocessing.get_context("spawn")
        self._queue = self._context.Queue()
        self._listener = logging.handlers.QueueListener(self._queue, _Relay())
        self._pool: ProcessPoolExecutor | None = None
        self._warm_ups: list[Future] = []
        self.restarts = 0
        self.start_method = ""

    def __enter__(self) -> Workers:
        method = _start_method(self._nlp)
        if method == "fork":
            _INHERITED[self.source] = self._nlp
        try:
            # With fork, the first submit forks every worker: before the log
            # listener's thread exists.
            self._pool = self._new_pool(multiprocessing.get_context(method))
            self._warm_ups = [self._pool.submit(_warm_up, self.source) for _ in range(self.jobs)]
        finally:
            _INHERITED.clear()
        self.start_method = method
        self._listener.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._listener.stop()
        self._queue.close()

    def pids(self) -> list[int]:
        """The worker processes' ids (once they have started)."""
        return sorted({f.result() for f in self._warm_ups})

    def _new_pool(self, context: multiprocessing.context.BaseContext) -> ProcessPoolExecutor:
        level = logging.getLogger(LOGGER_NAME).getEffectiveLevel()
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self._queue, level, os.getpid()),
        )

    def _submit(self, batch: list[Item]) -> Future:
        assert self._pool is not None, "use Workers as a context manager"
        return self._pool.submit(_analyze, self.source, batch, self.settings)

    def map(self, batches: Iterable[list[Item]]) -> Iterator[list[Result]]:
        """Each batch's results, in the order of ``batches``."""
        return in_order(batches, self._submit, self._collect, self.jobs * IN_FLIGHT_PER_WORKER)

    def _collect(self, pending: Pending) -> list[Result]:
        batch, outcome = pending.popleft()
        if isinstance(outcome, list):
            return outcome
        try:
            return outcome.result()
        except BrokenProcessPool as error:
            if not self.restarts and not any(_succeeded(f) for f in self._warm_ups):
                raise RuntimeError(
                    f"the worker processes could not start ({error}). A script that runs"
                    " Claimscope with jobs other than 1 must call it from an"
                    " `if __name__ == '__main__':` block (every worker imports the main"
                    " module); or set jobs to 1"
                ) from error
            if self.settings.strict:
                raise
        log.error("a worker process died; redoing its batches one article at a time")
        self._restart()
        results = self._one_by_one(batch)
        # The batches queued behind it died with the pool: queue them again.
        for index, (queued, outcome) in enumerate(pending):
            if isinstance(outcome, Future) and not _succeeded(outcome):
                pending[index] = (queued, self._submit(queued))
        return results

    def _restart(self) -> None:
        assert self._pool is not None
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool(self._context)  # spawn: threads are running by now
        self._warm_ups = [self._pool.submit(_warm_up, self.source) for _ in range(self.jobs)]
        self.restarts += 1

    def _one_by_one(self, batch: list[Item]) -> list[Result]:
        results: list[Result] = []
        for item in batch:
            if not isinstance(item, Document):
                results.append(item)
                continue
            try:
                results.extend(self._submit([item]).result())
            except BrokenProcessPool as error:
                log.error("a worker process died on %s", item.path)
                results.append(
                    ReadFailure(
                        item.path,
                        f"the worker process died on this article ({error or 'killed'});"
                        " too large for the memory, or a crash in the model",
                    )
                )
                self._restart()
        return results


def _succeeded(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
