"""The learned speaker-mention chooser: its model file, its features, its choices."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from claimscope import confidence, entities, speaker_ranker
from claimscope.records import Span
from claimscope.speaker_ranker import Model, Trees


@pytest.fixture(scope="session")
def model() -> Model:
    found = speaker_ranker.load_model()
    assert found is not None, "lib/claimscope/data/speaker_ranker.json is missing"
    return found


def _span(text: str, word: str, start: int = 0) -> Span:
    index = text.index(word, start)
    return Span(index, index + len(word), word)


def _bounds(text: str, word: str) -> tuple[int, int]:
    index = text.index(word)
    return index, index + len(word)


def _context(doc: Doc) -> speaker_ranker.RankContext:
    return speaker_ranker.RankContext.build(entities.build_view(doc))


def _top(doc: Doc, content: tuple[int, int], cue: Span | None, rule=None) -> str | None:
    """The text of the model's best candidate (None for NONE)."""
    ranked = speaker_ranker.rank(_context(doc), content, cue, rule)
    span = ranked[0][1].span
    return None if span is None else doc.text[span[0] : span[1]]


def test_model_file_loads_and_round_trips(model: Model) -> None:
    assert model.weights and model.margin >= 0
    assert "PolNeAR" in model.meta["trained_on"]
    again = Model.from_json(model.to_json())
    assert again.weights == model.weights
    assert again.margin == model.margin and again.meta == model.meta


def test_model_of_another_format_is_refused(model: Model) -> None:
    text = model.to_json().replace(f'"format": {speaker_ranker.FORMAT_VERSION}', '"format": 999', 1)
    with pytest.raises(ValueError, match="format"):
        Model.from_json(text)


def test_features_are_deterministic(nlp: Language) -> None:
    text = 'Prices will rise, the minister told reporters on Monday. "We are ready," she added.'
    content = _bounds(text, "Prices will rise")
    cue = _span(text, "told")
    first = speaker_ranker.candidates(_context(nlp(text)), content, cue, None)
    second = speaker_ranker.candidates(_context(nlp(text)), content, cue, None)
    assert [(c.span, c.features) for c in first] == [(c.span, c.features) for c in second]
    assert first[0].span is None and first[0].is_rule  # NONE first; the rules chose nothing


def test_subject_of_said_beats_the_object(nlp: Language) -> None:
    text = "The senator told reporters that the bill would pass easily."
    doc = nlp(text)
    content = _bounds(text, "that the bill would pass easily")
    cue = _span(text, "told")
    assert _top(doc, content, cue) == "The senator"
    # The rules' pick of the object is overruled.
    chosen = speaker_ranker.choose(_context(doc), content, cue, _bounds(text, "reporters")).mention
    assert chosen is not None and text[chosen[0] : chosen[1]] == "The senator"


def test_according_to_picks_its_object(nlp: Language) -> None:
    text = "The economy grew by three percent last year, according to the central bank."
    doc = nlp(text)
    content = _bounds(text, "The economy grew by three percent last year")
    cue = _span(text, "according to")
    assert _top(doc, content, cue) == "the central bank"


def test_speaker_named_after_the_quotation(nlp: Language) -> None:
    text = 'Turnout was low. "We expected far more voters," said the party chairman, Tom Hale.'
    doc = nlp(text)
    content = _bounds(text, '"We expected far more voters,"')
    cue = _span(text, "said")
    top = _top(doc, content, cue)
    assert top is not None and ("chairman" in top or "Hale" in top)


def test_quote_without_a_source_gets_none(nlp: Language) -> None:
    text = "The new plant is expected to open next year."
    doc = nlp(text)
    content = _bounds(text, "The new plant is expected to open next year")
    cue = _span(text, "expected")
    assert _top(doc, content, cue) is None
    assert speaker_ranker.choose(_context(doc), content, cue, None).mention is None


def test_continuation_keeps_the_inherited_speaker(nlp: Language) -> None:
    text = (
        '"We will not give up," said Maria Lopez, the mayor.\n\n'
        '"The city deserves better than this, and we will fight for it."'
    )
    doc = nlp(text)
    inherited = _bounds(text, "Maria Lopez")
    content = _bounds(text, '"The city deserves better than this, and we will fight for it."')
    assert speaker_ranker.choose(_context(doc), content, None, inherited).mention == inherited


def test_without_a_model_the_rules_choice_stands(nlp: Language, monkeypatch) -> None:
    text = "The senator told reporters that the bill would pass easily."
    doc = nlp(text)
    rule = _bounds(text, "reporters")
    monkeypatch.setattr(speaker_ranker, "load_model", lambda: None)
    monkeypatch.setattr(confidence, "load_model", lambda: None)
    chosen = speaker_ranker.choose(
        _context(doc), _bounds(text, "that the bill would pass easily"), _span(text, "told"), rule
    ).mention
    assert chosen == rule


def test_margin_keeps_the_rules_choice_when_the_model_is_unsure(nlp: Language, model) -> None:
    text = "The senator told reporters that the bill would pass easily."
    doc = nlp(text)
    content = _bounds(text, "that the bill would pass easily")
    cue = _span(text, "told")
    rule = _bounds(text, "reporters")
    stubborn = Model(model.weights, 1e9, model.meta)
    assert speaker_ranker.choose(_context(doc), content, cue, rule, model=stubborn).mention == rule


def test_previous_speaker_is_marked_on_the_same_person_again(nlp: Language) -> None:
    text = (
        'Senator Elizabeth Warren questioned the chief executive. "It is gutless," Warren said. '
        "The chief executive said the bank had failed its customers."
    )
    doc = nlp(text)
    previous = _bounds(text, "Senator Elizabeth Warren")
    content = _bounds(text, '"It is gutless,"')
    found = speaker_ranker.candidates(
        _context(doc), content, _span(text, "said"), None, previous=previous
    )
    by_text = {text[c.span[0] : c.span[1]]: c.features for c in found if c.span is not None}
    assert any(name.startswith("prev=same|") for name in by_text["Warren"])
    assert not any(name.startswith("prev=same|") for name in by_text["the chief executive"])
    assert "prev=same_mention" in by_text["Senator Elizabeth Warren"]
    # Without a previous speaker nothing refers to one, and NONE knows it.
    alone = speaker_ranker.candidates(_context(doc), content, _span(text, "said"), None)
    assert not any(name.startswith("prev=") for c in alone for name in c.features)
    assert "none|previous=none|kind=direct" in alone[0].features


def test_rule_pick_inside_the_quotation_gives_way_to_the_subject_of_the_cue(
    nlp: Language,
) -> None:
    text = (
        "The Justice Department is investigating the shooting.\n"
        '"We will achieve justice in this case," Tulsa police Chief Chuck Jordan said Monday.'
    )
    doc = nlp(text)
    content = _bounds(text, '"We will achieve justice in this case,"')
    cue = _span(text, "said")
    rule = _bounds(text, "We")
    found = speaker_ranker.candidates(_context(doc), content, cue, rule)
    (rule_cand,) = [c for c in found if c.is_rule and c.span is not None]
    assert "in_quotation" in rule_cand.features
    assert "is_rule|place=quoted|kind=direct" in rule_cand.features
    chosen = speaker_ranker.choose(_context(doc), content, cue, rule).mention
    assert chosen is not None and "Chuck Jordan" in text[chosen[0] : chosen[1]]


def test_probabilities_sum_to_one() -> None:
    probs = speaker_ranker.probabilities([2.0, 0.5, -1.0])
    assert sum(probs) == pytest.approx(1.0)
    assert probs[0] > probs[1] > probs[2]


# --- trees stacked on the linear scores ----------------------------------------------------


def _stump_trees(column: str, threshold: float, low: float, high: float, top: int = 6) -> Trees:
    """One tree of depth 2 that splits on ``column`` at the root, then pads (always left)."""
    columns = (*speaker_ranker.STACKED, column)
    at = columns.index(column)
    return Trees(
        columns,
        np.array([[at, 0, 0]]),
        np.array([[threshold, 1e30, 1e30]]),
        np.array([[low, low, high, high]]),
        0.5,
        top,
    )


def test_trees_route_each_row_to_the_leaf_of_its_values() -> None:
    columns = (*speaker_ranker.STACKED, "a", "b")
    a, b = columns.index("a"), columns.index("b")
    # Root splits on a at 0.5; left child on b at 0.5; right child on lin:score at 1.0.
    trees = Trees(
        columns,
        np.array([[a, b, 0]]),
        np.array([[0.5, 0.5, 1.0]]),
        np.array([[1.0, 2.0, 3.0, 4.0]]),
        -1.0,
    )
    assert trees.depth == 2
    x = np.zeros((4, len(columns)))
    x[1, b] = 1.0
    x[2, a] = 1.0
    x[3, a], x[3, 0] = 1.0, 2.0
    assert trees.predict(x).tolist() == [0.0, 1.0, 2.0, 3.0]


def test_trees_stacked_columns_describe_each_candidate_among_the_quotes() -> None:
    trees = _stump_trees("x", 0.5, 0.0, 1.0)
    linear = np.array([0.0, 2.0, 1.0])
    x = trees.matrix([{"none": 1.0}, {"x": 1.0, "other": 1.0}, {}], linear, rule=2)
    assert x[:, 0].tolist() == [0.0, 2.0, 1.0]  # the linear score
    assert x[:, 1].tolist() == [-2.0, 1.0, -1.0]  # against the best other candidate
    assert x[:, 2].tolist() == [-1.0, 1.0, 0.0]  # against the rules' candidate
    assert x[:, 3].tolist() == [2.0, 0.0, 1.0]  # rank by linear score
    assert x[:, 4].sum() == pytest.approx(1.0) and x[1, 4] > x[2, 4] > x[0, 4]
    assert x[:, 5].tolist() == [3.0, 3.0, 3.0]
    assert x[:, 6].tolist() == [0.0, 1.0, 0.0]  # a feature the trees read; "other" is not one


def test_trees_score_only_the_linear_models_best_candidates() -> None:
    trees = _stump_trees("x", 0.5, 0.0, 1.0, top=2)
    scores = trees.scores([{}, {"x": 1.0}, {"x": 1.0}], np.array([3.0, 2.0, 1.0]), rule=0)
    assert scores.tolist() == [0.5, 1.5, -np.inf]


def test_model_with_trees_round_trips_and_ranks_by_them(nlp: Language, model: Model) -> None:
    # A tree that overturns the linear order: the object of "told" wins.
    trees = _stump_trees("rel=child_dobj", 0.5, -5.0, 5.0)
    stacked = Model(model.weights, model.margin, model.meta, trees)
    again = Model.from_json(stacked.to_json())
    assert again.trees is not None and again.trees.columns == trees.columns
    assert np.array_equal(again.trees.leaf, trees.leaf) and again.trees.top == trees.top
    text = "The senator told reporters that the bill would pass easily."
    doc = nlp(text)
    content = _bounds(text, "that the bill would pass easily")
    cue = _span(text, "told")
    linear_top = speaker_ranker.rank(_context(doc), content, cue, None, model=model)[0][1]
    tree_top = speaker_ranker.rank(_context(doc), content, cue, None, model=again)[0][1]
    assert text[linear_top.span[0] : linear_top.span[1]] == "The senator"
    assert text[tree_top.span[0] : tree_top.span[1]] == "reporters"


def test_malformed_trees_are_refused(model: Model) -> None:
    data = _stump_trees("x", 0.5, 0.0, 1.0).to_data()
    data["feature"] = [[99, 0, 0]]  # no such column
    with pytest.raises(ValueError, match="malformed"):
        Trees.from_data(data)


def test_exported_sklearn_trees_give_sklearns_log_odds() -> None:
    pytest.importorskip("sklearn")  # the training extra; the shipped trees need numpy only
    script = Path(__file__).resolve().parent.parent / "scripts" / "train_speaker_ranker.py"
    spec = importlib.util.spec_from_file_location("train_speaker_ranker", script)
    train = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = train
    spec.loader.exec_module(train)
    rng = np.random.default_rng(0)
    columns = (*speaker_ranker.STACKED, "a", "b", "c")
    x = rng.normal(size=(600, len(columns))).astype(np.float32)
    x[:, 3] = 0  # every row among the linear model's best
    y = ((x[:, 6] > 0) ^ (x[:, 7] * x[:, 0] > 0.3)).astype(np.int8)
    data = train.TreeData(x, y, np.arange(600), np.arange(601))
    params = dict(train.TREE_PARAMS, max_iter=20)
    trees = train.fit_trees(data, np.ones(600, dtype=bool), columns, params)
    from sklearn.ensemble import HistGradientBoostingClassifier

    depth = int(params["max_depth"])
    reference = HistGradientBoostingClassifier(
        learning_rate=params["learning_rate"],
        max_iter=20,
        max_depth=depth,
        max_leaf_nodes=2**depth,
        min_samples_leaf=int(params["min_samples_leaf"]),
        l2_regularization=params["l2_regularization"],
        early_stopping=False,
        random_state=train.SEED,
    ).fit(x, y)
    keep = [columns.index(name) for name in trees.columns]
    ours = trees.predict(x[:, keep].astype(np.float64))
    assert np.allclose(ours, reference.decision_function(x), atol=1e-6)
    assert not np.allclose(ours, ours[0])  # the trees do split


def _features_by_text(doc: Doc, content, cue, rule=None) -> dict[str | None, dict[str, float]]:
    found = speaker_ranker.candidates(_context(doc), content, cue, rule)
    return {None if c.span is None else doc.text[c.span[0] : c.span[1]]: c.features for c in found}


def test_unnamed_askers_question_keeps_no_source(nlp: Language) -> None:
    # The rules mark "when asked if ..." sourceless; the chooser must not hand the
    # question to the answer's speaker.
    text = (
        '"I stand by what I said," the senator told the newspaper '
        "when asked if he still backs the plan."
    )
    doc = nlp(text)
    content = _bounds(text, "if he still backs the plan")
    cue = _span(text, "asked")
    none = _features_by_text(doc, content, cue)[None]
    assert "none|rule=none|cue_lemma=ask" in none
    assert speaker_ranker.choose(_context(doc), content, cue, None).mention is None


def test_object_of_the_cues_governor_is_told_apart_from_its_subject(nlp: Language) -> None:
    text = "The senator urged the governor to say that the plan would fail."
    doc = nlp(text)
    by_text = _features_by_text(
        doc, _bounds(text, "that the plan would fail"), _span(text, "say"), None
    )
    assert "rel=gov_object" in by_text["the governor"]
    assert "rel=gov_object" not in by_text["The senator"]


def test_mention_inside_the_cue_subject_phrase_is_marked_both_ways(nlp: Language) -> None:
    text = "A spokesman for the company said that profits would rise."
    doc = nlp(text)
    by_text = _features_by_text(
        doc, _bounds(text, "that profits would rise"), _span(text, "said"), None
    )
    inner = [name for name in by_text["the company"] if name.startswith("inside=")]
    outer = [name for name in by_text["A spokesman for the company"] if name.startswith("holds=")]
    assert inner and all(name.startswith("inside=child_nsubj|") for name in inner)
    assert outer and all(name.endswith("|rel=child_nsubj") for name in outer)
