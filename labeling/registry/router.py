"""Registry routes: bodies, their inspectors and authorisations (this module), artisans and
product lines (:mod:`labeling.registry.artisans_router`, included below).

Routes only translate HTTP to service calls; who may see what is decided in the services.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from core.auth import Principal, SessionDep, allow, public
from core.paging import PAGE_DESCRIPTION, PageDep
from labeling.registry import repository, service
from labeling.registry.artisans_router import router as artisans_router
from labeling.registry.items_router import router as items_router
from labeling.registry.openapi import PUBLIC_READ, STAFF_READ, WRITE, problems
from schemas.registry_api import (
    AuthorisationPublic,
    BodyPage,
    BodyPublic,
    InspectorCreate,
    InspectorPage,
    InspectorPublic,
)
from schemas.types import BodyKind, Role

__all__ = ["router"]

router = APIRouter()
router.include_router(artisans_router)
router.include_router(items_router)

Admin = Annotated[Principal, Depends(allow(Role.ADMIN))]
AdminOrInspector = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR))]

BodyCode = Annotated[
    str, Path(min_length=2, max_length=40, pattern=r"^[A-Z0-9-]+$", examples=["CHAMBRE-MA-08"])
]
SchemeCode = Annotated[
    str, Path(min_length=1, max_length=40, pattern=r"^[A-Z0-9-]+$", examples=["TAPIS-MOYENNE"])
]
InspectorId = Annotated[int, Path(ge=1, le=2**31 - 1)]

_PAGE_422 = {422: "`page-size-too-large`: limit over max_page_size"}
_INSPECTOR_404 = {404: "`inspector-not-found`: no such inspector in your body"}
_GRANT_404 = {
    404: "`inspector-not-found`: no such inspector in your body; "
    "`scheme-not-found`: no such label scheme"
}


# --- Bodies ------------------------------------------------------------------------------


@router.get(
    "/api/v1/bodies",
    tags=["bodies"],
    response_model=BodyPage,
    dependencies=[Depends(public)],
    responses=problems(*PUBLIC_READ, extra=_PAGE_422),
    summary="Chambres d'artisanat and certification bodies",
    description="Public catalogue data. " + PAGE_DESCRIPTION,
)
def list_bodies(
    session: SessionDep,
    page: PageDep,
    kind: BodyKind | None = None,
    region: Annotated[str | None, Query(max_length=5, pattern=r"^[A-Z]{2}-[0-9]{2}$")] = None,
) -> BodyPage:
    rows, total = repository.list_bodies(
        session=session,
        kind=kind.value if kind else None,
        region_code=region,
        limit=page.limit,
        offset=page.offset,
    )
    items = [BodyPublic.model_validate(row) for row in rows]
    return BodyPage.of(items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/api/v1/bodies/{code}",
    tags=["bodies"],
    response_model=BodyPublic,
    dependencies=[Depends(public)],
    responses=problems(*PUBLIC_READ, extra={404: "`body-not-found`"}),
    summary="One body",
)
def get_body(code: BodyCode, session: SessionDep) -> BodyPublic:
    return BodyPublic.model_validate(service.get_body(session=session, code=code))


# --- Inspectors --------------------------------------------------------------------------


@router.post(
    "/api/v1/inspectors",
    tags=["inspectors"],
    response_model=InspectorPublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(*WRITE, extra={409: "`email-taken`: an account has this email"}),
    summary="Open an inspector account in my body",
)
def create_inspector(body: InspectorCreate, actor: Admin, session: SessionDep) -> InspectorPublic:
    user = service.create_inspector(session=session, actor=actor, data=body)
    return service.inspector_views(session=session, actor=actor, inspectors=[user])[0]


@router.get(
    "/api/v1/inspectors",
    tags=["inspectors"],
    response_model=InspectorPage,
    responses=problems(*STAFF_READ, extra=_PAGE_422),
    summary="The inspectors of my body",
    description=PAGE_DESCRIPTION,
)
def list_inspectors(actor: Admin, session: SessionDep, page: PageDep) -> InspectorPage:
    rows, total = service.list_inspectors(
        session=session, actor=actor, limit=page.limit, offset=page.offset
    )
    items = service.inspector_views(session=session, actor=actor, inspectors=rows)
    return InspectorPage.of(items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/api/v1/inspectors/{inspector_id}",
    tags=["inspectors"],
    response_model=InspectorPublic,
    responses=problems(*STAFF_READ, extra=_INSPECTOR_404),
    summary="One inspector of my body (an inspector may read itself)",
)
def get_inspector(
    inspector_id: InspectorId, actor: AdminOrInspector, session: SessionDep
) -> InspectorPublic:
    user = service.get_inspector(session=session, actor=actor, inspector_id=inspector_id)
    return service.inspector_views(session=session, actor=actor, inspectors=[user])[0]


@router.get(
    "/api/v1/inspectors/{inspector_id}/authorisations",
    tags=["inspectors"],
    response_model=list[AuthorisationPublic],
    responses=problems(*STAFF_READ, extra=_INSPECTOR_404),
    summary="An inspector's authorisations per label scheme",
    description="At most one row per label scheme, so the list is bounded by the catalogue "
    "and not paginated.",
)
def list_authorisations(
    inspector_id: InspectorId,
    actor: AdminOrInspector,
    session: SessionDep,
    include_revoked: bool = False,
) -> list[AuthorisationPublic]:
    return service.list_authorisations(
        session=session, actor=actor, inspector_id=inspector_id, include_revoked=include_revoked
    )


@router.put(
    "/api/v1/inspectors/{inspector_id}/authorisations/{scheme_code}",
    tags=["inspectors"],
    response_model=AuthorisationPublic,
    responses=problems(*WRITE, extra=_GRANT_404),
    summary="Authorise an inspector for a label scheme (idempotent)",
)
def grant_authorisation(
    inspector_id: InspectorId, scheme_code: SchemeCode, actor: Admin, session: SessionDep
) -> AuthorisationPublic:
    return service.grant_authorisation(
        session=session, actor=actor, inspector_id=inspector_id, scheme_code=scheme_code
    )


@router.delete(
    "/api/v1/inspectors/{inspector_id}/authorisations/{scheme_code}",
    tags=["inspectors"],
    response_model=AuthorisationPublic,
    responses=problems(
        *WRITE,
        extra={404: _GRANT_404[404] + "; `authorisation-not-found`: nothing active to revoke"},
    ),
    summary="Revoke an inspector's authorisation for a label scheme",
    description="Answers the revoked authorisation, with its `revoked_at`.",
)
def revoke_authorisation(
    inspector_id: InspectorId, scheme_code: SchemeCode, actor: Admin, session: SessionDep
) -> AuthorisationPublic:
    return service.revoke_authorisation(
        session=session, actor=actor, inspector_id=inspector_id, scheme_code=scheme_code
    )
