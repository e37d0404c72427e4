"""A real Dask cluster for tests and the scale benchmark: a scheduler and N
single-threaded workers, each a separate process started with the ``dask``
command (``dask scheduler``, ``dask worker --nthreads 1``), as on a real
cluster; ``stop`` ends the processes it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pgserver import free_port

LIB_DIR = Path(__file__).resolve().parent.parent / "lib"


class DaskCluster:
    """``with DaskCluster(workers=2) as cluster:`` ... ``cluster.address``."""

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="claimscope-dask-"))
        self.processes: list[subprocess.Popen] = []
        env = dict(os.environ)
        # The workers import this checkout's claimscope, as the caller does.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(LIB_DIR), env.get("PYTHONPATH", "")) if p
        )
        self.env = env

    def _start(self, *args: str, log: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            env=self.env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / log, "wb"),  # noqa: SIM115 - the process owns it
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def start(self, timeout: float = 120) -> DaskCluster:
        self._start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-dashboard",
            log="scheduler.log",
        )
        for n in range(self.workers):
            self._start(
                "worker",
                self.address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--no-dashboard",
                "--memory-limit",
                "0",
                "--name",
                f"worker-{n}",
                log=f"worker-{n}.log",
            )
        self._wait(timeout)
        return self

    def _wait(self, timeout: float) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a dask process exited early: {self.logs()}")
            try:
                with Client(self.address, timeout="2s", set_as_default=False) as client:
                    client.wait_for_workers(
                        self.workers, timeout=max(1, deadline - time.monotonic())
                    )
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the dask cluster did not start: {self.logs()}") from None
                time.sleep(0.2)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.folder.glob("*.log"))
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self) -> DaskCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
