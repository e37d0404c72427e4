"""Progress of a long ingest: done, total, rate and time left, honest under worker processes.

``done`` counts outcomes the caller has received (stored, duplicate, failed,
skipped), never articles merely handed to a worker, so the figures never run
ahead of the store. The rate is the average since the start (worker start-up
included), not a burst: with workers, outcomes arrive a batch at a time.

How many items there are is not known up front (a CSV or a zip holds many
articles): :class:`Tally` counts them in a background thread by reading the
input a second time (reading is about 1% of the work), and the time left
appears once it is done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class Progress:
    """A running count against an optional total; ``clock`` is injectable for tests."""

    total: int | None = None
    done: int = 0
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def advance(self, count: int = 1) -> None:
        self.done += count

    @property
    def elapsed(self) -> float:
        return max(self.clock() - self.started, 0.0)

    @property
    def rate(self) -> float | None:
        """Items per second since the start; ``None`` before the first one."""
        if not self.done or self.elapsed <= 0:
            return None
        return self.done / self.elapsed

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(self.done / self.total, 1.0)

    @property
    def seconds_left(self) -> float | None:
        rate = self.rate
        if self.total is None or rate is None:
            return None
        return max(self.total - self.done, 0) / rate

    def describe(self, unit: str = "articles") -> str:
        """``120 of 334 articles · 6.1 articles/s · about 35 s left`` (parts as known)."""
        count = f"{self.done:,} of {self.total:,}" if self.total is not None else f"{self.done:,}"
        parts = [f"{count} {unit}"]
        if self.rate is not None:
            parts.append(f"{self.rate:,.1f} {unit}/s")
        if self.seconds_left is not None and self.done < (self.total or 0):
            parts.append(f"about {duration(self.seconds_left)} left")
        return " · ".join(parts)


def duration(seconds: float) -> str:
    """``42 s``, ``3 min 5 s``, ``2 h 7 min``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


class Tally:
    """Counts the items of an iterable in a daemon thread; :attr:`total` once known.

    What the counting pass logs (a damaged file, say) is dropped, by a filter on
    every log handler for that thread's records: the real pass logs it once.
    """

    def __init__(self, items: Callable[[], Iterable[object]]) -> None:
        self.total: int | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._count, args=(items,), daemon=True)
        self._thread.start()

    def _count(self, items: Callable[[], Iterable[object]]) -> None:
        hush = _FromThread(threading.get_ident())
        handlers = _all_handlers()
        for handler in handlers:
            handler.addFilter(hush)
        try:
            self.total = sum(1 for _ in items())
        except Exception as error:  # noqa: BLE001 - the real read reports it; no total then
            self.error = error
        finally:
            for handler in handlers:
                handler.removeFilter(hush)

    def join(self, timeout: float | None = None) -> int | None:
        self._thread.join(timeout)
        return self.total


def _all_handlers() -> set[logging.Handler]:
    loggers = [logging.getLogger()] + [
        logger
        for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    return {handler for logger in loggers for handler in logger.handlers}


class _FromThread(logging.Filter):
    """Drops the records logged by one thread."""

    def __init__(self, ident: int) -> None:
        super().__init__()
        self.ident = ident

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread != self.ident
