"""Quotes (direct, indirect, mixed) with their cue and speaker, by rules over the parse.

Cues are the lemmas mined from PolNeAR train (``data/cues_en.tsv``, written by
``scripts/mine_polnear_cues.py``). A cue verb yields a quote when the parse
links it to content: a clausal complement ("X said that ..."), an inverted
clause ("..., the expert recalled"), a parenthetical ("The plan, he said,
works"), an infinitive for intention cues ("X wants to ..."), or an adjacent
quotation. "According to X, ..." makes the rest of its clause the content, as
does "In a poll released Monday, ..." (the phrase is the source). A quotation
closed by a comma and followed by a noun phrase and a verb ('"...," the senator
shot back') takes its speaker from that tag. Stances PolNeAR counts as
attributions ("X backs Y", "critical of Y", "spoke about Y") come from a second
mined table, ``data/quote_relations.tsv`` (which lemma and relation pairs are
cues, written by ``scripts/mine_polnear_relations.py``), last and only in the
gaps. Quotations that no cue reaches inherit the speaker of a neighbouring
quote (continuation paragraphs). The content boundaries follow PolNeAR: "that"
is part of the content, the sentence's final period is not, quotation marks are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimscope import entities, speakers
from claimscope.records import Quote, QuoteKind, Span
from claimscope.view import EntityView, doc_memo, doc_sentences, doc_text, doc_tokens

# A cue lemma qualifies when PolNeAR annotates at least this share of its
# occurrences as cues, with enough support (tuned on dev).
MIN_CUE_PRECISION = 0.12
MIN_CUE_SUPPORT = 4
# Share of a lemma's cue uses whose content hangs off it by a relation (mined
# from train: "dobj", "xcomp", "prep>pobj") above which that relation counts.
MIN_RELATION_SHARE = 0.15
# Object content ("cited X") only for cues that are cues most of the time.
MIN_OBJECT_CUE_PRECISION = 0.2
# Rules that read content off word order alone (inverted cues, bare quotations)
# trust only cues that are speech verbs most of the time.
SPEECH_CUE_PRECISION = 0.4
# A mined (lemma, POS, relation) cue yields quotes when it was seen this often on
# train and its cautious precision (matched / (seen + 1)) reaches the threshold;
# both chosen by four-fold cross-validation on train.
MIN_RELATION_SUPPORT = 4
MIN_RELATION_PRECISION = 0.5
# ... and its holder was the gold source this often ("It seems like X" matches
# PolNeAR's content but never its source).
MIN_RELATION_HOLDER_PRECISION = 0.3
# '"A," said X, a long apposition. "B."': the most characters between the cue and B.
MAX_TAG_GAP = 250
# A quotation shorter than this (in words) is a scare quote or a title, not a quote.
MIN_QUOTE_WORDS = 4
# A bare quotation inherits the previous quote's speaker only this close after it
# (characters): '"...," she said.\n\n"..."'.
MAX_CONTINUATION_GAP = 120

_CLAUSE_DEPS = frozenset({"ccomp", "csubj"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OPENERS = {"“": "”", "«": "»", "„": "“"}
# Every mark quotation_spans acts on; two apostrophes stand for a straight double
# quote in some archives (NYT), and are one mark.
_MARKS = re.compile("''|[\"“”«»„]")
_TRIM = " \t\n,;:—–-"


@dataclass(frozen=True, slots=True)
class CueLemma:
    lemma: str
    pos: str
    precision: float
    relations: dict[str, float]  # how the content hangs off the cue -> share of its uses

    def share(self, relation: str) -> float:
        return self.relations.get(relation, 0.0)


CUE_TABLES = ("cues_en.tsv", "quote_cues_extra.tsv")  # later files override earlier rows


@lru_cache(maxsize=1)
def cue_rows() -> tuple[dict[str, str], ...]:
    """Every row of the cue tables, in file order: the one loader of the mined cues."""
    rows: list[dict[str, str]] = []
    for name in CUE_TABLES:
        source = resources.files("claimscope") / "data" / name
        with source.open(encoding="utf-8") as handle:
            rows.extend(
                csv.DictReader(
                    (line for line in handle if not line.startswith("#")),
                    delimiter="\t",
                    quoting=csv.QUOTE_NONE,
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def cue_lemmas() -> dict[tuple[str, str], CueLemma]:
    """The mined cue table, filtered by support and precision."""
    table: dict[tuple[str, str], CueLemma] = {}
    for row in cue_rows():
        count = int(row["cue"])
        precision = float(row["precision"])
        key = (row["lemma"], row["pos"])
        if count < MIN_CUE_SUPPORT or precision < MIN_CUE_PRECISION:
            continue
        relations = dict(
            (rel.rsplit(":", 1)[0], int(rel.rsplit(":", 1)[1]))
            for rel in row["relations"].split(",")
            if ":" in rel
        )
        shares = {rel: n / count for rel, n in relations.items()}
        table[key] = CueLemma(row["lemma"], row["pos"], precision, shares)
    return table


def _cue_info(token: Token) -> CueLemma | None:
    return cue_lemmas().get((token.lemma_.lower(), token.pos_))


def doc_cues(doc: Doc) -> tuple[tuple[Token, CueLemma], ...]:
    """The article's tokens found in the cue table (:func:`_cue_info`), with their
    entries, in text order: looked up once per article and per (lemma, part of
    speech), where two rules scanned every token's strings."""
    memo = doc_memo(doc, "cues")
    if "cues" not in memo:
        from spacy.attrs import LEMMA, POS

        table = cue_lemmas()
        strings = doc.vocab.strings
        tokens = doc_tokens(doc)
        known: dict[tuple[int, int], CueLemma | None] = {}
        found = []
        for i, (lemma, pos) in enumerate(doc.to_array([LEMMA, POS]).tolist()):
            key = (lemma, pos)
            if key in known:
                info = known[key]
            else:
                info = known[key] = table.get((strings[lemma].lower(), tokens[i].pos_))
            if info is not None:
                found.append((tokens[i], info))
        memo["cues"] = tuple(found)
    return memo["cues"]


# --- quotation marks -------------------------------------------------------------


def doc_quotations(doc: Doc) -> tuple[tuple[int, int], ...]:
    """:func:`quotation_spans` of the article's text, found once per article."""
    memo = doc_memo(doc, "quotations")
    if "spans" not in memo:
        memo["spans"] = tuple(quotation_spans(doc_text(doc)))
    return memo["spans"]


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Quoted stretches (marks included): curly, guillemets, straight and ``''``.

    A quotation left open at a paragraph end closes there: news style reopens
    the marks on each paragraph of a long quote.
    """
    spans: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text):
        open_at: int | None = None
        closer = ""
        depth = 0
        # Only the marks matter: the scan jumps from one to the next.
        for mark in _MARKS.finditer(text, para_start, para_end):
            i, char = mark.start(), mark.group()
            if open_at is None:
                if char in _OPENERS:
                    open_at, closer = i, _OPENERS[char]
                elif char in ('"', "''"):
                    open_at, closer = i, char
                elif char == "”" and (i == para_start or text[i - 1].isspace()):
                    open_at, closer = i, "”"  # a closing mark typed as the opener
            elif char == "“" and closer in ("”", '"') and not _closes(text, i, para_end):
                depth += 1  # a quotation inside the quotation
            elif char == '"' == closer and _reopens(text, i, para_end):
                # 'untrue. "If you look ...': a straight mark that opens, where a
                # quote left open runs on from a paragraph the text no longer breaks.
                end = i
                while end > open_at and text[end - 1].isspace():
                    end -= 1
                spans.append((open_at, end))
                open_at = i
            elif (
                char == closer
                or {closer, char} == {"”", '"'}
                or (char == "“" and closer in ("”", '"'))
            ):
                # Scraped text mixes the marks: '"I don’t think so,” Grassley said.',
                # and '“Apparently not,“ he said' (an opening mark typed as the closer).
                if depth:
                    depth -= 1
                else:
                    spans.append((open_at, i + len(char)))
                    open_at = None
        if open_at is not None:
            end = para_end
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if end - open_at > 1:
                spans.append((open_at, end))
    return spans


def _closes(text: str, i: int, end: int) -> bool:
    """An opening curly mark after a word or punctuation and before a space: it closes."""
    return i > 0 and not text[i - 1].isspace() and (i + 1 >= end or text[i + 1].isspace())


def _reopens(text: str, i: int, end: int) -> bool:
    """A straight mark after a sentence's end and a space, before a word: it opens a quote."""
    return (
        i >= 2
        and text[i - 1] == " "
        and text[i - 2] in ".?!"
        and i + 1 < end
        and text[i + 1].isalnum()
    )


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for found in re.finditer(r"\n", text):
        if found.start() > start:
            yield start, found.start()
        start = found.end()
    if start < len(text):
        yield start, len(text)


# --- helpers over the parse -----------------------------------------------------


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip surrounding commas, dashes and spaces, and a final period outside quotes."""
    text = doc_text(doc)
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1] in ".!?"):
        if text[end - 1] in ".!?" and end - start > 1 and text[end - 2] in '"”':
            break
        end -= 1
    # Keep a closing quotation mark that the parse left outside the span.
    if end < len(text) and text[end] in '"”' and text[start:end].count('"') % 2 == 1:
        end += 1
    return start, end


def _paragraph_of(text: str, index: int) -> tuple[int, int]:
    """The paragraph (between line breaks) that holds ``index``."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, len(text) if end < 0 else end


def _clip(doc: Doc, bounds: tuple[int, int], anchor: int) -> tuple[int, int]:
    """Keep content within the cue's paragraph: the small model runs sentences across them."""
    para_start, para_end = _paragraph_of(doc_text(doc), anchor)
    start, end = max(bounds[0], para_start), min(bounds[1], para_end)
    return _trimmed(doc, start, end) if start < end else (start, start)


def _span(doc: Doc, start: int, end: int) -> Span:
    return Span(start, end, doc_text(doc)[start:end])


def _subject(verb: Token) -> Token | None:
    """The verb's subject, inherited through conjunctions, participles and infinitives."""
    seen = 0
    while verb is not None and seen < 6:
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            # Two subjects is a misparse ("VILNIUS ... — Lithuania's minister said"):
            # the one nearest before the verb is the real one, never a dateline.
            before = [c for c in subjects if c.i < verb.i]
            return before[-1] if len(subjects) > 1 and before else subjects[0]
        for child in verb.children:
            if child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        controller = _object_controller(verb)
        if controller is not None:
            return controller
        if verb.dep_ in _CLIMB_DEPS and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


@lru_cache(maxsize=1)
def control_verbs() -> frozenset[str]:
    """Lemmas whose object does their infinitive ("led her to declare"), from the data file."""
    source = resources.files("claimscope") / "data" / "quote_control_verbs.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


def _object_controller(verb: Token) -> Token | None:
    """The object of an object-control verb that ``verb`` is the infinitive of, or None.

    "The win led her to declare ...", "prompted Britain's Parliament to call ...":
    the one who declares or calls is the object, not the subject of "led".
    """
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i or head.lemma_.lower() not in control_verbs():
        return None
    objects = [c for c in head.children if c.dep_ == "dobj" and head.i < c.i < verb.i]
    return objects[0] if objects else None


# Relations through which a participle or infinitive cue inherits its subject:
# "by announcing", "a series of tweets criticizing X", "wants to say".
_CLIMB_DEPS = frozenset(
    {"conj", "xcomp", "advcl", "acl", "pcomp", "pobj", "prep", "dobj", "oprd", "npadvmod"}
)


def _cue_span(verb: Token) -> Span:
    """The cue as written: the verb with its auxiliaries and negation ("has said")."""
    tokens = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    # Auxiliaries far from the verb ("did Trump say") would swallow the subject.
    if any(t.i < verb.i - 3 for t in tokens):
        start, end = verb.idx, verb.idx + len(verb)
    return Span(start, end, doc_text(verb.doc)[start:end])


def _subtree_bounds(token: Token, *, skip: Token | None = None) -> tuple[int, int]:
    tokens = [t for t in token.subtree if skip is None or not _within(t, skip)]
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _within(token: Token, ancestor: Token) -> bool:
    return token.i == ancestor.i or ancestor in token.ancestors


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: QuoteKind
    cue: Span | None
    subject: Token | None
    sourceless: bool = False
    mention: tuple[int, int] | None = None  # when the parse's subtree is not to be trusted
    rule: str = ""  # the name of the rule that found it
    key: str = ""  # what within the rule found it (a mined relation: "support|VERB|dobj")


@dataclass(frozen=True, slots=True)
class _Context:
    """What every rule reads: the entity view and the article's quotation spans."""

    view: EntityView
    quotations: tuple[tuple[int, int], ...]
    # Quotations of three words or more: a cue inside one is the quoted speaker's.
    long_quotations: tuple[tuple[int, int], ...]

    @property
    def doc(self) -> Doc:
        return self.view.doc

    @property
    def text(self) -> str:
        return self.view.text


# --- candidates from cues ----------------------------------------------------------


def _relation(child: Token) -> str:
    """The mined relation key of a content head hanging off a cue ("dobj", "prep>pobj")."""
    if child.dep_ == "prep":
        objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
        return f"prep>{objects[0].dep_}" if objects else "prep"
    return child.dep_


_TAIL_DEPS = frozenset(
    {"dobj", "xcomp", "ccomp", "oprd", "prep", "dative", "attr", "acomp", "advmod"}
)


_EMBEDDED_DEPS = frozenset({"relcl", "pcomp", "amod"})


def _content_of(verb: Token, cue: CueLemma) -> tuple[int, int] | None:
    """The content a cue governs, as character bounds, or None."""
    doc = verb.doc
    clauses = [c for c in verb.children if c.dep_ in _CLAUSE_DEPS]
    if clauses:
        # Two clauses: the parse ran the previous paragraph's quote into this sentence
        # ('..." \nMoments earlier, Trump said he was ...'); the one in the cue's
        # paragraph, after the cue, is the content.
        para = _paragraph_of(doc_text(doc), verb.idx)
        here = [c for c in clauses if _paragraph_of(doc_text(doc), c.idx) == para]
        after = [c for c in here if c.i > verb.i]
        child = (after or here or clauses)[0]
        start, end = _subtree_bounds(child)
        if child.i > verb.i:
            start = min(start, _clause_start(verb, child))
        return _trimmed(doc, start, end)
    # Noun cues: "the claim that ...", "a plan to ...".
    if verb.pos_ in ("NOUN", "PROPN"):
        for child in verb.rights:
            if child.dep_ in ("acl", "ccomp") and any(
                c.dep_ in ("mark", "aux") and c.lower_ in ("that", "to") for c in child.children
            ):
                return _trimmed(doc, *_subtree_bounds(child))
        return None
    # Object-like content: "cited X", "urged X to Y", "called X Z", "accused X of Y".
    rights = [c for c in verb.rights if not c.is_punct]
    for index, child in enumerate(rights):
        relation = _relation(child)
        if relation == "prep" or cue.share(relation) < MIN_RELATION_SHARE:
            continue
        if relation != "xcomp" and cue.precision < MIN_OBJECT_CUE_PRECISION:
            continue
        if relation != "xcomp" and (
            verb.dep_ in _EMBEDDED_DEPS
            or (
                cue.precision < SPEECH_CUE_PRECISION and any(c.dep_ == "neg" for c in verb.children)
            )
        ):
            # "Washington that regards X as ...", "refrained from discussing X", "did not
            # react to X": an object of a buried or negated weak cue is a topic, not a claim.
            continue
        start = child.left_edge.idx
        if relation != "dobj":
            # "permit members to appoint proxies": the object before is content too.
            objects = [c for c in rights[:index] if c.dep_ == "dobj"]
            if objects:
                start = objects[0].left_edge.idx
        end = child.right_edge.idx + len(child.right_edge)
        for later in rights[index + 1 :]:
            if later.dep_ not in _TAIL_DEPS:
                break
            end = later.right_edge.idx + len(later.right_edge)
        return _trimmed(doc, start, end)
    head = verb.head
    # "Prices rose, the minister told TASS": the parse hangs the cue off the content.
    if (
        verb.dep_ in ("ccomp", "advcl", "conj", "parataxis")
        and head.i < verb.i
        and head.pos_ in ("VERB", "AUX")
        and _subject(verb) is not None
        and _subject(verb).head.i == verb.i
        and cue.precision >= SPEECH_CUE_PRECISION
        # Not a parenthetical inside the clause ("It was, he said, one of ..."): there
        # the content goes on after the tag (the parataxis case below).
        and not (
            verb.dep_ == "parataxis"
            and any(c.i > verb.right_edge.i and not c.is_punct for c in head.children)
        )
    ):
        left = verb.left_edge
        start = max(head.left_edge.idx, verb.sent.start_char)
        if left.i > 0 and doc[left.i - 1].is_punct and start < left.idx:
            return _trimmed(doc, start, left.idx)
    # "As the newspaper reported, the deal collapsed": an opening "as" clause whose
    # cue governs no content of its own attributes the main clause.
    if (
        verb.dep_ == "advcl"
        and head.i > verb.i
        and head.pos_ in ("VERB", "AUX")
        and cue.precision >= SPEECH_CUE_PRECISION
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    ):
        start = verb.right_edge.idx + len(verb.right_edge)
        end = max(t.idx + len(t) for t in head.subtree if t.sent.start == verb.sent.start)
        return _trimmed(doc, start, end)
    # "The plan, he said, works": the cue is a parenthetical of the content clause.
    if verb.dep_ == "parataxis" and head.pos_ in ("VERB", "AUX") and head.i != verb.i:
        # "Though X was seamless, he said, replacing her would be hard": the parse
        # hangs the cue off the subordinate clause; the content is the whole sentence.
        root = head
        while root.dep_ in ("advcl", "conj") and root.head.i != root.i and root.head.i > verb.i:
            root = root.head
        return _trimmed(doc, *_subtree_bounds(root, skip=verb))
    return None


# What a speech verb governs between itself and its clause that is not content:
# "said Tuesday", "said in an interview", "told reporters", "said, however,".
_CUE_SIDE_DEPS = frozenset(
    {
        "npadvmod",
        "prep",
        "dative",
        "advmod",
        "punct",
        "prt",
        "aux",
        "neg",
        "nsubj",
        "agent",
        "advcl",
        "cc",
        "intj",
        "mark",
    }
)
# Verbs whose object before the clause is the one addressed ("told reporters that").
_ADDRESSEE_LEMMAS = frozenset(
    "tell ask inform assure remind warn urge convince notify promise advise persuade show teach".split()
)


def _clause_start(verb: Token, clause: Token) -> int:
    """Where a cue's clause really starts: after what the cue itself governs.

    'has said single people - gay, straight - would qualify': the parse left the
    clause's subject as the verb's object; it is content all the same.
    """
    doc = verb.doc
    side = set()
    for child in verb.children:
        if child.i == clause.i or child.i < verb.i:
            continue
        if child.dep_ in _CUE_SIDE_DEPS or (
            child.dep_ == "dobj" and verb.lemma_.lower() in _ADDRESSEE_LEMMAS
        ):
            side.update(t.i for t in child.subtree)
    for token in doc[verb.i + 1 : clause.left_edge.i]:
        if token.i in side or token.is_space or token.is_punct:
            continue
        if token.sent.start != verb.sent.start:
            break
        return token.idx
    return clause.left_edge.idx


def _inside(index: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < index < end for start, end in spans)


def _cue_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """A cue verb (or noun) that the parse links to its content, with its subject."""
    doc, quotations = ctx.doc, ctx.long_quotations
    for token, info in doc_cues(doc):
        if token.pos_ not in ("VERB", "AUX", "NOUN"):
            continue
        # A cue inside a quotation belongs to the quoted speaker's words, not to the article.
        if _inside(token.idx, quotations):
            continue
        bounds = _content_of(token, info)
        if bounds is None and _asked_participle(token):
            bounds = _question_of(token)
        if bounds is None:
            surface = _surface_candidate(token, info, ctx.text)
            if surface is not None:
                yield surface
            continue
        bounds = _clip(doc, bounds, token.idx)
        if bounds[1] - bounds[0] < 2:
            continue
        if token.pos_ == "NOUN":
            owners = [c for c in token.children if c.dep_ == "poss"] or _noun_cue_from(token)
            subject = owners[0] if owners else None
            sourceless = subject is None
        else:
            subject = _subject(token)
            if subject is not None and _paragraph_of(ctx.text, subject.idx) != _paragraph_of(
                ctx.text, token.idx
            ):
                surface = _surface_candidate(token, info, ctx.text)
                if surface is not None:
                    yield surface
                    continue
                subject = _np_before(token, ctx.text)
            elif subject is None:
                fallbacks = (
                    _np_before(token, ctx.text),
                    _np_after(token, ctx.view),
                    _sentence_subject(token),
                )
                subject = next(
                    (t for t in fallbacks if t is not None and not bounds[0] <= t.idx < bounds[1]),
                    None,
                )
            elif subject.lower_ == "that" and subject.head.dep_ == "relcl":
                subject = subject.head.head  # "rules that promise": PolNeAR marks the noun
            sourceless = (
                subject is None
                or subject.dep_ == "expl"
                or (subject.lower_ == "it" and any(c.dep_ == "auxpass" for c in token.children))
                or _asked_participle(token)
                or (
                    subject.lower_ == "it" and raising_verbs().get(token.lemma_.lower()) == "active"
                )
            )
        if subject is not None and bounds[0] <= subject.idx < bounds[1]:
            if not bounds[0] <= token.idx < bounds[1]:
                continue  # the "subject" sits inside the content: a misparse
            # "The museum, Mr. Bush said, celebrated ...": a parenthetical cue.
        cue = (
            _cue_span(token)
            if token.pos_ != "NOUN"
            else _span(doc, token.idx, token.idx + len(token))
        )
        yield _Candidate(bounds[0], bounds[1], "indirect", cue, subject, sourceless)


# "made (it) clear that ...", "makes plain that ...": a light verb and an adjective that
# together declare (the verb alone is too rarely a cue to be mined as one).
_DECLARING_ADJECTIVES = frozenset({"clear", "plain", "known"})


def _declaration_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "X made it clear that ...": the clause is X's content, "made it clear" the cue."""
    doc = ctx.doc
    for token in doc_tokens(doc):
        if token.lemma_.lower() != "make" or token.pos_ not in ("VERB", "AUX"):
            continue
        if _inside(token.idx, ctx.long_quotations):
            continue
        adjective = next(
            (c for c in token.children if c.i > token.i and c.lower_ in _DECLARING_ADJECTIVES),
            None,
        )
        if adjective is None:
            continue
        clause = next(
            (
                c
                for c in (*token.children, *adjective.children)
                if c.dep_ in ("ccomp", "advcl") and c.i > adjective.i
            ),
            None,
        )
        found_here = _clause_quote(token, clause, _subject(token), adjective)
        if found_here is not None:
            yield found_here


def _noun_cue_from(noun: Token) -> list[Token]:
    """The holder of a noun cue named after "from" ("complaints from his counterpart that
    ...", "criticism from rivals that ..."), as a one-item list (empty without one)."""
    return [
        grand
        for child in noun.rights
        if child.dep_ == "prep" and child.lower_ == "from"
        for grand in child.children
        if grand.dep_ == "pobj"
    ][:1]


def _asked_participle(verb: Token) -> bool:
    """ "Asked about X, she said ...", "when asked whether ...", "Y was asked to ...": the
    question's asker goes unnamed (PolNeAR train: no source in 98 of 102)."""
    if verb.lemma_.lower() not in _QUESTION_LEMMAS:
        return False
    # The small model tags a sentence-initial "Asked" VBD; an inverted '"...?" asked X' is VBD too.
    if verb.tag_ != "VBN" and not (verb.tag_ == "VBD" and verb.dep_ == "advcl"):
        return False
    return not any(c.dep_ in ("nsubj", "agent") for c in verb.children)


_QUESTION_LEMMAS = frozenset({"ask"})
_QUESTION_MARKS = frozenset({"if", "whether"})


def _question_of(verb: Token) -> tuple[int, int] | None:
    """What an unnamed asker asked: "asked if/whether ..." (an adverbial clause to the
    parse) or "asked about X"."""
    doc = verb.doc
    for child in verb.rights:
        if child.dep_ == "advcl" and _opens_question(child):
            return _trimmed(doc, *_subtree_bounds(child))
        if child.dep_ == "prep" and child.lower_ == "about":
            if any(c.dep_ in ("pobj", "pcomp") for c in child.children):
                return _trimmed(doc, *_subtree_bounds(child))
        if child.dep_ == "xcomp" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in child.children
        ):
            return _trimmed(doc, *_subtree_bounds(child))  # "was asked to name one"
    return None


def _answer_start(verb: Token) -> tuple[int, ...]:
    """Where the answer to an unnamed asker's question starts ("Asked if X, she said Y":
    the clause the question modifies, its subject first); nothing for other cues."""
    if not _asked_participle(verb) or verb.dep_ != "advcl":
        return ()
    head = verb.head
    return tuple([head.idx] + [c.left_edge.idx for c in head.children if c.dep_ in _SUBJECT_DEPS])


def _participle_clause_of(verb: Token, tokens: Sequence[Token]) -> bool:
    """Whether the tokens hold a participle clause modifying the verb ("Asked about X, he
    said"; "Speaking to reporters, she said"): a circumstance, never what is said. A
    subjectless "Asked" tagged as a past tense is one too (the small model's tag)."""
    inside = {t.i for t in tokens}
    return any(
        t.head.i == verb.i
        and t.dep_ == "advcl"
        and t.tag_ in ("VBN", "VBG", "VBD")
        and not any(c.dep_ in _SUBJECT_DEPS for c in t.children)
        for t in tokens
        if t.head.i not in inside
    )


def _clause_quote(
    start: Token, clause: Token | None, subject: Token | None, last: Token
) -> _Candidate | None:
    """A clause quoted by a two-word cue from ``start`` to ``last`` ("made it clear",
    "is confident"), its subject the source; none for an expletive or a subject inside."""
    if clause is None or subject is None or subject.dep_ == "expl":
        return None
    doc = start.doc
    bounds = _clip(doc, _trimmed(doc, *_subtree_bounds(clause)), start.idx)
    if bounds[1] - bounds[0] < 2 or bounds[0] <= subject.idx < bounds[1]:
        return None
    cue = _span(doc, start.idx, last.idx + len(last))
    return _Candidate(bounds[0], bounds[1], "indirect", cue, subject)


# Subjects that make "it is clear that ..." a judgement of the article, not a speaker's stance.
_EMPTY_SUBJECTS = frozenset({"it", "this", "that", "there"})


# "It is clear that ...": adjectives of the writer's certainty about a clause.
_IMPERSONAL_ADJECTIVES = frozenset(
    "apparent clear unclear obvious evident plain certain uncertain doubtful".split()
)


def _impersonal_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "It is apparent that Clinton wanted ...", "it was unclear whether ...": no source.

    The clause is the article's own judgement (PolNeAR: an attribution with no
    Source, the copula and adjective its cue), not a claim of the subject inside
    it, so it wins over the cues in the clause by being longer.
    """
    doc = ctx.doc
    for token in doc_tokens(doc):
        if (
            token.dep_ != "acomp"
            or token.lower_ not in _IMPERSONAL_ADJECTIVES
            or _inside(token.idx, ctx.quotations)
        ):
            continue
        copula = token.head
        subjects = [c for c in copula.children if c.dep_ in ("nsubj", "expl") and c.i < token.i]
        if not subjects or subjects[0].lower_ != "it":
            continue
        clause = next(
            (
                c
                for c in (*copula.children, *token.children)
                if c.i > token.i
                and (c.dep_ == "ccomp" or (c.dep_ == "advcl" and _opens_question(c)))
            ),
            None,
        )
        if clause is None:
            continue
        bounds = _clip(doc, _trimmed(doc, *_subtree_bounds(clause)), token.idx)
        if bounds[1] - bounds[0] < 2:
            continue
        first = min([copula, *(c for c in copula.children if c.dep_ in ("aux", "neg"))])
        cue = _span(doc, first.idx, token.idx + len(token))
        yield _Candidate(bounds[0], bounds[1], "indirect", cue, None, True)


def _opens_question(verb: Token) -> bool:
    """An embedded question's verb: "if" or "whether" marks it."""
    return any(c.dep_ == "mark" and c.lower_ in _QUESTION_MARKS for c in verb.children)


def _adjective_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "X is confident that ...", "Y was not sure she can ...": a stance adjective's clause.

    PolNeAR marks the copula and adjective as the cue; the parse hangs the clause
    off the adjective (acomp > ccomp). Only in sentences no other candidate
    touches: inside a reported sentence the adjective is the quoted speaker's.
    """
    doc = ctx.doc
    for token in doc_tokens(doc):
        if token.pos_ != "ADJ" or token.dep_ != "acomp" or _inside(token.idx, ctx.quotations):
            continue
        sent = token.sent
        if any(_overlaps((c.start, c.end), (sent.start_char, sent.end_char)) for c in found):
            continue
        clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
        subject = _subject(token.head)
        if subject is not None and subject.lower_ in _EMPTY_SUBJECTS:
            continue
        found_here = _clause_quote(token, clause, subject, token)
        if found_here is not None:
            yield found_here


@lru_cache(maxsize=1)
def raising_verbs() -> dict[str, str]:
    """Lemma -> voice ("active", "passive") of "X seems to be Y" verbs, from the data file."""
    source = resources.files("claimscope") / "data" / "quote_raising_verbs.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    rows = (line.split("\t") for line in lines if line.strip() and line[0] != "#")
    return {row[0].strip(): row[1].strip() for row in rows}


def _raising_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "The plan seems to work": subject and complement are content, with no source.

    PolNeAR reads the hedge as an attribution to the writer; it comes last, so
    that a quote with a speaker always wins the overlap.
    """
    doc = ctx.doc
    taken = [(c.start, c.end) for c in found]
    for token in doc_tokens(doc):
        if token.pos_ != "VERB" or token.lemma_.lower() not in raising_verbs():
            continue
        if _inside(token.idx, ctx.quotations):
            continue
        if raising_verbs()[token.lemma_.lower()] == "passive":
            # "Trump is expected to speak"; "... is expected by aides" names a source instead.
            if any(c.dep_ == "agent" for c in token.children):
                continue
            subjects = [c for c in token.children if c.dep_ == "nsubjpass"]
            complements = [c for c in token.children if c.dep_ == "xcomp"]
        else:
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            complements = [
                c for c in token.children if c.dep_ in ("xcomp", "ccomp", "acomp", "attr", "oprd")
            ]
        if not subjects or not complements or subjects[0].lower_ in _EMPTY_SUBJECTS:
            continue
        last = complements[-1].right_edge
        bounds = _clip(doc, (subjects[0].left_edge.idx, last.idx + len(last)), token.idx)
        if bounds[1] - bounds[0] < 2 or any(_overlaps(bounds, t) for t in taken):
            continue
        # "Nothing seems credible to me": the one it seems so to is the source.
        holders = [
            grand
            for child in [token, *complements]
            for prep in child.children
            if prep.dep_ == "prep" and prep.lower_ == "to"
            for grand in prep.children
            if grand.dep_ == "pobj"
        ]
        holder = holders[0] if holders else None
        cue = _cue_span(token)
        yield _Candidate(bounds[0], bounds[1], "indirect", cue, holder, holder is None)


_NP_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "ADP", "CCONJ", "PART", "NUM", "PRON", "SPACE"})
_MAX_NP_TOKENS = 30


def _noun_phrase(tokens: Sequence[Token]) -> bool:
    return (
        bool(tokens)
        and all(t.pos_ in _NP_POS for t in tokens)
        and any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in tokens)
    )


def _sentence_subject(verb: Token) -> Token | None:
    """The main clause's subject before a participle cue the parse left unattached."""
    if verb.tag_ not in ("VBG", "VB", "VBN"):
        return None
    root = verb.sent.root
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.i < verb.i and child.dep_ != "expl":
            return child
    return None


def _np_after(verb: Token, view: EntityView) -> Token | None:
    """'"...," said Col. Jane Doe, a spokeswoman': the name right after the cue."""
    tokens = []
    for token in verb.doc[verb.i + 1 : verb.i + 9]:
        if token.pos_ not in ("PROPN", "NOUN", "DET", "ADJ", "PUNCT") or view.label(token) in (
            "DATE",
            "TIME",
        ):
            break
        if token.is_punct and token.text not in ".-":
            break
        tokens.append(token)
    heads = [t for t in tokens if t.pos_ in ("PROPN", "NOUN")]
    return heads[-1] if heads else None


def _np_before(verb: Token, text: str) -> Token | None:
    """The head of a short noun phrase opening the verb's paragraph ("The expert emphasized")."""
    para_start, _ = _paragraph_of(text, verb.idx)
    before = doc_tokens(verb.doc)[: verb.i]
    first = len(before)  # the paragraph's tokens before the verb: a run that ends at it
    while first and before[first - 1].idx >= para_start:
        first -= 1
    tokens = [t for t in before[first:] if not t.is_space]
    if 0 < len(tokens) <= 8 and _noun_phrase(tokens):
        return [t for t in tokens if t.pos_ in ("PROPN", "NOUN", "PRON")][-1]
    return None


def _surface_candidate(verb: Token, cue: CueLemma, text: str) -> _Candidate | None:
    """Parse-free fallback for "<content>, <speaker> <cue> ..." and "<content>, <cue> <speaker>".

    The small model often misparses long leads and headlines ("..., says expert");
    the word order and POS tags are still right.
    """
    if cue.precision < SPEECH_CUE_PRECISION or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    doc = verb.doc
    para_start, para_end = _paragraph_of(text, verb.idx)
    # <content>, <speaker NP> <cue>
    i = verb.i - 1
    while (
        i >= 0 and doc[i].text != "," and verb.i - i <= _MAX_NP_TOKENS and doc[i].idx >= para_start
    ):
        i -= 1
    speaker = list(doc[i + 1 : verb.i])
    if i >= 0 and doc[i].text == "," and doc[i].idx >= para_start and _noun_phrase(speaker):
        comma = doc[i]
        content_end = comma.idx
        subject = speaker[-1]
        mention = (speaker[0].idx, subject.idx + len(subject))
    else:
        # <content>, <cue> <speaker NP>[,.]
        if verb.i == 0 or doc[verb.i - 1].text != ",":
            return None
        j = verb.i + 1
        while (
            j < len(doc)
            and doc[j].pos_ in _NP_POS
            and doc[j].text not in ",."
            and "\n" not in doc[j].text
            and j - verb.i <= 8
        ):
            j += 1
        speaker = [t for t in doc[verb.i + 1 : j] if not t.is_space]
        if not _noun_phrase(speaker) or doc[verb.i - 1].idx < para_start:
            return None
        content_end = doc[verb.i - 1].idx
        subject = [t for t in speaker if t.pos_ in ("PROPN", "NOUN", "PRON")][-1]
        mention = (speaker[0].idx, speaker[-1].idx + len(speaker[-1]))
    last = doc.char_span(content_end - 1, content_end, alignment_mode="expand")
    if last is None or content_end <= para_start:
        return None
    start = max(para_start, last.sent.start_char)
    # The content is a clause, and the cue ends its sentence ("..., she told TASS on Monday"):
    # otherwise "In a speech, Clinton cited ..." reads a fronted phrase as content.
    content_tokens = [t for t in doc[last.sent.start : last.end] if t.idx >= start]
    if not any(t.pos_ in ("VERB", "AUX") for t in content_tokens):
        return None
    if _participle_clause_of(verb, content_tokens):
        return None
    rest = [t for t in doc[verb.i + 1 : verb.sent.end] if t.idx < para_end]
    if any(t.pos_ in ("VERB", "AUX") or t.text in '"“”' for t in rest):
        return None
    start, end = _trimmed(doc, start, content_end)
    if end - start < 10:
        return None
    return _Candidate(start, end, "indirect", _cue_span(verb), subject, False, mention)


_COLON_SPEAKER = re.compile(r"^[\"“]?([A-Z][\w.’'\- ]{0,40}?):\s+(\S.*)$")


@lru_cache(maxsize=1)
def colon_labels() -> frozenset[str]:
    """Paragraph labels ("Correction:", "The Latest:") that are not speakers."""
    source = resources.files("claimscope") / "data" / "quote_colon_stop.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


def _colon_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "PENCE: ..." (transcripts) and "Poll: ..." (headlines): a short name, a colon, the content."""
    doc = ctx.doc
    for para_start, para_end in _paragraphs(ctx.text):
        label = _COLON_SPEAKER.match(ctx.text[para_start:para_end])
        if label is None:
            continue
        name = label.group(1)
        if len(name.split()) > 4 or any(ch.isdigit() for ch in name):
            continue
        if not all(word[:1].isupper() for word in name.split()):
            continue
        if name.lower() in colon_labels():
            continue
        named = any(
            e.label in ("PERSON", "ORG")
            for e in ctx.view.overlapping(para_start + label.start(1), para_start + label.end(1))
        )
        if not (named or name.isupper() or (para_start == 0 and len(name.split()) <= 2)):
            continue
        start, end = _trimmed(doc, para_start + label.start(2), para_end)
        name_start = para_start + label.start(1)
        span = doc.char_span(name_start, para_start + label.end(1), alignment_mode="expand")
        if span is None or end - start < 3:
            continue
        colon = para_start + label.end(1)
        yield _Candidate(start, end, "indirect", _span(doc, colon, colon + 1), span.root)


def _according_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "According to X, ...": the rest of the sentence is X's content."""
    doc = ctx.doc
    for token in doc_tokens(doc):
        if (
            token.lower_ != "according"
            or token.i + 1 >= len(doc)
            or doc[token.i + 1].lower_ != "to"
        ):
            continue
        if _inside(token.idx, ctx.long_quotations):
            continue  # inside quoted words it is the quoted speaker's source
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"] or [
            c for c in token.children if c.dep_ == "pobj"
        ]
        source = objects[0] if objects else None
        phrase_end = max([to.idx + len(to)] + [t.idx + len(t) for o in objects for t in o.subtree])
        sent = token.sent
        para_start, _ = _paragraph_of(ctx.text, token.idx)
        opening = ctx.text[max(sent.start_char, para_start) : token.idx]
        if not any(ch.isalnum() for ch in opening):
            start, end = phrase_end, sent.end_char
        else:
            start, end = sent.start_char, token.idx
        start, end = _clip(doc, (start, end), token.idx)
        if end - start < 3:
            continue
        cue = Span(token.idx, to.idx + len(to), ctx.text[token.idx : to.idx + len(to)])
        yield _Candidate(start, end, "indirect", cue, source, source is None)


# --- mined cue relations ----------------------------------------------------------


@lru_cache(maxsize=1)
def relation_cues() -> dict[tuple[str, str, str], float]:
    """(lemma, POS, relation) -> cautious precision on PolNeAR train (``quote_relations.tsv``).

    Written by ``scripts/mine_polnear_relations.py``: how many candidates
    :func:`relation_candidates` reads off that relation, how many of them
    matched an attribution nothing else found, and with the right source. The
    precisions count one more candidate than was seen, so that four hits of four
    do not read as certain.
    """
    source = resources.files("claimscope") / "data" / "quote_relations.tsv"
    table: dict[tuple[str, str, str], float] = {}
    with source.open(encoding="utf-8") as handle:
        rows = csv.DictReader(
            (line for line in handle if not line.startswith("#")),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        for row in rows:
            candidates, matched = int(row["candidates"]), int(row["matched"])
            right = int(row["speaker_right"])
            if (
                candidates >= MIN_RELATION_SUPPORT
                and right / (candidates + 1) >= MIN_RELATION_HOLDER_PRECISION
            ):
                key = (row["lemma"], row["pos"], row["relation"])
                table[key] = matched / (candidates + 1)
    return table


# Relations whose dependent is the content: "backs X", "wants to X", "a plan to X".
_OBJECT_RELATIONS = frozenset({"dobj", "xcomp", "ccomp", "acl", "attr", "oprd", "nsubjpass"})
# After the content, the rest of what the cue governs: "called X a liar", "urged X
# to Y", "backed X in the primary".
_RELATION_TAILS = frozenset(
    {"oprd", "xcomp", "ccomp", "prep", "npadvmod", "advmod", "dative", "prt", "agent"}
)


def _relation_of(child: Token) -> tuple[str, Token] | None:
    """The relation key and content head of a cue's dependent ("prep:for", the object)."""
    if child.dep_ == "prep":
        objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
        return (f"prep:{child.lower_}", objects[0]) if objects else None
    if child.dep_ in _OBJECT_RELATIONS:
        return child.dep_, child
    return None


def _relation_holder(token: Token) -> tuple[Token | None, str]:
    """Who holds a verb's or adjective's stance, and how it was found ("" for nobody).

    "subject": the cue's own subject; "relative": "who backs X"; "agent": "X is
    backed by Y"; "inherited": a subject reached through conjunctions or clauses.
    """
    verb = token.head if token.pos_ == "ADJ" else token
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        return (agents[0], "agent") if agents else (None, "")
    subject = _subject(verb)
    if subject is None or subject.dep_ == "expl":
        return None, ""
    if subject.lower_ == "that" and subject.head.dep_ == "relcl":
        subject = subject.head.head
    if subject.tag_ in ("WP", "WDT"):
        return subject, "relative"
    return subject, "subject" if subject.head.i == verb.i else "inherited"


# Holders read straight off the cue's clause: its own subject ("X backs Y", "who
# backs Y") or a passive's agent. A holder inherited through conjunctions or none
# at all is the gold source only about half the time on train, as is a noun cue's
# possessor ("her support for X"), so noun cues are left out.
_RELIABLE_HOLDERS = frozenset({"subject", "relative", "agent"})


# A cue inside these clauses governs only its own clause ("X, who backs Y, said ...").
_EMBEDDING_DEPS = frozenset({"relcl", "acl", "advcl", "pcomp", "amod", "csubj", "ccomp", "xcomp"})


def relation_candidates(
    ctx: _Context, found: Sequence[_Candidate], accept: Callable[[tuple[str, str, str]], bool]
) -> Iterator[_Candidate]:
    """Every candidate a cue's dependent gives, for the relations ``accept`` admits.

    The content is the dependent's phrase (with an object before it: "sees Cruz
    as a uniter") and what else the cue governs after it; in a main clause it
    runs to the end of the sentence, as reported speech does. Only where no
    earlier candidate is, and only with a holder in the cue's own clause.
    """
    doc = ctx.doc
    taken = [(c.start, c.end) for c in found]
    for token in doc_tokens(doc):
        if token.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if _inside(token.idx, ctx.long_quotations):
            continue
        lemma = token.lemma_.lower()
        accepted = []
        for child in token.children:
            relation = _relation_of(child)
            if relation is not None and accept((lemma, token.pos_, relation[0])):
                accepted.append((child, relation))
        if not accepted:
            continue
        sentence = (token.sent.start_char, token.sent.end_char)
        if any(_overlaps(sentence, q) for q in ctx.long_quotations):
            continue  # a quoted fragment makes the sentence someone's mixed quote
        for child, (name, head) in accepted:
            key = (lemma, token.pos_, name)
            if name == "nsubjpass":
                start, end = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
            else:
                if child.i < token.i:
                    continue
                start, end = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
                # "sees Cruz as a uniter", "urged Obama to act": the object is content too.
                objects = [c for c in token.children if c.dep_ == "dobj" and c.i < child.i]
                if objects and name != "dobj":
                    start = min(start, objects[0].left_edge.idx)
                # The rest of what the cue governs: "called X a liar", "endorsed X for
                # president", "backed X in the primary" (not a coordinated clause).
                for later in token.rights:
                    if later.i > child.i and later.dep_ in _RELATION_TAILS:
                        end = max(end, later.right_edge.idx + len(later.right_edge))
            if start <= token.idx < end:
                continue
            if name != "nsubjpass" and not any(
                t.dep_ in _EMBEDDING_DEPS for t in (token, *token.ancestors)
            ):
                # A cue in the main clause: its content runs to the end of the sentence
                # (up to what an earlier rule found), as reported speech does.
                limit = min([_sentence_end(token.sent)] + [t[0] for t in taken if t[0] >= end])
                end = max(end, limit)
            bounds = _clip(doc, _trimmed(doc, start, end), token.idx)
            if bounds[1] - bounds[0] < 2 or any(_overlaps(bounds, t) for t in taken):
                continue
            subject, how = _relation_holder(token)
            if subject is not None and (
                bounds[0] <= subject.idx < bounds[1]
                or _paragraph_of(ctx.text, subject.idx) != _paragraph_of(ctx.text, token.idx)
            ):
                subject, how = None, ""
            if how not in _RELIABLE_HOLDERS:
                continue
            cue_end = token.idx + len(token)
            if name.startswith("prep:") and child.i - token.i <= 3:
                cue_end = child.idx + len(child)
            cue = _span(doc, min(token.idx, _cue_span(token).start), cue_end)
            yield _Candidate(
                bounds[0],
                bounds[1],
                "indirect",
                cue,
                subject,
                key="|".join((*key, how)),
            )


def _relation_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """A stance verb's or adjective's object, complement or prepositional object.

    PolNeAR marks stances and reactions as attributions: "X backs Y", "who
    voted against Y", "critical of Y", "spoke about Y", "sees X as Y". Which
    (lemma, POS, relation) triples are cues is mined from train
    (``quote_relations.tsv``); the rule comes last, filling gaps only.
    """
    table = relation_cues()
    yield from relation_candidates(
        ctx, found, lambda key: table.get(key, 0.0) >= MIN_RELATION_PRECISION
    )


# --- "in a poll, ..." ----------------------------------------------------------------

# Nouns for findings that speak for their source: "In a CNN poll released Monday, ...".
_FINDING_NOUNS = frozenset({"poll", "survey", "study", "analysis", "report"})


def _finding_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """ "In a Gallup poll released Monday, X leads" / "X leads in the latest poll".

    A sentence that opens with "In" and a poll, survey, study, analysis or report
    (or a clause that ends with such a phrase) reports that finding; the phrase
    is the source. Only where no other candidate is (a speech cue wins).
    """
    doc = ctx.doc
    tokens = doc_tokens(doc)
    taken = [(c.start, c.end) for c in found]
    for sent in doc_sentences(doc)[0]:
        sent_tokens = tokens[sent.start : sent.end]
        words = [t for t in sent_tokens if not t.is_space]
        if len(words) < 6:
            continue
        for prep in words:
            if prep.lower_ != "in" or prep.dep_ != "prep":
                continue
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if not objects or objects[0].lemma_.lower() not in _FINDING_NOUNS:
                continue
            phrase = objects[0]
            if prep.i == words[0].i:
                commas = [t for t in sent_tokens if t.i > phrase.i and t.text == ","]
                if not commas or commas[0].i - phrase.i > 8:
                    continue
                bounds = (commas[0].idx + 1, sent.end_char)
            elif prep.head.dep_ == "ROOT" and phrase.right_edge.i >= words[-1].i - 1:
                bounds = (sent.start_char, prep.idx)  # the phrase ends the sentence
            else:
                continue
            start, end = _clip(doc, _trimmed(doc, *bounds), phrase.idx)
            if end - start < 10 or any(_overlaps((start, end), t) for t in taken):
                continue
            mention = (phrase.left_edge.idx, phrase.right_edge.idx + len(phrase.right_edge))
            cue = _span(doc, prep.idx, prep.idx + len(prep))
            yield _Candidate(start, end, "indirect", cue, phrase, False, mention)
            break


# --- assembling -----------------------------------------------------------------


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _merge_quotations(
    candidates: list[_Candidate], quotations: Sequence[tuple[int, int]], doc: Doc
) -> None:
    """Grow each candidate over the quotations it touches; mark its kind."""
    text = doc_text(doc)
    for cand in candidates:
        _drop_shared_marks(cand, quotations, text)
        # '"WALLACE: Governor, ...' (a transcript quoted paragraph by paragraph): the
        # quotation holds the label and the colon; growing over it would make the
        # speaker part of his own words.
        cue = cand.cue
        touching = [
            q
            for q in quotations
            if _overlaps(q, (cand.start, cand.end))
            and not (
                cand.rule == "colon label"
                and cue is not None
                and q[0] < cue.start
                and cue.end <= cand.start < q[1]
            )
        ]
        if not touching:
            continue
        start = min([cand.start] + [q[0] for q in touching])
        end = max([cand.end] + [q[1] for q in touching])
        # '"A," he said, "B."' stays one quote with the cue between its halves,
        # as PolNeAR annotates it (one discontinuous Content).
        whole = all(q[0] <= cand.start and cand.end <= q[1] for q in touching) or (
            start == min(q[0] for q in touching)
            and end == max(q[1] for q in touching)
            and sum(q[1] - q[0] for q in touching) >= 0.7 * (end - start)
        )
        cand.start, cand.end = start, end
        cand.kind = "direct" if whole else "mixed"
        if cand.cue is not None and cand.cue.start >= end - 1:
            cand.end = _next_quotation_end(text, cand.end, cand.cue.end, quotations)


def _drop_shared_marks(cand: _Candidate, quotations: Sequence[tuple[int, int]], text: str) -> None:
    """Cut a quotation's mark off the candidate's edge when that is all they share.

    The parse may hang the next sentence's opening mark on this one ('... was
    simple. \'\'Just put ...,\'\' he said'): that quotation is another quote, with its
    own tag, not part of this one.
    """
    for q_start, q_end in quotations:
        if q_end <= cand.start or cand.end <= q_start:
            continue
        shared = text[max(q_start, cand.start) : min(q_end, cand.end)]
        if any(ch.isalnum() for ch in shared):
            continue
        if cand.start < q_start < cand.end <= q_end:
            cand.end = len(text[:q_start].rstrip())
        elif q_start <= cand.start < q_end < cand.end:
            cand.start = q_end + len(text[q_end : cand.end]) - len(text[q_end : cand.end].lstrip())


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a quotation mark at ``start`` opens a sentence or a paragraph."""
    before = text[max(0, start - 3) : start].rstrip(" \t")
    return not before or before[-1] in ".?!\n:" or before.endswith(("\u201d", '"'))


def _next_quotation_end(
    text: str, end: int, cue_end: int, quotations: Sequence[tuple[int, int]]
) -> int:
    """'"A," he said. "B."': B ends the paragraph right after the cue, so it is the same quote.

    A short quotation in between is a title ('said on "Fox and Friends." "B."'), not B.
    """
    for start, stop in quotations:
        if start < cue_end:
            continue
        gap = text[cue_end:start]
        if len(gap) >= MAX_TAG_GAP or "\n" in gap:
            break
        if _words(text[start:stop]) < MIN_QUOTE_WORDS and stop < len(text):
            continue
        rest = text[stop : text.find("\n", stop) if "\n" in text[stop:] else len(text)]
        if not any(ch.isalpha() for ch in rest):
            return stop
        break
    return end


def _sentence_cues(view: EntityView) -> dict[int, list[Token]]:
    """Cue verbs with a subject, by sentence start token: anchors for bare quotations."""
    found: dict[int, list[Token]] = {}
    for token, info in doc_cues(view.doc):
        if (
            token.pos_ == "VERB"
            and info.lemma != "accord"
            and info.precision >= SPEECH_CUE_PRECISION
            and token.dep_ not in ("relcl", "acl", "amod")
            and (_subject(token) or _np_after(token, view)) is not None
            and (_subject(token) or _np_after(token, view)).tag_ not in ("WP", "WDT")
        ):
            found.setdefault(token.sent.start, []).append(token)
    return found


def _quotation_candidates(ctx: _Context, found: Sequence[_Candidate]) -> Iterator[_Candidate]:
    """Bare quotations: cued in their own or the next sentence, else left for inheritance."""
    doc = ctx.doc
    taken = [(c.start, c.end) for c in found]
    cues = _sentence_cues(ctx.view)
    for start, end in ctx.quotations:
        if any(_overlaps((start, end), t) for t in taken):
            continue
        short = _words(ctx.text[start:end]) < MIN_QUOTE_WORDS
        if short and not _opens_sentence(ctx.text, start):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        tag = _speech_tag(doc, end)
        if short and tag is None:
            continue  # a short quotation is speech only with its tag: '"Absolutely," he said'
        if tag is not None:
            verb, subject, mention = tag
            cue = _cue_span(verb)
            end = _next_quotation_end(ctx.text, end, cue.end, ctx.quotations)
            yield _Candidate(start, end, "direct", cue, subject, False, mention)
            continue
        verb = _cue_right_before(doc, span)
        if verb is not None:
            yield _Candidate(start, end, "direct", _cue_span(verb), _subject(verb))
            continue
        sentences, sentence_of = doc_sentences(doc)
        sents = list(sentences[sentence_of[span.start] : sentence_of[span.end - 1] + 1])
        last = sents[-1]
        following = doc[last.end].sent if last.end < len(doc) else None
        options = [s for s in sents]
        # '"...." He said.' only: a long next sentence has its own content.
        if following is not None and following.start_char - end < 3 and len(following) <= 8:
            options.append(following)
        for sent in options:
            for token in cues.get(sent.start, []):
                if not (start <= token.idx < end):
                    verb = token
                    break
            if verb is not None:
                break
        if verb is not None:
            subject = _subject(verb) or _np_after(verb, ctx.view)
            cue = _cue_span(verb)
            if cue.start >= end - 1:
                end = _next_quotation_end(ctx.text, end, cue.end, ctx.quotations)
            yield _Candidate(start, end, "direct", cue, subject)
            continue
        intro = _introduction(doc, start)
        if intro is not None:
            yield _Candidate(start, end, "direct", _cue_span(intro), _subject(intro))
            continue
        signed = _DASH_SIGNATURE.match(ctx.text, end)
        name = (
            doc.char_span(signed.start(2), signed.end(), alignment_mode="expand")
            if signed
            else None
        )
        if signed and name is not None:
            dash = _span(doc, signed.start(1), signed.end(1))
            head = [t for t in name if t.pos_ == "PROPN"] or list(name)
            # The name as written: a token may hold the dash too ("-President").
            yield _Candidate(start, end, "direct", dash, head[-1], False, signed.span(2))
        else:
            yield _Candidate(start, end, "direct", None, None)


def _cue_right_before(doc: Doc, quotation: SpacySpan) -> Token | None:
    """'..., who declared in the spin room, "..."' or '..., in which he declares, "..."':
    a finite speech verb with a subject, then at most a short phrase of its own and a
    comma or colon right before the quotation, in its sentence.

    A relative clause counts here: the quotation is what its verb says. A participle
    ('his memo to employees explaining the deal, "..."') does not: its subject is a guess.
    """
    first = quotation[0]
    before = first.i - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    if before < 0 or doc[before].text not in (",", ":") or doc[before].sent != first.sent:
        return None
    cues = [
        token
        for token, info in doc_cues(doc)
        if first.sent.start <= token.i < before
        and token.pos_ == "VERB"
        and token.tag_ in _TAG_VERB_TAGS
        and info.lemma != "accord"
        and info.precision >= SPEECH_CUE_PRECISION
    ]
    if not cues:
        return None
    verb = cues[-1]
    between = doc[verb.i + 1 : before]
    if len(between) > 6 or any(t.pos_ in ("VERB", "AUX") or not _within(t, verb) for t in between):
        return None
    return verb if _subject(verb) is not None else None


def _introduction(doc: Doc, start: int) -> Token | None:
    """'Caddell continued:\n\n"..."': the verb of a paragraph ending in a colon before it.

    The quotation opens its own paragraph; the previous one ends with a colon
    and a verb with a subject ("The Times reports:", "He then said:").
    """
    text = doc_text(doc)
    para_start, _ = _paragraph_of(text, start)
    if text[para_start:start].strip() or para_start == 0:
        return None
    last = para_start - 1
    while last > 0 and text[last].isspace():
        last -= 1
    if text[last] != ":":
        return None
    colon = doc.char_span(last, last + 1, alignment_mode="expand")
    if colon is None:
        return None
    sent = colon[0].sent
    verbs = [t for t in sent if t.pos_ == "VERB" and t.i < colon[0].i and _subject(t) is not None]
    return verbs[-1] if verbs else None


_TAG_NP_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "PRON", "NUM", "PART"})
_TAG_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP"})


def _speech_tag(doc: Doc, end: int) -> tuple[Token, Token, tuple[int, int]] | None:
    """'"...," Jane Doe shot back' or '"...?" asked the senator': the tag after a quotation.

    A quotation that closes on a comma, question or exclamation mark and is
    followed, in its paragraph, by a short noun phrase and a finite verb (or
    the verb and then the noun phrase) names its speaker there, whatever the
    verb: "continued", "barked", "retaliated" are speech verbs in this place.
    """
    text = doc_text(doc)
    inner = text[max(0, end - 6) : end].rstrip("\"”'’ ")
    if not inner or inner[-1] not in ",?!":
        return None
    following = doc.char_span(end, len(text), alignment_mode="expand")
    if following is None:
        return None
    tokens = []
    for token in following[:12]:
        if "\n" in token.text:
            break
        if not token.is_space and token.idx >= end:
            tokens.append(token)
    if not tokens:
        return None
    if tokens[0].pos_ == "VERB" and tokens[0].tag_ in _TAG_VERB_TAGS:
        verb, phrase = tokens[0], []  # '"...," said the minister'
        for token in tokens[1:]:
            if token.pos_ not in _TAG_NP_POS:
                break
            phrase.append(token)
    else:
        verb, phrase, helpers = None, [], 0  # '"...," the minister said'
        for token in tokens:
            if phrase and _tag_verb(token, helpers):
                verb = token
                break
            if phrase and token.pos_ in ("AUX", "ADV") and helpers < 3 and _tag_opening(phrase[0]):
                helpers += 1  # '"...," a reporter can be heard asking', '..., he later said'
                continue
            if helpers or not _tag_word(token):
                return None
            phrase.append(token)
    heads = [t for t in phrase if t.pos_ in ("PROPN", "NOUN", "PRON") or _misread_name(t)]
    if verb is None or not heads or len(phrase) > 8:
        return None
    return verb, heads[-1], (phrase[0].idx, phrase[-1].idx + len(phrase[-1]))


def _misread_name(token: Token) -> bool:
    """'"...," Trump shot back': a capitalised base-form "verb" opening a speech tag is a name.

    A base form cannot be the finite verb of a tag, and a quotation closing on
    a comma goes on with a lower-case word unless it is a name.
    """
    return token.tag_ == "VB" and token.text[:1].isupper() and token.text[1:].islower()


def _tag_opening(token: Token) -> bool:
    """Whether a word after a quotation can open its tag rather than a new sentence:
    lower case or a name ('"...?" The election is widely expected ...' is not a tag)."""
    return not token.text[:1].isupper() or token.pos_ == "PROPN" or _misread_name(token)


def _tag_word(token: Token) -> bool:
    """A word of the speaker's noun phrase in a tag after a quotation ('the 43-year-old')."""
    return token.pos_ in _TAG_NP_POS or token.tag_ == "HYPH" or _misread_name(token)


def _tag_verb(token: Token, helpers: int) -> bool:
    """The verb of a tag after its noun phrase: finite, else after an auxiliary ('can be
    heard asking'), else a speech verb the small model reads as a participle
    ('"...?" the 43-year-old asked in ...')."""
    if token.pos_ != "VERB" or _misread_name(token):
        return False
    return (
        token.tag_ in _TAG_VERB_TAGS
        or helpers > 0
        or (token.tag_ == "VBN" and _cue_info(token) is not None)
    )


# A quotation signed after a dash, on its line or a line below: '“...” ― Jane Doe, 54,
# of Ohio', '"..."\n\n- Bernie Sanders.', '"..."\n  -President Obama, tweeting ...'.
# One to four capitalised words (a period only inside: "Marc H. Morial") that end the
# line or stop at a comma, so a dash before a new sentence ("- Then he left") is not one.
_SIGNED_WORD = r"[A-Z](?:[\w’'-]|\.(?=[\w ]))*"
_DASH_SIGNATURE = re.compile(
    r"[ \t\xa0]*(?:\n[ \t\xa0]*){0,2}((?:--|[―—–-])+)[ \t\xa0]*"
    rf"({_SIGNED_WORD}(?:[ \t]+{_SIGNED_WORD}){{0,3}})"
    r"(?=[ \t\xa0]*(?:[,;(\n]|\.?[ \t\xa0]*$|\.?\n))"
)


# A verb hung off a quote's cue, after it, that starts a second statement of the same
# speaker: '"A," she said, adding that B', 'He said A and added, "B."'.
# Only "add": other speech verbs there (noting, warning, saying) were tried on PolNeAR
# train and their second quotes' speakers were right less often than the rules' average.
_SECOND_CUES = frozenset({"add"})
_SECOND_CUE_DEPS = frozenset({"conj", "advcl", "xcomp", "dep", "parataxis", "pcomp"})
# Words that join the second cue to the first statement ('..., but added', 'before adding').
_SECOND_CUE_GLUE = frozenset({"and", "but", "before", "then", "also", "later", "while", "after"})


# Marks that open a quotation (a straight mark and "''" open as well as close).
_OPENING_MARKS = "\"“«„'"


def _join_open_paragraphs(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """One quotation over several paragraphs is one quote, cued by its closing tag.

    News style opens every paragraph of a long quotation with a mark and closes
    only the last ('"A.\n\n"B," she said.'): the paragraphs left open belong to the
    quote that the tag after the last one attributes, not to the quote before.
    """
    joined: list[_Candidate] = []
    for cand in candidates:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.rule == "bare quotation"
            and previous.cue is None
            and _opens_paragraph_quotation(text, previous)
            and not text[previous.end : cand.start].strip()
            and "\n" in text[previous.end : cand.start]
            and text[cand.start : cand.start + 1] in _OPENING_MARKS
        ):
            previous.end = cand.end
            previous.cue, previous.subject, previous.mention = cand.cue, cand.subject, cand.mention
            previous.sourceless, previous.rule, previous.key = cand.sourceless, cand.rule, cand.key
            if cand.kind != "direct":
                previous.kind = "mixed"
            continue
        joined.append(cand)
    return joined


def _opens_paragraph_quotation(text: str, cand: _Candidate) -> bool:
    """A quotation that opens with a mark and runs to its paragraph's end unclosed."""
    body = text[cand.start : cand.end].rstrip()
    return bool(body) and body[0] in _OPENING_MARKS and not _MARKS.search(body[-2:])


def _drop_trailing_glue(doc: Doc, candidates: list[_Candidate]) -> None:
    """'it was too early but' -> 'it was too early': content cut before the next cue
    keeps no dangling conjunction."""
    text = doc_text(doc)
    for cand in candidates:
        while cand.kind != "direct":
            head, _, last = text[cand.start : cand.end].rpartition(" ")
            if not head or last.lower() not in ("and", "but"):
                break
            cand.end = _trimmed(doc, cand.start, cand.start + len(head))[1]


def _kind_of(start: int, end: int, quotations: Sequence[tuple[int, int]]) -> QuoteKind:
    """A span's kind: one quotation ("direct"), some quotation in it ("mixed"), none."""
    if any(q[0] == start and q[1] == end for q in quotations):
        return "direct"
    return "mixed" if any(_overlaps(q, (start, end)) for q in quotations) else "indirect"


def _second_cue(doc: Doc, cand: _Candidate, quotations: Sequence[tuple[int, int]]) -> Token | None:
    """A second cue of the candidate's speaker inside its span, outside quotation marks."""
    if cand.cue is None:
        return None
    cue = doc.char_span(cand.cue.start, cand.cue.end, alignment_mode="expand")
    if cue is None or not len(cue):
        return None
    verb = cue.root
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        if (
            token.i <= verb.i
            or token.pos_ != "VERB"
            or token.lemma_.lower() not in _SECOND_CUES
            or _inside(token.idx, quotations)
        ):
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is None or not (
            following.lower_ == "that" or following.text in (",", ":") or following.is_quote
        ):
            continue  # "added salt" is not a statement
        node, steps = token, 0
        while node.i != verb.i and node.dep_ in _SECOND_CUE_DEPS and steps < 2:
            node, steps = node.head, steps + 1
        if node.i != verb.i and node.dep_ == "ccomp":
            node = node.head  # 'said he welcomed it and added, "..."': hung off the content
        if node.i == verb.i:
            return token
    return None


def _split_at_second_cue(
    doc: Doc, candidates: list[_Candidate], quotations: Sequence[tuple[int, int]]
) -> list[_Candidate]:
    """Split '"A," she said, adding that B' into two quotes of one speaker, A and B.

    PolNeAR (and a reader) takes the second cue's words as a statement of their
    own; the speaker is the first cue's subject.
    """
    found: list[_Candidate] = []
    for cand in candidates:
        found.append(cand)
        second = _second_cue(doc, cand, quotations)
        if second is None:
            continue
        after = second.i + 1
        while after < len(doc) and doc[after].is_punct and doc[after].text in ",:":
            after += 1
        first = second.i
        while first > 0 and (
            doc[first - 1].lower_ in _SECOND_CUE_GLUE
            or (doc[first - 1].is_punct and doc[first - 1].text in ",;")
        ):
            first -= 1
        if after >= len(doc) or first <= 0:
            continue
        start2, end1 = doc[after].idx, doc[first - 1].idx + len(doc[first - 1])
        opening = next((q for q in quotations if q[0] == cand.start), None)
        if opening is not None and cand.cue is not None and opening[1] <= cand.cue.start:
            end1 = min(end1, opening[1])  # '"A," she said, adding ...': A is the quotation
        end1 = _trimmed(doc, cand.start, end1)[1]
        if end1 - cand.start < 3 or cand.end - start2 < 3:
            continue
        following = _Candidate(
            start2,
            cand.end,
            _kind_of(start2, cand.end, quotations),
            _cue_span(second),
            cand.subject,
            cand.sourceless,
            cand.mention,
            cand.rule,
            cand.key,
        )
        cand.end = end1
        cand.kind = _kind_of(cand.start, end1, quotations)
        found.append(following)
    return found


def _extend_to_sentence_end(doc: Doc, candidates: list[_Candidate]) -> None:
    """Reported content after its cue runs to the end of the sentence.

    The small model hangs "..., but Y" and list tails off the main verb rather
    than the complement; PolNeAR's content keeps them. Stops at the next
    candidate's material (its cue, speaker or content).
    """
    for index, cand in enumerate(candidates):
        if cand.kind == "direct" or cand.cue is None or cand.cue.start > cand.start:
            continue
        if cand.rule == "mined relation":
            continue  # its content ends with what the cue governs: often a clause inside
        cue = doc.char_span(cand.cue.start, cand.cue.end, alignment_mode="expand")
        stops = _answer_start(cue.root) if cue is not None else ()
        last = doc.char_span(cand.end - 1, cand.end, alignment_mode="expand")
        if last is None:
            continue
        _, para_end = _paragraph_of(doc_text(doc), cand.start)
        limit = min(_sentence_end(last.sent), para_end)
        if index + 1 < len(candidates):
            following = candidates[index + 1]
            marks = [following.start] + ([following.cue.start] if following.cue else [])
            if following.mention:
                marks.append(following.mention[0])
            elif following.subject is not None:
                marks.append(following.subject.left_edge.idx)
            limit = min([limit] + [m for m in marks if m >= cand.end])
        limit = min([limit] + [m for m in stops if m >= cand.end])
        start, end = _trimmed(doc, cand.start, limit)
        if end > cand.end:
            cand.end = end


_SENTENCE_ENDS = frozenset(".!?\"”’')")


def _sentence_end(sent: SpacySpan) -> int:
    """Where the sentence really ends: the parser sometimes splits one without a full stop.

    "Clinton cited disparaging remarks | Trump had made about Machado.": a sentence
    that does not end in punctuation runs on into the next one.
    """
    doc = sent.doc
    tokens = doc_tokens(doc)
    while True:
        words = [t for t in tokens[sent.start : sent.end] if not t.is_space]
        if not words or words[-1].text[-1] in _SENTENCE_ENDS or sent.end >= len(doc):
            return sent.end_char
        following = doc[sent.end].sent
        if "\n" in doc_text(doc)[sent.end_char : following.start_char]:
            return sent.end_char
        sent = following


def _resolve_overlaps(candidates: list[_Candidate], view: EntityView) -> list[_Candidate]:
    """Keep non-overlapping candidates, preferring cued and longer ones.

    "According to the FT, Peter Chernin said X": a named person's speech that
    opens the "according to" content is the claim an analyst wants, so it wins.
    """

    def reports_speech(cand: _Candidate) -> bool:
        return cand.rule == "according to" and any(
            other.rule == "cue"
            and other.subject is not None
            and view.label(other.subject) == "PERSON"
            and cand.start == other.subject.left_edge.idx
            for other in candidates
        )

    quotations = doc_quotations(view.doc)

    def reported_by(cand: _Candidate) -> bool:
        """ "X said Y, according to Z.": Z's closing "according to" owns X's speech.

        Only a phrase that ends the sentence, outside a quotation or parentheses of
        its own (there it is the quoted speaker's source, or an aside).
        """
        if cand.rule != "according to" or cand.cue is None or cand.cue.start < cand.start:
            return False
        source = cand.subject
        if source is None:
            return False
        tail = view.text[source.right_edge.idx : source.sent.end_char]
        if any(ch.isalnum() for ch in tail[len(source.right_edge) :]):
            return False
        if any(q[0] < cand.cue.start < q[1] and q[0] > cand.start for q in quotations):
            return False
        before = view.text[cand.start : cand.cue.start]
        if before.count("(") > before.count(")"):
            return False
        return any(
            other.cue is not None
            and other.rule != "according to"
            and cand.start <= other.cue.start < cand.cue.start
            for other in candidates
        )

    ranked = sorted(
        candidates,
        key=lambda c: (
            c.cue is None,
            not reported_by(c),
            reports_speech(c),
            -(c.end - c.start),
        ),
    )
    kept: list[_Candidate] = []
    for cand in ranked:
        if any(_overlaps((cand.start, cand.end), (k.start, k.end)) for k in kept):
            # A nested attribution ("X said Y claims Z") stays out: PolNeAR is univocal.
            continue
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


# --- rule priority -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteRule:
    """A named rule: the view and the candidates kept so far -> new candidates."""

    name: str
    find: Callable[[_Context, Sequence[_Candidate]], Iterable[_Candidate]]


@dataclass(frozen=True, slots=True)
class RuleTier:
    """Rules that compete as equals; ``merge`` grows their candidates over quotations."""

    rules: tuple[QuoteRule, ...]
    merge: bool = False


# The policy, in one place. Tiers run in order; each tier's rules see what the
# earlier tiers kept, and overlaps resolve to the cued, then the longer
# candidate (a nested attribution stays out: PolNeAR is univocal). Later tiers
# only fill the gaps: a stance adjective only where no candidate touches the
# sentence, a poll's finding ("In a Gallup poll, ...") only where no cue spoke,
# a bare quotation only where nothing was found, a raising verb after
# them so that a quote with a speaker wins, and a mined stance relation last
# ("X backs Y", "critical of Y"): the weakest evidence fills what is left.
QUOTE_RULES: tuple[RuleTier, ...] = (
    RuleTier(
        (
            QuoteRule("cue", _cue_candidates),
            QuoteRule("declaration", _declaration_candidates),
            QuoteRule("impersonal stance", _impersonal_candidates),
            QuoteRule("according to", _according_candidates),
            QuoteRule("colon label", _colon_candidates),
        ),
        merge=True,
    ),
    RuleTier((QuoteRule("stance adjective", _adjective_candidates),)),
    RuleTier((QuoteRule("finding", _finding_candidates),)),
    RuleTier((QuoteRule("bare quotation", _quotation_candidates),)),
    RuleTier((QuoteRule("raising verb", _raising_candidates),)),
    RuleTier((QuoteRule("mined relation", _relation_candidates),)),
)


def context(view: EntityView) -> _Context:
    """What the rules read of an article: its entity view and quotation spans."""
    quotations = doc_quotations(view.doc)
    return _Context(
        view,
        tuple(quotations),
        tuple(q for q in quotations if _words(view.text[q[0] : q[1]]) >= 3),
    )


def find_candidates(view: EntityView) -> list[_Candidate]:
    """Every quote the rules find, in text order, before any speaker is resolved."""
    ctx = context(view)
    quotations = list(ctx.quotations)
    kept: list[_Candidate] = []
    for tier in QUOTE_RULES:
        found = []
        for rule in tier.rules:
            for cand in rule.find(ctx, kept):
                cand.rule = rule.name
                found.append(cand)
        if tier.merge:
            _merge_quotations(found, quotations, view.doc)
        kept = _resolve_overlaps(kept + found, view)
    _extend_to_sentence_end(view.doc, kept)
    kept = _split_at_second_cue(view.doc, kept, quotations)
    _drop_trailing_glue(view.doc, kept)
    return _join_open_paragraphs(doc_text(view.doc), kept)


def extract_quotes(doc: Doc, *, view: EntityView | None = None) -> tuple[Quote, ...]:
    """Every attributed statement in the document, with cue, speaker and role.

    ``view`` is the article's repaired entities (built here when not given).
    The rules find quotes and each quote's candidate source; the speaker path
    (mention, name, role, type) is :func:`claimscope.speakers.attribute`.
    """
    if view is None:
        view = entities.build_view(doc)
    return speakers.attribute(view, found_quotes(view))


def found_quotes(view: EntityView) -> list[speakers.Found]:
    """The rules' quotes, each with its candidate source, as the speaker path takes them."""
    return [
        speakers.Found(c.start, c.end, c.kind, c.cue, c.subject, c.mention, c.sourceless, c.rule)
        for c in find_candidates(view)
    ]
