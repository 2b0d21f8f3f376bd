"""``<module>/pdf/<id>`` answers a ``pdf_link``; a GET on that link answers the document's PDF.

The link needs no API key, like a link Scoro hands out to be opened in a browser, so it carries
a token derived from the site's key: without it ids could be walked. The PDF is made when the
link is fetched, so it shows the document as it is then.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from .files import pdf_bytes
from .records import Ctx

if TYPE_CHECKING:
    from .sandbox import ScoroSandbox

PREFIX = "/pdf/"
TITLES = {"invoices": "Invoice", "bills": "Bill"}


def _token(api_key: str, cid: str, module: str, rec_id: int) -> str:
    return hashlib.sha256(f"{api_key}:{cid}:{module}:{rec_id}".encode()).hexdigest()[:24]


def link(sb: ScoroSandbox, ctx: Ctx, module: str, rec: dict[str, Any]) -> dict[str, Any]:
    token = _token(sb.api_key, ctx.cid, module, rec["id"])
    return {
        "template_id": 1,
        "datetime_created": ctx.site.iso(ctx.now),
        "pdf_link": f"{sb.url}{PREFIX}{ctx.cid}/{module}/{rec['id']}/{token}.pdf",
    }


def _not_found() -> Response:
    return Response("Not found", status=404, content_type="text/plain; charset=utf-8")


def serve(sb: ScoroSandbox, request: Request) -> Response:
    if request.method not in ("GET", "HEAD"):
        return Response("Method not allowed", status=405, content_type="text/plain")
    parts = request.path[len(PREFIX) :].split("/")
    if len(parts) != 4 or not parts[3].endswith(".pdf") or parts[1] not in TITLES:
        return _not_found()
    cid, module, raw_id, name = parts
    try:
        rec_id = int(raw_id)
    except ValueError:
        return _not_found()
    if name[: -len(".pdf")] != _token(sb.api_key, cid, module, rec_id):
        return _not_found()
    with sb.store.lock:
        if cid not in sb.store.entities:
            return _not_found()
        rec = sb.store.table(cid, module).get(rec_id)
        if rec is None or rec.get("_deleted") is not None:
            return _not_found()
        gross = rec["sum"] + rec["vat_sum"]
        title = (
            f"{TITLES[module]} {rec.get('no') or rec_id}  {rec.get('date') or ''}  "
            f"{rec['sum']} + VAT {rec['vat_sum']} = {gross} {rec.get('currency') or ''}"
        )
    filename = f"{module[:-1]}-{rec.get('no') or rec_id}.pdf"
    return Response(
        pdf_bytes(title),
        status=200,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
