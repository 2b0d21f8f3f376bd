"""Scoro files sent to QuickBooks attached to their documents, each exactly once."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain import Attachment, Category, Kind, Record, Ref, Side
from ..domain.errors import RecordRejected
from .engine_base import EngineCore, record_label
from .identity import make_requestid


class AttachmentsSync(EngineCore):
    def attachments_automatic(self) -> bool:
        row = self.cats.get(Category.ATTACHMENTS)
        return bool(row and row.enabled) and self.settings.attachments_mode == "automatic"

    def send_attachments(self, source: Side, records: Sequence[Record]) -> None:
        """Scoro files go to QuickBooks attached to their document, each exactly once. A file
        whose document is not in QuickBooks yet goes when the document does."""
        if source is not Side.SCORO:
            return
        sgw, qgw = self.gw[Side.SCORO], self.gw[Side.QBO]
        for att in records:
            self.check_cancel()
            # Only attachments come here (process sends them by kind); the check types them.
            if not isinstance(att, Attachment) or att.deleted or att.document is None:
                continue
            label = record_label(Kind.ATTACHMENT, att)
            if self.links.other_id(Kind.ATTACHMENT, Side.SCORO, att.id) is not None:
                self.counts.unchanged += 1
                continue
            doc = att.document
            qbo_doc = self.links.other_id(doc.kind, Side.SCORO, doc.id)
            if qbo_doc is None:
                self.note(
                    f"{label} will be sent with its {doc.kind.label.lower()}, which is "
                    "not in QuickBooks yet."
                )
                continue
            if self.dry_run:
                self._plan(self._category, Kind.ATTACHMENT, "create", label)
                self.counts.created += 1
                continue
            requestid = make_requestid(
                self.conn.id, Kind.ATTACHMENT, att.id, att.sha256 or att.fingerprint()
            )
            try:
                data = sgw.download_attachment(att)
                uploaded = qgw.upload_attachment(
                    att.replace(document=Ref(doc.kind, Side.QBO, qbo_doc)), data, requestid
                )
            except RecordRejected as exc:
                self.hold(
                    Kind.ATTACHMENT,
                    source,
                    att,
                    "write_failed",
                    f"QuickBooks refused {label}: {exc}",
                    {},
                )
                continue
            self.save_link(Kind.ATTACHMENT, source, att, uploaded)
            self.counts.created += 1
            self.note(f"{label} → QuickBooks attached to {doc.kind.label.lower()}")

    def attachments_of(self, kind: Kind, scoro_id: str) -> None:
        finder = getattr(self.gw[Side.SCORO], "attachments_for", None)
        if finder is not None:
            self.send_attachments(Side.SCORO, finder(kind, scoro_id))
