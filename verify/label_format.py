"""A label's fields and their rules: the format's constants, its reason codes and errors,
the checks each field of a claim must pass, serials and certificate codes.

``docs/label-format.md`` is the normative specification. The parser that reads a label
(:mod:`verify.label_codec`) and the encoder that writes one (:mod:`verify.label_encoding`)
both build on this module; the bytes themselves are laid out in :mod:`verify.canonical`.
Pure: no I/O, no private key, nothing of ``labeling``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Final, Literal, get_args

from verify.canonical import LABEL_ALGORITHM_ED25519, LABEL_DOMAIN_PREFIX, LABEL_FORMAT_VERSION
from verify.gtin import GtinError, normalise_gtin

__all__ = [
    "ALGORITHM_ED25519",
    "DOMAIN_PREFIX",
    "EPOCH",
    "FORMAT_VERSION",
    "HOST_RE",
    "MAX_HOST_LENGTH",
    "MAX_HOST_PLUS_SERIAL_LENGTH",
    "MAX_MINUTES",
    "MAX_URI_LENGTH",
    "MINUTE",
    "NEW_SERIAL_LENGTH",
    "PAYLOAD_DIGITS",
    "PAYLOAD_LENGTH",
    "QR_MAX_VERSION",
    "REASON_CODES",
    "SERIAL_ALPHABET",
    "SERIAL_MAX_LENGTH",
    "SERIAL_RE",
    "SIGNATURE_LENGTH",
    "SIGNATURE_PARAMETER",
    "S_VALUE_LENGTH",
    "LabelError",
    "LabelFormatError",
    "LabelSignatureError",
    "ReasonCode",
    "check_certificate_code",
    "check_gtin",
    "check_host",
    "check_kid",
    "check_serial",
    "check_serials",
    "format_certificate_code",
    "minutes_since_epoch",
    "new_certificate_code",
    "new_serial",
    "parse_certificate_code",
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

#: Bytes of an Ed25519 signature.
SIGNATURE_LENGTH: Final[int] = 64
_UINT32_MAX: Final[int] = 2**32 - 1
#: Issue times count whole minutes since the Unix epoch (UTC).
EPOCH: Final[datetime] = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE: Final[timedelta] = timedelta(minutes=1)
#: issued_at is a uint32 of minutes, but datetime stops at 9999-12-31T23:59.
MAX_MINUTES: Final[int] = (datetime.max.replace(tzinfo=UTC) - EPOCH) // MINUTE

# Crockford base32 decoding for human input: case-insensitive, O -> 0, I/L -> 1.
_CROCKFORD_DECODE: Final[dict[str, int]] = {c: i for i, c in enumerate(SERIAL_ALPHABET)} | {
    "O": 0,
    "I": 1,
    "L": 1,
}
_CERT_PREFIX: Final[str] = "C-"
_CERT_CODE_CHARS: Final[int] = 7

#: A DNS name without port (a label's host).
HOST_RE: Final = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)
#: A serial: 1 to 12 upper-case Crockford base32 characters.
SERIAL_RE: Final = re.compile(r"[0-9A-HJKMNP-TV-Z]{1,12}")
_SERIAL_CHARS_RE: Final = re.compile(r"[0-9A-HJKMNP-TV-Z]*")
_SERIAL_LENGTHS: Final = frozenset(range(1, SERIAL_MAX_LENGTH + 1))
_KID_RE: Final = re.compile(r"[0-9a-f]{8}")

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
#: ``copy_evidence`` check's (``verify.decision.COPY_EVIDENCE_REASONS``) among them, are in
#: ``verify.decision.REASONS`` and docs/verification.md §3.
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


# ------------------------------------------------------------------------------ fields


def minutes_since_epoch(instant: datetime) -> int:
    """Whole minutes since the Unix epoch (floored); ``instant`` must be timezone-aware."""
    if not isinstance(instant, datetime) or instant.utcoffset() is None:
        raise LabelFormatError("issued_at_invalid", "issued_at must be a timezone-aware datetime")
    minutes = (instant - EPOCH) // MINUTE
    if not 0 <= minutes <= MAX_MINUTES:
        raise LabelFormatError("issued_at_invalid", "issued_at is out of range")
    return minutes


def check_certificate_code(code: int) -> None:
    if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= _UINT32_MAX:
        raise LabelFormatError("certificate_code_invalid", "certificate code must be a uint32")


def check_gtin(gtin: str) -> str:
    if not isinstance(gtin, str) or not (gtin.isascii() and gtin.isdigit()):
        raise LabelFormatError("gtin_malformed", "GTIN must be ASCII digits")
    try:
        return normalise_gtin(gtin)
    except GtinError:
        if len(gtin) in (8, 12, 13, 14):
            raise LabelFormatError("gtin_check_digit", "GTIN check digit is wrong") from None
        raise LabelFormatError("gtin_malformed", "GTIN must have 8, 12, 13 or 14 digits") from None


def check_serial(serial: str) -> None:
    if not isinstance(serial, str) or SERIAL_RE.fullmatch(serial) is None:
        raise LabelFormatError(
            "serial_invalid", "serial must be 1 to 12 upper-case Crockford base32 characters"
        )


def check_serials(serials: Sequence[str]) -> None:
    """:func:`check_serial` for a whole batch, at C speed: every character at once, then
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


def check_kid(kid: str) -> None:
    if not isinstance(kid, str) or _KID_RE.fullmatch(kid) is None:
        raise LabelFormatError("kid_invalid", "kid must be 8 lower-case hex digits")


def check_host(host: str) -> str:
    if not isinstance(host, str) or not host.isascii() or len(host) > 253:
        raise LabelFormatError("host_invalid", "host must be an ASCII DNS name")
    if HOST_RE.fullmatch(host) is None:
        raise LabelFormatError("host_invalid", "host must be a DNS name without port")
    return host.upper()


# ------------------------------------------------------- serials and certificate codes


def new_serial() -> str:
    """A fresh random serial: 10 Crockford base32 characters (50 bits) from ``secrets``."""
    return "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(NEW_SERIAL_LENGTH))


def new_certificate_code() -> int:
    """A fresh random certificate code (uniform uint32) from ``secrets``."""
    return secrets.randbits(32)


def format_certificate_code(code: int) -> str:
    """Human form of a certificate code: ``C-`` + 7 Crockford base32 characters."""
    check_certificate_code(code)
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
