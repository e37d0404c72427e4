"""Issue 8's hostile batch through a real ``claimscope ingest`` process.

Twenty broken and hostile files beside seven good articles (see
``hostile.py``), in strict mode, so a bug cannot hide behind a "failed" line:
the run exits 1 with no traceback, names every bad file with its reason,
stores every good article, and stays within a minute and 1.5 GB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimscope.store import Store
from hostile import make_hostile_batch

CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
PEAK_RSS_LIMIT = 1.5 * 1024**3
TIME_LIMIT = 60.0


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One ingest of the whole batch: its output, exit status, time and peak memory."""
    folder = tmp_path_factory.mktemp("hostile")
    batch = make_hostile_batch(folder / "in")
    store = folder / "store.duckdb"
    out, err = folder / "stdout", folder / "stderr"
    started = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [str(CLAIMSCOPE), "--strict", "ingest", "--store", str(store)]
            + [str(p) for p in batch.paths],
            stdout=stdout,
            stderr=stderr,
        )
        # wait4 gives this child's own peak memory (ru_maxrss, in kB on Linux).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "batch": batch,
        "store": store,
        "status": process.returncode,
        "seconds": time.monotonic() - started,
        "peak_bytes": usage.ru_maxrss * 1024,
        "stdout": out.read_text(encoding="utf-8"),
        "stderr": err.read_text(encoding="utf-8"),
    }


def _lines(run: dict) -> dict[str, str]:
    """path -> ``stored`` or ``failed: reason``, from the status lines (summary left out)."""
    lines = {}
    for line in run["stdout"].splitlines()[:-1]:
        if line.endswith(": stored"):
            lines[line.removesuffix(": stored")] = "stored"
        else:
            path, _, reason = line.partition(": failed: ")
            lines[path] = "failed: " + reason
    return lines


def test_hostile_batch_exits_1_without_a_traceback(hostile_run: dict) -> None:
    assert hostile_run["status"] == 1, hostile_run["stderr"]
    assert "Traceback" not in hostile_run["stdout"] + hostile_run["stderr"]


def test_hostile_batch_names_every_bad_file_with_its_reason(hostile_run: dict) -> None:
    lines = _lines(hostile_run)
    failures = {path: status for path, status in lines.items() if status.startswith("failed")}
    for bad, word in hostile_run["batch"].bad.items():
        matching = [path for path in failures if path == bad or path.startswith(bad + "!")]
        assert matching, f"{bad} is not named in:\n{hostile_run['stdout']}"
        assert any(word.lower() in failures[path].lower() for path in matching), (
            bad,
            [failures[path] for path in matching],
        )
    # Every input file shows up on some line.
    for path in hostile_run["batch"].paths:
        assert any(line == str(path) or line.startswith(f"{path}!") or line.startswith(
            f"{path}#") for line in lines), path  # fmt: skip


def test_hostile_batch_stores_every_good_article(hostile_run: dict) -> None:
    lines = _lines(hostile_run)
    good = hostile_run["batch"].good
    assert {path for path, status in lines.items() if status == "stored"} == good
    summary = hostile_run["stdout"].splitlines()[-1]
    assert summary.startswith(f"{len(good)} stored, 0 duplicate, ")
    with Store(hostile_run["store"], read_only=True) as store:
        assert store.count() == len(good)
        page = store.query("SELECT text FROM articles WHERE path LIKE '%xss-page.html'")
    # The XSS page is stored as its plain text: no markup, no script.
    (text,) = page["text"]
    assert "Spanish and Portuguese ministers met in Madrid" in text
    assert "<" not in text and "alert" not in text and "onerror" not in text


def test_hostile_batch_is_fast_and_small(hostile_run: dict) -> None:
    assert hostile_run["seconds"] < TIME_LIMIT
    assert hostile_run["peak_bytes"] < PEAK_RSS_LIMIT, f"{hostile_run['peak_bytes']:,} bytes"
    print(
        f"hostile batch: {len(hostile_run['batch'].paths)} files,"
        f" {hostile_run['stdout'].splitlines()[-1]}, {hostile_run['seconds']:.1f} s,"
        f" peak {hostile_run['peak_bytes'] / 1024**2:,.0f} MiB"
    )
