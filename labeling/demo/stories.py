"""The demo's audit and certificate stories, through the audit and certificate services:
a passing Taznakht carpet audit and its certificate, a Safi tajine that fails the
lead-release test, a Fès zellige certificate that is suspended after a market check, and a
Boujaad carpet certified by the certification body; given a
:class:`~labeling.labels.demo_labels.DemoLabels`, labels issued under each certificate.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from labeling.audits.service import record_audit
from labeling.certificates.service import certify, suspend
from labeling.demo.enrolment import DemoRegistry
from labeling.labels.demo_labels import DemoLabels
from schemas.audits_api import AuditCreate, FindingInput
from schemas.certificates_api import CertificateCreate, CertificateStatusChange, ReasonCode


def load_audits_and_certificates(
    session: Session, registry: DemoRegistry, labels: DemoLabels | None
) -> tuple[int, int]:
    """Four audits and three certificates through the audit and certificate services
    (each commits on its own), and labels under each certificate when ``labels`` is given
    (the zellige labels before their certificate is suspended)."""
    audit_date = datetime.now(UTC).date() - timedelta(days=21)
    _certify_taznakht_carpet(session, registry, labels, audit_date)
    _fail_safi_tajine(session, registry, audit_date)
    _certify_then_suspend_fes_zellige(session, registry, labels, audit_date)
    _certify_boujaad_carpet(session, registry, labels, audit_date)
    return 4, 3


def _observed(*codes: str) -> list[FindingInput]:
    return [FindingInput(criterion=code, observed=True) for code in codes]


def _line(registry: DemoRegistry, maker: str) -> int:
    """The maker's audited product line (its first), in its certificate's scope."""
    line_id = registry.lines[maker][0].id
    assert line_id is not None
    return line_id


def _audit(
    session: Session,
    registry: DemoRegistry,
    audit_date: date,
    *,
    inspector: str,
    maker: str,
    scheme: str,
    findings: list[FindingInput],
) -> int:
    """Record the inspector's audit of the maker's first product line; returns its id."""
    artisan_id = registry.makers[maker].id
    assert artisan_id is not None
    recorded = record_audit(
        session=session,
        principal=registry.inspectors[inspector],
        request=AuditCreate(
            artisan_id=artisan_id,
            scheme=scheme,
            product_line_ids=[line.id for line in registry.lines[maker][:1] if line.id],
            audit_date=audit_date,
            findings=findings,
        ),
    )
    return recorded.id


def _certify_taznakht_carpet(
    session: Session, registry: DemoRegistry, labels: DemoLabels | None, audit_date: date
) -> None:
    """A Taznakht carpet with 160,000 knots/m², well over the supérieure grade's 90,000."""
    carpet = _audit(
        session,
        registry,
        audit_date,
        inspector="ouarzazate",
        maker="tifaouine",
        scheme="TAPIS-SUPERIEURE",
        findings=[FindingInput(criterion="knot_density", measured_value=160_000.0, unit="knots/m2")]
        + _observed("hand_knotted", "no_redhibitory_defects"),
    )
    carpets = certify(
        session=session,
        principal=registry.inspectors["ouarzazate"],
        request=CertificateCreate(audit_id=carpet),
    )
    if labels is not None:
        labels.issue(
            "taznakht", registry.inspectors["ouarzazate"], carpets.id, _line(registry, "tifaouine")
        )


def _fail_safi_tajine(session: Session, registry: DemoRegistry, audit_date: date) -> None:
    """A Safi tajine releasing 1.6 mg/dm² of lead: twice the 0.8 limit, so the audit fails."""
    _audit(
        session,
        registry,
        audit_date,
        inspector="safi",
        maker="lamrani",
        scheme="MADMOUN",
        findings=[
            FindingInput(criterion="lead_release", measured_value=1.6, unit="mg/dm2"),
            FindingInput(criterion="cadmium_release", measured_value=0.02, unit="mg/dm2"),
        ]
        + _observed("food_contact_declaration"),
    )


def _certify_then_suspend_fes_zellige(
    session: Session, registry: DemoRegistry, labels: DemoLabels | None, audit_date: date
) -> None:
    """Fès zellige: certified Maroc Fait Main, then suspended after a market check."""
    zellige = _audit(
        session,
        registry,
        audit_date,
        inspector="fes",
        maker="bennani",
        scheme="MFM-1",
        findings=_observed("authenticity", "quality", "working_conditions"),
    )
    certificate = certify(
        session=session,
        principal=registry.inspectors["fes"],
        request=CertificateCreate(audit_id=zellige),
    )
    if labels is not None:
        labels.issue(
            "zellige", registry.inspectors["fes"], certificate.id, _line(registry, "bennani")
        )
    suspend(
        session=session,
        principal=registry.admins["CHAMBRE-MA-03"],
        certificate_id=certificate.id,
        request=CertificateStatusChange(
            reason_code=ReasonCode.SURVEILLANCE_NONCONFORMITY,
            reason_text="Market check: labelled tiles outside the certified product line.",
        ),
    )


def _certify_boujaad_carpet(
    session: Session, registry: DemoRegistry, labels: DemoLabels | None, audit_date: date
) -> None:
    """A Boujaad carpet certified by the certification body."""
    boujaad = _audit(
        session,
        registry,
        audit_date,
        inspector="auditeur",
        maker="nour",
        scheme="TAPIS-MOYENNE",
        findings=[FindingInput(criterion="knot_density", measured_value=75_000.0, unit="knots/m2")]
        + _observed("hand_knotted", "no_redhibitory_defects"),
    )
    boujaad_carpets = certify(
        session=session,
        principal=registry.inspectors["auditeur"],
        request=CertificateCreate(audit_id=boujaad),
    )
    if labels is not None:
        labels.issue(
            "boujaad", registry.inspectors["auditeur"], boujaad_carpets.id, _line(registry, "nour")
        )
