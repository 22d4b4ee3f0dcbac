"""Printable label artwork: SVG and PNG per label, A4 PDF sheets per batch.

Artwork is rendered when someone asks for it (an artisan downloads a label, a print
shop a sheet), never as part of signing: QR rendering is the costliest step of
issuance. ``docs/printing.md`` gives sizes, error levels and the sheet layout.

    artwork = LabelArtwork(uri=..., serial=..., gtin=..., ...)
    label_svg(artwork)          # str, one label
    label_png(artwork)          # bytes, one label at 600 dpi
    label_sheet_pdf([artwork])  # bytes, A4 pages of labels with crop marks

Errors: :class:`LabelArtworkError` (a ``ValueError``) for an inconsistent label or one
that cannot be laid out; :class:`LabelFontMissing` when DejaVu Sans is not installed;
:class:`~verify.label_codec.LabelFormatError` for a URI the QR cannot carry.
"""

from labeling.artwork.fonts import LabelFontMissing
from labeling.artwork.label import LabelArtwork, LabelArtworkError
from labeling.artwork.layout import MIN_MODULE_MM, LabelSize
from labeling.artwork.png import label_image, label_png, qr_image
from labeling.artwork.qr import QUIET_ZONE_MODULES, ErrorLevel, LabelQr, encode_label_qr
from labeling.artwork.sheet import SheetLayout, label_sheet_pdf
from labeling.artwork.svg import label_svg

__all__ = [
    "MIN_MODULE_MM",
    "QUIET_ZONE_MODULES",
    "ErrorLevel",
    "LabelArtwork",
    "LabelArtworkError",
    "LabelFontMissing",
    "LabelQr",
    "LabelSize",
    "SheetLayout",
    "encode_label_qr",
    "label_image",
    "label_png",
    "label_sheet_pdf",
    "label_svg",
    "qr_image",
]
