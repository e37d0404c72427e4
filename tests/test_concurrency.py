"""One store, many users: a dashboard open in Chromium (eight sessions: six reading
pages, two uploading) while two ``claimscope ingest`` runs write overlapping files
into the same store. Both exit 0, no session ever shows an error, a reload shows
every article, and no article (or any of its rows) is stored twice."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import servers
from articles import write_articles
from claimscope.store import Store

CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
READ_PAGES = ["", "countries", "speakers", "reader", "", "speakers"]
# stored, duplicate (unnamed groups: Playwright hands the pattern to JavaScript too)
SUMMARY = re.compile(r"^(\d+) stored, (\d+) duplicate, 0 failed")
pytestmark = pytest.mark.browser


def _ingest(store: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(CLAIMSCOPE), "--strict", "ingest", "--store", str(store), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _no_error_shown(page) -> None:  # noqa: ANN001 - playwright Page
    """No Streamlit exception box, no error message, no word of a lock."""
    assert page.locator("[data-testid=stException]").count() == 0
    for alert in page.locator("[data-testid=stAlertContentError]").all():
        pytest.fail(f"an error reached a user: {alert.inner_text()}")
    body = page.locator("body").inner_text()
    assert "lock" not in body.lower(), body[:2000]


def test_dashboard_and_two_ingests_share_one_store(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    store = tmp_path / "shared.duckdb"
    Store(store).close()
    # Two overlapping batches (articles 20-39 in both) and two uploads, one of
    # which repeats an article the CLI ingests also hold.
    first = write_articles(tmp_path / "first", 40, first=0)
    second = write_articles(tmp_path / "second", 40, first=20)
    uploads = write_articles(tmp_path / "uploads", 4, first=60)
    shutil.copy(first / "story-010.txt", uploads / "again-010.txt")
    expected = 64

    with (
        servers.dashboard(store, tmp_path / "server.log") as url,
        sync_playwright() as playwright,
    ):
        browser = servers.chromium(playwright)
        try:
            readers = []
            for path in READ_PAGES:
                page = browser.new_context().new_page()
                page.set_default_timeout(90_000)
                page.goto(f"{url}/{path}")
                readers.append(page)
            uploaders = [browser.new_context().new_page() for _ in range(2)]
            for page in uploaders:
                page.set_default_timeout(180_000)
                page.goto(f"{url}/upload")
                expect(page.get_by_role("heading", name="Upload articles")).to_be_visible()

            ingests = [_ingest(store, first), _ingest(store, second)]
            files = sorted(uploads.iterdir())
            uploaders[0].locator("input[type=file]").set_input_files([str(p) for p in files[:3]])
            uploaders[1].locator("input[type=file]").set_input_files([str(p) for p in files[3:]])
            # Every session keeps reading while the ingests and uploads write.
            rounds = 0
            while any(run.poll() is None for run in ingests) or rounds < 2:
                for page in readers:
                    page.reload()
                    servers.settle(page, pause=200)
                    _no_error_shown(page)
                rounds += 1
            print(f"{rounds} rounds of {len(readers)} page reloads while the ingests ran")
            outputs = [run.communicate(timeout=300) for run in ingests]
            stored = 0
            for page in uploaders:
                expect(page.get_by_role("heading", name="Results")).to_be_visible()
                _no_error_shown(page)
                summary = page.get_by_text(SUMMARY).first.inner_text()
                stored += int(SUMMARY.match(summary).group(1))

            for run, (out, err) in zip(ingests, outputs, strict=True):
                assert run.returncode == 0, err
                assert "lock" not in (out + err).lower()
                counts = SUMMARY.match(out.splitlines()[-1])
                assert counts is not None, out
                assert int(counts[1]) + int(counts[2]) == 40
                stored += int(counts[1])
            # Each article was stored by exactly one of the four writers.
            assert stored == expected
            # A reload shows every article.
            overview = readers[0]
            overview.goto(url)
            servers.settle(overview)
            assert servers.metric(overview, "Articles") == expected
        except Exception:
            readers[0].screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot: {tmp_path / 'failure.png'}; log: {tmp_path / 'server.log'}")
            raise
        finally:
            browser.close()

    with Store(store, read_only=True) as opened:
        assert opened.count("articles") == expected
        twice = opened.query(
            "SELECT 'articles' AS t, count(*) - count(DISTINCT id) AS n FROM articles"
            " UNION ALL SELECT 'quotes', count(*) - count(DISTINCT (article_id, quote_index))"
            " FROM quotes"
            " UNION ALL SELECT 'countries', count(*) - count(DISTINCT (article_id, \"start\"))"
            " FROM country_mentions"
            " UNION ALL SELECT 'entities', count(*) - count(DISTINCT (article_id, \"start\", label))"
            " FROM entities"
        )
    assert dict(zip(twice["t"], twice["n"], strict=True)) == {
        "articles": 0,
        "quotes": 0,
        "countries": 0,
        "entities": 0,
    }
    # Every article holds all its rows: as many quotes as a lone ingest gives it.
    assert opened_rows_are_whole(store, tmp_path)


def opened_rows_are_whole(store: Path, tmp_path: Path) -> bool:
    """The shared store's quotes per article match a store filled by one ingest alone."""
    alone = tmp_path / "alone.duckdb"
    folder = tmp_path / "all"
    write_articles(folder, 64, first=0)  # the same 64 texts
    run = _ingest(alone, folder)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    sql = "SELECT article_id, count(*) AS n FROM quotes GROUP BY article_id ORDER BY article_id"
    with Store(store, read_only=True) as shared, Store(alone, read_only=True) as single:
        return shared.query(sql).equals(single.query(sql))
