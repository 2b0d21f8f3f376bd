"""A server that trickles its answer cannot keep a run alive: every exchange has an overall
deadline, not only one per read."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from qbsync_desktop import deadline
from qbsync_desktop.domain.errors import ServiceUnavailable
from qbsync_desktop.quickbooks.endpoints import QuickBooksEndpoints
from qbsync_desktop.quickbooks.ratebudget import RateBudget
from qbsync_desktop.quickbooks.transport import QuickBooksTransport


@pytest.fixture
def trickler():
    """Answers 200 with a long body, one byte every 0.2 s, to every connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def serve(conn):
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            )
            for _ in range(1000):
                if stop.is_set():
                    return
                try:
                    conn.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.2)

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    server.close()


def test_a_trickled_answer_ends_at_the_deadline(trickler):
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        deadline.request(requests.Session(), "GET", trickler, deadline=1.0, timeout=(2, 2))
    assert time.monotonic() - started < 3  # each byte came well within the read timeout


class _Tokens:
    def access_token(self) -> str:
        return "token"

    def force_refresh(self, stale=None) -> str:
        return "token"


def test_quickbooks_gives_up_on_a_trickling_server_with_a_clear_message(trickler):
    endpoints = QuickBooksEndpoints(
        authorize_url=f"{trickler}/auth", token_url=f"{trickler}/token",
        revoke_url=f"{trickler}/revoke", api_base=f"{trickler}/v3", environment="sandbox",
    )  # fmt: skip
    transport = QuickBooksTransport(
        endpoints, "1", _Tokens(), timeout=(2, 2),
        rate=RateBudget(per_minute=10**6, per_second=10**6, batch_per_minute=10**6),
        max_retries=1, backoff_base=0.01, answer_deadline=0.8,
    )  # fmt: skip
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match="timed out"):
        transport.request("GET", "companyinfo/1")
    assert time.monotonic() - started < 5


def test_scoro_gives_up_on_a_trickling_server_with_a_clear_message(trickler):
    from qbsync_desktop.scoro.transport import ScoroTransport

    transport = ScoroTransport(
        trickler, "key", "acme_ee", timeout=(2, 2), sleep=lambda s: None, max_attempts=1,
        answer_deadline=0.8,
    )  # fmt: skip
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match="could not be reached"):
        transport.call("contacts", "list")
    assert time.monotonic() - started < 5
