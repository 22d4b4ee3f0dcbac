"""Writing a label: the claim's signed bytes, the label URI, and both with a signer.

The registry's issuance builds every label with these (``labeling/labels/issuance.py``);
the reader is :func:`verify.label_codec.parse_label_uri`, and ``LabelToken.to_uri`` comes
back here. The signature itself is the caller's: :func:`issue_label_uri` takes a ``sign``
callback, so this module never sees a private key (docs/label-format.md sections 3.1 and 5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from verify.canonical import label_message, label_messages
from verify.label_format import (
    FORMAT_VERSION,
    MAX_HOST_PLUS_SERIAL_LENGTH,
    PAYLOAD_DIGITS,
    SIGNATURE_LENGTH,
    SIGNATURE_PARAMETER,
    LabelFormatError,
    check_certificate_code,
    check_gtin,
    check_host,
    check_kid,
    check_serial,
    check_serials,
    minutes_since_epoch,
)

__all__ = ["batch_claim_bytes", "claim_bytes", "encode_label_uri", "issue_label_uri"]


def claim_bytes(
    *, gtin: str, serial: str, kid: str, issued_at: datetime, certificate_code: int
) -> bytes:
    """The bytes the registry signs for a label (spec section "Signed message").

    ``gtin`` may be a GTIN-8/12/13/14 (it is normalised to 14 digits); ``issued_at`` must
    be timezone-aware and is floored to the minute. Raises :class:`LabelFormatError`.
    """
    gtin14 = check_gtin(gtin)
    check_serial(serial)
    check_kid(kid)
    check_certificate_code(certificate_code)
    return label_message(
        gtin14=gtin14,
        serial=serial,
        kid=kid,
        minutes=minutes_since_epoch(issued_at),
        certificate_code=certificate_code,
    )


def batch_claim_bytes(
    *, gtin: str, serials: Sequence[str], kid: str, issued_at: datetime, certificate_code: int
) -> list[bytes]:
    """:func:`claim_bytes` for every serial of one batch (the other fields are shared and
    checked once). Raises :class:`LabelFormatError` as :func:`claim_bytes` does."""
    gtin14 = check_gtin(gtin)
    check_kid(kid)
    check_certificate_code(certificate_code)
    minutes = minutes_since_epoch(issued_at)
    check_serials(serials)
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
    host_upper = check_host(host)
    gtin14 = check_gtin(gtin)
    check_serial(serial)
    check_kid(kid)
    check_certificate_code(certificate_code)
    minutes = minutes_since_epoch(issued_at)
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_LENGTH:
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
    check_host(host)  # fail before asking the signer for a signature
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
