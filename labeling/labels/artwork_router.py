"""Label artwork downloads: a label's SVG and PNG, a completed batch's PDF sheet.

* ``GET /api/v1/labels/{id}/artwork.svg`` and ``artwork.png`` — one label's artwork;
* ``GET /api/v1/label-batches/{id}/sheet.pdf`` — a completed batch's print-ready A4 sheet,
  in parts of at most 10,000 labels (``offset``/``limit``; ``Link: rel="next"``).

The readers are those of the label and batch reads (:mod:`labeling.labels.reading`).
Files carry an ``ETag`` (304 on ``If-None-Match``, before anything is drawn) and are
cached privately; bounds, errors and caching in docs/labels.md and docs/printing.md.
Included in :mod:`labeling.labels.router`.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlmodel import Session

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.problems import problem_responses
from labeling.artwork import ErrorLevel, LabelSize, SheetLayout
from labeling.artwork.png import DEFAULT_DPI
from labeling.labels import artwork_service
from labeling.labels.artwork_service import (
    CUT_MARGIN_MM,
    DPI,
    LABEL_HEIGHT_MM,
    LABEL_WIDTH_MM,
    MAX_LABELS_PER_SHEET,
    ArtworkFormat,
    Download,
)
from schemas.audits_api import MAX_ROW_ID
from schemas.labels import MAX_BATCH_SIZE
from schemas.types import Role
from verify.pages.http import etag_matches

__all__ = ["router"]

# Tagged "labels" by the router that includes it.
router = APIRouter()

Reader = Annotated[Principal, Depends(allow(Role.ADMIN, Role.INSPECTOR, Role.ARTISAN))]
BatchId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Label batch id")]
LabelId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Label id")]

ErrorLevelQuery = Annotated[
    Literal["m", "q"],
    Query(
        description="QR error correction: `m` (default, version 7-M) or `q` (rough "
        "surfaces: leather, textiles, glazed ceramics; version 9-Q)."
    ),
]


def _label_size(
    width_mm: Annotated[
        float,
        Query(
            ge=LABEL_WIDTH_MM[0],
            le=LABEL_WIDTH_MM[1],
            description=f"Label width in mm ({LABEL_WIDTH_MM[0]:g} … {LABEL_WIDTH_MM[1]:g}).",
        ),
    ] = 64.0,
    height_mm: Annotated[
        float,
        Query(
            ge=LABEL_HEIGHT_MM[0],
            le=LABEL_HEIGHT_MM[1],
            description=f"Label height in mm ({LABEL_HEIGHT_MM[0]:g} … {LABEL_HEIGHT_MM[1]:g}).",
        ),
    ] = 34.0,
    cut_margin_mm: Annotated[
        float,
        Query(
            ge=CUT_MARGIN_MM[0],
            le=CUT_MARGIN_MM[1],
            description="Margin kept clear of print at every edge of the label, for the cut "
            f"({CUT_MARGIN_MM[0]:g} … {CUT_MARGIN_MM[1]:g} mm).",
        ),
    ] = 1.0,
) -> LabelSize:
    return artwork_service.label_size(
        width_mm=width_mm, height_mm=height_mm, cut_margin_mm=cut_margin_mm
    )


LabelSizeDep = Annotated[LabelSize, Depends(_label_size)]
_GUTTER_MM: Final = 20.0
_PAGE_MARGIN_MM: Final = 100.0


def _sheet_layout(
    label: LabelSizeDep,
    columns: Annotated[int, Query(ge=1, le=10, description="Labels per row.")] = 3,
    rows: Annotated[int, Query(ge=1, le=20, description="Rows of labels per page.")] = 7,
    column_gutter_mm: Annotated[
        float, Query(ge=0, le=_GUTTER_MM, description="Space between columns, in mm.")
    ] = 3.0,
    row_gutter_mm: Annotated[
        float, Query(ge=0, le=_GUTTER_MM, description="Space between rows, in mm.")
    ] = 4.0,
    margin_left_mm: Annotated[
        float | None,
        Query(ge=0, le=_PAGE_MARGIN_MM, description="Left page margin in mm; absent: centred."),
    ] = None,
    margin_top_mm: Annotated[
        float | None,
        Query(ge=0, le=_PAGE_MARGIN_MM, description="Top page margin in mm; absent: centred."),
    ] = None,
    crop_marks: Annotated[
        bool, Query(description="Crop marks in the page margins, on every cut line.")
    ] = True,
) -> SheetLayout:
    return artwork_service.sheet_layout(
        label=label,
        columns=columns,
        rows=rows,
        column_gutter_mm=column_gutter_mm,
        row_gutter_mm=row_gutter_mm,
        margin_left_mm=margin_left_mm,
        margin_top_mm=margin_top_mm,
        crop_marks=crop_marks,
    )


SheetLayoutDep = Annotated[SheetLayout, Depends(_sheet_layout)]

_STRING: Final = {"type": "string"}
_FILE_HEADERS: Final[dict[str, Any]] = {
    "ETag": {"description": "Validator: send it back in `If-None-Match`", "schema": _STRING},
    "Cache-Control": {"description": "`private, max-age=3600`", "schema": _STRING},
    "Content-Disposition": {"description": "`attachment; filename=…`", "schema": _STRING},
}
_NOT_MODIFIED: Final[dict[str, Any]] = {
    "description": "Not modified: `If-None-Match` matched the `ETag`",
    "headers": {"ETag": _FILE_HEADERS["ETag"]},
}
_SIZE_422: Final = (
    "Parameter out of its documented bounds (`validation-error`), or "
    "`label-size-unprintable`: the QR cannot keep 0.33 mm modules on this label (e.g. level "
    "`q` on a label under 22.2 mm high)"
)


def _file_responses(media_type: str, what: str, errors: dict[int, str]) -> dict[int | str, Any]:
    return {
        200: {
            "description": what,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            "headers": _FILE_HEADERS,
        },
        304: _NOT_MODIFIED,
        **problem_responses(*errors, descriptions=errors),
    }


_LABEL_FILE_ERRORS: Final = {404: "`label-not-found`", 422: _SIZE_422}


def _serve(request: Request, download: Download) -> Response:
    """The file, or 304 when the client's copy is current (then nothing is rendered)."""
    headers = {
        "ETag": download.etag,
        "Cache-Control": artwork_service.CACHE_CONTROL,
        # Private to the caller: a browser shared by two accounts must not mix them up.
        "Vary": "Authorization, Cookie",
    }
    if etag_matches(request.headers.get("if-none-match"), download.etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    headers |= {
        # Downloaded, never rendered in the registry's origin; nothing in it may load.
        "Content-Disposition": f'attachment; filename="{download.filename}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'",
    }
    return Response(download.render(), media_type=download.media_type, headers=headers)


def _label_artwork(
    request: Request,
    *,
    session: Session,
    principal: Principal,
    label_id: int,
    label_host: str,
    file_format: ArtworkFormat,
    error: ErrorLevel,
    size: LabelSize,
    dpi: int = DEFAULT_DPI,
) -> Response:
    """One label's artwork in ``file_format``: the body of the SVG and the PNG routes."""
    download = artwork_service.label_file(
        session=session,
        principal=principal,
        label_id=label_id,
        label_host=label_host,
        file_format=file_format,
        error=error,
        size=size,
        dpi=dpi,
    )
    return _serve(request, download)


@router.get(
    "/api/v1/labels/{label_id}/artwork.svg",
    response_class=Response,
    responses=_file_responses(
        "image/svg+xml", "The label's artwork, sized in mm (vector)", _LABEL_FILE_ERRORS
    ),
    summary="A label's print artwork as SVG: QR code and human-readable text",
)
def label_artwork_svg(
    request: Request,
    label_id: LabelId,
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
    size: LabelSizeDep,
    error: ErrorLevelQuery = "m",
) -> Response:
    return _label_artwork(
        request,
        session=session,
        principal=principal,
        label_id=label_id,
        label_host=settings.label_host,
        file_format="svg",
        error=error,
        size=size,
    )


@router.get(
    "/api/v1/labels/{label_id}/artwork.png",
    response_class=Response,
    responses=_file_responses(
        "image/png", "The label's artwork, greyscale, at `dpi`", _LABEL_FILE_ERRORS
    ),
    summary="A label's print artwork as PNG: QR code and human-readable text",
)
def label_artwork_png(
    request: Request,
    label_id: LabelId,
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
    size: LabelSizeDep,
    error: ErrorLevelQuery = "m",
    dpi: Annotated[
        int, Query(ge=DPI[0], le=DPI[1], description=f"Resolution ({DPI[0]} … {DPI[1]}).")
    ] = DEFAULT_DPI,
) -> Response:
    return _label_artwork(
        request,
        session=session,
        principal=principal,
        label_id=label_id,
        label_host=settings.label_host,
        file_format="png",
        error=error,
        size=size,
        dpi=dpi,
    )


@router.get(
    "/api/v1/label-batches/{batch_id}/sheet.pdf",
    response_class=Response,
    responses=_file_responses(
        "application/pdf",
        "The print-ready A4 sheet: labels `offset + 1` … `offset + limit` of the batch, in "
        'issue order, with crop marks. `Link: <…>; rel="next"` points to the next part '
        "when labels remain.",
        {
            404: "`label-batch-not-found`",
            409: "`batch-in-progress`: the batch is queued, running or failed (no labels)",
            422: _SIZE_422 + "; `sheet-layout-invalid`: the grid does not fit an A4 page; "
            "`sheet-range-empty`: `offset` is past the batch's last label",
        },
    ),
    summary="A batch's print-ready PDF sheet (at most 10,000 labels per sheet)",
    description="A sheet holds at most 10,000 labels (`MAX_LABELS_PER_SHEET`). Print a "
    "larger batch in parts: `offset=0`, `offset=10000`, … (a 100,000-label batch is ten "
    "sheets); each answer's `Link` header names the next part, and the file name says "
    "which labels it holds (`khatem-lot-42-labels-10001-20000.pdf`).",
)
def label_batch_sheet(
    request: Request,
    batch_id: BatchId,
    principal: Reader,
    session: SessionDep,
    settings: SettingsDep,
    layout: SheetLayoutDep,
    error: ErrorLevelQuery = "m",
    offset: Annotated[
        int,
        Query(ge=0, le=MAX_BATCH_SIZE - 1, description="Labels of the batch to skip."),
    ] = 0,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_LABELS_PER_SHEET,
            description=f"Labels on this sheet (at most {MAX_LABELS_PER_SHEET:,}).",
        ),
    ] = MAX_LABELS_PER_SHEET,
) -> Response:
    sheet = artwork_service.batch_sheet(
        session=session,
        principal=principal,
        batch_id=batch_id,
        label_host=settings.label_host,
        error=error,
        layout=layout,
        offset=offset,
        limit=limit,
    )
    response = _serve(request, sheet)
    if sheet.next_offset is not None:
        following = request.url.include_query_params(offset=sheet.next_offset)
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    return response
