"""A learned chooser of a quote's speaker mention: which span of the text is the source.

The rules in ``quotes.py`` pick one subject per quote. This module lists every
plausible source mention around the quote (noun-phrase heads, pronouns,
relative "who"/"which", names) plus the special candidate NONE (the quote has
no source), describes each by features (its relation to the cue in the parse,
position, distance, part of speech, entity label, head lemma, whether the rules
chose it, ...), and scores them with a linear model trained on PolNeAR train
by ``scripts/train_speaker_ranker.py`` (a softmax over each quote's
candidates). Its weights ship as ``data/speaker_ranker.json``. The model file
may also hold gradient-boosted trees stacked on the linear scores
(:class:`Trees`, plain arrays evaluated with numpy); the training script adds
them only when they beat the linear model in cross-validation on train.

:func:`choose` is the one entry point: it keeps the rules' mention
unless the model prefers another candidate by a margin. Deterministic, well
under a millisecond per quote.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from claimscope import speakers
from claimscope.records import Span
from claimscope.view import EntityView, doc_tokens

MODEL_FILE = "speaker_ranker.json"
FORMAT_VERSION = 2  # 1: linear weights only; 2: optional trees
# How far around the anchor (the cue, else the content's start) candidates are looked for.
MAX_TOKENS_BEFORE = 80
MAX_TOKENS_AFTER = 40

Bounds = tuple[int, int]
Features = dict[str, float]

_HEAD_POS = frozenset({"NOUN", "PROPN", "PRON"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_QUOTE_CHARS = frozenset('"“”«»„')
_PRONOUN_CLASS = {
    **dict.fromkeys(("he", "she", "they", "we", "i"), "subject"),
    **dict.fromkeys(("him", "her", "them", "us", "me"), "object"),
    **dict.fromkeys(("his", "their", "its", "our", "my", "hers", "theirs"), "possessive"),
    **dict.fromkeys(("who", "which", "whom", "whose"), "relative"),
    **dict.fromkeys(("this", "that", "these", "those"), "demonstrative"),
    "it": "it",
    "you": "you",
}
_PLURAL_PRONOUNS = frozenset({"they", "we", "them", "us", "their", "our", "these", "those"})
_DOCUMENT_NOUNS = frozenset(
    "report statement poll survey study data analysis article memo letter email e-mail tweet "
    "post ad advertisement video speech release document paper book column editorial filing "
    "lawsuit complaint ruling order website site transcript interview record records "
    "investigation review audit findings figures estimate estimates numbers".split()
)
_CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "acl", "pcomp", "ccomp", "relcl"})


@dataclass(slots=True)
class Candidate:
    """One possible source: a mention (None for NONE), its head token and its features."""

    span: Bounds | None
    head: Token | None
    features: Features
    is_rule: bool = False


# --- the data the features read ---------------------------------------------------


@lru_cache(maxsize=1)
def cue_precisions() -> dict[tuple[str, str], float]:
    """(lemma, POS) -> share of its occurrences that PolNeAR train marks as cues."""
    from claimscope.quotes import cue_rows  # quotes imports the speaker path

    return {(row["lemma"], row["pos"]): float(row["precision"]) for row in cue_rows()}


# The quote-level facts the trees read besides the candidates' own features, computed
# from the linear scores of one quote's candidates (see :meth:`Trees.matrix`).
STACKED = ("lin:score", "lin:gap_best", "lin:gap_rule", "lin:rank", "lin:prob", "lin:count")


@dataclass(frozen=True, slots=True, eq=False)
class Trees:
    """Gradient-boosted regression trees over a candidate's features, as plain arrays.

    Every tree is complete, of one depth: internal node ``n`` of tree ``t`` sends a
    row to child ``2n + 1`` when ``x[feature[t, n]] <= threshold[t, n]``, else to
    ``2n + 2``; after ``depth`` steps it reaches leaf ``n - (2**depth - 1)``. The
    sum of the leaves reached plus ``base`` is the candidate's log-odds of being
    the source (``-inf`` outside the linear model's best ``top``). Evaluated with
    numpy for all candidates of a quote and all trees at once: ``depth``
    vectorised steps, no loop over nodes.
    """

    columns: tuple[str, ...]  # STACKED first, then feature names
    feature: np.ndarray  # (trees, 2**depth - 1) column index
    threshold: np.ndarray  # (trees, 2**depth - 1)
    leaf: np.ndarray  # (trees, 2**depth)
    base: float
    top: int = 6  # only the linear model's best ``top`` candidates are scored; the rest lose
    lookup: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lookup", {name: n for n, name in enumerate(self.columns)})

    @property
    def depth(self) -> int:
        return int(self.leaf.shape[1]).bit_length() - 1

    def matrix(self, features: Sequence[Features], linear: np.ndarray, rule: int) -> np.ndarray:
        """One row per candidate: the stacked linear facts, then the features the trees use."""
        index = self.lookup
        x = np.zeros((len(features), len(self.columns)))
        for row, named in enumerate(features):
            for name, value in named.items():
                column = index.get(name)
                if column is not None:
                    x[row, column] = value
        n = len(linear)
        order = np.argsort(-linear, kind="stable")
        ranks = np.empty(n)
        ranks[order] = np.arange(n)
        top = linear[order[0]]
        second = linear[order[1]] if n > 1 else top
        x[:, 0] = linear
        x[:, 1] = linear - np.where(ranks == 0, second, top)
        x[:, 2] = linear - (linear[rule] if rule >= 0 else top)
        x[:, 3] = np.minimum(ranks, 9)
        exps = np.exp(linear - top)
        x[:, 4] = exps / exps.sum()
        x[:, 5] = n
        return x

    def scores(self, features: Sequence[Features], linear: np.ndarray, rule: int) -> np.ndarray:
        """Each candidate's log-odds; ``-inf`` for those below the linear model's ``top``."""
        x = self.matrix(features, linear, rule)
        found = np.full(len(features), -np.inf)
        chosen = x[:, 3] < self.top
        found[chosen] = self.predict(x[chosen])
        return found

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The log-odds of each row (candidate)."""
        n_trees = self.feature.shape[0]
        trees = np.arange(n_trees)
        rows = np.arange(x.shape[0])[:, None]
        node = np.zeros((x.shape[0], n_trees), dtype=np.int64)
        for _ in range(self.depth):
            right = x[rows, self.feature[trees, node]] > self.threshold[trees, node]
            node = 2 * node + 1 + right
        return self.base + self.leaf[trees, node - (self.leaf.shape[1] - 1)].sum(axis=1)

    def to_data(self) -> dict[str, Any]:
        return {
            "columns": list(self.columns),
            "feature": self.feature.tolist(),
            "threshold": [[round(float(v), 6) for v in row] for row in self.threshold],
            "leaf": [[round(float(v), 6) for v in row] for row in self.leaf],
            "base": self.base,
            "top": self.top,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Trees:
        feature = np.asarray(data["feature"], dtype=np.int64)
        threshold = np.asarray(data["threshold"], dtype=np.float64)
        leaf = np.asarray(data["leaf"], dtype=np.float64)
        columns = tuple(data["columns"])
        width = leaf.shape[1]
        if (
            columns[: len(STACKED)] != STACKED
            or width & (width - 1)
            or feature.shape != (leaf.shape[0], width - 1)
            or threshold.shape != feature.shape
            or (feature.size and not 0 <= feature.min() <= feature.max() < len(columns))
        ):
            raise ValueError("speaker ranker trees are malformed: shapes or columns disagree")
        return cls(columns, feature, threshold, leaf, float(data["base"]), int(data["top"]))


@dataclass(frozen=True, slots=True)
class Model:
    """A linear score per candidate and, when present, trees stacked on it.

    With trees the candidates are ranked by the trees' log-odds (which read the
    linear scores among their inputs), else by the linear score.
    """

    weights: dict[str, float]
    margin: float
    meta: dict[str, Any]
    trees: Trees | None = None

    def score(self, features: Features) -> float:
        weights = self.weights
        return sum(weights.get(name, 0.0) * value for name, value in features.items())

    def scores(self, features: Sequence[Features], rule: int) -> list[float]:
        """Every candidate's score; ``rule`` is the index of the rules' candidate (-1: none)."""
        linear = [self.score(named) for named in features]
        if self.trees is None or not linear:
            return linear
        return self.trees.scores(features, np.array(linear), rule).tolist()

    def to_json(self) -> str:
        data = {
            "format": FORMAT_VERSION,
            "margin": self.margin,
            "meta": self.meta,
            "weights": {
                name: rounded
                for name, value in sorted(self.weights.items())
                if (rounded := round(value, 5))
            },
        }
        if self.trees is not None:
            data["trees"] = self.trees.to_data()
        return json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        if data.get("format") not in (1, FORMAT_VERSION):
            raise ValueError(f"speaker ranker model format {data.get('format')!r} is not supported")
        trees = data.get("trees")
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["margin"]),
            dict(data.get("meta", {})),
            None if trees is None else Trees.from_data(trees),
        )


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The shipped model, or None when the data file is absent (the rules then stand)."""
    source = resources.files("claimscope") / "data" / MODEL_FILE
    if not source.is_file():
        return None
    return Model.from_json(source.read_text(encoding="utf-8"))


# --- small helpers over the parse -----------------------------------------------------


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def cue_head(doc: Doc, cue: Span | None) -> Token | None:
    """The cue's head word: the token of its span whose syntactic head lies outside it."""
    if cue is None:
        return None
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    for token in span:
        if token.head.i == token.i or not span.start <= token.head.i < span.end:
            if not token.is_punct or len(span) == 1:
                return token
    return span.root


def mention_head(doc: Doc, bounds: Bounds | None) -> Token | None:
    """The syntactic head of a mention's span (None for no mention)."""
    if bounds is None:
        return None
    span = doc.char_span(bounds[0], bounds[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _path_length(heads: list[int], a: int, b: int, limit: int = 12) -> int | None:
    """Dependency edges between two tokens of one sentence (None when too far apart)."""
    up_a = [a]
    while heads[up_a[-1]] != up_a[-1] and len(up_a) < limit:
        up_a.append(heads[up_a[-1]])
    index = {t: n for n, t in enumerate(up_a)}
    node, steps = b, 0
    while steps < limit:
        if node in index:
            return index[node] + steps
        if heads[node] == node:
            return None
        node, steps = heads[node], steps + 1
    return None


def _overlap(a: Bounds, b: Bounds) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def quotations(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The document's quoted stretches (``quotes.doc_quotations``: found once per article)."""
    from claimscope.quotes import doc_quotations  # quotes imports the speaker path

    return doc_quotations(doc)


def _in_quotation(index: int, spans: list[tuple[int, int]]) -> bool:
    """Strictly inside a quotation (its marks excluded); the spans are sorted."""
    position = bisect.bisect_right(spans, (index, 1 << 62)) - 1
    return position >= 0 and spans[position][0] < index < spans[position][1]


def _is_candidate_head(token: Token) -> bool:
    if token.is_punct or token.is_space:
        return False
    if token.dep_ == "compound" or token.dep_ == "flat":
        return False  # its head's mention holds it
    if token.pos_ in _HEAD_POS:
        return True
    return token.dep_ in _SUBJECT_DEPS and token.pos_ in ("DET", "NUM", "ADJ", "X")


def _role_class(lemma: str) -> str | None:
    if lemma in _DOCUMENT_NOUNS:
        return "document"
    kind = speakers.role_words().get(lemma)
    return f"role_{kind}" if kind else None


# --- candidates and features ---------------------------------------------------------------


def candidates(
    ctx: RankContext,
    content: Bounds,
    cue: Span | None,
    rule_mention: Bounds | None,
    *,
    kind: str | None = None,
    previous: Bounds | None = None,
) -> list[Candidate]:
    """NONE first, then every possible source mention around the quote, with features."""
    doc = ctx.doc
    text = ctx.view.text
    if not len(doc):
        return [Candidate(None, None, {"none": 1.0}, rule_mention is None)]
    verb = cue_head(doc, cue)
    content_span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if content_span is None or not len(content_span):
        content_span = doc[len(doc) - 1 :]
    anchor = verb or content_span[0]
    stats = ctx.stats
    # The sentence before the anchor's, to the sentence after the cue and content.
    start_of = stats.sent_start[anchor.i]
    first = stats.sent_start[start_of - 1] if start_of > 0 else start_of
    end_i = max(anchor.i, content_span.end - 1)
    end_of = stats.sent_end[end_i]
    last = stats.sent_end[end_of] if end_of < len(doc) else end_of
    first = max(first, anchor.i - MAX_TOKENS_BEFORE)
    last = min(last, end_i + MAX_TOKENS_AFTER)
    quoted = ctx.quoted
    para_start = text.rfind("\n", 0, anchor.idx) + 1
    para_end = text.find("\n", anchor.idx)
    para_end = len(text) if para_end < 0 else para_end

    quote = _quote_features(doc, content, cue, verb, rule_mention, kind, text)
    links = _content_links(doc, content, quoted)
    quote["cue_link"] = "nocue" if verb is None else links.get(verb.i, ("none", 0.0))[0]
    rule_head = mention_head(doc, rule_mention)
    found: list[Candidate] = []
    seen: set[Bounds] = set()
    heads = [
        t
        for t in doc_tokens(doc)[first:last]
        if _is_candidate_head(t) and not _in_quotation(t.idx, quoted)
    ]
    if rule_head is not None and all(t.i != rule_head.i for t in heads):
        heads.append(rule_head)
    for token in heads:
        if token.i == (verb.i if verb is not None else -1):
            continue
        if rule_head is not None and token.i == rule_head.i:
            bounds = rule_mention
        else:
            bounds = speakers.mention_span(token)
        if bounds is None or bounds in seen:
            continue
        if (
            cue is not None
            and _overlap(bounds, (cue.start, cue.end))
            and token.i != getattr(rule_head, "i", -1)
        ):
            continue
        seen.add(bounds)
        found.append(
            Candidate(bounds, token, {}, rule_mention is not None and bounds == rule_mention)
        )
    _add_features(
        ctx, found, content, cue, verb, rule_mention, quote, quoted, para_start, para_end, links
    )
    _add_previous_speaker(ctx, found, previous, content, quote)
    none = Candidate(None, None, _none_features(quote), rule_mention is None)
    for name in ("rule_rel", "rule_place", "previous"):
        if name in quote:
            none.features[f"none|{name}={quote[name]}|kind={quote['kind']}"] = 1.0
    return [none, *found]


def _quote_features(
    doc: Doc,
    content: Bounds,
    cue: Span | None,
    verb: Token | None,
    rule_mention: Bounds | None,
    kind: str | None,
    text: str,
) -> dict[str, str]:
    """Facts about the quote and its cue that candidate features combine with."""
    if kind is None:
        kind = (
            "direct"
            if any(ch in _QUOTE_CHARS for ch in text[content[0] : content[1]])
            else "indirect"
        )
    facts = {"kind": kind, "rule": "none" if rule_mention is None else "some"}
    facts["opening"] = _opening(doc, content, text)
    if verb is None:
        facts.update(
            cue="nocue", cue_pos="nocue", cue_prec="nocue", cue_tag="nocue", cue_dep="nocue"
        )
        facts["cue_lemma"] = "nocue"
        return facts
    lemma = verb.lemma_.lower()
    if cue is not None and cue.text.lower().startswith("according"):
        lemma = "according"
    precision = cue_precisions().get((verb.lemma_.lower(), verb.pos_))
    facts["cue_lemma"] = lemma
    facts["cue_pos"] = verb.pos_
    facts["cue_tag"] = verb.tag_
    facts["cue_dep"] = verb.dep_
    facts["cue_prec"] = (
        "unknown" if precision is None else _bucket(int(precision * 10), (0, 1, 2, 4, 6, 8))
    )
    children = list(verb.children)
    facts["cue_subj"] = (
        "expl"
        if any(c.dep_ == "expl" for c in children)
        else "subj"
        if any(c.dep_ in _SUBJECT_DEPS for c in children)
        else "nosubj"
    )
    facts["cue_passive"] = "yes" if any(c.dep_ == "auxpass" for c in children) else "no"
    subject = next((c for c in children if c.dep_ in _SUBJECT_DEPS or c.dep_ == "expl"), None)
    facts["cue_subj_word"] = (
        "none"
        if subject is None
        else subject.lower_
        if subject.lower_ in ("it", "there", "who", "which", "that")
        else _PRONOUN_CLASS.get(subject.lower_, subject.pos_)
    )
    facts["cue_side"] = (
        "before" if cue.end <= content[0] else "after" if cue.start >= content[1] else "inside"
    )
    return facts


_OPENINGS = frozenset(
    "that to whether if how what why who when where on about for of against with as".split()
)


def _opening(doc: Doc, content: Bounds, text: str) -> str:
    """How the content opens: a quotation mark, a function word ("that", "to"), or a POS."""
    if text[content[0] : content[0] + 1] in _QUOTE_CHARS or text.startswith("''", content[0]):
        return "quote"
    span = doc.char_span(content[0], min(content[1], content[0] + 40), alignment_mode="expand")
    if span is None or not len(span):
        return "other"
    first = span[0]
    return first.lower_ if first.lower_ in _OPENINGS else first.pos_


@dataclass(frozen=True, slots=True)
class _DocStats:
    """Per-document counts, built once: word frequencies, running counts of verbs and commas."""

    frequencies: dict[str, int]
    verbs: list[int]  # verbs[i] = verbs among tokens before i
    commas: list[int]
    heads: list[int]  # token index -> its head's index
    sent_start: list[int]  # token index -> first token of its sentence
    sent_end: list[int]  # token index -> the token after its sentence


def _doc_stats(doc: Doc) -> _DocStats:
    frequencies: dict[str, int] = {}
    verbs = [0]
    commas = [0]
    for token in doc_tokens(doc):
        lower = token.lower_
        frequencies[lower] = frequencies.get(lower, 0) + 1
        verbs.append(verbs[-1] + (token.pos_ in ("VERB", "AUX")))
        commas.append(commas[-1] + (lower == ","))
    heads = [token.head.i for token in doc_tokens(doc)]
    sent_start = [0] * len(doc)
    sent_end = [0] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            sent_start[i] = sent.start
            sent_end[i] = sent.end
    return _DocStats(frequencies, verbs, commas, heads, sent_start, sent_end)


@dataclass(frozen=True, slots=True)
class RankContext:
    """What the chooser reads of one article, built once per article and passed on:
    the entity view, per-token tables and the quoted stretches."""

    view: EntityView
    stats: _DocStats
    quoted: list[tuple[int, int]]

    @classmethod
    def build(cls, view: EntityView) -> RankContext:
        return cls(view, _doc_stats(view.doc), quotations(view.doc))

    @property
    def doc(self) -> Doc:
        return self.view.doc


def _precision(token: Token) -> float:
    return cue_precisions().get((token.lemma_.lower(), token.pos_), 0.0)


def _content_links(
    doc: Doc, content: Bounds, quoted: list[tuple[int, int]]
) -> dict[int, tuple[str, float]]:
    """Words outside the content that may introduce it: token index -> (how, cue precision).

    "gov": the content's words hang off it in the parse ("X said [that ...]");
    "before"/"after": a cue word next to the content ("[...], X said");
    "inside": a cue word within the content's span but outside quotation marks
    ('"A," she said, "B."').
    """
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if span is None or not len(span):
        return {}
    links: dict[int, tuple[str, float]] = {}
    first, last = span.start, span.end
    tokens = doc_tokens(doc)
    for token in tokens[first : min(last, first + 400)]:
        head = token.head
        if head.i != token.i and not first <= head.i < last:
            links[head.i] = ("gov", _precision(head))
    for token in tokens[max(0, first - 4) : first]:
        if token.i not in links and token.pos_ in ("VERB", "NOUN") and _precision(token) >= 0.3:
            links[token.i] = ("before", _precision(token))
    for token in tokens[last : last + 4]:
        if token.i not in links and token.pos_ in ("VERB", "NOUN") and _precision(token) >= 0.3:
            links[token.i] = ("after", _precision(token))
    for token in tokens[first : min(last, first + 400)]:
        if (
            token.pos_ == "VERB"
            and _precision(token) >= 0.3
            and not _in_quotation(token.idx, quoted)
        ):
            links.setdefault(token.i, ("inside", _precision(token)))
    return links


def _none_features(quote: dict[str, str]) -> Features:
    features = {"none": 1.0}
    for name in (
        "kind",
        "rule",
        "cue_pos",
        "cue_tag",
        "cue_dep",
        "cue_prec",
        "cue_lemma",
        "opening",
    ):
        features[f"none|{name}={quote[name]}"] = 1.0
    for name in ("cue_subj", "cue_passive", "cue_side", "cue_link"):
        if name in quote:
            features[f"none|{name}={quote[name]}"] = 1.0
    features[f"none|rule={quote['rule']}|kind={quote['kind']}"] = 1.0
    if "cue_subj" in quote:
        features[f"none|cue_subj={quote['cue_subj']}|passive={quote['cue_passive']}"] = 1.0
        features[f"none|cue_subj_word={quote['cue_subj_word']}|cue_lemma={quote['cue_lemma']}"] = (
            1.0
        )
    if quote["rule"] == "none":
        # The rules mark a construction sourceless ("Asked whether ...", "it seems ..."):
        # what the cue looks like then, for NONE to hold against the candidates.
        for name in ("cue_lemma", "cue_tag", "cue_dep", "cue_subj", "cue_subj_word", "opening"):
            if name in quote:
                features[f"none|rule=none|{name}={quote[name]}"] = 1.0
        if "cue_subj" in quote:
            features[
                f"none|rule=none|cue_dep={quote['cue_dep']}|cue_tag={quote['cue_tag']}"
                f"|cue_subj={quote['cue_subj']}"
            ] = 1.0
    return features


def _relation_to_cue(token: Token, verb: Token | None, cue: Span | None) -> str:
    """How the parse links the candidate to the cue word."""
    if verb is None:
        return "nocue"
    if token.head.i == verb.i and token.i != verb.i:
        if token.dep_ in _SUBJECT_DEPS:
            return f"child_{token.dep_}"
        if token.dep_ in ("poss", "dobj", "dative", "appos", "npadvmod", "attr", "conj"):
            return f"child_{token.dep_}"
        return "child_other"
    head = token.head
    if token.dep_ == "pobj" and head.head.i == verb.i:
        if head.dep_ == "agent":
            return "agent"
        if head.lower_ == "to" and verb.lower_ == "according":
            return "according"
        return (
            f"pobj_{head.lower_}"
            if head.lower_ in ("by", "to", "from", "for", "in", "of")
            else "pobj_other"
        )
    if (
        token.dep_ == "pobj"
        and head.lower_ == "to"
        and head.i > 0
        and doc_word(head, -1) == "according"
    ):
        return "according"
    if (
        token.dep_ == "pobj"
        and head.lower_ == "to"
        and head.head.dep_ in ("acomp", "xcomp", "attr", "oprd")
        and head.head.head.i == verb.i
    ):
        return "to_complement"  # "seems credible to the mayor"
    if (
        verb.dep_ in ("xcomp", "ccomp")
        and token.head.i == verb.head.i
        and token.dep_ in ("dobj", "dative")
        and token.i < verb.i
    ):
        return "gov_object"  # "urged him to say", "led Priebus to declare", "saw her argue"
    # Subject inherited through the verb's chain: "wants to say", "said and added".
    node = verb
    for step in range(1, 4):
        if node.dep_ not in _CLIMB_DEPS or node.head.i == node.i:
            break
        node = node.head
        if token.head.i == node.i and token.dep_ in _SUBJECT_DEPS:
            return f"anc{step}_subj"
    if verb.head.i == token.i:
        return "cue_head"  # "the claim ..." / relative clause over the noun
    return "none"


def doc_word(token: Token, offset: int) -> str:
    index = token.i + offset
    return token.doc[index].lower_ if 0 <= index < len(token.doc) else ""


def _add_features(
    ctx: RankContext,
    found: list[Candidate],
    content: Bounds,
    cue: Span | None,
    verb: Token | None,
    rule_mention: Bounds | None,
    quote: dict[str, str],
    quoted: list[tuple[int, int]],
    para_start: int,
    para_end: int,
    links: dict[int, tuple[str, float]],
) -> None:
    anchor_i = verb.i if verb is not None else None
    doc, stats = ctx.doc, ctx.stats
    kind = quote["kind"]
    cue_sent = stats.sent_start[verb.i] if verb is not None else None
    # Rank of each candidate by distance to the cue on each side.
    before = sorted(
        (c for c in found if verb is not None and c.head.i < verb.i), key=lambda c: -c.head.i
    )
    after = sorted(
        (c for c in found if verb is not None and c.head.i > verb.i), key=lambda c: c.head.i
    )
    subjects_before = [c for c in before if c.head.dep_ in _SUBJECT_DEPS]
    subject_rank = {id(c): n for n, c in enumerate(subjects_before)}
    rank = {id(c): ("b", n) for n, c in enumerate(before)}
    rank.update({id(c): ("a", n) for n, c in enumerate(after)})
    content_sent = None
    described: dict[int, tuple[str, str, str]] = {}  # id -> (relation, part of speech, place)
    for cand in found:
        token = cand.head
        start, end = cand.span
        f: Features = {"cand": 1.0}
        lower = token.lower_
        pos = token.pos_
        f[f"pos={pos}"] = 1.0
        f[f"dep={token.dep_}"] = 1.0
        ent = ctx.view.label(token) or "none"
        f[f"ent={ent}"] = 1.0
        pron = _PRONOUN_CLASS.get(lower) if pos == "PRON" or token.tag_ in ("WP", "WDT") else None
        if pron:
            f[f"pron={pron}"] = 1.0
        lemma = token.lemma_.lower()
        role = _role_class(lemma)
        if role:
            f[f"class={role}"] = 1.0
        if token.tag_ in ("NNS", "NNPS") or lower in _PLURAL_PRONOUNS:
            f["plural"] = 1.0
        if token.text[:1].isupper() and token.i > 0 and not token.is_sent_start:
            f["cap"] = 1.0
        n_tokens = len(doc.char_span(start, end, alignment_mode="expand") or [token])
        f[f"len={_bucket(n_tokens, (1, 2, 3, 5, 8))}"] = 1.0
        if cand.is_rule:
            f["is_rule"] = 1.0
            f[f"is_rule|opening={quote['opening']}"] = 1.0
            f[f"is_rule|cue_link={quote['cue_link']}"] = 1.0
            f[f"is_rule|kind={kind}"] = 1.0
            f[f"is_rule|cue_prec={quote['cue_prec']}"] = 1.0
            f[f"is_rule|cue_tag={quote['cue_tag']}"] = 1.0
            f[f"is_rule|cue_dep={quote['cue_dep']}"] = 1.0
            f[f"is_rule|pos={pos}"] = 1.0
        elif rule_mention is not None and _overlap(cand.span, rule_mention):
            f["overlaps_rule"] = 1.0
        # Where it sits.
        inside_content = content[0] <= start < content[1]
        if inside_content:
            f["in_content"] = 1.0
        if _in_quotation(token.idx, quoted):
            f["in_quotation"] = 1.0  # only the rules' own mention can be
        if not para_start <= start <= para_end:
            f["other_para"] = 1.0
        if end <= content[0]:
            f["before_content"] = 1.0
        elif start >= content[1]:
            f["after_content"] = 1.0
        # Linked to a word that introduces the content (maybe not the cue given).
        governor = None
        if token.dep_ in _SUBJECT_DEPS:
            governor = token.head
        elif token.dep_ == "pobj" and token.head.dep_ == "agent":
            governor = token.head.head
        elif token.dep_ == "poss":
            governor = token.head
        if governor is not None and governor.i in links:
            how, precision = links[governor.i]
            own = verb is not None and governor.i == verb.i
            tag = f"link={how}|own={own}"
            f[tag] = 1.0
            f[f"{tag}|prec={_bucket(int(precision * 10), (0, 1, 3, 5, 7))}"] = 1.0
            f[f"{tag}|dep={token.dep_}"] = 1.0
        if pos in ("PROPN", "NOUN"):
            frequency = stats.frequencies.get(lower, 0)
            f[f"salience={_bucket(frequency, (1, 2, 4, 8))}|pos={pos}"] = 1.0
        if token.dep_ in _SUBJECT_DEPS:
            f["is_subject"] = 1.0
            if token.head.dep_ == "ROOT":
                f["root_subject"] = 1.0
            head_prec = cue_precisions().get((token.head.lemma_.lower(), token.head.pos_), 0.0)
            if verb is None or token.head.i != verb.i:
                f[f"subj_of_other|prec={_bucket(int(head_prec * 10), (0, 1, 3, 5, 7))}"] = 1.0
                if content[0] <= token.head.idx < content[1]:
                    f["subj_of_verb_in_content"] = 1.0
        if verb is not None:
            relation = _relation_to_cue(token, verb, cue)
            f[f"rel={relation}"] = 1.0
            f[f"rel={relation}|kind={kind}"] = 1.0
            f[f"rel={relation}|cue_pos={quote['cue_pos']}"] = 1.0
            f[f"rel={relation}|cue_prec={quote['cue_prec']}"] = 1.0
            f[f"rel={relation}|pos={pos}"] = 1.0
            f[f"rel={relation}|cue_dep={quote['cue_dep']}"] = 1.0
            f[f"rel={relation}|cue_tag={quote['cue_tag']}"] = 1.0
            if relation.startswith("child_nsubj"):
                f[f"cue_subject|lemma={quote['cue_lemma']}"] = 1.0
            side = "before" if token.i < anchor_i else "after"
            distance = abs(token.i - anchor_i)
            f[f"dist={side}{_bucket(distance, (1, 2, 3, 5, 8, 13, 21, 34))}"] = 1.0
            low, high = sorted((token.i, anchor_i))
            verbs = stats.verbs[high] - stats.verbs[low + 1] if high > low else 0
            commas = stats.commas[high] - stats.commas[low + 1] if high > low else 0
            f[f"verbs_between={side}{min(verbs, 3)}"] = 1.0
            f[f"commas_between={side}{min(commas, 3)}"] = 1.0
            f[f"side={side}|kind={kind}|cue_side={quote['cue_side']}"] = 1.0
            if subject_rank.get(id(cand), 9) < 3:
                f[f"subject_rank={subject_rank[id(cand)]}"] = 1.0
                f[f"subject_rank={subject_rank[id(cand)]}|cue_tag={quote['cue_tag']}"] = 1.0
            side_rank = rank.get(id(cand))
            if side_rank is not None and side_rank[1] < 3:
                f[f"rank={side_rank[0]}{side_rank[1]}"] = 1.0
                f[f"rank={side_rank[0]}{side_rank[1]}|pos={pos}"] = 1.0
            same_sent = stats.sent_start[token.i] == cue_sent
            path = _path_length(stats.heads, token.i, verb.i) if same_sent else None
            f[f"path={'x' if path is None else _bucket(path, (1, 2, 3, 4, 6))}"] = 1.0
            sent_dist = 0 if same_sent else (-1 if token.i < verb.i else 1)
            f[f"sent={sent_dist}"] = 1.0
            f[f"sent={sent_dist}|pos={pos}"] = 1.0
            if pron:
                f[f"pron={pron}|rel={relation}"] = 1.0
                f[f"pron={pron}|side={side}"] = 1.0
            described[id(cand)] = (relation, pron or pos, _place(f))
        else:
            if content_sent is None:
                span = doc.char_span(content[0], content[0] + 1, alignment_mode="expand")
                content_sent = stats.sent_start[span.start] if span is not None else -1
            before_content = end <= content[0]
            distance = (content[0] - end) if before_content else (start - content[1])
            f[
                f"nocue_dist={'b' if before_content else 'a'}{_bucket(distance // 10, (0, 1, 3, 6, 10, 20))}"
            ] = 1.0
            same = stats.sent_start[token.i] == content_sent
            f[f"nocue_same_sent={same}"] = 1.0
            described[id(cand)] = ("nocue", pron or pos, _place(f))
        cand.features = f
    _add_nesting(found, described, ctx.view)
    _add_rule_contrasts(found, described, quote)


def _add_previous_speaker(
    ctx: RankContext,
    found: list[Candidate],
    previous: Bounds | None,
    content: Bounds,
    quote: dict[str, str],
) -> None:
    """Features linking each candidate to the previous quote's speaker mention.

    The same mention again (a shared cue), the same entity or head word ("Warren"
    ... "Warren"), and for a pronoun how far back that speaker was named: a
    source tends to go on from one quote to the next.
    """
    if previous is None:
        quote["previous"] = "none"
        return
    gap = max(0, content[0] - previous[1])
    quote["previous"] = _bucket(gap // 100, (0, 1, 3, 10))
    prev_head = mention_head(ctx.doc, previous)
    if prev_head is None:
        return
    prev_entity = ctx.view.at(prev_head.i)
    prev_name = prev_entity.canonical if prev_entity is not None else None
    prev_word = prev_head.lower_
    prev_pron = _PRONOUN_CLASS.get(prev_word) is not None
    for cand in found:
        f = cand.features
        end = cand.span[1]
        if _overlap(cand.span, previous):
            f["prev=same_mention"] = 1.0
            continue
        entity = ctx.view.at(cand.head.i)
        same = (prev_name is not None and entity is not None and entity.canonical == prev_name) or (
            not prev_pron and cand.head.lower_ == prev_word
        )
        pron = _PRONOUN_CLASS.get(cand.head.lower_) if cand.head.pos_ == "PRON" else None
        if same:
            f[f"prev=same|gap={quote['previous']}"] = 1.0
            f[f"prev=same|rule={cand.is_rule}"] = 1.0
        elif pron in ("subject", "possessive", "object"):
            f[f"prev=pron|gap={quote['previous']}|prev_pron={prev_pron}"] = 1.0
        if end <= previous[0]:
            f["prev=before_it"] = 1.0


_HOLDER_RELATIONS = frozenset(
    {"child_nsubj", "child_nsubjpass", "agent", "according", "anc1_subj", "anc2_subj", "cue_head"}
)


def _add_nesting(
    found: list[Candidate], described: dict[int, tuple[str, str, str]], view: EntityView
) -> None:
    """Features that set a mention against the cue's subject phrase it sits in.

    A mention inside the phrase of a candidate that holds the cue ("a spokesman for
    [the company]", "a report by [the agency]") gets that phrase's relation and its
    own class; the phrase gets the class of what it holds, so that the model can
    weigh the person or document against the organisation in it.
    """
    holders = [c for c in found if id(c) in described and described[id(c)][0] in _HOLDER_RELATIONS]
    if not holders:
        return
    for cand in found:
        token = cand.head
        for holder in holders:
            start, end = holder.span
            if holder.head.i == token.i or not start <= cand.span[0] < cand.span[1] <= end:
                continue
            label = view.label(token)
            kind = _role_class(token.lemma_.lower()) or label or token.pos_
            relation = described[id(holder)][0]
            cand.features[f"inside={relation}|class={kind}"] = 1.0
            holder.features[f"holds={kind}|rel={relation}"] = 1.0


def _place(features: Features) -> str:
    """Where a candidate sits against the content (from its features)."""
    if "in_quotation" in features:
        return "quoted"
    if "in_content" in features:
        return "content"
    return "before" if "before_content" in features else "after"


def _add_rule_contrasts(
    found: list[Candidate], described: dict[int, tuple[str, str, str]], quote: dict[str, str]
) -> None:
    """Features that set each candidate against the rules' choice.

    A linear score per candidate cannot compare two candidates by itself: "a
    subject of the cue beats a rule pick that is not one" needs the rule pick's
    relation on the other candidates. The rules' own candidate gets its relation
    and place combined with the quote's kind; every other one the pair (its
    relation, the rule pick's relation) and (its word class, the rule pick's);
    the rule pick's relation and place also go to the quote, for NONE's features.
    """
    rule = next((c for c in found if c.is_rule), None)
    rule_facts = described.get(id(rule)) if rule is not None else None
    rule_rel, rule_pos, rule_place = rule_facts or ("none", "none", "none")
    quote["rule_rel"] = rule_rel
    quote["rule_place"] = rule_place
    kind = quote["kind"]
    for cand in found:
        facts = described.get(id(cand))
        if facts is None:
            continue
        relation, pos, place = facts
        f = cand.features
        if cand.is_rule:
            f[f"is_rule|rel={relation}|kind={kind}"] = 1.0
            f[f"is_rule|place={place}|kind={kind}"] = 1.0
            f[f"is_rule|pos={pos}|place={place}"] = 1.0
        else:
            f[f"vs_rule|rel={relation}|rule_rel={rule_rel}"] = 1.0
            f[f"vs_rule|pos={pos}|rule_pos={rule_pos}"] = 1.0
            f[f"vs_rule|place={place}|rule_place={rule_place}|kind={kind}"] = 1.0


# --- choosing ----------------------------------------------------------------------------


def rank(
    ctx: RankContext,
    content: Bounds,
    cue: Span | None,
    rule_mention: Bounds | None,
    *,
    kind: str | None = None,
    model: Model | None = None,
    previous: Bounds | None = None,
) -> list[tuple[float, Candidate]]:
    """Every candidate with its model score (a log-odds), best first; empty without a model."""
    model = model or load_model()
    if model is None:
        return []
    found = candidates(ctx, content, cue, rule_mention, kind=kind, previous=previous)
    rule = next((n for n, c in enumerate(found) if c.is_rule), -1)
    values = model.scores([c.features for c in found], rule)
    scored = [(value, n, c) for n, (value, c) in enumerate(zip(values, found, strict=True))]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(score, cand) for score, _, cand in scored]


@dataclass(frozen=True, slots=True)
class Choice:
    """The chooser's answer for one quote, with how sure the model was of it.

    ``probability`` is the model's probability (softmax over the quote's candidates)
    of the mention chosen, ``top`` that of its best candidate, ``none`` that of
    "no source"; all None when no model ranked the quote.
    """

    mention: Bounds | None
    probability: float | None = None
    top: float | None = None
    none: float | None = None
    overrode: bool = False  # the model's candidate replaced the rules'


def choose(
    ctx: RankContext,
    content: Bounds,
    cue: Span | None,
    rule_mention: Bounds | None,
    *,
    kind: str | None = None,
    model: Model | None = None,
    previous: Bounds | None = None,
) -> Choice:
    """The quote's source mention as character bounds (None: no source), with the
    model's probabilities.

    ``content`` is the quote's span, ``cue`` its cue (or None), ``rule_mention``
    what the rules chose, ``previous`` the previous quote's speaker mention (None
    for none). The rules' choice stands unless the model scores
    another candidate higher by at least the model's margin.
    """
    ranked = rank(ctx, content, cue, rule_mention, kind=kind, model=model, previous=previous)
    if not ranked:
        return Choice(rule_mention)
    probs = probabilities([score for score, _ in ranked])
    rule_at = next((n for n, (_, cand) in enumerate(ranked) if cand.is_rule), None)
    none = next((p for p, (_, cand) in zip(probs, ranked, strict=True) if cand.span is None), 0.0)
    best_score, best = ranked[0]
    margin = (model or load_model()).margin  # type: ignore[union-attr]
    if best.is_rule or rule_at is None or best_score - ranked[rule_at][0] < margin:
        chosen = probs[rule_at] if rule_at is not None else None
        return Choice(rule_mention, chosen, probs[0], none)
    return Choice(best.span, probs[0], probs[0], none, True)


def probabilities(scores: Sequence[float]) -> list[float]:
    """Softmax of candidate scores (for reports and tests)."""
    top = max(scores)
    exps = [math.exp(s - top) if s > -math.inf else 0.0 for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
