"""Canonical display names for people and organisations, the same in every article.

A canonical name is a pure function of the name string plus static data tables
(transliteration variants, honorifics, known organisations) and, last, the
user's alias table. No state is shared between articles, so the extractor and
the store agree on one name per person whatever order articles arrive in.

The data tables live in ``claimscope/data``:

- ``name_variants.csv`` (``variant,preferred``): transliteration variants of a
  name token, e.g. ``Sergey -> Sergei``, ``Dmitri -> Dmitry``.
- ``honorifics.txt``: titles stripped from the front of a person's name.
- ``entity_fixes_orgs.csv`` (``name,canonical``): blocs and well-known
  organisations with their canonical spelling (``Nato -> NATO``).
- ``entity_fixes_institutions.txt``: head words of a country's institution,
  used to turn "Russia's Foreign Ministry" into "Russian Foreign Ministry".
- ``entity_fixes_first_names.txt``: common given names (evidence that a word
  opens a person's name).
- ``entity_fixes_name_suffixes.txt``: post-nominals dropped from the end
  ("QC", "Jr").

The user's alias table is a CSV ``alias,canonical`` at
``<user data dir>/claimscope/aliases.csv`` (see :func:`load_aliases`); an alias
matches the name as written or its rule-based canonical form, ignoring case
and diacritics, and its canonical replaces the rules' result for any label.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

import platformdirs

from claimscope import countries
from claimscope.records import Article

ALIASES_FILE = "aliases.csv"
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$")
_APOSTROPHES = "'\u2019"
_ROMAN = re.compile(r"[IVX]+")
# Titles of peers: with a surname alone they are how the person is named.
PEERAGE = frozenset({"lord", "lady", "baroness", "baron", "viscount", "earl", "countess"})
_DASHES = "\u2010\u2011\u2012\u2013\u2014"


# -- data tables ---------------------------------------------------------------


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a packaged data file."""
    text = resources.files("claimscope").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def data_csv(name: str) -> list[dict[str, str]]:
    """Rows of a packaged CSV data file (with a header line)."""
    text = resources.files("claimscope").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def name_variants() -> dict[str, str]:
    """Lower-cased, diacritic-free name token -> preferred spelling."""
    return {fold(row["variant"]): row["preferred"] for row in data_csv("name_variants.csv")}


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Folded common given names (``entity_fixes_first_names.txt``)."""
    return frozenset(fold(w) for w in data_lines("entity_fixes_first_names.txt"))


@lru_cache(maxsize=1)
def courtesy_titles() -> frozenset[str]:
    """Courtesy titles ("mr", "sir"): part of how a name is written, never a role."""
    return frozenset(title_key(line) for line in data_lines("courtesy_titles.txt"))


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """Title phrases (lower case, no periods) that may precede a person's name."""
    offices = frozenset(title_key(line) for line in data_lines("honorifics.txt"))
    return offices | courtesy_titles()


@lru_cache(maxsize=1)
def name_suffixes() -> frozenset[str]:
    """Folded post-nominals that follow a name ("QC", "Jr"), without periods."""
    return frozenset(title_key(line) for line in data_lines("entity_fixes_name_suffixes.txt"))


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every word that occurs in a title phrase ("secretary", "of", "state")."""
    return frozenset(word for title in honorifics() for word in title.split())


@lru_cache(maxsize=1)
def _honorific_lengths() -> tuple[int, ...]:
    """Word counts of the title phrases, longest first (longest match wins)."""
    return tuple(sorted({len(t.split()) for t in honorifics()}, reverse=True))


@lru_cache(maxsize=1)
def known_orgs() -> dict[str, str]:
    """Exact spelling of a bloc or well-known organisation -> canonical name."""
    return {row["name"]: row["canonical"] for row in data_csv("entity_fixes_orgs.csv")}


@lru_cache(maxsize=1)
def _known_orgs_folded() -> dict[str, str]:
    """Case-folded known organisations (only names of four letters or more)."""
    return {fold(k): v for k, v in known_orgs().items() if len(k) >= 4}


@lru_cache(maxsize=1)
def institution_heads() -> frozenset[str]:
    """Lower-case head words of a country's institution ("ministry", "embassy")."""
    return frozenset(line.lower() for line in data_lines("entity_fixes_institutions.txt"))


# -- string helpers ------------------------------------------------------------


def strip_diacritics(text: str) -> str:
    """``Nicolás -> Nicolas``: decompose and drop combining marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: no diacritics, case-folded, single spaces, plain dashes."""
    text = strip_diacritics(text)
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return " ".join(text.casefold().split())


def title_key(text: str) -> str:
    """Comparison key of a title phrase: folded, without periods."""
    return fold(text.replace(".", " "))


def strip_possessive(text: str) -> str:
    """``Lavrov's -> Lavrov``, ``Reuters' -> Reuters`` (either apostrophe)."""
    text = text.rstrip()
    if _POSSESSIVE.search(text):
        return text[:-2] if text[-1] not in _APOSTROPHES else text[:-1]
    if text and text[-1] in _APOSTROPHES:
        return text[:-1]
    return text


def strip_leading_the(text: str) -> str:
    """``the Kremlin -> Kremlin``; a capitalised "The" is kept (The Hague, The Times)."""
    return text[4:] if text.startswith("the ") else text


def title_length(words: list[str]) -> int:
    """How many leading words of a name are a title ("Deputy Foreign Minister")."""
    titles = honorifics()
    for size in _honorific_lengths():
        if size < len(words) and title_key(" ".join(words[:size])) in titles:
            return size
    return 0


def strip_titles(words: list[str]) -> list[str]:
    """Drop leading titles and descriptors from a person's name.

    Removes titles ("Deputy Foreign Minister"), a demonym before a title
    ("Russian Foreign Minister"), and a descriptor before a known first name
    in a longer name ("Californian Thomas Slattery"). The last word is always
    kept: a name is never reduced to nothing.
    """
    given = first_names()
    while len(words) > 1:
        if len(words) == 2 and title_key(words[0]) in PEERAGE:
            break  # "Lord Falconer": a peer's title and name are the name
        size = title_length(words)
        if size:
            words = words[size:]
            continue
        if len(words) > 2 and title_length(words[1:]) and _is_demonym(words[0]):
            words = words[1:]
            continue
        if len(words) > 2 and fold(words[1]) in given and fold(words[0]) not in given:
            words = words[1:]
            continue
        break
    return words


def strip_name_suffixes(words: list[str]) -> list[str]:
    """Drop post-nominals and a trailing comma ("Philippe Sands QC", "Jr."), keeping one word."""
    suffixes = name_suffixes()
    while len(words) > 1 and title_key(words[-1].strip(",")) in suffixes:
        words = words[:-1]
    if words and words[-1].endswith(","):
        words = [*words[:-1], words[-1].rstrip(",")]
    return words


def _is_demonym(word: str) -> bool:
    """True for a nationality adjective ("Russian"), via the countries stage."""
    match = country_match(word)
    return match is not None and match.via == "demonym"


def country_match(text: str) -> countries.CountryMatch | None:
    """The countries stage's reading of ``text`` (name, demonym, capital, ...), or None."""
    return countries.lookup(text) if text else None


def _name_case(words: list[str]) -> list[str]:
    """A name written all in capitals, in title case (``SERGEI LAVROV -> Sergei Lavrov``).

    Only a shouted name of two or more words changes: a lone "BBC" or a roman
    numeral ("Andre Nzame III") is written as given.
    """
    letters = [w for w in words if w.isalpha()]
    if len(letters) < 2 or not all(w.isupper() for w in letters):
        return words
    return [w if _ROMAN.fullmatch(w) else w.capitalize() for w in words]


# -- canonical names -----------------------------------------------------------


def person_words(name: str) -> list[str]:
    """The words of a person's name without titles, possessive or diacritics."""
    name = strip_possessive(strip_leading_the(" ".join(name.split())))
    words = strip_name_suffixes(strip_titles(name.split()))
    half = len(words) // 2
    if half and words[:half] == words[half:]:
        words = words[:half]  # the model's doubled name: "Stan Lee Stan Lee"
    variants = name_variants()
    plain = [p for p in (strip_diacritics(w).strip(",") for w in words) if p]
    # An initial is written one way: "J Allard" and "J. Allard" are one person.
    return [
        f"{w}." if len(w) == 1 and w.isupper() else variants.get(fold(w), w)
        for w in _name_case(plain)
    ]


def canonical_person(name: str, *, aliases: Mapping[str, str] | None = None) -> str:
    """Cross-corpus display name of a person: one spelling per real person.

    Titles ("Mr.", "Foreign Minister") and a possessive are dropped, diacritics
    removed, and each word replaced by its preferred transliteration, so
    ``"Sergey Lavrov"`` and ``"Foreign Minister Sergei Lavrov's"`` both give
    ``"Sergei Lavrov"``. The user's alias table (``aliases``; by default the one
    in the user's data directory) is applied last and overrides the rules.
    """
    words = person_words(name)
    rule = " ".join(words) if words else " ".join(name.split())
    return apply_alias(name, rule, aliases)


def canonical_org(name: str, *, aliases: Mapping[str, str] | None = None) -> str:
    """Cross-corpus display name of an organisation.

    Drops a leading "the"/"The" and a trailing possessive, uses the known spelling of
    blocs and agencies (``Nato -> NATO``), and turns a country's possessive or
    "of <country>" into its demonym for a ministry-like institution
    (``Russia's Foreign Ministry -> Russian Foreign Ministry``).
    """
    text = " ".join(name.split())
    # Any leading article goes, capitalised or not, so that "The Washington
    # Post" and "the Washington Post" are one organisation.
    text = strip_possessive(re.sub(r"^[Tt]he\s+", "", text))
    rule = known_org(text) or _demonym_form(text) or text
    return apply_alias(name, rule, aliases)


def known_org(text: str) -> str | None:
    """Canonical name of a known organisation, exact spelling first, then folded."""
    orgs = known_orgs()
    if text in orgs:
        return orgs[text]
    return _known_orgs_folded().get(fold(text))


def _demonym_form(text: str) -> str | None:
    """``Russia's Foreign Ministry`` / ``Foreign Ministry of Russia`` -> ``Russian Foreign Ministry``."""
    for apostrophe in _APOSTROPHES:
        marker = f"{apostrophe}s "
        if marker in text:
            owner, _, rest = text.partition(marker)
            demonym = _country_demonym(owner)
            if demonym and rest.split()[-1].lower() in institution_heads():
                return f"{demonym} {known_org(rest) or rest}"
    head, of, owner = text.rpartition(" of ")
    if of and "ministry" in head.lower().split():
        demonym = _country_demonym(strip_leading_the(owner))
        if demonym:
            return f"{demonym} {head}"
    return None


def canonical_place(name: str, *, aliases: Mapping[str, str] | None = None) -> str:
    """Display name of a place: a country's own name ("the US" -> "United States").

    Only a country's name or an abbreviation of it is replaced; other
    spellings ("England", "Moscow") are kept as written, minus "the" and a
    possessive.
    """
    text = strip_possessive(strip_leading_the(" ".join(name.split())))
    match = country_match(text)
    rule = text
    if match is not None and (match.via == "name" or (match.via == "alias" and text.isupper())):
        rule = match.country
    return apply_alias(name, rule, aliases)


def _country_demonym(text: str) -> str | None:
    """The demonym of a country named by ``text`` ("Russia" -> "Russian"), else None."""
    match = country_match(text)
    if match is None or match.via not in ("name", "alias"):
        return None
    return countries.demonym(match.iso3)


# -- the user's alias table ----------------------------------------------------


def default_aliases_path() -> Path:
    """Where the user's alias table lives: ``<user data dir>/claimscope/aliases.csv``."""
    return Path(platformdirs.user_data_dir("claimscope")) / ALIASES_FILE


def load_aliases(path: Path | None = None) -> dict[str, str]:
    """The user's alias table as a mapping from folded alias to canonical name.

    The file is a CSV with the header ``alias,canonical``; a missing file means
    no aliases. Raises ``ValueError`` when the header lacks those columns.
    """
    path = default_aliases_path() if path is None else Path(path)
    if not path.is_file():
        return {}
    stamp = path.stat().st_mtime_ns
    return dict(_read_aliases(str(path), stamp))


@lru_cache(maxsize=8)
def _read_aliases(path: str, stamp: int) -> tuple[tuple[str, str], ...]:
    """Parse an alias CSV once per (path, modification time)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = {f.strip().lower() for f in reader.fieldnames or ()}
        if not {"alias", "canonical"} <= fields:
            raise ValueError(
                f"{path}: an alias table needs the columns 'alias,canonical' "
                f"(found: {', '.join(reader.fieldnames or ()) or 'none'})"
            )
        rows = []
        for row in reader:
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if row["alias"] and row["canonical"]:
                rows.append((fold(row["alias"]), row["canonical"]))
    return tuple(rows)


def aliases_version(path: Path | None = None) -> str:
    """A key that changes whenever the alias table changes (for caches of read data)."""
    path = default_aliases_path() if path is None else Path(path)
    return f"{path}:{path.stat().st_mtime_ns}" if path.is_file() else f"{path}:absent"


def alias_map(values: Iterable[str | None], aliases: Mapping[str, str]) -> dict[str, str]:
    """Each distinct name -> its name under the alias table (only the ones that change)."""
    if not aliases:
        return {}
    mapped = {}
    for value in {v for v in values if isinstance(v, str) and v}:
        renamed = apply_alias(value, value, aliases)
        if renamed != value:
            mapped[value] = renamed
    return mapped


def apply_alias(name: str, rule: str, aliases: Mapping[str, str] | None) -> str:
    """The alias table's canonical for ``name`` or its rule-based form, else ``rule``.

    ``aliases`` maps folded aliases to canonical names (as :func:`load_aliases`
    returns); ``None`` loads the user's default table.
    """
    table = load_aliases() if aliases is None else aliases
    if not table:
        return rule
    if aliases is not None:
        table = {fold(k): v for k, v in table.items()}
    for key in (fold(rule), fold(name), fold(strip_possessive(strip_leading_the(name)))):
        if key in table:
            return table[key]
    return rule


def with_aliases(article: Article, aliases: Mapping[str, str]) -> Article:
    """The article as the alias table names things: applied when data is read.

    Extraction and the store keep the rules' canonical names, so editing the
    alias table renames every stored article at once (the dashboard, the
    reader, ``claimscope extract``).
    """
    if not aliases:
        return article
    entities = tuple(
        dataclasses.replace(e, canonical=apply_alias(e.text, e.canonical, aliases))
        for e in article.entities
    )
    quotes = tuple(
        dataclasses.replace(q, speaker=apply_alias(q.speaker, q.speaker, aliases))
        if q.speaker
        else q
        for q in article.quotes
    )
    return dataclasses.replace(article, entities=entities, quotes=quotes)
