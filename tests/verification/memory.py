"""An in-memory registry for the verdict's unit and property tests: labels signed with a
throwaway key, held as the online registry holds them (with their signed claim)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.verification.samples import CERTIFICATE_CODE, GTIN, certificate_facts, kid_of, sign_label
from verify.label_codec import LabelToken, parse_label_uri
from verify.verdict import ArtisanFacts, CertificateFacts, Check, Outcome, StandardFacts
from verify.verifier import KeyFacts, LabelRecord

__all__ = ["ISSUED_AT", "MemoryRegistry", "NOW"]

ISSUED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CODE = CERTIFICATE_CODE


def _certificate(status: str = "active", reason: str | None = None) -> CertificateFacts:
    """A carpet weavers' cooperative's certificate (public facts only)."""
    return certificate_facts(
        "C-1Z8K3QD",
        status=status,
        reason=reason,
        valid=(date(2026, 1, 1), date(2028, 12, 31)),
        scheme=("TAPIS-SUPERIEURE", "Estampille tapis — qualité supérieure"),
        standard=StandardFacts("NM 09.0.200", "Tapis noués à la main"),
        criteria=("knot-density", "natural-dyes"),
        audited=date(2025, 12, 15),
        body=("CHAMBRE-MA-08", "Chambre d'artisanat Drâa-Tafilalet"),
        artisan=ArtisanFacts(
            display_name_latin="Coopérative Akhiam",
            display_name_arabic="تعاونية أخيام",
            region_code="MA-08",
            region_name="Drâa-Tafilalet",
            craft="Tissage de tapis",
        ),
    )


@dataclass
class MemoryRegistry:
    """A :class:`verify.verifier.VerificationSource` holding what it signed."""

    private_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    labels: dict[tuple[str, str], LabelRecord] = field(default_factory=dict)
    certificate_facts: CertificateFacts = field(default_factory=_certificate)
    authoritative: bool = True
    mode: str = "online"
    tree_size: int = 10

    @property
    def kid(self) -> str:
        return kid_of(self.private_key)

    def issue(self, serial: str, gtin: str = GTIN) -> str:
        uri = sign_label(self.private_key, serial, issued_at=ISSUED_AT, gtin=gtin)
        token = parse_label_uri(uri)
        self.labels[(gtin, serial)] = LabelRecord(
            status="active",
            log_index=len(self.labels),
            logged_at=ISSUED_AT,
            signature=token.signature,
            kid=token.kid,
            issued_at=token.issued_at,
            certificate_code=token.certificate_code,
        )
        return uri

    # VerificationSource

    def key(self, kid: str) -> KeyFacts | None:
        if kid != self.kid:
            return None
        return KeyFacts(kid, self.private_key.public_key(), datetime(2026, 1, 1, tzinfo=UTC))

    def label(self, token: LabelToken) -> LabelRecord | None:
        return self.labels.get((token.gtin, token.serial))

    def certificate(self, code: int) -> CertificateFacts | None:
        return self.certificate_facts if code == CODE else None

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check:
        if record is None or record.log_index is None:
            return Check(name="log_inclusion", outcome=Outcome.NOT_APPLICABLE, reason="not_checked")
        return Check(
            name="log_inclusion",
            outcome=Outcome.PASSED,
            reason="included_in_checkpoint",
            detail={"leaf_index": record.log_index, "tree_size": self.tree_size},
        )

    def freshness(self, now: datetime) -> Check:
        return Check(name="data_freshness", outcome=Outcome.PASSED, reason="live_registry")

    def data_as_of(self) -> datetime | None:
        return None
