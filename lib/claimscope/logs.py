"""Where Claimscope's log goes: a file beside the store, and stderr on request.

The library only logs (``logging.getLogger(__name__)`` in each module); the
CLI and the dashboard decide where the records go. Every unexpected error
that is caught is logged with its traceback, so that a failed article in the
status lines can be traced to the code that failed.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

LOGGER_NAME = "claimscope"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(store_path: str | Path) -> Path:
    """The log file beside a store: ``news.duckdb`` -> ``news.log``. A store on a
    database server (``postgresql://user@host:port/news``) logs in the user's data
    directory: ``postgresql-host-port-news.log``."""
    from claimscope.settings import is_server_url

    location = str(store_path)
    if is_server_url(location):
        import platformdirs

        server = location.split("://", 1)[1].rsplit("@", 1)[-1].split("?", 1)[0]
        name = "".join(c if c.isalnum() or c in "-_." else "-" for c in server)
        return Path(platformdirs.user_data_dir("claimscope")) / f"postgresql-{name}.log"
    return Path(store_path).expanduser().with_suffix(".log")


def _file_handler(path: Path) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True)
    # delay: the file appears only once something is logged.
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


def _stderr_handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


@contextlib.contextmanager
def logging_to(log_file: Path | None, *, verbose: bool = False) -> Iterator[None]:
    """Send Claimscope's log to ``log_file`` (INFO and up) and, with ``verbose``,
    to stderr (DEBUG and up) while the block runs; the handlers go afterwards."""
    logger = logging.getLogger(LOGGER_NAME)
    handlers = []
    if log_file is not None:
        handlers.append(_file_handler(log_file))
    if verbose:
        handlers.append(_stderr_handler())
    level = logger.level
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in handlers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(level)


def log_to_file_once(log_file: Path) -> None:
    """Send the log to ``log_file`` for the rest of the process (a long-lived server);
    a file set this way before (another store) is replaced, and setting the same
    file again does nothing."""
    logger = logging.getLogger(LOGGER_NAME)
    target = str(log_file.expanduser().resolve())
    for handler in list(logger.handlers):
        if getattr(handler, "_claimscope_server", False):
            if isinstance(handler, logging.FileHandler) and handler.baseFilename == target:
                return
            logger.removeHandler(handler)
            handler.close()
    handler = _file_handler(log_file)
    handler._claimscope_server = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
