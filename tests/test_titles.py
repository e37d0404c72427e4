"""The one title-phrase walk shared by the entity repair and the speaker path."""

from __future__ import annotations

import ast
from pathlib import Path

import spacy
from spacy.tokens import Doc

from claimscope import titles

LIB = Path(titles.__file__).resolve().parent


def _doc(words: list[str], sent_starts: list[bool] | None = None) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, sent_starts=sent_starts)


def test_walk_back_yields_the_nearest_tokens_first_within_the_sentence() -> None:
    words = ["He", "left", ".", "Deputy", "Minister", "of", "Mining", "Jane", "Doe"]
    starts = [True, False, False, True, False, False, False, False, False]
    doc = _doc(words, starts)
    assert [t.text for t in titles.walk_back(doc, 7)] == ["Mining", "of", "Minister", "Deputy"]


def test_walk_back_stops_after_the_longest_title() -> None:
    doc = _doc(["Word"] * 40 + ["Doe"], [True] + [False] * 40)
    assert len(list(titles.walk_back(doc, 40))) == titles.MAX_TOKENS


def test_glue_and_capitals_make_a_title_phrase() -> None:
    doc = _doc(["Minister", "of", "Mining", "&", "heavy", "A1"])
    assert [titles.is_glue(t) for t in doc] == [False, True, False, True, False, False]
    assert [titles.is_capitalised(t) for t in doc] == [True, False, True, False, False, False]


def test_no_other_module_keeps_its_own_title_glue() -> None:
    for path in LIB.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        if path.name != "titles.py":
            assert not {n for n in assigned if "TITLE_GLUE" in n or n == "GLUE"}, path.name
