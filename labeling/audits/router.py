"""Evidence uploads and audits: inspectors record, bodies and artisans read.

* ``POST /api/v1/evidence`` — an inspector or admin uploads one file (PDF, PNG, JPEG, WebP;
  ``max_evidence_bytes``) as ``multipart/form-data``; 201 whether or not the same bytes were
  already stored, by this body or another. The body is read only once the caller is admitted,
  and streamed to disk (see :mod:`labeling.audits.evidence`).
* ``GET /api/v1/evidence/{sha256}`` — the file, as an attachment, to every body that has
  uploaded it (first or not) and, once it is cited by an audit, to that audit's body and the
  audited artisan. An audit cites only files its body has uploaded.
* ``POST /api/v1/audits`` — an inspector records an audit; the outcome is computed. An
  ``Idempotency-Key`` makes it exactly once: a retry with the same key and content answers
  200 with the audit recorded the first time (see :mod:`labeling.audits.service`).
* ``POST /api/v1/audits/{id}/corrections`` — a new audit correcting a submitted one.
  Submitted audits are immutable: there is no PUT, PATCH or DELETE.
* ``GET /api/v1/audits`` and ``GET /api/v1/audits/{id}`` — the reader's own audits.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.paging import PageDep
from core.problems import problem_responses
from core.rate_limit import rate_limit
from core.request_guard import multipart_upload
from labeling.audits import evidence, service
from labeling.audits.evidence_store import EvidenceStore
from labeling.audits.repository import AuditFilters
from schemas.audits_api import (
    MAX_ROW_ID,
    AuditCorrection,
    AuditCreate,
    AuditOutcome,
    AuditPage,
    AuditPublic,
    EvidencePublic,
    IsoDate,
)
from schemas.types import Role

router = APIRouter(prefix="/api/v1", tags=["audits"])

Inspector = Annotated[Principal, Depends(allow(Role.INSPECTOR))]
EvidenceUploader = Annotated[Principal, Depends(allow(Role.INSPECTOR, Role.ADMIN))]
Reader = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
AuditId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Audit id")]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="The client's id of this submission (e.g. a UUID made when the form "
        "was filled): a retry with the same key and content records nothing and answers "
        "200 with the audit recorded the first time; the same key with other content is "
        "422 `idempotency-key-reused`.",
    ),
]
_REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"description": "A retry: the audit this Idempotency-Key already recorded"}
}

_SUBMIT_ERRORS = problem_responses(
    403,
    404,
    422,
    descriptions={
        403: "Wrong role, or `not-authorised-for-scheme`: no live authorisation for the scheme",
        404: "`artisan-not-found`: no such artisan in the inspector's body",
        422: "Schema violation, or `unknown-scheme`, `audit-date-in-future`, "
        "`product-line-not-of-artisan`, `finding-repeated`, `unknown-criterion`, "
        "`missing-findings`, `finding-kind-mismatch`, `unit-mismatch`, `evidence-repeated`, "
        "`unknown-evidence`, "
        "`idempotency-key-reused`, `idempotency-key-invalid`",
    },
)


@router.post(
    "/evidence",
    response_model=EvidencePublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limit("evidence"))],
    openapi_extra=multipart_upload(
        field=evidence.UPLOAD_FIELD, description="One PDF, PNG, JPEG or WebP file"
    ),
    responses={
        201: {
            "description": "Stored (the same answer whether or not these bytes were already "
            "stored, by this body or another)"
        },
        **problem_responses(
            400,
            413,
            415,
            422,
            429,
            descriptions={
                400: "`malformed-multipart`: not a well-formed multipart/form-data body",
                413: "`evidence-too-large`: the file is over the evidence size limit; "
                "`payload-too-large`: the whole body is over the upload limit",
                415: "`unsupported-evidence-type`: content is not PDF, PNG, JPEG or WebP",
                422: "No `file` field, or `one-file-per-upload`: more than one",
                429: "`rate-limited`: too many uploads from this address; see Retry-After",
            },
        ),
    },
    summary="Upload an evidence file (stored by SHA-256)",
)
async def upload_evidence(
    request: Request, principal: EvidenceUploader, session: SessionDep, settings: SettingsDep
) -> EvidencePublic:
    # The caller is admitted and nothing of the body has been read yet. End the token
    # look-up's transaction before the upload arrives: on SQLite every transaction holds the
    # write lock, and on PostgreSQL it would keep a pooled connection idle meanwhile.
    await run_in_threadpool(session.rollback)
    store = EvidenceStore(settings.resolved_evidence_dir)
    received = await evidence.receive_evidence(
        body=request.stream(),
        content_type=request.headers.get("content-type", ""),
        store=store,
        max_bytes=settings.max_evidence_bytes,
    )
    return await run_in_threadpool(
        evidence.store_evidence,
        session=session,
        principal=principal,
        received=received,
        store=store,
    )


@router.get(
    "/evidence/{sha256}",
    response_class=Response,
    responses={
        200: {
            "description": "The file, as an attachment",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in evidence.ALLOWED_MEDIA_TYPES
            },
        },
        **problem_responses(
            404,
            503,
            descriptions={
                404: "`evidence-not-found`",
                503: "`evidence-unavailable`: the file is missing from the evidence store",
            },
        ),
    },
    summary="Download an evidence file",
)
def download_evidence(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lower-case")],
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    found = evidence.read_evidence(
        session=session,
        principal=principal,
        sha256=sha256,
        store=EvidenceStore(settings.resolved_evidence_dir),
    )
    # Streamed from disk a chunk at a time. No Last-Modified or ETag: the file's dates on
    # disk are those of its first upload, perhaps by another body.
    return StreamingResponse(
        found.chunks,
        media_type=found.media_type,
        headers={
            "Content-Length": str(found.size),
            # Served as a download with the type its bytes proved, never rendered inline
            # and never re-sniffed by the browser: an uploaded file cannot become a page.
            "Content-Disposition": f'attachment; filename="{found.download_name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=0, no-store",
        },
    )


@router.post(
    "/audits",
    response_model=AuditPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**_REPLAYED, **_SUBMIT_ERRORS},
    summary="Record an audit (the outcome is computed from the findings)",
)
def submit_audit(
    body: AuditCreate,
    principal: Inspector,
    session: SessionDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> AuditPublic:
    submission = service.submit_audit(
        session=session, principal=principal, request=body, idempotency_key=idempotency_key
    )
    if submission.replayed:
        response.status_code = status.HTTP_200_OK
    return submission.audit


@router.post(
    "/audits/{audit_id}/corrections",
    response_model=AuditPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        **_REPLAYED,
        **_SUBMIT_ERRORS,
        **problem_responses(
            404,
            409,
            descriptions={
                404: "`audit-not-found` or `artisan-not-found`",
                409: "`audit-already-corrected`: correct the latest version instead",
            },
        ),
    },
    summary="Record a new audit that corrects a submitted one",
)
def correct_audit(
    audit_id: AuditId,
    body: AuditCorrection,
    principal: Inspector,
    session: SessionDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> AuditPublic:
    submission = service.submit_correction(
        session=session,
        principal=principal,
        audit_id=audit_id,
        request=body,
        idempotency_key=idempotency_key,
    )
    if submission.replayed:
        response.status_code = status.HTTP_200_OK
    return submission.audit


@router.get(
    "/audits",
    response_model=AuditPage,
    responses=problem_responses(422, descriptions={422: "Bad filter, or `page-size-too-large`"}),
    summary="Audits visible to the caller, newest first",
)
def list_audits(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    artisan_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    inspector_id: Annotated[
        int | None, Query(ge=1, le=MAX_ROW_ID, description="Recorded by this inspector")
    ] = None,
    scheme: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")] = None,
    outcome: AuditOutcome | None = None,
    date_from: Annotated[IsoDate | None, Query(description="Audit date on or after")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Audit date on or before")] = None,
) -> AuditPage:
    filters = AuditFilters(
        artisan_id=artisan_id,
        inspector_id=inspector_id,
        scheme_code=scheme,
        outcome=outcome.value if outcome else None,
        date_from=date_from,
        date_to=date_to,
    )
    return service.list_audits(
        session=session,
        principal=principal,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/audits/{audit_id}",
    response_model=AuditPublic,
    responses=problem_responses(404, descriptions={404: "`audit-not-found`"}),
    summary="One audit with its findings and evidence",
)
def get_audit(audit_id: AuditId, principal: Reader, session: SessionDep) -> AuditPublic:
    return service.get_audit(session=session, principal=principal, audit_id=audit_id)
