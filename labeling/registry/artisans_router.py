"""Artisan and product-line routes.

A route that returns one artisan answers :class:`~schemas.registry_api.ArtisanPublic` or
:class:`~schemas.registry_api.ArtisanPrivate` (told apart by ``view``) depending on who
asks; lists always answer the registry view, without personal data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from core.auth import Principal, SessionDep, allow
from core.paging import PAGE_DESCRIPTION, PageDep
from labeling.registry import artisans, items, search
from labeling.registry.openapi import STAFF_READ, WRITE, problems
from labeling.registry.repository import ArtisanFilters
from schemas.accounts import UserPublic
from schemas.registry_api import (
    SINGLE_LINE,
    ArtisanAccountCreate,
    ArtisanCreate,
    ArtisanCursorPage,
    ArtisanPage,
    ArtisanPrivate,
    ArtisanPublic,
    ArtisanUpdate,
    ArtisanView,
    ProductLineCreate,
    ProductLinePage,
    ProductLinePublic,
)
from schemas.types import ArtisanKind, Role

__all__ = ["router"]

router = APIRouter(tags=["artisans"])

Admin = Annotated[Principal, Depends(allow(Role.ADMIN))]
Registrar = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR))]
Anyone = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
ArtisanOnly = Annotated[Principal, Depends(allow(Role.ARTISAN))]

ArtisanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ProductLineId = Annotated[int, Path(ge=1, le=2**31 - 1)]

_ARTISAN_404 = {404: "`artisan-not-found`: no such artisan visible to you"}
_PAGE_422 = {422: "`page-size-too-large`: limit over max_page_size"}
_REGISTER_422 = {
    422: "`unknown-region`, `unknown-filiere`, `region-outside-body` (a chambre registers "
    "the artisans of its own region)"
}


@router.post(
    "/api/v1/artisans",
    response_model=ArtisanView,
    status_code=status.HTTP_201_CREATED,
    responses=problems(
        *WRITE, extra={409: "`nia-taken`: this NIA is already registered", **_REGISTER_422}
    ),
    summary="Register an artisan, maâlem, cooperative or company into my body",
    description="Admins get the private view back, inspectors the registry view: personal "
    "data can be typed in by an inspector but is never read back by one.",
)
def register_artisan(
    body: ArtisanCreate, actor: Registrar, session: SessionDep
) -> ArtisanPublic | ArtisanPrivate:
    artisan = artisans.register_artisan(session=session, actor=actor, data=body)
    return artisans.artisan_view(actor, artisan)


@router.get(
    "/api/v1/artisans",
    response_model=ArtisanPage,
    responses=problems(*STAFF_READ, extra=_PAGE_422),
    summary="The artisans of my body",
    description="Filters combine with AND; `q` searches both display names (case-insensitive "
    "for ASCII letters). Items carry no personal data. " + PAGE_DESCRIPTION,
)
def list_artisans(
    actor: Registrar,
    session: SessionDep,
    page: PageDep,
    region: Annotated[str | None, Query(max_length=5, pattern=r"^[A-Z]{2}-[0-9]{2}$")] = None,
    filiere: Annotated[str | None, Query(max_length=8, pattern=r"^[A-Z0-9]+$")] = None,
    kind: ArtisanKind | None = None,
    city: Annotated[str | None, Query(min_length=1, max_length=120, pattern=SINGLE_LINE)] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, pattern=SINGLE_LINE, description="Name contains"),
    ] = None,
) -> ArtisanPage:
    filters = ArtisanFilters(
        region_code=region,
        filiere_code=filiere,
        kind=kind.value if kind else None,
        city=city,
        name_contains=q,
    )
    rows, total = artisans.list_artisans(
        session=session, actor=actor, filters=filters, limit=page.limit, offset=page.offset
    )
    items = [ArtisanPublic.model_validate(row) for row in rows]
    return ArtisanPage.of(items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/api/v1/artisans/search",
    response_model=ArtisanCursorPage,
    responses=problems(
        *STAFF_READ,
        extra={
            422: "`search-query-invalid`: `q` holds no letter or digit; "
            "`search-cursor-invalid`: `cursor` is not a `next_cursor` of this API"
        },
    ),
    summary="Find an artisan of my body by name, NIA, registry id, city or craft",
    description="`q` is matched whatever its case, accents, Arabic diacritics or hamza "
    "spelling, in Latin or Arabic script. Every word of `q` must match: a word of 3 "
    "characters or more anywhere in the artisan's names, NIA, registry id, city or craft; "
    "a shorter one at the start of a word. Results come in registration order, "
    "paginated by keyset: pass the answer's `next_cursor` back as `cursor`. Items carry "
    "no personal data.",
)
def search_artisans(
    actor: Registrar,
    session: SessionDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=search.MAX_QUERY_LENGTH,
            pattern=SINGLE_LINE,
            description="Words to find (1 … 100 characters).",
        ),
    ],
    limit: Annotated[
        int, Query(ge=1, le=search.MAX_SEARCH_LIMIT, description="Page size (1 … 100).")
    ] = 20,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=64,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="The `next_cursor` of the previous page.",
        ),
    ] = None,
) -> ArtisanCursorPage:
    page = search.search_artisans(
        session=session, principal=actor, query=q, limit=limit, cursor=cursor
    )
    items = [ArtisanPublic.model_validate(row) for row in page.items]
    return ArtisanCursorPage(items=items, limit=limit, next_cursor=page.next_cursor)


@router.get(
    "/api/v1/artisans/me",
    response_model=ArtisanPrivate,
    responses=problems(400, 401, 403, extra={404: "`artisan-not-found`"}),
    summary="My own registry record, with my personal data",
)
def my_record(actor: ArtisanOnly, session: SessionDep) -> ArtisanPrivate:
    return ArtisanPrivate.model_validate(artisans.get_own_record(session=session, actor=actor))


@router.get(
    "/api/v1/artisans/{artisan_id}",
    response_model=ArtisanView,
    responses=problems(*STAFF_READ, extra=_ARTISAN_404),
    summary="One artisan",
    description="The private view (with national id, phone, address) for the artisan itself "
    "and its body's admin; the registry view for its body's inspectors.",
)
def get_artisan(
    artisan_id: ArtisanId, actor: Anyone, session: SessionDep
) -> ArtisanPublic | ArtisanPrivate:
    artisan = artisans.get_artisan(session=session, actor=actor, artisan_id=artisan_id)
    return artisans.artisan_view(actor, artisan)


@router.patch(
    "/api/v1/artisans/{artisan_id}",
    response_model=ArtisanView,
    responses=problems(*WRITE, extra={**_ARTISAN_404, 422: "`unknown-filiere`"}),
    summary="Update an artisan's non-identity fields",
    description="Only the fields sent change. NIA, kind, national id and region are the "
    "artisan's identity and cannot be changed here (422).",
)
def update_artisan(
    artisan_id: ArtisanId, body: ArtisanUpdate, actor: Registrar, session: SessionDep
) -> ArtisanPublic | ArtisanPrivate:
    artisan = artisans.update_artisan(
        session=session, actor=actor, artisan_id=artisan_id, data=body
    )
    return artisans.artisan_view(actor, artisan)


@router.post(
    "/api/v1/artisans/{artisan_id}/account",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(
        *WRITE,
        extra={
            **_ARTISAN_404,
            409: "`email-taken`; `artisan-account-exists`: one login per artisan",
        },
    ),
    summary="Open the artisan's own login account",
)
def create_artisan_account(
    artisan_id: ArtisanId, body: ArtisanAccountCreate, actor: Admin, session: SessionDep
) -> UserPublic:
    user = artisans.create_artisan_account(
        session=session, actor=actor, artisan_id=artisan_id, data=body
    )
    return UserPublic.model_validate(user, from_attributes=True)


# --- Product lines -----------------------------------------------------------------------


@router.post(
    "/api/v1/artisans/{artisan_id}/product-lines",
    tags=["product lines"],
    response_model=ProductLinePublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(
        *WRITE,
        extra={
            **_ARTISAN_404,
            409: "`gtin-taken`: another product line has this GTIN",
            422: "`gtin-invalid`: not 8/12/13/14 digits with a GS1 check digit; "
            "`gtin-reserved`: in the registry's own range",
        },
    ),
    summary="Register a product line of an artisan",
)
def register_product_line(
    artisan_id: ArtisanId, body: ProductLineCreate, actor: Registrar, session: SessionDep
) -> ProductLinePublic:
    line = artisans.register_product_line(
        session=session, actor=actor, artisan_id=artisan_id, data=body
    )
    return ProductLinePublic.model_validate(line)


@router.get(
    "/api/v1/artisans/{artisan_id}/product-lines",
    tags=["product lines"],
    response_model=ProductLinePage,
    responses=problems(*STAFF_READ, extra={**_ARTISAN_404, **_PAGE_422}),
    summary="An artisan's product lines",
    description=PAGE_DESCRIPTION,
)
def list_product_lines(
    artisan_id: ArtisanId, actor: Anyone, session: SessionDep, page: PageDep
) -> ProductLinePage:
    rows, total = artisans.list_product_lines(
        session=session,
        actor=actor,
        artisan_id=artisan_id,
        limit=page.limit,
        offset=page.offset,
    )
    items = [ProductLinePublic.model_validate(row) for row in rows]
    return ProductLinePage.of(items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/api/v1/product-lines/{product_line_id}",
    tags=["product lines"],
    response_model=ProductLinePublic,
    responses=problems(*STAFF_READ, extra={404: "`product-line-not-found`"}),
    summary="One product line",
)
def get_product_line(
    product_line_id: ProductLineId, actor: Anyone, session: SessionDep
) -> ProductLinePublic:
    line = artisans.get_product_line(session=session, actor=actor, product_line_id=product_line_id)
    return items.product_line_view(session, line)
