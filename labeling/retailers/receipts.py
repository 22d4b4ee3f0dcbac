"""Recording receipts: a shipment's labels in, one answer per item out.

For each item, in one transaction (all or nothing):

1. The label is verified as a scan would be (:func:`labeling.verification.service.verify_uris`).
   A text that is not a genuine label of this registry (INVALID, UNKNOWN) is *refused* with
   the verifier's reason codes; the other items are still recorded. A suspended or revoked
   label is recorded, with its verdict: the goods did arrive.
2. A retailer records a label once: a repeat (a retried request, a later shipment) answers
   the first receipt, unchanged.
3. A label's first receipt by anyone *binds* it to that retailer and country.
4. A receipt by a second retailer marks the label ``received_by_two_retailers``; the same
   label twice in one shipment (more items than labels) marks it
   ``received_twice_in_one_shipment``. Marks carry no personal data.

On PostgreSQL the labels' rows are locked (``FOR UPDATE``) from the lookup to the commit, so
two retailers receiving one label at once are recorded one after the other; on SQLite the
request's write transaction holds the writer lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from core.settings import Settings
from labeling.retailers import repository
from labeling.verification.service import verify_uris
from labeling.verification.suspicion import mark_label
from schemas.retailers import (
    MarkReason,
    Receipt,
    ReceiptChannel,
    ReceiptItemOutcome,
    ReceiptItemResult,
    ReceiptPage,
    ReceiptPublic,
    ReceiptsRecorded,
    Retailer,
)
from schemas.types import utcnow
from verify.verdict import Overall, Verdict

__all__ = ["ReceivedItem", "list_receipts", "record_receipts"]

#: Verdicts of texts that are not (known) labels of this registry: refused.
_REFUSED = frozenset({Overall.INVALID, Overall.UNKNOWN})
#: The longest label text echoed back in an answer.
_ECHO = 512


@dataclass(frozen=True, slots=True)
class ReceivedItem:
    """One item of a shipment, from either channel (JSON or EPCIS)."""

    uri: str
    shipment_ref: str
    country: str
    received_at: datetime
    epcis_event_id: str | None = None


def _public(receipt: Receipt, gtin: str, serial: str) -> ReceiptPublic:
    assert receipt.id is not None
    return ReceiptPublic(
        id=receipt.id,
        gtin=gtin,
        serial=serial,
        shipment_ref=receipt.shipment_ref,
        country=receipt.country,
        channel=ReceiptChannel(receipt.channel),
        epcis_event_id=receipt.epcis_event_id,
        binds=receipt.binds,
        verdict=receipt.verdict,
        marks=[code for code in receipt.marks.split(",") if code],
        received_at=receipt.received_at,
        recorded_at=receipt.recorded_at,
    )


def record_receipts(
    *,
    session: Session,
    settings: Settings,
    retailer: Retailer,
    items: Sequence[ReceivedItem],
    channel: ReceiptChannel,
) -> ReceiptsRecorded:
    """Record a shipment's items for ``retailer`` and commit; see the module doc."""
    assert retailer.id is not None
    verdicts = verify_uris([item.uri for item in items], settings=settings)
    keys, reasons = _genuine_label_keys(verdicts)
    label_ids = repository.labels_by_key(session=session, keys=[k for k in keys if k])
    # How often each label comes in each shipment of this request: more items than labels.
    per_shipment = Counter(
        (item.shipment_ref, key) for item, key in zip(items, keys, strict=True) if key
    )
    receipts_by_label = _receipts_by_label(session, list(label_ids.values()))

    results: list[ReceiptItemResult] = []
    for index, (item, key, verdict) in enumerate(zip(items, keys, verdicts, strict=True)):
        label_id = label_ids.get(key) if key else None
        if key is None or label_id is None:
            results.append(_refused_item(index, item, reasons[index] or ["label_unknown"]))
            continue
        receipt = _receive_label(
            session,
            retailer_id=retailer.id,
            channel=channel,
            item=item,
            label_id=label_id,
            verdict=verdict.verdict,
            known=receipts_by_label.setdefault(label_id, []),
            twice=per_shipment[(item.shipment_ref, key)] > 1,
        )
        results.append(_recorded_item(index, item, receipt, key))
    session.commit()
    recorded = sum(1 for r in results if r.outcome is ReceiptItemOutcome.RECORDED)
    return ReceiptsRecorded(recorded=recorded, refused=len(results) - recorded, items=results)


def _genuine_label_keys(
    verdicts: Sequence[Verdict],
) -> tuple[list[tuple[str, str] | None], list[list[str]]]:
    """Per item, the (GTIN, serial) of a genuine label, or None and the reasons to refuse."""
    keys: list[tuple[str, str] | None] = []
    reasons: list[list[str]] = []
    for verdict in verdicts:
        if verdict.verdict in _REFUSED or verdict.label is None:
            keys.append(None)
            reasons.append(list(verdict.reasons) or ["label_invalid"])
        else:
            keys.append((verdict.label.gtin, verdict.label.serial))
            reasons.append([])
    return keys, reasons


def _receipts_by_label(session: Session, label_ids: list[int]) -> dict[int, list[Receipt]]:
    """Every retailer's receipts of these labels so far, oldest first, by label."""
    existing = repository.receipts_of_labels(session=session, label_ids=label_ids)
    receipts_by_label: dict[int, list[Receipt]] = {}
    for receipt in existing:
        receipts_by_label.setdefault(receipt.label_id, []).append(receipt)
    return receipts_by_label


def _receive_label(
    session: Session,
    *,
    retailer_id: int,
    channel: ReceiptChannel,
    item: ReceivedItem,
    label_id: int,
    verdict: Overall,
    known: list[Receipt],
    twice: bool,
) -> Receipt:
    """The retailer's receipt of the label: its first one (recorded now, binding the label
    if nobody received it before) or the earlier one, marked if a repeat shows the label
    twice in one shipment. ``known`` (every receipt of the label) gains a new receipt."""
    mine = next((r for r in known if r.retailer_id == retailer_id), None)
    if mine is None:
        mine = _first_receipt(
            session,
            retailer_id=retailer_id,
            channel=channel,
            item=item,
            label_id=label_id,
            verdict=verdict,
            known=known,
            twice=twice,
        )
    elif twice and mine.shipment_ref == item.shipment_ref:
        _mark_repeat_twice_in_shipment(session, label_id, retailer_id, mine)
    return mine


def _first_receipt(
    session: Session,
    *,
    retailer_id: int,
    channel: ReceiptChannel,
    item: ReceivedItem,
    label_id: int,
    verdict: Overall,
    known: list[Receipt],
    twice: bool,
) -> Receipt:
    """Record the retailer's first receipt of the label, with the marks it raises."""
    others = [r for r in known if r.retailer_id != retailer_id]
    raised = []
    if others:
        raised.append(MarkReason.RECEIVED_BY_TWO_RETAILERS)
    if twice:
        raised.append(MarkReason.RECEIVED_TWICE_IN_ONE_SHIPMENT)
    mine = Receipt(
        retailer_id=retailer_id,
        label_id=label_id,
        shipment_ref=item.shipment_ref,
        country=item.country,
        channel=channel.value,
        epcis_event_id=item.epcis_event_id,
        binds=not known,
        verdict=verdict.value,
        marks=",".join(reason.value for reason in raised),
        received_at=item.received_at.astimezone(UTC),
        recorded_at=utcnow(),
    )
    session.add(mine)
    session.flush()
    known.append(mine)
    for reason in raised:
        _mark(session, label_id, reason, retailer_id, mine.id)
    return mine


def _mark_repeat_twice_in_shipment(
    session: Session, label_id: int, retailer_id: int, mine: Receipt
) -> None:
    """A repeat of a shipment that holds the label twice: marked once, whichever request
    first showed it."""
    if _mark(session, label_id, MarkReason.RECEIVED_TWICE_IN_ONE_SHIPMENT, retailer_id, mine.id):
        codes = [c for c in mine.marks.split(",") if c]
        codes.append(MarkReason.RECEIVED_TWICE_IN_ONE_SHIPMENT.value)
        mine.marks = ",".join(codes)
        session.add(mine)
        session.flush()


def _refused_item(index: int, item: ReceivedItem, reasons: list[str]) -> ReceiptItemResult:
    return ReceiptItemResult(
        index=index,
        label=item.uri[:_ECHO],
        outcome=ReceiptItemOutcome.REFUSED,
        reasons=reasons,
        receipt=None,
    )


def _recorded_item(
    index: int, item: ReceivedItem, receipt: Receipt, key: tuple[str, str]
) -> ReceiptItemResult:
    return ReceiptItemResult(
        index=index,
        label=item.uri[:_ECHO],
        outcome=ReceiptItemOutcome.RECORDED,
        reasons=[],
        receipt=_public(receipt, key[0], key[1]),
    )


def _mark(
    session: Session, label_id: int, reason: MarkReason, retailer_id: int, receipt_id: int | None
) -> bool:
    """The mark, and the first time for this label and reason a ``label.suspicious``
    event to the retailers that received it, in this transaction."""
    return mark_label(
        session, label_id=label_id, reason=reason, retailer_id=retailer_id, receipt_id=receipt_id
    )


def list_receipts(*, session: Session, retailer: Retailer, after: int, limit: int) -> ReceiptPage:
    """A page of the retailer's own receipts, oldest first (keyset: ``after`` an id)."""
    assert retailer.id is not None
    rows = repository.list_receipts(
        session=session, retailer_id=retailer.id, after=after, limit=limit + 1
    )
    page = rows[:limit]
    items = [_public(receipt, gtin, serial) for receipt, gtin, serial in page]
    return ReceiptPage(items=items, next_after=items[-1].id if len(rows) > limit else None)
