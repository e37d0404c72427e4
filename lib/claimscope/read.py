"""Files to :class:`Document` records: one per article, whatever the format.

A file's extension picks its reader: plain text, Markdown, HTML (main text via
trafilatura), PDF, DOCX, and batches (CSV, JSON, JSON Lines, ZIP of any of
these, nested). Reading never raises on bad input: an unreadable file, or one
bad row of a batch, becomes a :class:`ReadFailure` with a reason a person can
act on, and the rest of the batch goes on. A README beside the articles is
:class:`Skipped`, not read as one.

Limits (:class:`~claimscope.settings.Settings`) are checked before the bytes
they guard are read: a file's size before it is opened, a zip member's size
before it is unpacked (and again while it streams, in case the archive lies),
the member count before any member is read, the total a zip unpacks while it
streams; an article's length before it is cleaned. A zip member whose path
leaves the archive (``../``, an absolute path) is never read.

A bug in a reader (an exception nobody expected) fails that file only and is
logged with its traceback; in strict mode it is raised. The parsers of PDF,
DOCX and HTML have no one error type for a damaged file, so whatever they
raise is that file's failure ("corrupt PDF: ...") in both modes, logged with
its traceback too. ``tests/test_fuzz_read.py`` fuzzes every reader in strict
mode.

Without ``raw`` the text is cleaned (mojibake, clutter, whitespace) and the
metadata is parsed; with ``raw`` a text file's bytes are decoded as UTF-8
exactly, so that offsets index the file's own characters.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import logging
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import charset_normalizer

from claimscope import clean, wire
from claimscope.records import Document, ReadFailure, Skipped
from claimscope.settings import Settings, megabytes

log = logging.getLogger(__name__)

Result = Document | ReadFailure | Skipped

# Single-byte encodings worth telling apart when a text is not UTF-8: Western
# European (Latin-1 and its Windows superset) and Cyrillic.
_FALLBACK_ENCODINGS = ["latin_1", "cp1252", "cp1251"]
# An HTML page may carry this many times an article's characters in markup.
_MARKUP_PER_TEXT = 5
_CHUNK = 1024 * 1024
# Characters that text never holds but binary data decoded as text does.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_NOT_BLANK = re.compile(rb"\S")
# Batch columns/fields read besides ``text``, with the names they go by.
_FIELDS = {
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate"),
    "source": ("source", "outlet", "publisher", "agency"),
    "url": ("url", "link"),
}
# Titles that office software writes into file properties on its own.
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:untitled|document\d*|microsoft word\b.*)$|\.(?:docx?|pdf|odt|rtf|txt)$", re.IGNORECASE
)
# python-docx stamps every new file with its template's creation date.
_DOCX_TEMPLATE_CREATED = "2013-12-23"
NOT_TEXT = (
    "not text: binary data, or an unknown encoding (tried UTF-8, UTF-16, Latin-1, cp1252, cp1251)"
)
SKIPPED_README = "a README, not an article (rename the file to read it as one)"


class _ZipBudget:
    """What a zip (with the zips inside it) may still unpack, in bytes."""

    def __init__(self, limit: int) -> None:
        self.left = limit


@dataclass(frozen=True, slots=True)
class _Context:
    """How to read: raw or cleaned, the limits, and where in a nest of zips we are."""

    raw: bool
    settings: Settings
    depth: int = 0
    budget: _ZipBudget | None = None


Reader = Callable[[str, bytes, _Context], Iterator[Result]]


def read_paths(
    paths: Iterable[str | Path], *, raw: bool = False, settings: Settings | None = None
) -> Iterator[Result]:
    """Read every path; a directory stands for the supported files inside it."""
    settings = settings or Settings()
    for path in paths:
        name = str(path)
        location = Path(path)
        if location.is_dir():
            yield from read_paths(_files_in(location), raw=raw, settings=settings)
            continue
        if is_readme(location.name):
            yield Skipped(name, SKIPPED_README)
            continue
        limit = settings.max_file_bytes
        try:
            with location.open("rb") as handle:
                # Never more than the limit: a file may grow, or be a device.
                data = handle.read(limit + 1)
        except FileNotFoundError:
            yield ReadFailure(name, "file not found")
            continue
        except OSError as error:
            yield ReadFailure(name, f"cannot open file: {error.strerror or error}")
            continue
        if len(data) > limit:
            size = _file_size(location, len(data))
            yield ReadFailure(name, _too_large("file", size, limit))
            continue
        yield from read_bytes(name, data, raw=raw, settings=settings)


def read_bytes(
    name: str, data: bytes, *, raw: bool = False, settings: Settings | None = None
) -> Iterator[Result]:
    """Read an uploaded file's bytes; ``name`` (its file name) picks the format."""
    settings = settings or Settings()
    if len(data) > settings.max_file_bytes:
        yield ReadFailure(name, _too_large("file", len(data), settings.max_file_bytes))
        return
    yield from _read(name, data, _Context(raw=raw, settings=settings))


def supported_extensions() -> tuple[str, ...]:
    """The file extensions that :func:`read_bytes` understands, for messages and upload widgets."""
    return tuple(sorted(_READERS))


def _files_in(directory: Path) -> list[Path]:
    # READMEs are listed so that each is reported as skipped, not silently left out.
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
        and (path.suffix.lower() in _READERS or is_readme(path.name))
    )


def is_readme(file_name: str) -> bool:
    """README, README.md, readme.txt, README-samples.md: notes about articles, not articles."""
    return file_name.upper().startswith(("README", "READ_ME", "READ-ME"))


def _file_size(location: Path, at_least: int) -> int:
    try:
        return max(location.stat().st_size, at_least)
    except OSError:
        return at_least


def _too_large(what: str, size: int, limit: int, *, more: bool = False) -> str:
    amount = f"more than {megabytes(size)}" if more else f"{megabytes(size)} ({size:,} bytes)"
    return (
        f"{what} too large: {amount}, the limit is {megabytes(limit)}"
        " (--max-file-mb / CLAIMSCOPE_MAX_FILE_MB); not read"
    )


def _too_long(length: int, settings: Settings) -> str:
    return (
        f"article too long: {length:,} characters, the limit is {settings.max_article_chars:,}"
        " (--max-article-chars / CLAIMSCOPE_MAX_ARTICLE_CHARS); not analysed"
    )


def _extension(name: str) -> str:
    return PurePosixPath(name.rsplit("!", 1)[-1]).suffix.lower()


def _refusal(name: str) -> Result | None:
    """Why a file is not read at all, judged by its name alone: a README, an unknown type."""
    member = name.rsplit("!", 1)[-1]
    if is_readme(PurePosixPath(member.replace("\\", "/")).name):
        return Skipped(name, SKIPPED_README)
    extension = _extension(name)
    if extension not in _READERS:
        kind = f"'{extension}'" if extension else "(no extension)"
        supported = ", ".join(supported_extensions())
        return ReadFailure(name, f"unsupported file type {kind} (supported: {supported})")
    return None


def _read(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    refused = _refusal(name)
    if refused is not None:
        yield refused
        return
    extension = _extension(name)
    if not _NOT_BLANK.search(data):
        yield ReadFailure(name, "empty document")
        return
    count = 0
    try:
        for result in _READERS[extension](name, data, ctx):
            count += 1
            yield result
    except Exception as error:
        # Readers handle the damage they know of; anything else is a bug in
        # Claimscope (or a parser it calls): loud in the log, fatal in strict mode.
        if ctx.settings.strict:
            raise
        log.exception("reading %s (%s reader) failed unexpectedly", name, extension)
        yield ReadFailure(
            name,
            f"could not read {extension[1:]} file: unexpected {type(error).__name__}: {error}"
            " (a bug: its traceback is in the log)",
        )
        return
    if count == 0:
        # A batch with a header but no rows, an empty list, a zip of folders.
        yield ReadFailure(name, "empty batch: no articles in the file")


# --- decoding ---------------------------------------------------------------


def decode(data: bytes) -> str | None:
    """Bytes to text: UTF-8 (BOM or not), UTF-16/32 with a BOM, else the likeliest
    of Latin-1, cp1252 and cp1251; ``None`` for binary data."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        # Text never holds NUL; UTF-16 without a BOM does (and is valid UTF-8
        # when it is ASCII, so this comes first). Anything else is binary.
        return _utf16_without_bom(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
        text = str(best) if best is not None else None
    return text if text is not None and _mostly_printable(text) else None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: mostly-ASCII text has a NUL in every other byte."""
    if len(data) % 2:
        return None
    for encoding, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if _mostly_printable(text) else None
    return None


def _mostly_printable(text: str) -> bool:
    """No more than 2% control characters (binary data read as text has many)."""
    return len(_CONTROL.findall(text)) <= 0.02 * len(text)


def _decode_or_fail(name: str, data: bytes, raw: bool) -> str | ReadFailure:
    if raw:
        if b"\x00" in data:
            return ReadFailure(name, "not text: binary data (NUL bytes)")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            return ReadFailure(
                name, f"not valid UTF-8 (raw mode reads bytes as UTF-8 exactly): {error.reason}"
            )
    text = decode(data)
    if text is None:
        return ReadFailure(name, NOT_TEXT)
    return text


# --- assembling one document ------------------------------------------------


def _document(
    path: str,
    body: str,
    ctx: _Context,
    *,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    fallback_source: str | None = None,
    fallback_published: str | None = None,
) -> Result:
    """Clean a body, put the headline on top, and merge format and wire metadata.

    What the format states explicitly (a batch's columns, a page's metadata)
    wins over what the text suggests; a site name or a file's creation date
    only fills a gap the text leaves. An article past the length limit is
    refused here, before any cleaning.
    """
    if len(body) > ctx.settings.max_article_chars:
        return ReadFailure(path, _too_long(len(body), ctx.settings))
    if ctx.raw:
        return (
            Document(path=path, text=body) if body.strip() else ReadFailure(path, "empty document")
        )
    text = clean.clean_text(body)
    if title:
        title = clean.normalize_whitespace(clean.repair_mojibake(title)).replace("\n\n", " ")
    if not text:
        return ReadFailure(path, "empty document")
    if title and not _starts_with(text, title):
        # Headlines carry claims ("..., says expert"), so they stay in the text, on
        # top: moved there from under a kicker ("World") or a byline if need be.
        paragraphs = text.split("\n\n")
        near_top = [i for i, p in enumerate(paragraphs[:4]) if _same_words(p, title)]
        if near_top:
            del paragraphs[near_top[0]]
        text = "\n\n".join([title, *paragraphs])
    meta = wire.wire_metadata(text)
    return Document(
        path=path,
        text=text,
        title=title or meta.title,
        source=source or meta.source or fallback_source,
        dateline=meta.dateline,
        published=published or meta.published or fallback_published,
        url=url,
        dateline_span=meta.dateline_span,
    )


def _starts_with(text: str, title: str) -> bool:
    return (_words(text[: len(title) + 20]) + " ").startswith(_words(title) + " ")


def _same_words(paragraph: str, title: str) -> bool:
    return _words(paragraph) == _words(title)


def _words(text: str) -> str:
    """Lower-cased words only, for comparing a headline with a paragraph."""
    return re.sub(r"\W+", " ", text).strip().casefold()


# --- single-article formats -------------------------------------------------


def _read_text(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    text = _decode_or_fail(name, data, ctx.raw)
    if isinstance(text, ReadFailure):
        yield text
        return
    yield _document(name, text, ctx)


def _read_markdown(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    text = _decode_or_fail(name, data, ctx.raw)
    if isinstance(text, ReadFailure):
        yield text
        return
    if ctx.raw:
        yield _document(name, text, ctx)
        return
    if len(text) > ctx.settings.max_article_chars:
        yield ReadFailure(name, _too_long(len(text), ctx.settings))
        return
    title, body = clean.strip_markdown(text)
    yield _document(name, body, ctx, title=title)


def _read_html(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    import trafilatura  # heavy; only pages need it

    html = decode(data)
    if html is None:
        yield ReadFailure(name, NOT_TEXT)
        return
    markup_limit = _MARKUP_PER_TEXT * ctx.settings.max_article_chars
    if len(html) > markup_limit:
        yield ReadFailure(
            name,
            f"HTML page too large: {len(html):,} characters of markup, the limit is"
            f" {markup_limit:,} ({_MARKUP_PER_TEXT} x --max-article-chars); not read",
        )
        return
    try:
        with _quiet("trafilatura"):  # it logs every odd page as an error on stderr
            extracted = trafilatura.bare_extraction(
                html, with_metadata=True, include_comments=False, include_tables=False
            )
    except Exception:  # noqa: BLE001 - logged; odd markup trips it, the fallback reads the page
        log.warning(
            "trafilatura failed on %s; reading its visible text instead", name, exc_info=True
        )
        extracted = None
    text = getattr(extracted, "text", None) or ""
    if len(text.split()) < 20:
        # trafilatura gives up on very short or unusual pages; read the article
        # (or body) ourselves rather than lose the text.
        text = _html_fallback_text(html)
    # Each line of extracted text is a block element: a paragraph of its own.
    body = re.sub(r"\n+", "\n\n", text)
    if ctx.raw:
        yield _document(name, body, ctx)
        return
    yield _document(
        name,
        body,
        ctx,
        title=getattr(extracted, "title", None) or _html_title(html),
        url=getattr(extracted, "url", None),
        fallback_source=getattr(extracted, "sitename", None),
        fallback_published=wire.parse_date(getattr(extracted, "date", None) or ""),
    )


class _TextCollector(HTMLParser):
    """Visible text of a page, minus scripts, styles and navigation chrome."""

    _SKIP = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "form"})
    _BLOCK = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote",
                        "section", "article", "tr", "title"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.parts: list[str] = []
        self.article: list[str] | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag == "article" and self.article is None:
            self.article = []
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self.skipping:
            self._emit(data)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self.article is not None:
            self.article.append(text)


def _html_fallback_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    chosen = collector.article if collector.article else collector.parts
    return "".join(chosen)


def _html_title(html: str) -> str | None:
    """The page's <title> without the site name ("Headline | Site" -> "Headline")."""
    collector = _TextCollector()
    collector.feed(html)
    parts = re.split(r"\s+[|–—-]\s+", collector.title.strip())
    return max(parts, key=len) or None


def _read_pdf(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    from pypdf import PdfReader

    if b"%PDF" not in data[:1024]:
        yield ReadFailure(name, "corrupt PDF: not a PDF file (no %PDF header)")
        return
    try:
        with _quiet("pypdf"):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                yield ReadFailure(name, "encrypted PDF (needs a password)")
                return
            pages = [page.extract_text() or "" for page in reader.pages]
            title = reader.metadata.title if reader.metadata else None
    except Exception as error:  # noqa: BLE001 - logged; pypdf raises many kinds on damaged files
        # The file's failure, not ours: pypdf has no one error type for bad input.
        log.info("pypdf could not read %s", name, exc_info=True)
        yield ReadFailure(name, f"corrupt PDF: {error or type(error).__name__}")
        return
    text = "\n".join(pages)
    if not text.strip():
        yield ReadFailure(name, "empty document (the PDF has no text layer; is it a scan?)")
        return
    if ctx.raw:
        yield _document(name, text, ctx)
        return
    yield _document(name, clean.join_hyphenated(text), ctx, title=_useful_title(title))


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's warnings while it reads: a damaged file is reported once,
    as a ReadFailure, not as log noise on stderr (where the CLI lists failures)."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_docx(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    import docx

    # A DOCX is a zip: python-docx would unpack its parts into memory, so the
    # parts must fit the per-file limit before it sees them.
    refused = _oversized_package(name, data, ctx.settings)
    if refused is not None:
        yield refused
        return
    try:
        document = docx.Document(io.BytesIO(data))
        body = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
        properties = document.core_properties
        title, created = properties.title, properties.created
    except Exception as error:  # noqa: BLE001 - logged; python-docx raises many kinds on damaged files
        # The file's failure, not ours: a damaged part surfaces anywhere in
        # python-docx (a zip, XML or attribute error), with no one error type.
        log.info("python-docx could not read %s", name, exc_info=True)
        yield ReadFailure(name, f"corrupt DOCX: {error or type(error).__name__}")
        return
    if ctx.raw:
        yield _document(name, body, ctx)
        return
    created = created.date().isoformat() if created else None
    yield _document(
        name,
        body,
        ctx,
        title=_useful_title(title),
        fallback_published=None if created == _DOCX_TEMPLATE_CREATED else created,
    )


def _oversized_package(name: str, data: bytes, settings: Settings) -> ReadFailure | None:
    """A DOCX whose parts unpack past the per-file limit (a bomb), or with too many parts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        return ReadFailure(name, f"corrupt DOCX: {error or type(error).__name__}")
    if len(parts) > settings.max_zip_members:
        return ReadFailure(name, f"corrupt DOCX: {len(parts):,} parts (a document has a few dozen)")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > settings.max_file_bytes:
        return ReadFailure(name, _too_large("DOCX (unpacked)", unpacked, settings.max_file_bytes))
    return None


def _useful_title(title: str | None) -> str | None:
    """A document property title, unless it is a placeholder like "Microsoft Word - x.docx"."""
    title = (title or "").strip()
    if not title or _PLACEHOLDER_TITLE.search(title):
        return None
    return title


# --- batches ----------------------------------------------------------------


def _from_record(path: str, record: dict[str, Any], ctx: _Context, kind: str) -> Result:
    """One article from a batch row/object that must hold a ``text`` field."""
    fields = {str(key).strip().lower().lstrip("\ufeff"): value for key, value in record.items()}
    if "text" not in fields:
        listed = ", ".join(str(key) for key in record) or "none"
        return ReadFailure(path, f"{kind} has no 'text' field (fields: {listed})")
    text = fields["text"]
    if text is None or (isinstance(text, str) and not text.strip()):
        return ReadFailure(path, "empty document")
    if not isinstance(text, str):
        return ReadFailure(path, f"'text' is not a string but {type(text).__name__}")
    if ctx.raw:
        return _document(path, text, ctx)
    found = {field: _first(fields, aliases) for field, aliases in _FIELDS.items()}
    return _document(
        path,
        text,
        ctx,
        title=found["title"],
        published=wire.parse_date(found["published"]) if found["published"] else None,
        source=found["source"],
        url=found["url"],
    )


def _first(fields: dict[str, Any], aliases: tuple[str, ...]) -> str | None:
    for alias in aliases:
        value = fields.get(alias)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _read_csv(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    text = _decode_or_fail(name, data, raw=False)
    if isinstance(text, ReadFailure):
        yield text
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are long fields
    text = text.lstrip("\ufeff")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [column.strip() for column in next(rows)]
    except StopIteration:
        yield ReadFailure(name, "empty document")
        return
    except csv.Error as error:
        yield ReadFailure(name, f"malformed csv: {error}")
        return
    if "text" not in (column.lower() for column in header):
        yield ReadFailure(name, f"csv has no 'text' column (columns: {', '.join(header)})")
        return
    number = 0
    try:
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue  # blank line
            number += 1
            path = f"{name}#{number}"
            if len(row) > len(header):
                yield ReadFailure(
                    path, f"row has {len(row)} fields but the header has {len(header)}"
                )
                continue
            yield _from_record(path, dict(zip(header, row, strict=False)), ctx, "row")
    except csv.Error as error:
        yield ReadFailure(f"{name}#{number + 1}", f"malformed csv: {error}")


def _delimiter(text: str) -> str:
    """Comma, semicolon (European spreadsheets) or tab: whichever the header uses most."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _read_json(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    text = _decode_or_fail(name, data, raw=False)
    if isinstance(text, ReadFailure):
        yield text
        return
    try:
        content = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        yield ReadFailure(name, f"not valid JSON: {error}")
        return
    except RecursionError:
        yield ReadFailure(name, "not valid JSON for articles: nested too deeply")
        return
    if isinstance(content, dict) and isinstance(content.get("articles"), list):
        content = content["articles"]
    elif isinstance(content, dict) and "text" in content:
        yield _from_record(name, content, ctx, "object")
        return
    if not isinstance(content, list):
        yield ReadFailure(
            name, 'json must be a list of objects, {"articles": [...]}, or one object with "text"'
        )
        return
    for number, item in enumerate(content, start=1):
        yield _record_or_fail(f"{name}#{number}", item, ctx)


def _read_jsonl(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    text = _decode_or_fail(name, data, raw=False)
    if isinstance(text, ReadFailure):
        yield text
        return
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        path = f"{name}#{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadFailure(path, f"not valid JSON: {error}")
            continue
        except RecursionError:
            yield ReadFailure(path, "not valid JSON for articles: nested too deeply")
            continue
        yield _record_or_fail(path, item, ctx)


def _record_or_fail(path: str, item: Any, ctx: _Context) -> Result:
    if not isinstance(item, dict):
        return ReadFailure(
            path, f"expected an object with a 'text' field, got {type(item).__name__}"
        )
    return _from_record(path, item, ctx, "object")


def _read_zip(name: str, data: bytes, ctx: _Context) -> Iterator[Result]:
    settings = ctx.settings
    if ctx.depth >= settings.max_zip_depth:
        yield ReadFailure(name, f"zip nested more than {settings.max_zip_depth} levels deep")
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        yield ReadFailure(name, f"corrupt zip: {error or type(error).__name__}")
        return
    if len(members) > settings.max_zip_members:
        yield ReadFailure(
            name,
            f"zip has {len(members):,} members, the limit is {settings.max_zip_members:,}"
            " (--max-zip-members / CLAIMSCOPE_MAX_ZIP_MEMBERS); not read",
        )
        return
    # One budget for a zip and every zip inside it: a nest of small zips
    # cannot unpack more than one big one.
    budget = ctx.budget or _ZipBudget(settings.max_zip_bytes)
    inner = dataclasses.replace(ctx, depth=ctx.depth + 1, budget=budget)
    with archive:
        for info in members:
            member = info.filename
            parts = PurePosixPath(member.replace("\\", "/")).parts
            if info.is_dir() or not parts or parts[0] == "__MACOSX" or parts[-1].startswith("."):
                continue
            path = f"{name}!{member}"
            if _unsafe_member(member):
                yield ReadFailure(
                    path, "unsafe path in zip (leaves the archive through '..' or a root); not read"
                )
                continue
            refused = _refusal(path)
            if refused is not None:
                yield refused
                continue
            yield from _read_member(archive, info, path, inner, budget)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, ctx: _Context, budget: _ZipBudget
) -> Iterator[Result]:
    limit = ctx.settings.max_file_bytes
    if info.file_size > limit:
        yield ReadFailure(path, _too_large("zip member", info.file_size, limit))
        return
    if info.file_size > budget.left:
        yield ReadFailure(path, _zip_budget_spent(ctx.settings))
        return
    try:
        content = _unpack(archive, info, min(limit, budget.left))
    except _Oversized as error:
        budget.left -= error.size
        what = "zip member" if error.size > limit else None
        yield ReadFailure(
            path,
            _too_large(what, error.size, limit, more=True)
            if what
            else _zip_budget_spent(ctx.settings),
        )
        return
    except (
        zipfile.BadZipFile,
        RuntimeError,
        OSError,
        zlib.error,
        NotImplementedError,
        EOFError,
    ) as error:
        yield ReadFailure(path, f"cannot extract from zip: {error or type(error).__name__}")
        return
    budget.left -= len(content)
    yield from _read(path, content, ctx)


class _Oversized(Exception):
    """A zip member that streamed past its cap (the archive understated its size)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """A member's bytes, streamed a chunk at a time and stopped past ``cap``."""
    buffer = io.BytesIO()
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            buffer.write(chunk)
            if buffer.tell() > cap:
                raise _Oversized(buffer.tell())
    return buffer.getvalue()


def _zip_budget_spent(settings: Settings) -> str:
    return (
        f"zip unpacks to more than {megabytes(settings.max_zip_bytes)} in all, the limit"
        " (--max-zip-mb / CLAIMSCOPE_MAX_ZIP_MB); the rest of the zip is not read"
    )


def _unsafe_member(member: str) -> bool:
    """A member path that would leave the archive: ``../x``, ``/etc/x``, ``C:\\x``."""
    normalized = member.replace("\\", "/")
    return (
        normalized.startswith("/")
        or re.match(r"[A-Za-z]:", normalized) is not None
        or ".." in normalized.split("/")
    )


_READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".csv": _read_csv,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".zip": _read_zip,
}
