"""Property-based fuzzing of every reader: whatever the bytes, reading never raises.

In strict mode a reader's unexpected exception is raised instead of becoming a
"failed" line, so each property below holds only if every reader handles its
damage itself. Inputs: random bytes under every extension, text in several
encodings, generated JSON/CSV/JSONL structures, zips with hostile member names
and nested zips, and mutated copies of the real sample files (PDF, DOCX, HTML).
Examples are bounded and derandomized, so the suite takes seconds and never
flakes; set ``CLAIMSCOPE_FUZZ_EXAMPLES`` to run more examples and
``CLAIMSCOPE_FUZZ_RANDOM=1`` for fresh random ones.
"""

from __future__ import annotations

import io
import json
import os
import warnings
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimscope.read import read_bytes, supported_extensions
from claimscope.records import Document, ReadFailure, Skipped
from claimscope.settings import MB, Settings
from conftest import SAMPLE_ARTICLES

STRICT = Settings(
    strict=True, max_file_bytes=2 * MB, max_article_chars=20_000, max_zip_bytes=4 * MB
)
EXAMPLES = int(os.environ.get("CLAIMSCOPE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("CLAIMSCOPE_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTENSIONS = [*supported_extensions(), ".exe", ""]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "cp1251"]


def check(name: str, data: bytes, *, raw: bool = False) -> list:
    """Reading never raises, and every result is well formed."""
    results = list(read_bytes(name, data, raw=raw, settings=STRICT))
    assert results, name
    for result in results:
        assert isinstance(result, Document | ReadFailure | Skipped), result
        assert result.path == name or result.path.startswith((f"{name}#", f"{name}!"))
        if isinstance(result, Document):
            assert result.text.strip()
            assert "\x00" not in result.text
            # The limit holds for the body; a headline put on top adds a little.
            assert len(result.text) <= STRICT.max_article_chars + 1_000
            if result.dateline_span is not None:
                start, end = result.dateline_span
                assert 0 <= start < end <= len(result.text)
        else:
            assert result.reason.strip()
    return results


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # duplicate member names are part of the fuzz
        for member, content in members:
            archive.writestr(member, content)
    return buffer.getvalue()


def _samples(*suffixes: str) -> list[bytes]:
    return [
        path.read_bytes()
        for path in sorted(SAMPLE_ARTICLES.iterdir())
        if path.suffix in suffixes and not path.name.startswith("README")
    ]


def _mutated(originals: list[bytes]) -> st.SearchStrategy[bytes]:
    """A sample with bytes overwritten, sometimes cut short: damaged, but mostly itself."""

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(originals)))
        if draw(st.booleans()):
            del data[draw(st.integers(min_value=1, max_value=len(data))) :]
        for _ in range(draw(st.integers(min_value=0, max_value=20))):
            position = draw(st.integers(min_value=0, max_value=len(data) - 1))
            data[position] = draw(st.integers(min_value=0, max_value=255))
        return bytes(data)

    return mutate()


def _docx_with_damaged_parts() -> st.SearchStrategy[bytes]:
    """The sample DOCX as a valid zip whose XML parts are damaged inside."""
    (original,) = _samples(".docx")
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]

    @st.composite
    def damage(draw: st.DrawFn) -> bytes:
        damaged = []
        for name, content in parts:
            data = bytearray(content)
            if name.endswith(".xml") and data and draw(st.booleans()):
                for _ in range(draw(st.integers(min_value=1, max_value=10))):
                    position = draw(st.integers(min_value=0, max_value=len(data) - 1))
                    data[position] = draw(st.sampled_from(b"<>/\"&'=x\x00\xff "))
            damaged.append((name, bytes(data)))
        return _zip(damaged)

    return damage()


words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=200
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | words,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "title", "date", "source", "url", "x"]), children
        )
    ),
    max_leaves=12,
)
member_names = st.one_of(
    st.sampled_from(
        [
            "a.txt",
            "dir/b.md",
            "../up.txt",
            "/abs.txt",
            "..\\win.txt",
            "C:\\x.txt",
            "README.md",
            "__MACOSX/._a.txt",
            ".hidden.txt",
            "inner.zip",
            "rows.csv",
            "page.html",
            "x.exe",
        ]
    ),  # fmt: skip
    st.text(min_size=1, max_size=30).map(lambda s: s.replace("\x00", "") or "x"),
)


@FUZZ
@given(extension=st.sampled_from(EXTENSIONS), data=st.binary(max_size=3000), raw=st.booleans())
def test_any_bytes_under_any_extension_never_raise(extension: str, data: bytes, raw: bool) -> None:
    check(f"file{extension}", data, raw=raw)


@FUZZ
@given(
    extension=st.sampled_from([".txt", ".md", ".html", ".csv", ".json", ".jsonl"]),
    text=words,
    encoding=st.sampled_from(ENCODINGS),
)
def test_text_in_any_encoding_never_raises(extension: str, text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    check(f"file{extension}", data)


@FUZZ
@given(value=json_values, as_lines=st.booleans())
def test_any_json_structure_never_raises(value: object, as_lines: bool) -> None:
    if as_lines:
        items = value if isinstance(value, list) else [value]
        data = "\n".join(json.dumps(item) for item in items).encode()
        check("feed.jsonl", data)
    else:
        check("feed.json", json.dumps(value).encode())


@FUZZ
@given(
    header=st.lists(st.sampled_from(["text", "title", "date", "source", "x", ""]), max_size=5),
    rows=st.lists(st.lists(words, max_size=6), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_csv_never_raises(header: list[str], rows: list[list[str]], delimiter: str) -> None:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    check("rows.csv", "\n".join(lines).encode())


@FUZZ
@given(
    members=st.lists(
        st.tuples(member_names, st.binary(max_size=500) | words.map(str.encode)), max_size=6
    ),
    nest=st.integers(min_value=0, max_value=4),
)
def test_any_zip_never_raises_and_never_reads_an_unsafe_member(
    members: list[tuple[str, bytes]], nest: int
) -> None:
    data = _zip(members)
    for _ in range(nest):
        data = _zip([("inner.zip", data)])
    for result in check("upload.zip", data):
        if isinstance(result, Document):
            member = result.path.rsplit("!", 1)[-1].split("#")[0].replace("\\", "/")
            assert ".." not in member.split("/") and not member.startswith("/")


@FUZZ
@given(data=_mutated(_samples(".pdf", ".docx", ".html", ".csv", ".jsonl")), raw=st.booleans())
def test_damaged_real_files_never_raise(data: bytes, raw: bool) -> None:
    for extension in (".pdf", ".docx", ".html", ".zip"):
        check(f"damaged{extension}", data, raw=raw)


@FUZZ
@given(data=_docx_with_damaged_parts(), raw=st.booleans())
def test_a_docx_with_damaged_xml_never_raises(data: bytes, raw: bool) -> None:
    check("damaged.docx", data, raw=raw)
