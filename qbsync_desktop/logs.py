"""Logging set-up, and the redaction every log line, exception text and crash dialog goes through.

Redaction happens in a filter on the *handlers*, not on our loggers: records propagated from
requests, urllib3 and oauthlib (which log URLs, bodies and token responses at DEBUG) never pass
through our loggers' filters, but they all reach the handlers.
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
import re
import sys
import threading
import traceback
import urllib.parse
from pathlib import Path

from .paths import ensure_private_dir

REDACTED = "[REDACTED]"
MIN_SECRET_LENGTH = 8
LOG_FILE_NAME = "qbsync.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5

# Field names whose values are secret wherever they appear: JSON, Python reprs, query strings,
# form bodies, "name: value" text. Matched case-insensitively and as whole names, so that
# e.g. `x_refresh_token_expires_in` (a number, and useful) is left alone.
_SECRET_FIELDS = (
    "access_token",
    "refresh_token",
    "client_secret",
    "id_token",
    "apiKey",
    "api_key",
    "user_token",
    "password",
)
_NAME_BOUNDARY_BEFORE = r"(?<![A-Za-z0-9_])"
_NAME_BOUNDARY_AFTER = r"(?![A-Za-z0-9_])"
# A quoted value may hold anything up to its closing quote; a bare one ends at a delimiter.
# JSON inside a JSON string has its quotes escaped (\"access_token\": \"...\"); handle that too.
_VALUE = (
    r"""(?:\\(?P<eq>["'])(?P<eqval>.*?)\\(?P=eq)"""
    r"""|(?P<q>["'])(?P<qval>(?:\\.|(?!(?P=q)).)*)(?P=q)"""
    r"""|(?P<val>[^\s&"',;}\])]+))"""
)

_FIELD_RE = re.compile(
    r"(?P<key>"
    + _NAME_BOUNDARY_BEFORE
    + r"\\?[\"']?(?:"
    + "|".join(re.escape(name) for name in _SECRET_FIELDS)
    + r")\\?[\"']?"
    + _NAME_BOUNDARY_AFTER
    + r"\s*[:=]\s*)"
    + _VALUE,
    re.IGNORECASE,
)
# `code` is only an OAuth secret as a query or form parameter (`?code=`, `&code=`, or a form
# body that starts with it); "code" JSON fields are product and tax codes, worth keeping.
_CODE_RE = re.compile(r"(?P<key>(?:(?<=[?&\"'])|^)code=)(?P<val>[^\s&\"'#]+)", re.MULTILINE)
# `Authorization: Bearer x`, `'Authorization': 'Basic x'`, and a bare `Bearer x` anywhere.
_AUTH_HEADER_RE = re.compile(
    r"(?P<key>authorization[\"']?\s*[:=]\s*[\"']?(?:Bearer|Basic|Token|Digest)\s+)"
    r"(?P<val>[^\s\"',;]+)",
    re.IGNORECASE,
)
_BEARER_RE = re.compile(r"(?P<key>\bBearer\s+)(?P<val>[A-Za-z0-9\-._~+/]+=*)", re.IGNORECASE)

_lock = threading.Lock()
_registered: set[str] = set()
_registered_re: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Redact this exact text (and its URL-encoded forms) wherever it appears from now on.

    Values shorter than MIN_SECRET_LENGTH are ignored: redacting "1234" would mangle amounts
    and ids all over the log while protecting nothing worth protecting.
    """
    global _registered_re
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    variants = {value, urllib.parse.quote(value, safe=""), urllib.parse.quote_plus(value)}
    with _lock:
        if variants <= _registered:
            return
        _registered.update(variants)
        # Longest first, so a secret that contains another is removed whole.
        ordered = sorted(_registered, key=len, reverse=True)
        _registered_re = re.compile("|".join(re.escape(v) for v in ordered))


def _replace_value(match: re.Match[str]) -> str:
    groups = match.groupdict()
    if groups.get("eq"):
        return f"{match['key']}\\{match['eq']}{REDACTED}\\{match['eq']}"
    if groups.get("q"):
        return f"{match['key']}{match['q']}{REDACTED}{match['q']}"
    value = groups.get("val") or ""
    # Already redacted (a record filtered by two handlers): leave it exactly as it is.
    if value.startswith(REDACTED[:-1]):
        return match.group(0)
    return f"{match['key']}{REDACTED}"


def redact(text: object) -> str:
    """The text with every known kind of secret replaced by [REDACTED]."""
    result = text if isinstance(text, str) else str(text)
    pattern = _registered_re  # read once: register_secret may swap it concurrently
    if pattern is not None:
        result = pattern.sub(REDACTED, result)
    for regex in (_AUTH_HEADER_RE, _BEARER_RE, _FIELD_RE, _CODE_RE):
        result = regex.sub(_replace_value, result)
    return result


class RedactingFilter(logging.Filter):
    """Rewrites a record in place so no handler (file, console, the UI's log pane) sees a secret.

    The message is formatted with its args first and the args dropped: a secret can hide in
    an arg's repr (a dict of headers, a PreparedRequest body) as easily as in the template.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # Formatters use exc_text when present; dropping exc_info stops any handler from
            # formatting the raw exception (with its unredacted message) a second time.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _why_not_written(exc: BaseException | None, folder: Path) -> str:
    code = getattr(exc, "errno", None)
    if code in _SPACE_ERRNOS:
        return f"no space left on the disk holding {folder}"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"the folder {folder} is read-only for this user"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__ if exc is not None else "unknown error"


def _say_once_on_stderr(text: str) -> None:
    try:
        sys.stderr.write(f"qbsync: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files are created 0600: they name customers, amounts and request ids.

    A log file that cannot be written (a full disk, a folder made read-only) is reported once,
    in one line on stderr, and the program goes on: not a traceback per record (the standard
    handler's "--- Logging error ---").
    """

    _reported = False

    def handleError(self, record: logging.LogRecord) -> None:
        if self._reported:
            return
        self._reported = True
        exc = sys.exc_info()[1]
        folder = Path(self.baseFilename).parent
        _say_once_on_stderr(
            f"cannot write the log file {self.baseFilename} "
            f"({_why_not_written(exc, folder)}); carrying on without it."
        )

    def _open(self):
        def opener(path: str, flags: int) -> int:
            return os.open(path, flags, 0o600)

        stream = open(
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=opener
        )
        # An existing file keeps the mode it was created with; make sure it is private too.
        os.chmod(self.baseFilename, 0o600)
        return stream


_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_OURS = "_qbsync_handler"


def setup_logging(
    log_dir: str | os.PathLike[str],
    level: str | int = "INFO",
    console: bool = True,
    *,
    extra_handlers: tuple[logging.Handler, ...] = (),
) -> Path:
    """Send every logger's records to a rotating file in `log_dir` (and stderr), redacted.

    Calling it again replaces the handlers it installed before (tests, a changed log level).
    Returns the path of the log file.
    """
    log_file = Path(log_dir) / LOG_FILE_NAME

    teardown_logging()
    root = logging.getLogger()
    formatter = logging.Formatter(_FORMAT)
    redacting = RedactingFilter()
    handlers: list[logging.Handler] = []
    try:
        ensure_private_dir(Path(log_dir))
        handlers.append(
            _PrivateRotatingFileHandler(
                log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
            )
        )
    except OSError as exc:
        # No log file is no reason not to sync (or show the status): say so once, go on.
        _say_once_on_stderr(
            f"cannot write the log file {log_file} "
            f"({_why_not_written(exc, Path(log_dir))}); carrying on without it."
        )
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    handlers.extend(extra_handlers)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(redacting)
        setattr(handler, _OURS, True)
        root.addHandler(handler)

    root.setLevel(level if isinstance(level, int) else level.upper())
    return log_file


def teardown_logging() -> None:
    """Remove and close the handlers setup_logging installed (app exit, tests)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
