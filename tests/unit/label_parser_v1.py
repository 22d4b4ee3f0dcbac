"""The label URI parser as it was before issue 12 folded its fast path into one parser:
the diagnostic parser of ``verify/label_codec.py`` at commit ecb99f3, copied here unchanged
but for its caches, as the oracle the one parser must agree with (``test_label_codec.py``:
the same token, or the same reason code, for every text)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Final

from verify.canonical import gtin_check_digit
from verify.label_codec import (
    FORMAT_VERSION,
    MAX_URI_LENGTH,
    PAYLOAD_LENGTH,
    S_VALUE_LENGTH,
    SIGNATURE_PARAMETER,
    LabelFormatError,
    LabelToken,
)

__all__ = ["parse_v1"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_MINUTES: Final = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // timedelta(minutes=1)
_URI_CHARS_RE: Final = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*")
_BAD_PERCENT_RE: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URI_PARTS_RE: Final = re.compile(r"[Hh][Tt][Tt][Pp][Ss]://([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?")
_HOST_RE: Final = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)
_PATH_RE: Final = re.compile(r"/01/([^/]*)/21/([^/]*)")
_SERIAL_RE: Final = re.compile(r"[0-9A-HJKMNP-TV-Z]{1,12}")


def _host_upper(host: str) -> str | None:
    if len(host) > 253 or _HOST_RE.fullmatch(host) is None:
        return None
    return host.upper()


def parse_v1(text: object) -> LabelToken:  # noqa: C901 - the old parser, as it was
    if not isinstance(text, str):
        raise LabelFormatError("uri_malformed", "label URI must be a string")
    if len(text) > MAX_URI_LENGTH:
        raise LabelFormatError("uri_too_long", f"label URI exceeds {MAX_URI_LENGTH} characters")
    if not text.isascii() or _URI_CHARS_RE.fullmatch(text) is None:
        raise LabelFormatError("uri_malformed", "label URI has characters not allowed in a URI")
    if "%" in text and _BAD_PERCENT_RE.search(text) is not None:
        raise LabelFormatError("uri_malformed", "label URI has an invalid percent-encoding")
    parts = _URI_PARTS_RE.fullmatch(text)
    if parts is None:
        raise LabelFormatError("uri_malformed", "label URI must start with https://")
    host, path, query, fragment = parts.groups()
    if fragment is not None:
        raise LabelFormatError("uri_malformed", "label URI must not have a fragment")
    host_upper = _host_upper(host)
    if host_upper is None:
        raise LabelFormatError("host_invalid", "host must be a DNS name without port")
    path_match = _PATH_RE.fullmatch(path)
    if path_match is None:
        raise LabelFormatError("path_invalid", "path must be /01/{GTIN-14}/21/{serial}")
    gtin, serial = path_match.groups()
    if len(gtin) != 14 or not gtin.isdigit():
        raise LabelFormatError("gtin_malformed", "GTIN must be exactly 14 digits")
    if gtin_check_digit(gtin[:13]) != ord(gtin[13]) - 48:
        raise LabelFormatError("gtin_check_digit", "GTIN check digit is wrong")
    if _SERIAL_RE.fullmatch(serial) is None:
        raise LabelFormatError(
            "serial_invalid", "serial must be 1 to 12 upper-case Crockford base32 characters"
        )
    if query is None:
        raise LabelFormatError("signature_missing", "the S parameter is missing")
    value: str | None = None
    for parameter in query.split("&"):
        name, _, candidate = parameter.partition("=")
        if name == SIGNATURE_PARAMETER:
            if value is not None:
                raise LabelFormatError("signature_duplicate", "the S parameter occurs twice")
            value = candidate
    if value is None:
        raise LabelFormatError("signature_missing", "the S parameter is missing")
    if not value or not value[0].isdigit():
        raise LabelFormatError("signature_malformed", "S must start with a version digit")
    if value[0] != "1":
        raise LabelFormatError("version_unsupported", f"label format version {value[0]}")
    if len(value) != S_VALUE_LENGTH or not value.isdigit():
        raise LabelFormatError("signature_malformed", f"S must be {S_VALUE_LENGTH} digits")
    number = int(value[1:])
    if number >> (8 * PAYLOAD_LENGTH):
        raise LabelFormatError("signature_malformed", "S payload exceeds 76 bytes")
    payload = number.to_bytes(PAYLOAD_LENGTH, "big")
    minutes = int.from_bytes(payload[4:8], "big")
    if minutes > _MAX_MINUTES:
        raise LabelFormatError("issued_at_invalid", "issued_at is beyond 9999-12-31T23:59Z")
    return LabelToken(
        host=host_upper,
        gtin=gtin,
        serial=serial,
        version=FORMAT_VERSION,
        kid=payload[:4].hex(),
        issued_at=_EPOCH + timedelta(0, minutes * 60),
        certificate_code=int.from_bytes(payload[8:12], "big"),
        signature=payload[12:],
    )
