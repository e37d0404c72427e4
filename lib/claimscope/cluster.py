"""Parse and extract on a Dask cluster (``claimscope ingest --engine dask``).

The ingest itself does not change (:mod:`claimscope.ingest`): this process
reads the files, cuts the articles into partitions of one parse batch (32
articles), asks the store which are already stored, and writes the finished
records in one short transaction per partition. Only the parsing moves: each
partition is one task on an existing cluster (``distributed``), which runs
:func:`claimscope.pipeline.analyze_batch` there, the very code of a local run,
and sends back frozen records (never spaCy objects).

- **The model, once per worker.** :class:`ModelPlugin` is registered with
  every worker of the cluster (and each worker that joins later): its
  ``setup`` loads the model there, the worker keeps it in the plugin, and every
  task of that worker uses it. Workers need the ``claimscope`` package and the
  model installed, nothing else (no store, no files: the text travels with the
  task).
- **In order, a few ahead.** Two partitions per worker thread are in flight; the
  results come back in the order of the input, so the outcomes and the store's
  rows are those of a local run.
- **Failures.** A partition whose task fails (a worker that died under it, say)
  is retried once by the scheduler; should it fail again, its articles are sent
  one per task, so only an article that fails again fails, with the reason. A
  crash of the model or an extractor on one article fails that article inside
  the task exactly as in one process. In strict mode the error is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from distributed.diagnostics.plugin import WorkerPlugin

from claimscope.records import Document, ReadFailure
from claimscope.settings import Settings
from claimscope.workers import Item, Pending, Result, in_order

if TYPE_CHECKING:
    from distributed import Client, Future
    from spacy.language import Language

log = logging.getLogger(__name__)

PLUGIN_NAME = "claimscope-model"
# Partitions per worker thread in flight: one parsing, one waiting.
IN_FLIGHT_PER_THREAD = 2
# Times the scheduler reruns a failed partition before it is split into articles.
RETRIES = 1
CONNECT_TIMEOUT = "10s"


class ClusterUnavailable(RuntimeError):
    """The scheduler cannot be reached, or has no workers."""


class ModelPlugin(WorkerPlugin):
    """Loads the model on a worker when registered there, and keeps it for its tasks."""

    def __init__(self, model: str | None, fast: bool = True) -> None:
        self.model = model
        self.fast = fast
        self.nlp: Language | None = None

    def setup(self, worker: Any) -> None:
        from claimscope import nlp as nlp_stage

        self.nlp = nlp_stage.load(self.model, fast=self.fast)

    def teardown(self, worker: Any) -> None:
        self.nlp = None


def _worker_model() -> Language:
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if plugin is None or plugin.nlp is None:
        raise RuntimeError("the Claimscope model plugin is not set up on this worker")
    return plugin.nlp


def analyze_partition(batch: list[Item], settings: Settings) -> list[Result]:
    """A task: one partition through the whole pipeline, with the worker's model."""
    from claimscope import pipeline

    return pipeline.analyze_batch(batch, _worker_model(), settings)


class DaskEngine:
    """Partitions analysed on a Dask cluster; use as a context manager.

    ``scheduler`` is the scheduler's address (``tcp://host:8786``); ``model`` the
    name or folder of the spaCy pipeline the workers load (installed on each).
    """

    def __init__(
        self, scheduler: str, settings: Settings, *, model: str | None = None, fast: bool = True
    ) -> None:
        self.scheduler = scheduler
        self.settings = settings
        self.model = model
        self.fast = fast
        self._client: Client | None = None
        self.threads = 0
        self.retried = 0

    def __enter__(self) -> DaskEngine:
        from distributed import Client

        try:
            self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterUnavailable(
                f"cannot reach the Dask scheduler at {self.scheduler}: {error}"
            ) from None
        try:
            workers = self._client.scheduler_info()["workers"]
            if not workers:
                raise ClusterUnavailable(
                    f"the Dask scheduler at {self.scheduler} has no workers: start some"
                    f" (`dask worker {self.scheduler} --nthreads 1`)"
                )
            self.threads = sum(int(w.get("nthreads", 1)) for w in workers.values())
            # Loads the model on every worker now (and on any that joins later).
            self._client.register_plugin(ModelPlugin(self.model, self.fast), name=PLUGIN_NAME)
        except BaseException:
            self._client.close()
            raise
        return self

    @property
    def client(self) -> Client:
        """The connection to the scheduler (while the engine is open)."""
        assert self._client is not None, "use DaskEngine as a context manager"
        return self._client

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _submit(self, batch: list[Item], *, retries: int = RETRIES) -> Future:
        assert self._client is not None, "use DaskEngine as a context manager"
        return self._client.submit(
            analyze_partition, batch, self.settings, pure=False, retries=retries
        )

    def map(self, batches: Iterable[list[Item]]) -> Iterator[list[Result]]:
        """Each batch's results, in the order of ``batches``."""
        limit = max(2, self.threads * IN_FLIGHT_PER_THREAD)
        return in_order(batches, self._submit, self._collect, limit)

    def _collect(self, pending: Pending) -> list[Result]:
        batch, outcome = pending.popleft()
        if isinstance(outcome, list):
            return outcome
        try:
            return outcome.result()
        except Exception:
            if self.settings.strict:
                raise
            log.exception(
                "a partition of %d items failed on the cluster after %d retry;"
                " redoing it one article per task",
                len(batch),
                RETRIES,
            )
        self.retried += 1
        return self._one_by_one(batch)

    def _one_by_one(self, batch: list[Item]) -> list[Result]:
        futures = [
            self._submit([item], retries=0) if isinstance(item, Document) else None
            for item in batch
        ]
        results: list[Result] = []
        for item, future in zip(batch, futures, strict=True):
            if future is None:
                results.append(item)
                continue
            try:
                results.extend(future.result())
            except Exception as error:
                log.exception("%s failed on the cluster", item.path)
                results.append(
                    ReadFailure(
                        item.path,
                        f"failed on the cluster: {type(error).__name__}: {error}"
                        " (its traceback is in the log)",
                    )
                )
        return results
