"""Verdicts of every kind, made by the real verifier over an in-memory source.

A label is signed with a throwaway Ed25519 key and verified by ``verify.verifier.verify_label``
against :class:`FakeSource`, whose key, label record and certificate each test chooses; so
the pages are tested on verdicts the verifier really produces, not on hand-built ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from verify.label_codec import LabelToken, format_certificate_code, issue_label_uri, key_id
from verify.verdict import (
    ArtisanFacts,
    CertificateFacts,
    Check,
    Conformity,
    Outcome,
    Overall,
    StandardFacts,
    Verdict,
)
from verify.verifier import CopyEvidence, KeyFacts, LabelRecord, verify_label

__all__ = [
    "ARTISAN",
    "CERT_CODE",
    "NOW",
    "PRIVATE_STRINGS",
    "FakeSource",
    "certificate_facts",
    "label_uri",
    "verdict_of",
]

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
CERT_CODE = 0x1234ABCD
ARTISAN = ArtisanFacts(
    display_name_latin="Coopérative Akhiam",
    display_name_arabic="تعاونية أخيام",
    region_code="MA-08",
    region_name="Drâa-Tafilalet",
    craft="Tapis noué main",
)
#: What the registry holds about this artisan but must never show (see tests).
PRIVATE_STRINGS = ("CIN-000123", "+212600000000", "Derb Akhiam", "akhiam@khatem.test")

_KEY = Ed25519PrivateKey.generate()
_RAW = _KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
KID = key_id(_RAW)


def certificate_facts(**changes: object) -> CertificateFacts:
    facts = CertificateFacts(
        code=format_certificate_code(CERT_CODE),
        status="active",
        status_reason=None,
        valid_from=date(2026, 1, 10),
        valid_until=date(2029, 1, 9),
        conformity=Conformity(
            scheme_code="TAPIS-SUPERIEURE",
            scheme_name="Estampille tapis — qualité supérieure",
            level=None,
            level_name="Supérieure",
            standards=(StandardFacts("NM 09.5.100 (2019)", "Labelling and chemical conformity"),),
            criteria_met=("knot_density",),
            audit_date=date(2026, 1, 5),
            audit_outcome="pass",
            body_code="CHAMBRE-MA-08",
            body_name="Chambre d'artisanat de Drâa-Tafilalet",
        ),
        artisan=ARTISAN,
    )
    return facts.model_copy(update=changes)


def label_uri(*, serial: str = "7F3K2MQ9XB", gtin: str = "06111234000019") -> str:
    return issue_label_uri(
        host="KHATEM.MA",
        gtin=gtin,
        serial=serial,
        kid=KID,
        issued_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        certificate_code=CERT_CODE,
        sign=_KEY.sign,
    )


@dataclass
class FakeSource:
    """An in-memory :class:`verify.verifier.VerificationSource`."""

    authoritative: bool = True
    mode: str = "online"
    key_known: bool = True
    record: LabelRecord | None = LabelRecord(status="active")
    cert: CertificateFacts | None = None
    stale: bool = False

    def key(self, kid: str) -> KeyFacts | None:
        if not self.key_known or kid != KID:
            return None
        return KeyFacts(kid=KID, public_key=_KEY.public_key(), not_before=NOW - timedelta(1000))

    def label(self, token: LabelToken) -> LabelRecord | None:
        return self.record

    def certificate(self, code: int) -> CertificateFacts | None:
        return self.cert if code == CERT_CODE else None

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check:
        return Check(name="log_inclusion", outcome=Outcome.PASSED, reason="included_in_checkpoint")

    def freshness(self, now: datetime) -> Check:
        if self.stale:
            return Check(name="data_freshness", outcome=Outcome.WARNING, reason="status_data_stale")
        return Check(name="data_freshness", outcome=Outcome.PASSED, reason="live_registry")

    def data_as_of(self) -> datetime | None:
        return NOW - timedelta(days=7) if self.stale else None


def verdict_of(kind: Overall) -> Verdict:
    """A verdict of ``kind`` for the sample label, produced by the real verifier."""
    cert = certificate_facts()
    uri = label_uri()
    if kind is Overall.AUTHENTIC:
        source = FakeSource(cert=cert)
    elif kind is Overall.AUTHENTIC_WITH_WARNINGS:
        source = FakeSource(cert=cert, stale=True, mode="offline", authoritative=False)
    elif kind is Overall.SUSPENDED:
        source = FakeSource(
            cert=certificate_facts(status="suspended", status_reason="surveillance_nonconformity")
        )
    elif kind is Overall.REVOKED:
        source = FakeSource(cert=cert, record=LabelRecord("revoked", reason="lost_or_stolen"))
    elif kind is Overall.INVALID:
        source = FakeSource(cert=cert)
        uri = uri.replace("7F3K2MQ9XB", "7F3K2MQ9XC")  # the serial altered
    elif kind is Overall.SUSPICIOUS:
        evidence = (
            CopyEvidence("received_by_two_retailers", on=date(2026, 3, 3), country="ES"),
            CopyEvidence(
                "scanned_in_many_countries",
                on=date(2026, 3, 9),
                countries=("ES", "FR", "IT", "MA", "US"),
                window_days=7,
            ),
        )
        source = FakeSource(cert=cert, record=LabelRecord("active", evidence=evidence))
    else:
        source = FakeSource(cert=cert, key_known=False, authoritative=False, mode="offline")
    verdict = verify_label(uri, source, now=NOW)
    assert verdict.verdict is kind, (kind, verdict.reasons)
    return verdict
