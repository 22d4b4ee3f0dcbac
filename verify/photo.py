"""Labels in a photo or a scan: every QR code in it, not just the first.

A customs officer photographs a carton's labels, a print shop scans a whole sheet: each QR
code found is a label to verify. zxing-cpp reads them (QR codes only: with every symbology on
it now and then reads a short Codabar symbol inside a QR code's modules), in reading order —
top to bottom, then left to right, a row being the symbols whose centres lie within half a
symbol of each other. One symbol reported twice (zxing-cpp may find it in two orientations)
counts once; the same label printed twice, at two places, counts twice: two physical copies
of one label is exactly what a shipment check must see.

:func:`verify_photo` verifies every label of a photo against a source of facts (offline, the
synced snapshots), one verdict per QR code in reading order: ``khatem verify PHOTO`` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from verify.label_text import scanned_label
from verify.verdict import Verdict
from verify.verifier import VerificationSource, verify_label

__all__ = ["FoundLabel", "PhotoVerdict", "UnreadableImage", "read_labels", "verify_photo"]


class UnreadableImage(Exception):
    """The file is not an image, or no QR code could be read in it."""


@dataclass(frozen=True, slots=True)
class FoundLabel:
    """One QR code's text and where it stands in the image (its centre and size, pixels)."""

    text: str
    x: float
    y: float
    size: float


def read_labels(path: Path) -> list[FoundLabel]:
    """Every QR code in the image at ``path``, in reading order; :class:`UnreadableImage` if
    the file is not an image or holds none."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            results = zxingcpp.read_barcodes(
                image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise UnreadableImage(f"{path} is not a readable image: {exc}") from None
    found: list[FoundLabel] = []
    for result in results:
        if not result.text:
            continue
        corners = result.position
        points = (corners.top_left, corners.top_right, corners.bottom_right, corners.bottom_left)
        xs, ys = [p.x for p in points], [p.y for p in points]
        label = FoundLabel(
            text=result.text,
            x=sum(xs) / 4,
            y=sum(ys) / 4,
            size=max(max(xs) - min(xs), max(ys) - min(ys), 1),
        )
        if not any(_same_symbol(label, other) for other in found):
            found.append(label)
    if not found:
        raise UnreadableImage(f"no QR code found in {path}")
    return _reading_order(found)


@dataclass(frozen=True, slots=True)
class PhotoVerdict:
    """The verdict on one QR code of a photo, with the code as it was found."""

    found: FoundLabel
    verdict: Verdict


def verify_photo(path: Path, source: VerificationSource, *, now: datetime) -> list[PhotoVerdict]:
    """Verify every label in the image at ``path`` against ``source``, in reading order.

    A QR code that is not a label (a product's own code, a web address) is an INVALID
    verdict in its place, as in a bulk check. :class:`UnreadableImage` if the file is not
    an image or holds no QR code. The text of each code goes through
    :func:`verify.label_text.scanned_label`, as every label text read from outside does.
    """
    return [
        PhotoVerdict(found=found, verdict=verify_label(scanned_label(found.text), source, now=now))
        for found in read_labels(path)
    ]


def _same_symbol(a: FoundLabel, b: FoundLabel) -> bool:
    near = max(a.size, b.size) / 2
    return a.text == b.text and abs(a.x - b.x) < near and abs(a.y - b.y) < near


def _reading_order(labels: list[FoundLabel]) -> list[FoundLabel]:
    rows: list[list[FoundLabel]] = []
    for label in sorted(labels, key=lambda found: found.y):
        if rows and abs(rows[-1][0].y - label.y) < max(rows[-1][0].size, label.size) / 2:
            rows[-1].append(label)
        else:
            rows.append([label])
    return [label for row in rows for label in sorted(row, key=lambda found: found.x)]
