"""The spaCy pipeline: loaded once, named by a setting, paragraph-aware sentences."""

from __future__ import annotations

import pytest

from claimscope import nlp as nlp_stage


def test_load_returns_the_same_pipeline_once_loaded(nlp):
    assert nlp_stage.load() is nlp


def test_model_name_prefers_explicit_then_environment(monkeypatch):
    monkeypatch.setenv(nlp_stage.MODEL_ENV_VAR, "en_core_web_lg")
    assert nlp_stage.model_name() == "en_core_web_lg"
    assert nlp_stage.model_name("my_pipeline") == "my_pipeline"
    monkeypatch.delenv(nlp_stage.MODEL_ENV_VAR)
    assert nlp_stage.model_name() == nlp_stage.DEFAULT_MODEL


def test_load_of_a_missing_model_names_it():
    with pytest.raises(OSError, match="no_such_pipeline_abc"):
        nlp_stage.load("no_such_pipeline_abc")


def test_a_blank_line_always_starts_a_sentence(nlp):
    doc = nlp("Minister warns of drought in the south\n\nRains failed again this year, she said.")
    starts = [sent.text.strip() for sent in doc.sents]
    assert starts == [
        "Minister warns of drought in the south",
        "Rains failed again this year, she said.",
    ]


def test_paragraph_component_runs_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index(nlp_stage.PARAGRAPH_BREAKS) < names.index("parser")
    nlp_stage.setup_components()  # idempotent: registering twice is harmless


def test_split_text_cuts_at_paragraphs_and_joins_back_exactly():
    text = "\n\n".join(f"Paragraph {n} says something about Chile." for n in range(40))
    parts = nlp_stage.split_text(text, 200)
    assert "".join(parts) == text
    assert all(len(part) <= 200 for part in parts)
    assert all(part.endswith("\n\n") for part in parts[:-1])


def test_split_text_falls_back_to_words_then_hard_cuts():
    assert nlp_stage.split_text("aaaa bbbb cccc", 6) == ["aaaa ", "bbbb ", "cccc"]
    assert nlp_stage.split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    with pytest.raises(ValueError, match="at least 1"):
        nlp_stage.split_text("text", 0)


def test_a_long_text_is_parsed_in_parts_into_one_doc_with_the_same_text(nlp):
    text = "\n\n".join(
        f'"Trade with Peru will grow," said analyst Maria Lopez in Lima on day {n}.'
        for n in range(30)
    )
    doc = nlp_stage.parse_long(nlp, text, part_chars=500)
    assert doc.text == text
    whole = nlp(text)
    assert [s.text for s in doc.sents] == [s.text for s in whole.sents]
    assert [(e.start_char, e.label_) for e in doc.ents] == [
        (e.start_char, e.label_) for e in whole.ents
    ]


def test_parse_many_keeps_order_with_short_and_long_texts(nlp):
    texts = ["Kenya grew.", "Chile exports wine. " * 40, "Peru exports copper."]
    docs = list(nlp_stage.parse_many(nlp, texts, part_chars=100))
    assert [d.text for d in docs] == texts


def _layers(pipeline) -> list:  # noqa: ANN001 - a spaCy Language
    from thinc.api import Model

    models = [getattr(c, "model", None) for _, c in pipeline.components]
    return [node for m in models if isinstance(m, Model) for node in m.walk()]


def test_the_fast_pipeline_multiplies_with_numpy_and_annotates_as_the_stock_one(nlp):
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, SENT_START, TAG
    from thinc.api import NumpyOps

    from conftest import SAMPLE_ARTICLES, require

    stock = nlp_stage.load(fast=False)
    ours_cpu = [n.ops for n in _layers(nlp) if isinstance(n.ops, NumpyOps)]
    assert ours_cpu and not any(ops.use_blis for ops in ours_cpu)
    assert any(n.ops.use_blis for n in _layers(stock) if isinstance(n.ops, NumpyOps))
    texts = [p.read_text(encoding="utf-8") for p in sorted(require(SAMPLE_ARTICLES).glob("*.txt"))]
    columns = [TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
    ours = list(nlp_stage.parse_many(nlp, texts))
    for mine, theirs in zip(ours, stock.pipe(texts), strict=True):
        assert (mine.to_array(columns) == theirs.to_array(columns)).all()


def test_a_parse_runs_numpy_on_one_blas_thread():
    from threadpoolctl import threadpool_info

    with nlp_stage.one_blas_thread():
        inside = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert inside and set(inside) == {1}


def test_importing_the_model_module_does_not_import_spacy():
    import subprocess
    import sys

    code = "import sys, claimscope.nlp, claimscope.cli; sys.exit('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
