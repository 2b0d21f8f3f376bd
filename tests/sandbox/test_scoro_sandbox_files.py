"""The Scoro sandbox's files module: chunked upload, relations, download."""

from __future__ import annotations

import base64

from tests.fixtures.scoro_sandbox import scoro_call as call
from tests.fixtures.scoro_sandbox import scoro_control as control


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_seeded_attachments_download_as_pdf(scoro_sandbox):
    sb = scoro_sandbox
    invoice = call(sb, "invoices/list", filter={"no": "1001"}).json()["data"][0]
    rows = call(sb, "files/list", filter={"rel_type": "invoices", "rel_id": invoice["id"]})
    files = rows.json()["data"]
    assert [f["file_name"] for f in files] == ["1001-timesheet.pdf"]
    assert files[0]["relations"] is None  # view only: null in a list
    view = call(sb, f"files/view/{files[0]['file_id']}").json()["data"]
    assert view["relations"] == {"invoices": [invoice["id"]]}
    blob = call(sb, f"files/download/{files[0]['file_id']}")
    assert blob.status_code == 200 and blob.headers["content-type"] == "application/pdf"
    assert blob.content.startswith(b"%PDF-") and blob.content.rstrip().endswith(b"%%EOF")
    assert len(blob.content) == view["file_size"]


def test_chunked_upload_and_relations(scoro_sandbox):
    sb = scoro_sandbox
    bill = call(sb, "bills/list").json()["data"][1]
    data = b"%PDF-1.4 scanned receipt " + bytes(range(256)) * 4
    parts = [data[:300], data[300:700], data[700:]]
    first = call(
        sb,
        "files/modify",
        request={
            "name": "receipt.pdf",
            "size": len(data),
            "chunk_no": 1,
            "chunks_total": 3,
            "chunk_data": _b64(parts[0]),
            "rel_type": "bills",
            "rel_id": bill["id"],
        },
    ).json()
    file_id = first["data"]["file_id"]
    assert call(sb, f"files/download/{file_id}").json()["statusCode"] == 404
    assert all(f["file_id"] != file_id for f in call(sb, "files/list").json()["data"])
    for no in (3, 2):  # chunks may arrive out of order
        response = call(
            sb,
            f"files/modify/{file_id}",
            request={"chunk_no": no, "chunks_total": 3, "chunk_data": _b64(parts[no - 1])},
        )
        assert response.json()["status"] == "OK"
    assert call(sb, f"files/download/{file_id}").content == data
    listed = call(sb, "files/list", filter={"rel_type": "bills", "rel_id": bill["id"]})
    assert file_id in [f["file_id"] for f in listed.json()["data"]]
    call(
        sb,
        f"files/modify/{file_id}",
        request={"rel_type": "bills", "rel_id": bill["id"], "relation_action": "remove"},
    )
    assert call(sb, f"files/view/{file_id}").json()["data"]["relations"] == {}
    control(sb, "behaviour", {"download_format": "base64"})
    wrapped = call(sb, f"files/download/{file_id}").json()["data"]
    assert base64.b64decode(wrapped["file_data"]) == data


def test_upload_errors(scoro_sandbox):
    sb = scoro_sandbox
    bad = call(
        sb,
        "files/modify",
        request={"name": "x.pdf", "size": 3, "chunk_no": 1, "chunks_total": 1, "chunk_data": "***"},
    ).json()
    assert bad["status"] == "ERROR"
    short = call(
        sb,
        "files/modify",
        request={
            "name": "x.pdf",
            "size": 10,
            "chunk_no": 1,
            "chunks_total": 1,
            "chunk_data": _b64(b"abc"),
        },
    )
    assert short.json()["status"] == "ERROR"
    orphan = call(
        sb,
        "files/modify",
        request={
            "name": "x.pdf",
            "size": 3,
            "chunk_no": 1,
            "chunk_data": _b64(b"abc"),
            "rel_type": "invoices",
            "rel_id": 999999,
        },
    )
    assert orphan.json()["status"] == "ERROR"
