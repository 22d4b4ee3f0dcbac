"""Reading label batches and labels: who sees what, and the public shape of each.

Staff (inspectors, admins) see their body's batches and labels; an artisan sees its own
labels, and a batch of its own only once it is completed. Anything else answers 404.
"""

from __future__ import annotations

from sqlmodel import Session

from core.auth import Principal
from labeling.labels import repository
from labeling.labels.errors import LabelBatchNotFound, LabelNotFound
from labeling.labels.repository import LabelFilters
from schemas.certificates import Certificate
from schemas.labels import BatchStatus, Label, LabelBatch
from schemas.labels_api import LabelBatchPublic, LabelPage, LabelPublic
from verify.label_codec import encode_label_uri

__all__ = [
    "batch_public",
    "get_batch",
    "get_label",
    "label_public",
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
) -> LabelFilters:
    """Staff see their body's labels; an artisan sees its own, and nothing else."""
    if principal.is_artisan:
        return LabelFilters(
            artisan_id=principal.artisan_id if principal.artisan_id is not None else -1,
            batch_id=batch_id,
            certificate_id=certificate_id,
            status=status,
        )
    return LabelFilters(
        body_id=principal.body_id if principal.body_id is not None else -1,
        batch_id=batch_id,
        certificate_id=certificate_id,
        status=status,
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
