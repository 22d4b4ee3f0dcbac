"""An in-memory registry for the verdict's unit and property tests: labels signed with a
throwaway key, held as the online registry holds them (with their signed claim)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verify.label_codec import LabelToken, issue_label_uri, key_id, parse_label_uri
from verify.verdict import (
    ArtisanFacts,
    CertificateFacts,
    Check,
    Conformity,
    KeyFacts,
    LabelRecord,
    Outcome,
    StandardFacts,
)

__all__ = ["ISSUED_AT", "MemoryRegistry", "NOW"]

ISSUED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CODE = 0x1234ABCD


def _certificate(status: str = "active", reason: str | None = None) -> CertificateFacts:
    return CertificateFacts(
        code="C-1Z8K3QD",
        status=status,
        status_reason=reason,
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 12, 31),
        conformity=Conformity(
            scheme_code="TAPIS-SUPERIEURE",
            scheme_name="Estampille tapis — qualité supérieure",
            level=None,
            level_name=None,
            standards=(StandardFacts("NM 09.0.200", "Tapis noués à la main"),),
            criteria_met=("knot-density", "natural-dyes"),
            audit_date=date(2025, 12, 15),
            audit_outcome="pass",
            body_code="CHAMBRE-MA-08",
            body_name="Chambre d'artisanat Drâa-Tafilalet",
        ),
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
    """A :class:`verify.verdict.VerificationSource` holding what it signed."""

    private_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    labels: dict[tuple[str, str], LabelRecord] = field(default_factory=dict)
    certificate_facts: CertificateFacts = field(default_factory=_certificate)
    authoritative: bool = True
    mode: str = "online"
    tree_size: int = 10

    @property
    def kid(self) -> str:
        return key_id(self.private_key.public_key().public_bytes_raw())

    def issue(self, serial: str, gtin: str = "06111234000019") -> str:
        uri = issue_label_uri(
            host="KHATEM.MA",
            gtin=gtin,
            serial=serial,
            kid=self.kid,
            issued_at=ISSUED_AT,
            certificate_code=CODE,
            sign=self.private_key.sign,
        )
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
            return Check("log_inclusion", Outcome.NOT_APPLICABLE, "not_checked")
        return Check(
            "log_inclusion",
            Outcome.PASSED,
            "included_in_checkpoint",
            {"leaf_index": record.log_index, "tree_size": self.tree_size},
        )

    def freshness(self, now: datetime) -> Check:
        return Check("data_freshness", Outcome.PASSED, "live_registry")

    def data_as_of(self) -> datetime | None:
        return None
