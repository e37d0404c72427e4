"""The real dashboard for browser tests: a Streamlit server on a store, and Chromium.

``dashboard(store, log)`` starts ``streamlit run dashboard.py`` on a free port
and always stops it; ``chromium(playwright)`` launches Debian's Chromium the
way every browser test does (headless, no sandbox, no GPU, no background
network). Tests skip when ``/usr/bin/chromium`` is missing (``make chromium``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make chromium` to install Debian's Chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the dashboard did not answer {url}/_stcore/health in {timeout:.0f} s")


@contextlib.contextmanager
def dashboard(store: Path, log: Path, **env: str) -> Iterator[str]:
    """A running dashboard on ``store`` (its output in ``log``); yields its URL."""
    require_chromium()
    port = free_port()
    environment = {**os.environ, "CLAIMSCOPE_STORE": str(store), **env}
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "streamlit"),
                "run",
                str(PROJECT_DIR / "dashboard.py"),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, server)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, as every browser test launches it."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


IDLE = (
    "[data-testid=stApp][data-test-script-state=notRunning][data-test-connection-state=CONNECTED]"
)


def settle(page: Any, pause: int = 1000) -> None:
    """Wait until the app has run its script to the end and the charts have been drawn.

    Streamlit marks its root with the script state (initial, running,
    notRunning); after a click the next run may not have started yet, so it
    waits for idle, pauses, and waits for idle again.
    """
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(pause)
    page.wait_for_selector(IDLE)


def metric(page: Any, label: str) -> int:
    """The value of the ``st.metric`` with this label, as an int."""
    found = page.locator("[data-testid=stMetric]").filter(has_text=label)
    return int(found.locator("[data-testid=stMetricValue]").inner_text().replace(",", ""))
