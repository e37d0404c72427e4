"""Limits and error policy for reading, parsing and storing: one frozen record.

Every limit has a sane default, an environment variable, and (for the
``extract`` and ``ingest`` commands) a CLI option. A file or an article past
a limit is refused with a message naming it, its size and the setting to
raise; nothing past a limit is ever read into memory or handed to the model.

``strict`` is the error policy: by default an unexpected error (a bug in a
reader, an extractor or the model) fails the one article it hit, is logged
with its traceback, and the batch goes on; in strict mode it is raised, so
tests and the benchmark never mistake a regression for bad input.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

MB = 1_000_000
STORE_ENV_VAR = "CLAIMSCOPE_STORE"

# Setting name -> environment variable.
ENV_VARS = {
    "max_file_bytes": "CLAIMSCOPE_MAX_FILE_MB",
    "max_article_chars": "CLAIMSCOPE_MAX_ARTICLE_CHARS",
    "part_chars": "CLAIMSCOPE_PART_CHARS",
    "max_zip_members": "CLAIMSCOPE_MAX_ZIP_MEMBERS",
    "max_zip_bytes": "CLAIMSCOPE_MAX_ZIP_MB",
    "store_wait": "CLAIMSCOPE_STORE_WAIT",
    "strict": "CLAIMSCOPE_STRICT",
    "jobs": "CLAIMSCOPE_JOBS",
    "tone": "CLAIMSCOPE_TONE",
}
# Settings given in megabytes in the environment and on the command line.
_IN_MB = frozenset({"max_file_bytes", "max_zip_bytes"})
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True, slots=True)
class Settings:
    """How much Claimscope takes in, and what it does with an unexpected error."""

    # A file (or a zip member, unpacked) larger than this is refused before it is read.
    max_file_bytes: int = 100 * MB
    # An article longer than this is refused (a book, a log dump, a 20 MB line).
    max_article_chars: int = 1_000_000
    # Longer articles are parsed in parts of at most this many characters, cut at
    # paragraph (else sentence, else word) boundaries, and joined again: the model
    # never sees a text it cannot take, and memory stays flat.
    part_chars: int = 100_000
    # A zip with more members than this is refused whole, before any is read.
    max_zip_members: int = 20_000
    # Reading stops once a zip (nested zips included) has unpacked this much.
    max_zip_bytes: int = 1_000 * MB
    # Zips inside zips deeper than this are refused.
    max_zip_depth: int = 3
    # Seconds a store operation waits for another process's write to finish.
    store_wait: float = 300.0
    # Re-raise unexpected errors instead of failing the article they hit.
    strict: bool = False
    # Worker processes that parse and extract (0: one per core; 1: no workers,
    # all in this process). A run of one parse batch never starts workers.
    jobs: int = 0
    # Judge each quote's tone toward the countries, people and organisations it
    # names (the tone model, claimscope.tone); off: every quote's tone is empty.
    tone: bool = True

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_article_chars", "part_chars", "max_zip_members"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.jobs < 0:
            raise ValueError(f"jobs must be 0 (one per core) or more, not {self.jobs}")
        if self.part_chars > self.max_article_chars:
            object.__setattr__(self, "part_chars", self.max_article_chars)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then the ``CLAIMSCOPE_*`` variables, then ``overrides`` (``None`` skipped).

        Raises ``ValueError`` naming the variable when one is not a number.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for item in fields(cls):
            variable = ENV_VARS.get(item.name)
            raw = environ.get(variable, "").strip() if variable else ""
            if raw:
                values[item.name] = _parse(item.name, variable, raw)
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        return cls(**values)


def _parse(name: str, variable: str | None, raw: str) -> object:
    if name in ("strict", "tone"):
        return raw.lower() in _TRUE
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(f"{variable} must be a number, not {raw!r}") from None
    if name == "store_wait":
        return number
    return int(number * MB) if name in _IN_MB else int(number)


def megabytes(size: int) -> str:
    """``123456789`` -> ``"123.5 MB"``, for messages."""
    return f"{size / MB:,.1f} MB"


SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(location: str | Path) -> bool:
    """Whether a store location names a database server (``postgresql://...``), not a file."""
    return str(location).startswith(SERVER_SCHEMES)


def shown_location(location: str | Path) -> str:
    """A store location for messages and pages: a URL's password replaced by ``***``."""
    text = str(location)
    if not is_server_url(text):
        return text
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(text)
        password = parts.password
    except ValueError:  # a malformed URL (a bad port, say): keep what precedes the host
        scheme, _, rest = text.partition("://")
        return f"{scheme}://***@{rest.rsplit('@', 1)[-1]}" if "@" in rest else text
    if not password:
        return text
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


def store_location() -> str:
    """Where the store is: ``$CLAIMSCOPE_STORE`` as given (a DuckDB file, or a
    ``postgresql://`` URL), else ``claimscope.duckdb`` in the user's data directory."""
    configured = os.environ.get(STORE_ENV_VAR, "").strip()
    if is_server_url(configured):
        return configured
    return str(default_store_path())


def default_store_path() -> Path:
    """``$CLAIMSCOPE_STORE``, else ``claimscope.duckdb`` in the user's data directory."""
    configured = os.environ.get(STORE_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("claimscope")) / "claimscope.duckdb"
