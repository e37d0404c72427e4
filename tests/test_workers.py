"""Worker processes: the same results as one process, in input order, failures isolated."""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from spacy.language import Language

from articles import write_articles
from claimscope import pipeline, read, workers
from claimscope.records import Article, Document, ReadFailure, Skipped
from claimscope.settings import Settings


def _items(folder: Path, count: int) -> list:
    items = list(read.read_paths([write_articles(folder, count)]))
    items.insert(5, ReadFailure(path="broken.pdf", reason="corrupt PDF"))
    items.insert(40, Skipped(path="README.md", reason="a README"))
    return items


def test_workers_give_the_results_of_one_process_in_input_order(
    nlp: Language, tmp_path: Path
) -> None:
    items = _items(tmp_path / "a", 70)  # three parse batches
    alone = list(pipeline.analyze(items, nlp, settings=Settings(jobs=1, strict=True)))
    shared = list(pipeline.analyze(items, nlp, settings=Settings(jobs=2, strict=True)))
    assert shared == alone
    assert [r.path for r in shared] == [i.path for i in items]
    assert isinstance(shared[5], ReadFailure) and isinstance(shared[40], Skipped)
    assert sum(isinstance(r, Article) for r in shared) == 70


def test_one_batch_is_done_in_this_process(nlp: Language, monkeypatch) -> None:
    def no_workers(*args, **kwargs):
        raise AssertionError("workers started for a single batch")

    monkeypatch.setattr(workers, "Workers", no_workers)
    items = [Document(path=f"d{n}", text=f"Peru and Chile met, report {n}.") for n in range(5)]
    results = list(pipeline.analyze(items, nlp, settings=Settings(jobs=2)))
    assert [r.path for r in results] == [i.path for i in items]


def _batches(folder: Path, count: int) -> list[list]:
    documents = list(read.read_paths([write_articles(folder, count)]))
    return [documents[i : i + 8] for i in range(0, len(documents), 8)]


def test_a_killed_worker_loses_no_article(nlp: Language, tmp_path: Path) -> None:
    batches = _batches(tmp_path / "a", 48)
    expected = [pipeline.analyze_batch(b, nlp, Settings(strict=True)) for b in batches]
    source = workers.ModelSource.of(nlp)
    with workers.Workers(source, Settings(), 2) as pool:
        results = pool.map(batches)
        first = next(results)
        os.kill(pool.pids()[0], signal.SIGKILL)
        rest = list(results)
        assert pool.restarts >= 1
    assert [first, *rest] == expected


def test_strict_mode_raises_a_killed_worker(nlp: Language, tmp_path: Path) -> None:
    batches = _batches(tmp_path / "a", 48)
    source = workers.ModelSource.of(nlp)
    with workers.Workers(source, Settings(strict=True), 2) as pool:
        results = pool.map(batches)
        next(results)
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            list(results)


def test_worker_count_zero_means_every_core() -> None:
    assert workers.worker_count(0) == workers.available_cores() >= 1
    assert workers.worker_count(3) == 3
    with pytest.raises(ValueError, match="jobs"):
        workers.worker_count(-1)


def test_a_pipeline_built_in_memory_has_no_source_for_workers() -> None:
    import spacy

    assert workers.ModelSource.of(spacy.blank("en")) is None


def test_parsing_leaves_the_vocabulary_as_it_was(nlp: Language) -> None:
    """The memory zone: a long-running process does not keep every word it has seen."""
    pipeline.analyze_text("Warm-up: Peru exports copper, an official said.", nlp)
    before = len(nlp.vocab.strings)
    words = " ".join(f"Zorblax{n}qq" for n in range(200))
    article = pipeline.analyze_text(f"Minister Qwertyuiop said: {words}.", nlp)
    assert "Zorblax7qq" in article.text
    assert len(nlp.vocab.strings) == before


def test_workers_fork_when_alone_and_spawn_beside_other_threads(
    nlp: Language, tmp_path: Path
) -> None:
    batches = _batches(tmp_path / "a", 24)
    expected = [pipeline.analyze_batch(b, nlp, Settings(strict=True)) for b in batches]
    source = workers.ModelSource.of(nlp)
    alone = threading.active_count() == 1
    with workers.Workers(source, Settings(strict=True), 2, nlp=nlp) as pool:
        assert list(pool.map(batches)) == expected
        if alone:
            assert pool.start_method == "fork"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with workers.Workers(source, Settings(strict=True), 2, nlp=nlp) as pool:
            assert pool.start_method == "spawn"  # a fork would copy the other thread's locks
            assert list(pool.map(batches)) == expected
    finally:
        release.set()
        other.join()
