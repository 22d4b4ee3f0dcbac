"""What a label belongs to, over HTTP: a product line's description and photos.

* ``PUT /api/v1/product-lines/{id}/description`` — the description, whole;
* ``GET|POST /api/v1/product-lines/{id}/photos``, ``DELETE …/photos/{photo_id}`` — photos,
  uploaded as ``multipart/form-data`` (one ``file``), read only once the caller is admitted;
* ``GET /photos/{photo_id}/full.webp`` and ``…/thumb.webp`` — public, cacheable for 30 days
  with an ETag (a photo's bytes never change: a new photo is a new id).
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from fastapi import APIRouter, Depends, Path, Request, status
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from core.auth import Principal, SessionDep, SettingsDep, allow, public
from core.problems import problem_responses
from core.rate_limit import rate_limit
from core.request_guard import multipart_upload
from labeling.registry import items
from labeling.registry.artisans import get_product_line
from labeling.registry.openapi import STAFF_READ, WRITE, problems
from labeling.registry.photos import MEDIA_TYPE
from schemas.items import ItemDescriptionUpdate, PhotoPublic
from schemas.registry_api import ProductLinePublic
from schemas.types import Role
from verify.pages import etag_matches

__all__ = ["router"]

router = APIRouter(tags=["product lines"])

Anyone = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
ProductLineId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PhotoId = Annotated[
    str, Path(min_length=16, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", description="Its id.")
]

_LINE_404 = {404: "`product-line-not-found`: no such product line visible to you"}
_PHOTO_CACHE: Final = "public, max-age=2592000, immutable"


@router.put(
    "/api/v1/product-lines/{product_line_id}/description",
    response_model=ProductLinePublic,
    responses=problems(*WRITE, extra=_LINE_404),
    summary="Describe what a product line's labels belong to",
    description="Name, craft, materials and a size (a size class or dimensions in "
    "millimetres, never both), shown to every buyer who scans one of its labels. The "
    "description is replaced whole. Product facts only: no person's name or contact. "
    "The line's body's admins and inspectors, and the artisan itself, may describe it.",
)
def describe(
    product_line_id: ProductLineId, body: ItemDescriptionUpdate, actor: Anyone, session: SessionDep
) -> ProductLinePublic:
    line = items.describe_product_line(
        session=session, actor=actor, product_line_id=product_line_id, data=body
    )
    return items.product_line_view(session, line)


@router.get(
    "/api/v1/product-lines/{product_line_id}/photos",
    response_model=list[PhotoPublic],
    responses=problems(*STAFF_READ, extra=_LINE_404),
    summary="A product line's photos, in order",
    description="At most `max_photos_per_line` (6 by default), so the list is not paginated.",
)
def list_photos(
    product_line_id: ProductLineId, actor: Anyone, session: SessionDep
) -> list[PhotoPublic]:
    get_product_line(session=session, actor=actor, product_line_id=product_line_id)
    found = items.photos_of(session, [product_line_id]).get(product_line_id, [])
    return [items.photo_public(photo) for photo in found]


@router.post(
    "/api/v1/product-lines/{product_line_id}/photos",
    response_model=PhotoPublic,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=multipart_upload(
        field="file",
        description="A JPEG, PNG or WebP photo of the item (no people), at most "
        "`max_photo_bytes` (8 MiB by default).",
    ),
    responses=problems(
        *WRITE,
        extra={
            **_LINE_404,
            409: "`photo-limit-reached`: the line holds `max_photos_per_line` photos",
            413: "`photo-too-large`: over `max_photo_bytes`",
            422: "`photo-missing`: no `file` part; `photo-not-an-image`: not a JPEG, PNG or "
            "WebP image; `photo-too-many-pixels`: more than `max_photo_pixels` declared",
        },
    ),
    summary="Add a photo of the item",
    description="The photo is checked (a real image, bounded in bytes and pixels), turned "
    "upright, stripped of all metadata (EXIF, GPS, XMP, ICC), scaled to at most 1200 px with "
    "a 320 px thumbnail, and re-encoded as WebP; the upload itself is not kept. Photos are "
    "public: every buyer who scans one of the line's labels sees them.",
)
async def add_photo(
    product_line_id: ProductLineId,
    request: Request,
    actor: Anyone,
    session: SessionDep,
    settings: SettingsDep,
) -> PhotoPublic:
    # The caller is admitted and nothing of the body has been read yet: end the token
    # look-up's transaction first (on SQLite it would hold the write lock meanwhile).
    await run_in_threadpool(session.rollback)
    data = await _uploaded(request, settings.max_photo_bytes)
    photo = await run_in_threadpool(
        lambda: items.add_photo(
            session=session,
            actor=actor,
            product_line_id=product_line_id,
            data=data,
            settings=settings,
        )
    )
    return items.photo_public(photo)


async def _uploaded(request: Request, max_bytes: int) -> bytes:
    """The ``file`` part of the upload, at most ``max_bytes`` + 1 bytes of it."""
    form = await request.form()  # other parts are ignored; the guard bounds the body
    try:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise items.MissingPhoto()
        return await part.read(max_bytes + 1)
    finally:
        await form.close()


@router.delete(
    "/api/v1/product-lines/{product_line_id}/photos/{photo_id}",
    response_model=ProductLinePublic,
    responses=problems(
        *WRITE, extra={404: _LINE_404[404] + "; `photo-not-found`: not a photo of it"}
    ),
    summary="Remove a photo of the item",
    description="Answers the product line with the photos it keeps. The photo's public URL "
    "answers 404 from now on (caches may keep it up to their 30 days).",
)
def remove_photo(
    product_line_id: ProductLineId, photo_id: PhotoId, actor: Anyone, session: SessionDep
) -> ProductLinePublic:
    line = items.remove_photo(
        session=session, actor=actor, product_line_id=product_line_id, public_id=photo_id
    )
    return items.product_line_view(session, line)


@router.get(
    "/photos/{photo_id}/{variant}.webp",
    tags=["public pages"],
    dependencies=[Depends(public), Depends(rate_limit("pages"))],
    response_class=Response,
    responses={
        200: {"description": "The photo (WebP)", "content": {MEDIA_TYPE: {}}},
        304: {"description": "Not modified (If-None-Match)"},
        **problem_responses(400, 404, 422, 429, descriptions={404: "`photo-not-found`"}),
    },
    summary="A photo of an item, as the verdict page shows it",
    description="`full` is at most 1200 px on its longer side, `thumb` at most 320 px. "
    "Cacheable for 30 days; the ETag is the SHA-256 of the bytes.",
)
def photo(
    photo_id: PhotoId,
    variant: Literal["full", "thumb"],
    request: Request,
    session: SessionDep,
) -> Response:
    found = items.public_photo(session=session, public_id=photo_id)
    full = variant == "full"
    digest = found.image_sha256 if full else found.thumbnail_sha256
    headers = {
        "ETag": f'"{digest}"',
        "Cache-Control": _PHOTO_CACHE,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'",
    }
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    body = found.image if full else found.thumbnail
    return Response(bytes(body), media_type=found.media_type, headers=headers)
