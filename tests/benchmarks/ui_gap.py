"""The longest gap between event-loop ticks while the window runs a demo sync.

Run by `make bench` in its own process (offscreen Qt): the same figure tests/ui asserts on
(< 250 ms), here reported as a number. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from qbsync_desktop.demo import DemoEnvironment
    from qbsync_desktop.secrets.memory import MemorySecretStore
    from qbsync_desktop.sync.service import SyncService
    from qbsync_desktop.ui import worker
    from qbsync_desktop.ui.main_window import MainWindow
    from tests.fixtures.event_loop import LoopGaps

    app = QApplication.instance() or QApplication(sys.argv[:1])
    data = tempfile.mkdtemp(prefix="qbsync-bench-ui-")
    env = DemoEnvironment(None, size=os.environ.get("BENCH_UI_SIZE", "demo")).start()
    svc = SyncService(data, MemorySecretStore())
    try:
        info = env.connect(svc, env.pairs[0])
        settings = QSettings(os.path.join(data, "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(svc, settings, demo=env, use_tray=False)
        window.show()
        deadline = time.monotonic() + 30
        while worker.active_count() and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        ticker = LoopGaps()
        done = []
        window.run_done.connect(done.append)
        started = time.monotonic()
        ticker.start()
        window.sync_action.trigger()
        while not done and time.monotonic() - started < 120:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        ticker.stop()
        result = done[0] if done else None
        print(
            json.dumps(
                {
                    "ui_max_event_loop_gap_ms": (
                        round(ticker.longest * 1000, 1) if ticker.gaps else None
                    ),
                    "ui_ticks": len(ticker.gaps),
                    "ui_sync_seconds": round(time.monotonic() - started, 2),
                    "ui_sync_status": getattr(result, "status", "timeout"),
                    "ui_connection": info.title,
                }
            )
        )
        for task in list(window.runs.values()):
            task.cancel_event.set()
        window._quitting = True
        window.close()
        worker.wait_all(30_000)
    finally:
        svc.close()
        env.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
