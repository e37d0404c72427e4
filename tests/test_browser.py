"""The real dashboard in headless Chromium: upload, charts, filters, reader, export.

Starts ``streamlit run dashboard.py`` on a free port with its own store in
``tmp_path`` and drives it with Playwright's sync API in Debian's Chromium
(``make chromium`` installs it). Set ``CLAIMSCOPE_SCREENSHOT=1`` to also save
the Overview with data as ``docs/screenshot.png``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

import servers
from conftest import PROJECT_DIR, SAMPLE_ARTICLES, require

SCREENSHOT = PROJECT_DIR / "docs" / "screenshot.png"
pytestmark = pytest.mark.browser


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """A running dashboard on an empty store; always terminated afterwards."""
    with servers.dashboard(tmp_path / "store.duckdb", tmp_path / "server.log") as url:
        yield url


def _screenshot(page, path: Path) -> None:  # noqa: ANN001 - playwright Page
    """A tall screenshot once every chart has drawn (the main pane scrolls by itself)."""
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.wait_for_timeout(2500)
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_upload_explore_filter_read_and_export(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    samples = sorted(
        p for p in require(SAMPLE_ARTICLES).iterdir() if p.is_file() and p.stem.upper() != "README"
    )
    with sync_playwright() as playwright:
        browser = servers.chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)

            # Upload every sample through the page's file input.
            page.goto(f"{app_url}/upload")
            expect(page.get_by_role("heading", name="Upload articles")).to_be_visible()
            page.locator("input[type=file]").set_input_files([str(p) for p in samples])
            # The results table appears once every file is done.
            expect(page.get_by_role("heading", name="Results")).to_be_visible(timeout=90_000)
            summary = page.get_by_text(re.compile(r"^[\d,]+ stored, [\d,]+ duplicate, 0 failed$"))
            stored = int(summary.first.inner_text().split(" stored")[0].replace(",", ""))
            assert stored >= 10

            # The Overview counts them and draws its charts.
            page.get_by_role("link", name="Overview", exact=True).click()
            expect(page.get_by_role("heading", name="Overview")).to_be_visible()
            expect(page.locator("[data-testid=stMetric]").first).to_be_visible()
            articles = servers.metric(page, "Articles")
            assert articles == stored
            expect(page.locator(".js-plotly-plot").first).to_be_visible()
            assert page.locator(".js-plotly-plot").count() >= 3
            if os.environ.get("CLAIMSCOPE_SCREENSHOT"):
                _screenshot(page, SCREENSHOT)

            # Clicking the longest bar filters every page by that country.
            bars = page.locator(".js-plotly-plot").nth(1).locator(".barlayer .point path")
            # Plotly's drag layer sits over the bars: click where the bar is drawn.
            bar = bars.last.bounding_box()
            assert bar is not None
            page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
            page.wait_for_url(re.compile(r"[?&]country=[A-Z]{3}"))
            expect(page.locator("[data-testid=stMetricValue]").first).not_to_have_text(
                str(articles)
            )
            page.get_by_role("button", name="Clear filters").first.click()
            page.wait_for_url(lambda url: "country=" not in url)

            # So does clicking a country on the map: the first shapes are the most mentioned;
            # one whose outline wraps around the map (Russia's Chukotka) has its box's
            # centre elsewhere, so the first compact one is clicked.
            servers.settle(page)
            shapes = page.locator(".js-plotly-plot path.choroplethlocation")
            expect(shapes.first).to_be_visible()
            plot = page.locator(".js-plotly-plot").first.bounding_box()
            assert plot is not None
            boxes = [shapes.nth(i).bounding_box() for i in range(min(5, shapes.count()))]
            shape = next(b for b in boxes if b is not None and b["width"] < plot["width"] / 4)
            page.mouse.move(shape["x"] + shape["width"] / 2, shape["y"] + shape["height"] / 2)
            page.mouse.down()
            page.mouse.up()
            page.wait_for_url(re.compile(r"[?&]country=[A-Z]{3}"))
            page.get_by_role("button", name="Clear filters").first.click()
            page.wait_for_url(lambda url: "country=" not in url)

            # Filter by a speaker from the sidebar (once the cleared page has rerun: a rerun
            # redraws the sidebar and closes a list opened meanwhile).
            servers.settle(page)
            page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").nth(1).click()
            # A speaker option reads "Name (claims)"; the list also offers "Select all".
            option = page.get_by_role("option").filter(has_text=re.compile(r"\(\d[\d,]*\)$")).first
            expect(option).to_be_visible()
            option.click()
            page.wait_for_url(re.compile(r"[?&]speaker="))
            page.keyboard.press("Escape")
            assert page.url.count("speaker=") == 1, page.url

            # Speakers & claims: the filter survived the page switch; a row opens the reader.
            page.get_by_role("link", name="Speakers & claims").click()
            expect(page.get_by_role("heading", name="Speakers & claims")).to_be_visible()
            assert page.url.count("speaker=") == 1, page.url
            grid = page.locator("[data-testid=stDataFrame]").last
            expect(grid).to_be_visible()

            # Export exactly what is shown.
            with page.expect_download() as download_info:
                page.get_by_role("button", name="Download CSV").click()
            csv_path = tmp_path / "claims.csv"
            download_info.value.save_as(csv_path)
            with csv_path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
            chosen = parse_qs(urlparse(page.url).query)["speaker"]
            assert rows and {row["speaker"] for row in rows} == set(chosen)

            box = grid.bounding_box()
            assert box is not None
            # The first row's selection checkbox (row-marker column, first body row).
            page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
            page.wait_for_url(re.compile(r"/reader\?.*article=[0-9a-f]{64}"))
            expect(page.get_by_role("heading", name="Article reader")).to_be_visible()
            expect(page.locator("mark.cs-quote").first).to_be_visible()
            if os.environ.get("CLAIMSCOPE_SCREENSHOT"):
                _screenshot(page, SCREENSHOT.with_name("reader.png"))
        except Exception:
            # Keep what the browser showed, for the failure report.
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(
                f"screenshot of the failure: {tmp_path / 'failure.png'}; server log: "
                f"{tmp_path / 'server.log'}"
            )
            raise
        finally:
            browser.close()


def test_talking_points_page_groups_paraphrases_and_opens_their_articles(
    app_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    samples = sorted(require(SAMPLE_ARTICLES).glob("*venezuela*"))
    with sync_playwright() as playwright:
        browser = servers.chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)
            page.goto(f"{app_url}/upload")
            page.locator("input[type=file]").set_input_files([str(p) for p in samples])
            expect(page.get_by_role("heading", name="Results")).to_be_visible(timeout=90_000)

            page.get_by_role("link", name="Talking points").click()
            expect(page.get_by_role("heading", name="Talking points")).to_be_visible()
            expect(
                page.get_by_text("5 claims by 3 speakers in 3 outlets, 2025-03-04 to 2025-03-18")
            ).to_be_visible()
            points_grid, claims_grid = (
                page.locator("[data-testid=stDataFrame]").nth(i) for i in (0, 1)
            )
            expect(claims_grid).to_be_visible()
            if os.environ.get("CLAIMSCOPE_SCREENSHOT"):
                _screenshot(page, SCREENSHOT.with_name("talking-points.png"))

            # The second talking point: its row's checkbox puts it in the URL.
            servers.settle(page)
            box = points_grid.bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 + 18)
            page.wait_for_url(
                re.compile(r"[?&]point=[0-9a-f]{64}%3A\d+|[?&]point=[0-9a-f]{64}:\d+")
            )
            expect(
                page.get_by_text(re.compile(r"^2 claims by 2 speakers in 2 outlets"))
            ).to_be_visible()

            # A claim's row opens its article in the reader (once the grid is drawn).
            servers.settle(page)
            expect(page.locator("[data-testid=stDataFrame]").nth(1)).to_be_visible()
            box = page.locator("[data-testid=stDataFrame]").nth(1).bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
            page.wait_for_url(re.compile(r"/reader\?.*article=[0-9a-f]{64}"))
            expect(page.get_by_role("heading", name="Article reader")).to_be_visible()
            expect(page.locator("mark.cs-quote").first).to_be_visible()
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
        finally:
            browser.close()
