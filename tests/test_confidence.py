"""Quote confidence: the model's inputs, its data file, and the quotes it leaves out."""

from __future__ import annotations

from spacy.language import Language

from claimscope import confidence, entities, quotes, speakers
from claimscope.confidence import ConfidenceModel, QuoteFacts
from claimscope.pipeline import analyze_text
from claimscope.speaker_ranker import Choice

TEXT = (
    "The talks ended on Friday.\n\n"
    '"We will not sign this deal," the minister said.\n\n'
    "The union said the plan would cost thousands of jobs."
)


def _facts(**changes) -> QuoteFacts:
    values = dict(
        rule="cue",
        kind="indirect",
        cue_lemma="say",
        cue_pos="VERB",
        cue_dep="ROOT",
        cue_precision=0.9,
        cue_side="before",
        mention_pos="PROPN",
        mention_tag="NNP",
        mention_label="PERSON",
        named=True,
        speaker_type="official",
        words=12,
        marks=0,
        sourceless=False,
        choice=Choice((0, 5), 0.8, 0.8, 0.1),
    )
    values.update(changes)
    return QuoteFacts(**values)


def _quotes(nlp: Language, model: ConfidenceModel):
    view = entities.build_view(nlp(TEXT))
    return speakers.attribute(view, quotes.found_quotes(view), model=model)


def test_features_name_rule_kind_cue_and_the_choosers_probabilities() -> None:
    found = confidence.features(_facts())
    assert found["bias"] == 1.0
    assert found["rule=cue|kind=indirect"] == 1.0
    assert found["cue=say"] == 1.0
    assert found["p_chosen"] == 0.8 and found["p_top"] == 0.8
    assert "unranked" not in found


def test_features_of_a_quote_the_chooser_did_not_rank_say_so() -> None:
    found = confidence.features(_facts(choice=None, rule="bare quotation", kind="direct"))
    assert found["unranked"] == 1.0
    assert not any(name.startswith("p_") for name in found)


def test_probability_is_the_logistic_of_the_weighted_features() -> None:
    model = ConfidenceModel({"bias": 2.0, "cue=say": -2.0}, 0.5, {})
    assert model.probability(_facts()) == 0.5
    assert model.probability(_facts(cue_lemma="tell")) > 0.88


def test_model_json_round_trips_and_rejects_another_format() -> None:
    model = ConfidenceModel({"bias": 0.25, "kind=direct": 1.5}, 0.35, {"l2": 10})
    assert ConfidenceModel.from_json(model.to_json()) == model
    try:
        ConfidenceModel.from_json('{"format": 99, "weights": {}, "threshold": 0}')
    except ValueError as error:
        assert "format 99" in str(error)
    else:
        raise AssertionError("an unknown format was read")


def test_shipped_model_has_a_threshold_and_scores_between_zero_and_one() -> None:
    model = confidence.load_model()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert model.meta["script"] == "scripts/train_quote_confidence.py"
    for facts in (_facts(), _facts(cue_lemma="aim", cue_precision=0.1, choice=None)):
        assert 0.0 < model.probability(facts) < 1.0


def test_reported_speech_below_the_threshold_is_left_out_but_direct_quotes_stay(
    nlp: Language,
) -> None:
    doubting = ConfidenceModel({"bias": -6.0}, 0.5, {})
    kept = _quotes(nlp, doubting)
    assert [q.kind for q in kept] == ["direct"]
    assert kept[0].text == '"We will not sign this deal,"'
    assert kept[0].confidence is not None and kept[0].confidence < 0.01


def test_every_quote_is_kept_with_its_confidence_at_a_zero_threshold(nlp: Language) -> None:
    trusting = ConfidenceModel({"bias": 0.0}, 0.0, {})
    kept = _quotes(nlp, trusting)
    assert [q.kind for q in kept] == ["direct", "indirect"]
    assert all(q.confidence == 0.5 for q in kept)


def test_extracted_quotes_carry_the_shipped_models_confidence(nlp: Language) -> None:
    article = analyze_text(TEXT, nlp)
    threshold = confidence.load_model().threshold
    assert [q.speaker_mention.text for q in article.quotes] == ["the minister", "The union"]
    for quote in article.quotes:
        assert quote.confidence is not None and 0.0 < quote.confidence <= 1.0
        assert quote.kind == "direct" or quote.confidence >= threshold
    assert all("confidence" in q for q in article.to_dict()["quotes"])
