"""``QuickBooksSandbox``: state, lifecycle and the Python API the tests and demo use."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from .. import demo_pairing as demo
from . import seed as seed_mod
from .app import SandboxApp
from .clock import SandboxClock
from .faults import Faults
from .oauth import Client, OAuthServer, OAuthState
from .ratelimit import RateLimiter
from .server import ThreadedServer
from .settings import Settings
from .store import Realm, Snapshot

_SNAPSHOT_KEY = "quickbooks-sandbox-v1"


class QuickBooksSandbox:
    """A local QuickBooks Online: OAuth, the v3 API and a control plane on one HTTP server."""

    def __init__(
        self,
        seed: int = 1,
        size: str | int = "demo",
        clock: Callable[[], dt.datetime] | None = None,
        data_file: str | None = None,
        limits: dict[str, Any] | None = None,
        settings: dict[str, Any] | None = None,
        recent: bool = False,
    ) -> None:
        # recent: seed as if every object had just been made (demo mode), so the first sync
        # after connecting has work to do under the start-date rule (R40).
        self.seed = seed
        self.size = size
        self.recent = recent
        self.clock = SandboxClock(clock)
        self.settings = Settings()
        if limits:
            self.settings.update(limits)
        if settings:
            self.settings.update(settings)
        self.lock = threading.RLock()
        self.client_id = demo.DEMO_CLIENT_ID
        self.client_secret = demo.DEMO_CLIENT_SECRET
        self.faults = Faults(seed)
        self.limiter = RateLimiter(self.settings)
        self._snapshot = Snapshot(data_file) if data_file else None
        self._reset_stats()
        loaded = self._snapshot.load(_SNAPSHOT_KEY) if self._snapshot else None
        if loaded:
            self.realms: dict[str, Realm] = loaded["realms"]
            oauth_state: OAuthState = loaded["oauth"]
        else:
            self.realms = seed_mod.build_all(size, seed, self.clock.now(), recent=self.recent)
            oauth_state = OAuthState()
        oauth_state.clients.setdefault(self.client_id, Client(self.client_id, self.client_secret))
        self.oauth = OAuthServer(oauth_state, self.settings, self.clock.now, self.companies)
        self.app = SandboxApp(self)
        self._server: ThreadedServer | None = None
        self._host = "127.0.0.1"
        if self._snapshot and not loaded:
            self.persist()

    # ------------------------------------------------------------------ lifecycle

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self.url
        self._host = host
        self._server = ThreadedServer(self.app, host, port, clock=self.clock)
        self._server.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        self.persist()

    def __enter__(self) -> QuickBooksSandbox:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start()")
        host = self._host
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self._server.port}"

    @property
    def realm_ids(self) -> list[str]:
        return list(self.realms)

    # ------------------------------------------------------------------ API for callers

    def companies(self) -> list[tuple[str, str]]:
        return [(r.realm_id, r.name) for r in self.realms.values()]

    def issue_tokens(self, realm_id: str, scope: str | None = None) -> dict:
        with self.lock:
            if realm_id not in self.realms:
                raise KeyError(f"unknown realm {realm_id}")
            tokens = self.oauth.issue_tokens(self.client_id, realm_id, scope)
            self.persist()
            return tokens

    def describe_realm(self, realm: Realm) -> dict:
        return {
            "realmId": realm.realm_id,
            "name": realm.name,
            "homeCurrency": realm.home_currency,
            "multicurrency": realm.multicurrency,
            "country": realm.country,
            "classTracking": realm.class_tracking,
        }

    def describe(self) -> dict:
        client = self.oauth.state.clients[self.client_id]
        return {
            "companies": [self.describe_realm(r) for r in self.realms.values()],
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": list(client.redirect_uris),
        }

    def reset(self, seed: int | None = None, size: str | int | None = None, tokens=False) -> None:
        with self.lock:
            if seed is not None:
                self.seed = int(seed)
            if size is not None:
                self.size = size
            self.clock.reset()
            self.realms = seed_mod.build_all(
                self.size, self.seed, self.clock.now(), recent=self.recent
            )
            self.faults.clear()
            self.faults.injected.clear()
            self.limiter.reset()
            self._reset_stats()
            if tokens:
                clients = self.oauth.state.clients
                self.oauth.state = OAuthState(clients=clients)
            self.persist()

    # ------------------------------------------------------------------ stats & persistence

    def _reset_stats(self) -> None:
        self._requests: dict[str, dict[str, int]] = {}
        self.throttled = 0
        self.replays = 0

    def record_request(self, endpoint: str, status: int) -> None:
        with self.lock:
            row = self._requests.setdefault(endpoint, {})
            row[str(status)] = row.get(str(status), 0) + 1

    def stats(self) -> dict:
        with self.lock:
            return {
                "requests": {k: dict(v) for k, v in sorted(self._requests.items())},
                "total_requests": sum(sum(v.values()) for v in self._requests.values()),
                "objects": {rid: realm.counts() for rid, realm in self.realms.items()},
                "faults": dict(self.faults.injected),
                "throttled": self.throttled,
                "replays": self.replays,
            }

    def persist(self) -> None:
        if self._snapshot is None:
            return
        with self.lock:
            self._snapshot.save(_SNAPSHOT_KEY, {"realms": self.realms, "oauth": self.oauth.state})
