"""Client profiles: where a Scoro contact's currency lives (rule R24)."""

from __future__ import annotations

from typing import Any

from .api import ScoroApi, record_id


class ClientProfiles:
    def __init__(self, api: ScoroApi, base_currency: str) -> None:
        self.api = api
        self.base_currency = base_currency
        self._rows: list[dict[str, Any]] | None = None

    def refresh(self) -> None:
        self._rows = list(self.api.list_all("clientProfiles", detailed=False))

    def _all(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self.refresh()
        return self._rows or []

    def currency_of(self, profile_id: str) -> str | None:
        for row in self._all():
            if record_id("clientProfiles", row) == str(profile_id):
                currency = row.get("currency")
                return str(currency).upper() if currency else self.base_currency
        return None

    def ensure(self, currency: str) -> str | None:
        """A profile in `currency` (created when missing); None for the base currency when no
        profile is needed, since a contact without a profile already uses it."""
        currency = currency.upper()
        matches = [r for r in self._all() if str(r.get("currency") or "").upper() == currency]
        if matches:
            matches.sort(
                key=lambda r: (
                    r.get("is_default") not in (1, True, "1"),
                    record_id("clientProfiles", r),
                )
            )
            return record_id("clientProfiles", matches[0])
        if currency == self.base_currency.upper():
            return None
        created = self.api.modify(
            "clientProfiles", {"name": f"{currency} clients", "currency": currency}
        )
        self._rows = None
        return record_id("clientProfiles", created) or None
