"""A quiet threaded werkzeug server running in a daemon thread."""

from __future__ import annotations

import datetime as dt
import email.utils
import threading

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler


class _QuietHandler(WSGIRequestHandler):
    # Request lines can carry authorization codes in redirects' referers; keep logs out of it.
    def log_request(self, *args, **kwargs) -> None:
        pass

    def log(self, type: str, message: str, *args) -> None:
        pass

    clock = None  # the sandbox's clock, set per server

    def date_time_string(self, timestamp: float | None = None) -> str:
        # A real server's Date is its own clock, which clients check their cursors against;
        # the sandbox's clock is the one its objects are stamped with.
        if self.clock is None or timestamp is not None:
            return super().date_time_string(timestamp)
        return email.utils.format_datetime(self.clock.now().astimezone(dt.UTC), usegmt=True)


class ThreadedServer:
    def __init__(self, app, host: str, port: int, clock=None) -> None:
        handler = type("_ClockedHandler", (_QuietHandler,), {"clock": clock})
        # What make_server(threaded=True) builds, named so its thread settings are typed.
        self.server = ThreadedWSGIServer(host, port, app, handler)
        self.server.daemon_threads = True
        # A short poll interval makes stop() (and so every test teardown) fast.
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="qbo-sandbox",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return self.server.server_port

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
