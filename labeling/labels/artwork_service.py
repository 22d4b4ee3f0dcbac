"""Label artwork for download: who may have it, the file it is, and its cache validator.

Who: exactly who may read the label or the batch (:mod:`labeling.labels.reading`): the
staff of the batch's body, or the artisan the labels were issued to (a batch of its own
once completed). Anything else is the same 404 as a missing id.

A download is described before it is rendered (:class:`Download`): its ``ETag`` is a hash
of everything the artwork is made from — the signed label URI, the printed names and
scheme, the error level, the size, the renderer's :data:`ARTWORK_REVISION` — so a client
that already holds the file gets a 304 without the registry drawing a single QR code. The
signed part of a label never changes, but the printed names are read from the registry
when the artwork is made (an artisan may correct its name), so the files are cached for a
bounded time (:data:`CACHE_CONTROL`), never as immutable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal

from sqlmodel import Session

from core.auth import Principal
from labeling.artwork import (
    ErrorLevel,
    LabelArtwork,
    LabelArtworkError,
    LabelQr,
    LabelSize,
    SheetLayout,
    encode_label_qr,
    label_png,
    label_sheet_pdf,
    label_svg,
)
from labeling.artwork.layout import lay_out_label
from labeling.artwork.png import DEFAULT_DPI
from labeling.labels import reading
from labeling.labels.errors import (
    BatchInProgress,
    LabelSizeUnprintable,
    SheetLayoutInvalid,
    SheetRangeEmpty,
)
from labeling.labels.printing import (
    MAX_LABELS_PER_SHEET,
    batch_labels,
    label_artwork,
    printed_facts,
)
from schemas.labels import BatchStatus

__all__ = [
    "ARTWORK_REVISION",
    "CACHE_CONTROL",
    "CUT_MARGIN_MM",
    "DPI",
    "LABEL_HEIGHT_MM",
    "LABEL_WIDTH_MM",
    "MAX_LABELS_PER_SHEET",
    "ArtworkFormat",
    "Download",
    "SheetDownload",
    "batch_sheet",
    "label_file",
    "label_size",
    "sheet_layout",
]

#: Bumped whenever a renderer changes what it draws, so that cached files are refetched.
ARTWORK_REVISION: Final[int] = 3  # 2: Arabic shaped by HarfBuzz (ADR 0008); 3: /v/ address
#: Authenticated files: a browser may keep them an hour, a shared cache never.
CACHE_CONTROL: Final[str] = "private, max-age=3600"
#: Bounds of the label size a client may ask for, in mm (min, max). The minima are the
#: smallest label a 7-M symbol fits at the minimum module size (docs/printing.md); a
#: size inside the bounds that still cannot carry the symbol (level Q, a wide cut
#: margin) answers 422 ``label-size-unprintable``.
LABEL_WIDTH_MM: Final[tuple[float, float]] = (42.0, 200.0)
LABEL_HEIGHT_MM: Final[tuple[float, float]] = (20.0, 100.0)
CUT_MARGIN_MM: Final[tuple[float, float]] = (0.0, 5.0)
#: PNG resolutions offered (min, max); 600 dpi is the default.
DPI: Final[tuple[int, int]] = (300, 600)

ArtworkFormat = Literal["svg", "png"]
_MEDIA_TYPES: Final[dict[str, str]] = {"svg": "image/svg+xml", "png": "image/png"}


@dataclass(frozen=True, slots=True)
class Download:
    """A file ready to be rendered: ``render()`` draws it, only when it is needed."""

    media_type: str
    filename: str
    etag: str
    render: Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class SheetDownload(Download):
    """A batch's sheet, or one part of it: labels ``first`` … ``last`` (1-based) of
    ``total``; ``next_offset`` is where the next part starts (None after the last)."""

    first: int
    last: int
    total: int
    next_offset: int | None


def label_size(*, width_mm: float, height_mm: float, cut_margin_mm: float) -> LabelSize:
    try:
        return LabelSize(width_mm=width_mm, height_mm=height_mm, cut_margin_mm=cut_margin_mm)
    except LabelArtworkError as exc:
        raise LabelSizeUnprintable(str(exc)) from exc


def sheet_layout(
    *,
    label: LabelSize,
    columns: int,
    rows: int,
    column_gutter_mm: float,
    row_gutter_mm: float,
    margin_left_mm: float | None,
    margin_top_mm: float | None,
    crop_marks: bool,
) -> SheetLayout:
    """The grid as asked; 422 ``sheet-layout-invalid`` when it does not fit an A4 page."""
    try:
        return SheetLayout(
            label=label,
            columns=columns,
            rows=rows,
            column_gutter_mm=column_gutter_mm,
            row_gutter_mm=row_gutter_mm,
            margin_left_mm=margin_left_mm,
            margin_top_mm=margin_top_mm,
            crop_marks=crop_marks,
        )
    except LabelArtworkError as exc:
        raise SheetLayoutInvalid(str(exc)) from exc


def label_file(
    *,
    session: Session,
    principal: Principal,
    label_id: int,
    label_host: str,
    file_format: ArtworkFormat,
    error: ErrorLevel = "m",
    size: LabelSize | None = None,
    dpi: int = DEFAULT_DPI,
) -> Download:
    """One label's SVG or PNG artwork (404 ``label-not-found`` if not the caller's to see)."""
    label = reading.visible_label(session=session, principal=principal, label_id=label_id)
    facts = printed_facts(
        session=session,
        certificate_id=label.certificate_id,
        artisan_id=label.artisan_id,
        label_host=label_host,
    )
    artwork = label_artwork(label, facts, error=error)
    qr = encode_label_qr(artwork.uri, error=error)
    chosen = size or LabelSize()
    _check_fits(artwork, chosen, qr)
    render: Callable[[], bytes]
    if file_format == "svg":

        def render() -> bytes:
            return label_svg(artwork, size=chosen, qr=qr).encode()

    else:

        def render() -> bytes:
            return label_png(artwork, size=chosen, dpi=dpi, qr=qr)

    return Download(
        media_type=_MEDIA_TYPES[file_format],
        filename=f"khatem-{label.gtin}-{label.serial}.{file_format}",
        etag=_strong_etag(
            file_format, asdict(artwork), asdict(chosen), dpi if file_format == "png" else None
        ),
        render=render,
    )


def batch_sheet(
    *,
    session: Session,
    principal: Principal,
    batch_id: int,
    label_host: str,
    error: ErrorLevel = "m",
    layout: SheetLayout | None = None,
    offset: int = 0,
    limit: int = MAX_LABELS_PER_SHEET,
) -> SheetDownload:
    """A batch's print-ready A4 PDF sheet, or ``limit`` of its labels from the
    ``offset``-th: a sheet holds at most :data:`MAX_LABELS_PER_SHEET` labels.

    404 ``label-batch-not-found`` if not the caller's to see; 409 ``batch-in-progress``
    while it has no labels (queued, running, failed); 422 ``sheet-range-empty`` when
    ``offset`` is past its last label.
    """
    batch = reading.visible_batch(session=session, principal=principal, batch_id=batch_id)
    if batch.status != BatchStatus.COMPLETED.value:
        raise BatchInProgress()
    total = batch.quantity
    if offset >= total:
        raise SheetRangeEmpty(
            f"Batch {batch_id} has {total} labels: offset goes from 0 to {total - 1}.",
            total=total,
        )
    count = min(limit, total - offset)
    sheet = layout or SheetLayout()
    facts = printed_facts(
        session=session,
        certificate_id=batch.certificate_id,
        artisan_id=batch.artisan_id,
        label_host=label_host,
    )
    # The labels of a batch share their host, GTIN, key and certificate, so their symbols
    # have one size: whether the first one fits the label says it for all of them.
    [first] = batch_labels(session=session, batch_id=batch_id, offset=offset, limit=1)
    _check_fits(label_artwork(first, facts, error=error), sheet.label)

    def render() -> bytes:
        labels = batch_labels(session=session, batch_id=batch_id, offset=offset, limit=count)
        artworks = [label_artwork(label, facts, error=error) for label in labels]
        return label_sheet_pdf(artworks, layout=sheet, title=f"Khatem — lot {batch_id}")

    last = offset + count
    # A batch's labels never change once it is completed, so what the sheet shows is
    # fixed by the batch, the printed facts and the layout. The ETag is weak: the PDF
    # records when it was made, so two renderings are equivalent, not identical bytes.
    etag = "W/" + _strong_etag("pdf", batch_id, asdict(facts), asdict(sheet), error, offset, count)
    return SheetDownload(
        media_type="application/pdf",
        filename=f"khatem-lot-{batch_id}-labels-{offset + 1}-{last}.pdf",
        etag=etag,
        render=render,
        first=offset + 1,
        last=last,
        total=total,
        next_offset=last if last < total else None,
    )


def _check_fits(artwork: LabelArtwork, size: LabelSize, qr: LabelQr | None = None) -> None:
    """422 ``label-size-unprintable`` unless the symbol and the text fit ``size``."""
    symbol = qr or encode_label_qr(artwork.uri, error=artwork.error)
    try:
        lay_out_label(artwork, symbol, size)
    except LabelArtworkError as exc:
        raise LabelSizeUnprintable(str(exc)) from exc


def _strong_etag(*parts: Any) -> str:
    text = json.dumps([ARTWORK_REVISION, *parts], sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
