"""Reconcile end to end over both sandboxes: do Scoro and QuickBooks agree?

Documents are synced, then changed behind the app's back (an amount changed in QuickBooks,
an invoice deleted there, an invoice made in Scoro and not sent, QuickBooks working out tax
on its own) and `SyncService.reconcile` / `qbsync reconcile` must find each, from list
pages and queries only.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import requests

from qbsync_desktop import cli
from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.domain import Kind
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService
from tests.fixtures.world import FAST_CLIENT, FAST_QBO, FAST_SCORO
from tests.support.demo import ACME_REALM
from tests.support.old_documents import new_scoro_invoice, scoro_invoice_rows

QUIET_MONTH = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))


def qbo(world, method: str, path: str, body: dict | None = None, **params) -> dict:
    return world.qbo_api(ACME_REALM, method, path, body, **params)


def by_number(result, kind: Kind = Kind.INVOICE) -> dict[str, object]:
    return {
        (d.scoro_number or d.quickbooks_number): d for d in result.differences if d.kind is kind
    }


def test_reconcile_finds_a_changed_amount_a_deletion_a_scoro_only_invoice_and_cent_tax(
    world_factory,
):
    world = world_factory(scoro_kwargs={"size": {"base": "demo", "extra_invoices": 150}})
    # QuickBooks works out tax itself: per-line rounding in Scoro makes some a cent apart.
    world.qbo_ctl("POST", "settings", tax_override="ignore")
    info = world.connect()
    world.svc.run(info.id)
    scoro = scoro_invoice_rows(world.env)
    pushed = world.qbo_query(ACME_REALM, "select * from Invoice maxresults 1000")["Invoice"]
    mine = {inv["DocNumber"]: inv for inv in pushed if inv.get("DocNumber") in scoro}
    tax_apart = {
        n
        for n, inv in mine.items()
        if Decimal(str(inv["TxnTaxDetail"]["TotalTax"])) != Decimal(str(scoro[n]["vat_sum"]))
    }
    assert tax_apart, "the generated invoices should include per-line rounding cases"
    same = sorted(n for n in mine if n not in tax_apart and n.isdigit() and int(n) > 1010)
    changed, deleted = same[0], same[1]

    # An amount changed in QuickBooks: the first line's quantity doubled.
    inv = mine[changed]
    lines = [dict(line) for line in inv["Line"] if line.get("DetailType") == "SalesItemLineDetail"]
    detail = dict(lines[0]["SalesItemLineDetail"])
    detail["Qty"] = Decimal(str(detail.get("Qty") or 1)) * 2
    lines[0]["SalesItemLineDetail"] = detail
    lines[0]["Amount"] = Decimal(str(lines[0]["Amount"])) * 2
    body = {"Id": inv["Id"], "SyncToken": inv["SyncToken"], "sparse": True, "Line": lines}
    qbo(world, "POST", "invoice", json.loads(json.dumps(body, default=str)))
    # An invoice deleted in QuickBooks.
    gone = mine[deleted]
    qbo(world, "POST", "invoice", {"Id": gone["Id"], "SyncToken": gone["SyncToken"]},
        operation="delete")  # fmt: skip
    # An invoice made in Scoro after the sync, never sent.
    new_scoro_invoice(world.scoro_ctl, world.env, "7777", dt.date(2026, 5, 5))

    before = world.svc.connection(info.id).open_reviews
    result = world.svc.reconcile(info.id, dt.date(2026, 1, 1))
    found = by_number(result)

    assert "Gross total" in {f.label for f in found[changed].fields}
    assert found[changed].what == "differs" and "send" in found[changed].actions
    assert found[deleted].what == "only_scoro" and "no longer there" in found[deleted].note
    assert found["7777"].what == "only_scoro" and "send" in found["7777"].actions
    for number in tax_apart:
        tax = [f for f in found[number].fields if f.label == "Tax"]
        assert tax, number
        apart = abs(Decimal(tax[0].scoro) - Decimal(tax[0].quickbooks))
        assert apart == Decimal("0.01"), (number, tax)
        # The review item the sync raised for it is offered.
        assert found[number].review_id is not None and "review" in found[number].actions
    assert not result.agrees and result.summary.startswith(f"{len(result.differences)} diff")
    # Cheap: list pages and queries, not a request per document.
    assert result.compared > 150
    assert result.requests <= 10, result.requests
    # Every difference names the document number on both sides where there is one.
    row = next(d for d in result.as_dict()["differences"] if d["scoro_number"] == changed)
    assert row["quickbooks_number"] == changed
    assert world.svc.connection(info.id).open_reviews == before  # reconcile changes nothing

    # Acting on the differences: send Scoro's version back; the deleted one is made again.
    world.svc.resolve_difference(info.id, found[changed], "send")
    world.svc.resolve_difference(info.id, found[deleted], "send")
    world.svc.resolve_difference(info.id, found["7777"], "send")
    some = sorted(tax_apart)[0]
    world.svc.resolve_difference(info.id, found[some], "ignore", "QuickBooks rounds on the total")
    again = by_number(world.svc.reconcile(info.id, dt.date(2026, 1, 1)))
    for number in (changed, deleted, "7777", some):
        assert number not in again, again.get(number)


def test_books_agree_after_a_clean_sync_and_the_cli_says_so(tmp_path, capsys):
    env = DemoEnvironment(None, qbo_kwargs=FAST_QBO, scoro_kwargs=FAST_SCORO).start()
    data = tmp_path / "data"
    svc = SyncService(
        data, FileSecretStore(data / SECRETS_FILE_NAME), connector_options=FAST_CLIENT
    )
    try:
        pair = next(p for p in env.pairs if p.company_account_id == "acme_ee")
        info = env.connect(svc, pair)

        def ctl(method, path, **body):
            r = requests.request(
                method, f"{env.scoro_url}/_sandbox/{path}", json=body or None, timeout=10
            )
            r.raise_for_status()
            return r.json()

        for n, day in (("5001", 3), ("5002", 17), ("5003", 28)):
            new_scoro_invoice(ctl, env, n, QUIET_MONTH[0].replace(day=day))
        svc.run(info.id)
        result = svc.reconcile(info.id, *QUIET_MONTH)
        assert result.agrees, [d.description for d in result.differences]
        assert result.summary.startswith("Books agree (6 documents compared")
        assert all(c.agrees for c in result.contacts) and result.contacts
        svc.close()

        args = ["reconcile", "--from", "2025-06-01", "--to", "2025-06-30"]
        code = cli.main([*args, "--data-dir", str(data), "--secrets", "file"])
        out = capsys.readouterr().out
        assert code == cli.EXIT_OK, out
        assert "Books agree" in out

        code = cli.main(["--data-dir", str(data), "--secrets", "file", *args, "--json"])
        payload = json.loads(capsys.readouterr().out)
        assert code == cli.EXIT_OK and payload["agrees"] and payload["differences"] == []

        # A difference: exit 1, and the JSON names the number on both sides.
        doc = scoro_invoice_rows(env)["5002"]
        ctl("POST", "edit", company_account_id="acme_ee", module="invoices", id=doc["id"],
            changes={"lines": [{**json.loads(json.dumps(doc["lines"][0], default=str)),
                                "amount": "3"}]})  # fmt: skip
        csv_file = tmp_path / "differences.csv"
        code = cli.main(
            [*args, "--json", "--csv", str(csv_file), "--data-dir", str(data), "--secrets", "file"]
        )
        payload = json.loads(capsys.readouterr().out)
        assert code == cli.EXIT_REVIEW
        (diff,) = payload["differences"]
        assert diff["scoro_number"] == diff["quickbooks_number"] == "5002"
        assert {f["field"] for f in diff["fields"]} >= {"Gross total", "Open balance"}
        assert "5002" in csv_file.read_text(encoding="utf-8")
    finally:
        svc.close()
        env.stop()
