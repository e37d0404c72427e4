"""Wire-story metadata read from the cleaned text itself: headline, dateline, outlet, date.

News agencies open a story with a dateline that names the place, often the date
and the agency: ``MOSCOW, February 6. /TASS/.``, ``WASHINGTON (Reuters) -``,
``BEIJING, March 3 (Xinhua) --``. These are pure functions of the text; the
reader merges their answers with whatever the file format already told it.
A date is only reported when the year is written: a year is never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"(?:{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+{_MONTH}(?:,?\s+\d{{4}})?)"
# A place in capitals ("RIO DE JANEIRO", "N'DJAMENA", "ST. PETERSBURG"), or in
# title case ("Rio de Janeiro"), which is only trusted when an agency follows.
_CAPS_WORD = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*"
_CAPS_NAME = rf"{_CAPS_WORD}(?:[ ]{_CAPS_WORD}){{0,3}}"
_CAPS_PLACE = rf"{_CAPS_NAME}(?:/{_CAPS_NAME})?"  # "BRUSSELS/LONDON" for a joint story
_TITLE_WORD = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’.\-]+"
_PARTICLE = r"(?:de|da|do|dos|das|del|la|el|es|au|al|sur|upon)"
_TITLE_PLACE = rf"{_TITLE_WORD}(?:[ ](?:{_TITLE_WORD}|{_PARTICLE})){{0,3}}"
_REGION = rf"(?!{_MONTH}\b)[A-Z][A-Za-z.'’\-]+(?:[ ][A-Z][A-Za-z.'’\-]+){{0,2}}"
_AGENCY = r"[A-Za-z][A-Za-z.&\- ]{0,30}?"
_DATELINE_TAIL = rf"""
    (?:,[ ](?P<region>{_REGION}))?
    (?:,?[ ](?P<date>{_DATE}))?
    (?P<dot>\.)?[ ]*
    (?:\((?P<agency>{_AGENCY})\)|/(?P<slash_agency>{_AGENCY})/)?
    [ ]*(?P<sep>--|[-–—]|\.[ ]?[-–—]|\.|:)?
    (?:[ ]+(?=\S)|$)
"""
_CAPS_DATELINE = re.compile(rf"(?P<place>{_CAPS_PLACE}){_DATELINE_TAIL}", re.VERBOSE)
_TITLE_DATELINE = re.compile(rf"(?P<place>{_TITLE_PLACE}){_DATELINE_TAIL}", re.VERBOSE)
_DASH = re.compile(r"--|[-–—]")
# A story that opens with the agency alone: "(Reuters) - ...".
_AGENCY_OPENING = re.compile(rf"\((?P<agency>{_AGENCY})\)[ ]*(?:--|[-–—])[ ]+(?=\S)")
_LOWER_PARTICLES = frozenset({"de", "da", "do", "dos", "das", "del", "la", "el", "es", "au", "of"})
# How many paragraphs from the top a dateline may sit (after headline and lead).
_DATELINE_PARAGRAPHS = 5
# "Published: 12 March 2025", "Updated on Thursday, 6 Feb 2020 14:00": a short line
# whose value starts like a date, so that a sentence such as "Updated rules came
# into force on 12 March 2025" is not taken for one.
_PUBLISHED_LINE = re.compile(
    rf"^(?:first )?(?:published|posted|date|updated)(?: on)?[ \t]*[:\-–—]?[ \t]*"
    rf"(?P<value>(?:\d|{_MONTH}|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b)[^\n]{{0,60}})$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire dateline found in the text."""

    place: str  # title-cased: "Moscow", "Rio de Janeiro"
    span: tuple[int, int]  # where the place (with its region, if any) sits in the text
    source: str | None  # the agency: "TASS", "Reuters"
    published: str | None  # YYYY-MM-DD, only when the dateline gives a year


@dataclass(frozen=True, slots=True)
class WireMetadata:
    """Everything the text says about itself; ``None`` where it says nothing."""

    title: str | None = None
    dateline: str | None = None
    dateline_span: tuple[int, int] | None = None
    source: str | None = None
    published: str | None = None


def wire_metadata(text: str) -> WireMetadata:
    """Headline, dateline, agency and date of a cleaned article text."""
    dateline = find_dateline(text)
    return WireMetadata(
        title=find_title(text),
        dateline=dateline.place if dateline else None,
        dateline_span=dateline.span if dateline else None,
        source=dateline.source if dateline else _opening_agency(text),
        published=(dateline.published if dateline else None) or find_published(text),
    )


def find_title(text: str) -> str | None:
    """The first line when it reads as a headline: short, several words, no final period."""
    first = text.lstrip().split("\n", 1)[0].strip()
    words = first.split()
    if not 3 <= len(words) <= 30 or len(first) > 200:
        return None
    if first.endswith((".", ",", ";", ":")) and not first.endswith("..."):
        return None
    if first.islower() or _match_dateline(first) is not None:
        return None
    return first


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of one of the first paragraphs, if any."""
    offset = 0
    for index, paragraph in enumerate(text.split("\n\n")):
        if index >= _DATELINE_PARAGRAPHS:
            break
        start = offset + len(paragraph) - len(paragraph.lstrip())
        offset += len(paragraph) + 2
        match = _match_dateline(paragraph.lstrip())
        if match is None:
            continue
        place = match.group("place")
        if place.endswith(".") and "." not in place.split()[-1][:-1]:
            place = place[:-1]  # "MOSCOW. Feb 6 (Interfax)": the period is punctuation
        end = match.end("region") if match.group("region") else match.start("place") + len(place)
        agency = match.group("agency") or match.group("slash_agency")
        date = match.group("date")
        return Dateline(
            place=title_case_place(place),
            span=(start + match.start("place"), start + end),
            source=agency.strip() if agency else None,
            published=parse_date(date) if date else None,
        )
    return None


def dateline_end(text: str, start: int) -> int | None:
    """Where a dateline opening the line at ``start`` ends (past its separator and
    spaces: "WASHINGTON -- ", "CLEVELAND, July 19 (UPI) — "), or None without one."""
    line_end = text.find("\n", start)
    match = _match_dateline(text[start : line_end if line_end >= 0 else len(text)])
    return start + match.end() if match is not None else None


def _opening_agency(text: str) -> str | None:
    """The agency of a story that opens ``(Reuters) - ...`` with no place."""
    for paragraph in text.split("\n\n")[:_DATELINE_PARAGRAPHS]:
        if match := _AGENCY_OPENING.match(paragraph.lstrip()):
            return match.group("agency").strip()
    return None


def _match_dateline(paragraph: str) -> re.Match[str] | None:
    for pattern in (_CAPS_DATELINE, _TITLE_DATELINE):
        match = pattern.match(paragraph)
        if match is None:
            continue
        agency = match.group("agency") or match.group("slash_agency")
        if pattern is _TITLE_DATELINE or len(match.group("place")) < 3:
            # A capitalised word before a bracket is common prose; demand an agency
            # and a separator, as in "Washington (Reuters) -".
            if agency and match.group("sep"):
                return match
            continue
        sep = match.group("sep") or ""
        # "LONDON, June 2. Britain ..." (or the dateline alone in its paragraph,
        # as web pages set it): a date and a period end the dateline too.
        ends = sep or match.group("dot")
        if agency or (match.group("date") and ends) or _DASH.fullmatch(sep.strip(". ")):
            return match
    return None


def title_case_place(name: str) -> str:
    """``RIO DE JANEIRO`` -> ``Rio de Janeiro``; mixed-case names are kept as written."""
    if not name.isupper():
        return name
    if "/" in name:  # "BRUSSELS/LONDON": two places, each cased alone
        return "/".join(title_case_place(place) for place in name.split("/"))
    words = []
    for index, word in enumerate(name.split()):
        parts = []
        for part_index, part in enumerate(word.lower().split("-")):
            if (index or part_index) and part in _LOWER_PARTICLES:
                parts.append(part)  # "Rio de Janeiro", "Port-au-Prince"
            else:
                parts.append(re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), part))
        words.append("-".join(parts))
    return " ".join(words)


def find_published(text: str) -> str | None:
    """The date of a ``Published: 12 March 2025`` line (first one with a full date)."""
    for match in _PUBLISHED_LINE.finditer(text):
        found = parse_date(match.group("value"))
        if found:
            return found
    return None


_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}),?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_NUMERIC = re.compile(r"\b(\d{1,2})([./])(\d{1,2})\2(\d{4})\b")


def parse_date(value: str) -> str | None:
    """A full date written in a common way, as YYYY-MM-DD; ``None`` without a year.

    Accepts ISO (``2025-03-12``, with a time too), ``12 March 2025``,
    ``March 12, 2025`` and ``12.03.2025``; a slashed date is read only when it
    cannot be ambiguous (``25/03/2025``), never guessed between day and month.
    """
    value = value.strip()
    if match := _ISO.search(value):
        return _iso(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_MONTH_YEAR.search(value):
        return _iso(int(match[3]), _MONTHS[match[2][:3].lower()], int(match[1]))
    if match := _MONTH_DAY_YEAR.search(value):
        return _iso(int(match[3]), _MONTHS[match[1][:3].lower()], int(match[2]))
    if match := _NUMERIC.search(value):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if match[2] == "." or first > 12:
            return _iso(year, second, first)
        if second > 12:
            return _iso(year, first, second)
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
