"""The PolNeAR loader and scorer: protocol details on tiny hand-made cases, and a dev guard."""

from __future__ import annotations

import pytest

from claimscope import polnear
from claimscope.polnear import GoldArticle, GoldAttribution, parse_ann, score
from claimscope.records import Quote, Span
from conftest import POLNEAR_DIR, require

TEXT = 'Officials said the plan works. "It is fine," she added. Prices rose, experts believe.'


def _quote(start: int, end: int, speaker: tuple[int, int] | None = None) -> Quote:
    mention = Span(speaker[0], speaker[1], TEXT[speaker[0] : speaker[1]]) if speaker else None
    return Quote(start, end, TEXT[start:end], "indirect", None, mention, None, None, None)


def _gold(*attributions: GoldAttribution) -> list[GoldArticle]:
    return [GoldArticle("a", TEXT, attributions)]


def _attr(content: tuple[tuple[int, int], ...], source: tuple[tuple[int, int], ...] = ()):
    return GoldAttribution(
        content=content,
        content_text=" ".join(TEXT[s:e] for s, e in content),
        source=source,
        source_text=" ".join(TEXT[s:e] for s, e in source),
    )


def test_parse_ann_links_source_cue_content_and_sourceless_attributions() -> None:
    ann = (
        "T1\tSource 0 9\tOfficials\n"
        "T2\tCue 10 14\tsaid\n"
        "T3\tContent 15 29\tthe plan works\n"
        "T4\tAttribution 10 14\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tContent 56 67;69 70\tPrices rose e\n"
        "T6\tCue 70 77\txperts \n"
        "T7\tAttribution-no-source 70 77\txperts \n"
        "E2\tAttribution-no-source:T7 Cue:T6 Content:T5\n"
        "T8\tDiscard 0 3\tOff\n"
    )
    first, second = parse_ann(ann, TEXT)
    assert first.source_text == "Officials" and first.content == ((15, 29),)
    assert second.source == () and second.content == ((56, 67), (69, 70))


def test_coverage_counts_gold_characters_covered_across_fragments() -> None:
    gold = _attr(((0, 10), (20, 30)))
    assert polnear.coverage(_quote(0, 15), gold) == pytest.approx(0.5)
    assert polnear.coverage(_quote(5, 25), gold) == pytest.approx(0.5)
    assert polnear.coverage(_quote(0, 30), gold) == pytest.approx(1.0)


def test_score_lenient_match_is_not_strict_match() -> None:
    gold = _gold(_attr(((15, 29),)))  # "the plan works"
    report = score({"a": [_quote(15, 21)]}, gold)  # 6 of 14 chars: 0.43
    assert (report.matched, report.matched_strict) == (1, 0)
    assert report.f1 == pytest.approx(1.0)
    assert report.f1_strict == 0.0


def test_score_matches_each_gold_once_greedily_by_best_coverage() -> None:
    gold = _gold(_attr(((15, 29),)))
    # The second prediction covers more: it takes the gold; the first stays unmatched.
    report = score({"a": [_quote(15, 22), _quote(15, 29)]}, gold)
    assert report.matched == 1
    assert report.precision == pytest.approx(0.5)
    assert report.recall == pytest.approx(1.0)


def test_score_greedy_prefers_the_pair_with_higher_coverage_across_golds() -> None:
    # One wide prediction covers both golds; each gold can be matched only once
    # and the prediction only once.
    gold = _gold(_attr(((15, 29),)), _attr(((31, 43),)))
    report = score({"a": [_quote(15, 43), _quote(31, 35)]}, gold)
    assert report.matched == 2


def test_speaker_right_on_overlap_or_both_absent() -> None:
    sourced = _attr(((15, 29),), source=((0, 9),))
    sourceless = _attr(((56, 66),))
    gold = _gold(sourced, sourceless)
    report = score({"a": [_quote(15, 29, speaker=(5, 14)), _quote(56, 66)]}, gold)
    assert report.speaker_right == 2
    assert report.speaker_accuracy == pytest.approx(1.0)
    assert report.e2e_f1 == pytest.approx(1.0)

    wrong = score({"a": [_quote(15, 29, speaker=(10, 14)), _quote(56, 66, speaker=(0, 3))]}, gold)
    assert wrong.speaker_right == 0
    assert wrong.matched == 2
    assert wrong.e2e_f1 == 0.0


def test_score_recall_by_category_direct_indirect_pronoun() -> None:
    direct = _attr(((31, 44),), source=((45, 48),))  # '"It is fine,"' by "she"
    indirect = _attr(((15, 29),), source=((0, 9),))
    gold = _gold(direct, indirect)
    assert direct.direct and direct.pronoun_source and not indirect.direct
    report = score({"a": [_quote(31, 44)]}, gold)
    assert (report.gold_direct, report.matched_direct) == (1, 1)
    assert (report.gold_indirect, report.matched_indirect) == (1, 0)
    assert report.recall_pronoun == pytest.approx(1.0)


def test_report_formats_and_serialises_every_figure() -> None:
    report = score({"a": [_quote(15, 29)]}, _gold(_attr(((15, 29),))))
    data = report.to_dict()
    assert data["f1"] == 1.0 and data["f1_strict"] == 1.0 and "e2e_f1" in data
    text = report.format()
    assert "strict" in text and "speaker accuracy" in text


def test_load_split_reads_dev_with_the_first_annotator() -> None:
    articles = polnear.load_split(require(POLNEAR_DIR / "dev"))
    assert len(articles) == 84
    for article in articles:
        for attribution in article.attributions:
            start, end = attribution.content[0]
            assert article.text[start:end] in attribution.content_text


# Floors slightly under what Claimscope reaches on dev (F1@0.3 0.8057, strict F1 0.7494,
# speaker accuracy 0.9319 with the learned speaker chooser and the quote-confidence
# threshold, end-to-end F1 0.7509): a drop below them fails the suite. Raise them whenever
# the scores rise.
DEV_FLOORS = {"f1": 0.805, "speaker_accuracy": 0.931, "e2e_f1": 0.75, "f1_strict": 0.745}


@pytest.mark.slow
def test_dev_scores_stay_above_the_floors(nlp) -> None:
    report = polnear.evaluate(require(POLNEAR_DIR / "dev"), nlp)
    assert report.articles == 84
    scores = {name: getattr(report, name) for name in DEV_FLOORS}
    assert all(scores[name] >= floor for name, floor in DEV_FLOORS.items()), report.format()
