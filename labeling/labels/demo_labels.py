"""Labels of the demo registry: a few per certificate, one revoked, one suspended, one
copied (SUSPICIOUS).

Used by :func:`labeling.demo.load_demo` when it is given the settings (``khatem demo``,
``khatem serve --demo``): it prepares the registry's keys first, so the labels are signed
by the registered label key and verify against the published trust list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from core.auth import Principal
from core.settings import Settings
from labeling.keycustody import Signer
from labeling.keyrecords.preparation import prepare_keys
from labeling.labels import lifecycle, reading, service
from labeling.labels.lifecycle import LabelCommand
from labeling.verification.evidence import evidence_text
from labeling.verification.suspicion import mark_label
from schemas.labels_api import LabelBatchCreate, LabelPublic, LabelReasonCode
from schemas.retailers import MarkReason
from schemas.telemetry import ScanCounter
from schemas.types import utcnow

__all__ = ["LABELS_PER_CERTIFICATE", "DemoLabels"]

LABELS_PER_CERTIFICATE = 5
#: Where the demo's copied carpet label was scanned this week (ISO 3166 codes).
_COPIED_IN = ("DE", "ES", "FR", "MA", "US")


@dataclass
class DemoLabels:
    session: Session
    settings: Settings
    signer: Signer
    batches: dict[str, tuple[Principal, int]] = field(default_factory=dict)

    @classmethod
    def prepare(cls, session: Session, settings: Settings) -> DemoLabels:
        """Register (or open) the registry's keys, then hold the label signer."""
        from labeling.labels.issuing_key import open_label_signer

        prepare_keys(session=session, settings=settings)
        signer = open_label_signer(session, settings)
        session.commit()
        return cls(session=session, settings=settings, signer=signer)

    def issue(
        self, name: str, principal: Principal, certificate_id: int, product_line_id: int
    ) -> None:
        """A batch of :data:`LABELS_PER_CERTIFICATE` labels, issued as the inspector."""
        outcome = service.create_batch(
            session=self.session,
            principal=principal,
            signer=self.signer,
            request=LabelBatchCreate(
                certificate_id=certificate_id,
                product_line_id=product_line_id,
                quantity=LABELS_PER_CERTIFICATE,
            ),
            idempotency_key=f"demo-{name}",
            settings=self.settings,
        )
        self.batches[name] = (principal, outcome.batch.id)

    def labels(self, name: str) -> list[LabelPublic]:
        principal, batch_id = self.batches[name]
        page = reading.list_labels(
            session=self.session,
            filters=reading.reader_filters(principal, batch_id=batch_id),
            limit=LABELS_PER_CERTIFICATE,
            offset=0,
            label_host=self.settings.label_host,
        )
        self.session.rollback()
        return page.items

    def _change(self, name: str, label: LabelPublic, command: LabelCommand, reason: str) -> None:
        principal, _ = self.batches[name]
        lifecycle.change_label(
            session=self.session,
            principal=principal,
            label_id=label.id,
            command=command,
            reason=LabelReasonCode(reason),
        )

    def _copied(self, label: LabelPublic) -> None:
        """A label whose QR code was copied: scanned this week in more countries than one
        carpet travels to, so the telemetry's threshold marked it SUSPICIOUS."""
        today = utcnow().date()
        for country in _COPIED_IN:
            self.session.add(ScanCounter(label_id=label.id, day=today, country=country, scans=3))
        mark_label(
            self.session,
            label_id=label.id,
            reason=MarkReason.SCANNED_IN_MANY_COUNTRIES,
            evidence=evidence_text(
                countries=_COPIED_IN, window_days=self.settings.suspicious_country_window_days
            ),
        )
        self.session.commit()

    def finish(self) -> str:
        """Revoke a stolen carpet label, mark a copied one, hold a Boujaad one for
        inspection; return the summary lines (a few label URIs to scan)."""
        lines = [
            f"\nLabels: {LABELS_PER_CERTIFICATE} under each certificate "
            f"({len(self.batches) * LABELS_PER_CERTIFICATE} in all). To scan or verify:"
        ]
        if "taznakht" in self.batches:
            authentic, stolen, copied = self.labels("taznakht")[:3]
            self._change("taznakht", stolen, LabelCommand.REVOKE, "lost_or_stolen")
            self._copied(copied)
            lines.append(f"  authentic (Taznakht carpet):      {authentic.uri}")
            lines.append(f"  revoked, stolen (Taznakht carpet): {stolen.uri}")
            lines.append(f"  suspicious, copied (Taznakht):     {copied.uri}")
        if "boujaad" in self.batches:
            held = self.labels("boujaad")[0]
            self._change("boujaad", held, LabelCommand.SUSPEND, "inspection_hold")
            lines.append(f"  suspended label (Boujaad carpet):  {held.uri}")
        if "zellige" in self.batches:
            tile = self.labels("zellige")[0]
            lines.append(f"  certificate suspended (Fès zellige): {tile.uri}")
        return "\n".join(lines)
