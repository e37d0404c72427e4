"""Which cue and which mention own a quote when a sentence holds two levels of speech."""

from __future__ import annotations

from spacy.language import Language

from claimscope import entities
from claimscope.quotes import find_candidates


def _candidates(text: str, nlp: Language) -> list[tuple[str, str | None, str | None]]:
    """(content, cue, rule subject) of each candidate the rules keep."""
    view = entities.build_view(nlp(text))
    return [
        (
            text[c.start : c.end],
            c.cue.text if c.cue is not None else None,
            c.subject.text if c.subject is not None else None,
        )
        for c in find_candidates(view)
    ]


def test_object_control_verb_gives_its_infinitive_cue_to_the_object(nlp: Language) -> None:
    text = "The surprise defeat led the party chairman to declare that the campaign was over."
    assert _candidates(text, nlp) == [("that the campaign was over", "to declare", "chairman")]
    text = "The ruling left many farmers to wonder whether the subsidy would return."
    assert _candidates(text, nlp) == [("whether the subsidy would return", "to wonder", "farmers")]


def test_purpose_infinitive_keeps_the_subject_of_the_main_verb(nlp: Language) -> None:
    text = "The senator used the speech to argue that the tax would hurt farmers."
    assert _candidates(text, nlp) == [("that the tax would hurt farmers", "to argue", "senator")]
