"""``ScoroSandbox``: one simulated Scoro site served over HTTP from a daemon thread."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ..demo_pairing import DEMO_SCORO_API_KEY
from . import documents, files, modules  # noqa: F401 - importing registers the module specs
from .app import ScoroApp
from .clock import DEFAULT_SITE_TZ, SandboxClock, SiteTime
from .faults import Faults
from .ratelimit import Limits, RateLimiter
from .records import SPECS
from .seed import build
from .settings import Behaviour
from .store import Store

log = logging.getLogger(__name__)


class _QuietHandler(WSGIRequestHandler):
    """No per-request access log: the sandbox runs inside test and demo processes."""

    clock: SandboxClock | None = None

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The Date header tells the sandbox's own time, like the modified_date stamps do,
        # so clients that read server time agree with them when a test moves the clock.
        if self.clock is None or timestamp is not None:
            return super().date_time_string(timestamp)
        return email.utils.format_datetime(self.clock.now().astimezone(dt.UTC), usegmt=True)


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[str, dict[str, int]] = {}

    def record(self, label: str, status: int | str) -> None:
        with self._lock:
            bucket = self.requests.setdefault(label, {})
            bucket[str(status)] = bucket.get(str(status), 0) + 1

    def reset(self) -> None:
        with self._lock:
            self.requests = {}

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            requests = {k: dict(v) for k, v in sorted(self.requests.items())}
        total = sum(sum(v.values()) for v in requests.values())
        return {"requests": requests, "requests_total": total}


class ScoroSandbox:
    """A local Scoro API v2 site. ``start()`` serves it; ``url`` is the site URL.

    ``clock`` is a callable returning an aware UTC datetime (default: real time);
    ``limits`` a ``Limits`` or a dict of its fields; ``behaviour`` a ``Behaviour`` or a dict
    of its switches; ``data_file`` keeps the data across restarts (loaded if it exists, else
    seeded and written; rewritten after every change).
    """

    def __init__(
        self,
        seed: int = 1,
        size: Any = "demo",
        clock: Callable[[], dt.datetime] | None = None,
        data_file: str | Path | None = None,
        limits: Limits | dict[str, Any] | None = None,
        *,
        behaviour: Behaviour | dict[str, Any] | None = None,
        site_timezone: str = DEFAULT_SITE_TZ,
        recent: bool = False,
    ) -> None:
        self.seed = seed
        self.size = size
        self.recent = recent  # seed "just made" records (demo mode, R40)
        self.clock = SandboxClock(clock)
        self.site = SiteTime(site_timezone)
        self.behaviour = behaviour if isinstance(behaviour, Behaviour) else Behaviour()
        if isinstance(behaviour, dict):
            self.behaviour.update(behaviour)
        self.limits = limits if isinstance(limits, Limits) else Limits()
        if isinstance(limits, dict):
            self.limits.update(limits)
        self.limiter = RateLimiter(self.clock, self.limits)
        self.faults = Faults(seed)
        self.stats = Stats()
        self.data_file = Path(data_file) if data_file else None
        self.store = Store()
        self.url = ""
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._load_or_seed()

    # -- data -----------------------------------------------------------------------------

    def _load_or_seed(self) -> None:
        if self.data_file is not None and self.data_file.exists():
            doc = Store.read_file(self.data_file)
            self.store.load_json(doc, {name: spec.id_field for name, spec in SPECS.items()})
            self.store.api_key = DEMO_SCORO_API_KEY
            return
        self._seed()

    def _seed(self) -> None:
        build(
            self.store,
            seed=self.seed,
            size=self.size,
            recent=self.recent,
            now=self.clock.now(),
            site=self.site,
            behaviour=self.behaviour,
        )
        self.persist()

    def persist(self) -> None:
        with self.store.lock:
            self.store.changed()
        if self.data_file is None:
            return
        with self.store.lock:
            self.store.save(self.data_file)

    def reset(self, seed: int | None = None, size: Any = None) -> None:
        """Fresh seed data; faults, rate counters and stats cleared; the clock is kept."""
        with self.store.lock:
            if seed is not None:
                self.seed = seed
            if size is not None:
                self.size = size
            fresh = Store()
            build(
                fresh,
                seed=self.seed,
                size=self.size,
                recent=self.recent,
                now=self.clock.now(),
                site=self.site,
                behaviour=self.behaviour,
            )
            self.store.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "lock"})
            self.persist()
        self.faults.reset(self.seed)
        self.limiter.reset()
        self.stats.reset()

    # -- identity -------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        return self.store.api_key

    @property
    def company_account_ids(self) -> list[str]:
        return list(self.store.entities)

    @property
    def user_tokens(self) -> dict[str, int]:
        """user_token -> user id, for tests of the user-based API."""
        return dict(self.store.user_tokens)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/v2"

    # -- serving --------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self.url
        handler = type("_Handler", (_QuietHandler,), {"clock": self.clock})
        server = make_server(host, port, ScoroApp(self), threaded=True, request_handler=handler)
        self._server = server
        self.url = f"http://{host}:{server.server_port}"
        # A short poll interval keeps stop() (and so every test teardown) quick.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="scoro-sandbox", daemon=True
        )
        self._thread.start()
        log.info("scoro sandbox listening on %s", self.url)
        return self.url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> ScoroSandbox:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
