"""The ``files`` module: chunked base64 upload, relations to documents, download.

Upload: ``files/modify`` with ``request: {name, size, chunk_no,
chunks_total, chunk_data, uploaded_by?, rel_type?, rel_id?}`` starts a file and answers its
``file_id``; later chunks go to ``files/modify/<file_id>`` with the same keys. ``chunk_no``
counts from 1 (UNCONFIRMED). A chunk decodes to at most 5,000,000 bytes. When every chunk is
in, the bytes are joined in chunk order and must add up to ``size``; until then the file is
not listed and cannot be downloaded.

Relations: ``rel_type`` (invoices, bills, contacts, projects) and ``rel_id`` on an upload or on
``files/modify/<id>`` add a relation; ``"relation_action": "remove"`` removes it (the real
action names are UNCONFIRMED). ``view`` shows ``relations: {type: [ids]}``. ``list`` takes
``filter: {"rel_type": "invoices", "rel_id": 5}``.

``files/download/<id>`` answers the raw bytes (or, with the ``download_format`` switch, an
envelope with ``file_data`` in base64).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
from typing import Any

from .envelope import ScoroError
from .fields import Invalid, parse_bool, parse_int, parse_str
from .records import CRUD, Ctx, ModuleSpec, register

MAX_CHUNK_BYTES = 5_000_000
REL_TYPES = ("invoices", "bills", "contacts", "projects")

SPEC = register(
    ModuleSpec(
        name="files",
        id_field="file_id",
        dt_style=None,
        actions=CRUD | {"download"},
        fields={},
        list_drop=("relations", "custom_fields"),
    )
)


def _int(changes: dict[str, Any], key: str, errors: list[str]) -> int | None:
    try:
        return parse_int(changes.get(key))
    except Invalid as exc:
        errors.append(f"{key}: {exc}")
        return None


def modify(ctx: Ctx, file_id: int | None, changes: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(changes, dict):
        raise ScoroError(400, "request must be an object")
    table = ctx.table("files")
    rec = None
    if file_id:
        rec = table.get(file_id)
        if rec is None or rec.get("_deleted") is not None:
            raise ScoroError(404, f"files object {file_id} not found")
    errors: list[str] = []
    if "chunk_data" in changes:
        rec = _chunk(ctx, rec, changes, errors)
    elif rec is None:
        errors.append("chunk_data: is required")
    if not errors and rec is not None:
        _metadata(ctx, rec, changes, errors)
    if errors:
        if rec is not None and rec["file_id"] not in table:
            ctx.store.uploads.pop(rec["file_id"], None)
        raise ScoroError(400, errors)
    assert rec is not None
    rec["_modified"] = ctx.now
    table[rec["file_id"]] = rec
    return rec


def _chunk(
    ctx: Ctx, rec: dict[str, Any] | None, changes: dict[str, Any], errors: list[str]
) -> dict[str, Any] | None:
    chunk_no = _int(changes, "chunk_no", errors)
    try:
        data = base64.b64decode(str(changes.get("chunk_data") or ""), validate=True)
    except (binascii.Error, ValueError):
        errors.append("chunk_data: must be base64")
        return rec
    if len(data) > MAX_CHUNK_BYTES:
        errors.append(f"chunk_data: a chunk may hold at most {MAX_CHUNK_BYTES} bytes")
    if rec is None:
        name = parse_str(changes.get("name"))
        size = _int(changes, "size", errors)
        total = _int(changes, "chunks_total", errors) or 1
        if not name:
            errors.append("name: is required")
        if size is None or size < 0:
            errors.append("size: is required")
        if errors or not name:  # a missing name is among the errors
            return None
        file_id = ctx.store.new_id("files")
        rec = {
            "file_id": file_id,
            "hash": None,
            "file_name": name,
            "file_location": None,
            "file_size": size,
            "uploaded_by": ctx.user_id or 1,
            "category_id": None,
            "repository": "local",
            "file_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "is_private": False,
            "is_public": False,
            "relations": {},
            "_chunks_total": total,
            "_complete": False,
            "_created": ctx.now,
            "_deleted": None,
        }
        ctx.store.uploads[file_id] = {}
    elif rec.get("_complete"):
        errors.append("chunk_data: the upload of this file is already complete")
        return rec
    total = rec["_chunks_total"]
    if chunk_no is None or not 1 <= chunk_no <= total:
        errors.append(f"chunk_no: must be between 1 and {total}")
        return rec
    if errors:
        return rec
    chunks = ctx.store.uploads.setdefault(rec["file_id"], {})
    chunks[chunk_no] = data
    if len(chunks) == total:
        blob = b"".join(chunks[i] for i in range(1, total + 1))
        if len(blob) != rec["file_size"]:
            del ctx.store.uploads[rec["file_id"]]
            errors.append(f"size: received {len(blob)} bytes, expected {rec['file_size']}")
            return rec
        del ctx.store.uploads[rec["file_id"]]
        digest = hashlib.sha1(blob).hexdigest()  # noqa: S324 - an id, not a security hash
        rec.update(
            hash=digest,
            _complete=True,
            file_location=f"files/{digest[:2]}/{digest}/{rec['file_name']}",
        )
        ctx.store.blobs[rec["file_id"]] = blob
    return rec


def _metadata(ctx: Ctx, rec: dict[str, Any], changes: dict[str, Any], errors: list[str]) -> None:
    if changes.get("file_name"):
        rec["file_name"] = str(changes["file_name"])
    for key in ("is_private", "is_public"):
        if key in changes:
            try:
                rec[key] = parse_bool(changes[key])
            except Invalid as exc:
                errors.append(f"{key}: {exc}")
    if "category_id" in changes:
        rec["category_id"] = _int(changes, "category_id", errors)
    if "uploaded_by" in changes and ctx.live("users", parse_int(changes["uploaded_by"])):
        rec["uploaded_by"] = parse_int(changes["uploaded_by"])
    rel_type = changes.get("rel_type")
    if rel_type in (None, ""):
        return
    rel_id = _int(changes, "rel_id", errors)
    if rel_type not in REL_TYPES:
        errors.append(f"rel_type: must be one of {', '.join(REL_TYPES)}")
        return
    if ctx.live(rel_type, rel_id) is None:
        errors.append(f"rel_id: {rel_type} object {rel_id} not found")
        return
    ids = rec["relations"].setdefault(rel_type, [])
    if changes.get("relation_action") == "remove":
        if rel_id in ids:
            ids.remove(rel_id)
        if not ids:
            del rec["relations"][rel_type]
    elif rel_id not in ids:
        ids.append(rel_id)


def attach(ctx: Ctx, name: str, blob: bytes, rel_type: str, rel_id: int) -> dict[str, Any]:
    """Seed helper: one-chunk upload plus relation, through the same path as the API."""
    return modify(
        ctx,
        None,
        {
            "name": name,
            "size": len(blob),
            "chunk_no": 1,
            "chunks_total": 1,
            "chunk_data": base64.b64encode(blob).decode("ascii"),
            "rel_type": rel_type,
            "rel_id": rel_id,
        },
    )


def listable(rec: dict[str, Any]) -> bool:
    return bool(rec.get("_complete"))


def matches_relation(rec: dict[str, Any], rel_type: Any, rel_id: Any) -> bool:
    try:
        wanted = int(rel_id) if rel_id not in (None, "") else None
    except (TypeError, ValueError):
        return False
    ids = rec.get("relations", {}).get(str(rel_type), [])
    return bool(ids) if wanted is None else wanted in ids


def download(ctx: Ctx, file_id: int) -> tuple[dict[str, Any], bytes]:
    rec = ctx.table("files").get(file_id)
    if rec is None or rec.get("_deleted") is not None or not rec.get("_complete"):
        raise ScoroError(404, f"files object {file_id} not found")
    return rec, ctx.store.blobs[file_id]


def pdf_bytes(title: str) -> bytes:
    """A small but well-formed one-page PDF, so attachments open in a viewer."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
