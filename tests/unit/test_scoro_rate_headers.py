"""Scoro's rate headers are counts and seconds: read as whole numbers (never through float),
a fractional wait rounded up so the next request cannot arrive early."""

from __future__ import annotations

import datetime as dt

from qbsync_desktop.scoro.ratebudget import RateBudget, header_int


def test_header_numbers_are_whole_and_round_waits_up():
    assert header_int("60") == 60
    assert header_int(" 0.2 ") == 1
    assert header_int("1e3") == 1000
    assert header_int("soon") is None
    assert header_int(None) is None


def test_a_spent_window_waits_its_reset_rounded_up():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    wall = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    budget = RateBudget(clock=lambda: now[0], sleep=sleep, wall_clock=lambda: wall)
    budget.observe({"x-ratelimit-limit": "10", "x-ratelimit-remaining": "0",
                    "x-ratelimit-reset": "1.4", "x-daily-requests-remaining": "5",
                    "x-daily-requests-reset": "3600"})  # fmt: skip
    budget.before_request(lambda: RuntimeError("quota"))
    assert slept == [2]
    assert budget.quota_reset_at() == wall + dt.timedelta(hours=1)
