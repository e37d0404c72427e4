"""`claimscope serve` starts the dashboard on a given store and port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import PROJECT_DIR


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no health answer on port {port} within {timeout}s")


def test_serve_answers_health_on_the_given_port(tmp_path: Path):
    port = free_port()
    store = tmp_path / "serve.duckdb"
    claimscope = Path(sys.executable).parent / "claimscope"
    process = subprocess.Popen(
        [str(claimscope), "serve", "--port", str(port), "--store", str(store)],
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "CLAIMSCOPE_STORE": ""},
    )
    try:
        assert wait_for_health(port) == "ok"
        # The wrapper only waits for Streamlit: it must not hold the model's
        # libraries (spaCy at import made it 186 MB; now about 16 MB).
        status = Path(f"/proc/{process.pid}/status")
        if status.exists():
            rss_kb = int(next(line for line in status.read_text().splitlines()
                              if line.startswith("VmRSS:")).split()[1])  # fmt: skip
            assert rss_kb < 60_000, f"the serve wrapper holds {rss_kb:,} kB"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
