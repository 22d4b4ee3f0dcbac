"""Sample data shared by the in-memory verification tests: labels signed with a throwaway
Ed25519 key, and the public facts of a certificate.

:mod:`tests.verification.memory` (a source for the verdict's unit and property tests) and
:mod:`tests.offline.simulator` (a registry that publishes signed files for the offline
verifier) both build on these, each with its own workshop and clock.
"""

from __future__ import annotations

from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verify.label_codec import issue_label_uri, key_id
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, StandardFacts

__all__ = [
    "CERTIFICATE_CODE",
    "GTIN",
    "certificate_facts",
    "kid_of",
    "public_raw",
    "sign_label",
]

GTIN = "06111234000019"
CERTIFICATE_CODE = 0x1234ABCD


def public_raw(key: Ed25519PrivateKey) -> bytes:
    """The raw 32 bytes of ``key``'s public half."""
    return key.public_key().public_bytes_raw()


def kid_of(key: Ed25519PrivateKey) -> str:
    return key_id(public_raw(key))


def sign_label(
    key: Ed25519PrivateKey,
    serial: str,
    *,
    issued_at: datetime,
    gtin: str = GTIN,
    certificate_code: int = CERTIFICATE_CODE,
) -> str:
    """A label URI for ``serial``, signed by ``key`` (its kid is ``key``'s)."""
    return issue_label_uri(
        host="KHATEM.MA",
        gtin=gtin,
        serial=serial,
        kid=kid_of(key),
        issued_at=issued_at,
        certificate_code=certificate_code,
        sign=key.sign,
    )


def certificate_facts(
    code: str,
    *,
    valid: tuple[date, date],
    scheme: tuple[str, str],
    standard: StandardFacts,
    criteria: tuple[str, ...],
    audited: date,
    body: tuple[str, str],
    artisan: ArtisanFacts,
    status: str = "active",
    reason: str | None = None,
) -> CertificateFacts:
    """A certificate granted after a passed audit against one standard, with no level.

    ``scheme`` and ``body`` are (code, name) pairs; ``valid`` is (from, until).
    """
    scheme_code, scheme_name = scheme
    body_code, body_name = body
    return CertificateFacts(
        code=code,
        status=status,
        status_reason=reason,
        valid_from=valid[0],
        valid_until=valid[1],
        conformity=Conformity(
            scheme_code=scheme_code,
            scheme_name=scheme_name,
            level=None,
            level_name=None,
            standards=(standard,),
            criteria_met=criteria,
            audit_date=audited,
            audit_outcome="pass",
            body_code=body_code,
            body_name=body_name,
        ),
        artisan=artisan,
    )
