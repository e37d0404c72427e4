"""Ingest on a Dask cluster (a real scheduler and two single-threaded worker processes,
the session's ``dask_cluster``): exactly the rows of a plain ingest, into either store;
reruns skip what is stored; the CLI; a partition that fails is redone article by article."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from claimscope import read
from claimscope.cli import main
from claimscope.cluster import PLUGIN_NAME, ClusterUnavailable, DaskEngine
from claimscope.ingest import ingest
from claimscope.records import Document
from claimscope.settings import Settings
from claimscope.store import TABLES, open_store
from conftest import SAMPLE_ARTICLES, table_rows

pytestmark = [pytest.mark.dask, pytest.mark.slow]


@pytest.fixture(scope="module")
def plain_rows(nlp, tmp_path_factory) -> dict[str, list[dict]]:
    """A plain ingest of the sample articles, in this process, into DuckDB."""
    settings = Settings(strict=True, jobs=1)
    path = tmp_path_factory.mktemp("plain") / "plain.duckdb"
    with open_store(path) as store:
        items = read.read_paths([SAMPLE_ARTICLES], settings=settings)
        outcomes = list(ingest(items, store, nlp, settings=settings))
        assert [o.status for o in outcomes].count("stored") >= 15
        return table_rows(store)


def test_a_dask_ingest_stores_exactly_the_rows_of_a_plain_ingest(
    dask_cluster, store_location, plain_rows
):
    settings = Settings(strict=True)
    items = read.read_paths([SAMPLE_ARTICLES], settings=settings)
    with (
        open_store(store_location) as store,
        DaskEngine(dask_cluster.address, settings) as engine,
    ):
        assert engine.threads == 2
        # Partitions of 4 articles: several per worker, in flight together.
        outcomes = list(ingest(items, store, None, settings=settings, engine=engine, chunk_size=4))
        rows = table_rows(store)
        again = list(
            ingest(
                read.read_paths([SAMPLE_ARTICLES], settings=settings),
                store,
                None,
                settings=settings,
                engine=engine,
            )
        )
    assert {o.status for o in outcomes} == {"stored", "skipped"}
    for table in TABLES:
        assert len(rows[table]) == len(plain_rows[table]), table
        assert rows[table] == plain_rows[table], table
    assert engine.retried == 0
    stored = [o.path for o in outcomes if o.status == "stored"]
    assert [o.path for o in again if o.status == "duplicate"] == stored


def test_the_cli_ingests_on_the_cluster_into_postgresql_and_a_rerun_skips_it(
    dask_cluster, postgres
):
    url = postgres.new_database()
    articles = sum(isinstance(item, Document) for item in read.read_paths([SAMPLE_ARTICLES]))
    command = ["ingest", "--engine", "dask", "--scheduler", dask_cluster.address, "--store", url]
    first = CliRunner().invoke(main, [*command, "--partition", "4", str(SAMPLE_ARTICLES)])
    assert first.exit_code == 0, first.output
    assert f"{articles} stored, 0 duplicate, 0 failed, 1 skipped" in first.output
    second = CliRunner().invoke(main, [*command, str(SAMPLE_ARTICLES)])
    assert second.exit_code == 0, second.output
    assert f"0 stored, {articles} duplicate, 0 failed, 1 skipped" in second.output
    with open_store(url) as store:
        assert store.count() == articles


def test_a_partition_that_fails_on_the_cluster_is_reported_article_by_article(
    dask_cluster, tmp_path
):
    documents = [
        Document(path=f"d{n}.txt", text=f"Kenya and Brazil met, report {n}.") for n in range(3)
    ]
    settings = Settings()
    with (
        open_store(tmp_path / "s.duckdb") as store,
        DaskEngine(dask_cluster.address, settings) as engine,
    ):
        # Workers that lost the model (the plugin gone): every task fails there.
        engine.client.unregister_worker_plugin(PLUGIN_NAME)
        outcomes = list(ingest(documents, store, None, settings=settings, engine=engine))
        assert store.count() == 0
    assert engine.retried == 1
    assert [o.path for o in outcomes] == ["d0.txt", "d1.txt", "d2.txt"]
    assert {o.status for o in outcomes} == {"failed"}
    assert all("model plugin is not set up" in o.reason for o in outcomes)


def test_the_cli_names_a_scheduler_it_cannot_reach_and_needs_one_for_dask(tmp_path):
    from pgserver import free_port

    address = f"tcp://127.0.0.1:{free_port()}"
    store = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(
        main, ["ingest", "--engine", "dask", "--scheduler", address, "--store", store, "x.txt"]
    )
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at {address}" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["ingest", "--engine", "dask", "--store", store, "x.txt"])
    assert result.exit_code == 2 and "--scheduler" in result.output
    with pytest.raises(ClusterUnavailable):
        DaskEngine(address, Settings()).__enter__()


def _models_on_workers(engine: DaskEngine) -> dict[str, tuple[int, int]]:
    """Per worker: the id of the model its plugin keeps, and how many models the worker
    process has loaded (``nlp.load`` is cached per process)."""

    def probe(dask_worker) -> tuple[int, int]:  # noqa: ANN001 - Dask passes the worker
        from claimscope import nlp as nlp_stage

        return id(dask_worker.plugins[PLUGIN_NAME].nlp), nlp_stage.load.cache_info().misses

    return engine.client.run(probe)


def test_each_worker_loads_the_model_once_and_keeps_it(dask_cluster, tmp_path):
    settings = Settings(strict=True)
    documents = [
        Document(path=f"k{n}.txt", text=f"Kenya and Chile agree, deal {n}.") for n in range(8)
    ]
    with open_store(tmp_path / "s.duckdb") as store:
        with DaskEngine(dask_cluster.address, settings) as engine:
            before = _models_on_workers(engine)
            list(ingest(documents, store, None, settings=settings, engine=engine, chunk_size=2))
            during = _models_on_workers(engine)
        with DaskEngine(dask_cluster.address, settings) as engine:
            later = _models_on_workers(engine)
    assert len(before) == 2
    assert before == during == later
    assert {loaded for _, loaded in later.values()} == {1}
