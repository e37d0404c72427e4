"""The command line, against the contract: exit codes, JSON Lines, stored rows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimscope.cli import main
from claimscope.store import Store
from conftest import BBC_TEST_CSV, SAMPLE_ARTICLES, TASS_SAMPLE, require
from contract import check_article


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def sample_paths() -> list[str]:
    paths = sorted(
        str(p) for p in SAMPLE_ARTICLES.iterdir() if p.is_file() and p.name != "README.md"
    )
    if not paths:
        pytest.skip("sample_articles/ is empty")
    return paths


def test_extract_sample_articles_prints_contract_objects(runner, nlp):
    result = runner.invoke(main, ["extract", "--format", "jsonl", *sample_paths()])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) >= 10
    for obj in objects:
        check_article(obj)
    assert sum(len(obj["quotes"]) for obj in objects) >= 10
    assert sum(len(obj["countries"]) for obj in objects) >= 10
    assert any(obj["source"] for obj in objects)


def test_extract_bad_file_is_reported_and_the_rest_goes_through(runner, nlp, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text('"Trade will grow," said analyst Maria Lopez in Madrid.', encoding="utf-8")
    bad = tmp_path / "bad.exe"
    bad.write_bytes(b"\x00\x01")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(main, ["extract", str(good), str(bad), str(missing)])
    assert result.exit_code == 1
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [obj["path"] for obj in objects] == [str(good)]
    failures = result.stderr.splitlines()
    assert len(failures) == 2
    assert failures[0].startswith(f"{bad}: ") and failures[1].startswith(f"{missing}: ")


def test_extract_raw_keeps_the_file_text_exactly(runner, nlp, tmp_path):
    text = "All news\n\nLONDON (Reuters) -  Prices  rose, the bank said.\n"
    path = tmp_path / "raw.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["extract", "--raw", str(path)])
    assert result.exit_code == 0, result.output
    (obj,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert obj["text"] == text
    check_article(obj)


def test_extract_csv_format_prints_one_row_per_quote(runner, nlp, tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(
        'PARIS (AFP) - "Europe must act now," said Claire Dubois, a professor.\n', encoding="utf-8"
    )
    result = runner.invoke(main, ["extract", "--format", "csv", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("path,id,title,source")
    assert len(lines) >= 2


def test_extract_prints_names_as_the_users_alias_table_says(runner, nlp, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    table = tmp_path / "data" / "claimscope" / "aliases.csv"
    table.parent.mkdir(parents=True)
    table.write_text("alias,canonical\nSergei Lavrov,Lavrov S.V.\n", encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_text("Foreign Minister Sergei Lavrov said the talks would resume in May.\n")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    article = json.loads(result.output)
    assert [q["speaker"] for q in article["quotes"]] == ["Lavrov S.V."]


def test_extract_without_paths_is_a_usage_error(runner):
    result = runner.invoke(main, ["extract"])
    assert result.exit_code == 2


def test_extract_tass_sample_is_contract_valid(runner, nlp):
    result = runner.invoke(main, ["extract", str(require(TASS_SAMPLE))])
    assert result.exit_code == 0, result.output
    (obj,) = [json.loads(line) for line in result.stdout.splitlines()]
    check_article(obj)
    assert obj["source"] == "TASS" and obj["dateline"] == "Moscow"


@pytest.mark.slow
def test_extract_bbc_test_csv_gives_one_object_per_row(runner, nlp):
    result = runner.invoke(main, ["extract", str(require(BBC_TEST_CSV))])
    assert result.exit_code == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 334
    for obj in objects:
        check_article(obj)
        assert "Â£" not in obj["text"]


def test_ingest_stores_then_reports_duplicates(runner, nlp, tmp_path):
    store_path = tmp_path / "store.duckdb"
    paths = sample_paths()
    first = runner.invoke(main, ["ingest", "--store", str(store_path), *paths])
    assert first.exit_code == 0, first.output
    assert ": stored" in first.stdout
    assert first.stdout.splitlines()[-1].startswith(f"{first.stdout.count(': stored')} stored")
    second = runner.invoke(main, ["ingest", "--store", str(store_path), *paths])
    assert second.exit_code == 0, second.output
    assert ": stored" not in second.stdout
    assert "0 stored" in second.stdout.splitlines()[-1]
    with Store(store_path) as store:
        assert store.count("articles") == first.stdout.count(": stored")
        assert store.count("quotes") > 0


def test_ingest_uses_the_store_environment_variable(runner, nlp, tmp_path, monkeypatch):
    store_path = tmp_path / "env.duckdb"
    monkeypatch.setenv("CLAIMSCOPE_STORE", str(store_path))
    path = tmp_path / "a.txt"
    path.write_text("Chile and Peru signed a trade pact, officials said.", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(path), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: failed: " in result.stdout
    with Store(store_path) as store:
        assert store.count("articles") == 1


def test_unknown_model_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Text.", encoding="utf-8")
    result = runner.invoke(main, ["--model", "no_such_model_xyz", "extract", str(path)])
    assert result.exit_code == 1
    assert "no_such_model_xyz" in result.output
    assert "Traceback" not in result.output


def test_ingest_of_a_glob_skips_the_readme_aloud(runner, nlp, tmp_path):
    (tmp_path / "README.md").write_text("# About these articles\n\nNotes.", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Chile and Peru signed a trade pact, officials said.", encoding="utf-8")
    store_path = tmp_path / "store.duckdb"
    paths = sorted(str(p) for p in tmp_path.iterdir())  # what a shell makes of dir/*
    result = runner.invoke(main, ["ingest", "--store", str(store_path), *paths])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'README.md'}: skipped: a README, not an article" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("1 stored, 0 duplicate, 0 failed, 1 skipped")
    with Store(store_path) as store:
        assert store.count() == 1


def test_ingest_sample_articles_star_stores_no_readme(runner, nlp, tmp_path):
    store_path = tmp_path / "store.duckdb"
    every_file = sorted(str(p) for p in SAMPLE_ARTICLES.iterdir())
    result = runner.invoke(main, ["ingest", "--store", str(store_path), *every_file])
    assert result.exit_code == 0, result.output
    with Store(store_path) as store:
        paths = set(store.frame("articles")["path"])
    assert not any("README" in path for path in paths)


def test_limits_from_options_name_the_file_and_its_size(runner, nlp, tmp_path):
    long = tmp_path / "long.txt"
    long.write_text("Peru exports copper. " * 10, encoding="utf-8")
    result = runner.invoke(main, ["extract", "--max-article-chars", "100", str(long)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{long}: article too long: 210 characters, the limit is 100"
        " (--max-article-chars / CLAIMSCOPE_MAX_ARTICLE_CHARS); not analysed\n"
    )


def test_a_limit_from_the_environment_that_is_not_a_number_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(
        main, ["extract", str(tmp_path / "a.txt")], env={"CLAIMSCOPE_MAX_FILE_MB": "big"}
    )
    assert result.exit_code == 2
    assert "CLAIMSCOPE_MAX_FILE_MB must be a number" in result.output


def _explode_in_quotes(monkeypatch):
    from claimscope import quotes as quote_stage

    def explode(doc, **kwargs):
        raise RuntimeError("quote extractor bug")

    monkeypatch.setattr(quote_stage, "extract_quotes", explode)


def test_an_extractor_bug_fails_the_article_and_goes_to_the_log_beside_the_store(
    runner, nlp, tmp_path, monkeypatch
):
    _explode_in_quotes(monkeypatch)
    story = tmp_path / "story.txt"
    story.write_text("Chile and Peru signed a trade pact, officials said.", encoding="utf-8")
    store_path = tmp_path / "news.duckdb"
    result = runner.invoke(main, ["ingest", "--store", str(store_path), str(story)])
    assert result.exit_code == 1
    assert f"{story}: failed: extraction failed: RuntimeError: quote extractor bug" in result.stdout
    assert "Traceback" not in result.output
    log = (tmp_path / "news.log").read_text(encoding="utf-8")
    assert f"extraction failed on {story}" in log
    assert "Traceback (most recent call last)" in log and "quote extractor bug" in log


def test_verbose_also_writes_the_traceback_to_stderr(runner, nlp, tmp_path, monkeypatch):
    _explode_in_quotes(monkeypatch)
    story = tmp_path / "story.txt"
    story.write_text("Chile and Peru signed a trade pact.", encoding="utf-8")
    result = runner.invoke(
        main, ["--verbose", "ingest", "--store", str(tmp_path / "s.duckdb"), str(story)]
    )
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr


def test_strict_raises_the_bug_instead(runner, nlp, tmp_path, monkeypatch):
    _explode_in_quotes(monkeypatch)
    story = tmp_path / "story.txt"
    story.write_text("Chile and Peru signed a trade pact.", encoding="utf-8")
    result = runner.invoke(main, ["--strict", "extract", str(story)])
    assert isinstance(result.exception, RuntimeError)
    assert str(result.exception) == "quote extractor bug"


def test_extract_with_workers_prints_what_one_process_prints_in_order(runner, nlp, tmp_path):
    from articles import write_articles

    folder = write_articles(tmp_path / "articles", 70)
    alone = runner.invoke(main, ["extract", "--jobs", "1", str(folder)])
    shared = runner.invoke(main, ["extract", "--jobs", "2", str(folder)])
    assert alone.exit_code == shared.exit_code == 0, shared.output
    assert shared.stdout == alone.stdout
    paths = [json.loads(line)["path"] for line in shared.stdout.splitlines()]
    assert paths == sorted(paths) and len(paths) == 70


def test_a_negative_jobs_count_is_a_usage_error(runner):
    result = runner.invoke(main, ["ingest", "--jobs", "-1", "x.txt"])
    assert result.exit_code == 2
    assert "--jobs" in result.output


NEWSMTSC_LINES = [
    {
        "primary_gid": "p1",
        "sentence_normalized": "Critics slammed Smith as a liar, while fans cheered Jones as a hero.",
        "targets": [
            {"Input.gid": "p1-smith", "from": 16, "to": 21, "mention": "Smith", "polarity": 2.0},
            {"Input.gid": "p1-jones", "from": 52, "to": 57, "mention": "Jones", "polarity": 6.0},
        ],
    },
    {
        "primary_gid": "p2",
        "sentence_normalized": "Lee met officials in Paris on Tuesday.",
        "targets": [{"Input.gid": "p2-lee", "from": 0, "to": 3, "mention": "Lee"}],
    },
]


def _newsmtsc_file(tmp_path):
    path = tmp_path / "targets.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in NEWSMTSC_LINES) + "\n")
    return path


def test_tone_prints_one_line_per_target_in_file_order(runner, tmp_path):
    result = runner.invoke(main, ["tone", str(_newsmtsc_file(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["gid"] for line in lines] == ["p1-smith", "p1-jones", "p2-lee"]
    for line in lines:
        assert set(line) == {"gid", "polarity", "score"}
        assert line["polarity"] in ("negative", "neutral", "positive")
        assert -1.0 <= line["score"] <= 1.0


def test_tone_names_the_bad_line_of_a_file_without_a_traceback(runner, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(NEWSMTSC_LINES[0]) + "\n{not json\n")
    result = runner.invoke(main, ["tone", str(path)])
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.output and "Traceback" not in result.output


def test_eval_newsmtsc_scores_the_labelled_targets(runner, tmp_path):
    result = runner.invoke(main, ["eval", "newsmtsc", "--json", str(_newsmtsc_file(tmp_path))])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 2  # the unlabelled target is not scored
    assert 0.0 <= report["macro_f1"] <= 1.0 and 0.0 <= report["accuracy"] <= 1.0
    plain = runner.invoke(main, ["eval", "newsmtsc", str(_newsmtsc_file(tmp_path))])
    assert "macro F1" in plain.output and "accuracy" in plain.output


def test_extract_csv_and_jsonl_carry_each_quotes_tone_and_no_tone_leaves_it_empty(runner, nlp):
    path = str(require(TASS_SAMPLE))
    result = runner.invoke(main, ["extract", "--jobs", "1", path])
    assert result.exit_code == 0, result.output
    (article,) = [json.loads(line) for line in result.stdout.splitlines()]
    toned = [q for q in article["quotes"] if q["tone"]]
    assert toned
    for quote in toned:
        for item in quote["tone"]:
            assert set(item) == {"target", "polarity", "score"}
    assert {t["target"] for q in toned for t in q["tone"]} >= {"VEN", "USA"}
    off = runner.invoke(main, ["extract", "--jobs", "1", "--no-tone", path])
    assert all(q["tone"] == [] for q in json.loads(off.stdout)["quotes"])
    table = runner.invoke(main, ["extract", "--jobs", "1", "--format", "csv", path])
    assert table.stdout.splitlines()[0].endswith(",countries,tone")
    assert "VEN:" in table.stdout
