"""An in-memory registry for the offline tests (as TUF's tests use a repository simulator).

It holds a root key and a label key (throwaway Ed25519 keys), issues labels, and publishes
the trust list and both status snapshots exactly as the registry does — through
:mod:`verify.trust_list` and :mod:`verify.snapshot` — so the offline verifier can be tested
without a database or a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from labeling.snapshots.documents import certificate_document, label_status_document
from tests.verification.samples import (
    CERTIFICATE_CODE,
    GTIN,
    certificate_facts,
    kid_of,
    public_raw,
    sign_label,
)
from verify.checkpoint import encode_vkey
from verify.label_codec import format_certificate_code, key_id
from verify.offline import CERTIFICATES_FILE, LABELS_FILE, PIN_FILE, TRUST_LIST_FILE
from verify.snapshot import (
    label_hash,
    sign_snapshot,
)
from verify.trust_list import format_time, sign_trust_list
from verify.verdict import ArtisanFacts, CertificateFacts, StandardFacts

__all__ = ["NOW", "ORIGIN", "TAJINE_GTIN", "Registry", "tajine_certificate"]

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
ORIGIN = "khatem.ma/log"
TAJINE_GTIN = GTIN
TAJINE_CERTIFICATE = CERTIFICATE_CODE


def tajine_certificate(
    code: int = TAJINE_CERTIFICATE, *, status: str = "active", reason: str | None = None
) -> CertificateFacts:
    """A Safi potter's Madmoun certificate (public facts only)."""
    return certificate_facts(
        format_certificate_code(code),
        status=status,
        reason=reason,
        valid=(date(2026, 1, 10), date(2029, 1, 9)),
        scheme=("MADMOUN", "Madmoun — poterie culinaire"),
        standard=StandardFacts("NM 11.3.010", "Céramiques culinaires — plomb et cadmium"),
        criteria=("lead-release",),
        audited=date(2026, 1, 5),
        body=("CHAMBRE-MA-07", "Chambre d'artisanat Marrakech-Safi"),
        artisan=ArtisanFacts(
            display_name_latin="Atelier Serghini",
            display_name_arabic="ورشة السرغيني",
            region_code="MA-07",
            region_name="Marrakech-Safi",
            craft="Poterie",
        ),
    )


@dataclass
class Registry:
    """Keys, issued labels and statuses; publishes signed files on demand."""

    root: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    label_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    label_key_since: datetime = NOW - timedelta(days=300)
    statuses: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    certificates: list[CertificateFacts] = field(default_factory=lambda: [tajine_certificate()])
    issued: int = 0

    @property
    def root_public(self) -> bytes:
        return public_raw(self.root)

    @property
    def vkey(self) -> str:
        return encode_vkey(ORIGIN, self.root_public)

    @property
    def kid(self) -> str:
        return kid_of(self.label_key)

    def issue(
        self,
        serial: str = "7F3K2MQ9XB",
        *,
        issued_at: datetime = NOW - timedelta(days=20),
        certificate_code: int = TAJINE_CERTIFICATE,
        key: Ed25519PrivateKey | None = None,
    ) -> str:
        self.issued += 1
        return sign_label(
            key or self.label_key,
            serial,
            issued_at=issued_at,
            gtin=TAJINE_GTIN,
            certificate_code=certificate_code,
        )

    def set_status(self, serial: str, status: str, reason: str, gtin: str = TAJINE_GTIN) -> None:
        self.statuses[(gtin, serial)] = (status, reason)

    def trust_list(self, *, issued_at: datetime = NOW, max_age: int = 86_400) -> bytes:
        label_public = public_raw(self.label_key)
        import base64

        document = {
            "version": 1,
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": base64.urlsafe_b64encode(label_public).rstrip(b"=").decode(),
                    "kid": key_id(label_public),
                    "use": "sig",
                    "alg": "EdDSA",
                    "khatem:not_before": format_time(self.label_key_since),
                }
            ],
            "issued_at": format_time(issued_at),
            "max_age": max_age,
            "log": {"origin": ORIGIN, "vkey": self.vkey},
        }
        return sign_trust_list(document, sign=self.root.sign, public_key=self.root_public)

    def label_document(self, *, issued_at: datetime = NOW, max_age: int = 86_400) -> dict:  # type: ignore[type-arg]
        groups: dict[tuple[str, str], list[bytes]] = {}
        for (gtin, serial), entry in self.statuses.items():
            groups.setdefault(entry, []).append(label_hash(gtin, serial))
        return label_status_document(
            entries=groups, total_labels=self.issued, issued_at=issued_at, max_age=max_age
        )

    def label_snapshot(self, *, issued_at: datetime = NOW, max_age: int = 86_400) -> bytes:
        return self.sign(self.label_document(issued_at=issued_at, max_age=max_age))

    def certificate_snapshot(self, *, issued_at: datetime = NOW, max_age: int = 86_400) -> bytes:
        document = certificate_document(
            certificates=self.certificates, issued_at=issued_at, max_age=max_age
        )
        return self.sign(document)

    def sign(self, document: dict, *, key: Ed25519PrivateKey | None = None) -> bytes:  # type: ignore[type-arg]
        signer = key or self.root
        return sign_snapshot(document, sign=signer.sign, public_key=public_raw(signer))

    def write_cache(self, directory: Path, *, issued_at: datetime = NOW, pin: bool = True) -> Path:
        """What ``khatem verify sync`` leaves behind, written directly."""
        (directory / "status").mkdir(parents=True, exist_ok=True)
        (directory / TRUST_LIST_FILE).write_bytes(self.trust_list(issued_at=issued_at))
        (directory / LABELS_FILE).write_bytes(self.label_snapshot(issued_at=issued_at))
        (directory / CERTIFICATES_FILE).write_bytes(self.certificate_snapshot(issued_at=issued_at))
        if pin:
            (directory / PIN_FILE).write_text(self.vkey + "\n", encoding="ascii")
        return directory
