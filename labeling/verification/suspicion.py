"""Marking a label as evidence of a copy, and telling the retailers that received it.

Every mark goes through :func:`mark_label`: a receipt by a second retailer or twice in one
shipment (:mod:`labeling.retailers.receipts`), a scan threshold crossed
(:mod:`labeling.verification.telemetry`), a clone confirmed by the certifying body (buyer
reports: reason ``confirmed_clone``). In the caller's transaction it adds the
``label_mark`` row (unique per label, reason and retailer) and, the first time the label is
marked for that reason, writes a ``label.suspicious`` webhook event to the outbox
(:func:`labeling.webhooks.outbox.labels_changed`): once per label and reason, committed or
rolled back with the mark. The SUSPICIOUS verdict reads the marks (:mod:`.evidence`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from labeling.retailers import repository as retailers
from labeling.webhooks.outbox import labels_changed
from schemas.labels import Label
from schemas.retailers import LabelMark, MarkReason
from schemas.types import utcnow
from schemas.webhooks import WebhookEventType

__all__ = ["mark_label"]


def mark_label(
    session: Session,
    *,
    label_id: int,
    reason: MarkReason | str,
    retailer_id: int | None = None,
    receipt_id: int | None = None,
    evidence: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Add the mark unless the same (label, reason, retailer) is there; whether it was added.
    Flushes, never commits: the caller's transaction holds the mark and its event."""
    code = MarkReason(reason).value
    at = at or utcnow()
    first = (
        session.exec(
            select(LabelMark.id).where(LabelMark.label_id == label_id, LabelMark.reason == code)
        ).first()
        is None
    )
    mark = LabelMark(
        label_id=label_id,
        reason=code,
        retailer_id=retailer_id,
        receipt_id=receipt_id,
        evidence=evidence,
        created_at=at,
    )
    if not retailers.add_mark(session=session, mark=mark):
        return False
    if first:
        label = session.get(Label, label_id)
        if label is not None:
            labels_changed(
                session,
                labels=[(label.id, label.gtin, label.serial, label.status)],
                event_type=WebhookEventType.LABEL_SUSPICIOUS,
                to_status=label.status,
                reason_code=code,
                at=at,
            )
    return True
