"""The log goes where the CLI and the dashboard send it, with tracebacks, and no further."""

from __future__ import annotations

import logging
from pathlib import Path

from claimscope import logs


def _fail_loudly() -> None:
    try:
        raise RuntimeError("an extractor bug")
    except RuntimeError:
        logging.getLogger("claimscope.pipeline").exception("extraction failed on a.txt")


def test_the_log_file_sits_beside_the_store() -> None:
    assert logs.log_path("/data/news.duckdb") == Path("/data/news.log")


def test_logging_to_a_file_keeps_tracebacks_and_stops_after_the_block(tmp_path: Path) -> None:
    log_file = tmp_path / "news.log"
    with logs.logging_to(log_file):
        _fail_loudly()
    text = log_file.read_text(encoding="utf-8")
    assert "ERROR claimscope.pipeline: extraction failed on a.txt" in text
    assert "Traceback (most recent call last)" in text and "an extractor bug" in text
    _fail_loudly()  # after the block: not in the file
    assert log_file.read_text(encoding="utf-8") == text


def test_nothing_logged_means_no_file(tmp_path: Path) -> None:
    with logs.logging_to(tmp_path / "quiet.log"):
        pass
    assert not (tmp_path / "quiet.log").exists()


def test_verbose_writes_the_log_to_stderr(tmp_path: Path, capsys) -> None:
    with logs.logging_to(None, verbose=True):
        _fail_loudly()
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_a_server_logs_to_one_file_at_a_time(tmp_path: Path) -> None:
    logger = logging.getLogger(logs.LOGGER_NAME)
    before = list(logger.handlers)
    try:
        logs.log_to_file_once(tmp_path / "a.log")
        logs.log_to_file_once(tmp_path / "a.log")
        logs.log_to_file_once(tmp_path / "b.log")
        added = [h for h in logger.handlers if h not in before]
        assert [Path(h.baseFilename).name for h in added] == ["b.log"]
    finally:
        for handler in [h for h in logger.handlers if h not in before]:
            logger.removeHandler(handler)
            handler.close()
