"""Screenshots of the real app against the demo sandboxes.

`python -m tools.screenshots OUTDIR`, from the repository root, walks the connection wizard
(the browser step played by the sandbox's consent helper), runs a sync, and saves each wizard
page, the main window, the review panel and the preview dialog. Run under `xvfb-run -a`.

A developer's tool, outside the product package: it drives the sandboxes, which the app's ui
never imports.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QWidget

from qbsync_desktop.sandbox import demo_pairing


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or predicate}")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def grab(widget: QWidget, out: Path, name: str) -> Path:
    settle()
    path = out / f"{name}.png"
    # Full colour: an 8-bit palette turned the dark theme's greys navy and dimmed its text,
    # so the screenshots no longer showed what a bookkeeper sees.
    image = widget.grab().toImage()
    image.save(str(path), "PNG", 9)
    print(path)
    return path


def realm_for(company_account_id: str) -> str:
    return next(
        e["realm_id"]
        for e in demo_pairing.ENTITIES
        if e["company_account_id"] == company_account_id
    )


def browser_for(company_account_id: str) -> Callable:
    """Stands in for QDesktopServices.openUrl: approves on the sandbox consent page."""
    from qbsync_desktop.sandbox.browser import consent

    def open_url(url) -> bool:
        threading.Thread(
            target=consent, args=(url.toString(), realm_for(company_account_id)), daemon=True
        ).start()
        return True

    return open_url


def walk_wizard(
    window, out: Path, company_account_id: str, prefix: str, *, finish: bool = True
) -> None:
    from qbsync_desktop.ui import wizard as wizard_mod
    from qbsync_desktop.ui.wizard import authorize as authorize_page

    window.open_wizard()
    wiz = window.wizard
    wiz.resize(760, 600)
    wait_until(wiz.isVisible, 10, "wizard")
    grab(wiz, out, f"{prefix}1-welcome")
    wiz.next()
    wiz.scoro_page.test()
    wait_until(lambda: wiz.scoro_page.entities.count() > 0, 30, "entities")
    wiz.scoro_page.select_entity(company_account_id)
    grab(wiz, out, f"{prefix}2-scoro")
    wiz.next()
    grab(wiz, out, f"{prefix}3-quickbooks-app")
    wiz.next()
    grab(wiz, out, f"{prefix}4-authorize")
    authorize_page.open_url = browser_for(company_account_id)
    wiz.auth_page.start()
    wait_until(lambda: wiz.currentId() == wizard_mod.PAGE_CURRENCY, 60, "authorization")
    wait_until(lambda: wiz.currency_page.check is not None, 60, "currency check")
    grab(wiz, out, f"{prefix}5-currencies")
    if not finish:
        wiz.reject()
        return
    wiz.next()
    grab(wiz, out, f"{prefix}6-first-settings")
    wiz.settings_page.manual.setChecked(True)
    if wiz.settings_page.income.count() > 1:
        wiz.settings_page.income.setCurrentIndex(1)
    if wiz.settings_page.expense.count() > 1:
        wiz.settings_page.expense.setCurrentIndex(1)
    wiz.accept()
    settle()


def second_entity(window, out: Path) -> None:
    """Adding another entity of the connected site: the saved key and secret serve it."""
    window.open_wizard()
    wiz = window.wizard
    wiz.resize(760, 600)
    wait_until(wiz.isVisible, 10, "wizard")
    wiz.next()
    page = wiz.scoro_page
    page.api_key.clear()  # the demo fills it in; a bookkeeper would leave it empty
    page.site.setText(page.site.text().upper() + "/")
    page.company.setText("acme_us")
    page.test()
    wait_until(lambda: page.entities.count() > 0, 30, "entities")
    page.select_entity("acme_us")
    grab(wiz, out, "wizard-second-entity-2-scoro")
    wiz.next()
    wiz.app_page.client_secret.clear()
    grab(wiz, out, "wizard-second-entity-3-quickbooks-app")
    wiz.reject()
    settle()


def make_old_invoices(demo, numbers: list[str]) -> None:
    """Invoices made in Scoro a year before the connection, like 1001: what "Import older…"
    brings in (Scoro stamps them with its clock, moved back while they are made)."""
    import requests

    def ctl(path: str, **body):
        r = requests.post(f"{demo.scoro_url}/_sandbox/{path}", json=body, timeout=10)
        r.raise_for_status()
        return r.json()

    rows = demo.scoro.store.table("acme_ee", "invoices").values()
    model = next(r for r in rows if str(r.get("no")) == "1001")
    keys = ("product_id", "comment", "amount", "price", "vat_code_id", "finance_account_id")
    lines = [{k: str(line[k]) if line.get(k) is not None else None for k in keys}
             for line in model["lines"]]  # fmt: skip
    year = 400 * 86400
    ctl("clock", advance_seconds=-year)
    try:
        for number in numbers:
            ctl("create", company_account_id="acme_ee", module="invoices", data={
                "no": number, "company_id": model["company_id"], "date": "2025-02-03",
                "status": "sent", "currency": model.get("currency") or "EUR", "lines": lines,
            })  # fmt: skip
    finally:
        ctl("clock", advance_seconds=year)


def make_conflict(demo) -> None:
    """Edit one product in QuickBooks and in Scoro, as two people would between syncs."""
    import requests

    realm = realm_for("acme_ee")
    items = requests.get(f"{demo.qbo_url}/_sandbox/objects/{realm}/Item", timeout=10).json()
    item = next(i for i in items["Item"] if i["Name"] == "Hosting (monthly)")
    requests.post(
        f"{demo.qbo_url}/_sandbox/objects/{realm}/Item",
        json={"Id": item["Id"], "UnitPrice": 45},
        timeout=10,
    ).raise_for_status()
    body = {
        "apiKey": demo.scoro_api_key,
        "company_account_id": "acme_ee",
        "request": {},
        "per_page": 100,
        "page": 1,
    }
    products = requests.post(f"{demo.scoro_url}/api/v2/products/list", json=body, timeout=10)
    product = next(p for p in products.json()["data"] if p.get("name") == "Hosting (monthly)")
    requests.post(
        f"{demo.scoro_url}/_sandbox/edit",
        json={
            "company_account_id": "acme_ee",
            "module": "products",
            "id": product.get("product_id") or product.get("id"),
            "changes": {"price": "59.90"},
        },
        timeout=10,
    ).raise_for_status()


def close_messages(window) -> None:
    from PySide6.QtWidgets import QMessageBox

    for box in window.findChildren(QMessageBox):
        box.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args(argv)
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)

    from qbsync_desktop.demo import DemoEnvironment
    from qbsync_desktop.secrets import MemorySecretStore
    from qbsync_desktop.sync.service import SyncService
    from qbsync_desktop.ui import messages
    from qbsync_desktop.ui.application import make_app
    from qbsync_desktop.ui.main_window import MainWindow

    app = make_app()
    data = Path(tempfile.mkdtemp(prefix="qbsync-shots-"))
    demo = DemoEnvironment(data / "sandbox").start()
    service = SyncService(data, MemorySecretStore())
    messages.confirm = lambda *a, **k: False  # "Run the first sync now?" — we run it below
    settings = QSettings(str(data / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(service, settings, demo=demo, use_tray=False)
    window.resize(1280, 860)
    window.show()
    try:
        walk_wizard(window, out, "acme_uk", "wizard-blocked-", finish=False)
        walk_wizard(window, out, "acme_ee", "wizard-")
        cid = window.connection_id
        second_entity(window, out)
        window.load_site_entities()
        wait_until(lambda: window.entity_list.count() >= 3, 60, "entities")
        for row in range(window.entity_list.count()):
            key = window.entity_list.item(row).data(Qt.ItemDataRole.UserRole)
            if key[0] == "entity":
                window.entity_list.setCurrentRow(row)
                grab(window, out, "main-entity-not-connected")
                break
        window.select_connection(cid)
        grab(window, out, "main-before-sync")
        results = []
        window.run_done.connect(results.append)
        window.preview()
        wait_until(lambda: window.preview_dialog is not None, 300, "preview")
        grab(window.preview_dialog, out, "preview-dialog")
        window.preview_dialog.close()
        results.clear()
        window.start_run(cid, None)
        wait_until(lambda: results, 300, "sync")
        # The same product edited in both systems before the next sync: a conflict to review.
        make_conflict(demo)
        results.clear()
        window.start_run(cid, None)
        wait_until(lambda: results, 300, "second sync")
        close_messages(window)
        window.refresh_all()
        window.tabs.setCurrentIndex(0)
        grab(window, out, "main-after-sync")
        # Small laptop screens: the window fills the screen less a taskbar, nothing cut off.
        full = window.size()
        for width, height in ((1024, 768), (1366, 768)):
            window.resize(width, height - 40)
            grab(window, out, f"main-after-sync-{width}x{height}")
        # Dark mode: the OS palette followed, nothing hard-coded light (Fusion + dark).
        from qbsync_desktop.ui.theme import dark_palette

        light_style, light_palette = app.style().name(), app.palette()
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
        window.resize(1024, 768 - 40)
        grab(window, out, "main-after-sync-dark-1024x768")
        window.tabs.setCurrentIndex(1)
        warning = next(i for i in window.review.items if i.type == "currency_mismatch")
        window.review.select(warning.id)
        settle(1.0)
        grab(window, out, "review-warning-dark-1024x768")
        window.tabs.setCurrentIndex(0)
        app.setStyle(light_style)
        app.setPalette(light_palette)
        window.resize(full)
        window.tabs.setCurrentIndex(1)
        review = window.review
        conflict = next((i for i in review.items if i.type == "conflict"), None)
        if conflict is None:
            raise RuntimeError("the demo made no conflict to show")
        review.select(conflict.id)
        grab(window, out, "review-conflict")
        warning = next(i for i in review.items if i.type == "currency_mismatch")
        review.select(warning.id)
        grab(window, out, "review-warning")
        window.tabs.setCurrentIndex(3)
        grab(window, out, "history")
        window.tabs.setCurrentIndex(2)
        window.documents.search()
        wait_until(lambda: window.documents.search_button.isEnabled(), 60, "search")
        numbers = [d.number for d in window.documents.results]
        if "1001" in numbers:
            window.documents.table.selectRow(numbers.index("1001"))
        grab(window, out, "documents")
        window.tabs.setCurrentIndex(0)
        window.log_pane.find.setText("held")
        grab(window.log_pane, out, "log-pane")
        window.log_pane.find.clear()
        # Older documents, on purpose and with a preview; the sync settings with the
        # scheduler's options below Automatic.
        from PySide6.QtCore import QDate

        from qbsync_desktop.domain import Category

        make_old_invoices(demo, ["0901", "0902"])
        window.tabs.setCurrentIndex(0)
        overview = window.overview
        overview.table.rows[Category.INVOICES].import_button.click()
        table = overview.table
        wait_until(lambda: getattr(table, "history_dialog", None) is not None, 10, "dialog")
        dialog = table.history_dialog
        dialog.from_date.setDate(QDate(2025, 1, 1))
        dialog.preview_button.click()
        wait_until(lambda: dialog.preview_result is not None, 120, "history preview")
        grab(dialog, out, "import-history-preview")
        dialog.reject()
        settings_panel = overview.findChild(QWidget, "closedSync")
        if settings_panel is not None:
            wait_until(lambda: settings_panel.sync_unavailable is not None, 30, "os jobs")
            grab(settings_panel.parentWidget(), out, "sync-settings")
    finally:
        window._quitting = True
        window.close()
        from qbsync_desktop.ui.worker import wait_all

        wait_all(30_000)
        service.close()
        demo.stop()
        if not args.keep_data:
            shutil.rmtree(data, ignore_errors=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
