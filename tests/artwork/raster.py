"""Rasterise what the renderers wrote, independently of them, so that zxing-cpp can read it.

No SVG or PDF rasteriser is installed (no poppler, pypdfium2 or cairosvg), so these
helpers read the files themselves: the SVG's QR path (``M x y h n v 1 h -n z``
subpaths inside a nested ``<svg viewBox>``) and the PDF pages' content streams
(``q``/``Q``/``cm``/``re``/``f``, the operators the QR is drawn with). Text is not drawn;
the point is that the QR bytes in the file decode back to the label URI.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
import zlib
from dataclasses import dataclass

import zxingcpp
from PIL import Image, ImageDraw

SVG_NS = "{http://www.w3.org/2000/svg}"
_PATH_TOKEN = re.compile(r"[MmHhVvZz]|-?\d+(?:\.\d+)?")
_PDF_TOKEN = re.compile(
    rb"<<|>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|/[^\s/<>\[\]()]+"
    rb"|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+|\[|\]"
)
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")

#: Only QR codes: with every symbology on, zxing-cpp now and then reads a short Codabar
#: symbol into the modules of a QR code (seen: "C43A"), a 26th "label" on a 25-label sheet.
_QR = zxingcpp.BarcodeFormat.QRCode


def decode(image: Image.Image) -> list[str]:
    """Texts of all QR codes zxing-cpp finds in ``image``."""
    return [result.text for result in zxingcpp.read_barcodes(image, formats=_QR)]


def decode_positions(image: Image.Image) -> list[tuple[str, int, int]]:
    """(text, x, y) of each QR code found, (x, y) the centre of the symbol: unlike a corner
    it does not depend on the orientation the decoder reports the symbol in."""
    found = []
    for result in zxingcpp.read_barcodes(image, formats=_QR):
        corners = result.position
        points = (corners.top_left, corners.top_right, corners.bottom_left, corners.bottom_right)
        x = round(sum(point.x for point in points) / 4)
        y = round(sum(point.y for point in points) / 4)
        found.append((result.text, x, y))
    return found


def rasterise_svg_qr(svg: str, *, module_px: int = 4) -> Image.Image:
    """Draw the QR path of a label SVG at ``module_px`` pixels per module."""
    root = ElementTree.fromstring(svg)
    inner = root.find(f"{SVG_NS}svg")
    assert inner is not None, "the label SVG has no nested QR viewport"
    path = inner.find(f"{SVG_NS}path")
    assert path is not None
    _, _, width, height = (float(v) for v in inner.attrib["viewBox"].split())
    image = Image.new("L", (round(width * module_px), round(height * module_px)), 255)
    draw = ImageDraw.Draw(image)
    for points in _subpaths(path.attrib["d"]):
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        draw.rectangle(
            (
                round(min(xs) * module_px),
                round(min(ys) * module_px),
                round(max(xs) * module_px) - 1,
                round(max(ys) * module_px) - 1,
            ),
            fill=0,
        )
    return image


def _subpaths(data: str) -> list[list[tuple[float, float]]]:
    tokens = _PATH_TOKEN.findall(data)
    subpaths: list[list[tuple[float, float]]] = []
    x = y = 0.0
    index = 0
    while index < len(tokens):
        command = tokens[index]
        index += 1
        if command == "M":
            x, y = float(tokens[index]), float(tokens[index + 1])
            index += 2
            subpaths.append([(x, y)])
        elif command == "h":
            x += float(tokens[index])
            index += 1
            subpaths[-1].append((x, y))
        elif command == "v":
            y += float(tokens[index])
            index += 1
            subpaths[-1].append((x, y))
        elif command in "zZ":
            x, y = subpaths[-1][0]
        else:
            raise AssertionError(f"unexpected path command {command!r}")
        # Every subpath of the QR path is an axis-aligned rectangle.
    return subpaths


@dataclass(frozen=True)
class PdfPage:
    width_pt: float
    height_pt: float
    content: bytes


def pdf_pages(pdf: bytes) -> list[PdfPage]:
    """The pages of a PDF written by fpdf2, in order, with their decompressed content."""
    objects = {
        int(match.group(1)): match.start() for match in re.finditer(rb"(?m)^(\d+) 0 obj", pdf)
    }

    def object_text(number: int) -> bytes:
        start = objects[number]
        return pdf[start : pdf.index(b"endobj", start)]

    def stream(number: int) -> bytes:
        text = object_text(number)
        length = int(re.search(rb"/Length (\d+)", text).group(1))  # type: ignore[union-attr]
        body_start = pdf.index(b"stream", objects[number]) + len(b"stream")
        body_start += 2 if pdf[body_start : body_start + 2] == b"\r\n" else 1
        raw = pdf[body_start : body_start + length]
        return zlib.decompress(raw) if b"/FlateDecode" in text else raw

    pages_root = next(number for number in objects if b"/Type /Pages" in object_text(number))
    kids = re.search(rb"/Kids \[([^\]]*)\]", object_text(pages_root))
    assert kids is not None
    pages: list[PdfPage] = []
    for number in (int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))):
        text = object_text(number)
        box = re.search(rb"/MediaBox \[([^\]]*)\]", text) or re.search(
            rb"/MediaBox \[([^\]]*)\]", object_text(pages_root)
        )
        assert box is not None
        x0, y0, x1, y1 = (float(v) for v in box.group(1).split())
        contents = re.search(rb"/Contents (\d+) 0 R", text)
        assert contents is not None
        pages.append(PdfPage(x1 - x0, y1 - y0, stream(int(contents.group(1)))))
    return pages


def rasterise_pdf_page(page: PdfPage, *, px_per_pt: float = 2.5) -> Image.Image:
    """Fill the page's ``re`` rectangles (under their ``cm`` transforms) in black."""
    image = Image.new(
        "L", (round(page.width_pt * px_per_pt), round(page.height_pt * px_per_pt)), 255
    )
    draw = ImageDraw.Draw(image)
    matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[float, ...]] = []
    operands: list[bytes] = []
    path: list[tuple[float, float, float, float]] = []
    for token in _PDF_TOKEN.findall(page.content):
        if _NUMBER.fullmatch(token) or token[:1] in b"</([":
            operands.append(token)
            continue
        if token == b"q":
            stack.append(matrix)
        elif token == b"Q":
            matrix = stack.pop()
        elif token == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands[-6:])
            ma, mb, mc, md, me, mf = matrix
            matrix = (
                a * ma + b * mc,
                a * mb + b * md,
                c * ma + d * mc,
                c * mb + d * md,
                e * ma + f * mc + me,
                e * mb + f * md + mf,
            )
        elif token == b"re":
            x, y, w, h = (float(v) for v in operands[-4:])
            ma, mb, mc, md, me, mf = matrix
            assert mb == 0 and mc == 0, "only scaling and translation are expected"
            corners = [(ma * px + me, md * py + mf) for px, py in ((x, y), (x + w, y + h))]
            path.append((*corners[0], *corners[1]))
        elif token in (b"f", b"f*", b"F"):
            for x0, y0, x1, y1 in path:
                left, right = sorted((x0, x1))
                low, high = sorted((y0, y1))
                draw.rectangle(
                    (
                        round(left * px_per_pt),
                        round((page.height_pt - high) * px_per_pt),
                        round(right * px_per_pt) - 1,
                        round((page.height_pt - low) * px_per_pt) - 1,
                    ),
                    fill=0,
                )
            path = []
        elif token in (b"n", b"S", b"s", b"B", b"b"):
            path = []
        operands = []
    return image
