"""A one-shot web server on this computer that receives the browser's OAuth redirect.

The redirect names `localhost`, which a browser may resolve to 127.0.0.1 or to [::1]: the
server binds both loopbacks on the same port (IPv6 when this computer has it), so no other
program can take the other one and receive the code. It is on a free port, serves each
connection in its own thread with a time limit (an idle or slow connection cannot hold up the
browser's), and is gone after the first valid callback, so nothing else on the network can
talk to it and it does not outlive the sign-in.
"""

from __future__ import annotations

import errno
import hmac
import ipaddress
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..domain.errors import SyncError

_DONE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>qbsync</title></head>
<body style="font-family:sans-serif;margin:3em"><h2>{title}</h2><p>{text}</p></body></html>"""


class LoopbackCancelled(Exception):
    """The sign-in was cancelled before the browser came back."""


class LoopbackTimeout(TimeoutError):
    """The browser did not come back in time."""


class LoopbackUnavailable(SyncError):
    """The callback port cannot be had on every loopback address `localhost` may mean."""


# Seconds a connection may take to send its request: the browser's arrives at once.
CONNECTION_TIMEOUT = 10.0
# A random port free on 127.0.0.1 may be taken on [::1]: try a few before giving up.
_PORT_ATTEMPTS = 20


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a stuck connection never keeps the app from exiting
    block_on_close = False


class _Server6(_Server):
    address_family = socket.AF_INET6

    def server_bind(self) -> None:
        # Only [::1]: never also IPv4-mapped addresses.
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        super().server_bind()


def _ipv6_loopback_available() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class CallbackResult:
    url: str = field(repr=False)
    params: dict[str, str] = field(repr=False)

    @property
    def error(self) -> str:
        return self.params.get("error", "")


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class LoopbackCallbackServer:
    def __init__(
        self, expected_state: str | None = None, *, port: int = 0, path: str = "/callback"
    ) -> None:
        # The state may be set later with expect(): the redirect URI (with our port) is
        # needed to build the authorization URL that creates the state.
        self._expected_state = expected_state or ""
        self._path = path
        self._result: CallbackResult | None = None
        self._cancelled = False
        self._done = threading.Event()
        self._servers = self._bind(port)
        self._httpd = self._servers[0]  # the 127.0.0.1 one
        self.port = self._httpd.server_address[1]
        for server in self._servers:
            threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                daemon=True,
                name="oauth-callback",
            ).start()

    def _bind(self, port: int) -> list[ThreadingHTTPServer]:
        handler = self._handler_class()
        want_v6 = _ipv6_loopback_available()
        for _ in range(_PORT_ATTEMPTS if port == 0 else 1):
            try:
                v4 = _Server(("127.0.0.1", port), handler)
            except OSError as exc:
                raise self._taken(port, "127.0.0.1", exc) from None
            if not want_v6:
                return [v4]
            chosen = v4.server_address[1]
            try:
                return [v4, _Server6(("::1", chosen), handler)]
            except OSError as exc:
                v4.server_close()
                if port != 0 or exc.errno != errno.EADDRINUSE:
                    raise self._taken(chosen, "[::1]", exc) from None
                # Another program holds [::1] on the port picked for 127.0.0.1: pick again.
        raise LoopbackUnavailable(
            "qbsync could not find a port free on both 127.0.0.1 and [::1] for the sign-in "
            "callback. Close programs that hold many local ports and try again."
        )

    @staticmethod
    def _taken(port: int, address: str, exc: OSError) -> LoopbackUnavailable:
        if exc.errno == errno.EADDRINUSE:
            why = f"port {port} on {address} is already used by another program"
        else:
            why = f"{address} port {port} cannot be used ({exc.strerror or exc})"
        return LoopbackUnavailable(
            f"qbsync cannot receive the sign-in on this computer: {why}. The browser is sent "
            f"to localhost:{port}, which must reach qbsync on both 127.0.0.1 and [::1]; "
            "close that program or choose another port, and try again."
        )

    @property
    def redirect_uri(self) -> str:
        # Intuit accepts "localhost" for development keys but no IP addresses.
        return f"http://localhost:{self.port}{self._path}"

    def expect(self, state: str) -> None:
        self._expected_state = state

    def wait(self, timeout: float | None = None) -> CallbackResult:
        finished = self._done.wait(timeout)
        if not finished:
            self.cancel()
            raise LoopbackTimeout("The browser did not finish the sign-in in time")
        if self._result is None:
            raise LoopbackCancelled("The sign-in was cancelled")
        return self._result

    def cancel(self) -> None:
        self._cancelled = True
        self._finish()

    def _finish(self) -> None:
        if not self._done.is_set():
            self._done.set()
            threading.Thread(target=self._stop, daemon=True).start()

    def _stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def _accept(self, url: str, params: dict[str, str]) -> bool:
        state = params.get("state", "")
        if (
            not self._expected_state
            or self._done.is_set()
            or not hmac.compare_digest(state.encode(), self._expected_state.encode())
        ):
            return False
        self._result = CallbackResult(url=url, params=params)
        return True

    def _handler_class(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "qbsync-callback"
            sys_version = ""
            timeout = CONNECTION_TIMEOUT  # per connection: idle ones are dropped

            def log_message(self, format, *args):
                # The request line holds the authorization code: never log it.
                return

            def _reply(self, status: int, title: str, text: str) -> None:
                body = _DONE_PAGE.format(title=title, text=text).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if not _is_loopback(self.client_address[0]):
                    self._reply(403, "Not allowed", "Only this computer may answer.")
                    return
                parts = urlsplit(self.path)
                if parts.path != owner._path:
                    self._reply(404, "Not found", "Nothing here.")
                    return
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                url = f"http://localhost:{owner.port}{self.path}"
                if not owner._accept(url, params):
                    self._reply(
                        400,
                        "This sign-in link is not valid",
                        "It does not belong to the sign-in that qbsync started.",
                    )
                    return
                if params.get("error"):
                    self._reply(
                        200, "QuickBooks access was not granted", "You can close this window."
                    )
                else:
                    self._reply(
                        200,
                        "qbsync is connected to QuickBooks",
                        "You can close this window and return to qbsync.",
                    )
                owner._finish()

        return Handler
