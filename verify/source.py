"""What a verifier knows, and where it learns it: the facts a :class:`VerificationSource`
hands the verifier (:class:`KeyFacts`, :class:`LabelRecord`, :class:`CopyEvidence`; a
certificate's are :class:`~verify.certificate_facts.CertificateFacts`).

The registry's database implements the protocol online (``labeling.verification``), the
signed trust list and status snapshots offline (:mod:`verify.offline`). Plain frozen data;
imports nothing from ``labeling`` and never sees a private key.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.certificate_facts import CertificateFacts
from verify.label_codec import LabelToken
from verify.verdict import Check

__all__ = ["CopyEvidence", "KeyFacts", "LabelRecord", "VerificationSource"]


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """What a verifier knows about a label key (from the trust list or the keyring)."""

    kid: str
    public_key: Ed25519PublicKey
    not_before: datetime
    retired_at: datetime | None = None
    compromised_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class CopyEvidence:
    """One piece of evidence that a label was copied (docs/verification.md §3,
    ``copy_evidence``): its reason code and, where the source knows them, when it was
    seen (``on``, a day), in which country (``country``: a receipt's), the countries and
    scans counted over ``window_days`` days. Nothing about any person."""

    reason: str
    on: date | None = None
    country: str | None = None
    countries: tuple[str, ...] = ()
    scans: int | None = None
    window_days: int | None = None

    def public(self) -> dict[str, Any]:
        """The evidence as the check's detail shows it (absent members left out)."""
        shown: dict[str, Any] = {"reason": self.reason}
        if self.on is not None:
            shown["on"] = self.on.isoformat()
        if self.country is not None:
            shown["country"] = self.country
        if self.countries:
            shown["countries"] = list(self.countries)
        if self.scans is not None:
            shown["scans"] = self.scans
        if self.window_days is not None:
            shown["window_days"] = self.window_days
        return shown


@dataclass(frozen=True, slots=True)
class LabelRecord:
    """The registry's record of a label, as far as the source knows it.

    ``listed`` is ``False`` when the source cannot know the label individually (an offline
    snapshot lists only labels whose status changed): the label is then taken as active.
    ``log_index`` is the label's transparency-log leaf (online only).

    ``signature`` (with ``kid``, ``issued_at`` and ``certificate_code``) is the claim the
    registry itself signed and stored, when the source has it (online). The registry
    knows what it signed, so such a label is checked by comparing the presented claim with
    the record (constant time) instead of repeating the Ed25519 verification per scan.

    ``evidence`` is what the source holds that says the label was copied (empty: nothing).
    """

    status: str  # "active" | "suspended" | "revoked"
    reason: str | None = None
    listed: bool = True
    log_index: int | None = None
    logged_at: datetime | None = None
    signature: bytes | None = None
    kid: str | None = None
    issued_at: datetime | None = None
    certificate_code: int | None = None
    evidence: tuple[CopyEvidence, ...] = ()

    def matches(self, token: LabelToken) -> bool:
        """Whether ``token`` is exactly the claim on record (signature compared in
        constant time; the other fields are public and compared plainly)."""
        if self.signature is None:
            return False
        same_claim = (
            self.kid == token.kid
            and self.issued_at == token.issued_at
            and self.certificate_code == token.certificate_code
        )
        return hmac.compare_digest(self.signature, token.signature) and same_claim


class VerificationSource(Protocol):
    """Where a verifier's facts come from (the registry online, snapshots offline)."""

    #: Whether the source knows every key and label the registry issued (online). An
    #: authoritative source turns "never heard of it" into INVALID; offline into UNKNOWN.
    authoritative: bool
    mode: str

    def key(self, kid: str) -> KeyFacts | None: ...

    def label(self, token: LabelToken) -> LabelRecord | None: ...

    def certificate(self, code: int) -> CertificateFacts | None: ...

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check: ...

    def freshness(self, now: datetime) -> Check: ...

    def data_as_of(self) -> datetime | None: ...
