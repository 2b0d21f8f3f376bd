"""Attachable upload through python-quickbooks (multipart: file_metadata_01 + file_content_01).

python-quickbooks sends the content part without ``filename=`` and base64-encoded; QuickBooks
takes the file name from the metadata's FileName.
"""

import requests
from quickbooks.objects.attachable import Attachable
from quickbooks.objects.base import AttachableRef, Ref

CONTENT = b"Receipt 2024-001\nTotal: 12.40 EUR\n\x00\xff binary tail"


def attach_to(entity: str, entity_id: str) -> AttachableRef:
    ref = AttachableRef()
    ref.EntityRef = Ref()
    ref.EntityRef.type = entity
    ref.EntityRef.value = entity_id
    return ref


def test_upload_bytes(qb, refs):
    attachment = Attachable()
    attachment.FileName = "receipt.txt"
    attachment.ContentType = "text/plain"
    attachment._FileBytes = CONTENT
    attachment.AttachableRef.append(attach_to("Vendor", refs.vendor.Id))
    made = attachment.save(qb=qb)
    assert made.Id
    assert made.FileName == "receipt.txt"
    assert made.ContentType == "text/plain"
    assert int(made.Size) == len(CONTENT)
    assert made.AttachableRef[0].EntityRef.value == refs.vendor.Id
    downloaded = requests.get(made.TempDownloadUri, timeout=30)
    assert downloaded.content == CONTENT


def test_upload_file_path(qb, refs, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n% a tiny pdf\n")
    attachment = Attachable()
    attachment.FileName = "scan.pdf"
    attachment.ContentType = "application/pdf"
    attachment._FilePath = str(path)
    attachment.AttachableRef.append(attach_to("Customer", refs.customer.Id))
    made = attachment.save(qb=qb)
    assert made.FileName == "scan.pdf"
    assert int(made.Size) == path.stat().st_size
    assert Attachable.get(made.Id, qb=qb).FileName == "scan.pdf"
