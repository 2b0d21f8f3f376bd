"""The log says what happened, once, in full sentences; a preview's lines say they are one;
Find also finds a time."""

from __future__ import annotations

import re

from tests.support.ui_runs import drain, sync

BARE_LABEL = re.compile(r"^(Invoice|Credit note|Bill|Customer|Vendor|Product|Project)\s+\S+$")


def messages(window) -> list[str]:
    return [row[3] for row in window.log_pane.visible_rows()]


def test_log_lines_are_sentences_and_none_is_doubled(window, connected, qtbot):
    sync(qtbot, window)
    drain(qtbot)
    lines = messages(window)
    assert lines, "the run wrote to the log"
    assert [m for m in lines if BARE_LABEL.match(m)] == []
    held = [m for m in lines if "held for review" in m]
    assert held and len(held) == len(set(held)), held


def test_preview_lines_say_they_are_a_preview(window, connected, qtbot):
    with qtbot.waitSignal(window.run_done, timeout=60_000):
        window.preview_action.trigger()
    drain(qtbot)
    if window.preview_dialog is not None:
        window.preview_dialog.close()
    held = [m for m in messages(window) if "held for review" in m]
    assert held and all(m.startswith("Preview: ") for m in held), held


def test_find_searches_the_time_column(window, connected, qtbot):
    sync(qtbot, window)
    drain(qtbot)
    first = window.log_pane.visible_rows()[0]
    minute = first[0][11:16]  # "HH:MM" of the first line's time
    window.log_pane.find.setText(minute)
    qtbot.wait(50)
    rows = window.log_pane.visible_rows()
    assert rows and all(minute in row[0] or minute in row[3] for row in rows)
