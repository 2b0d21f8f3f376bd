"""What is checked once documents are written: totals, and line accounts (docs/rules.md).

The target's own totals are compared with the source's, and a Scoro line booked to another
account than its QuickBooks item's is pointed at the item's account in Scoro.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..domain import Kind, Record, Side
from ..domain.errors import RemoteError
from . import review, rules
from .engine_base import EngineCore, record_label

if TYPE_CHECKING:
    from .writes import Pending


@runtime_checkable
class SetsLineAccounts(Protocol):
    """A gateway that can point a document's lines at other accounts (Scoro's)."""

    def set_line_accounts(self, kind: Kind, record_id: str, accounts: dict[int, str]) -> Record: ...


class TotalsAndAccounts(EngineCore):
    def check_totals(self, kind: Kind, source: Side, src: Record, written: Record) -> None:
        """The document as the target now holds it (its write answer) against the source's
        own totals: any difference is shown, never left for the bookkeeper to discover."""
        gap = rules.totals_gap(
            src, written, source, bills_without_tax=self._bills_without_tax(source)
        )
        if gap is None:
            review.close_open(self.conn, kind, src.id, ("totals_differ",))
            return
        self.counts.totals_differ += 1
        self.note(f"{record_label(kind, src)}: {gap.message}", "warning")
        self._review(kind, source, src, "totals_differ", gap.message, gap.details)

    def _bills_without_tax(self, source: Side) -> bool:
        return source is Side.QBO and bool(self.settings.bills_without_tax)

    # ------------------------------------------------------------------ R12
    def align_line_accounts(self, kind: Kind, written: list[tuple[Pending, Record]]) -> None:
        """R12: a QuickBooks item has one income and one expense account. A Scoro line booked
        to another account than its item's is pointed at the item's account in Scoro after
        the document is sent, so both books agree; the change is logged on the document."""
        scoro = self.gw[Side.SCORO]
        if not written or not isinstance(scoro, SetsLineAccounts):
            return
        field = "expense_account" if kind is Kind.BILL else "income_account"
        wanted: dict[str, list[tuple[Pending, Record, int, str]]] = {}
        for item, qbo_rec in written:
            for index, line in enumerate(getattr(item.source, "lines", ())):
                if line.product is None or line.account is None:
                    continue
                qbo_item = self.links.other_id(Kind.PRODUCT, Side.SCORO, line.product.id)
                if qbo_item is not None:
                    wanted.setdefault(qbo_item, []).append((item, qbo_rec, index, line.account.id))
        if not wanted:
            return
        unknown = sorted(i for i in wanted if (i, field) not in self._item_accounts)
        if unknown:
            # Items rarely change during a run: one read per item, not one per batch.
            fetched = self.gw[Side.QBO].fetch(Kind.PRODUCT, unknown)
            for qbo_item in unknown:
                account = getattr(fetched.get(qbo_item), field, None)
                self._item_accounts[(qbo_item, field)] = account.id if account else None
        changes: dict[str, tuple[Pending, Record, dict[int, str]]] = {}
        for qbo_item, uses in wanted.items():
            account_id = self._item_accounts[(qbo_item, field)]
            scoro_account = (
                self.links.other_id(Kind.ACCOUNT, Side.QBO, account_id) if account_id else None
            )
            if scoro_account is None:
                continue
            for item, qbo_rec, index, current in uses:
                if current != scoro_account:
                    entry = changes.setdefault(item.source.id, (item, qbo_rec, {}))
                    entry[2][index] = scoro_account
        for item, qbo_rec, accounts in changes.values():
            label = record_label(kind, item.source)
            try:
                updated = scoro.set_line_accounts(kind, item.source.id, accounts)
            except RemoteError as exc:
                self.note(
                    f"{label}: its line accounts could not be set to the QuickBooks items' "
                    f"accounts in Scoro: {exc}. Change them in Scoro by hand.",
                    "warning",
                )
                continue
            self.save_link(kind, Side.SCORO, updated, qbo_rec)
            lines = ", ".join(str(i + 1) for i in sorted(accounts))
            self.note(
                f"{label}: line {lines} now books to the account of its QuickBooks item in "
                "Scoro too (a QuickBooks item has one account)."
            )
