"""Importing older documents end to end over both sandboxes: a preview that writes nothing,
then an import of exactly what it listed, documents already in both linked rather than
copied, and the category's start date (and later syncs) left as they were."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from qbsync_desktop import cli
from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.domain import Category
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService
from tests.fixtures.world import FAST_CLIENT, FAST_QBO, FAST_SCORO, World
from tests.support.old_documents import (
    AGE_DAYS,
    REALM,
    make_old_scoro_invoices,
    make_qbo_invoice,
    numbers,
    other_customer,
    qbo_invoices,
    scoro_invoice_rows,
)

FROM = dt.date(2025, 1, 1)


def labels(items) -> list[str]:
    return sorted(p.label for p in items)


def test_preview_writes_nothing_and_the_import_creates_exactly_what_it_listed(world):
    info = world.connect()
    world.svc.run(info.id)
    make_old_scoro_invoices(world, ["6001", "6002", "6003", "6004"])
    # 6003 was typed into QuickBooks by hand for the same client: it must be linked, not
    # copied. 6004 is in QuickBooks under another customer: held, not linked or copied.
    first = next(i for i in qbo_invoices(world) if i.get("DocNumber") == "1001")
    make_qbo_invoice(world, "6003", like="1001")
    make_qbo_invoice(
        world, "6004", like="1001", customer=other_customer(world, first["CustomerRef"]["value"])
    )
    # A normal sync keeps to the start date: none of them is touched.
    normal = world.svc.run(info.id)
    assert normal.created == 0 and normal.linked == 0
    before_cfg = {c.category: c for c in world.svc.categories(info.id)}[Category.INVOICES]
    qbo_before = qbo_invoices(world)
    scoro_before = scoro_invoice_rows(world.env)
    reviews_before = world.svc.review_count(info.id)

    preview = world.svc.import_history(info.id, Category.INVOICES, FROM, dry_run=True)

    assert preview.status == "review", preview.result.message
    assert labels(preview.created) == ["Invoice 6001", "Invoice 6002"]
    assert labels(preview.linked) == ["Invoice 6003"]
    assert labels(preview.held) == ["Invoice 6004"]
    assert "another contact" in preview.held[0].detail
    assert "Nothing has been changed" in preview.summary()
    # Nothing written on either side, nothing for review yet.
    assert qbo_invoices(world) == qbo_before
    assert scoro_invoice_rows(world.env) == scoro_before
    assert world.svc.review_count(info.id) == reviews_before
    assert not any("6004" in i.object_label for i in world.svc.review_items(info.id))

    done = world.svc.import_history(info.id, Category.INVOICES, FROM, only=preview.records)

    assert done.status == "review", done.result.message
    assert labels(done.created) == labels(preview.created)
    assert labels(done.linked) == labels(preview.linked)
    assert labels(done.held) == labels(preview.held)
    after = numbers(qbo_invoices(world))
    assert after == sorted([*numbers(qbo_before), "6001", "6002"])  # 6003, 6004 not copied
    assert after.count("6003") == 1 and after.count("6004") == 1
    assert any("6004" in i.object_label for i in world.svc.review_items(info.id))

    # The category's own start date, lock and last result are as they were.
    after_cfg = {c.category: c for c in world.svc.categories(info.id)}[Category.INVOICES]
    assert after_cfg.start_date == before_cfg.start_date
    assert after_cfg.start_date_locked == before_cfg.start_date_locked
    assert after_cfg.last_result == before_cfg.last_result
    # The next normal sync does nothing new, and a second import finds nothing left to make.
    again = world.svc.run(info.id)
    assert (again.created, again.updated, again.linked) == (0, 0, 0), again.message
    assert numbers(qbo_invoices(world)) == after
    repeat = world.svc.import_history(info.id, Category.INVOICES, FROM, dry_run=True)
    assert repeat.created == [] and repeat.linked == []


def test_import_writes_only_what_the_preview_listed(world):
    info = world.connect()
    world.svc.run(info.id)
    make_old_scoro_invoices(world, ["6101"])
    preview = world.svc.import_history(info.id, Category.INVOICES, FROM, dry_run=True)
    assert labels(preview.created) == ["Invoice 6101"]
    # Made after the bookkeeper saw the preview: not part of what was confirmed.
    make_old_scoro_invoices(world, ["6102"])

    done = world.svc.import_history(info.id, Category.INVOICES, FROM, only=preview.records)

    assert labels(done.created) == ["Invoice 6101"]
    assert "6102" not in numbers(qbo_invoices(world))


def test_a_from_date_after_the_old_documents_leaves_them_out(world):
    info = world.connect()
    world.svc.run(info.id)
    make_old_scoro_invoices(world, ["6201"])
    later = dt.date.today() - dt.timedelta(days=AGE_DAYS - 30)
    preview = world.svc.import_history(info.id, Category.INVOICES, later, dry_run=True)
    assert preview.created == [] and preview.status == "ok"
    assert preview.summary().startswith("No older invoices and credit notes")


def test_categories_without_a_start_date_and_future_dates_are_refused(world):
    from qbsync_desktop.domain import IMPORTABLE_CATEGORIES
    from qbsync_desktop.domain.errors import SyncError

    # The command line offers exactly the categories the import accepts.
    sub = next(a for a in cli._parser()._actions if a.dest == "command")
    category = next(a for a in sub.choices["import-history"]._actions if a.dest == "category")
    assert tuple(category.choices) == tuple(c.value for c in IMPORTABLE_CATEGORIES)

    info = world.connect()
    with pytest.raises(SyncError, match="these categories only"):
        world.svc.import_history(info.id, Category.BACKGROUND, FROM, dry_run=True)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(SyncError, match="in the future"):
        world.svc.import_history(info.id, Category.INVOICES, tomorrow, dry_run=True)


# -- the command line ---------------------------------------------------------------------


@pytest.fixture
def cli_world(tmp_path):
    """A world whose service keeps its secrets in a file, so `qbsync` can use them too."""
    env = DemoEnvironment(None, qbo_kwargs=FAST_QBO, scoro_kwargs=FAST_SCORO).start()
    data = tmp_path / "data"
    svc = SyncService(
        data, FileSecretStore(data / SECRETS_FILE_NAME), connector_options=FAST_CLIENT
    )
    world = World(env, svc)
    world.data = data
    world.info = world.connect()
    world.svc.run(world.info.id)
    yield world
    svc.close()
    env.stop()


def qbsync(world, *args: str) -> int:
    base = ["import-history", "--connection", str(world.info.id), "--category", "invoices"]
    return cli.main(
        [
            *base,
            "--from",
            FROM.isoformat(),
            *args,
            "--data-dir",
            str(world.data),
            "--secrets",
            "file",
        ]
    )


def test_cli_dry_run_then_yes(cli_world, capsys):
    make_old_scoro_invoices(cli_world, ["6301", "6302"])
    before = numbers(qbo_invoices(cli_world))
    start = cli_world.svc.categories(cli_world.info.id)[4]
    assert start.category is Category.INVOICES

    assert qbsync(cli_world, "--dry-run", "--json") == cli.EXIT_OK
    shown = json.loads(capsys.readouterr().out)
    assert shown["dry_run"] is True
    assert sorted(i["label"] for i in shown["create"]) == ["Invoice 6301", "Invoice 6302"]
    assert numbers(qbo_invoices(cli_world)) == before

    assert qbsync(cli_world, "--yes") == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "would create 2" in out and "Imported invoices and credit notes" in out
    assert numbers(qbo_invoices(cli_world)) == sorted([*before, "6301", "6302"])
    assert cli_world.svc.categories(cli_world.info.id)[4] == start


def test_cli_without_yes_off_a_terminal_imports_nothing(cli_world, capsys, monkeypatch):
    make_old_scoro_invoices(cli_world, ["6401"])
    before = numbers(qbo_invoices(cli_world))
    read, write = os.pipe()  # not a terminal: nobody can answer
    os.close(write)
    monkeypatch.setattr("sys.stdin", os.fdopen(read))
    assert qbsync(cli_world) == cli.EXIT_FAILED
    captured = capsys.readouterr()
    assert "Invoice 6401" in captured.out and "--yes" in captured.err
    assert numbers(qbo_invoices(cli_world)) == before


@pytest.mark.parametrize(("answer", "imported"), [("n\n", False), ("y\n", True)])
def test_cli_on_a_terminal_asks_before_it_imports(cli_world, capsys, monkeypatch, answer, imported):
    make_old_scoro_invoices(cli_world, ["6501"])
    before = numbers(qbo_invoices(cli_world))
    # A real pseudo-terminal, the bookkeeper's answer typed into it.
    leader, follower = os.openpty()
    os.write(leader, answer.encode())
    terminal = os.fdopen(follower, "r")
    monkeypatch.setattr("sys.stdin", terminal)
    try:
        code = qbsync(cli_world)
    finally:
        terminal.close()
        os.close(leader)
    out = capsys.readouterr().out
    assert "Invoice 6501" in out and "[y/N]" in out
    assert code == cli.EXIT_OK
    expected = sorted([*before, "6501"]) if imported else before
    assert numbers(qbo_invoices(cli_world)) == expected
    assert ("Nothing was imported" in out) is not imported


def make_old_qbo_bill(world: World, number: str) -> None:
    """A bill entered in QuickBooks long ago, like T-7788 (same vendor and line)."""
    model = next(
        b
        for b in world.qbo_query(REALM, "select * from Bill maxresults 100")["Bill"]
        if b.get("DocNumber") == "T-7788"
    )
    line = {k: v for k, v in model["Line"][0].items() if k not in ("Id", "LineNum")}
    body = {
        "DocNumber": number,
        "TxnDate": "2025-02-03",
        "VendorRef": {"value": model["VendorRef"]["value"]},
        "Line": [line],
    }
    world.qbo_ctl("POST", "clock", advance_seconds=-AGE_DAYS * 86400)
    try:
        world.qbo_api(REALM, "POST", "bill", json.loads(json.dumps(body)))
    finally:
        world.qbo_ctl("POST", "clock", advance_seconds=AGE_DAYS * 86400)


def scoro_bill_numbers(env) -> list[str]:
    rows = env.scoro.store.table("acme_ee", "bills").values()
    return sorted(str(r.get("no")) for r in rows if r.get("_deleted") is None)


def test_older_quickbooks_bills_come_to_scoro_once(world):
    info = world.connect()
    world.svc.update_category(info.id, Category.BILLS, enabled=True)
    world.svc.run(info.id)
    make_old_qbo_bill(world, "OLD-1")
    assert world.svc.run(info.id).created == 0  # older than the start date
    before = scoro_bill_numbers(world.env)
    assert "OLD-1" not in before

    preview = world.svc.import_history(info.id, Category.BILLS, FROM, dry_run=True)
    assert labels(preview.created) == ["Bill OLD-1"]
    assert scoro_bill_numbers(world.env) == before

    done = world.svc.import_history(info.id, Category.BILLS, FROM, only=preview.records)
    assert labels(done.created) == ["Bill OLD-1"]
    assert scoro_bill_numbers(world.env) == sorted([*before, "OLD-1"])
    again = world.svc.run(info.id)
    assert (again.created, again.updated) == (0, 0)
    assert scoro_bill_numbers(world.env) == sorted([*before, "OLD-1"])
