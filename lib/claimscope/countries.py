"""Country and region mentions, resolved to ISO 3166 alpha-3 by exact table lookup.

Why exact: fuzzy or substring matching turns "Jordan Peterson", "Georgia Tech" and
"New Mexico State" into countries. Every candidate span must equal a table form
as a whole (accents, apostrophes, a leading "the" and a trailing possessive
normalised away); nothing is guessed from a part of a word.

Candidates come from two places: a token-level scan of the article for table
forms (so mentions the small spaCy model misses are still found) and spaCy's
GPE/NORP/LOC entities looked up whole. The scan looks up the text of each run
of up to nine tokens rather than using a PhraseMatcher, so that it shares one
normalisation with :func:`lookup` (accents, curly apostrophes, ALL-CAPS) and
never depends on how the tokenizer cut a table form. Overlaps go to the longest form, so
phrases in the stop table ("Washington Post", "New Mexico") shadow the country
name inside them. A form inside a PERSON or ORG entity is not a mention
("Russian Academy of Sciences", "Bank of England") unless it opens the entity
and a title or state-body word follows ("Russian Foreign Minister Sergey
Lavrov", "Russian Defence Ministry"). Names with another reading (Georgia,
Jordan, Chad, Turkey, ...) are decided from the rest of the article by the
cues in ``data/ambiguous.csv``.

Decisions the tables encode (see ``scripts/build_country_tables.py``):

- Historic names map to the main successor when news uses them for that country
  today: "Soviet Union"/"USSR" -> RUS, "Burma" -> MMR, "Persia" -> IRN, "Zaire" -> COD.
  Yugoslavia and Czechoslovakia, with no single successor, are regions.
- A bare "Congo" is the larger DR Congo (COD); "Korean" is South Korea (KOR).
- "Washington" (capital) -> USA; "Jerusalem" -> ISR, "East Jerusalem" -> PSE.
- Regions and blocs (Latin America, the Middle East, EU, NATO, BRICS, G20, ...)
  are :class:`RegionMention`s, never countries.

Tables are CSV files under ``claimscope/data/`` (GeoNames CC-BY 4.0 and
countrynames MIT, credited in each file's first line and in ``data/SOURCES.md``),
loaded once on first use.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Literal

from claimscope.records import CountryMention, CountryVia, RegionMention

if TYPE_CHECKING:  # spaCy is imported by the stages that parse, not by table lookups
    from spacy.tokens import Doc

    from claimscope.view import EntityView

# Entity labels whose inside is a name of something else, not a place mention.
_NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART"})
_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
_MAX_TOKENS = 9
_POSSESSIVE = re.compile(r"(?:'s|')$")
_POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’"})
_FIRST_WORD = re.compile(r"[\s'.\-]")

Kind = Literal["country", "region", "block"]


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """What one mention refers to: the country and how it was named."""

    iso3: str
    country: str
    via: CountryVia


@dataclass(frozen=True, slots=True)
class _Entry:
    form: str
    kind: Kind
    target: str  # iso3 for a country, the canonical name for a region, "" for a block
    via: CountryVia = "name"


@dataclass(frozen=True, slots=True)
class _Rule:
    """Context rule for a name with a non-country reading (see ``data/ambiguous.csv``)."""

    person: bool = False
    require: bool = False  # keep only with a support cue in the article
    support: tuple[str, ...] = ()
    oppose: tuple[str, ...] = ()
    next_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Tables:
    names: dict[str, str]  # iso3 -> short name
    demonyms: dict[str, str]  # iso3 -> primary demonym
    exact: dict[str, _Entry]  # folded form (case kept) -> entry
    caseless: dict[str, _Entry]  # folded, casefolded form -> entry
    first_words: frozenset[str]  # casefolded first words of every form
    max_chars: int
    rules: dict[str, _Rule]
    title_words: frozenset[str]
    us_states: frozenset[str]
    cue_patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)


def _fold(text: str) -> str:
    """Accents off, apostrophes and whitespace normalised: the key of every table."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return " ".join(text.split())


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of one data CSV; its first line is a ``#`` credit line."""
    text = resources.files("claimscope").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    yield from csv.DictReader(lines)


@functools.cache
def _tables() -> _Tables:
    """Load every table once per process (lazily, on first use)."""
    names: dict[str, str] = {}
    entries: list[_Entry] = []
    for row in _rows("countries.csv"):
        names[row["iso3"]] = row["name"]
    demonyms: dict[str, str] = {}
    # Precedence on a shared form: names and aliases, then demonyms, then cities,
    # then regions; stop phrases override everything (added last).
    for row in _rows("country_aliases.csv"):
        via = "alias" if row["via"] == "alias" else "name"
        entries.append(_Entry(row["form"], "country", row["iso3"], via))
    for row in _rows("demonyms.csv"):
        entries.append(_Entry(row["form"], "country", row["iso3"], "demonym"))
        if row["primary"] == "1":
            demonyms.setdefault(row["iso3"], row["form"])
    for row in _rows("cities.csv"):
        via = "capital" if row["capital"] == "1" else "city"
        entries.append(_Entry(row["city"], "country", row["iso3"], via))
    for row in _rows("regions.csv"):
        entries.append(_Entry(row["form"], "region", row["region"]))
    blocks = [_Entry(row["phrase"], "block", "") for row in _rows("not_countries.csv")]

    exact: dict[str, _Entry] = {}
    caseless: dict[str, _Entry] = {}
    for entry in entries:
        if entry.kind == "country" and entry.target not in names:
            continue
        key = _fold(entry.form)
        exact.setdefault(key, entry)
        caseless.setdefault(key.casefold(), entry)
    for entry in blocks:
        key = _fold(entry.form)
        exact[key] = entry
        caseless[key.casefold()] = entry

    raw: dict[str, dict[str, list[str]]] = {}
    for row in _rows("ambiguous.csv"):
        raw.setdefault(row["name"], {}).setdefault(row["rule"], []).append(row["value"])
    rules = {
        name: _Rule(
            person="person" in parts,
            require="require" in parts,
            support=tuple(parts.get("support", ())),
            oppose=tuple(parts.get("oppose", ())),
            next_words=frozenset(w.casefold() for w in parts.get("next", ())),
        )
        for name, parts in raw.items()
    }
    return _Tables(
        names=names,
        demonyms=demonyms,
        exact=exact,
        caseless=caseless,
        # A scan starts only at tokens that can open a form (both splits, since
        # spaCy cuts "People's" but keeps "U.S." whole).
        first_words=frozenset(
            word for key in caseless for word in (key.split(" ")[0], _FIRST_WORD.split(key)[0])
        ),
        max_chars=max(len(key) for key in exact),
        rules=rules,
        title_words=frozenset(row["word"].casefold() for row in _rows("title_words.csv")),
        us_states=frozenset(row["form"] for row in _rows("us_states.csv")),
    )


def _find(text: str) -> _Entry | None:
    """The table entry a whole string names, respecting case.

    Exact (folded) first. A different case is accepted only for ALL-CAPS text
    ("RUSSIA", a headline or dateline) or a multi-word form ("Republic Of
    Korea"), so that "turkey", "china" and "Us" never become countries.
    """
    tables = _tables()
    key = _fold(text)
    entry = tables.exact.get(key)
    if entry is not None:
        return entry
    entry = tables.caseless.get(key.casefold())
    if entry is None:
        return None
    letters = [ch for ch in key if ch.isalpha()]
    if not letters or not letters[0].isupper():
        return None
    if key.isupper() and len(letters) >= 3:
        return entry
    # "The States" at a sentence start, "Republic Of Korea" in a title; but not
    # "The west of the country" for "the West".
    if " " in key and _capitals(key) == _capitals(_fold(entry.form)):
        return entry
    return None


def _capitals(text: str) -> list[bool]:
    """Whether each word after the first starts with a capital ("of", "and" aside)."""
    small = {"of", "the", "and", "de", "da", "la", "du", "es"}
    words = text.split(" ")[1:]
    return [word[:1].isupper() for word in words if word.casefold() not in small]


def _variants(text: str) -> Iterator[str]:
    """The string, then without possessive, full stop or a leading "the", in that order."""
    text = _fold(text).strip(' \t"“”()[],;:')
    bare = _POSSESSIVE.sub("", text)
    for form in (text, bare, bare.rstrip(".")):
        yield form
        if form[:4].casefold() == "the ":
            yield form[4:]


@functools.lru_cache(maxsize=65536)
def _lookup_entry(text: str) -> _Entry | None:
    for form in _variants(text):
        entry = _find(form) if form else None
        if entry is not None:
            return entry
    return None


@functools.lru_cache(maxsize=65536)
def lookup(text: str) -> CountryMatch | None:
    """The country one whole mention names, or None (cached; no context used).

    "Russia", "Russia's", "the Netherlands", "Bogotá", "U.S.", "Russians" resolve;
    "Jordan Peterson", "Georgia Tech", "turkey", "Washington Post" and regions do
    not. A name with another reading resolves to the country here ("Georgia" ->
    GEO); :func:`find_countries` decides such names from the article.
    """
    entry = _lookup_entry(text)
    if entry is None or entry.kind != "country":
        return None
    return CountryMatch(entry.target, _tables().names[entry.target], entry.via)


def lookup_region(text: str) -> str | None:
    """The canonical region or bloc one whole mention names ("EU" -> "European Union")."""
    entry = _lookup_entry(text)
    return entry.target if entry is not None and entry.kind == "region" else None


def demonym(iso3: str) -> str | None:
    """The usual adjective for a country: "RUS" -> "Russian"."""
    return _tables().demonyms.get(iso3)


def country_name(iso3: str) -> str | None:
    """The short English name of a country: "USA" -> "United States"."""
    return _tables().names.get(iso3)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # token indices, end-exclusive
    end: int
    entry: _Entry

    @property
    def weight(self) -> int:
        """Tokens that carry the name: a leading "the" does not count."""
        return self.end - self.start


def _scan(doc: Doc, text: str) -> list[_Candidate]:
    """Every table form in the text, longest first at each start token."""
    tables = _tables()
    starts = [token.idx for token in doc]
    ends = [token.idx + len(token) for token in doc]
    skippable = [
        token.is_space or (token.is_punct and token.text != ".") for token in doc
    ]  # a form never ends on these; "." stays for "U.S." and "D.C."
    found = []
    for i, token in enumerate(doc):
        if _fold(token.text).casefold() not in tables.first_words:
            continue
        if i and doc[i - 1].text == "." and not doc[i - 1].whitespace_:
            continue  # a file name or address ("Bagle.AU"), not a mention
        for end in range(min(len(doc), i + _MAX_TOKENS), i, -1):
            if skippable[end - 1] or ends[end - 1] - starts[i] > tables.max_chars + 2:
                continue
            candidate = text[starts[i] : ends[end - 1]]
            if "\n\n" in candidate:  # a form never runs across paragraphs
                continue
            entry = _find(candidate)
            if entry is not None:
                found.append(_Candidate(i, end, entry))
                break
    return found


def _from_entities(doc: Doc, view: EntityView) -> list[_Candidate]:
    """Place entities whose whole text (minus "the" and possessive) is in a table."""
    found = []
    for ent in view:
        if ent.label not in _PLACE_LABELS:
            continue
        start, end = ent.start, ent.end
        if doc[start].lower_ == "the" and end - start > 1:
            start += 1
        while end - start > 1 and (
            doc[end - 1].is_space or doc[end - 1].lower_ in _POSSESSIVE_TOKENS
        ):
            end -= 1
        entry = _lookup_entry(doc[start:end].text)
        if entry is not None:
            found.append(_Candidate(start, end, entry))
    return found


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (so "West Bank" beats "The West")."""
    ordered = sorted(
        candidates,
        key=lambda c: (-(c.end - c.start - (c.entry.form[:4].casefold() == "the ")), c.start),
    )
    taken: list[_Candidate] = []
    used: set[int] = set()
    for cand in ordered:
        tokens = set(range(cand.start, cand.end))
        if tokens & used:
            continue
        used |= tokens
        taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


def _inside_name(doc: Doc, text: str, cand: _Candidate, view: EntityView) -> bool:
    """True when the candidate is part of a person's or organisation's name.

    Allowed inside a name: a form that opens the entity and is followed by a
    title or state-body word ("Russian Foreign Minister ..."), and a demonym
    opening a PERSON entity ("Russian Sergey Lavrov", a common small-model slip).
    A form that runs past the entity's end ("Hashemite Kingdom" + "of Jordan")
    is trusted over the entity.
    """
    ent = view.at(cand.start)
    if ent is None or ent.label not in _NAME_LABELS or cand.end > ent.end:
        return False
    ent_start, ent_end = ent.start, ent.end
    if doc[ent_start].lower_ == "the" and ent_end - ent_start > 1:
        ent_start += 1
    while ent_end - ent_start > 1 and doc[ent_end - 1].lower_ in _POSSESSIVE_TOKENS:
        ent_end -= 1
    if ent_start == cand.start and ent_end == cand.end:
        # The whole entity is the form: a mislabelled place, unless the name is
        # also a person's name ("Jordan" tagged PERSON) and the article gives no
        # sign of the country.
        rule = _tables().rules.get(cand.entry.form)
        if ent.label != "PERSON" or rule is None or not rule.person:
            return False
        support = _cue_count(text, rule.support)
        return support == 0 or support < _cue_count(text, rule.oppose)
    if ent_start != cand.start:
        return True
    nxt = cand.end
    while nxt < ent_end and doc[nxt].lower_ in _POSSESSIVE_TOKENS:
        nxt += 1
    if nxt < ent_end and doc[nxt].lower_ in _tables().title_words:
        return False
    return not (ent.label == "PERSON" and cand.entry.via == "demonym")


def _looks_like_person(doc: Doc, cand: _Candidate) -> bool:
    """A capitalised name token right before or after: "Michael Jordan", "Chad Smith"."""
    tables = _tables()

    def is_name(index: int) -> bool:
        if not 0 <= index < len(doc):
            return False
        token = doc[index]
        return (
            token.pos_ == "PROPN"
            and token.text[:1].isupper()
            and not token.is_sent_start
            and token.lower_ not in tables.title_words
            and _find(token.text) is None
        )

    before = cand.start - 1
    return (is_name(cand.end) and not doc[cand.end].is_sent_start) or (
        is_name(before) and not doc[cand.start].is_sent_start
    )


@functools.lru_cache(maxsize=64)  # one article's mentions share the count
def _cue_count(text: str, cues: tuple[str, ...]) -> int:
    """How many of the cues occur in the text as whole words (case-sensitive)."""
    tables = _tables()
    total = 0
    for cue in cues:
        pattern = tables.cue_patterns.get(cue)
        if pattern is None:
            pattern = re.compile(rf"(?<!\w){re.escape(cue)}(?!\w)")
            tables.cue_patterns[cue] = pattern
        total += pattern.search(text) is not None
    return total


def _ambiguity_rejects(doc: Doc, text: str, cand: _Candidate) -> bool:
    """True when the article's context says the name is not the country here."""
    rule = _tables().rules.get(cand.entry.form)
    if rule is None:
        return False
    if rule.person and _looks_like_person(doc, cand):
        return True
    if cand.end < len(doc) and doc[cand.end].lower_ in rule.next_words:
        return True
    if rule.support or rule.oppose:
        support = _cue_count(text, rule.support)
        if rule.require and support == 0:
            return True
        return _cue_count(text, rule.oppose) > support
    return False


def _opens_longer_name(doc: Doc, cand: _Candidate) -> bool:
    """A "the ..." form followed by a capitalised word: "the West Midlands", "the West End"."""
    if cand.entry.form[:4].casefold() != "the " or cand.end >= len(doc):
        return False
    after = doc[cand.end]
    return after.is_alpha and after.text[:1].isupper() and not after.is_sent_start


def _names_us_town(doc: Doc, cand: _Candidate) -> bool:
    """A place followed by a US state: "Alexandria, Va.", "St. Petersburg, Fla."."""
    after = cand.end
    if cand.entry.target == "USA" or after + 1 >= len(doc) or doc[after].text != ",":
        return False
    states = _tables().us_states
    return doc[after + 1].text in states or doc[after + 1 : after + 3].text in states


def _is_language(doc: Doc, cand: _Candidate) -> bool:
    """A demonym used as a language name: "said in Russian", "translated from French"."""
    if cand.entry.via != "demonym" or cand.end - cand.start != 1:
        return False
    token = doc[cand.start]
    return token.dep_ == "pobj" and token.head.lower_ in {"in", "from", "into"}


def find_countries(
    doc: Doc, *, skip: tuple[tuple[int, int], ...] = (), view: EntityView | None = None
) -> tuple[tuple[CountryMention, ...], tuple[RegionMention, ...]]:
    """Every country and region mention in a parsed article, in text order.

    ``skip`` holds character spans (the wire dateline) that are metadata, not
    mentions: a candidate overlapping one is dropped. ``view`` is the article's
    repaired entities (built here when not given).
    """
    if view is None:
        from claimscope.entities import build_view  # the entity stage reads country tables

        view = build_view(doc, skip=skip)
    tables = _tables()
    text = view.text
    scanned = _scan(doc, text)
    covered = {i for c in scanned for i in range(c.start, c.end)}
    extra = [
        c for c in _from_entities(doc, view) if not covered.intersection(range(c.start, c.end))
    ]

    countries: list[CountryMention] = []
    regions: list[RegionMention] = []
    for cand in _resolve(scanned + extra):
        entry = cand.entry
        if entry.kind == "block":
            continue
        begin = doc[cand.start].idx
        finish = doc[cand.end - 1].idx + len(doc[cand.end - 1].text)
        if any(begin < s_end and s_start < finish for s_start, s_end in skip):
            continue
        if _inside_name(doc, text, cand, view) or _opens_longer_name(doc, cand):
            continue
        if entry.kind == "region":
            regions.append(RegionMention(begin, finish, text[begin:finish], entry.target))
            continue
        if (
            _ambiguity_rejects(doc, text, cand)
            or _is_language(doc, cand)
            or _names_us_town(doc, cand)
        ):
            continue
        countries.append(
            CountryMention(
                begin,
                finish,
                text[begin:finish],
                entry.target,
                tables.names[entry.target],
                entry.via,
            )
        )
    return tuple(countries), tuple(regions)
