"""Limits: every one refuses with a message naming the file, its size and the setting,
before the bytes it guards are read; nothing past a limit is unpacked or parsed."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest

from claimscope import clean, read
from claimscope.read import read_bytes, read_paths
from claimscope.records import Document, ReadFailure, Skipped
from claimscope.settings import MB, Settings
from hostile import write_zip_bomb

STORY = "NAIROBI, May 5, 2025 (Xinhua) - Kenya will extend its railway, the minister said."


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _by_path(results) -> dict[str, Document | ReadFailure | Skipped]:
    return {r.path: r for r in results}


# -- settings ------------------------------------------------------------------------


def test_settings_come_from_defaults_then_environment_then_overrides() -> None:
    environ = {"CLAIMSCOPE_MAX_FILE_MB": "2.5", "CLAIMSCOPE_STRICT": "yes"}
    settings = Settings.from_env(environ, max_article_chars=500, max_zip_members=None)
    assert settings.max_file_bytes == 2_500_000
    assert settings.strict is True
    assert settings.max_article_chars == 500
    assert settings.max_zip_members == Settings().max_zip_members
    # Parts never exceed what an article may hold.
    assert settings.part_chars == 500


def test_a_setting_that_is_not_a_number_is_named() -> None:
    with pytest.raises(ValueError, match="CLAIMSCOPE_MAX_ZIP_MB must be a number"):
        Settings.from_env({"CLAIMSCOPE_MAX_ZIP_MB": "lots"})


# -- per file ------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    monkeypatch.setattr(read, "_read", lambda *a: pytest.fail("an oversized file was read"))
    (result,) = read_paths([path], settings=Settings(max_file_bytes=1000))
    assert isinstance(result, ReadFailure) and result.path == str(path)
    assert result.reason.startswith("file too large: 0.0 MB (5,000 bytes), the limit is")
    assert "--max-file-mb" in result.reason


def test_uploaded_bytes_over_the_size_limit_are_refused() -> None:
    (result,) = read_bytes("upload.txt", b"x" * 2001, settings=Settings(max_file_bytes=2000))
    assert isinstance(result, ReadFailure) and "file too large" in result.reason


def test_an_article_over_the_length_limit_is_refused_before_cleaning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clean, "clean_text", lambda text: pytest.fail("cleaned a refused text"))
    (result,) = read_bytes("long.txt", b"word " * 400, settings=Settings(max_article_chars=1000))
    assert result == ReadFailure(
        "long.txt",
        "article too long: 2,000 characters, the limit is 1,000"
        " (--max-article-chars / CLAIMSCOPE_MAX_ARTICLE_CHARS); not analysed",
    )


def test_the_length_limit_holds_per_article_of_a_batch() -> None:
    data = b'{"text": "Short story about Peru."}\n{"text": "' + b"long " * 300 + b'"}\n'
    results = list(read_bytes("feed.jsonl", data, settings=Settings(max_article_chars=1000)))
    assert isinstance(results[0], Document)
    assert isinstance(results[1], ReadFailure) and "article too long" in results[1].reason


def test_a_huge_html_page_is_refused_before_parsing() -> None:
    page = b"<html><body><p>" + b"word " * 1200 + b"</p></body></html>"
    (result,) = read_bytes("page.html", page, settings=Settings(max_article_chars=1000))
    assert isinstance(result, ReadFailure) and result.reason.startswith("HTML page too large")


# -- zips ----------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_header_without_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.zip"
    write_zip_bomb(bomb, size=8 * 1024 * 1024)
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a bomb member was opened")
    )
    (result,) = read_paths([bomb], settings=Settings(max_file_bytes=MB))
    assert result.path == f"{bomb}!zeros.txt"
    assert result.reason.startswith("zip member too large: 8.4 MB (8,388,608 bytes)")


def test_a_zip_stops_unpacking_once_its_total_is_spent() -> None:
    members = {f"{n}.txt": (STORY + " " + "x" * 400_000).encode() for n in "abc"}
    results = list(read_bytes("many.zip", _zip(members), settings=Settings(max_zip_bytes=MB)))
    # The first two members fit the budget; the third is never unpacked.
    assert [type(r).__name__ for r in results[:2]] == ["Document", "Document"]
    assert results[2].path == "many.zip!c.txt"
    assert results[2].reason.startswith("zip unpacks to more than 1.0 MB in all")


def test_nested_zips_share_one_budget() -> None:
    inner = _zip({"a.txt": b"y" * 600_000, "b.txt": b"z" * 600_000})
    outer = _zip({"inner.zip": inner})
    results = list(read_bytes("outer.zip", outer, settings=Settings(max_zip_bytes=MB)))
    assert results[-1].path == "outer.zip!inner.zip!b.txt"
    assert "zip unpacks to more than" in results[-1].reason


def test_a_zip_with_too_many_members_is_refused_whole() -> None:
    data = _zip({f"{n}.txt": STORY.encode() for n in range(12)})
    (result,) = read_bytes("many.zip", data, settings=Settings(max_zip_members=10))
    assert result.reason.startswith("zip has 12 members, the limit is 10")


@pytest.mark.parametrize(
    "member", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "..\\evil.txt", "C:\\evil.txt"]
)
def test_a_zip_member_that_leaves_the_archive_is_never_read(member: str) -> None:
    data = _zip({member: STORY.encode(), "ok/story.txt": STORY.encode()})
    results = _by_path(read_bytes("upload.zip", data))
    refused = results[f"upload.zip!{member}"]
    assert isinstance(refused, ReadFailure) and refused.reason.startswith("unsafe path in zip")
    assert isinstance(results["upload.zip!ok/story.txt"], Document)


def test_unsupported_zip_members_are_not_unpacked(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _zip({"movie.mp4": b"\x00" * 1000})
    monkeypatch.setattr(read, "_unpack", lambda *a: pytest.fail("unpacked an unsupported member"))
    (result,) = read_bytes("media.zip", data)
    assert result.reason.startswith("unsupported file type '.mp4'")


def test_a_docx_that_unpacks_past_the_file_limit_is_refused() -> None:
    data = _zip({"word/document.xml": b"<w/>" + b" " * 3_000_000, "[Content_Types].xml": b""})
    (result,) = read_bytes("bomb.docx", data, settings=Settings(max_file_bytes=2 * MB))
    assert result.reason.startswith("DOCX (unpacked) too large: 3.0 MB")


def test_zips_nested_too_deep_are_refused() -> None:
    data = STORY.encode()
    name = "story.txt"
    for _ in range(4):
        data, name = _zip({name: data}), "inner.zip"
    (result,) = read_bytes("deep.zip", data)
    assert result.path == "deep.zip!inner.zip!inner.zip!inner.zip"
    assert result.reason == "zip nested more than 3 levels deep"


# -- what is not an article ----------------------------------------------------------


@pytest.mark.parametrize("name", ["README.md", "readme.txt", "README", "Readme-samples.md"])
def test_a_readme_is_skipped_aloud_wherever_it_is(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("# About these files\n\nThey are news articles.", encoding="utf-8")
    (result,) = read_paths([path])
    assert isinstance(result, Skipped) and result.path == str(path)
    assert "README" in result.reason
    (member,) = read_bytes("batch.zip", _zip({f"docs/{name}": b"# About"}))
    assert isinstance(member, Skipped) and member.path == f"batch.zip!docs/{name}"


def test_text_full_of_nul_bytes_is_binary_not_an_article() -> None:
    (result,) = read_bytes("zeros.txt", bytes(10_000))
    assert isinstance(result, ReadFailure) and result.reason.startswith("not text: binary data")


def test_json_nested_too_deeply_is_a_failure_not_a_crash() -> None:
    (result,) = read_bytes("deep.json", b"[" * 100_000 + b"]" * 100_000)
    assert result.reason == "not valid JSON for articles: nested too deeply"


# -- bugs are loud -------------------------------------------------------------------


def _broken_reader(name, data, ctx):  # noqa: ANN001, ANN202 - stands in for a reader
    raise AttributeError("a bug in a reader")
    yield  # pragma: no cover


def test_a_reader_bug_fails_that_file_and_is_logged_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(read._READERS, ".txt", _broken_reader)
    with caplog.at_level(logging.ERROR, logger="claimscope"):
        (result,) = read_bytes("story.txt", STORY.encode())
    assert isinstance(result, ReadFailure)
    assert result.reason.startswith("could not read txt file: unexpected AttributeError")
    (record,) = caplog.records
    assert "story.txt" in record.getMessage() and record.exc_info is not None


def test_strict_mode_raises_a_reader_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(read._READERS, ".txt", _broken_reader)
    with pytest.raises(AttributeError, match="a bug in a reader"):
        list(read_bytes("story.txt", STORY.encode(), settings=Settings(strict=True)))
