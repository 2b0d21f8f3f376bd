"""A one-shot web server on this computer that receives the browser's OAuth redirect.

Bound to 127.0.0.1 only, on a free port, and gone after the first valid callback, so nothing
else on the network can talk to it and it does not outlive the sign-in.
"""

from __future__ import annotations

import hmac
import ipaddress
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

_DONE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>qbsync</title></head>
<body style="font-family:sans-serif;margin:3em"><h2>{title}</h2><p>{text}</p></body></html>"""


class LoopbackCancelled(Exception):
    """The sign-in was cancelled before the browser came back."""


class LoopbackTimeout(TimeoutError):
    """The browser did not come back in time."""


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
        self._httpd = HTTPServer(("127.0.0.1", port), self._handler_class())
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        # Intuit accepts "localhost" for development keys but no IP addresses (reference §1.8).
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
        self._httpd.shutdown()
        self._httpd.server_close()

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
