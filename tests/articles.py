"""Generated wire stories for tests that need many distinct articles, fast to parse."""

from __future__ import annotations

from pathlib import Path

COUNTRIES = ["Brazil", "Kenya", "Japan", "Chile", "Poland", "Egypt", "India", "Mexico"]
PEOPLE = ["Ana Souza", "Grace Wanjiru", "Kenji Sato", "Pedro Rojas", "Meera Nair", "Jan Nowak"]


def write_articles(folder: Path, count: int, *, first: int = 0) -> Path:
    """Short, distinct wire stories numbered from ``first``, one file each."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + count):
        country, other = COUNTRIES[n % 8], COUNTRIES[(n * 3 + 1) % 8]
        person = PEOPLE[n % 6]
        (folder / f"story-{n:03d}.txt").write_text(
            f"{country} and {other} agree on trade, report {n}\n\n"
            f"NAIROBI, May {n % 28 + 1}, 2025 (Xinhua) - {country} and {other} signed"
            f' a trade accord on Monday, officials said. "This is deal number {n}," said'
            f" economist {person}, adding that exports to {other} would grow.\n\n"
            f"Analyst {person} said that the accord covered {n + 3} products.",
            encoding="utf-8",
        )
    return folder
