"""What a person types in the home page's box, read as what is printed on a label.

A label prints, under its QR code, its serial (``Série 7F3K2MQ9XB``), its GTIN, its
certificate code (``Certificat C-1D1FG6Y``) and a short address (``khatem.ma/v/7F3K2MQ9XB``).
A person may type any of them, or paste the QR code's whole address. :func:`read_typed`
says which it is:

* ``label`` — a label address (it has the GS1 path ``/01/…/21/…`` and its signature
  ``S=``): verified as the QR code is, so a tampered one is INVALID;
* ``item`` — a serial, a GTIN and serial, a short address ``…/v/SERIAL``, or a label path
  without its signature: what the registry knows about that item, which proves nothing
  about the label in hand (printed text is easily copied; only the QR code's signature is
  proof);
* ``certificate`` — a certificate code (``C-1D1FG6Y``, ``c1d1fg6y``, ``1D1F G6Y``);
* ``unknown`` — none of these: a page that says what can be typed, never "forged".

Typed codes are read as Crockford base32 intends for people: any case, spaces and hyphens
ignored, ``O`` read as ``0`` and ``I``/``L`` as ``1`` (serials and certificate codes never
contain those letters).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from labeling.artwork.label import SHORT_PATH, short_address
from verify.gtin import GtinError, normalise_gtin
from verify.label_codec import (
    SERIAL_ALPHABET,
    SERIAL_MAX_LENGTH,
    LabelFormatError,
    parse_certificate_code,
    parse_label_uri,
)

__all__ = ["SHORT_PATH", "Typed", "normalise_serial", "read_typed", "short_address"]
#: A serial typed alone is 8 to 12 characters (the registry issues 10); shorter codes
#: are certificate codes (7) or not codes at all.
_MIN_TYPED_SERIAL: Final = 8
_ALIASES: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS: Final = re.compile(r"[\s\-\u2010-\u2015.]+")
#: Captions a person may type along with the codes (the label's own, in four languages).
_CAPTIONS: Final = re.compile(
    r"\b(?:GTIN|EAN|S[ÉE]RIE|SERIAL|SERIE|N°|NO|SN|S/N|الرقم التسلسلي)\b\s*:?", re.IGNORECASE
)
#: A GTIN (8 to 14 digits) then a serial, apart: ``0490000012347 7F3K2MQ9XB``,
#: ``(01)04900000123470(21)7F3K2MQ9XB``, ``04900000123470/7F3K2MQ9XB``.
_GTIN_AND_SERIAL: Final = re.compile(
    r"^(?:\(01\)|01\s+)?(\d{8,14})(?:\s*\(21\)\s*|\s*[\s/,;:|+]\s*(?:\(21\)|21\s+)?)"
    r"([0-9A-Za-z\-]{1,16})$"
)
_LABEL_PATH: Final = re.compile(r"/01/(\d{14})/21/([0-9A-Za-z]{1,12})/?$")

Kind = Literal["empty", "label", "item", "certificate", "unknown"]


@dataclass(frozen=True, slots=True)
class Typed:
    """What was typed, read: its ``kind`` and what it names.

    ``label`` holds the address to verify (with ``https://`` added if it was typed without
    it); ``serial`` (and ``gtin``, if typed) name an item; ``code`` a certificate.
    """

    kind: Kind
    label: str = ""
    serial: str = ""
    gtin: str | None = None
    code: int | None = None


def normalise_serial(text: str) -> str | None:
    """A typed serial in its printed form (upper case, ``O``→``0``, ``I``/``L``→``1``,
    spaces and hyphens dropped), or ``None`` if it cannot be one."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    compact = compact.translate(_ALIASES)
    if not 1 <= len(compact) <= SERIAL_MAX_LENGTH:
        return None
    if any(char not in SERIAL_ALPHABET for char in compact):
        return None
    return compact


def _label(text: str) -> Typed:
    address = text if "://" in text else "https://" + text
    try:
        parse_label_uri(address)
    except LabelFormatError as exc:
        path = _LABEL_PATH.search(address.split("?", 1)[0].split("#", 1)[0])
        if exc.code == "signature_missing" and path:
            # The label's path without its signature (typed from print, or a GS1 tool that
            # dropped the query): the item, not a forgery.
            item = _item(path.group(1), path.group(2))
            if item is not None:
                return item
    return Typed("label", label=address)


def _item(gtin_text: str | None, serial_text: str) -> Typed | None:
    serial = normalise_serial(serial_text)
    if serial is None:
        return None
    if gtin_text is None:
        return Typed("item", serial=serial)
    try:
        return Typed("item", serial=serial, gtin=normalise_gtin(gtin_text))
    except GtinError:
        return None


def read_typed(text: str) -> Typed:
    """Read what a person typed or pasted (see the module doc)."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        return Typed("empty")
    lowered = typed.lower()
    if "/01/" in typed:
        return _label(typed)
    if SHORT_PATH in lowered:
        serial = lowered.rsplit(SHORT_PATH, 1)[1].split("?", 1)[0].split("#", 1)[0]
        return _item(None, serial.strip("/")) or Typed("unknown")
    words = " ".join(_CAPTIONS.sub(" ", typed).split())
    pair = _GTIN_AND_SERIAL.match(words)
    if pair:
        return _item(pair.group(1), pair.group(2)) or Typed("unknown")
    compact = _SEPARATORS.sub("", words)
    try:
        return Typed("certificate", code=parse_certificate_code(compact))
    except LabelFormatError:
        pass
    if len(compact) >= _MIN_TYPED_SERIAL:
        return _item(None, compact) or Typed("unknown")
    return Typed("unknown")
