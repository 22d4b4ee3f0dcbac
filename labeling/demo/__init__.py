"""``khatem demo``: a small, realistic registry to click through.

It goes through the same services as the API, so the demo obeys every rule the registry
enforces (a chambre registers the artisans of its region, GTINs carry a GS1 check digit,
inspectors audit only for the schemes they are authorised for):

* a certification body, flagged as a placeholder: the outcome of the 2024 label tender is
  not public, so no real accredited body is named;
* admins for the chambres of Fès-Meknès, Marrakech-Safi and Drâa-Tafilalet and for the
  certification body, and five inspectors with their authorisations;
* ten artisans: carpet weavers in Taznakht and Boujaad, potters in Safi and Tamegroute,
  a zellige maâlem and a coppersmith in Fès, a babouche maker in Marrakech, a silver
  jewellery cooperative in Tiznit; their product lines, some with GS1 Maroc (611) GTINs and
  the rest with registry GTINs; login accounts for four of them;
* audits and certificates: a passing carpet audit and its certificate, a tajine that fails
  the lead-release test, a zellige certificate that is suspended, and a Boujaad carpet
  certified by the certification body;
* with the settings (``khatem demo``, ``khatem serve --demo``): five signed labels under
  each certificate, one Taznakht label revoked as stolen and one Boujaad label suspended
  for inspection; the summary prints label URIs to scan.

Every account shares :data:`DEMO_PASSWORD`, printed in the summary. Loading is idempotent:
the certification body is the marker, and a second run does nothing and says so.

The package holds one idea a module: :mod:`labeling.demo.people` (who the demo has, as
data), :mod:`labeling.demo.enrolment` (registering them through the services) and
:mod:`labeling.demo.stories` (the audits, certificates and labels); this module loads them
in order and writes the summary.
"""

from __future__ import annotations

from sqlmodel import Session

from core.settings import Settings
from labeling.demo.enrolment import DemoRegistry, load_registry
from labeling.demo.people import (
    ADMINS,
    DEMO_CERTIFICATION_BODY,
    DEMO_PASSWORD,
    INSPECTORS,
    MAKERS,
)
from labeling.demo.stories import load_audits_and_certificates
from labeling.labels.demo_labels import DemoLabels
from labeling.registry import repository

__all__ = ["DEMO_CERTIFICATION_BODY", "DEMO_PASSWORD", "load_demo"]

ALREADY_LOADED = "The demo registry is already loaded; nothing to do."


def load_demo(*, session: Session, settings: Settings | None = None) -> str:
    """Load the demo registry (the catalogue must be loaded); returns what it did.

    With ``settings`` the demo also prepares the registry's keys (development keys in
    ``settings.data_dir`` unless keys are configured) and issues labels under each
    certificate, then revokes one and suspends another, so that verification has an
    authentic, a revoked, a suspended label and one under a suspended certificate.
    """
    if repository.get_body_by_code(session=session, code=DEMO_CERTIFICATION_BODY):
        return ALREADY_LOADED
    if repository.get_body_by_code(session=session, code="CHAMBRE-MA-08") is None:
        raise RuntimeError("Load the catalogue first (`khatem catalog load`).")
    registry = load_registry(session)
    session.commit()
    labels = DemoLabels.prepare(session, settings) if settings else None
    audits, certificates = load_audits_and_certificates(session, registry, labels)
    label_summary = labels.finish() if labels is not None else ""
    return _summary(registry, audits, certificates) + label_summary


def _summary(registry: DemoRegistry, audits: int, certificates: int) -> str:
    """What was loaded, and every login with the password they share."""
    lines = sum(len(rows) for rows in registry.lines.values())
    return (
        f"Demo registry loaded: 1 certification body ({DEMO_CERTIFICATION_BODY}, a "
        "placeholder: the 2024 label tender outcome is not public), "
        f"{len(ADMINS)} admins, {len(INSPECTORS)} inspectors, {len(MAKERS)} artisans, "
        f"{lines} product lines, {audits} audits, {certificates} certificates.\n"
        f"Demo logins (password for all: {DEMO_PASSWORD}):\n{_logins()}"
    )


def _logins() -> str:
    """One line an account: the admins, the inspectors, then the artisans with a login."""
    return (
        "\n".join(f"  {staff.email:40} admin of {staff.body_code}" for staff in ADMINS)
        + "\n"
        + "\n".join(f"  {staff.email:40} inspector, {staff.body_code}" for staff in INSPECTORS)
        + "\n"
        + "\n".join(f"  {maker.login:40} artisan, {maker.latin}" for maker in MAKERS if maker.login)
    )
