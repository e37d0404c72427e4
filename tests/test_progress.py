"""Progress of a long ingest: done, rate and time left; the total counted on the side."""

from __future__ import annotations

import logging

from claimscope.progress import Progress, Tally, duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_time_left_come_from_the_average_since_the_start() -> None:
    clock = Clock()
    progress = Progress(clock=clock)
    assert progress.describe() == "0 articles"
    clock.now += 10
    progress.advance(32)  # a worker's batch arrives at once
    assert progress.rate == 3.2
    assert progress.describe() == "32 articles · 3.2 articles/s"
    progress.total = 96
    assert progress.fraction == 1 / 3
    assert progress.seconds_left == 20
    assert progress.describe() == "32 of 96 articles · 3.2 articles/s · about 20 s left"


def test_durations_read_naturally() -> None:
    assert [duration(s) for s in (42, 185, 7620)] == ["42 s", "3 min 5 s", "2 h 7 min"]


def test_tally_counts_in_the_background_and_logs_nothing(caplog) -> None:
    def items():
        logging.getLogger("claimscope.read").info("a damaged file")
        yield from range(5)

    with caplog.at_level(logging.INFO, logger="claimscope"):
        tally = Tally(items)
        assert tally.join(timeout=10) == 5
    assert not caplog.records


def test_tally_of_a_failing_read_has_no_total() -> None:
    def items():
        yield 1
        raise OSError("gone")

    tally = Tally(items)
    assert tally.join(timeout=10) is None
    assert isinstance(tally.error, OSError)
