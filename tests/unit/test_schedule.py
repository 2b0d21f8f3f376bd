"""R41/R38: when automatic runs are due."""

import datetime as dt

import pytest

from qbsync_desktop.sync import schedule

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def test_R41_manual_mode_is_never_due():
    assert not schedule.is_due("manual", None, NOW)


@pytest.mark.parametrize(("mode", "hours"), [("hourly", 1), ("daily", 24), ("weekly", 168)])
def test_R41_due_after_its_interval(mode, hours):
    last = NOW - dt.timedelta(hours=hours) + dt.timedelta(minutes=1)
    assert not schedule.is_due(mode, last, NOW)
    assert schedule.is_due(mode, last - dt.timedelta(minutes=1), NOW)


def test_R41_overdue_or_never_run_is_due_at_launch():
    assert schedule.is_due("daily", None, NOW)
    assert schedule.is_due("daily", NOW - dt.timedelta(days=9), NOW)


def test_never_two_runs_of_one_connection_at_once():
    assert not schedule.is_due("hourly", None, NOW, running=True)


def test_R38_background_items_have_their_own_schedule():
    last_background = NOW - dt.timedelta(hours=2)
    assert schedule.is_due("hourly", last_background, NOW)
    assert not schedule.is_due("weekly", last_background, NOW)


def test_unknown_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown sync mode"):
        schedule.is_due("fortnightly", None, NOW)
