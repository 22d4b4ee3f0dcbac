"""Evidence uploads and audits: inspectors record, bodies and artisans read.

* ``POST /api/v1/evidence`` — an inspector or admin uploads one file (PDF, PNG, JPEG, WebP;
  ``max_evidence_bytes``); 201 when stored, 200 when the same bytes were already there.
* ``GET /api/v1/evidence/{sha256}`` — the file, as an attachment, to its body and, once it
  is cited by an audit, to the audited artisan.
* ``POST /api/v1/audits`` — an inspector records an audit; the outcome is computed.
* ``POST /api/v1/audits/{id}/corrections`` — a new audit correcting a submitted one.
  Submitted audits are immutable: there is no PUT, PATCH or DELETE.
* ``GET /api/v1/audits`` and ``GET /api/v1/audits/{id}`` — the reader's own audits.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, Response, UploadFile, status

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.paging import PageDep
from core.problems import problem_responses
from labeling.audits import evidence, service
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

_SUBMIT_ERRORS = problem_responses(
    403,
    404,
    422,
    descriptions={
        403: "Wrong role, or `not-authorised-for-scheme`: no live authorisation for the scheme",
        404: "`artisan-not-found`: no such artisan in the inspector's body",
        422: "Schema violation, or `unknown-scheme`, `audit-date-in-future`, "
        "`product-line-not-of-artisan`, `unknown-criterion`, `missing-findings`, "
        "`finding-kind-mismatch`, `unit-mismatch`, `unknown-evidence`",
    },
)


@router.post(
    "/evidence",
    response_model=EvidencePublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": EvidencePublic, "description": "These bytes were already stored"},
        **problem_responses(
            413,
            415,
            descriptions={
                413: "`evidence-too-large`: over the evidence size limit",
                415: "`unsupported-evidence-type`: content is not PDF, PNG, JPEG or WebP",
            },
        ),
    },
    summary="Upload an evidence file (stored by SHA-256)",
)
def upload_evidence(
    file: Annotated[UploadFile, File(description="One PDF, PNG, JPEG or WebP file")],
    principal: EvidenceUploader,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> EvidencePublic:
    # Read one byte past the limit: enough to know the file is too large without holding
    # an arbitrarily large upload in memory.
    data = file.file.read(settings.max_evidence_bytes + 1)
    stored = evidence.store_evidence(
        session=session, principal=principal, data=data, max_bytes=settings.max_evidence_bytes
    )
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    return stored.evidence


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
        **problem_responses(404, descriptions={404: "`evidence-not-found`"}),
    },
    summary="Download an evidence file",
)
def download_evidence(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lower-case")],
    principal: Reader,
    session: SessionDep,
) -> Response:
    found = evidence.read_evidence(session=session, principal=principal, sha256=sha256)
    return Response(
        content=found.data,
        media_type=found.media_type,
        headers={
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
    responses=_SUBMIT_ERRORS,
    summary="Record an audit (the outcome is computed from the findings)",
)
def submit_audit(body: AuditCreate, principal: Inspector, session: SessionDep) -> AuditPublic:
    return service.record_audit(session=session, principal=principal, request=body)


@router.post(
    "/audits/{audit_id}/corrections",
    response_model=AuditPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
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
    audit_id: AuditId, body: AuditCorrection, principal: Inspector, session: SessionDep
) -> AuditPublic:
    return service.correct_audit(
        session=session, principal=principal, audit_id=audit_id, request=body
    )


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
    scheme: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")] = None,
    outcome: AuditOutcome | None = None,
    date_from: Annotated[IsoDate | None, Query(description="Audit date on or after")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Audit date on or before")] = None,
) -> AuditPage:
    filters = AuditFilters(
        artisan_id=artisan_id,
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
