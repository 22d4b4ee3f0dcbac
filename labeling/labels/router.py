"""Label batches and labels.

* ``POST /api/v1/label-batches`` — an inspector (authorised for the scheme) or an admin of
  the certifying body issues 1 … 100,000 labels; ``Idempotency-Key`` makes retries safe.
  Batches over ``KHATEM_LABEL_JOB_THRESHOLD`` labels answer 202 and run as a job.
* ``GET /api/v1/label-batches/{id}`` — a batch (its body's staff, or its artisan); poll it
  for a job's ``status`` and ``issued_count``.
* ``GET /api/v1/labels`` — labels the caller may see (``batch``, ``certificate``,
  ``status`` filters); ``GET /api/v1/artisans/me/labels`` — an artisan's own labels.
* ``GET /api/v1/labels/{id}`` — one label; ``GET /api/v1/labels/{id}/artwork.svg`` and
  ``artwork.png`` — its print artwork; ``GET /api/v1/label-batches/{id}/sheet.pdf`` — a
  completed batch's A4 PDF sheet, in parts of at most 10,000 labels (``offset``/``limit``).
  Same readers as the batch and label reads; files carry an ``ETag`` (304 on
  ``If-None-Match``) and are cached privately (docs/printing.md); in :mod:`artwork_router`.
* ``POST /api/v1/labels/{id}/{suspend|reinstate|revoke}`` — one label;
  ``POST /api/v1/labels/bulk/{suspend|reinstate|revoke}`` — a batch or a certificate.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.paging import PAGE_DESCRIPTION, PageDep
from core.problems import problem_responses
from labeling.labels import artwork_router, lifecycle, reading, service
from labeling.labels.issuing_key import LabelSignerDep
from labeling.labels.jobs import issuing_jobs
from labeling.labels.lifecycle import LabelCommand
from schemas.audits_api import MAX_ROW_ID
from schemas.labels import BatchStatus, LabelStatus
from schemas.labels_api import (
    LabelBatchCreate,
    LabelBatchPage,
    LabelBatchPublic,
    LabelBulkStatusChange,
    LabelPage,
    LabelPublic,
    LabelStatusChange,
    LabelStatusChangeResult,
)
from schemas.types import Role

#: A page of label batches (the workspace lists them 20 at a time): its own, smaller bound,
#: like the artisan search's.
MAX_BATCH_PAGE = 100

# The lifespan resumes background batches a stopped process left unfinished.
router = APIRouter(tags=["labels"], lifespan=issuing_jobs)

Issuer = Annotated[Principal, Depends(allow(Role.INSPECTOR, Role.ADMIN))]
Staff = Annotated[Principal, Depends(allow(Role.INSPECTOR, Role.ADMIN))]
Reader = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
ArtisanReader = Annotated[Principal, Depends(allow(Role.ARTISAN))]
BatchId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Label batch id")]
LabelId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Label id")]
RowFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]

_ISSUE_ERRORS = problem_responses(
    403,
    404,
    409,
    422,
    503,
    descriptions={
        403: "Wrong role, or `not-authorised-for-scheme` (inspectors)",
        404: "`certificate-not-found`: no such certificate in the caller's body",
        409: "`certificate-suspended`, `certificate-withdrawn`, `certificate-expired`, "
        "`certificate-not-yet-valid`",
        422: "Schema violation, `product-line-out-of-scope`, `batch-too-large` (over 100,000), "
        "`idempotency-key-reused` (same key, different request), `idempotency-key-invalid`",
        503: "`signer-unavailable`: nothing was issued; retry with the same Idempotency-Key",
    },
)
_CHANGE_ERRORS = problem_responses(
    404,
    409,
    descriptions={
        404: "`label-not-found`, `label-batch-not-found` or `certificate-not-found`",
        409: "`invalid-label-transition` (e.g. reinstating a revoked label)",
    },
)


@router.post(
    "/api/v1/label-batches",
    response_model=LabelBatchPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "A retry: the batch this Idempotency-Key already made"},
        202: {
            "description": "A large batch (over `KHATEM_LABEL_JOB_THRESHOLD` labels, 1,000 by "
            "default) accepted as a job: poll the `Location` until `status` is `completed` "
            "or `failed`; `issued_count` shows the progress",
            "headers": {"Location": {"description": "The batch", "schema": {"type": "string"}}},
        },
        **_ISSUE_ERRORS,
    },
    summary="Issue a batch of signed labels under a certificate",
)
def issue_label_batch(
    body: LabelBatchCreate,
    principal: Issuer,
    session: SessionDep,
    settings: SettingsDep,
    signer: LabelSignerDep,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=100,
            description="Makes retries safe: the same key with the same request returns the "
            "batch made the first time (200) instead of issuing a second one.",
        ),
    ] = None,
) -> LabelBatchPublic:
    outcome = service.create_batch(
        session=session,
        principal=principal,
        signer=signer,
        request=body,
        idempotency_key=idempotency_key,
        settings=settings,
    )
    if outcome.queued:
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/v1/label-batches/{outcome.batch.id}"
    elif outcome.replayed:
        response.status_code = status.HTTP_200_OK
    return outcome.batch


@router.get(
    "/api/v1/label-batches",
    response_model=LabelBatchPage,
    responses=problem_responses(422, descriptions={422: "Bad filter, or `batch-cursor-invalid`"}),
    summary="Label batches visible to the caller, newest first (keyset pages)",
    description="Staff see their body's batches; an artisan its own completed ones. "
    "`status` may be repeated (e.g. `status=queued&status=running`: the batches still "
    f"being issued). Pages: `limit` (1 … {MAX_BATCH_PAGE}, default 20), then the answer's "
    "`next_cursor` "
    "as `cursor`.",
)
def list_label_batches(
    principal: Reader,
    session: SessionDep,
    limit: Annotated[
        int, Query(ge=1, le=MAX_BATCH_PAGE, description=f"Page size (1 … {MAX_BATCH_PAGE}).")
    ] = 20,
    status_filter: Annotated[
        list[BatchStatus] | None, Query(alias="status", max_length=len(BatchStatus))
    ] = None,
    certificate: RowFilter = None,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=64,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="The `next_cursor` of the previous page.",
        ),
    ] = None,
) -> LabelBatchPage:
    return reading.list_batches(
        session=session,
        principal=principal,
        limit=limit,
        cursor=cursor,
        statuses=status_filter or (),
        certificate_id=certificate,
    )


@router.get(
    "/api/v1/label-batches/{batch_id}",
    response_model=LabelBatchPublic,
    responses=problem_responses(404, descriptions={404: "`label-batch-not-found`"}),
    summary="One label batch (poll `status` and `issued_count`)",
)
def get_label_batch(batch_id: BatchId, principal: Reader, session: SessionDep) -> LabelBatchPublic:
    return reading.get_batch(session=session, principal=principal, batch_id=batch_id)


@router.get(
    "/api/v1/labels",
    response_model=LabelPage,
    responses=problem_responses(422, descriptions={422: "Bad filter, or `page-size-too-large`"}),
    summary="Labels visible to the caller (its body's, or an artisan's own)",
    description=PAGE_DESCRIPTION,
)
def list_labels(
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    batch: RowFilter = None,
    certificate: RowFilter = None,
    status_filter: Annotated[LabelStatus | None, Query(alias="status")] = None,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**63 - 1,
            description="Only labels whose id is greater: pass the last id of the previous "
            "page for a keyset page (`offset` 0; `total` then counts what remains).",
        ),
    ] = None,
) -> LabelPage:
    filters = reading.reader_filters(
        principal,
        batch_id=batch,
        certificate_id=certificate,
        status=status_filter.value if status_filter else None,
        after_id=after,
    )
    return reading.list_labels(
        session=session,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
        label_host=settings.label_host,
    )


@router.get(
    "/api/v1/artisans/me/labels",
    response_model=LabelPage,
    responses=problem_responses(422, descriptions={422: "Bad filter, or `page-size-too-large`"}),
    summary="The calling artisan's own labels, to download and print",
    description=PAGE_DESCRIPTION,
)
def my_labels(
    principal: ArtisanReader,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    batch: RowFilter = None,
    certificate: RowFilter = None,
) -> LabelPage:
    filters = reading.reader_filters(principal, batch_id=batch, certificate_id=certificate)
    return reading.list_labels(
        session=session,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
        label_host=settings.label_host,
    )


@router.get(
    "/api/v1/labels/{label_id}",
    response_model=LabelPublic,
    responses=problem_responses(404, descriptions={404: "`label-not-found`"}),
    summary="One label (its body's staff, or the artisan it was issued to)",
)
def get_label(
    label_id: LabelId, principal: Reader, session: SessionDep, settings: SettingsDep
) -> LabelPublic:
    return reading.get_label(
        session=session, principal=principal, label_id=label_id, label_host=settings.label_host
    )


@router.post(
    "/api/v1/labels/bulk/{command}",
    response_model=LabelStatusChangeResult,
    responses=_CHANGE_ERRORS,
    summary="Suspend, reinstate or revoke every applicable label of a batch or certificate",
)
def change_labels(
    command: LabelCommand,
    body: LabelBulkStatusChange,
    principal: Staff,
    session: SessionDep,
) -> LabelStatusChangeResult:
    return lifecycle.change_labels(
        session=session,
        principal=principal,
        command=command,
        reason=body.reason_code,
        batch_id=body.batch_id,
        certificate_id=body.certificate_id,
    )


@router.post(
    "/api/v1/labels/{label_id}/{command}",
    response_model=LabelStatusChangeResult,
    responses=_CHANGE_ERRORS,
    summary="Suspend, reinstate or revoke one label",
)
def change_label(
    label_id: LabelId,
    command: LabelCommand,
    body: LabelStatusChange,
    principal: Staff,
    session: SessionDep,
) -> LabelStatusChangeResult:
    return lifecycle.change_label(
        session=session,
        principal=principal,
        label_id=label_id,
        command=command,
        reason=body.reason_code,
    )


# The artwork downloads (SVG, PNG, PDF sheet) are this router's too.
router.include_router(artwork_router.router)
