"""Security: no secret in the database, logs, exception texts or CLI output after a full demo
run; the OAuth callback refuses a wrong or replayed state, a reused code and other hosts, and
the loopback server lives for one callback; TLS verification cannot be turned off; data files
are private (0600)."""

from __future__ import annotations

import logging
import os
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests

from qbsync_desktop.domain.errors import AuthenticationFailed, ReconnectNeeded, ServiceUnavailable
from qbsync_desktop.logs import setup_logging
from qbsync_desktop.quickbooks.endpoints import QuickBooksEndpoints
from qbsync_desktop.quickbooks.loopback import LoopbackCallbackServer, LoopbackTimeout
from qbsync_desktop.quickbooks.transport import QuickBooksTransport
from qbsync_desktop.sandbox.browser import consent
from qbsync_desktop.scoro.transport import ScoroTransport
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService
from tests.support.environments import fast_options

ROOT = Path(__file__).resolve().parents[2]


def sandbox_secrets(env) -> set[str]:
    out = {env.client_secret, env.scoro_api_key}
    state = env.qbo.oauth.state
    out |= set(state.access)
    for grant in state.grants.values():  # every refresh token issued, current and previous
        out |= {grant.refresh, grant.previous or ""}
    out |= {t for t in env.scoro.store.user_tokens}
    return {s for s in out if s and len(s) >= 12}


def test_no_secret_in_database_logs_errors_or_cli_output(rworld, tmp_path):
    data = tmp_path / "demo"
    store = FileSecretStore(data / SECRETS_FILE_NAME)
    w = rworld(secrets=store)
    w.svc.close()
    w.svc = SyncService(data, store, connector_options=fast_options())
    root = logging.getLogger()
    before = list(root.handlers)
    setup_logging(data / "logs", level="DEBUG", console=False)
    try:
        texts = []
        for entity in ("acme_ee", "acme_us"):
            info = w.env.connect(
                w.svc, next(p for p in w.env.pairs if p.company_account_id == entity)
            )
            result = w.svc.run(info.id)
            texts += [result.message] + [i.message for i in w.svc.review_items(info.id)]
        # Some failures too, so error texts are produced and scanned.
        w.qbo_ctl("POST", "faults", type="system_error", count=30)
        texts.append(w.svc.run(1).message)
        w.qbo_ctl("POST", "faults", type="revoke_refresh_token")
        w.qbo_ctl("POST", "faults", type="expire_access_token")
        w.svc.gateways.forget()
        texts.append(w.svc.run(1).message)
        texts += [row.message for row in w.svc.log(limit=100000)]
        w.svc.close()
    finally:
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)
            h.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["status"], ["log", "--limit", "10000"], ["review", "list"], ["-v", "sync"]):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "qbsync_desktop.cli",
                "--data-dir",
                str(data),
                "--secrets",
                "file",
                *args,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        texts += [proc.stdout, proc.stderr]
    secrets = sandbox_secrets(w.env)
    assert len(secrets) >= 4, "the scan has real values to look for"
    blobs = {f"text {i}": t.encode() for i, t in enumerate(texts)}
    for path in data.rglob("*"):
        if path.is_file() and path.name != SECRETS_FILE_NAME:
            blobs[str(path)] = path.read_bytes()
    assert any("qbsync.sqlite3" in k for k in blobs) and any(".log" in k for k in blobs)
    leaks = [
        (name, s[:6] + "…", _around(blob, s))
        for name, blob in blobs.items()
        for s in secrets
        if s.encode() in blob
    ]
    assert leaks == []
    private = [p for p in data.rglob("*") if p.is_file()]
    loose = [
        (str(p), oct(stat.S_IMODE(p.stat().st_mode)))
        for p in private
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == [], "database, -wal, logs and the secrets file are 0600"


def _around(blob: bytes, secret: str) -> str:
    at = blob.find(secret.encode())
    return blob[max(0, at - 120) : at].decode("utf-8", "replace") + "<SECRET>"


def _get(url: str) -> int:
    return requests.get(url, timeout=5, allow_redirects=False).status_code


def test_oauth_callback_refuses_wrong_and_replayed_state_and_reused_code(rworld):
    w = rworld()
    pair = w.env.pairs[0]
    request = w.svc.begin_authorization(
        w.env.scoro_url, w.env.scoro_api_key, pair.company_account_id, w.env.app_config()
    )
    server_port = int(request.redirect_uri.split(":")[2].split("/")[0])
    base = f"http://127.0.0.1:{server_port}/callback"
    assert _get(f"{base}?code=x&state=wrong&realmId=1") == 400
    assert _get(f"{base}?code=x&realmId=1") == 400
    browser = threading.Thread(target=consent, args=(request.url, pair.realm_id), daemon=True)
    browser.start()
    callback = w.svc.wait_for_callback(request, timeout=30)
    browser.join(10)
    # The server is gone after its one callback.
    time.sleep(0.3)
    with pytest.raises(requests.ConnectionError):
        _get(f"{base}?code=x&state={request.state}")
    w.svc.complete_authorization(request, callback)
    with pytest.raises(AuthenticationFailed):  # the same state again: refused
        w.svc.complete_authorization(request, callback)
    # The same code again, through a fresh sign-in: the code is single-use.
    second = w.svc.begin_authorization(
        w.env.scoro_url, w.env.scoro_api_key, pair.company_account_id, w.env.app_config()
    )
    reused = callback.replace(request.state, second.state)
    with pytest.raises((AuthenticationFailed, ReconnectNeeded)):
        w.svc.complete_authorization(second, reused)
    w.svc.cancel_authorization(second)


def test_loopback_server_is_127_0_0_1_only_and_stops_on_timeout():
    server = LoopbackCallbackServer(expected_state="s" * 20)
    host, port = server._httpd.server_address
    assert host == "127.0.0.1"
    others = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    for address in others - {"127.0.0.1"}:
        if address.startswith("127."):
            continue
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()
    with pytest.raises(LoopbackTimeout):
        server.wait(0.3)
    time.sleep(0.3)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


@pytest.fixture
def self_signed_https(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def _ok(self):
            hits.append(self.path)
            body = b'{"status": "OK", "data": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _ok

        def log_message(self, *a):
            return

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"https://localhost:{httpd.server_address[1]}", hits
    httpd.shutdown()


class _Tokens:
    def access_token(self):
        return "token-" + "x" * 20

    def force_refresh(self, stale=None):
        return self.access_token()


def test_tls_verification_cannot_be_turned_off(self_signed_https, monkeypatch):
    url, hits = self_signed_https
    # Every way configuration could switch verification off.
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    monkeypatch.setenv("PYTHONHTTPSVERIFY", "0")
    qbo = QuickBooksTransport(QuickBooksEndpoints.local(url), "1", _Tokens(), max_retries=0)
    qbo.session.verify = False
    qbo.session.trust_env = True
    with pytest.raises(ServiceUnavailable, match="could not be verified"):
        qbo.request("GET", "companyinfo/1")
    scoro = ScoroTransport(url, "k" * 20, "acme_ee", max_attempts=1)
    scoro.session.verify = False
    with pytest.raises(ServiceUnavailable, match="certificate could not be verified"):
        scoro.call("contacts", "list")
    assert hits == [], "no request body (token, API key) was sent over the unverified link"
    # And plain http is refused for anything but this computer.
    with pytest.raises(ValueError):
        QuickBooksEndpoints.local("http://example.com")
    with pytest.raises(ValueError):
        ScoroTransport("http://acme.scoro.com", "k" * 20, "acme_ee")
