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
