"""An overall deadline for one HTTP exchange.

requests' timeout bounds each wait for the next bytes, not the whole answer: a server that
trickles a byte every few seconds keeps a read alive for ever. Bodies are read here piece by
piece against a deadline instead, so every request ends in bounded time.
"""

from __future__ import annotations

import time

import requests

# Longest a whole answer may take, once the headers are in. Intuit ends its own requests at
# 120 s; an answer still arriving after that is not coming.
ANSWER_DEADLINE = 120.0
_PIECE = 64 * 1024


def request(
    session: requests.Session, method: str, url: str, *, deadline: float = ANSWER_DEADLINE, **kw
) -> requests.Response:
    """`session.request` whose body must arrive within `deadline` seconds; raises
    requests.Timeout when it does not (retried like any other timeout)."""
    started = time.monotonic()
    response = session.request(method, url, stream=True, **kw)
    try:
        read_within(response, started + deadline)
    except BaseException:
        response.close()
        raise
    return response


def read_within(response: requests.Response, until: float) -> bytes:
    chunks = []
    raw = response.raw
    while True:
        if time.monotonic() > until:
            raise requests.Timeout("the answer did not arrive in time")
        chunk = raw.read1(_PIECE, decode_content=True)
        if not chunk:
            break
        chunks.append(chunk)
    body = b"".join(chunks)
    response._content = body  # requests' own cache of the body: .json() and .text read it
    # requests marks the body as read with this private flag; the stubs do not declare it.
    response._content_consumed = True  # type: ignore[attr-defined]
    response.close()
    return body
