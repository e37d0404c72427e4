"""Tone toward a target: NewsMTSC's loader, split and scorer; what the model is shown;
which targets a quote has; the shipped model on clear cases and its held-aside guard."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimscope import newsmtsc, pipeline, tone
from claimscope.records import CountryMention, Document, EntityMention, Quote
from claimscope.settings import Settings
from conftest import SHARED_DIR, require

NEWSMTSC_TRAIN = SHARED_DIR / "eval-data" / "newsmtsc" / "train.jsonl"
# The macro F1 the shipped model reaches on the held-aside 15% of train (README, "Tone"),
# rounded down: 0.7769 with its inputs in planned batches (tone.plan_batches).
HELD_ASIDE_MACRO_F1 = 0.77


def _line(sentence: str, *targets: tuple[str, int, int, float]) -> str:
    return json.dumps(
        {
            "primary_gid": targets[0][0],
            "sentence_normalized": sentence,
            "targets": [
                {"Input.gid": gid, "from": s, "to": e, "mention": sentence[s:e], "polarity": p}
                for gid, s, e, p in targets
            ],
        }
    )


def test_parse_line_maps_polarity_codes_and_keeps_offsets() -> None:
    sentence = "Critics slammed Smith while Jones smiled."
    first, second = newsmtsc.parse_line(_line(sentence, ("g1", 16, 21, 2.0), ("g2", 28, 33, 6.0)))
    assert (first.gid, first.mention, first.polarity) == ("g1", "Smith", "negative")
    assert (second.mention, second.polarity, second.primary_gid) == ("Jones", "positive", "g1")


def test_parse_line_refuses_offsets_outside_the_sentence() -> None:
    with pytest.raises(ValueError, match="out of range"):
        newsmtsc.parse_line(_line("Short.", ("g", 2, 40, 4.0)))
    with pytest.raises(ValueError, match="not a NewsMTSC line"):
        newsmtsc.parse_line('{"text": "no targets"}')


def test_the_split_keeps_a_sentence_whole_and_holds_aside_about_fifteen_percent() -> None:
    gids = [f"sentence-{n}" for n in range(4000)]
    held = [g for g in gids if newsmtsc.is_held_aside(g)]
    assert 0.13 < len(held) / len(gids) < 0.17
    assert held == [g for g in gids if newsmtsc.is_held_aside(g)]  # no seed, no drift
    targets = newsmtsc.parse_line(_line("A met B.", ("x", 0, 1, 4.0), ("y", 6, 7, 4.0)))
    fit, aside = newsmtsc.split(targets)
    assert sorted([len(fit), len(aside)]) == [0, 2]


def test_score_gives_macro_f1_over_three_classes_and_accuracy() -> None:
    gold = ["negative", "negative", "neutral", "positive"]
    predicted = ["negative", "neutral", "neutral", "neutral"]
    scores = newsmtsc.score(gold, predicted)
    # negative: P 1, R 0.5 -> 2/3; neutral: P 1/3, R 1 -> 0.5; positive: 0
    assert scores.f1 == pytest.approx({"negative": 2 / 3, "neutral": 0.5, "positive": 0.0})
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.5) / 3)
    assert scores.accuracy == pytest.approx(0.5)
    assert scores.confusion["negative"]["neutral"] == 1


def test_the_model_reads_the_mention_between_markers_and_a_window_of_a_long_sentence() -> None:
    mention, marked = tone.marked_pair(tone.ToneInput("Critics slammed Smith today.", 16, 21))
    assert mention == "Smith"
    assert marked == f"Critics slammed {tone.MARK_OPEN} Smith {tone.MARK_CLOSE} today."
    long = "x " * 500 + "Smith" + " y" * 500
    at = long.index("Smith")
    _, marked = tone.marked_pair(tone.ToneInput(long, at, at + 5))
    assert len(marked) < 2 * tone.WINDOW_CHARS + 40 and "Smith" in marked
    with pytest.raises(ValueError):
        tone.marked_pair(tone.ToneInput("abc", 2, 9))


TEXT = 'Officials met. "Russia bullies Ukraine, Maduro said," Ivan Petrov noted. Cuba waits.'


def _quote(start: int, end: int) -> Quote:
    return Quote(start, end, TEXT[start:end], "direct", None, None, None, None, None)


def _country(name: str, iso3: str) -> CountryMention:
    at = TEXT.index(name)
    return CountryMention(at, at + len(name), name, iso3, name, "name")


def _entity(name: str, label: str, canonical: str) -> EntityMention:
    at = TEXT.index(name)
    return EntityMention(at, at + len(name), name, label, canonical)


def test_a_quote_targets_its_countries_people_and_organisations_and_nothing_outside() -> None:
    start = TEXT.index('"')
    end = TEXT.index('," ') + 2
    quote = _quote(start, end)
    countries = [_country("Russia", "RUS"), _country("Ukraine", "UKR"), _country("Cuba", "CUB")]
    entities = [
        _entity("Russia", "GPE", "Russia"),
        _entity("Maduro", "PERSON", "Nicolas Maduro"),
        _entity("Ivan Petrov", "PERSON", "Ivan Petrov"),  # the speaker, outside the quote
        _entity("Ukraine", "ORG", "Ukraine"),  # an entity over a country is that country
    ]
    sentences = [(0, 14), (15, len(TEXT) - 12), (len(TEXT) - 11, len(TEXT))]
    found = tone.quote_targets(TEXT, [quote], countries, entities, sentences)
    assert [(f.quote, f.target) for f in found] == [(0, "RUS"), (0, "UKR"), (0, "Nicolas Maduro")]
    first = found[0].item
    assert first.sentence == quote.text  # its sentence, cut to the quote
    assert first.sentence[first.start : first.end] == "Russia"


def test_tones_average_a_targets_mentions_and_keep_first_mention_order() -> None:
    item = tone.ToneInput("a b", 0, 1)
    targets = [
        tone.QuoteTarget(0, "VEN", item),
        tone.QuoteTarget(0, "USA", item),
        tone.QuoteTarget(0, "VEN", item),
        tone.QuoteTarget(2, "CUB", item),
    ]
    probabilities = np.array(
        [[0.9, 0.1, 0.0], [0.1, 0.2, 0.7], [0.5, 0.1, 0.4], [0.2, 0.6, 0.2]], dtype=np.float32
    )
    found = tone.tones(targets, probabilities)
    assert sorted(found) == [0, 2]
    ven, usa = found[0]
    assert (ven.target, ven.polarity) == ("VEN", "negative")
    assert ven.score == pytest.approx((0.2 - 0.7) / 1, abs=1e-4)  # mean P(pos) - mean P(neg)
    assert (usa.target, usa.polarity, usa.score) == ("USA", "positive", pytest.approx(0.6))
    assert found[2][0].polarity == "neutral"


def _work(lengths: list[int], batches: list[list[int]], run_cost: int) -> int:
    return sum(run_cost + len(b) * max(lengths[i] for i in b) for b in batches)


def test_planned_batches_hold_every_input_once_shortest_first_within_the_size() -> None:
    lengths = [40, 12, 33, 12, 90, 35, 31, 14, 12, 60]
    batches = tone.plan_batches(lengths, max_size=4, run_cost=8)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    assert all(1 <= len(batch) <= 4 for batch in batches)
    assert tone.plan_batches([]) == []
    with pytest.raises(ValueError, match="max_size"):
        tone.plan_batches([3], max_size=0)


def test_planned_batches_do_the_least_work_of_every_way_to_cut_the_sorted_inputs() -> None:
    import itertools
    import random

    rng = random.Random(7)
    for _ in range(30):
        lengths = [rng.randint(10, 80) for _ in range(rng.randint(1, 8))]
        run_cost, max_size = rng.choice([0, 8, 40]), rng.randint(1, 5)
        order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
        least = min(
            _work(lengths, parts, run_cost)
            for cuts in itertools.product([False, True], repeat=len(order) - 1)
            for parts in [_cut(order, cuts)]
            if all(len(p) <= max_size for p in parts)
        )
        planned = tone.plan_batches(lengths, max_size=max_size, run_cost=run_cost)
        assert _work(lengths, planned, run_cost) == least


def _cut(order: list[int], cuts: tuple[bool, ...]) -> list[list[int]]:
    parts, current = [], [order[0]]
    for index, cut in zip(order[1:], cuts, strict=True):
        if cut:
            parts.append(current)
            current = []
        current.append(index)
    return [*parts, current]


def test_a_long_input_runs_apart_from_short_ones_instead_of_padding_them() -> None:
    lengths = [20] * 6 + [120]
    batches = tone.plan_batches(lengths, run_cost=8)
    assert batches == [[0, 1, 2, 3, 4, 5], [6]]
    assert tone.plan_batches(lengths, run_cost=10_000) == [[0, 1, 2, 3, 4, 5, 6]]


@pytest.fixture(scope="module")
def model() -> tone.ToneModel:
    return tone.default_model()


def test_the_shipped_model_gives_scores_in_range_that_agree_with_the_polarity(model) -> None:
    sentence = "Critics slammed Smith as a liar, while fans cheered Jones as a hero."
    items = [
        tone.ToneInput(sentence, 16, 21),
        tone.ToneInput(sentence, 52, 57),
    ]
    probabilities = model.probabilities(items)
    assert probabilities.shape == (2, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    for result in model.predict(items):
        assert -1.0 <= result.score <= 1.0
        assert result.polarity == tone.POLARITIES[int(np.argmax(result.probabilities))]
    assert model.predict([]) == []


def test_the_shipped_model_tells_a_target_attacked_from_one_praised(model) -> None:
    sentence = "Critics slammed Smith as a liar, while fans cheered Jones as a hero."
    smith, jones = model.predict(
        [tone.ToneInput(sentence, 16, 21), tone.ToneInput(sentence, 52, 57)]
    )
    assert smith.polarity == "negative" and jones.polarity == "positive"


def test_a_batch_gives_each_input_nearly_what_it_gives_alone(model) -> None:
    # Dynamic int8 quantizes activations with one scale per batch: a neighbour in the
    # batch moves a probability by a few thousandths, never the polarity.
    items = [
        tone.ToneInput("The minister thanked Brazil for its generous help.", 21, 27),
        tone.ToneInput("Officials said Smith arrived in Paris on Tuesday for talks.", 15, 20),
    ]
    together = model.probabilities(items)
    alone = np.vstack([model.probabilities([item]) for item in items])
    assert np.allclose(together, alone, atol=0.02)
    assert (together.argmax(axis=1) == alone.argmax(axis=1)).all()


def test_the_pipeline_gives_each_quote_its_tone_unless_tone_is_off(nlp) -> None:
    text = (
        'Ivan Petrov, an economist, said: "Venezuela has ruined its economy and lied to everyone."'
    )
    article = pipeline.analyze_text(text, nlp)
    (quote,) = [q for q in article.quotes if "VEN" in q.countries]
    assert [t.target for t in quote.tone] == ["VEN"]
    assert quote.tone[0].polarity in tone.POLARITIES
    off = next(pipeline.analyze([Document("t", text)], nlp, settings=Settings(tone=False)))
    assert all(q.tone == () for q in off.quotes)


@pytest.mark.slow
def test_held_aside_newsmtsc_macro_f1_does_not_drop(model) -> None:
    targets = newsmtsc.split(newsmtsc.labelled(newsmtsc.load(require(NEWSMTSC_TRAIN))))[1]
    predicted = model.predict([tone.ToneInput(t.sentence, t.start, t.end) for t in targets])
    scores = newsmtsc.score([t.polarity for t in targets], [p.polarity for p in predicted])
    assert len(targets) == 1290
    assert scores.macro_f1 >= HELD_ASIDE_MACRO_F1, scores


def test_a_tone_model_that_cannot_load_fails_the_articles_with_a_reason_not_a_traceback(
    nlp, monkeypatch
) -> None:
    def missing() -> tone.ToneModel:
        raise FileNotFoundError("no tone model at /nowhere/model.onnx")

    monkeypatch.setattr(tone, "default_model", missing)
    (result,) = pipeline.analyze([Document("t.txt", 'He said: "Cuba is fine."')], nlp)
    assert "tone model could not be loaded" in result.reason
    assert "CLAIMSCOPE_TONE=0" in result.reason
    with pytest.raises(FileNotFoundError):
        list(pipeline.analyze([Document("t.txt", "Text.")], nlp, settings=Settings(strict=True)))


def test_tone_is_on_by_default_and_claimscope_tone_0_turns_it_off() -> None:
    assert Settings().tone and Settings.from_env({}).tone
    assert not Settings.from_env({"CLAIMSCOPE_TONE": "0"}).tone
    assert Settings.from_env({"CLAIMSCOPE_TONE": "1"}).tone
    assert not Settings.from_env({"CLAIMSCOPE_TONE": "1"}, tone=False).tone
