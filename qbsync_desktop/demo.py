"""Demo mode: both sandboxes in-process on free loopback ports, with their demo credentials.

`make demo`, `qbsync demo`, the tests and the benchmarks all start the same servers, so what a
new user tries is what the test suite checks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from .sandbox import demo_pairing
from .sandbox.browser import consent
from .sandbox.quickbooks import QuickBooksSandbox
from .sandbox.scoro import ScoroSandbox
from .sync.types import ConnectionInfo, QuickBooksAppConfig, SyncSettingsInfo


@dataclass(frozen=True)
class DemoPair:
    company_account_id: str
    realm_id: str
    name: str


class DemoEnvironment:
    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        size: str = "demo",
        seed: int = 1,
        qbo_kwargs: dict | None = None,
        scoro_kwargs: dict | None = None,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else None
        qbo_file: str | None = None
        scoro_file: str | None = None
        if self.data_dir is not None:
            # The sandboxes' files hold their tokens and client secret: private to the user.
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.data_dir.chmod(0o700)
            qbo_file = str(self.data_dir / "demo-quickbooks.sqlite3")
            scoro_file = str(self.data_dir / "demo-scoro.sqlite3")
        # recent: the demo world looks freshly made, so the first sync after connecting meets
        # it (a real first connection only syncs what changes from then on, R40).
        # Either side's kwargs may override the shared size (e.g. more Scoro invoices).
        self.qbo = QuickBooksSandbox(
            **{
                "seed": seed,
                "size": size,
                "recent": True,
                "data_file": qbo_file,
                **(qbo_kwargs or {}),
            }
        )
        self.scoro = ScoroSandbox(
            **{
                "seed": seed,
                "size": size,
                "recent": True,
                "data_file": scoro_file,
                **(scoro_kwargs or {}),
            }
        )
        self.qbo_url = ""
        self.scoro_url = ""

    def start(self) -> DemoEnvironment:
        self.qbo_url = self.qbo.start(host="127.0.0.1", port=0)
        self.scoro_url = self.scoro.start(host="127.0.0.1", port=0)
        return self

    def stop(self) -> None:
        self.qbo.stop()
        self.scoro.stop()

    def __enter__(self) -> DemoEnvironment:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def scoro_api_key(self) -> str:
        return self.scoro.api_key

    @property
    def client_id(self) -> str:
        return self.qbo.client_id

    @property
    def client_secret(self) -> str:
        return self.qbo.client_secret

    @property
    def pairs(self) -> list[DemoPair]:
        return [
            DemoPair(e["company_account_id"], e["realm_id"], e["name"])
            for e in demo_pairing.ENTITIES
        ]

    def app_config(self) -> QuickBooksAppConfig:
        return QuickBooksAppConfig(
            client_id=self.client_id,
            client_secret=self.client_secret,
            environment="local",
            redirect_uri="",
            local_base_url=self.qbo_url,
        )

    def connect(self, service, pair: DemoPair, *, settings: bool = True) -> ConnectionInfo:
        """Connect one demo entity the way the wizard does, with the consent page answered
        by `sandbox.browser` instead of a person."""
        request = service.begin_authorization(
            self.scoro_url, self.scoro_api_key, pair.company_account_id, self.app_config()
        )
        browser = threading.Thread(target=consent, args=(request.url, pair.realm_id), daemon=True)
        browser.start()
        callback = service.wait_for_callback(request, timeout=30)
        browser.join(10)
        info = service.complete_authorization(request, callback)
        if settings:
            apply_first_settings(service, info.id)
        return service.connection(info.id)


def apply_first_settings(service, connection_id: int, mode: str = "manual") -> None:
    """R06 defaults a bookkeeper would pick: first income and expense accounts."""
    income = service.accounts(connection_id, "income")
    # Plain expense accounts first: cost of goods sold is not what a bill line without a
    # product usually is.
    expense = sorted(
        service.accounts(connection_id, "expense"),
        key=lambda a: a.account_type.lower() != "expense",
    )
    current = service.sync_settings(connection_id)
    service.save_sync_settings(
        connection_id,
        SyncSettingsInfo(
            mode=mode,
            background_mode=current.background_mode,
            default_income_account=income[0].id if income else None,
            default_expense_account=expense[0].id if expense else None,
            bills_without_tax=current.bills_without_tax,
            attachments_mode=current.attachments_mode,
        ),
    )


# The demo keeps its sign-ins in memory only: after a restart, authorize again.
RESTARTED_MESSAGE = (
    "The demo was restarted, so its sign-in is gone. Click Reconnect to authorize the demo "
    "company again."
)


def rebind(service, env: DemoEnvironment) -> int:
    """Point the demo's saved connections at this start's sandboxes.

    The sandboxes listen on new free ports each time the demo starts; connections saved by an
    earlier demo session would otherwise call addresses nobody listens on. Returns how many
    connections were moved."""
    return service.rebind_local(env.scoro_url, env.qbo_url, RESTARTED_MESSAGE)
