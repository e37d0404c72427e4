"""Export a store to Parquet and import it into another, across backends, with counts checked."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimscope.cli import main
from claimscope.store import TABLES, open_store
from claimscope.transfer import TransferError, export_store, import_store
from conftest import table_rows
from test_queries import random_articles
from test_store import make_article


@pytest.fixture
def articles():
    """Random articles (undated ones, no quotes, no speaker) and one with every kind of row."""
    return [make_article(), *random_articles(60)]


def test_an_export_imported_into_the_other_backend_gives_the_same_rows(
    new_store_location, articles, tmp_path
):
    source, target = new_store_location(), new_store_location()
    with open_store(source) as store:
        store.add_many(articles)
        counts = export_store(store, tmp_path / "export")
        expected = table_rows(store)
    assert counts == {table: len(expected[table]) for table in TABLES}
    # The other backend: PostgreSQL from DuckDB and DuckDB from PostgreSQL.
    other = str(tmp_path / "other.duckdb") if "://" in source else None
    for location in (target, other) if other else (target,):
        with open_store(location) as store:
            report = import_store(store, tmp_path / "export")
            assert report.added == len(articles) and report.duplicates == 0
            assert report.rows == counts
            assert table_rows(store) == expected
            assert store.article(articles[0].id) == articles[0]
            # Talking points are grouped by the import, every claim in one.
            grouped = store.query("SELECT count(*) AS n FROM claim_points")["n"][0]
            assert int(grouped) == counts["quotes"]
            again = import_store(store, tmp_path / "export")
            assert (again.added, again.duplicates) == (0, len(articles))


def test_an_import_into_a_store_holding_some_adds_only_the_others(
    store_location, articles, tmp_path
):
    with open_store(tmp_path / "full.duckdb") as store:
        store.add_many(articles)
        export_store(store, tmp_path / "export")
    with open_store(store_location) as store:
        store.add_many(articles[:10])
        report = import_store(store, tmp_path / "export")
        assert (report.added, report.duplicates) == (len(articles) - 10, 10)
        assert store.count() == len(articles)


def test_an_export_that_disagrees_with_its_manifest_is_refused_before_any_write(articles, tmp_path):
    with open_store(tmp_path / "s.duckdb") as store:
        store.add_many(articles)
        export_store(store, tmp_path / "export")
    manifest = tmp_path / "export" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["rows"]["quotes"] += 1
    manifest.write_text(json.dumps(data))
    with open_store(tmp_path / "new.duckdb") as store:
        with pytest.raises(TransferError, match="quotes.parquet holds .* the export is incomplete"):
            import_store(store, tmp_path / "export")
        assert store.count() == 0


def test_an_export_never_overwrites_another(articles, tmp_path):
    with open_store(tmp_path / "s.duckdb") as store:
        store.add_many(articles[:3])
        export_store(store, tmp_path / "export")
        with pytest.raises(TransferError, match="already holds an export"):
            export_store(store, tmp_path / "export")


@pytest.mark.postgresql
def test_the_cli_moves_a_store_from_duckdb_to_postgresql(postgres, articles, tmp_path):
    duck = str(tmp_path / "s.duckdb")
    with open_store(duck) as store:
        store.add_many(articles)
    url = postgres.new_database()
    exported = CliRunner().invoke(
        main, ["export", "--store", duck, "--format", "parquet", str(tmp_path / "e")]
    )
    assert exported.exit_code == 0, exported.output
    assert f"articles {len(articles)}" in exported.output
    imported = CliRunner().invoke(main, ["import", "--store", url, str(tmp_path / "e")])
    assert imported.exit_code == 0, imported.output
    assert f"{len(articles)} imported, 0 already stored" in imported.output
    missing = CliRunner().invoke(main, ["import", "--store", url, str(tmp_path)])
    assert missing.exit_code == 1
    assert "not a Claimscope export" in missing.output and "Traceback" not in missing.output
