"""The desktop notification a finished sync gives: whether there is one, and its words.

The decision is plain Python (qbsync_desktop/ui/notices.py), checked here without a tray or Qt;
tests/ui/test_run_outcomes.py checks that the tray receives it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qbsync_desktop.sync.types import RunResult
from qbsync_desktop.ui.notices import Notice, first_sentence, run_notice


def result(status: str, **kw) -> RunResult:
    return RunResult(run_id=1, connection_id=1, status=status, **kw)


def test_the_decision_needs_no_qt():
    # A fresh interpreter: the tray is optional, the decision is not.
    code = (
        "import sys, qbsync_desktop.ui.notices\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("status", ["ok", "cancelled"])
def test_nothing_is_said_when_all_is_well(status):
    assert run_notice(result(status, created=4, updated=2), "Acme OÜ", to_review=0) is None


def test_items_to_review_are_counted_as_the_review_tab_counts_them():
    notice = run_notice(result("review", held=1), "Acme OÜ", to_review=2)
    assert notice == Notice(
        "2 items need your review",
        "The sync of Acme OÜ held them back. Click to see them in the Review tab.",
        opens_review=True,
    )


def test_one_item_to_review_is_singular():
    notice = run_notice(result("review", held=1), "Acme OÜ", to_review=1)
    assert notice is not None
    assert notice.title == "1 item needs your review"
    assert "held it back" in notice.text and "see it in" in notice.text


def test_without_the_open_count_the_runs_own_count_is_said():
    notice = run_notice(result("review", held=2, totals_differ=1), "Acme OÜ")
    assert notice is not None and notice.title == "3 items need your review"


def test_review_items_resolved_meanwhile_are_not_announced():
    assert run_notice(result("review", held=2), "Acme OÜ", to_review=0) is None


def test_a_sign_in_to_renew_says_quickbooks_needs_reconnecting():
    notice = run_notice(
        result("reconnect_needed", message="invalid_grant: refresh token revoked"), "Acme OÜ"
    )
    assert notice is not None
    assert notice.title == "QuickBooks needs reconnecting"
    assert "Acme OÜ" in notice.text and "Reconnect" in notice.text
    assert "invalid_grant" not in notice.text  # the bookkeeper's words, not the server's
    assert not notice.opens_review


def test_a_failed_run_says_why_in_one_sentence():
    notice = run_notice(
        result("failed", held=1),
        "Acme OÜ",
        to_review=5,
        reason="QuickBooks could not be reached\nCheck your internet connection.",
    )
    assert notice is not None
    assert notice.title == "The sync failed"
    assert notice.text.startswith(
        "The sync of Acme OÜ failed: QuickBooks could not be reached. Nothing was lost"
    )
    assert "Check your internet" not in notice.text


def test_a_run_stopped_by_an_error_is_a_failure_too():
    notice = run_notice(None, "Acme OÜ", reason="The database is locked.")
    assert notice is not None and notice.title == "The sync failed"
    assert "failed: The database is locked. Nothing was lost" in notice.text


def test_a_failure_without_a_reason_still_reads_as_a_sentence():
    notice = run_notice(result("failed"), "Acme OÜ")
    assert notice is not None and "failed: it stopped early. Nothing" in notice.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  \n", ""),
        ("Done", "Done."),
        ("Done!", "Done!"),
        ("First line.\nSecond line", "First line."),
    ],
)
def test_first_sentence(text, expected):
    assert first_sentence(text) == expected
