"""Reading label batches and labels: who sees what, and the public shape of each.

Staff (inspectors, admins) see their body's batches and labels; an artisan sees its own
labels, and a batch of its own only once it is completed. Anything else answers 404.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from sqlmodel import Session

from core.auth import Principal
from core.problems import UnprocessableContent
from labeling.labels import repository
from labeling.labels.errors import LabelBatchNotFound, LabelNotFound
from labeling.labels.repository import BatchFilters, LabelFilters
from schemas.certificates import Certificate
from schemas.labels import BatchStatus, Label, LabelBatch
from schemas.labels_api import LabelBatchPage, LabelBatchPublic, LabelPage, LabelPublic
from verify.label_codec import encode_label_uri

__all__ = [
    "BatchCursorInvalid",
    "batch_public",
    "get_batch",
    "get_label",
    "label_public",
    "list_batches",
    "list_labels",
    "reader_filters",
    "visible_batch",
    "visible_label",
]


def visible_batch(*, session: Session, principal: Principal, batch_id: int) -> LabelBatch:
    batch = repository.get_batch(session=session, batch_id=batch_id)
    if batch is None:
        raise LabelBatchNotFound()
    if principal.is_artisan:
        visible = batch.artisan_id == principal.artisan_id and (
            batch.status == BatchStatus.COMPLETED.value
        )
    else:
        visible = batch.body_id == principal.body_id
    if not visible:
        raise LabelBatchNotFound()
    return batch


def get_batch(*, session: Session, principal: Principal, batch_id: int) -> LabelBatchPublic:
    return batch_public(visible_batch(session=session, principal=principal, batch_id=batch_id))


class BatchCursorInvalid(UnprocessableContent):
    slug = "batch-cursor-invalid"
    title = "The cursor was not issued by this list"


def _encode_cursor(batch_id: int) -> str:
    return base64.urlsafe_b64encode(f"batch:{batch_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = raw.partition(":")
        batch_id = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BatchCursorInvalid("Pass back the next_cursor of the previous page.") from exc
    if kind != "batch" or not 0 < batch_id < 2**63:
        raise BatchCursorInvalid("Pass back the next_cursor of the previous page.")
    return batch_id


def list_batches(
    *,
    session: Session,
    principal: Principal,
    limit: int,
    cursor: str | None = None,
    statuses: Sequence[BatchStatus] = (),
    certificate_id: int | None = None,
) -> LabelBatchPage:
    """The batches the reader may see, newest first, a keyset page at a time: staff see
    their body's, an artisan its own completed ones (as :func:`visible_batch`)."""
    wanted = tuple(status.value for status in statuses)
    if principal.is_artisan:
        completed = BatchStatus.COMPLETED.value
        filters = BatchFilters(
            artisan_id=principal.artisan_id if principal.artisan_id is not None else -1,
            statuses=tuple(s for s in wanted if s == completed) if wanted else (completed,),
            certificate_id=certificate_id,
        )
        if wanted and not filters.statuses:
            return LabelBatchPage(items=[], limit=limit, next_cursor=None)
    else:
        filters = BatchFilters(
            body_id=principal.body_id if principal.body_id is not None else -1,
            statuses=wanted,
            certificate_id=certificate_id,
        )
    before = _decode_cursor(cursor) if cursor is not None else None
    rows = repository.list_batches(
        session=session, filters=filters, before_id=before, limit=limit + 1
    )
    items = [batch_public(row) for row in rows[:limit]]
    following = _encode_cursor(items[-1].id) if len(rows) > limit and items else None
    return LabelBatchPage(items=items, limit=limit, next_cursor=following)


def visible_label(*, session: Session, principal: Principal, label_id: int) -> Label:
    """The label, if the caller may see it: its body's staff, or the artisan it was issued
    to (labels exist only once their batch is completed). Else 404 ``label-not-found``."""
    label = repository.get_label(session=session, label_id=label_id)
    if label is None:
        raise LabelNotFound()
    if principal.is_artisan:
        visible = label.artisan_id == principal.artisan_id
    else:
        batch = repository.get_batch(session=session, batch_id=label.batch_id)
        visible = batch is not None and batch.body_id == principal.body_id
    if not visible:
        raise LabelNotFound()
    return label


def get_label(
    *, session: Session, principal: Principal, label_id: int, label_host: str
) -> LabelPublic:
    label = visible_label(session=session, principal=principal, label_id=label_id)
    certificate = session.get(Certificate, label.certificate_id)
    assert certificate is not None
    return label_public(label, certificate_code=certificate.code, label_host=label_host)


def reader_filters(
    principal: Principal,
    *,
    batch_id: int | None = None,
    certificate_id: int | None = None,
    status: str | None = None,
    after_id: int | None = None,
) -> LabelFilters:
    """Staff see their body's labels; an artisan sees its own, and nothing else.
    ``after_id`` keeps the labels that follow that one (keyset pages)."""
    if principal.is_artisan:
        return LabelFilters(
            artisan_id=principal.artisan_id if principal.artisan_id is not None else -1,
            batch_id=batch_id,
            certificate_id=certificate_id,
            status=status,
            after_id=after_id,
        )
    return LabelFilters(
        body_id=principal.body_id if principal.body_id is not None else -1,
        batch_id=batch_id,
        certificate_id=certificate_id,
        status=status,
        after_id=after_id,
    )


def list_labels(
    *,
    session: Session,
    filters: LabelFilters,
    limit: int,
    offset: int,
    label_host: str,
) -> LabelPage:
    rows, total = repository.list_labels(
        session=session, filters=filters, limit=limit, offset=offset
    )
    codes: dict[int, int] = {}
    items = []
    for row in rows:
        code = codes.get(row.certificate_id)
        if code is None:
            certificate = session.get(Certificate, row.certificate_id)
            assert certificate is not None
            code = codes[row.certificate_id] = certificate.code
        items.append(label_public(row, certificate_code=code, label_host=label_host))
    next_offset = offset + len(items) if offset + len(items) < total else None
    return LabelPage(items=items, total=total, limit=limit, offset=offset, next_offset=next_offset)


def label_public(label: Label, *, certificate_code: int, label_host: str) -> LabelPublic:
    assert label.id is not None
    return LabelPublic(
        id=label.id,
        batch_id=label.batch_id,
        certificate_id=label.certificate_id,
        gtin=label.gtin,
        serial=label.serial,
        issued_at=label.issued_at,
        kid=label.kid,
        status=label.status,
        status_reason=label.status_reason,
        uri=encode_label_uri(
            host=label_host,
            gtin=label.gtin,
            serial=label.serial,
            kid=label.kid,
            issued_at=label.issued_at,
            certificate_code=certificate_code,
            signature=label.signature,
        ),
    )


def batch_public(batch: LabelBatch) -> LabelBatchPublic:
    assert batch.id is not None
    return LabelBatchPublic(
        id=batch.id,
        certificate_id=batch.certificate_id,
        product_line_id=batch.product_line_id,
        artisan_id=batch.artisan_id,
        gtin=batch.gtin,
        quantity=batch.quantity,
        issued_count=batch.issued_count,
        status=batch.status,
        failure=batch.failure,
        kid=batch.kid,
        issued_at=batch.issued_at,
        first_log_index=batch.first_log_index,
        created_at=batch.created_at,
        completed_at=batch.completed_at,
    )
