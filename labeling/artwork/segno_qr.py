"""A label's QR symbol through ``segno``: the reference encoder of docs/label-format.md §8.

The artwork draws symbols with its own faster encoder (``labeling/artwork/qr.py``, whose
tests compare its symbols with segno's); this is the plain ``segno`` path, for tests, tools
and anyone checking what a label's symbol must be. ``segno`` is imported lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from verify.label_codec import QR_MAX_VERSION, LabelFormatError, qr_segments

if TYPE_CHECKING:
    import segno

__all__ = ["make_label_qr"]


def make_label_qr(uri: str, *, error: Literal["m", "q"] = "m") -> segno.QRCode:
    """Encode a canonical label URI as a QR code with ``segno`` (imported lazily).

    Error correction M (default) or Q; raises ``label_too_large`` if the symbol would
    exceed version 7 (M) or 9 (Q).
    """
    import segno

    if error not in QR_MAX_VERSION:
        raise ValueError("error correction level must be 'm' or 'q'")
    segments = qr_segments(uri)
    qr = segno.make(segments, error=error, boost_error=False, micro=False)  # type: ignore[arg-type]
    version = qr.version
    if not isinstance(version, int) or version > QR_MAX_VERSION[error]:
        raise LabelFormatError("label_too_large", f"QR version {version} exceeds the budget")
    return qr
