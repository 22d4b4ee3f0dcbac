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

This module is the public verification library: it is pure, never touches a private key
(signing is done by the caller, see :func:`issue_label_uri`), and does not import
``labeling``. It says how a label splits into QR segments (:func:`qr_segments`); drawing
the symbol is the registry's (``labeling/artwork/``).
"""

from __future__ import annotations

import re
import secrets
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Final, Literal, get_args

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.canonical import (
    LABEL_ALGORITHM_ED25519,
    LABEL_DOMAIN_PREFIX,
    LABEL_FORMAT_VERSION,
    gtin_check_digit,
    key_id,
    label_message,
    label_messages,
)
from verify.gtin import GtinError, normalise_gtin

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

# --------------------------------------------------------------------------- constants

#: Domain-separation prefix of every signed label claim (12 ASCII bytes).
DOMAIN_PREFIX: Final[bytes] = LABEL_DOMAIN_PREFIX
#: Label format version: the first digit of ``S`` and byte 12 of the signed message.
FORMAT_VERSION: Final[int] = LABEL_FORMAT_VERSION
#: Signature algorithm byte: 1 = Ed25519 (pure, RFC 8032).
ALGORITHM_ED25519: Final[int] = LABEL_ALGORITHM_ED25519

#: Name of the query parameter carrying version + payload.
SIGNATURE_PARAMETER: Final[str] = "S"
#: Payload bytes: kid (4) || issued_at (4) || certificate_code (4) || signature (64).
PAYLOAD_LENGTH: Final[int] = 76
#: Decimal digits of the zero-padded payload: ceil(608 * log10(2)) = 184.
PAYLOAD_DIGITS: Final[int] = len(str(2 ** (8 * PAYLOAD_LENGTH) - 1))
#: Length of the ``S`` value: the version digit plus the payload digits (185).
S_VALUE_LENGTH: Final[int] = 1 + PAYLOAD_DIGITS

#: Parsers reject longer input before looking at it.
MAX_URI_LENGTH: Final[int] = 512

#: Crockford base32 alphabet (upper case, without I, L, O, U).
SERIAL_ALPHABET: Final[str] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_MAX_LENGTH: Final[int] = 12
#: Length of the serials :func:`new_serial` generates (50 random bits).
NEW_SERIAL_LENGTH: Final[int] = 10

#: QR budget: version 7 at error correction M (version 9 at Q) holds the label when
#: len(host) + len(serial) <= 26, i.e. hosts of up to 16 characters with 10-char serials.
MAX_HOST_PLUS_SERIAL_LENGTH: Final[int] = 26
MAX_HOST_LENGTH: Final[int] = MAX_HOST_PLUS_SERIAL_LENGTH - NEW_SERIAL_LENGTH
#: Largest QR version a label may need, per error-correction level.
QR_MAX_VERSION: Final[Mapping[str, int]] = MappingProxyType({"m": 7, "q": 9})

_SIGNATURE_LENGTH: Final[int] = 64
_UINT32_MAX: Final[int] = 2**32 - 1
_PAYLOAD_LIMIT_BITS: Final[int] = 8 * PAYLOAD_LENGTH
_EPOCH: Final[datetime] = datetime(1970, 1, 1, tzinfo=UTC)
_MINUTE: Final[timedelta] = timedelta(minutes=1)
#: issued_at is a uint32 of minutes, but datetime stops at 9999-12-31T23:59.
_MAX_MINUTES: Final[int] = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _MINUTE

# Crockford base32 decoding for human input: case-insensitive, O -> 0, I/L -> 1.
_CROCKFORD_DECODE: Final[dict[str, int]] = {c: i for i, c in enumerate(SERIAL_ALPHABET)} | {
    "O": 0,
    "I": 1,
    "L": 1,
}
_CERT_PREFIX: Final[str] = "C-"
_CERT_CODE_CHARS: Final[int] = 7

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
_HOST_RE: Final = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)
_PATH_RE: Final = re.compile(r"/01/([^/]*)/21/([^/]*)")
_GTIN14_RE: Final = re.compile(r"[0-9]{14}")
_SERIAL_RE: Final = re.compile(r"[0-9A-HJKMNP-TV-Z]{1,12}")
_SERIAL_CHARS_RE: Final = re.compile(r"[0-9A-HJKMNP-TV-Z]*")
_SERIAL_LENGTHS: Final = frozenset(range(1, SERIAL_MAX_LENGTH + 1))
_KID_RE: Final = re.compile(r"[0-9a-f]{8}")
_S_DIGITS_RE: Final = re.compile(f"[0-9]{{{S_VALUE_LENGTH}}}")

# ------------------------------------------------------------------------------ errors

ReasonCode = Literal[
    "uri_too_long",
    "uri_malformed",
    "host_invalid",
    "path_invalid",
    "gtin_malformed",
    "gtin_check_digit",
    "serial_invalid",
    "signature_missing",
    "signature_duplicate",
    "signature_malformed",
    "version_unsupported",
    "issued_at_invalid",
    "kid_invalid",
    "certificate_code_invalid",
    "label_too_large",
    "uri_not_canonical",
    "signature_invalid",
]

#: Every reason code this module can raise (all are listed in the spec). They are the
#: ``signature`` check's parse failures; the reason codes of the other checks, the
#: ``copy_evidence`` check's (``verify.verdict.COPY_EVIDENCE_REASONS``) among them, are in
#: ``verify.verdict.REASONS`` and docs/verification.md §3.
REASON_CODES: Final[frozenset[str]] = frozenset(get_args(ReasonCode))


class LabelError(Exception):
    """Base class of label errors; ``code`` is a stable machine-readable reason."""

    code: ReasonCode
    message: str

    def __init__(self, code: ReasonCode, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class LabelFormatError(LabelError, ValueError):
    """The text is not a well-formed label URI, or encoder input is invalid."""


class LabelSignatureError(LabelError):
    """The label is well formed but its signature does not verify under the given key."""


# ------------------------------------------------------------------------------ tokens


def _minutes(instant: datetime) -> int:
    """Whole minutes since the Unix epoch (floored); ``instant`` must be timezone-aware."""
    if not isinstance(instant, datetime) or instant.utcoffset() is None:
        raise LabelFormatError("issued_at_invalid", "issued_at must be a timezone-aware datetime")
    minutes = (instant - _EPOCH) // _MINUTE
    if not 0 <= minutes <= _MAX_MINUTES:
        raise LabelFormatError("issued_at_invalid", "issued_at is out of range")
    return minutes


@dataclass(frozen=True, slots=True)
class LabelToken:
    """A parsed label. Obtain one from :func:`parse_label_uri`; it is not yet verified.

    ``host`` is upper case; ``kid`` is 8 lower-case hex digits; ``issued_at`` is UTC with
    minute precision; ``signature`` is the 64-byte Ed25519 signature.
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
                minutes=(self.issued_at - _EPOCH) // _MINUTE,
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


# ----------------------------------------------------------------------------- helpers


def new_serial() -> str:
    """A fresh random serial: 10 Crockford base32 characters (50 bits) from ``secrets``."""
    return "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(NEW_SERIAL_LENGTH))


def new_certificate_code() -> int:
    """A fresh random certificate code (uniform uint32) from ``secrets``."""
    return secrets.randbits(32)


def format_certificate_code(code: int) -> str:
    """Human form of a certificate code: ``C-`` + 7 Crockford base32 characters."""
    _check_certificate_code(code)
    chars = []
    for _ in range(_CERT_CODE_CHARS):
        code, digit = divmod(code, 32)
        chars.append(SERIAL_ALPHABET[digit])
    return _CERT_PREFIX + "".join(reversed(chars))


def parse_certificate_code(text: str) -> int:
    """Parse the human form of a certificate code back to its uint32.

    Lenient as Crockford base32 intends for typed input: case-insensitive, hyphens and
    spaces ignored, ``O`` read as 0 and ``I``/``L`` as 1, the ``C-`` prefix optional.
    """
    if not isinstance(text, str):
        raise LabelFormatError("certificate_code_invalid", "certificate code must be a string")
    compact = text.strip().upper().replace("-", "").replace(" ", "")
    if len(compact) == _CERT_CODE_CHARS + 1 and compact[0] == "C":
        compact = compact[1:]
    if len(compact) != _CERT_CODE_CHARS:
        raise LabelFormatError("certificate_code_invalid", "certificate code has 7 characters")
    value = 0
    for char in compact:
        digit = _CROCKFORD_DECODE.get(char)
        if digit is None:
            raise LabelFormatError("certificate_code_invalid", "not a Crockford base32 character")
        value = value * 32 + digit
    if value > _UINT32_MAX:
        raise LabelFormatError("certificate_code_invalid", "certificate code exceeds 32 bits")
    return value


def _check_certificate_code(code: int) -> None:
    if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= _UINT32_MAX:
        raise LabelFormatError("certificate_code_invalid", "certificate code must be a uint32")


def _check_gtin(gtin: str) -> str:
    if not isinstance(gtin, str) or not (gtin.isascii() and gtin.isdigit()):
        raise LabelFormatError("gtin_malformed", "GTIN must be ASCII digits")
    try:
        return normalise_gtin(gtin)
    except GtinError:
        if len(gtin) in (8, 12, 13, 14):
            raise LabelFormatError("gtin_check_digit", "GTIN check digit is wrong") from None
        raise LabelFormatError("gtin_malformed", "GTIN must have 8, 12, 13 or 14 digits") from None


def _check_serial(serial: str) -> None:
    if not isinstance(serial, str) or _SERIAL_RE.fullmatch(serial) is None:
        raise LabelFormatError(
            "serial_invalid", "serial must be 1 to 12 upper-case Crockford base32 characters"
        )


def _check_serials(serials: Sequence[str]) -> None:
    """:func:`_check_serial` for a whole batch, at C speed: every character at once, then
    the set of lengths."""
    try:
        valid = _SERIAL_CHARS_RE.fullmatch("".join(serials)) is not None
        valid = valid and set(map(len, serials)) <= _SERIAL_LENGTHS
    except TypeError:  # a serial that is not a string
        valid = False
    if not valid:
        raise LabelFormatError(
            "serial_invalid", "serials must be 1 to 12 upper-case Crockford base32 characters"
        )


def _check_kid(kid: str) -> None:
    if not isinstance(kid, str) or _KID_RE.fullmatch(kid) is None:
        raise LabelFormatError("kid_invalid", "kid must be 8 lower-case hex digits")


def _check_host(host: str) -> str:
    if not isinstance(host, str) or not host.isascii() or len(host) > 253:
        raise LabelFormatError("host_invalid", "host must be an ASCII DNS name")
    if _HOST_RE.fullmatch(host) is None:
        raise LabelFormatError("host_invalid", "host must be a DNS name without port")
    return host.upper()


# --------------------------------------------------------------------------- encoding


def claim_bytes(
    *, gtin: str, serial: str, kid: str, issued_at: datetime, certificate_code: int
) -> bytes:
    """The bytes the registry signs for a label (spec section "Signed message").

    ``gtin`` may be a GTIN-8/12/13/14 (it is normalised to 14 digits); ``issued_at`` must
    be timezone-aware and is floored to the minute. Raises :class:`LabelFormatError`.
    """
    gtin14 = _check_gtin(gtin)
    _check_serial(serial)
    _check_kid(kid)
    _check_certificate_code(certificate_code)
    return label_message(
        gtin14=gtin14,
        serial=serial,
        kid=kid,
        minutes=_minutes(issued_at),
        certificate_code=certificate_code,
    )


def batch_claim_bytes(
    *, gtin: str, serials: Sequence[str], kid: str, issued_at: datetime, certificate_code: int
) -> list[bytes]:
    """:func:`claim_bytes` for every serial of one batch (the other fields are shared and
    checked once). Raises :class:`LabelFormatError` as :func:`claim_bytes` does."""
    gtin14 = _check_gtin(gtin)
    _check_kid(kid)
    _check_certificate_code(certificate_code)
    minutes = _minutes(issued_at)
    _check_serials(serials)
    return label_messages(
        gtin14=gtin14,
        serials=serials,
        kid=kid,
        minutes=minutes,
        certificate_code=certificate_code,
    )


def encode_label_uri(
    *,
    host: str,
    gtin: str,
    serial: str,
    kid: str,
    issued_at: datetime,
    certificate_code: int,
    signature: bytes,
) -> str:
    """Build the canonical label URI from a claim and its 64-byte signature.

    Raises :class:`LabelFormatError` on invalid input, and with ``label_too_large`` when
    ``len(host) + len(serial)`` exceeds 26, the most that fits QR version 7-M.
    """
    host_upper = _check_host(host)
    gtin14 = _check_gtin(gtin)
    _check_serial(serial)
    _check_kid(kid)
    _check_certificate_code(certificate_code)
    minutes = _minutes(issued_at)
    if not isinstance(signature, bytes) or len(signature) != _SIGNATURE_LENGTH:
        raise LabelFormatError("signature_malformed", "signature must be 64 bytes")
    if len(host_upper) + len(serial) > MAX_HOST_PLUS_SERIAL_LENGTH:
        raise LabelFormatError(
            "label_too_large",
            f"len(host) + len(serial) must be at most {MAX_HOST_PLUS_SERIAL_LENGTH} "
            "to fit QR version 7-M",
        )
    payload = b"".join(
        (
            bytes.fromhex(kid),
            minutes.to_bytes(4, "big"),
            certificate_code.to_bytes(4, "big"),
            signature,
        )
    )
    digits = str(int.from_bytes(payload, "big")).rjust(PAYLOAD_DIGITS, "0")
    return (
        f"HTTPS://{host_upper}/01/{gtin14}/21/{serial}"
        f"?{SIGNATURE_PARAMETER}={FORMAT_VERSION}{digits}"
    )


def issue_label_uri(
    *,
    host: str,
    gtin: str,
    serial: str,
    kid: str,
    issued_at: datetime,
    certificate_code: int,
    sign: Callable[[bytes], bytes],
) -> str:
    """:func:`claim_bytes`, then ``sign`` (the registry's Ed25519 signer), then encode.

    The private key stays behind ``sign``; this module never sees it.
    """
    _check_host(host)  # fail before asking the signer for a signature
    message = claim_bytes(
        gtin=gtin,
        serial=serial,
        kid=kid,
        issued_at=issued_at,
        certificate_code=certificate_code,
    )
    return encode_label_uri(
        host=host,
        gtin=gtin,
        serial=serial,
        kid=kid,
        issued_at=issued_at,
        certificate_code=certificate_code,
        signature=sign(message),
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
    if _GTIN14_RE.fullmatch(gtin) is None:
        raise LabelFormatError("gtin_malformed", "GTIN must be exactly 14 digits")
    if not _gtin14_is_valid(gtin):
        raise LabelFormatError("gtin_check_digit", "GTIN check digit is wrong")
    if _SERIAL_RE.fullmatch(serial) is None:
        raise LabelFormatError(
            "serial_invalid", "serial must be 1 to 12 upper-case Crockford base32 characters"
        )
    value = _signature_value(query)
    if not value or not value[0].isdigit():
        raise LabelFormatError("signature_malformed", "S must start with a version digit")
    if value[0] != "1":
        raise LabelFormatError("version_unsupported", f"label format version {value[0]}")
    if _S_DIGITS_RE.fullmatch(value) is None:
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
    if len(host) > 253 or _HOST_RE.fullmatch(host) is None:
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
