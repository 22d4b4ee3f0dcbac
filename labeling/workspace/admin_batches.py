"""The body administrator's label batch pages: issue a batch under a certificate (now, or
as a background job whose progress the batch page shows), the list of batches, a batch with
its labels (keyset pages), its A4 print sheet and each label's artwork.

They call ``labeling.labels`` with the administrator's principal, as the API does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Final, Literal

from fastapi import Form, Query, Response
from pydantic import ValidationError
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.problems import Problem
from core.settings import Settings
from labeling.certificates import service as certificates
from labeling.labels import artwork_service, reading
from labeling.labels import service as labels
from labeling.labels.issuing_key import LabelSignerDep
from labeling.registry import artisans
from labeling.workspace.admin_common import LIST_SIZE, Cursor, LabelId, RowId, admin_page
from labeling.workspace.admin_words import WORDS
from labeling.workspace.routing import (
    CSRF,
    AdminViewer,
    FormErrors,
    Viewer,
    form_errors,
    see_other,
    workspace_router,
)
from schemas.labels import BatchStatus
from schemas.labels_api import LabelBatchCreate, LabelBatchPublic

__all__ = ["router"]

router = workspace_router()

_LABELS_PAGE: Final = 50
_REFRESH_SECONDS: Final = 3
_SHEET_PART: Final = artwork_service.MAX_LABELS_PER_SHEET


def _batch_form(
    viewer: Viewer,
    session: Session,
    settings: Settings,
    certificate_id: int,
    *,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    principal = viewer.principal
    certificate = certificates.get_certificate(
        session=session, principal=principal, certificate_id=certificate_id
    )
    lines, _ = artisans.list_product_lines(
        session=session, actor=principal, artisan_id=certificate.artisan_id, limit=100, offset=0
    )
    in_scope = [
        (str(line.id), line.name) for line in lines if line.id in certificate.product_line_ids
    ]
    chosen = dict(values or {})
    chosen.setdefault("product_line_id", in_scope[0][0] if len(in_scope) == 1 else "")
    chosen.setdefault("key", str(uuid.uuid4()))
    return admin_page(
        viewer,
        "admin/batch_new.html",
        status_code=status_code,
        certificate=certificate,
        lines=in_scope,
        values=chosen,
        errors=errors or FormErrors(),
        threshold=settings.label_job_threshold,
    )


@router.get("/workspace/certificates/{certificate_id}/batches/new")
def new_batch(
    viewer: AdminViewer, session: SessionDep, settings: SettingsDep, certificate_id: RowId
) -> Response:
    """The form that issues a batch of labels under a certificate (a fresh idempotency
    key: sending it twice issues one batch)."""
    return _batch_form(viewer, session, settings, certificate_id)


@router.post("/workspace/certificates/{certificate_id}/batches/new", dependencies=CSRF)
def issue_batch(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    signer: LabelSignerDep,
    certificate_id: RowId,
    product_line_id: Annotated[str | None, Form(max_length=20)] = None,
    quantity: Annotated[str | None, Form(max_length=20)] = None,
    idempotency_key: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    """Issue the batch: now up to the job threshold, else as the background job whose
    progress the batch page shows."""
    cleaned = (quantity or "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    values = {
        "product_line_id": product_line_id or "",
        "quantity": (quantity or "").strip(),
        "key": (idempotency_key or "").strip(),
    }
    try:
        request = LabelBatchCreate.model_validate(
            {
                "certificate_id": certificate_id,
                "product_line_id": values["product_line_id"],
                "quantity": cleaned,
            }
        )
        outcome = labels.create_batch(
            session=session,
            principal=viewer.principal,
            signer=signer,
            request=request,
            idempotency_key=values["key"] or None,
            settings=settings,
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _batch_form(
            viewer, session, settings, certificate_id, values=values, errors=errors, status_code=422
        )
    except Problem as problem:
        session.rollback()
        if problem.instance_slug == "certificate-not-found":
            raise
        field = {
            "product-line-out-of-scope": "product_line_id",
            "batch-too-large": "quantity",
        }.get(problem.instance_slug)
        errors = form_errors(viewer.lang, problem=problem, problem_field=field)
        return _batch_form(
            viewer,
            session,
            settings,
            certificate_id,
            values=values,
            errors=errors,
            status_code=problem.status,
        )
    done = "queued" if outcome.queued else "issued"
    return see_other(f"/workspace/batches/{outcome.batch.id}?done={done}")


_BATCH_STATUSES: Final = [s.value for s in BatchStatus]


@router.get("/workspace/batches")
def batch_list(
    viewer: AdminViewer,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    cursor: Cursor = None,
) -> Response:
    """My body's label batches, newest first, by status; keyset pages."""
    chosen = status if status in _BATCH_STATUSES else ""
    found = reading.list_batches(
        session=session,
        principal=viewer.principal,
        limit=LIST_SIZE,
        cursor=cursor,
        statuses=(BatchStatus(chosen),) if chosen else (),
    )
    return admin_page(
        viewer,
        "admin/batches.html",
        found=found,
        chosen=chosen,
        first_page=cursor is not None,
        statuses=[(s, WORDS[f"batch_status_{s}"](viewer.lang)) for s in _BATCH_STATUSES],
    )


@dataclass(frozen=True, slots=True)
class _SheetPart:
    offset: int
    first: int
    last: int


def _sheet_parts(batch: LabelBatchPublic) -> list[_SheetPart]:
    if batch.status is not BatchStatus.COMPLETED:
        return []
    return [
        _SheetPart(offset, offset + 1, min(offset + _SHEET_PART, batch.quantity))
        for offset in range(0, batch.quantity, _SHEET_PART)
    ]


def _refreshing(batch: LabelBatchPublic) -> bool:
    return batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)


@router.get("/workspace/batches/{batch_id}")
def batch_page(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    batch_id: RowId,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
    count: Annotated[int | None, Query(ge=0, le=10**6)] = None,
) -> Response:
    """A batch: its progress while it runs (the page refreshes itself, no script needed),
    then its sheet, its labels (keyset pages) with their artwork, and revocation."""
    principal = viewer.principal
    batch = reading.get_batch(session=session, principal=principal, batch_id=batch_id)
    certificate = certificates.get_certificate(
        session=session, principal=principal, certificate_id=batch.certificate_id
    )
    found = reading.list_labels(
        session=session,
        filters=reading.reader_filters(principal, batch_id=batch_id, after_id=after),
        limit=_LABELS_PAGE,
        offset=0,
        label_host=settings.label_host,
    )
    following = found.items[-1].id if found.next_offset is not None and found.items else None
    response = admin_page(
        viewer,
        "admin/batch.html",
        batch=batch,
        certificate=certificate,
        labels=found.items,
        next_after=following,
        first_page=after is not None,
        parts=_sheet_parts(batch),
        refreshing=_refreshing(batch),
        refresh_seconds=_REFRESH_SECONDS,
        percent=(100 * batch.issued_count // batch.quantity) if batch.quantity else 0,
        done=done,
        count=count,
    )
    if _refreshing(batch):
        # The browser reloads the page by itself (no script): the HTTP form of
        # <meta http-equiv="refresh">.
        response.headers["Refresh"] = str(_REFRESH_SECONDS)
    return response


def _download(download: artwork_service.Download) -> Response:
    return Response(
        download.render(),
        media_type=download.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
        },
    )


@router.get("/workspace/batches/{batch_id}/sheet.pdf")
def batch_sheet(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    batch_id: RowId,
    offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
) -> Response:
    """The batch's A4 print sheet (one part of at most 10,000 labels), as the API's."""
    sheet = artwork_service.batch_sheet(
        session=session,
        principal=viewer.principal,
        batch_id=batch_id,
        label_host=settings.label_host,
        offset=offset,
    )
    return _download(sheet)


@router.get("/workspace/labels/{label_id}/artwork.{file_format}")
def label_artwork(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    label_id: LabelId,
    file_format: Literal["svg", "png"],
) -> Response:
    """One label's artwork, SVG or PNG, as the API's."""
    download = artwork_service.label_file(
        session=session,
        principal=viewer.principal,
        label_id=label_id,
        label_host=settings.label_host,
        file_format=file_format,
    )
    return _download(download)
