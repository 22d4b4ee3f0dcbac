"""Public catalogue reads: regions, filières and métiers, label schemes with their criteria,
and the standards they cite.

Open to everyone (a buyer checking what "Estampille tapis — qualité supérieure" requires
needs no account). The catalogue is reference data of tens of rows, so lists are whole.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from core.auth import SessionDep, public
from labeling.registry import catalog
from labeling.registry.openapi import PUBLIC_READ, problems
from schemas.registry_api import FilierePublic, RegionPublic, SchemePublic, StandardPublic

__all__ = ["router"]

router = APIRouter(tags=["catalogue"], dependencies=[Depends(public)])

_ASSUMPTIONS = (
    " Rows whose details the public sources do not establish carry `is_assumption: true` "
    "and are placeholders."
)


@router.get(
    "/api/v1/regions",
    response_model=list[RegionPublic],
    responses=problems(400),
    summary="Morocco's 12 regions (MA-01 … MA-12)",
)
def list_regions(session: SessionDep) -> list[RegionPublic]:
    return catalog.list_regions(session=session)


@router.get(
    "/api/v1/filieres",
    response_model=list[FilierePublic],
    responses=problems(400),
    summary="Craft sectors (filières) and their métiers",
    description="The official list (Décret 2.21.991) is not public." + _ASSUMPTIONS,
)
def list_filieres(session: SessionDep) -> list[FilierePublic]:
    return catalog.list_filieres(session=session)


@router.get(
    "/api/v1/schemes",
    response_model=list[SchemePublic],
    responses=problems(*PUBLIC_READ),
    summary="Label schemes with their criteria, thresholds and units",
    description="Maroc Fait Main levels, the carpet stamp grades, Madmoun and the collective "
    "certification marks." + _ASSUMPTIONS,
)
def list_schemes(
    session: SessionDep,
    family: Annotated[
        str | None,
        Query(max_length=40, pattern=r"^[A-Z0-9_]+$", examples=["ESTAMPILLE_TAPIS"]),
    ] = None,
) -> list[SchemePublic]:
    return catalog.list_schemes(session=session, family=family)


@router.get(
    "/api/v1/schemes/{code}",
    response_model=SchemePublic,
    responses=problems(*PUBLIC_READ, extra={404: "`scheme-not-found`"}),
    summary="One label scheme",
)
def get_scheme(
    code: Annotated[
        str,
        Path(min_length=1, max_length=40, pattern=r"^[A-Z0-9-]+$", examples=["MADMOUN"]),
    ],
    session: SessionDep,
) -> SchemePublic:
    return catalog.get_scheme(session=session, code=code)


@router.get(
    "/api/v1/standards",
    response_model=list[StandardPublic],
    responses=problems(*PUBLIC_READ),
    summary="Standards and regulations the schemes cite (NM, ISO, EU, US)",
    description="Filter by `jurisdiction` (MA, INT, EU, US, US-CA)." + _ASSUMPTIONS,
)
def list_standards(
    session: SessionDep,
    jurisdiction: Annotated[
        str | None, Query(max_length=10, pattern=r"^[A-Z-]+$", examples=["EU"])
    ] = None,
) -> list[StandardPublic]:
    return catalog.list_standards(session=session, jurisdiction=jurisdiction)
