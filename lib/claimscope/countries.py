"""Country and region mentions, resolved to ISO 3166 alpha-3 by exact table lookup.

Why exact: fuzzy or substring matching turns "Jordan Peterson", "Georgia Tech" and
"New Mexico State" into countries. Every candidate span must equal a table form
as a whole (accents, apostrophes, a leading "the" and a trailing possessive
normalised away); nothing is guessed from a part of a word, except the first
part of a hyphenated word that the tokenizer keeps whole ("U.S.-led").

Candidates come from three places: a token-level scan of the article for table
forms (so mentions the small spaCy model misses are still found), spaCy's
GPE/NORP/LOC entities looked up whole, and towns (``data/towns.csv``, GeoNames
places of 15,000 people or more) where the article shows they are places: a
GPE label, a preposition of place ("in", "near", "from"), or a qualifier
("Paris, Texas", "London, Ont.", "Edmonton, north London"). The scan looks up
the text of each run of up to nine tokens rather than using a PhraseMatcher, so
that it shares one normalisation with :func:`lookup` (accents, curly
apostrophes, ALL-CAPS) and never depends on how the tokenizer cut a table form.
Overlaps go to the longest form, so phrases in the stop table ("Washington
Post", "New Mexico") and divisions ("Western Australia") shadow the country
name inside them.

A place name with several readings (Paris in France or Texas, London in England
or Ontario, Edmonton in Alberta or north London, Palestine the territory or the
Texas town) is decided once per article from the article's own evidence, in
this order: a qualifier next to a mention, the dateline, the states, provinces
and towns the article names, then the other countries it names; the famous
place (a capital, the biggest town) when nothing says otherwise.

A form inside a PERSON or ORG entity is not a mention ("Russian Academy of
Sciences", "Bank of England") unless a title or state-body word follows it
("Russian Foreign Minister Sergey Lavrov", "the U.S. Department of Justice"):
that is the ``org_names`` setting's default, ``"state"`` (see
:func:`org_names_setting`). Names with another reading (Georgia, Jordan, Chad,
Turkey, Iceland, ...) are decided from the rest of the article by the cues in
``data/ambiguous.csv`` and, for people, by how the sentence uses them ("Georgia
began skating at four", "Sydney Brooks, 34").

Decisions the tables encode (see ``scripts/build_country_tables.py``):

- Historic names map to the main successor when news uses them for that country
  today: "Soviet Union"/"USSR" -> RUS, "Burma" -> MMR, "Persia" -> IRN, "Zaire" -> COD.
  Yugoslavia and Czechoslovakia, with no single successor, are regions.
- A bare "Congo" is the larger DR Congo (COD); "Korean" is South Korea (KOR).
- "Washington" (capital) -> USA; "Jerusalem" -> ISR, "East Jerusalem" -> PSE.
- Regions and blocs (Latin America, the Middle East, EU, NATO, BRICS, G20, ...)
  are :class:`RegionMention`s, never countries. States, provinces and counties
  (Texas, Ontario, Surrey) are evidence for towns, never mentions themselves.

Tables are CSV files under ``claimscope/data/`` (GeoNames CC-BY 4.0 and
countrynames MIT, credited in each file's first line and in ``data/SOURCES.md``),
loaded once on first use.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, get_args

from claimscope.records import CountryMention, CountryVia, RegionMention
from claimscope.view import doc_tokens

if TYPE_CHECKING:  # spaCy is imported by the stages that parse, not by table lookups
    from spacy.tokens import Doc

    from claimscope.view import EntityView

# Entity labels whose inside is a name of something else, not a place mention.
_NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART"})
_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
_MAX_TOKENS = 9
_MAX_TOWN_TOKENS = 4
_POSSESSIVE = re.compile(r"(?:'s|')$")
_POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’"})
_FIRST_WORD = re.compile(r"[\s'.\-]")
_HYPHENS = ("-", "\u2010", "\u2011")
_HAS_HYPHEN = re.compile("[" + "".join(_HYPHENS) + "]").search
# Words before a town that say it is a place: "in Leicester", "near Ashford".
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "near", "from", "outside", "to", "around", "across", "toward", "towards",
     "into", "via", "between", "through", "throughout", "inside", "within", "of"}
)  # fmt: skip
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
     "north-west", "north-east", "south-west", "south-east", "northwest", "northeast",
     "southwest", "southeast", "central", "suburban", "rural", "greater"}
)  # fmt: skip
# A capital or a city this big keeps its famous reading unless a division the
# article names, or two of its towns, say otherwise.
_FAMOUS_POPULATION = 1_000_000

Kind = Literal["country", "region", "block", "town"]
OrgNames = Literal["state", "all", "none"]
ORG_NAMES_ENV_VAR = "CLAIMSCOPE_ORG_COUNTRIES"
DEFAULT_ORG_NAMES: OrgNames = "state"


def org_names_setting(explicit: str | None = None) -> OrgNames:
    """Whether a country's name inside an organisation's name is a mention of it.

    ``"state"`` (the default): only where it names that country's state, a title
    or state-body word following it ("Russian Foreign Ministry", "the U.S.
    Department of Justice", "Lesotho government"): an analyst counting countries
    reads these as the country acting, while a company, bank, university or team
    named after a country ("Air Zimbabwe", "Bank of England", "Russian Academy
    of Sciences") is about that organisation and would inflate the country's
    count wherever the organisation is news. ``"all"``: every such name counts
    ("Air Zimbabwe" -> ZWE). ``"none"``: none does, not even a ministry.
    A person's name never counts ("Jordan Peterson").

    The explicit value wins, then ``$CLAIMSCOPE_ORG_COUNTRIES``, then the default.
    """
    value = explicit or os.environ.get(ORG_NAMES_ENV_VAR) or DEFAULT_ORG_NAMES
    allowed = get_args(OrgNames)
    if value not in allowed:
        raise ValueError(
            f"org_names {value!r} (from {ORG_NAMES_ENV_VAR} or the caller) is not one of "
            f"{', '.join(allowed)}: 'state' counts a country only in its state bodies' names, "
            "'all' in every organisation's name, 'none' in none"
        )
    return value  # type: ignore[return-value]


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
class _Town:
    """One reading of a place name: a town in a country's first-level division."""

    iso3: str
    admin1: str
    population: int


@dataclass(frozen=True, slots=True)
class _Area:
    """A state, province or county: evidence for towns, never a mention itself."""

    iso3: str
    admin1: str
    kind: str  # name | abbr | postal | county


@dataclass(frozen=True, slots=True)
class _Rule:
    """Context rule for a name with a non-country reading (see ``data/ambiguous.csv``).

    Cues are compiled when the tables load: whole words, case-sensitive.
    """

    person: bool = False
    require: bool = False  # keep only with a support cue in the article
    support: tuple[re.Pattern[str], ...] = ()
    oppose: tuple[re.Pattern[str], ...] = ()
    company: tuple[re.Pattern[str], ...] = ()  # cues that the name is a company here
    next_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Tables:
    names: Mapping[str, str]  # iso3 -> short name
    demonyms: Mapping[str, str]  # iso3 -> primary demonym
    exact: Mapping[str, _Entry]  # folded form (case kept) -> entry
    caseless: Mapping[str, _Entry]  # folded, casefolded form -> entry
    first_words: frozenset[str]  # casefolded first words of every form
    max_chars: int
    rules: Mapping[str, _Rule]
    title_words: frozenset[str]  # casefolded; some are two words ("state department")
    towns: Mapping[str, tuple[_Town, ...]]  # folded name -> readings, biggest first
    town_first_words: frozenset[str]
    areas: Mapping[str, _Area]  # folded form -> division
    area_first_words: frozenset[str]
    person_verbs: frozenset[str]
    team_words: tuple[tuple[str, re.Pattern[str]], ...]  # (its first word, the whole cue)


def _fold(text: str) -> str:
    """Accents off, apostrophes and whitespace normalised: the key of every table."""
    if text.isalnum() and text.isascii():  # most words: nothing to change
        return text
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return " ".join(text.split())


def _data(name: str) -> list[str]:
    """Lines of one data file without its ``#`` credit and comment lines."""
    text = resources.files("claimscope").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of one data CSV; its first line is a ``#`` credit line."""
    yield from csv.DictReader(_data(name))


_WORD = re.compile(r"\w+")


def _cue(cue: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(cue)}(?!\w)")


def _first_words(keys: Iterator[str] | list[str]) -> frozenset[str]:
    # A scan starts only at tokens that can open a form (both splits, since
    # spaCy cuts "People's" but keeps "U.S." whole).
    return frozenset(
        word for key in keys for word in (key.split(" ")[0], _FIRST_WORD.split(key)[0])
    )


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
            support=tuple(_cue(c) for c in parts.get("support", ())),
            oppose=tuple(_cue(c) for c in parts.get("oppose", ())),
            company=tuple(_cue(c) for c in parts.get("company", ())),
            next_words=frozenset(w.casefold() for w in parts.get("next", ())),
        )
        for name, parts in raw.items()
    }

    towns: dict[str, list[_Town]] = {}
    rows = csv.reader(_data("towns.csv"))  # 34,000 rows: plain reader, fold only non-ASCII
    next(rows)
    for name, iso3, admin1, population in rows:
        key = name if name.isascii() else _fold(name)
        towns.setdefault(key, []).append(_Town(iso3, admin1, int(population)))
    areas = {
        _fold(row["form"]): _Area(row["iso3"], row["admin1"], row["kind"])
        for row in _rows("admin_areas.csv")
    }
    return _Tables(
        names=MappingProxyType(names),
        demonyms=MappingProxyType(demonyms),
        exact=MappingProxyType(exact),
        caseless=MappingProxyType(caseless),
        first_words=_first_words(list(caseless)),
        max_chars=max(len(key) for key in exact),
        rules=MappingProxyType(rules),
        title_words=frozenset(row["word"].casefold() for row in _rows("title_words.csv")),
        towns=MappingProxyType(
            {
                key: tuple(sorted(readings, key=lambda t: -t.population))
                for key, readings in towns.items()
            }
        ),
        town_first_words=frozenset(key.split(" ")[0] for key in towns),
        areas=MappingProxyType(areas),
        area_first_words=frozenset(key.split(" ")[0] for key in areas),
        person_verbs=frozenset(_data("person_verbs.txt")),
        team_words=tuple((_WORD.findall(word)[0], _cue(word)) for word in _data("team_words.txt")),
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
    begin: int  # character offsets: a part of a token for "U.S.-led"
    finish: int

    @property
    def weight(self) -> int:
        """Tokens that carry the name: a leading "the" does not count."""
        return self.end - self.start - (self.entry.form[:4].casefold() == "the ")


def _candidate(doc: Doc, start: int, end: int, entry: _Entry) -> _Candidate:
    last = doc_tokens(doc)[end - 1]
    return _Candidate(start, end, entry, doc_tokens(doc)[start].idx, last.idx + len(last.text))


def _runs(doc: Doc, text: str, i: int, max_tokens: int) -> Iterator[tuple[int, str]]:
    """(end token, text) of the runs of tokens opening at ``i``, longest first.

    A run never ends on a space or punctuation other than "." and never crosses
    a paragraph; a "." glued after the last token joins it ("Ont" + "." -> "Ont.").
    """
    tokens = doc_tokens(doc)
    begin = tokens[i].idx
    for end in range(min(len(tokens), i + max_tokens), i, -1):
        last = tokens[end - 1]
        if last.is_space or (last.is_punct and last.text != "."):
            continue
        finish = last.idx + len(last.text)
        run = text[begin:finish]
        if "\n" in run:
            continue
        if end < len(tokens) and tokens[end].text == "." and tokens[end].idx == finish:
            yield end + 1, run + "."
        yield end, run


def _scan(doc: Doc, text: str) -> list[_Candidate]:
    """Every table form in the text, longest first at each start token."""
    tables = _tables()
    found = []
    tokens = doc_tokens(doc)
    for i, token in enumerate(tokens):
        folded = _fold(token.text)
        if folded.casefold() not in tables.first_words:
            if _HAS_HYPHEN(folded):
                found += _hyphen_parts(token)
            continue
        if i and tokens[i - 1].text == "." and not tokens[i - 1].whitespace_:
            continue  # a file name or address ("Bagle.AU"), not a mention
        for end, run in _runs(doc, text, i, _MAX_TOKENS):
            if (
                len(run) > tables.max_chars + 2
                or run.endswith(".")
                and end > i + 1
                and (doc_tokens(doc)[end - 1].text == ".")
            ):
                continue
            entry = _find(run)
            if entry is not None:
                found.append(_candidate(doc, i, end, entry))
                break
        else:
            if _HAS_HYPHEN(folded):
                found += _hyphen_parts(token)
    return found


def _hyphen_parts(token) -> list[_Candidate]:  # noqa: ANN001 - a spaCy Token
    """Forms the tokenizer kept inside one hyphenated word: "U.S.-led", "U.S.-China".

    The part must be a whole table form, and the rest of the word a lower-case
    word ("led", "backed", "style") or another form.
    """
    text = token.text
    parts = re.split(r"([\-\u2010\u2011])", text)
    words = parts[::2]
    if len(words) < 2 or not all(words):
        return []
    entries = [_find(word) for word in words]
    if not any(e is not None and e.kind in ("country", "region") for e in entries):
        return []
    if not all(e is not None or word.islower() for word, e in zip(words, entries, strict=True)):
        return []
    found = []
    offset = token.idx
    for word, entry in zip(words, entries, strict=True):
        if entry is not None and entry.kind in ("country", "region"):
            found.append(_Candidate(token.i, token.i + 1, entry, offset, offset + len(word)))
        offset += len(word) + 1
    return found


def _from_entities(doc: Doc, view: EntityView) -> list[_Candidate]:
    """Place entities whose whole text (minus "the" and possessive) is in a table."""
    found = []
    for ent in view:
        if ent.label not in _PLACE_LABELS:
            continue
        start, end = ent.start, ent.end
        if doc_tokens(doc)[start].lower_ == "the" and end - start > 1:
            start += 1
        while end - start > 1 and (
            doc_tokens(doc)[end - 1].is_space
            or doc_tokens(doc)[end - 1].lower_ in _POSSESSIVE_TOKENS
        ):
            end -= 1
        entry = _lookup_entry(doc[start:end].text)
        if entry is not None:
            found.append(_candidate(doc, start, end, entry))
    return found


def _scan_towns(doc: Doc, text: str, covered: set[int]) -> list[_Candidate]:
    """Town names (``data/towns.csv``) the table scan did not cover, longest first.

    Only candidates: :func:`_town_shown` decides from the sentence whether each
    is a place.
    """
    tables = _tables()
    found = []
    tokens = doc_tokens(doc)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            i in covered
            or not token.text[:1].isupper()
            or _fold(token.text) not in tables.town_first_words
        ):
            i += 1
            continue
        for end, run in _runs(doc, text, i, _MAX_TOWN_TOKENS):
            if covered.intersection(range(i, end)) or doc_tokens(doc)[end - 1].text == ".":
                continue
            key = _fold(run)
            if key in tables.towns and key not in tables.areas:  # "Essex" is the county
                found.append(_candidate(doc, i, end, _Entry(key, "town", "", "city")))
                i = end - 1
                break
        i += 1
    return found


def _scan_areas(doc: Doc, text: str) -> list[tuple[int, int, _Area]]:
    """States, provinces and counties named in the text: (start, end token, area)."""
    tables = _tables()
    found = []
    for i, token in enumerate(doc_tokens(doc)):
        if not token.text[:1].isupper() or _fold(token.text) not in tables.area_first_words:
            continue
        for end, run in _runs(doc, text, i, 4):
            area = tables.areas.get(_fold(run))
            if area is not None and area.kind != "postal":
                found.append((i, end, area))
                break
    return found


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (so "West Bank" beats "The West")."""
    ordered = sorted(candidates, key=lambda c: (-c.weight, -(c.finish - c.begin), c.begin))
    taken: list[_Candidate] = []
    used: dict[int, list[tuple[int, int]]] = {}
    for cand in ordered:
        tokens = range(cand.start, cand.end)
        if any(
            cand.begin < finish and begin < cand.finish
            for i in tokens
            for begin, finish in used.get(i, ())
        ):
            continue
        for i in tokens:
            used.setdefault(i, []).append((cand.begin, cand.finish))
        taken.append(cand)
    return sorted(taken, key=lambda c: c.begin)


def _title_follows(doc: Doc, i: int) -> bool:
    """A title or state-body word at token ``i`` (after a possessive): "Foreign Ministry"."""
    titles = _tables().title_words
    while i < len(doc) and doc_tokens(doc)[i].lower_ in _POSSESSIVE_TOKENS:
        i += 1
    if i >= len(doc):
        return False
    two = f"{doc_tokens(doc)[i].lower_} {doc_tokens(doc)[i + 1].lower_}" if i + 1 < len(doc) else ""
    return doc_tokens(doc)[i].lower_ in titles or two in titles


def _title_before(doc: Doc, cand: _Candidate, ent_start: int) -> bool:
    """A title word and "of" before the form, inside the name: "the Embassy of Ukraine"."""
    i = cand.start - 1
    if i - 1 < ent_start or doc_tokens(doc)[i].lower_ != "of":
        return False
    return doc_tokens(doc)[i - 1].lower_ in _tables().title_words


def _inside_name(
    doc: Doc, text: str, cand: _Candidate, view: EntityView, org_names: OrgNames
) -> bool:
    """True when the candidate is part of a person's or organisation's name.

    Allowed inside a name, whatever the setting: the whole entity being the form
    (a mislabelled place), and a demonym opening a PERSON entity ("Russian Sergey
    Lavrov", a common small-model slip). A form opening the name or following a
    title, with a title or state-body word after it ("Russian Foreign Minister
    ...", "Assistant US Attorney", "the U.S. Department of Justice"), counts in a
    person's name, and in an organisation's name unless ``org_names`` is "none",
    as does "Embassy of" before it in an organisation's name; with "all", every
    organisation's name counts. A form that runs past the entity's end
    ("Hashemite Kingdom" + "of Jordan") is trusted over the entity.
    """
    ent = view.at(cand.start)
    if ent is None or ent.label not in _NAME_LABELS or cand.end > ent.end:
        return False
    ent_start, ent_end = ent.start, ent.end
    if doc_tokens(doc)[ent_start].lower_ == "the" and ent_end - ent_start > 1:
        ent_start += 1
    while ent_end - ent_start > 1 and doc_tokens(doc)[ent_end - 1].lower_ in _POSSESSIVE_TOKENS:
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
    if ent.label != "PERSON":
        if org_names == "all":
            return False
        if org_names == "none":
            return True
    in_titles = (
        cand.start == ent_start or doc_tokens(doc)[cand.start - 1].lower_ in _tables().title_words
    )
    if (in_titles and _title_follows(doc, cand.end)) or (
        ent.label not in {"PERSON", "WORK_OF_ART"} and _title_before(doc, cand, ent_start)
    ):
        return False
    return not (ent.label == "PERSON" and cand.entry.via == "demonym" and ent_start == cand.start)


def _looks_like_person(doc: Doc, cand: _Candidate) -> bool:
    """A capitalised name token right before or after: "Michael Jordan", "Chad Smith"."""
    tables = _tables()

    def is_name(index: int) -> bool:
        if not 0 <= index < len(doc):
            return False
        token = doc_tokens(doc)[index]
        return (
            token.pos_ == "PROPN"
            and token.text[:1].isupper()
            and not token.is_sent_start
            and token.lower_ not in tables.title_words
            and _find(token.text) is None
        )

    before = cand.start - 1
    return (is_name(cand.end) and not doc_tokens(doc)[cand.end].is_sent_start) or (
        is_name(before) and not doc_tokens(doc)[cand.start].is_sent_start
    )


def _used_as_person(doc: Doc, view: EntityView, text: str, cand: _Candidate, rule: _Rule) -> bool:
    """The sentence or the article says this name is a person's here.

    "Michael Jordan" (a name next to it), "Georgia, 17," (an age), "Georgia began
    skating" (the subject of a verb only people do, ``data/person_verbs.txt``),
    or a one-word mention in an article about a person of that first name
    ("Georgia Bryce ... Georgia said") with no sign of the country.
    """
    if _looks_like_person(doc, cand):
        return True
    after = cand.end
    if (
        after + 2 < len(doc)
        and doc_tokens(doc)[after].text == ","
        and doc_tokens(doc)[after + 1].like_num
        and doc_tokens(doc)[after + 2].text in {",", ")"}
    ):
        return True
    token = doc_tokens(doc)[cand.end - 1]
    verbs = _tables().person_verbs
    if token.dep_ in {"nsubj", "nsubjpass"} and (
        token.head.lemma_ in verbs
        or any(c.dep_ == "xcomp" and c.lemma_ in verbs for c in token.head.children)
    ):
        return True
    if cand.end - cand.start != 1 or _cue_count(text, rule.support):
        return False
    name = doc_tokens(doc)[cand.start].text
    return any(
        ent.label == "PERSON"
        and ent.end - ent.start >= 2
        and doc_tokens(doc)[ent.start].text == name
        for ent in view
    )


@functools.lru_cache(maxsize=256)  # one article's mentions share the count
def _cue_count(text: str, cues: tuple[re.Pattern[str], ...]) -> int:
    """How many of the cues occur in the text as whole words (case-sensitive)."""
    return sum(cue.search(text) is not None for cue in cues)


def _ambiguity_rejects(doc: Doc, view: EntityView, text: str, cand: _Candidate) -> bool:
    """True when the article's context says the name is not the country here."""
    rule = _tables().rules.get(cand.entry.form)
    if rule is None:
        return False
    if rule.person and _used_as_person(doc, view, text, cand, rule):
        return True
    if cand.end < len(doc) and doc_tokens(doc)[cand.end].lower_ in rule.next_words:
        return True
    support = _cue_count(text, rule.support)
    if rule.company and _cue_count(text, rule.company) > support:
        return True  # "Iceland has released ... the supermarket said"
    if rule.support or rule.oppose:
        if rule.require and support == 0:
            return True
        return _cue_count(text, rule.oppose) > support
    return False


def _opens_longer_name(doc: Doc, cand: _Candidate) -> bool:
    """A "the ..." form followed by a capitalised word: "the West Midlands", "the West End"."""
    if cand.entry.form[:4].casefold() != "the " or cand.end >= len(doc):
        return False
    after = doc_tokens(doc)[cand.end]
    return after.is_alpha and after.text[:1].isupper() and not after.is_sent_start


def _is_language(doc: Doc, view: EntityView, cand: _Candidate) -> bool:
    """A demonym used as a language name: "said in Russian", "in English and Russian"."""
    if cand.entry.via != "demonym" or cand.end - cand.start != 1:
        return False
    token = top = doc_tokens(doc)[cand.start]
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    if top.dep_ != "pobj" or top.head.lower_ not in {"in", "from", "into"}:
        return False
    if top is token:
        return True
    entry = _lookup_entry(top.text)
    return view.label(top) == "LANGUAGE" or (entry is not None and entry.via == "demonym")


# -- places with several readings ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    """A country-table or town candidate with its possible readings, the default first."""

    cand: _Candidate
    key: str  # folded name: mentions with one key share one reading per article
    readings: tuple[_Town, ...]
    own: bool  # the default is the country table's own reading (not a town's)
    famous: bool  # a capital, a country or a city of a million: needs strong evidence
    qualifier: _Town | None  # the reading a qualifier next to this mention picks


def _readings(cand: _Candidate) -> tuple[tuple[_Town, ...], bool, bool]:
    """The readings of a candidate, the default first, and whether it is famous."""
    tables = _tables()
    entry = cand.entry
    key = _fold(entry.form)
    towns = tables.towns.get(key, ())
    if entry.kind == "town":
        return towns, False, bool(towns) and towns[0].population >= _FAMOUS_POPULATION
    same = [t for t in towns if t.iso3 == entry.target]
    own = same[0] if same else _Town(entry.target, "", 0)
    if entry.via == "demonym":
        return (own,), True, True
    others = tuple(t for t in towns if t != own)
    return (own, *others), True, True  # the country tables list only famous places


_Option = tuple[str, str, bool, bool]  # iso3, admin1 or "", sure, a division


def _interpretations(run: str) -> list[_Option]:
    """What a qualifier's text can name: (iso3, admin1 or "", sure, division), divisions first.

    ``sure`` marks a division or country that is not also another country's name
    (so "Cairo, Ill." is a US town even with no Cairo in Illinois in the table,
    while "Tbilisi, Georgia" is not read as a US town).
    """
    tables = _tables()
    key = _fold(run)
    found = []
    entry = _find(run)
    area = tables.areas.get(key)
    if area is not None:
        clash = entry is not None and entry.kind == "country" and entry.target != area.iso3
        found.append((area.iso3, area.admin1, not clash, True))
    if entry is not None and entry.kind == "country":
        if entry.via in ("name", "alias"):
            found.append((entry.target, "", True, False))
        elif entry.via in ("capital", "city"):
            same = [t for t in tables.towns.get(key, ()) if t.iso3 == entry.target]
            found.append((entry.target, same[0].admin1 if same else "", False, False))
    elif entry is None and key in tables.towns and run[:1].isupper():
        town = tables.towns[key][0]
        found.append((town.iso3, town.admin1, False, False))
    return found


def _qualify(readings: tuple[_Town, ...], options: list[_Option]) -> _Town | None:
    """The reading a qualifier picks: same division, else same country, else a sure one."""
    for iso3, admin1, _, _ in options:
        for town in readings:
            if town.iso3 == iso3 and (not admin1 or town.admin1 == admin1):
                return town
    for iso3, _, _, _ in options:
        for town in readings:
            if town.iso3 == iso3:
                return town
    for iso3, admin1, sure, division in options:
        if sure and division:  # "Cairo, Ill.": a town the table does not list
            return _Town(iso3, admin1, 0)
    return None


def _qualifier_options(doc: Doc, text: str, cand: _Candidate) -> list[_Option]:
    """What follows a place after a comma: "Paris, Texas", "Edmonton, north London".

    Not a list of places: "visits to Cuba, Venezuela and Mexico" qualifies nothing.
    """
    j = cand.end
    if j >= len(doc) - 1 or doc_tokens(doc)[j].text != ",":
        return []
    j += 1
    compass = j
    while j < len(doc) and doc_tokens(doc)[j].lower_ in _COMPASS:
        j += 1
    if j >= len(doc) or not doc_tokens(doc)[j].text[:1].isupper():
        return []
    for end, run in _runs(doc, text, j, 4):
        options = _interpretations(run)
        if j > compass:  # "Edmonton, north London": a part of that city's area
            options = [(iso3, admin1, sure, True) for iso3, admin1, sure, _ in options]
        if options:
            return [] if _continues_list(doc, end) else options
    tables = _tables()
    postal = tables.areas.get(_fold(doc_tokens(doc)[j].text))  # "Tulsa, OK" only right after a town
    return [(postal.iso3, postal.admin1, True, True)] if postal is not None else []


def _continues_list(doc: Doc, i: int) -> bool:
    """Token ``i`` goes on with a list of places: "and ...", ", Mexico"."""
    if i < len(doc) and doc_tokens(doc)[i].lower_ in {"and", "or", "&"}:
        return True
    if i + 1 < len(doc) and doc_tokens(doc)[i].text == ",":
        entry = _find(doc_tokens(doc)[i + 1].text)
        return (
            (entry is not None and entry.kind == "country")
            or doc_tokens(doc)[i + 1].lower_ in {"and", "or"}
            and i + 2 < len(doc)
            and _find(doc_tokens(doc)[i + 2].text) is not None
        )
    return False


def _dateline_options(text: str, skip: tuple[tuple[int, int], ...]) -> dict[str, list]:
    """Casefolded dateline place -> what its region names ("PARIS, Texas")."""
    found: dict[str, list] = {}
    for begin, end in skip:
        place, _, region = text[begin:end].partition(",")
        if region.strip():
            found[_fold(place).casefold()] = _interpretations(region.strip())
    return found


def _town_shown(doc: Doc, view: EntityView, place: _Place, accepted: set[int], sport: bool) -> bool:
    """Whether the sentence shows a town-table name is a place here.

    A qualifier always does. Otherwise the name must stand alone (no capitalised
    name right before or after it: "Celta Vigo", "Newcastle United"), be labelled
    neither PERSON nor ORG here or elsewhere in the article ("Jupiter said"), nor
    be a known first name, and have a GPE or LOC label, a preposition of place
    before it ("in Leicester", "from Camberley") or a place it is coordinated with
    ("between Mombasa and Malindi"). In a sports report (``sport``) a town is
    mostly its team, so only "in", "at" or "near" will do.
    """
    from claimscope.names import first_names  # names reads the country tables

    cand = place.cand
    if place.qualifier is not None:
        return True
    name = doc[cand.start : cand.end].text
    labels = {ent.label for ent in view if ent.text == name}
    if labels & {"PERSON", "ORG"} and not labels & {"GPE", "LOC"}:
        return False
    ent = view.at(cand.start)
    exact = ent is not None and (ent.start, ent.end) == (cand.start, cand.end)
    if ent is not None and ent.label in {"PERSON", "ORG"}:
        return False
    before = doc_tokens(doc)[cand.start - 1] if cand.start else None
    after = doc_tokens(doc)[cand.end] if cand.end < len(doc) else None
    for token in (before, after):
        if (
            token is not None
            and token.pos_ == "PROPN"
            and token.text[:1].isupper()
            and not token.is_sent_start
            and token.i not in accepted
        ):
            return False
    if ent is not None and not exact and ent.label not in {"GPE", "LOC"}:
        return False
    if _fold(doc_tokens(doc)[cand.start].text) in first_names() and not exact:
        return False
    preposition = before is not None and before.lower_ in _PLACE_PREPOSITIONS - {"of"}
    if sport:
        return preposition and before.lower_ in {"in", "at", "near", "outside"}
    if exact and ent.label in {"GPE", "LOC"}:
        return True
    if (
        doc_tokens(doc)[cand.start].pos_ != "PROPN"
        or _fold(doc_tokens(doc)[cand.start].text) in first_names()
    ):
        return False
    if preposition:
        return True
    head = doc_tokens(doc)[cand.end - 1]
    return head.dep_ == "conj" and head.head.i in accepted


def _local(
    town: _Town,
    areas: Counter,
    towns: dict[tuple[str, str], set[str]],
    cities: dict[tuple[str, str], set[str]],
    key: str,
) -> tuple[int, int, int]:
    """Evidence for a reading in the article: (divisions named, other towns there, score)."""
    where = (town.iso3, town.admin1)
    named_towns = len(towns.get(where, set()) - {key})
    named_cities = len(cities.get(where, set()) - {key})
    return areas[where], named_towns, 2 * areas[where] + named_towns + named_cities


def _decide(places: list[_Place], areas: Counter, dateline: dict[str, list]) -> dict[str, _Town]:
    """One reading per place name for the whole article (qualified mentions aside).

    In order: a qualifier on any of its mentions, the dateline, the divisions and
    towns the article names (a capital, a country or a big city needs a named
    division or two towns of the other reading), then the other countries the
    article names (only for a town that is neither capital nor big).
    """
    groups: dict[str, list[_Place]] = {}
    for place in places:
        groups.setdefault(place.key, []).append(place)
    sense = {key: group[0].readings[0] for key, group in groups.items()}
    fixed: set[str] = set()
    for key, group in groups.items():
        qualified = next((p.qualifier for p in group if p.qualifier is not None), None)
        if qualified is None and key.casefold() in dateline:
            qualified = _qualify(group[0].readings, dateline[key.casefold()])
        if qualified is not None:
            sense[key] = qualified
            fixed.add(key)
    for _ in range(2):  # the second pass reads the first pass's towns as evidence
        countries: Counter = Counter()
        towns: dict[tuple[str, str], set[str]] = {}
        cities: dict[tuple[str, str], set[str]] = {}
        for key, group in groups.items():
            town = sense[key]
            countries[town.iso3] += len(group)
            if town.admin1:
                bucket = cities if group[0].cand.entry.kind == "country" else towns
                bucket.setdefault((town.iso3, town.admin1), set()).add(key)
        for key, group in groups.items():
            readings = group[0].readings
            if key in fixed or len(readings) < 2:
                continue
            default = readings[0]
            if countries[default.iso3] - len(group) * (sense[key].iso3 == default.iso3) > 0:
                sense[key] = default
                continue

            evidence = (areas, towns, cities, key)
            best = max(readings[1:], key=lambda t: (_local(t, *evidence)[2], t.population))
            area, named_towns, score = _local(best, *evidence)
            chosen = default
            if score > _local(default, *evidence)[2]:
                own, famous = group[0].own, group[0].famous
                if own and group[0].cand.entry.via in ("name", "alias"):
                    strong = area >= 1 and area + named_towns >= 2
                elif famous:
                    strong = area >= 1 or named_towns >= 2
                else:
                    strong = score >= 1
                chosen = best if strong else default
            elif not group[0].famous and not group[0].own:
                known = [t for t in readings[1:] if countries[t.iso3] > 0]
                if known:
                    chosen = max(known, key=lambda t: (countries[t.iso3], t.population))
            sense[key] = chosen
    return sense


def find_countries(
    doc: Doc,
    *,
    skip: tuple[tuple[int, int], ...] = (),
    view: EntityView | None = None,
    org_names: OrgNames | None = None,
) -> tuple[tuple[CountryMention, ...], tuple[RegionMention, ...]]:
    """Every country and region mention in a parsed article, in text order.

    ``skip`` holds character spans (the wire dateline) that are metadata, not
    mentions: a candidate overlapping one is dropped, but the dateline still
    tells where the story is ("PARIS, Texas"). ``view`` is the article's
    repaired entities (built here when not given). ``org_names`` says whether a
    country's name inside an organisation's name counts (see
    :func:`org_names_setting`; None reads ``$CLAIMSCOPE_ORG_COUNTRIES``).
    """
    org_names = org_names_setting(org_names)
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
    covered |= {i for c in extra for i in range(c.start, c.end)}
    area_spans = _scan_areas(doc, text)
    # A division shadows the country inside its name ("Western Australia").
    area_blocks = [
        _candidate(doc, start, end, _Entry(doc[start:end].text, "block", ""))
        for start, end, _area in area_spans
        if end - start > 1 and _find(doc[start:end].text) is None
    ]
    towns = _scan_towns(doc, text, covered)

    words = frozenset(_WORD.findall(text))  # a cue can match only where its first word is
    sport = (
        sum(first in words and cue.search(text) is not None for first, cue in tables.team_words)
        >= 3
    )
    regions: list[RegionMention] = []
    places: list[_Place] = []
    accepted: set[int] = set()
    for cand in _resolve(scanned + extra + area_blocks + towns):
        entry = cand.entry
        if entry.kind == "block":
            continue
        if any(cand.begin < s_end and s_start < cand.finish for s_start, s_end in skip):
            continue
        if _inside_name(doc, text, cand, view, org_names) or _opens_longer_name(doc, cand):
            continue
        if entry.kind == "region":
            regions.append(
                RegionMention(cand.begin, cand.finish, text[cand.begin : cand.finish], entry.target)
            )
            continue
        readings, own, famous = _readings(cand)
        qualifier = None
        if entry.via != "demonym":
            options = _qualifier_options(doc, text, cand)
            if (
                own
            ):  # "Palestine, Texas", "Paris, Texas"; not "Cuba, Venezuela", "Paris, Ireland face"
                options = [o for o in options if o[3]]
            qualifier = _qualify(readings, options) if options else None
        place = _Place(cand, _fold(entry.form), readings, own, famous, qualifier)
        if entry.kind == "town" and not _town_shown(doc, view, place, accepted, sport):
            continue
        if entry.kind == "town" and place.readings == () and qualifier is None:
            continue
        accepted.update(range(cand.start, cand.end))
        places.append(place)

    areas: Counter = Counter()
    for start, _end, area in area_spans:
        entry = _find(doc[start:_end].text)
        if (
            entry is None
            or entry.kind != "country"
            or (entry.target == area.iso3 and entry.via in ("name", "alias"))
        ):  # not "Georgia" (the country too), "Washington" or "New York" (cities too)
            areas[(area.iso3, area.admin1)] += 1
    dateline = _dateline_options(text, skip)
    for options in dateline.values():
        for iso3, admin1, _, _ in options[:1]:
            areas[(iso3, admin1)] += 1
    sense = _decide(places, areas, dateline)

    countries: list[CountryMention] = []
    for place in places:
        cand = place.cand
        town = place.qualifier or sense.get(place.key) or place.readings[0]
        entry = cand.entry
        own = entry.kind == "country" and town.iso3 == entry.target
        if own and (_ambiguity_rejects(doc, view, text, cand) or _is_language(doc, view, cand)):
            continue
        if town.iso3 not in tables.names:
            continue
        countries.append(
            CountryMention(
                cand.begin,
                cand.finish,
                text[cand.begin : cand.finish],
                town.iso3,
                tables.names[town.iso3],
                entry.via if own else "city",
            )
        )
    return tuple(countries), tuple(regions)
