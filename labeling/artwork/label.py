"""What one item's label shows: its signed QR content and the lines a person reads.

A label must never print one claim and encode another, so :class:`LabelArtwork` checks
on creation that the serial, GTIN and certificate code it prints are the ones signed in
its URI. The texts that come from people (scheme and artisan names) are cleaned once,
here, for every renderer: control characters, characters XML cannot carry, and bidi
override controls (which could make a line display in a misleading order) are dropped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

from labeling.artwork.qr import ErrorLevel
from verify.gtin import GtinError, normalise_gtin
from verify.label_codec import LabelFormatError, format_certificate_code, parse_label_uri

__all__ = [
    "SHORT_PATH",
    "LabelArtwork",
    "LabelArtworkError",
    "PrintedLine",
    "printable_text",
    "printed_lines",
    "short_address",
]

#: Longest text kept for one printed line; longer text could never fit a label anyway.
MAX_PRINTED_CHARACTERS: Final[int] = 200

# Captions are French, the language of the "Maroc Fait Main" labels.
SERIAL_CAPTION: Final[str] = "Série"
GTIN_CAPTION: Final[str] = "GTIN"
CERTIFICATE_CAPTION: Final[str] = "Certificat"

#: The path of the short address printed for people (``khatem.ma/v/7F3K2MQ9XB``): the
#: serial alone. It carries no signature; the page it opens says so (docs/printing.md).
SHORT_PATH: Final[str] = "/v/"

_BIDI_CONTROLS: Final[frozenset[str]] = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
_DROPPED_CATEGORIES: Final[frozenset[str]] = frozenset({"Cc", "Cs", "Zl", "Zp"})


def short_address(host: str, serial: str) -> str:
    """The short address a label prints for people without a scanner, e.g.
    ``khatem.ma/v/7F3K2MQ9XB`` (the host in lower case, as people type it)."""
    return f"{host.lower()}{SHORT_PATH}{serial}"


class LabelArtworkError(ValueError):
    """The artwork request is inconsistent or cannot be laid out on the label."""


@dataclass(frozen=True, slots=True)
class LabelArtwork:
    """Everything printed on one item's label.

    ``uri`` is the canonical label URI (the QR content); ``serial``, ``gtin`` (GTIN-8/12/
    13/14, printed as given) and ``certificate_code`` (human form, e.g. ``C-1D1FG6Y``)
    must be the ones the URI carries. ``verification_url`` is the short address printed
    for people without a scanner (:func:`short_address`, e.g. ``khatem.ma/v/7F3K2MQ9XB``),
    printed whole, never cut.
    """

    uri: str
    serial: str
    gtin: str
    scheme_and_level: str
    certificate_code: str
    artisan_name_latin: str
    artisan_name_arabic: str
    verification_url: str
    error: ErrorLevel = "m"

    def __post_init__(self) -> None:
        if self.error not in ("m", "q"):
            raise LabelArtworkError("error correction level must be 'm' or 'q'")
        try:
            token = parse_label_uri(self.uri)
        except LabelFormatError as exc:
            raise LabelArtworkError(f"label URI is invalid: {exc}") from exc
        if token.to_uri() != self.uri:
            raise LabelArtworkError("label URI must be in canonical form (as issued)")
        if self.serial != token.serial:
            raise LabelArtworkError("printed serial differs from the serial in the label URI")
        try:
            gtin14 = normalise_gtin(self.gtin)
        except GtinError as exc:
            raise LabelArtworkError(f"printed GTIN is invalid: {exc}") from exc
        if gtin14 != token.gtin:
            raise LabelArtworkError("printed GTIN differs from the GTIN in the label URI")
        if self.certificate_code != format_certificate_code(token.certificate_code):
            raise LabelArtworkError(
                "printed certificate code differs from the one in the label URI"
            )


@dataclass(frozen=True, slots=True)
class PrintedLine:
    """One line of human-readable text, before it is fitted to the label."""

    text: str
    nominal_pt: float
    bold: bool = False
    right_to_left: bool = False
    #: Never cut with an ellipsis (the address a person types): broken or refused instead.
    whole: bool = False


def printable_text(text: str) -> str:
    """``text`` made safe to print: NFC, one line, no controls or bidi overrides.

    Drops C0/C1 controls (tabs and newlines become spaces), lone surrogates, U+FFFE and
    U+FFFF (not allowed in XML), bidi embedding/override/isolate controls and marks;
    collapses runs of white space; caps the length at :data:`MAX_PRINTED_CHARACTERS`.
    """
    if (
        text.isprintable()  # no controls, format characters, separators but " "
        and len(text) <= MAX_PRINTED_CHARACTERS
        and "  " not in text
        and text.strip(" ") == text
        and unicodedata.is_normalized("NFC", text)
    ):
        return text
    kept: list[str] = []
    for char in text[: 4 * MAX_PRINTED_CHARACTERS]:
        if char in "\t\n\r\u2028\u2029\x85":
            kept.append(" ")
        elif (
            char in _BIDI_CONTROLS
            or char in "\ufffe\uffff"
            or unicodedata.category(char) in _DROPPED_CATEGORIES
        ):
            continue
        else:
            kept.append(char)
    normal = unicodedata.normalize("NFC", "".join(kept))
    return " ".join(normal.split())[:MAX_PRINTED_CHARACTERS]


def printed_lines(artwork: LabelArtwork) -> tuple[PrintedLine, ...]:
    """The label's lines, top to bottom, with their nominal sizes in points."""
    return (
        PrintedLine(printable_text(artwork.scheme_and_level), 7.5, bold=True),
        PrintedLine(printable_text(artwork.artisan_name_latin), 7.0),
        PrintedLine(printable_text(artwork.artisan_name_arabic), 8.0, right_to_left=True),
        PrintedLine(f"{SERIAL_CAPTION} {artwork.serial}", 6.5),
        PrintedLine(f"{GTIN_CAPTION} {artwork.gtin}", 6.5),
        PrintedLine(f"{CERTIFICATE_CAPTION} {artwork.certificate_code}", 6.5),
        PrintedLine(printable_text(artwork.verification_url), 6.5, bold=True, whole=True),
    )
