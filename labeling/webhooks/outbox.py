"""The outbox: webhook events written in the transaction of the change they report.

The label lifecycle (:mod:`labeling.labels.lifecycle`) and the certificate lifecycle
(:mod:`labeling.certificates.service`) each call one function here before they commit, so
an event exists if and only if its change was committed: a rollback leaves none, and a
crash after the commit loses none (the delivery worker finds it in the table).

Who hears of what: a retailer with an active subscription that received (``receipt``)
the label, or a label under the certificate. One event per retailer and label (label
changes) or per retailer and certificate (certificate changes, with the labels it received
under it); one delivery per matching subscription.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from labeling.webhooks.signing import new_message_id
from schemas.labels import Label
from schemas.retailers import Receipt
from schemas.webhooks import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventType,
    WebhookSubscription,
)

__all__ = ["MAX_LABELS_PER_EVENT", "certificate_changed", "labels_changed"]

#: A certificate event lists at most this many of the labels a retailer received under it.
MAX_LABELS_PER_EVENT = 1_000
_CHUNK = 500


def _subscriptions(session: Session) -> dict[int, list[WebhookSubscription]]:
    rows = session.exec(
        select(WebhookSubscription).where(
            col(WebhookSubscription.is_active).is_(True),
            col(WebhookSubscription.deleted_at).is_(None),
        )
    ).all()
    found: dict[int, list[WebhookSubscription]] = {}
    for row in rows:
        found.setdefault(row.retailer_id, []).append(row)
    return found


def _wants(subscription: WebhookSubscription, event_type: str) -> bool:
    wanted = [t for t in subscription.event_types.split(",") if t]
    return not wanted or event_type in wanted


def _body(message_id: str, event_type: str, at: datetime, data: dict[str, Any]) -> str:
    envelope = {"type": event_type, "timestamp": _iso(at), "id": message_id, "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _write(
    session: Session,
    subscriptions: list[WebhookSubscription],
    retailer_id: int,
    event_type: str,
    at: datetime,
    data: dict[str, Any],
) -> None:
    targets = [s for s in subscriptions if _wants(s, event_type)]
    if not targets:
        return
    message_id = new_message_id()
    event = WebhookEvent(
        message_id=message_id,
        retailer_id=retailer_id,
        type=event_type,
        payload=_body(message_id, event_type, at, data),
        created_at=at,
    )
    session.add(event)
    session.flush()
    session.execute(
        insert(WebhookDelivery),
        [
            {
                "event_id": event.id,
                "subscription_id": s.id,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": at,
                "series_started_at": at,
                "created_at": at,
            }
            for s in targets
        ],
    )


def labels_changed(
    session: Session,
    *,
    labels: Sequence[tuple[int | None, str, str, str]],
    event_type: WebhookEventType,
    to_status: str,
    reason_code: str,
    at: datetime,
) -> None:
    """Label changes: ``labels`` are ``(id, gtin, serial, previous status)``."""
    subscriptions = _subscriptions(session)
    if not subscriptions or not labels:
        return
    by_id = {
        label_id: (gtin, serial, before)
        for label_id, gtin, serial, before in labels
        if label_id is not None
    }
    ids = sorted(by_id)
    retailers = sorted(subscriptions)
    for start in range(0, len(ids), _CHUNK):
        receipts = session.exec(
            select(Receipt)
            .where(
                col(Receipt.label_id).in_(ids[start : start + _CHUNK]),
                col(Receipt.retailer_id).in_(retailers),
            )
            .order_by(col(Receipt.id))
        ).all()
        for receipt in receipts:
            gtin, serial, before = by_id[receipt.label_id]
            data = {
                "label": {"gtin": gtin, "serial": serial},
                "status": to_status,
                "previous_status": before,
                "reason_code": reason_code,
                "changed_at": _iso(at),
                "receipt": {"id": receipt.id, "shipment_ref": receipt.shipment_ref},
            }
            _write(
                session,
                subscriptions[receipt.retailer_id],
                receipt.retailer_id,
                event_type.value,
                at,
                data,
            )


def certificate_changed(
    session: Session,
    *,
    certificate_id: int,
    certificate_code: str,
    event_type: WebhookEventType,
    from_status: str,
    to_status: str,
    reason_code: str,
    at: datetime,
) -> None:
    """A certificate's change, told to every subscribed retailer that received a label
    under it (its labels' own statuses do not change: verification combines the two)."""
    subscriptions = _subscriptions(session)
    if not subscriptions:
        return
    rows = session.exec(
        select(Receipt.retailer_id, Label.gtin, Label.serial)
        .join(Label, col(Label.id) == col(Receipt.label_id))
        .where(
            Label.certificate_id == certificate_id,
            col(Receipt.retailer_id).in_(sorted(subscriptions)),
        )
        .order_by(col(Receipt.retailer_id), col(Receipt.id))
    ).all()
    received: dict[int, list[dict[str, str]]] = {}
    for retailer_id, gtin, serial in rows:
        received.setdefault(retailer_id, []).append({"gtin": gtin, "serial": serial})
    for retailer_id, labels in received.items():
        data = {
            "certificate": {"code": certificate_code},
            "status": to_status,
            "previous_status": from_status,
            "reason_code": reason_code,
            "changed_at": _iso(at),
            "received_labels": labels[:MAX_LABELS_PER_EVENT],
            "received_labels_total": len(labels),
        }
        _write(session, subscriptions[retailer_id], retailer_id, event_type.value, at, data)
