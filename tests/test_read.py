"""Reading articles from every supported format, and failing politely on bad input."""

from __future__ import annotations

import io
import json
import random
import time
import zipfile
from pathlib import Path

import docx
import pytest

from claimscope import clean
from claimscope.read import decode, read_bytes, read_paths
from claimscope.records import Document, ReadFailure
from conftest import BBC_TEST_CSV, SAMPLE_ARTICLES, TASS_SAMPLE, require

BODY = (
    "Experts question the new energy plan, says analyst\n\n"
    "MOSCOW, February 6, 2025. /TASS/. Russia will expand its grid, "
    'an analyst said on Thursday. "We expect growth," he added.\n\n'
    "The analyst noted that Moscow had invested heavily."
)


def one(results) -> Document:
    """The single result of reading one article, which must be a Document."""
    items = list(results)
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def failure(results) -> ReadFailure:
    items = list(results)
    assert len(items) == 1, items
    assert isinstance(items[0], ReadFailure), items[0]
    return items[0]


# --- plain text and encodings -----------------------------------------------


def test_txt_is_cleaned_and_gets_wire_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("All news\n\n" + BODY + "\n\nShare\n", encoding="utf-8")
    document = one(read_paths([path]))
    assert document.path == str(path)
    assert document.text.startswith("Experts question the new energy plan, says analyst\n\nMOSCOW")
    assert "All news" not in document.text and "Share" not in document.text
    assert document.title == "Experts question the new energy plan, says analyst"
    assert (document.dateline, document.source, document.published) == (
        "Moscow",
        "TASS",
        "2025-02-06",
    )
    assert document.dateline_span is not None
    assert document.text[slice(*document.dateline_span)] == "MOSCOW"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "Le ministre a déclaré à Paris que l'été serait décisif."),
        ("utf-8-sig", "Le ministre a déclaré à Paris que l'été serait décisif."),
        ("utf-16", "Le ministre a déclaré à Paris que l'été serait décisif, «vraiment»."),
        ("cp1251", "Москва, 6 февраля. Россия строит прагматичные отношения с Латинской Америкой."),
        ("latin-1", "Le président français a déclaré à Paris que l'économie était à un tournant."),
        ("cp1252", "The minister’s “pragmatic” line — said the expert — costs €3bn."),
    ],
)
def test_text_encodings_are_detected(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert one(read_paths([path])).text == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(encoding: str) -> None:
    text = "PARIS (AFP) — Le ministre a déclaré «oui».\nSecond line."
    assert decode(text.encode(encoding)) == text


def test_binary_data_is_not_valid_text() -> None:
    assert decode(b"\x00\x01\x02\xff\xfe\x00binary") is None
    reason = failure(read_bytes("blob.txt", b"\x89PNG\x00\x00\x00\x0dIHDR\x00\xff")).reason
    assert reason.startswith("not text: binary data")


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "bbc.txt"
    path.write_text("Shares fell to Â£3.9bn, the firmâ€™s boss said.", encoding="utf-8")
    assert one(read_paths([path])).text == "Shares fell to £3.9bn, the firm’s boss said."


def test_cleaning_keeps_curly_quotes_and_guillemets() -> None:
    text = "“We made mistakes,” she said. «Our door is open,» she insisted."
    assert clean.clean_text(text) == text


def test_hard_wrapped_lines_are_rejoined_into_paragraphs() -> None:
    wrapped = (
        "A headline about the talks\n"
        "The minister said on Monday that the government would present a new plan to\n"
        "parliament before the summer, and that the opposition had been consulted on\n"
        "every step of the way, including the budget.\n"
        "A second paragraph begins here and it also runs across more than a single\n"
        "line of text because the layout wrapped it at a fixed width of the page.\n"
    )
    paragraphs = clean.normalize_whitespace(wrapped).split("\n\n")
    assert paragraphs[0] == "A headline about the talks"
    assert paragraphs[1].startswith("The minister said on Monday")
    assert paragraphs[1].endswith("including the budget.")
    assert len(paragraphs) == 3


def test_wrapped_block_keeps_headline_dateline_and_drops_clutter_lines() -> None:
    text = (
        "All news\n"
        "Russia moving towards greater pragmatism in relations with Latin America, says expert\n"
        "Share\n"
        "MOSCOW, February 6. /TASS/. Russia is building more and more pragmatic relations with\n"
        "Latin American countries, meaning that bilateral cooperation is preserved despite the\n"
        "differences, the expert said.\n"
        "Read more\n"
    )
    assert clean.clean_text(text) == (
        "Russia moving towards greater pragmatism in relations with Latin America, says expert"
        "\n\nMOSCOW, February 6. /TASS/. Russia is building more and more pragmatic relations "
        "with Latin American countries, meaning that bilateral cooperation is preserved despite "
        "the differences, the expert said."
    )


def test_whitespace_is_normalised() -> None:
    messy = "Title  line here\r\n\r\n\r\n  First\u00a0 paragraph   text.   \n\n\n\nSecond.\t\n"
    assert (
        clean.normalize_whitespace(messy) == "Title line here\n\nFirst paragraph text.\n\nSecond."
    )


def test_boilerplate_lines_go_but_the_same_words_inside_sentences_stay() -> None:
    text = (
        "All news\n\nAdvertisement\n\nFollow us on Telegram\n\n"
        "We use cookies to improve your experience on our site.\n\n"
        "The minister said readers should read more about the plan.\n\n"
        "Analysts share the view that all news is local.\n\nRead more\n\n© 2025 Example News"
    )
    assert clean.clean_text(text) == (
        "The minister said readers should read more about the plan.\n\n"
        "Analysts share the view that all news is local."
    )


# --- raw mode ----------------------------------------------------------------


def test_raw_mode_keeps_the_bytes_exactly(tmp_path: Path) -> None:
    original = "All news\r\n\r\nTitle  here\n\n\n  Body with Â£ and   spaces.  \n"
    path = tmp_path / "gold.txt"
    path.write_bytes(original.encode("utf-8"))
    document = one(read_paths([path], raw=True))
    assert document.text == original
    assert (document.title, document.dateline, document.source) == (None, None, None)


def test_raw_mode_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("déclaré".encode("latin-1"))
    assert "not valid UTF-8" in failure(read_paths([path], raw=True)).reason


def test_raw_mode_takes_a_batch_text_field_as_is() -> None:
    data = 'text,title\n"  Body  with Â£ kept.\n",A title\n'.encode()
    assert one(read_bytes("batch.csv", data, raw=True)).text == "  Body  with Â£ kept.\n"


# --- markdown and html ---------------------------------------------------------


def test_markdown_syntax_is_stripped_and_first_heading_is_the_title() -> None:
    markdown = (
        "# Talks *stall* over water, says [expert](https://example.org)\n\n"
        "**PARIS (AFP) —** The **minister** said that _talks_ had stalled, "
        "according to [a report](https://example.org/r).\n\n"
        "## Background\n\n- first point\n- second point\n"
    )
    document = one(read_bytes("story.md", markdown.encode()))
    assert document.title == "Talks stall over water, says expert"
    assert document.text.startswith("Talks stall over water, says expert\n\nPARIS (AFP) — The")
    assert "according to a report." in document.text
    assert not any(mark in document.text for mark in ("*", "#", "](", "_talks_"))
    assert "first point\n\nsecond point" in document.text
    assert (document.dateline, document.source) == ("Paris", "AFP")


HTML_PAGE = """<!doctype html><html><head><title>Water talks stall | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="og:url" content="https://example.org/water-talks">
<meta property="article:published_time" content="2025-03-12T10:00:00Z">
<script>var tracking = "SECRET SCRIPT TEXT";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World news section</a></nav></header>
<article><h1>Water talks stall as drought deepens, says minister</h1>
<p>ANKARA (AA) - Talks on sharing river water stalled on Wednesday, the deputy minister said,
adding that experts from both countries would meet again next month.</p>
<p>"We are patient, but the rivers are not," the minister told reporters in the capital.</p>
<p>According to the minister, the next round will focus on real-time data from the dams.</p>
</article><footer>Copyright 2025 The Daily Example. Footer links here.</footer>
<script>console.log("MORE SCRIPT TEXT")</script></body></html>"""


def test_html_main_text_and_metadata_without_scripts_or_navigation() -> None:
    document = one(read_bytes("page.html", HTML_PAGE.encode()))
    assert document.title == "Water talks stall as drought deepens, says minister"
    assert document.text.startswith(document.title + "\n\nANKARA (AA) - Talks")
    assert "SCRIPT TEXT" not in document.text
    assert "World news section" not in document.text and "Footer" not in document.text
    assert document.published == "2025-03-12"
    assert document.url == "https://example.org/water-talks"
    assert (document.dateline, document.source) == ("Ankara", "AA")


def test_headline_under_a_kicker_moves_to_the_top_once() -> None:
    data = (
        "text,title\n"
        '"World\n\nTalks stall over water\n\nPARIS (AFP) — The talks stalled.",'
        "Talks stall over water\n"
    ).encode()
    document = one(read_bytes("kicker.csv", data))
    assert document.text == "Talks stall over water\n\nWorld\n\nPARIS (AFP) — The talks stalled."


def test_tiny_html_falls_back_to_the_visible_text() -> None:
    page = b"<html><body><nav>Menu</nav><p>PARIS (AFP) - Short note.</p><script>x()</script></body></html>"
    document = one(read_bytes("tiny.htm", page))
    assert document.text == "PARIS (AFP) - Short note."


# --- pdf and docx -------------------------------------------------------------------


def test_pdf_pages_are_joined_and_unwrapped() -> None:
    document = one(read_paths([SAMPLE_ARTICLES / "ap-mongolia-copper-corridor.pdf"]))
    assert document.title == "Mongolia courts new partners as copper exports grow, minister says"
    assert document.text.startswith(document.title + "\n\nULAANBAATAR, Mongolia, July 9, 2025 (AP)")
    assert "  " not in document.text
    # A wrapped paragraph comes back as one paragraph.
    assert (
        "Deputy Minister of Mining and Heavy Industry Oyunchimeg Batbayar told The Associated Press."
        in document.text
    )
    assert (document.dateline, document.source, document.published) == (
        "Ulaanbaatar",
        "AP",
        "2025-07-09",
    )


def test_hyphenated_line_breaks_are_joined() -> None:
    assert clean.join_hyphenated("inter-\nnational talks, well-\nKnown") == (
        "international talks, well-\nKnown"
    )


def test_corrupt_pdf_is_a_failure_with_a_reason_and_no_log_noise(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n%%EOF")
    assert failure(read_paths([path])).reason.startswith("corrupt PDF: ")
    assert failure(read_bytes("junk.pdf", b"not a pdf at all")).reason == (
        "corrupt PDF: not a PDF file (no %PDF header)"
    )
    truncated = (SAMPLE_ARTICLES / "ap-mongolia-copper-corridor.pdf").read_bytes()[:3000]
    assert failure(read_bytes("truncated.pdf", truncated)).reason.startswith("corrupt PDF: ")
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def _docx_bytes(*, title: str | None) -> bytes:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_paragraph("BEIJING, March 3, 2025 (Xinhua) -- China said on Monday that trade")
    document.add_paragraph("")
    document.add_paragraph('"Cooperation is growing," the official told Xinhua.')
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_core_title() -> None:
    document = one(read_bytes("story.docx", _docx_bytes(title="China trade grows, official says")))
    assert document.title == "China trade grows, official says"
    assert document.text == (
        "China trade grows, official says\n\n"
        "BEIJING, March 3, 2025 (Xinhua) -- China said on Monday that trade\n\n"
        '"Cooperation is growing," the official told Xinhua.'
    )
    assert (document.dateline, document.source, document.published) == (
        "Beijing",
        "Xinhua",
        "2025-03-03",
    )


def test_placeholder_property_titles_are_ignored() -> None:
    document = one(read_bytes("export.docx", _docx_bytes(title="Microsoft Word - draft3.docx")))
    assert document.title is None
    assert document.text.startswith("BEIJING, March 3, 2025 (Xinhua)")


def test_docx_template_creation_date_is_not_a_publication_date() -> None:
    document = one(read_bytes("notitle.docx", _docx_bytes(title=None)))
    assert document.title is None
    assert document.published == "2025-03-03"  # from the dateline, not python-docx's 2013 stamp


def test_corrupt_docx_is_a_failure() -> None:
    assert failure(read_bytes("broken.docx", b"PK\x03\x04 not really")).reason.startswith(
        "corrupt DOCX"
    )


# --- batches ---------------------------------------------------------------------


CSV_BATCH = (
    "text,title,published,source,url\n"
    '"MOSCOW, February 6. /TASS/. Russia said, the expert noted.",Russia speaks,2025-02-06,TASS,https://a.example\n'
    '"PARIS (AFP) — France replied.",,6 February 2025,,\n'
).encode()


def test_csv_batch_yields_one_document_per_row_with_its_metadata() -> None:
    first, second = read_bytes("batch.csv", CSV_BATCH)
    assert first.path == "batch.csv#1" and second.path == "batch.csv#2"
    assert first.text.startswith("Russia speaks\n\nMOSCOW, February 6. /TASS/.")
    assert (first.title, first.published, first.source, first.url) == (
        "Russia speaks",
        "2025-02-06",
        "TASS",
        "https://a.example",
    )
    assert first.text[slice(*first.dateline_span)] == "MOSCOW"
    assert (second.title, second.published, second.source) == (None, "2025-02-06", "AFP")


def test_csv_without_text_column_fails_and_names_the_columns() -> None:
    reason = failure(read_bytes("bad.csv", b"headline,body\nA,B\n")).reason
    assert reason == "csv has no 'text' column (columns: headline, body)"


def test_bad_rows_fail_alone_and_the_batch_goes_on() -> None:
    data = (
        "text,title\n"
        "PARIS (AFP) — First good row.,One\n"
        ",Empty text\n"
        "Too,many,fields\n"
        "BEIJING (Xinhua) -- Last good row.,Four\n"
    ).encode()
    results = list(read_bytes("mixed.csv", data))
    assert [type(r).__name__ for r in results] == [
        "Document",
        "ReadFailure",
        "ReadFailure",
        "Document",
    ]
    assert results[1] == ReadFailure("mixed.csv#2", "empty document")
    assert results[2].path == "mixed.csv#3" and "3 fields" in results[2].reason
    assert results[3].path == "mixed.csv#4" and results[3].source == "Xinhua"


def test_json_list_and_articles_object() -> None:
    items = [{"text": "LONDON (AP) - One.", "date": "2024-12-02"}, {"text": "Two.", "title": "T"}]
    listed = list(read_bytes("list.json", json.dumps(items).encode()))
    wrapped = list(read_bytes("wrapped.json", json.dumps({"articles": items}).encode()))
    assert [d.path for d in listed] == ["list.json#1", "list.json#2"]
    assert (
        [d.text for d in listed] == [d.text for d in wrapped] == ["LONDON (AP) - One.", "T\n\nTwo."]
    )
    assert listed[0].published == "2024-12-02" and listed[0].source == "AP"


def test_json_errors_are_reported() -> None:
    assert failure(read_bytes("bad.json", b"{not json")).reason.startswith("not valid JSON")
    assert "list of objects" in failure(read_bytes("num.json", b"42")).reason
    results = list(read_bytes("mixed.json", b'[{"text": "Fine."}, 7, {"body": "x"}]'))
    assert isinstance(results[0], Document)
    assert results[1].path == "mixed.json#2" and "got int" in results[1].reason
    assert results[2] == ReadFailure("mixed.json#3", "object has no 'text' field (fields: body)")


def test_jsonl_bad_line_fails_alone() -> None:
    data = b'{"text": "First."}\n\n{broken\n{"text": "Fourth.", "source": "EFE"}\n'
    results = list(read_bytes("feed.jsonl", data))
    assert [r.path for r in results] == ["feed.jsonl#1", "feed.jsonl#3", "feed.jsonl#4"]
    assert isinstance(results[1], ReadFailure) and "not valid JSON" in results[1].reason
    assert results[2].source == "EFE"


def test_zip_with_nested_csv_zip_and_unsupported_member() -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("deep.txt", "PARIS (AFP) — Deep inside.")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("a/story.txt", "BEIJING (Xinhua) -- A story.")
        archive.writestr("batch.csv", CSV_BATCH)
        archive.writestr("inner.zip", inner.getvalue())
        archive.writestr("picture.png", b"\x89PNG")
        archive.writestr("__MACOSX/._story.txt", b"junk")
    results = list(read_bytes("upload.zip", outer.getvalue()))
    assert [r.path for r in results] == [
        "upload.zip!a/story.txt",
        "upload.zip!batch.csv#1",
        "upload.zip!batch.csv#2",
        "upload.zip!inner.zip!deep.txt",
        "upload.zip!picture.png",
    ]
    assert results[1].source == "TASS" and results[3].source == "AFP"
    assert results[4].reason.startswith("unsupported file type '.png'")


def test_corrupt_zip_is_a_failure() -> None:
    assert failure(read_bytes("bad.zip", b"PK not a zip")).reason.startswith("corrupt zip")


# --- whole-file failures ------------------------------------------------------------


def test_unsupported_extension_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "virus.exe"
    path.write_bytes(b"MZ")
    reason = failure(read_paths([path])).reason
    assert reason.startswith("unsupported file type '.exe' (supported: ")
    assert ".pdf" in reason and ".csv" in reason


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text("\n  \n", encoding="utf-8")
    clutter = tmp_path / "clutter.txt"
    clutter.write_text("All news\n\nShare\n", encoding="utf-8")
    results = list(read_paths([empty, blank, clutter, tmp_path / "nope.txt"]))
    assert [r.reason for r in results] == [
        "empty document",
        "empty document",
        "empty document",
        "file not found",
    ]


def test_a_directory_reads_its_supported_files_and_skips_its_readme_aloud(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("PARIS (AFP) — B.", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A headline here\n\nText.", encoding="utf-8")
    (tmp_path / "notes.exe").write_bytes(b"MZ")
    (tmp_path / "README.md").write_text("# About", encoding="utf-8")
    results = list(read_paths([tmp_path]))
    assert [(Path(r.path).name, type(r).__name__) for r in results] == [
        ("README.md", "Skipped"),
        ("a.md", "Document"),
        ("b.txt", "Document"),
    ]


# --- real data ----------------------------------------------------------------------


def test_tass_sample_title_dateline_source_and_no_clutter() -> None:
    document = one(read_paths([require(TASS_SAMPLE)]))
    title = "Russia moving towards greater pragmatism in relations with Latin America, says expert"
    assert document.title == title
    assert document.text.startswith(title + "\n\n")
    assert "All news" not in document.text
    assert (document.dateline, document.source, document.published) == ("Moscow", "TASS", None)
    assert document.text[slice(*document.dateline_span)] == "MOSCOW"
    # Paragraphs survive; nothing of the article body is lost.
    assert "\n\nSituation in Venezuela\n\n" in document.text
    assert document.text.endswith("the expert concluded.")


def test_bbc_batch_reads_every_article_and_repairs_mojibake() -> None:
    started = time.perf_counter()
    results = list(read_paths([require(BBC_TEST_CSV)]))
    elapsed = time.perf_counter() - started
    assert len(results) == 334
    assert all(isinstance(r, Document) for r in results)
    assert not any("Â£" in r.text or "â€" in r.text for r in results)
    assert sum("£" in r.text for r in results) > 30
    assert results[0].path.endswith("test.csv#1")
    assert elapsed < 10, f"reading 334 articles took {elapsed:.1f}s"


def test_all_sample_articles_read_with_full_metadata() -> None:
    results = list(read_paths([SAMPLE_ARTICLES]))
    failures = [r for r in results if isinstance(r, ReadFailure)]
    assert not failures
    results = [r for r in results if isinstance(r, Document)]
    assert len(results) >= 12
    suffixes = {Path(r.path.split("#")[0]).suffix for r in results}
    assert suffixes >= {".txt", ".md", ".html", ".docx", ".pdf", ".csv", ".jsonl"}
    for document in results:
        words = len(document.text.split())
        assert 250 <= words <= 600, (document.path, words)
        assert document.title and document.text.startswith(document.title), document.path
        assert document.dateline and document.source, document.path
        assert document.dateline_span is not None, document.path
    dated = [d for d in results if d.published]
    assert len(dated) >= len(results) - 1
    pages = " ".join(d.text for d in results if d.path.endswith(".html"))
    for chrome in ("gtag", "dataLayer", "Related news", "Breaking:", "cookies", "Sustainability"):
        assert chrome not in pages
    assert not any(line in d.text for d in results for line in ("All news", "\nShare\n"))


def test_raw_mode_reads_a_sample_exactly() -> None:
    path = SAMPLE_ARTICLES / "tass-arctic-shipping-season.txt"
    assert one(read_paths([path], raw=True)).text == path.read_bytes().decode("utf-8")


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("header-only.csv", b"text,title\n"),
        ("empty-list.json", b"[]"),
        ("folders-only.zip", _zip_of({"folder/": b""})),
    ],
)
def test_a_batch_without_articles_is_reported_not_silent(name: str, data: bytes) -> None:
    assert failure(read_bytes(name, data)) == ReadFailure(
        name, "empty batch: no articles in the file"
    )


def test_semicolon_separated_csv_is_read() -> None:
    data = "title;text\nUne histoire;PARIS (AFP) — Le ministre a parlé.\n".encode("cp1252")
    document = one(read_bytes("europe.csv", data))
    assert document.text == "Une histoire\n\nPARIS (AFP) — Le ministre a parlé."
    assert document.source == "AFP"


@pytest.mark.parametrize("extension", [".pdf", ".docx", ".zip", ".csv", ".jsonl", ".html", ".txt"])
def test_damaged_files_never_raise(extension: str) -> None:
    rng = random.Random(extension)
    originals = [
        (SAMPLE_ARTICLES / name).read_bytes()
        for name in ("ap-mongolia-copper-corridor.pdf", "afp-svalbard-arctic-research.docx")
    ]
    for _ in range(15):
        data = bytearray(rng.choice(originals))
        del data[rng.randint(len(data) // 2, len(data)) :]
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        results = list(read_bytes(f"damaged{extension}", bytes(data)))
        assert results and all(isinstance(r, Document | ReadFailure) for r in results)
