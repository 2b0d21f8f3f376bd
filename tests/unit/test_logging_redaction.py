"""No secret reaches a log file or the console, whichever logger or route it takes."""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import stat

import pytest

from qbsync_desktop.logs import (
    REDACTED,
    RedactingFilter,
    redact,
    register_secret,
    setup_logging,
    teardown_logging,
)

ACCESS_TOKEN = "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..access-token-value"
REFRESH_TOKEN = "AB11761234567890refreshTokenValueXYZ"
NEW_REFRESH_TOKEN = "AB11769999999999rotatedRefreshToken"
CLIENT_ID = "ABclientId0123456789"
CLIENT_SECRET = "clientSecretValue0123456789abcdef"
AUTH_CODE = "AB11700000000authCodeFromIntuit"
ID_TOKEN = "eyJraWQiOiJpZC10b2tlbiJ9.id-token-body.sig"
SCORO_API_KEY = "ScoroApiKey_7f3c1e9a2b4d"
SCORO_USER_TOKEN = "scoro-user-token-55aa66bb"
RAW_SECRET = "plain-raw-secret-without-a-field-name"
BASIC = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()

SECRETS = [
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    NEW_REFRESH_TOKEN,
    CLIENT_SECRET,
    AUTH_CODE,
    ID_TOKEN,
    SCORO_API_KEY,
    SCORO_USER_TOKEN,
    RAW_SECRET,
    BASIC,
]

# What must survive redaction: the log is useless without it.
KEPT = [
    "POST",
    "/v3/company/9341453050000001/invoice",
    "1-5f8a9c2e-7b3d",  # intuit_tid
    "application/json",
    "grant_type=refresh_token",
    "x_refresh_token_expires_in",
    "8726400",
    "state=st-91",
    "realmId=9341453050000001",
    "company_account_id",
    "acme_ee",
    "RuntimeError: refresh failed",
    "invoice 1042 sent",
]


def emit_everything() -> None:
    """Log a session's worth of requests and responses, each carrying a secret."""
    qbo = logging.getLogger("qbsync_desktop.quickbooks.transport")
    qbo.debug(
        "%s %s headers=%r",
        "POST",
        "https://sandbox-quickbooks.api.intuit.com/v3/company/9341453050000001/invoice",
        {"Authorization": f"Bearer {ACCESS_TOKEN}", "Accept": "application/json"},
    )
    qbo.info("response 200 intuit_tid=1-5f8a9c2e-7b3d: invoice 1042 sent")
    # Token endpoint: Basic auth header, form body, JSON response.
    qbo.debug("token request headers: Authorization: Basic %s", BASIC)
    qbo.debug("token request body: grant_type=refresh_token&refresh_token=%s", REFRESH_TOKEN)
    qbo.debug(
        "exchange body: client_id=%s&client_secret=%s&code=%s", CLIENT_ID, CLIENT_SECRET, AUTH_CODE
    )
    qbo.debug(
        "token response: %s",
        json.dumps(
            {
                "access_token": ACCESS_TOKEN,
                "refresh_token": NEW_REFRESH_TOKEN,
                "id_token": ID_TOKEN,
                "x_refresh_token_expires_in": 8726400,
            }
        ),
    )
    # The browser's redirect, as a third-party library (propagating to root) would log it.
    logging.getLogger("werkzeug").info(
        "GET /callback?code=%s&state=st-91&realmId=9341453050000001 HTTP/1.1", AUTH_CODE
    )
    scoro = logging.getLogger("qbsync_desktop.scoro.transport")
    scoro.debug(
        "POST /api/v2/invoices/list body=%s",
        json.dumps({"apiKey": SCORO_API_KEY, "company_account_id": "acme_ee", "request": {}}),
    )
    logging.getLogger("urllib3.connectionpool").debug(
        'https://acme.scoro.com:443 "POST /api/v2/contacts/list?user_token=%s HTTP/1.1" 200',
        SCORO_USER_TOKEN,
    )
    # A secret with no tell-tale field name, known only because it was registered.
    try:
        try:
            raise ValueError(json.dumps({"refresh_token": REFRESH_TOKEN}))
        except ValueError as inner:
            raise RuntimeError(f"refresh failed for {RAW_SECRET}") from inner
    except RuntimeError:
        qbo.exception("while refreshing with %s", RAW_SECRET)


@pytest.fixture
def logged(tmp_path, capsys):
    register_secret(RAW_SECRET)
    log_file = setup_logging(tmp_path / "logs", level="DEBUG", console=True)
    try:
        emit_everything()
        for handler in logging.getLogger().handlers:
            handler.flush()
        yield log_file, log_file.read_text(encoding="utf-8"), capsys.readouterr().err
    finally:
        teardown_logging()


def test_no_secret_in_the_log_file_or_console(logged):
    _, file_text, console_text = logged
    for text in (file_text, console_text):
        leaked = [secret for secret in SECRETS if secret in text]
        assert leaked == []
        assert REDACTED in text


def test_the_rest_of_each_line_is_kept(logged):
    _, file_text, console_text = logged
    for text in (file_text, console_text):
        missing = [part for part in KEPT if part not in text]
        assert missing == []


def test_the_secrets_were_really_in_the_records():
    """Control: the same records through a handler without the filter do show every secret,
    so the tests above cannot pass just because nothing was logged."""
    stream = io.StringIO()
    raw = logging.StreamHandler(stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(raw)
    root.setLevel(logging.DEBUG)
    try:
        emit_everything()
    finally:
        root.removeHandler(raw)
        root.setLevel(old_level)
    text = stream.getvalue()
    assert [secret for secret in SECRETS if secret not in text] == []


def test_log_files_are_private(logged, tmp_path):
    log_file, _, _ = logged
    assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(log_file.parent).st_mode) == 0o700
    (handler,) = [h for h in logging.getLogger().handlers if hasattr(h, "doRollover")]
    handler.doRollover()
    for path in log_file.parent.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name


def test_setup_twice_does_not_duplicate_lines(tmp_path):
    try:
        setup_logging(tmp_path / "logs", console=False)
        log_file = setup_logging(tmp_path / "logs", console=False)
        logging.getLogger("qbsync_desktop").warning("only once")
        text = log_file.read_text(encoding="utf-8")
    finally:
        teardown_logging()
    assert text.count("only once") == 1


def test_redact_helpers():
    register_secret(RAW_SECRET)
    register_secret("short")  # under 8 characters: ignored, would mangle ordinary words
    assert redact("a short note") == "a short note"
    assert redact(f"url?x={RAW_SECRET.replace('-', '%2D')}") != ""  # does not raise
    assert RAW_SECRET not in redact(f"{RAW_SECRET} and {RAW_SECRET}")
    once = redact(f"refresh_token={REFRESH_TOKEN} Authorization: Bearer {ACCESS_TOKEN}")
    assert redact(once) == once  # a record filtered by two handlers is unchanged the 2nd time


def test_filter_handles_bad_format_args():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items %s", ("many",), None)
    assert RedactingFilter().filter(record)
    assert "many" in record.getMessage()
