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
  ``If-None-Match``) and are cached privately (docs/printing.md).
* ``POST /api/v1/labels/{id}/{suspend|reinstate|revoke}`` — one label;
  ``POST /api/v1/labels/bulk/{suspend|reinstate|revoke}`` — a batch or a certificate.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.paging import PAGE_DESCRIPTION, PageDep
from core.problems import problem_responses
from labeling.artwork import LabelSize, SheetLayout
from labeling.artwork.png import DEFAULT_DPI
from labeling.labels import artwork_service, lifecycle, reading, service
from labeling.labels.artwork_service import (
    CUT_MARGIN_MM,
    DPI,
    LABEL_HEIGHT_MM,
    LABEL_WIDTH_MM,
    MAX_LABELS_PER_SHEET,
    Download,
    SheetDownload,
)
from labeling.labels.jobs import issuing_jobs
from labeling.labels.lifecycle import LabelCommand
from labeling.labels.signing import LabelSignerDep
from schemas.audits_api import MAX_ROW_ID
from schemas.labels import MAX_BATCH_SIZE, LabelStatus
from schemas.labels_api import (
    LabelBatchCreate,
    LabelBatchPublic,
    LabelBulkStatusChange,
    LabelPage,
    LabelPublic,
    LabelStatusChange,
    LabelStatusChangeResult,
)
from schemas.types import Role
from verify.pages.http import etag_matches

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
) -> LabelPage:
    filters = reading.reader_filters(
        principal,
        batch_id=batch,
        certificate_id=certificate,
        status=status_filter.value if status_filter else None,
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


# --- Artwork: one label's SVG / PNG, a batch's PDF sheet -------------------------------------

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
    download = artwork_service.label_file(
        session=session,
        principal=principal,
        label_id=label_id,
        label_host=settings.label_host,
        file_format="svg",
        error=error,
        size=size,
    )
    return _serve(request, download)


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
    download = artwork_service.label_file(
        session=session,
        principal=principal,
        label_id=label_id,
        label_host=settings.label_host,
        file_format="png",
        error=error,
        size=size,
        dpi=dpi,
    )
    return _serve(request, download)


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
def batch_sheet_pdf(
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
    sheet: SheetDownload = artwork_service.batch_sheet(
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
