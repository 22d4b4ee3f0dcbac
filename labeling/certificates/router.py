"""Certificates: issued from passing audits, suspended, reinstated, withdrawn, read.

* ``POST /api/v1/certificates`` — an inspector (authorised for the scheme) or an admin of
  the audit's body certifies from a passing audit.
* ``POST /api/v1/certificates/{id}/suspend | /reinstate | /withdraw`` — body admins only,
  with a ``reason_code`` (see :class:`schemas.certificates_api.ReasonCode`).
* ``GET /api/v1/certificates``, ``/{id}``, ``/{id}/history`` — the reader's own certificates
  (an inspector's or admin's body, or the artisan itself).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from core.auth import Principal, SessionDep, allow
from core.paging import PageDep
from core.problems import problem_responses
from labeling.certificates import service
from labeling.certificates.repository import CertificateFilters
from schemas.audits_api import MAX_ROW_ID
from schemas.certificates import CertificateStatus
from schemas.certificates_api import (
    CertificateCreate,
    CertificateEventPublic,
    CertificatePage,
    CertificatePublic,
    CertificateStatusChange,
)
from schemas.types import Role

router = APIRouter(prefix="/api/v1/certificates", tags=["certificates"])

Certifier = Annotated[Principal, Depends(allow(Role.INSPECTOR, Role.ADMIN))]
BodyAdmin = Annotated[Principal, Depends(allow(Role.ADMIN))]
Reader = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
CertificateId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Certificate id")]

_STATUS_CHANGE_ERRORS = problem_responses(
    403,
    404,
    409,
    422,
    descriptions={
        403: "Only body admins change a certificate's status",
        404: "`certificate-not-found`",
        409: "`invalid-transition`: not allowed from the current (effective) status",
        422: "Schema violation (unknown `reason_code`; `other` without `reason_text` …)",
    },
)


@router.post(
    "",
    response_model=CertificatePublic,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(
        403,
        404,
        409,
        422,
        descriptions={
            403: "Wrong role, or `not-authorised-for-scheme` (inspectors)",
            404: "`audit-not-found`: no such audit in the caller's body",
            409: "`audit-already-certified`, or `audit-superseded` by a correction",
            422: "Schema violation, or `audit-not-passing`, `scope-outside-audit`, "
            "`valid-from-before-audit`, `valid-from-too-late`, `certificate-would-be-expired`",
        },
    ),
    summary="Certify an artisan from a passing audit",
)
def issue_certificate(
    body: CertificateCreate, principal: Certifier, session: SessionDep
) -> CertificatePublic:
    return service.certify(session=session, principal=principal, request=body)


@router.post(
    "/{certificate_id}/suspend",
    response_model=CertificatePublic,
    responses=_STATUS_CHANGE_ERRORS,
    summary="Suspend an active certificate (body admin)",
)
def suspend_certificate(
    certificate_id: CertificateId,
    body: CertificateStatusChange,
    principal: BodyAdmin,
    session: SessionDep,
) -> CertificatePublic:
    return service.suspend(
        session=session, principal=principal, certificate_id=certificate_id, request=body
    )


@router.post(
    "/{certificate_id}/reinstate",
    response_model=CertificatePublic,
    responses=_STATUS_CHANGE_ERRORS,
    summary="Reinstate a suspended, unexpired certificate (body admin)",
)
def reinstate_certificate(
    certificate_id: CertificateId,
    body: CertificateStatusChange,
    principal: BodyAdmin,
    session: SessionDep,
) -> CertificatePublic:
    return service.reinstate(
        session=session, principal=principal, certificate_id=certificate_id, request=body
    )


@router.post(
    "/{certificate_id}/withdraw",
    response_model=CertificatePublic,
    responses=_STATUS_CHANGE_ERRORS,
    summary="Withdraw a certificate for good (body admin)",
)
def withdraw_certificate(
    certificate_id: CertificateId,
    body: CertificateStatusChange,
    principal: BodyAdmin,
    session: SessionDep,
) -> CertificatePublic:
    return service.withdraw(
        session=session, principal=principal, certificate_id=certificate_id, request=body
    )


@router.get(
    "",
    response_model=CertificatePage,
    responses=problem_responses(
        422,
        descriptions={422: "Bad filter, `page-size-too-large`, or `certificate-cursor-invalid`"},
    ),
    summary="Certificates visible to the caller, newest first",
)
def list_certificates(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status_filter: Annotated[
        CertificateStatus | None,
        Query(alias="status", description="Effective status; `expired` is derived from dates"),
    ] = None,
    scheme: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")] = None,
    region: Annotated[
        str | None, Query(pattern=r"^MA-(0[1-9]|1[0-2])$", description="Artisan's region")
    ] = None,
    craft: Annotated[
        str | None,
        Query(max_length=5, pattern=r"^F[0-9]{2}$", description="Artisan's craft sector"),
    ] = None,
    artisan_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    expiring_within_days: Annotated[
        int | None,
        Query(
            ge=0,
            le=3660,
            description="Only certificates in force (active, not expired) whose validity "
            "ends within this many days from today",
        ),
    ] = None,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="The `next_cursor` of the previous page (keyset pages; use instead "
            "of `offset`)",
        ),
    ] = None,
) -> CertificatePage:
    filters = CertificateFilters(
        status=status_filter,
        scheme_code=scheme,
        region_code=region,
        filiere_code=craft,
        artisan_id=artisan_id,
        expiring_within_days=expiring_within_days,
    )
    return service.list_certificates(
        session=session,
        principal=principal,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
        cursor=cursor,
    )


@router.get(
    "/{certificate_id}",
    response_model=CertificatePublic,
    responses=problem_responses(404, descriptions={404: "`certificate-not-found`"}),
    summary="One certificate",
)
def get_certificate(
    certificate_id: CertificateId, principal: Reader, session: SessionDep
) -> CertificatePublic:
    return service.get_certificate(
        session=session, principal=principal, certificate_id=certificate_id
    )


@router.get(
    "/{certificate_id}/history",
    response_model=list[CertificateEventPublic],
    responses=problem_responses(404, descriptions={404: "`certificate-not-found`"}),
    summary="Every change of a certificate, oldest first",
)
def certificate_history(
    certificate_id: CertificateId, principal: Reader, session: SessionDep
) -> list[CertificateEventPublic]:
    return service.history(session=session, principal=principal, certificate_id=certificate_id)
