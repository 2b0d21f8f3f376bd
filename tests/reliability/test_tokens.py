"""Tokens: an access token that expires in the middle of a run, a refresh token that rotates
(sandbox clock + 25 h), and a revoked refresh token (invalid_grant): only that connection
stops (Reconnect needed), nothing is lost, the other connection keeps syncing, and after
reconnecting the sync resumes without duplicates."""

from __future__ import annotations

from qbsync_desktop.quickbooks.tokens import REFRESH_TOKEN_NAME
from qbsync_desktop.secrets.memory import MemorySecretStore
from qbsync_desktop.sync.settings import connection_row
from qbsync_desktop.sync.types import EventType
from qbsync_desktop.sync.wiring import connection_key
from tests.support.books_content import copy_scoro_invoice, duplicates, link_problems, qbo_rows
from tests.support.demo import ACME as ENTITY


def numbers(w, entity="Invoice", company_account_id=ENTITY) -> list[str]:
    return sorted(str(o.get("DocNumber")) for o in qbo_rows(w, entity, company_account_id))


def test_access_token_expires_in_the_middle_of_a_run(rworld):
    w = rworld()
    info = w.connect()
    realm = next(p.realm_id for p in w.env.pairs if p.company_account_id == ENTITY)
    fired = []

    def expire_once(event):
        if event.type is EventType.RECORD_DONE and not fired:
            fired.append(w.qbo_ctl("POST", "faults", type="expire_access_token", realmId=realm))

    w.svc.add_listener(expire_once)
    refreshes = w.svc.gateways.get(connection_row(info.id)).tokens.refresh_count
    result = w.svc.run(info.id)
    assert fired and fired[0]["applied"]["expire_access_token"] >= 1
    assert result.status in ("ok", "review") and result.failed == 0, result.message
    assert w.svc.gateways.get(connection_row(info.id)).tokens.refresh_count == refreshes + 1
    assert duplicates(w.env) == [] and link_problems(w.env, w.svc, info.id) == []
    assert w.svc.run(info.id).created == 0


def test_refresh_token_rotation_after_25_hours_is_saved_and_used(rworld):
    secrets = MemorySecretStore()
    w = rworld(secrets=secrets)
    info = w.connect()
    key = connection_key(info.id)
    tokens = [secrets.get(key, REFRESH_TOKEN_NAME)]
    for day in range(3):
        w.qbo_ctl("POST", "clock", advance_seconds=25 * 3600)
        copy_scoro_invoice(w, f"95{day:02d}")
        result = w.svc.run(info.id)
        assert result.status in ("ok", "review") and result.failed == 0, result.message
        tokens.append(secrets.get(key, REFRESH_TOKEN_NAME))
        assert f"95{day:02d}" in numbers(w)
    assert len(set(tokens)) == len(tokens), "every 25 hours a new refresh token was stored"
    assert duplicates(w.env) == []


def test_revoked_refresh_token_stops_only_that_connection_and_reconnect_resumes(rworld):
    w = rworld()
    ee = w.connect("acme_ee")
    us = w.connect("acme_us")
    assert ee.id != us.id
    for cid in (ee.id, us.id):
        assert w.svc.run(cid).status in ("ok", "review")
    realm_ee = next(p.realm_id for p in w.env.pairs if p.company_account_id == "acme_ee")
    copy_scoro_invoice(w, "9701")
    w.qbo_ctl("POST", "faults", type="revoke_refresh_token", realmId=realm_ee)
    w.qbo_ctl("POST", "faults", type="expire_access_token", realmId=realm_ee)

    stopped = w.svc.run(ee.id)
    assert stopped.status == "reconnect_needed", stopped.message
    conn = w.svc.connection(ee.id)
    assert conn.status.value == "reconnect_needed"
    assert "Reconnect" in conn.status_message
    assert "9701" not in numbers(w)
    # The other company is not affected.
    other = w.svc.run(us.id)
    assert other.status in ("ok", "review"), other.message
    assert w.svc.connection(us.id).status.value == "active"
    # A later run of the stopped connection does nothing and says why.
    assert w.svc.run(ee.id).status == "reconnect_needed"

    again = w.connect("acme_ee", settings=False)
    assert again.id == ee.id, "reconnecting reuses the connection (links are kept)"
    assert again.status.value == "active"
    resumed = w.svc.run(ee.id)
    assert resumed.status in ("ok", "review") and resumed.failed == 0, resumed.message
    assert numbers(w).count("9701") == 1
    assert duplicates(w.env) == [] and link_problems(w.env, w.svc, ee.id) == []
    assert w.svc.run(ee.id).created == 0
