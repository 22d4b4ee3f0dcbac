"""Khatem label claim codec: the signed GS1 Digital Link URI printed in a label's QR code.

A label URI looks like (one line)::

    HTTPS://KHATEM.MA/01/06111234567895/21/7F3K2MQ9XB?S=1<184 digits>

The path is a GS1 Digital Link (AI 01 = GTIN-14, AI 21 = serial), so shop tills read the
GTIN and serial; the ``S`` query parameter (ignored by GS1 parsers) carries the format
version digit and a 76-byte payload ``kid || issued_at || certificate_code || signature``
as one fixed-width decimal number, so it packs into QR numeric mode. The Ed25519
signature covers :meth:`LabelToken.signed_bytes`, a fixed binary layout rebuilt from the
URI alone (laid out by :func:`verify.canonical.label_message`, the one place that writes
it); the host is deliberately not signed. ``docs/label-format.md`` is the normative
specification; this module implements it.

This module reads a label: :func:`parse_label_uri` turns text into a :class:`LabelToken`,
checked in the order of docs/label-format.md section 9. The rest of the reference
implementation sits beside it, and every name of it is exported here too: the fields'
constants, rules, reason codes and errors in :mod:`verify.label_format`, writing a label
(claim bytes, URI, :func:`issue_label_uri` with the caller's signer) in
:mod:`verify.label_encoding`. It says how a label splits into QR segments
(:func:`qr_segments`); drawing the symbol is the registry's (``labeling/artwork/``). Pure,
never touches a private key, does not import ``labeling``.
"""

from __future__ import annotations

import re
import struct
from datetime import datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from typing import Final, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.canonical import gtin_check_digit, key_id, label_message
from verify.label_encoding import (
    batch_claim_bytes,
    claim_bytes,
    encode_label_uri,
    issue_label_uri,
)
from verify.label_format import (
    ALGORITHM_ED25519,
    DOMAIN_PREFIX,
    EPOCH,
    FORMAT_VERSION,
    HOST_RE,
    MAX_HOST_LENGTH,
    MAX_HOST_PLUS_SERIAL_LENGTH,
    MAX_MINUTES,
    MAX_URI_LENGTH,
    MINUTE,
    NEW_SERIAL_LENGTH,
    PAYLOAD_DIGITS,
    PAYLOAD_LENGTH,
    QR_MAX_VERSION,
    REASON_CODES,
    S_VALUE_LENGTH,
    SERIAL_ALPHABET,
    SERIAL_MAX_LENGTH,
    SERIAL_RE,
    SIGNATURE_PARAMETER,
    LabelError,
    LabelFormatError,
    LabelSignatureError,
    ReasonCode,
    format_certificate_code,
    new_certificate_code,
    new_serial,
    parse_certificate_code,
)

__all__ = [
    "ALGORITHM_ED25519",
    "DOMAIN_PREFIX",
    "FORMAT_VERSION",
    "MAX_HOST_LENGTH",
    "MAX_HOST_PLUS_SERIAL_LENGTH",
    "MAX_URI_LENGTH",
    "NEW_SERIAL_LENGTH",
    "PAYLOAD_DIGITS",
    "PAYLOAD_LENGTH",
    "QR_MAX_VERSION",
    "REASON_CODES",
    "SERIAL_ALPHABET",
    "SERIAL_MAX_LENGTH",
    "SIGNATURE_PARAMETER",
    "S_VALUE_LENGTH",
    "LabelError",
    "LabelFormatError",
    "LabelSignatureError",
    "LabelToken",
    "QrMode",
    "ReasonCode",
    "batch_claim_bytes",
    "claim_bytes",
    "encode_label_uri",
    "format_certificate_code",
    "issue_label_uri",
    "key_id",
    "new_certificate_code",
    "new_serial",
    "parse_certificate_code",
    "parse_label_uri",
    "qr_segments",
    "verify_label_signature",
]

#: The payload's layout: kid (4 bytes), issued_at and certificate_code (uint32, big-endian),
#: the signature (64 bytes).
_PAYLOAD: Final = struct.Struct(">4sII64s")
_PAYLOAD_LIMIT_BITS: Final[int] = 8 * PAYLOAD_LENGTH

# A label URI: ``https://`` (any case), then host, path, query and fragment made of RFC 3986
# characters (unreserved, reserved and "%") except "[" and "]", which only IP literals use
# (and those are not label hosts). Whatever does not match is malformed.
_URI_RE: Final = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]://"
    r"([A-Za-z0-9\-._~:@!$&'()*+,;=%]*)"  # host: no "/", "?" or "#"
    r"([A-Za-z0-9\-._~:/@!$&'()*+,;=%]*)"  # path: no "?" or "#"
    r"(?:\?([A-Za-z0-9\-._~:/?@!$&'()*+,;=%]*))?"  # query: no "#"
    r"(#[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*)?"  # fragment
)
_BAD_PERCENT_RE: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_RE: Final = re.compile(r"/01/([^/]*)/21/([^/]*)")

# ------------------------------------------------------------------------------ tokens


class LabelToken(NamedTuple):
    """A parsed label. Obtain one from :func:`parse_label_uri`; it is not yet verified.

    ``host`` is upper case; ``kid`` is 8 lower-case hex digits; ``issued_at`` is UTC with
    minute precision; ``signature`` is the 64-byte Ed25519 signature.

    An immutable named tuple (``token._replace(serial=...)`` makes a changed copy): every
    scan makes one, and a tuple is made in a quarter of the time of a frozen dataclass
    (0.3 against 1.1 us, some 0.01 of bench/verify_offline.py's ratio).
    """

    host: str
    gtin: str
    serial: str
    version: int
    kid: str
    issued_at: datetime
    certificate_code: int
    signature: bytes

    def signed_bytes(self) -> bytes:
        """The canonical message the registry signed (spec section "Signed message").

        Fields of a token from :func:`parse_label_uri` are valid by construction; for a
        hand-built token with invalid fields this raises :class:`LabelFormatError`.
        """
        if self.version != FORMAT_VERSION:
            raise LabelFormatError("version_unsupported", f"unsupported version {self.version}")
        try:
            # _minutes() inlined (once per scan): a naive or non-datetime value raises
            # TypeError and an out-of-range one struct.error, both of which take the slow
            # path below and its precise reason code.
            return label_message(
                gtin14=self.gtin,
                serial=self.serial,
                kid=self.kid,
                minutes=(self.issued_at - EPOCH) // MINUTE,
                certificate_code=self.certificate_code,
            )
        except (AttributeError, TypeError, ValueError, struct.error):
            pass
        # Slow path, only for invalid hand-built tokens: raises the precise reason code.
        return claim_bytes(
            gtin=self.gtin,
            serial=self.serial,
            kid=self.kid,
            issued_at=self.issued_at,
            certificate_code=self.certificate_code,
        )

    @property
    def certificate_code_text(self) -> str:
        """Human form of the certificate code, e.g. ``C-1Z8K3QD``."""
        return format_certificate_code(self.certificate_code)

    def to_uri(self) -> str:
        """The canonical label URI for this token (upper-case host, only ``S``)."""
        return encode_label_uri(
            host=self.host,
            gtin=self.gtin,
            serial=self.serial,
            kid=self.kid,
            issued_at=self.issued_at,
            certificate_code=self.certificate_code,
            signature=self.signature,
        )


# ---------------------------------------------------------------------------- parsing


def parse_label_uri(text: str) -> LabelToken:
    """Parse a label URI strictly. Raises only :class:`LabelFormatError` (never anything else).

    The scheme and host are case-insensitive; everything else is case-sensitive. Query
    parameters other than ``S`` are ignored; ``S`` must occur exactly once. The checks run
    in the order of docs/label-format.md §9, so the first failure names the reason.
    """
    if not isinstance(text, str):
        raise LabelFormatError("uri_malformed", "label URI must be a string")
    if len(text) > MAX_URI_LENGTH:
        raise LabelFormatError("uri_too_long", f"label URI exceeds {MAX_URI_LENGTH} characters")
    parts = _URI_RE.fullmatch(text)
    if parts is None:
        raise LabelFormatError("uri_malformed", "not an https URI made of URI characters")
    host, path, query, fragment = parts.groups()
    if fragment is not None:
        raise LabelFormatError("uri_malformed", "label URI must not have a fragment")
    if "%" in text and _BAD_PERCENT_RE.search(text) is not None:
        raise LabelFormatError("uri_malformed", "label URI has an invalid percent-encoding")
    host_upper = _label_host(host)
    if host_upper is None:
        raise LabelFormatError("host_invalid", "host must be a DNS name without port")
    path_match = _PATH_RE.fullmatch(path)
    if path_match is None:
        raise LabelFormatError("path_invalid", "path must be /01/{GTIN-14}/21/{serial}")
    gtin, serial = path_match.groups()
    # The URI characters are ASCII (checked above), so isdigit() means [0-9] here.
    if len(gtin) != 14 or not gtin.isdigit():
        raise LabelFormatError("gtin_malformed", "GTIN must be exactly 14 digits")
    if not _gtin14_is_valid(gtin):
        raise LabelFormatError("gtin_check_digit", "GTIN check digit is wrong")
    if SERIAL_RE.fullmatch(serial) is None:
        raise LabelFormatError(
            "serial_invalid", "serial must be 1 to 12 upper-case Crockford base32 characters"
        )
    value = _signature_value(query)
    if not value or not value[0].isdigit():
        raise LabelFormatError("signature_malformed", "S must start with a version digit")
    if value[0] != "1":
        raise LabelFormatError("version_unsupported", f"label format version {value[0]}")
    # ASCII (a URI character) and a C loop over bytes: a third of the regular expression's cost.
    if len(value) != S_VALUE_LENGTH or not value.encode("ascii").isdigit():
        raise LabelFormatError("signature_malformed", f"S must be {S_VALUE_LENGTH} digits")
    return _token(host_upper, gtin, serial, value[1:])


def _signature_value(query: str | None) -> str:
    """The value of the one ``S`` parameter of ``query``."""
    value: str | None = None
    for parameter in query.split("&") if query is not None else ():
        name, _, candidate = parameter.partition("=")
        if name == SIGNATURE_PARAMETER:
            if value is not None:
                raise LabelFormatError("signature_duplicate", "the S parameter occurs twice")
            value = candidate
    if value is None:
        raise LabelFormatError("signature_missing", "the S parameter is missing")
    return value


# ------------------------------------------------------------------------- memoised
# A registry prints labels under a handful of hosts and a few thousand GTINs (one per
# product line), and every scan of a label checks both again: the two answers below are
# pure functions of the text, remembered by value (functools.lru_cache, bounded, so junk
# input cannot grow them). This is the parser's only speed device; it buys
# bench/verify_offline.py about 0.02 of its ratio (the host regex and the GTIN check
# digit are a tenth of a parse) and changes no answer (tests/unit/test_label_codec.py runs
# the parser against the former one over arbitrary and mutated text).


@lru_cache(maxsize=64)
def _label_host(host: str) -> str | None:
    """``host`` in upper case if it is a DNS name without port, else ``None``."""
    if len(host) > 253 or HOST_RE.fullmatch(host) is None:
        return None
    return host.upper()


@lru_cache(maxsize=4096)
def _gtin14_is_valid(gtin: str) -> bool:
    """Whether the 14 ASCII digits ``gtin`` end in their check digit."""
    return gtin_check_digit(gtin[:13]) == ord(gtin[13]) - 48


def _token(host_upper: str, gtin: str, serial: str, digits: str) -> LabelToken:
    """Decode the 184 payload digits (already checked to be ASCII digits) into a token."""
    number = int(digits)
    if number >> _PAYLOAD_LIMIT_BITS:
        raise LabelFormatError("signature_malformed", "S payload exceeds 76 bytes")
    kid, minutes, certificate_code, signature = _PAYLOAD.unpack(
        number.to_bytes(PAYLOAD_LENGTH, "big")
    )
    if minutes > MAX_MINUTES:
        raise LabelFormatError("issued_at_invalid", "issued_at is beyond 9999-12-31T23:59Z")
    return LabelToken(
        host_upper,
        gtin,
        serial,
        FORMAT_VERSION,
        kid.hex(),
        EPOCH + timedelta(0, minutes * 60),
        certificate_code,
        signature,
    )


# ------------------------------------------------------------------------ verification


def verify_label_signature(token: LabelToken, public_key: Ed25519PublicKey) -> None:
    """Check the token's Ed25519 signature; raise :class:`LabelSignatureError` if bad.

    The caller selects ``public_key`` from the trust list by ``token.kid`` and applies
    the trust list's validity rules (spec section "Verification procedure").
    """
    try:
        public_key.verify(token.signature, token.signed_bytes())
    except InvalidSignature:
        raise LabelSignatureError(
            "signature_invalid", "the signature does not verify under this key"
        ) from None


# ---------------------------------------------------------------------------------- QR


class QrMode(IntEnum):
    """QR segment modes; the values are the ISO/IEC 18004 mode indicators (as in segno)."""

    NUMERIC = 0x1
    ALPHANUMERIC = 0x2
    BYTE = 0x4


def qr_segments(uri: str) -> list[tuple[str, int]]:
    """Split a canonical label URI into QR segments: alphanumeric, byte ``?S=``, numeric.

    Raises :class:`LabelFormatError` (``uri_not_canonical``) unless ``uri`` is exactly
    what :func:`encode_label_uri` produces.
    """
    if parse_label_uri(uri).to_uri() != uri:
        raise LabelFormatError("uri_not_canonical", "QR segments need the canonical label URI")
    cut = uri.index("?")
    return [
        (uri[:cut], int(QrMode.ALPHANUMERIC)),
        (uri[cut : cut + 3], int(QrMode.BYTE)),
        (uri[cut + 3 :], int(QrMode.NUMERIC)),
    ]
