"""Connecting rules R02–R06, end to end through both sandboxes (real HTTP, real SQLite)."""

import datetime as dt

import pytest

from qbsync_desktop.domain import Category, Direction
from qbsync_desktop.domain.errors import SettingsInvalid
from qbsync_desktop.sync.types import ConnectionStatus
from tests.support.demo import ACME_REALM, realm_of


def test_R02_connect_stores_tokens_in_the_keyring_and_reads_the_company(world):
    info = world.connect()
    assert info.status is ConnectionStatus.ACTIVE
    assert info.qbo_realm_id == ACME_REALM
    assert info.qbo_company_name == "Acme OÜ (QuickBooks)"
    key = f"connection-{info.id}"
    assert world.svc.secrets.get(key, "qbo_refresh_token")
    assert world.svc.secrets.get(key, "scoro_api_key") == world.env.scoro_api_key


def test_R03_each_entity_is_its_own_connection_with_its_own_settings(world):
    ee = world.connect("acme_ee")
    us = world.connect("acme_us")
    assert ee.id != us.id
    assert (ee.qbo_realm_id, us.qbo_realm_id) == (ACME_REALM, realm_of("acme_us"))
    world.svc.update_category(ee.id, Category.BILLS, enabled=True)
    bills = {c.category: c for c in world.svc.categories(us.id)}[Category.BILLS]
    assert not bills.enabled


def test_R03_entities_of_one_site_listed_once_however_its_address_was_typed(world):
    from qbsync_desktop.store import models as m

    ee = world.connect("acme_ee")
    us = world.connect("acme_us")
    typed = world.env.scoro_url.upper() + "/api/v2/"
    m.Connection.update(scoro_site_url=typed).where(m.Connection.id == us.id).execute()
    listed = world.svc.site_entities()
    by_entity = {entity.company_account_id: cid for _site, entity, cid in listed}
    assert len(listed) == len(by_entity) == 3  # acme_ee, acme_us, acme_uk: each once
    assert by_entity == {"acme_ee": ee.id, "acme_us": us.id, "acme_uk": None}


def test_R03_a_second_entity_borrows_the_saved_secret_only_for_the_same_app(world):
    import dataclasses

    ee = world.connect("acme_ee")
    app = dataclasses.replace(world.env.app_config(), client_secret="")
    request = world.svc.begin_authorization(
        world.env.scoro_url, "", "acme_us", app, copy_secrets_from=ee.id
    )
    world.svc.cancel_authorization(request)
    other_app = dataclasses.replace(app, client_id="ABanotherApp0000000000000000000000000")
    with pytest.raises(SettingsInvalid):
        world.svc.begin_authorization(
            world.env.scoro_url, "", "acme_us", other_app, copy_secrets_from=ee.id
        )


def test_R04_currency_mismatch_blocks_activation_until_fixed(world):
    info = world.connect("acme_uk", settings=False)
    assert info.status is ConnectionStatus.CURRENCY_BLOCKED
    check = world.svc.check_currencies(info.id)
    assert not check.ok
    assert "GBP" in check.message and "USD" in check.message
    assert "Settings > Sales and finance > Currencies" in check.message
    assert "Settings > Advanced > Currency" in check.message
    result = world.svc.run(info.id)
    assert result.status == "failed"
    # The bookkeeper turns on multicurrency in QuickBooks, then presses "Check again".
    world.qbo_ctl("POST", f"company/{realm_of('acme_uk')}", multicurrency=True)
    again = world.svc.check_currencies(info.id)
    assert again.ok
    assert world.svc.connection(info.id).status is ConnectionStatus.ACTIVE


def test_R05_accounts_and_tax_rates_are_pulled_right_after_connecting(world):
    info = world.connect(settings=False)
    income = world.svc.accounts(info.id, "income")
    expense = world.svc.accounts(info.id, "expense")
    assert any("Sales" in a.label for a in income)
    assert any("Office Expenses" in a.label for a in expense)
    scoro_vat = {v["vat_code"]: v for v in world.scoro_list("vatCodes")}
    # QuickBooks masters tax rates: its inactive 22 % is inactive in Scoro too (R56).
    assert str(scoro_vat["VAT22"]["is_active"]) in ("0", "False", "false")


def test_R06_first_sync_needs_categories_mode_and_default_accounts(world):
    info = world.connect(settings=False)
    missing = world.svc.settings_complete(info.id)
    assert any("automatic or manual" in m for m in missing)
    assert any("income account" in m for m in missing)
    assert any("expense account" in m for m in missing)
    from tests.fixtures.world import apply_first_settings

    apply_first_settings(world.svc, info.id)
    assert world.svc.settings_complete(info.id) == []


def test_R40_start_date_floor_and_lock(world):
    info = world.connect()
    first = info.first_connected_at.date()
    with pytest.raises(SettingsInvalid, match="cannot be before"):
        world.svc.update_category(
            info.id, Category.INVOICES, start_date=first - dt.timedelta(days=1)
        )
    world.svc.update_category(info.id, Category.BILLS, start_date=first + dt.timedelta(days=1))
    world.svc.run(info.id, [Category.INVOICES])
    inv = {c.category: c for c in world.svc.categories(info.id)}[Category.INVOICES]
    assert inv.start_date_locked
    with pytest.raises(SettingsInvalid, match="locked"):
        world.svc.update_category(
            info.id, Category.INVOICES, start_date=first + dt.timedelta(days=3)
        )


def test_R30_R37_R38_fixed_directions_cannot_be_changed(world):
    info = world.connect()
    cats = {c.category: c for c in world.svc.categories(info.id)}
    for category in (Category.PROJECTS, Category.CLASSES, Category.BACKGROUND):
        assert cats[category].direction_fixed
        assert cats[category].direction is Direction.QBO_TO_SCORO
        with pytest.raises(SettingsInvalid, match="only sync"):
            world.svc.update_category(info.id, category, direction=Direction.SCORO_TO_QBO)
