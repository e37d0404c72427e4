"""Uploaded text is data on every page: no ``<script>`` or ``onerror=`` from an upload
ever runs in a real Chromium, in tables, tooltips, chart labels, pickers or the reader.

Two routes in: files uploaded through the page (an HTML page with scripts, a CSV
whose title, source, URL and text carry payloads, a file whose very name is
one), and an article written straight into the store whose every field is a
payload, so that chart labels and tooltips (speaker, role, country name)
carry one too, whatever the extractors would make of such text. Each payload
sets ``window.__xss`` and calls ``alert``; the test watches for both in every
frame, on every page, after hovering every chart.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import servers
from claimscope.records import Article, CountryMention, EntityMention, Quote, Span
from claimscope.store import Store
from hostile import XSS_HTML

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=\"window.__xss='img';alert('img')\">"
SCRIPT = "<script>window.__xss='script';alert('script')</script>"
SVG = "<svg onload=\"window.__xss='svg';alert('svg')\"></svg>"
JS_URL = "javascript:window.__xss='url';alert('url')"


def hostile_article() -> Article:
    """Every field a payload; offsets still index the text."""
    parts = [
        f"{SCRIPT} Ministers meet\n\n",
        "France",
        " and ",
        "Spain",
        f" signed a pact. {SVG} ",
        f'"We will act now {IMG}," ',
        "said",
        " ",
        "Rui Costa",
        ".",
    ]
    starts = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]

    def span(index: int) -> tuple[int, int, str]:
        return starts[index], starts[index] + len(parts[index]), parts[index]

    text = "".join(parts)
    france, spain, quote, cue, person = span(1), span(3), span(5), span(6), span(8)
    return Article(
        path=f"{IMG}.txt",
        id="e" * 64,
        title=SCRIPT,
        source=IMG,
        dateline=SVG,
        published="2025-06-03",
        url=JS_URL,
        text=text,
        entities=(EntityMention(*person, "PERSON", IMG),),
        countries=(
            CountryMention(*france, "FRA", IMG, "name"),
            CountryMention(*spain, "ESP", "Spain", "name"),
        ),
        quotes=(
            Quote(
                start=quote[0],
                end=quote[1],
                text=quote[2],
                kind="direct",
                cue=Span(*cue),
                speaker_mention=Span(*person),
                speaker=SCRIPT,
                speaker_role=IMG,
                speaker_type="expert",
                countries=("FRA",),
            ),
        ),
    )


def payload_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "source", "url", "date", "text"])
    writer.writerow(
        [
            SCRIPT,
            IMG,
            JS_URL,
            "2025-06-04",
            f"MADRID, June 4, 2025 (EFE) - Spain and Portugal agreed on water, officials said."
            f' "We share one river {IMG}," said minister Rui Costa. {SCRIPT}',
        ]
    )
    return buffer.getvalue().encode("utf-8")


class Watch:
    """Dialogs and ``window.__xss`` in every frame of a page."""

    def __init__(self, page) -> None:  # noqa: ANN001 - playwright Page
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:  # noqa: ANN001 - playwright Dialog
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self, where: str) -> None:
        ran = [frame.evaluate("() => window.__xss") for frame in self.page.frames]
        assert not self.dialogs, f"{where}: an alert ran: {self.dialogs}"
        assert not any(ran), f"{where}: a payload ran: {ran}"


def hover_charts(page) -> None:  # noqa: ANN001 - playwright Page
    """Move the mouse over every bar, map shape and heatmap cell, so tooltips draw."""
    shapes = page.locator(
        ".js-plotly-plot .barlayer .point path, .js-plotly-plot path.choroplethlocation,"
        " .js-plotly-plot .hm image, .js-plotly-plot .scatterlayer .point"
    )
    for index in range(min(shapes.count(), 30)):
        box = shapes.nth(index).bounding_box()
        if box and box["width"] > 0 and box["height"] > 0:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(100)


def open_every_option(page, selector: str) -> None:  # noqa: ANN001 - playwright Page
    """Open a selectbox or multiselect so its option labels render, then close it."""
    boxes = page.locator(selector)
    for index in range(boxes.count()):
        boxes.nth(index).click()
        page.wait_for_timeout(300)
        page.keyboard.press("Escape")


def test_uploaded_markup_never_runs_on_any_page(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    store = tmp_path / "store.duckdb"
    with Store(store) as opened:
        opened.add(hostile_article())
    with (
        servers.dashboard(store, tmp_path / "server.log") as url,
        sync_playwright() as playwright,
    ):
        browser = servers.chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)
        watch = Watch(page)
        try:
            page.goto(f"{url}/upload")
            expect(page.get_by_role("heading", name="Upload articles")).to_be_visible()
            page.locator("input[type=file]").set_input_files(
                [
                    {"name": "xss-page.html", "mimeType": "text/html", "buffer": XSS_HTML.encode()},
                    {"name": "payload.csv", "mimeType": "text/csv", "buffer": payload_csv()},
                    {
                        "name": f"{IMG}.txt",
                        "mimeType": "text/plain",
                        "buffer": f"PARIS (AFP) - France said {SCRIPT} on Monday.".encode(),
                    },
                ]
            )
            expect(page.get_by_role("heading", name="Results")).to_be_visible()
            servers.settle(page)
            watch.check("upload results")

            for path in ("", "countries", "speakers"):
                page.goto(f"{url}/{path}")
                servers.settle(page)
                hover_charts(page)
                open_every_option(page, "[data-testid=stSelectbox], [data-testid=stMultiSelect]")
                watch.check(path or "overview")

            page.goto(f"{url}/reader")
            servers.settle(page)
            picker = page.locator("[data-testid=stSelectbox]").first
            picker.click()
            labels = page.get_by_role("option").all_inner_texts()
            page.keyboard.press("Escape")
            assert len(labels) == 4, labels
            for label in labels:
                picker.click()
                page.get_by_role("option", name=label, exact=True).click()
                servers.settle(page)
                for mark in page.locator("mark").all()[:20]:
                    mark.hover()
                for tab in page.get_by_role("tab").all():
                    tab.click()
                watch.check(f"reader: {label}")
            # The payloads are shown, as text: proof they were not silently dropped.
            assert page.get_by_text("window.__xss", exact=False).count() > 0
            assert page.locator("a[href^='javascript']").count() == 0
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot: {tmp_path / 'failure.png'}; log: {tmp_path / 'server.log'}")
            raise
        finally:
            browser.close()
