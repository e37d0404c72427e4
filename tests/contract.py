"""A checker for the JSON Lines contract of ../shared/CONTRACT.md, used by several tests."""

from __future__ import annotations

import re
from typing import Any

ARTICLE_FIELDS = {
    "path": str,
    "id": str,
    "title": (str, type(None)),
    "source": (str, type(None)),
    "dateline": (str, type(None)),
    "published": (str, type(None)),
    "text": str,
    "entities": list,
    "countries": list,
    "regions": list,
    "quotes": list,
}
QUOTE_KINDS = {"direct", "indirect", "mixed"}
SPEAKER_TYPES = {"expert", "official", "organization", "journalist", "other", None}
VIAS = {"name", "demonym", "capital", "city", "alias"}


def _check_span(span: dict[str, Any], text: str, where: str) -> None:
    assert isinstance(span["start"], int) and isinstance(span["end"], int), where
    assert 0 <= span["start"] < span["end"] <= len(text), f"{where}: bad offsets {span}"
    assert text[span["start"] : span["end"]] == span["text"], f"{where}: offsets do not give text"


def check_article(obj: dict[str, Any]) -> None:
    """Assert that one decoded JSON object satisfies the contract."""
    for field, kind in ARTICLE_FIELDS.items():
        assert field in obj, f"missing field {field}"
        assert isinstance(obj[field], kind), f"{field} has type {type(obj[field]).__name__}"
    text = obj["text"]
    assert re.fullmatch(r"[0-9a-f]{64}", obj["id"])
    if obj["published"] is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", obj["published"]), obj["published"]
    for entity in obj["entities"]:
        _check_span(entity, text, "entity")
        assert entity["label"] and entity["canonical"]
    for country in obj["countries"]:
        _check_span(country, text, "country")
        assert re.fullmatch(r"[A-Z]{3}", country["iso3"]) and country["country"]
        assert country["via"] in VIAS
    for region in obj["regions"]:
        _check_span(region, text, "region")
        assert region["region"]
    for quote in obj["quotes"]:
        _check_span(quote, text, "quote")
        assert quote["kind"] in QUOTE_KINDS
        for key in ("cue", "speaker_mention"):
            if quote[key] is not None:
                _check_span(quote[key], text, f"quote {key}")
        assert quote["speaker_type"] in SPEAKER_TYPES
        assert all(re.fullmatch(r"[A-Z]{3}", iso3) for iso3 in quote["countries"])
        # Added beyond the contract: the quote's tone toward each target it names.
        targets = [item["target"] for item in quote.get("tone", [])]
        assert len(targets) == len(set(targets)), targets
        for item in quote.get("tone", []):
            assert item["target"] and item["polarity"] in ("negative", "neutral", "positive")
            assert -1.0 <= item["score"] <= 1.0
        for key in ("speaker", "speaker_role"):
            assert quote[key] is None or isinstance(quote[key], str)
