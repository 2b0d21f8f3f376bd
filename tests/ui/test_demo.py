"""The GUI over the real SyncService and both demo sandboxes, over real HTTP on 127.0.0.1.

The browser step is played by `sandbox.browser.consent`: it GETs the authorize URL, submits
the consent form (Connect) and follows the redirect to the app's loopback server.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests
from PySide6.QtCore import QTimer

from qbsync_desktop.demo import DemoEnvironment, apply_first_settings
from qbsync_desktop.sandbox import demo_pairing
from qbsync_desktop.sandbox.browser import consent
from qbsync_desktop.secrets import MemorySecretStore
from qbsync_desktop.sync.service import SyncService
from qbsync_desktop.sync.types import ConnectionStatus
from qbsync_desktop.ui import wizard as wizard_mod
from qbsync_desktop.ui import worker

from .conftest import drain

FAST_QBO = {"limits": {"per_minute": 100000, "per_second": 100000, "batch_per_minute": 100000}}


def realm_of(company_account_id: str) -> str:
    return next(
        e["realm_id"]
        for e in demo_pairing.ENTITIES
        if e["company_account_id"] == company_account_id
    )


@pytest.fixture
def demo(tmp_path):
    env = DemoEnvironment(None, qbo_kwargs=FAST_QBO).start()
    svc = SyncService(tmp_path / "data", MemorySecretStore())
    yield env, svc
    # Windows may be torn down after this fixture: their runs must end before the store closes.
    worker.wait_all(60_000)
    svc.close()
    env.stop()


@pytest.fixture
def browser(monkeypatch):
    """The system browser, approving the company the test names."""
    state = {"company": "acme_ee", "opened": []}

    def open_url(url) -> bool:
        state["opened"].append(url.toString())
        threading.Thread(
            target=consent, args=(url.toString(), realm_of(state["company"])), daemon=True
        ).start()
        return True

    monkeypatch.setattr(wizard_mod, "open_url", open_url)
    return state


def qbo_ctl(env, path, **body):
    r = requests.post(f"{env.qbo_url}/_sandbox/{path}", json=body, timeout=10)
    r.raise_for_status()
    return r.json()


def scoro_ctl(env, path, **body):
    r = requests.post(f"{env.scoro_url}/_sandbox/{path}", json=body, timeout=10)
    r.raise_for_status()
    return r.json()


def connect(env, svc, company="acme_ee"):
    pair = next(p for p in env.pairs if p.company_account_id == company)
    return env.connect(svc, pair)


def walk_to_currency_page(qtbot, window, company):
    window.open_wizard()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    assert wiz.currentId() == wizard_mod.PAGE_WELCOME
    wiz.next()
    page = wiz.scoro_page
    page.test_button.click()
    qtbot.waitUntil(lambda: page.entities.count() > 0, timeout=20_000)
    page.select_entity(company)
    assert page.isComplete()
    wiz.next()
    assert wiz.currentId() == wizard_mod.PAGE_APP
    assert wiz.app_page.environment.currentData() == "local"  # demo credentials pre-filled
    wiz.next()
    assert wiz.currentId() == wizard_mod.PAGE_AUTHORIZE
    wiz.auth_page.open_button.click()
    qtbot.waitUntil(lambda: wiz.currentId() == wizard_mod.PAGE_CURRENCY, timeout=30_000)
    qtbot.waitUntil(lambda: wiz.currency_page.check is not None, timeout=20_000)
    return wiz


def test_R01_R02_R05_R06_wizard_connects_through_the_demo(qtbot, make_window, demo, browser):
    env, svc = demo
    window = make_window(svc, demo=env)
    window.show()
    window.open_wizard()
    welcome = window.wizard.page(wizard_mod.PAGE_WELCOME).findChild(
        type(window.status_label), "welcomeText"
    )
    assert "QuickBooks Desktop is not supported" in welcome.text()  # R01
    window.wizard.reject()
    browser["company"] = "acme_ee"
    wiz = walk_to_currency_page(qtbot, window, "acme_ee")
    assert browser["opened"]  # the system browser was asked to open the authorize URL
    assert wiz.currency_page.check.ok
    assert wiz.currency_page.result.text().startswith("✓")
    wiz.next()
    settings = wiz.settings_page
    assert wiz.currentId() == wizard_mod.PAGE_SETTINGS
    assert settings.income.count() > 1 and settings.expense.count() > 1  # R05: accounts pulled
    assert not settings.isComplete() or settings.income.currentData()  # R06 until chosen
    settings.manual.setChecked(True)
    settings.income.setCurrentIndex(1)
    settings.expense.setCurrentIndex(1)
    assert settings.isComplete()
    wiz.accept()
    qtbot.waitUntil(lambda: not wiz.isVisible())
    info = svc.connection(wiz.connection_id)
    assert info.status is ConnectionStatus.ACTIVE
    assert info.qbo_realm_id == realm_of("acme_ee")
    assert svc.settings_complete(info.id) == []
    assert window.connection_id == info.id
    assert window.sync_action.isEnabled()


def test_R04_currency_block_and_check_again(qtbot, make_window, demo, browser):
    env, svc = demo
    window = make_window(svc, demo=env)
    window.show()
    browser["company"] = "acme_uk"
    wiz = walk_to_currency_page(qtbot, window, "acme_uk")
    page = wiz.currency_page
    assert not page.check.ok
    assert page.result.text().startswith("✗") and "GBP" in page.result.text()
    fixes = page.fixes.text()
    assert "Sales and finance" in fixes and "Advanced" in fixes and "multicurrency" in fixes
    assert not page.isComplete()
    assert not page.check_button.isHidden()
    qbo_ctl(env, f"company/{realm_of('acme_uk')}", multicurrency=True)
    page.check_button.click()
    qtbot.waitUntil(lambda: page.check is not None and page.check.ok, timeout=20_000)
    assert page.isComplete()
    assert page.result.text().startswith("✓")
    wiz.reject()


def test_R42_sync_now_with_progress_and_responsive_event_loop(qtbot, make_window, demo):
    env, svc = demo
    connect(env, svc)
    window = make_window(svc, demo=env)
    window.show()
    assert window.sync_action.isEnabled()
    # Change something so the run has records to carry, after the start date.
    scoro_ctl(
        env,
        "create",
        company_account_id="acme_ee",
        module="contacts",
        data={
            "name": "Responsive Test OÜ",
            "contact_type": "company",
            "is_client": True,
            "is_supplier": False,
        },
    )
    gaps, last = [], [time.monotonic()]

    def tick():
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    progress_seen = []
    window.bridge.progress.connect(lambda ev: progress_seen.append(ev))
    ticker.start()
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        window.sync_action.trigger()
    ticker.stop()
    result = blocker.args[0]
    assert result is not None and result.status in ("ok", "review"), result
    assert progress_seen
    assert max(gaps) < 0.25, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"
    assert window.history.table.rowCount() >= 1
    assert window.log_pane.model.rowCount() > 0


def test_preview_changes_nothing(qtbot, make_window, demo):
    env, svc = demo
    connect(env, svc)
    scoro_ctl(
        env,
        "create",
        company_account_id="acme_ee",
        module="contacts",
        data={
            "name": "Preview Only OÜ",
            "contact_type": "company",
            "is_client": True,
            "is_supplier": False,
        },
    )
    window = make_window(svc, demo=env)
    window.show()
    realm = realm_of("acme_ee")
    before = requests.get(f"{env.qbo_url}/_sandbox/stats", timeout=10).json()["objects"][realm]
    history_before = len(svc.history(window.connection_id))
    with qtbot.waitSignal(window.run_done, timeout=60_000):
        window.preview_action.trigger()
    dialog = window.preview_dialog
    assert dialog is not None and dialog.isVisible()
    assert "Nothing has been changed" in dialog.summary.text() or "nothing" in (
        dialog.summary.text().lower()
    )
    after = requests.get(f"{env.qbo_url}/_sandbox/stats", timeout=10).json()["objects"][realm]
    assert after == before
    runs = svc.history(window.connection_id)
    assert all(r.dry_run for r in runs[: len(runs) - history_before])
    dialog.close()


def test_R02_reconnect_after_revoked_token(qtbot, make_window, demo, browser):
    env, svc = demo
    connect(env, svc)
    window = make_window(svc, demo=env)
    window.show()
    qbo_ctl(
        env, "faults", faults=[{"type": "revoke_refresh_token"}, {"type": "expire_access_token"}]
    )
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        window.synchronize_now()
    assert blocker.args[0].status == "reconnect_needed"
    drain(qtbot)
    assert window.current().status is ConnectionStatus.RECONNECT_NEEDED
    assert not window.header.reconnect.isHidden()
    assert not window.sync_action.isEnabled()
    window.header.reconnect.click()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    assert wiz.currentId() == wizard_mod.PAGE_SCORO
    wiz.scoro_page.test_button.click()
    qtbot.waitUntil(lambda: wiz.scoro_page.isComplete(), timeout=20_000)
    assert wiz.scoro_page.entity().company_account_id == "acme_ee"
    wiz.next()
    wiz.next()
    wiz.auth_page.open_button.click()
    qtbot.waitUntil(lambda: wiz.currentId() == wizard_mod.PAGE_CURRENCY, timeout=30_000)
    qtbot.waitUntil(lambda: wiz.currency_page.isComplete(), timeout=20_000)
    assert wiz.currency_page.isFinalPage()
    wiz.accept()
    drain(qtbot)
    assert window.current().status is ConnectionStatus.ACTIVE
    assert len(window.connections) == 1  # the same connection, not a new one
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        window.synchronize_now()
    assert blocker.args[0].status in ("ok", "review")


def test_resolve_conflict_from_review_panel(qtbot, make_window, demo):
    env, svc = demo
    info = connect(env, svc)
    realm = realm_of("acme_ee")
    new = scoro_ctl(
        env,
        "create",
        company_account_id="acme_ee",
        module="contacts",
        data={
            "name": "Conflict Test OÜ",
            "contact_type": "company",
            "is_client": True,
            "is_supplier": False,
        },
    )
    assert svc.run(info.id).status in ("ok", "review")
    customers = requests.get(f"{env.qbo_url}/_sandbox/objects/{realm}/Customer", timeout=10).json()[
        "Customer"
    ]
    customer = next(c for c in customers if c["DisplayName"] == "Conflict Test OÜ")
    scoro_ctl(
        env,
        "edit",
        company_account_id="acme_ee",
        module="contacts",
        id=new["id"],
        changes={"name": "Conflict Test OÜ S"},
    )
    qbo_ctl(
        env,
        f"objects/{realm}/Customer",
        Id=customer["Id"],
        sparse=True,
        DisplayName="Conflict Test OÜ Q",
        CompanyName="Conflict Test OÜ Q",
    )
    window = make_window(svc, demo=env)
    window.show()
    with qtbot.waitSignal(window.run_done, timeout=60_000):
        window.synchronize_now()
    review = window.review
    conflicts = [i for i in review.items if i.type == "conflict"]
    assert conflicts, [i.type for i in review.items]
    assert window.tabs.tabText(1) == f"Review ({review.count()})"
    window.show_review()
    review.select(conflicts[0].id)
    assert not review.fields.isHidden()
    assert review.fields.item(0, 1).text() == "Conflict Test OÜ S"
    assert review.fields.item(0, 3).text() == "Conflict Test OÜ Q"
    assert not review.buttons["take_source"].isHidden()
    count = review.count()
    with qtbot.waitSignal(review.resolved, timeout=60_000):
        review.buttons["take_source"].click()
    assert review.count() == count - 1
    customers = requests.get(f"{env.qbo_url}/_sandbox/objects/{realm}/Customer", timeout=10).json()[
        "Customer"
    ]
    customer = next(c for c in customers if c["Id"] == customer["Id"])
    assert customer["DisplayName"] == "Conflict Test OÜ S"


def test_cancel_a_demo_sync(qtbot, make_window, demo):
    env, svc = demo
    info = connect(env, svc)
    apply_first_settings(svc, info.id)
    qbo_ctl(env, "faults", type="slow", seconds=0.3, count=50)
    window = make_window(svc, demo=env)
    window.show()
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        window.synchronize_now()
        qtbot.wait(200)
        window.cancel_action.trigger()
    assert blocker.args[0].status in ("cancelled", "ok", "review")
    assert not window.runs and window.sync_action.isEnabled()
