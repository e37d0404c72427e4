"""A pipeline's attribute ruler and rule lemmatizer, applied once per kind of token.

In ``en_core_web_sm`` the attribute ruler (tag -> part of speech and
morphology, plus word exceptions) and the rule lemmatizer cost a fifth of the
whole parse, almost all of it spent in Python per token: the ruler runs 179
Matcher patterns over every token and builds a ``Span`` per match; the
lemmatizer reads five attributes per token. Yet what they assign to a token
depends only on that token, with a handful of exceptions:

- a single-token rule looks at the token's text, tag and dependency label
  (``TAG``, ``LOWER``, ``IS_SPACE``, ``DEP``), so its effect is a function of
  ``(orth, tag, dep)``: worked out once per distinct triple with spaCy's own
  ``Matcher`` and remembered;
- a multi-token rule ("gon na", "let 's") depends on the neighbours: those few
  patterns still run through a ``Matcher`` on every document;
- the lemma of a token the ruler left without one is a function of
  ``(orth, pos, morph)``, which is exactly the key of spaCy's own lemmatizer cache.

Rules are applied in the ruler's order (a later rule overrides an earlier one),
as ``AttributeRuler.set_annotations`` does, so the attributes are those of the
stock components token for token (``tests/test_tokenattrs.py`` compares them
over real articles). The stock components stay in the pipeline, disabled:
this component reads their patterns and tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

TOKEN_ATTRIBUTES = "claimscope_token_attributes"
RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
# A long-running process meets new words forever: the memos are cleared past this size.
MAX_MEMO = 500_000


def setup_component() -> None:
    """Register the component's factory with spaCy (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory(TOKEN_ATTRIBUTES):
        Language.factory(TOKEN_ATTRIBUTES, func=_make_component)


def _make_component(nlp: Language, name: str) -> TokenAttributes:
    return TokenAttributes(nlp.get_pipe(RULER), nlp.get_pipe(LEMMATIZER))


def can_replace(nlp: Language) -> bool:
    """Whether ``nlp`` has an active attribute ruler followed by a rule lemmatizer."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    names = nlp.pipe_names
    if RULER not in names or LEMMATIZER not in names:
        return False
    ruler, lemmatizer = nlp.get_pipe(RULER), nlp.get_pipe(LEMMATIZER)
    return (
        isinstance(ruler, AttributeRuler)
        and isinstance(lemmatizer, Lemmatizer)
        and lemmatizer.mode == "rule"
        and names.index(RULER) + 1 == names.index(LEMMATIZER)
    )


def replace_components(nlp: Language) -> bool:
    """Put :class:`TokenAttributes` where the ruler and the lemmatizer were, and disable
    them (they stay in the pipeline as its data). ``False`` when ``nlp`` lacks them."""
    if not can_replace(nlp):
        return False
    setup_component()
    nlp.add_pipe(TOKEN_ATTRIBUTES, after=LEMMATIZER)
    nlp.disable_pipe(RULER)
    nlp.disable_pipe(LEMMATIZER)
    return True


class TokenAttributes:
    """Does the work of an ``AttributeRuler`` and a rule ``Lemmatizer``, memoised per token."""

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.vocab = ruler.vocab
        self._columns = [POS, TAG, DEP, MORPH, LEMMA]
        self._column_of = {attr: index for index, attr in enumerate(self._columns)}
        self._key_columns = [ORTH, TAG, DEP]
        self._lemma_columns = [ORTH, POS, MORPH, LEMMA]
        self._single = Matcher(self.vocab)
        self._context = Matcher(self.vocab)
        for rule, entry in enumerate(ruler.patterns):
            key = str(rule)
            single = [p for p in entry["patterns"] if _is_single_token(p)]
            context = [p for p in entry["patterns"] if not _is_single_token(p)]
            if single:
                self._single.add(key, single)
            if context:
                self._context.add(key, context)
        self._has_context = len(self._context) > 0
        # (orth, tag, dep) -> ((column, value), ...) after every single-token rule.
        self._rules: dict[tuple[int, int, int], tuple[tuple[int, int], ...]] = {}
        # (orth, pos, morph) -> lemma string, as the lemmatizer gives it.
        self._lemmas: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            self._apply_rules(doc)
            self._lemmatize(doc)
        return doc

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)

    # -- the attribute ruler ----------------------------------------------------

    def _apply_rules(self, doc: Doc) -> None:
        import numpy

        keys = [tuple(row) for row in doc.to_array(self._key_columns).tolist()]
        missing = {key for key in keys if key not in self._rules}
        if missing:
            self._learn(sorted(missing))
        values = doc.to_array(self._columns).tolist()
        changed = False
        context = self._context_rules(doc) if self._has_context else {}
        for i, key in enumerate(keys):
            if i in context:
                assigned = self._merge(key, context[i])
            else:
                assigned = self._rules[key]
            if assigned:
                row = values[i]
                for column, value in assigned:
                    row[column] = value
                changed = True
        if changed:
            doc.from_array(self._columns, numpy.asarray(values, dtype="uint64"))

    def _learn(self, keys: list[tuple[int, int, int]]) -> None:
        """Run the single-token rules once over one made-up token per new (orth, tag, dep)."""
        import numpy
        from spacy.tokens import Doc

        if len(self._rules) > MAX_MEMO:
            self._rules.clear()
        strings = self.vocab.strings
        probe = Doc(
            self.vocab, words=[strings[orth] for orth, _, _ in keys], spaces=[False] * len(keys)
        )
        probe.from_array(
            self._key_columns[1:],
            numpy.asarray([[tag, dep] for _, tag, dep in keys], dtype="uint64"),
        )
        found: dict[int, list[int]] = {}
        for match_id, start, _ in self._single(probe, allow_missing=True, as_spans=False):
            found.setdefault(start, []).append(int(strings[match_id]))
        for position, key in enumerate(keys):
            self._rules[key] = self._final(sorted(found.get(position, ())))

    def _final(self, rules: list[int]) -> tuple[tuple[int, int], ...]:
        """The (column, value) pairs left once ``rules`` are applied in order."""
        final: dict[int, int] = {}
        for rule in rules:
            for attr, value in self.ruler.attrs[rule].items():
                if attr in self._column_of:
                    final[self._column_of[attr]] = value
                else:  # an attribute this component does not carry: never silently lost
                    raise ValueError(f"attribute ruler rule {rule} sets an unsupported attribute")
        return tuple(final.items())

    def _context_rules(self, doc: Doc) -> dict[int, list[int]]:
        """Token index -> the multi-token rules that assign to it."""
        strings = self.vocab.strings
        by_token: dict[int, list[int]] = {}
        for match_id, start, end in self._context(doc, allow_missing=True, as_spans=False):
            rule = int(strings[match_id])
            index = self.ruler.indices[rule]
            target = (start if index >= 0 else end) + index
            if not start <= target < end:
                raise ValueError(f"attribute ruler rule {rule}: index {index} outside its match")
            by_token.setdefault(target, []).append(rule)
        return by_token

    def _merge(self, key: tuple[int, int, int], extra: list[int]) -> tuple[tuple[int, int], ...]:
        single = self._single_rules_for(key)
        return self._final(sorted(single + extra))

    def _single_rules_for(self, key: tuple[int, int, int]) -> list[int]:
        from spacy.tokens import Doc

        orth, tag, dep = key
        probe = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
        probe[0].tag = tag
        probe[0].dep = dep
        return [
            int(self.vocab.strings[m])
            for m, _, _ in self._single(probe, allow_missing=True, as_spans=False)
        ]

    # -- the lemmatizer ---------------------------------------------------------

    def _lemmatize(self, doc: Doc) -> None:
        import numpy
        from spacy.attrs import LEMMA

        overwrite = self.lemmatizer.overwrite
        rows = doc.to_array(self._lemma_columns).tolist()
        add = self.vocab.strings.add
        lemmas = self._lemmas
        if len(lemmas) > MAX_MEMO:
            lemmas.clear()
        result = []
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                result.append(lemma)
                continue
            key = (orth, pos, morph)
            text = lemmas.get(key)
            if text is None:
                text = lemmas[key] = self._lemma_of(doc[i])
            result.append(add(text))
            changed = True
        if changed:
            doc.from_array([LEMMA], numpy.asarray(result, dtype="uint64"))

    def _lemma_of(self, token: Any) -> str:
        lemmatize: Callable[[Any], list[str]] = self.lemmatizer.lemmatize
        return lemmatize(token)[0]


def _is_single_token(pattern: list[dict[str, Any]]) -> bool:
    """One token, no operator, and only attributes of the token itself."""
    if len(pattern) != 1:
        return False
    (token,) = pattern
    return "OP" not in token and set(token) <= {"TAG", "LOWER", "IS_SPACE", "DEP", "ORTH", "TEXT"}
