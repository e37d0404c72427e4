"""Files to :class:`Document` records: one per article, whatever the format.

A file's extension picks its reader: plain text, Markdown, HTML (main text via
trafilatura), PDF, DOCX, and batches (CSV, JSON, JSON Lines, ZIP of any of
these, nested). Reading never raises: an unreadable file, or one bad row of a
batch, becomes a :class:`ReadFailure` with a reason a person can act on, and
the rest of the batch goes on.

Without ``raw`` the text is cleaned (mojibake, clutter, whitespace) and the
metadata is parsed; with ``raw`` a text file's bytes are decoded as UTF-8
exactly, so that offsets index the file's own characters.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import charset_normalizer

from claimscope import clean, wire
from claimscope.records import Document, ReadFailure

Result = Document | ReadFailure
Reader = Callable[[str, bytes, bool, int], Iterator[Result]]

# Single-byte encodings worth telling apart when a text is not UTF-8: Western
# European (Latin-1 and its Windows superset) and Cyrillic.
_FALLBACK_ENCODINGS = ["latin_1", "cp1252", "cp1251"]
_MAX_ZIP_DEPTH = 3
_MAX_MEMBER_BYTES = 512 * 1024 * 1024
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


def read_paths(paths: Iterable[str | Path], *, raw: bool = False) -> Iterator[Result]:
    """Read every path; a directory stands for the supported files inside it."""
    for path in paths:
        name = str(path)
        location = Path(path)
        if location.is_dir():
            yield from read_paths(_files_in(location), raw=raw)
            continue
        try:
            data = location.read_bytes()
        except FileNotFoundError:
            yield ReadFailure(name, "file not found")
            continue
        except OSError as error:
            yield ReadFailure(name, f"cannot open file: {error.strerror or error}")
            continue
        yield from read_bytes(name, data, raw=raw)


def read_bytes(name: str, data: bytes, *, raw: bool = False) -> Iterator[Result]:
    """Read an uploaded file's bytes; ``name`` (its file name) picks the format."""
    yield from _read(name, data, raw, 0)


def supported_extensions() -> tuple[str, ...]:
    """The file extensions that :func:`read_bytes` understands, for messages and upload widgets."""
    return tuple(sorted(_READERS))


def _files_in(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
        and path.suffix.lower() in _READERS
        and not path.name.upper().startswith("README")
    )


def _read(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    extension = PurePosixPath(name.rsplit("!", 1)[-1]).suffix.lower()
    reader = _READERS.get(extension)
    if reader is None:
        kind = f"'{extension}'" if extension else "(no extension)"
        supported = ", ".join(supported_extensions())
        yield ReadFailure(name, f"unsupported file type {kind} (supported: {supported})")
        return
    if not data.strip():
        yield ReadFailure(name, "empty document")
        return
    count = 0
    try:
        for result in reader(name, data, raw, depth):
            count += 1
            yield result
    except Exception as error:  # noqa: BLE001 - a reader bug must not stop the batch
        yield ReadFailure(name, f"could not read {extension[1:]} file: {error}")
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return _utf16_without_bom(data)  # else binary: refuse rather than guess
    best = charset_normalizer.from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
    return str(best) if best is not None else None


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
    return sum(c.isprintable() or c in "\n\r\t" for c in text) >= 0.98 * len(text)


def _decode_or_fail(name: str, data: bytes, raw: bool) -> str | ReadFailure:
    if raw:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            return ReadFailure(
                name, f"not valid UTF-8 (raw mode reads bytes as UTF-8 exactly): {error.reason}"
            )
    text = decode(data)
    if text is None:
        return ReadFailure(name, "not valid UTF-8/any known encoding")
    return text


# --- assembling one document ------------------------------------------------


def _document(
    path: str,
    body: str,
    *,
    raw: bool,
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
    only fills a gap the text leaves.
    """
    if raw:
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


def _read_text(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    text = _decode_or_fail(name, data, raw)
    if isinstance(text, ReadFailure):
        yield text
        return
    yield _document(name, text, raw=raw)


def _read_markdown(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    text = _decode_or_fail(name, data, raw)
    if isinstance(text, ReadFailure):
        yield text
        return
    if raw:
        yield _document(name, text, raw=True)
        return
    title, body = clean.strip_markdown(text)
    yield _document(name, body, raw=False, title=title)


def _read_html(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    import trafilatura  # heavy; only pages need it

    html = decode(data)
    if html is None:
        yield ReadFailure(name, "not valid UTF-8/any known encoding")
        return
    try:
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception:  # noqa: BLE001 - odd markup can trip it; the fallback below reads it
        extracted = None
    text = getattr(extracted, "text", None) or ""
    if len(text.split()) < 20:
        # trafilatura gives up on very short or unusual pages; read the article
        # (or body) ourselves rather than lose the text.
        text = _html_fallback_text(html)
    # Each line of extracted text is a block element: a paragraph of its own.
    body = re.sub(r"\n+", "\n\n", text)
    if raw:
        yield _document(name, body, raw=True)
        return
    yield _document(
        name,
        body,
        raw=False,
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


def _read_pdf(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
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
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        yield ReadFailure(name, f"corrupt PDF: {error or type(error).__name__}")
        return
    text = "\n".join(pages)
    if not text.strip():
        yield ReadFailure(name, "empty document (the PDF has no text layer; is it a scan?)")
        return
    if raw:
        yield _document(name, text, raw=True)
        return
    yield _document(name, clean.join_hyphenated(text), raw=False, title=_useful_title(title))


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


def _read_docx(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        yield ReadFailure(name, f"corrupt DOCX: {error or type(error).__name__}")
        return
    body = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    if raw:
        yield _document(name, body, raw=True)
        return
    properties = document.core_properties
    created = properties.created.date().isoformat() if properties.created else None
    yield _document(
        name,
        body,
        raw=False,
        title=_useful_title(properties.title),
        fallback_published=None if created == _DOCX_TEMPLATE_CREATED else created,
    )


def _useful_title(title: str | None) -> str | None:
    """A document property title, unless it is a placeholder like "Microsoft Word - x.docx"."""
    title = (title or "").strip()
    if not title or _PLACEHOLDER_TITLE.search(title):
        return None
    return title


# --- batches ----------------------------------------------------------------


def _from_record(path: str, record: dict[str, Any], raw: bool, kind: str) -> Result:
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
    if raw:
        return Document(path=path, text=text)
    found = {field: _first(fields, aliases) for field, aliases in _FIELDS.items()}
    return _document(
        path,
        text,
        raw=False,
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


def _read_csv(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
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
            yield _from_record(path, dict(zip(header, row, strict=False)), raw, "row")
    except csv.Error as error:
        yield ReadFailure(f"{name}#{number + 1}", f"malformed csv: {error}")


def _delimiter(text: str) -> str:
    """Comma, semicolon (European spreadsheets) or tab: whichever the header uses most."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _read_json(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    text = _decode_or_fail(name, data, raw=False)
    if isinstance(text, ReadFailure):
        yield text
        return
    try:
        content = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        yield ReadFailure(name, f"not valid JSON: {error}")
        return
    if isinstance(content, dict) and isinstance(content.get("articles"), list):
        content = content["articles"]
    elif isinstance(content, dict) and "text" in content:
        yield _from_record(name, content, raw, "object")
        return
    if not isinstance(content, list):
        yield ReadFailure(
            name, 'json must be a list of objects, {"articles": [...]}, or one object with "text"'
        )
        return
    for number, item in enumerate(content, start=1):
        yield _record_or_fail(f"{name}#{number}", item, raw)


def _read_jsonl(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
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
        yield _record_or_fail(path, item, raw)


def _record_or_fail(path: str, item: Any, raw: bool) -> Result:
    if not isinstance(item, dict):
        return ReadFailure(
            path, f"expected an object with a 'text' field, got {type(item).__name__}"
        )
    return _from_record(path, item, raw, "object")


def _read_zip(name: str, data: bytes, raw: bool, depth: int) -> Iterator[Result]:
    if depth >= _MAX_ZIP_DEPTH:
        yield ReadFailure(name, f"zip nested more than {_MAX_ZIP_DEPTH} levels deep")
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        yield ReadFailure(name, f"corrupt zip: {error}")
        return
    with archive:
        for info in members:
            member = PurePosixPath(info.filename)
            if info.is_dir() or member.parts[0] == "__MACOSX" or member.name.startswith("."):
                continue
            path = f"{name}!{info.filename}"
            if info.file_size > _MAX_MEMBER_BYTES:
                yield ReadFailure(path, f"member too large ({info.file_size} bytes)")
                continue
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, OSError, zlib.error) as error:
                yield ReadFailure(path, f"cannot extract from zip: {error}")
                continue
            yield from _read(path, content, raw, depth + 1)


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
