"""Reading articles from files. PLACEHOLDER first version (being replaced): txt only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from claimscope.records import Document, ReadFailure


def read_paths(paths: Iterable[str | Path], *, raw: bool = False) -> Iterator[Document | ReadFailure]:
    for path in paths:
        try:
            text = Path(path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            yield ReadFailure(str(path), str(error))
            continue
        yield Document(path=str(path), text=text)


def read_bytes(name: str, data: bytes, *, raw: bool = False) -> Iterator[Document | ReadFailure]:
    """Read an uploaded file's bytes; ``name`` (its file name) picks the format."""
    try:
        yield Document(path=name, text=data.decode("utf-8"))
    except UnicodeDecodeError as error:
        yield ReadFailure(name, str(error))
