"""Given steps that several features share, in the users' words. A step used by one feature
only stays in that feature's step module."""

from __future__ import annotations

from pytest_bdd import given
from sqlmodel import Session

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, make_certificate


@given("a weaving cooperative in Taznakht certified for its carpets", target_fixture="cert")
def certified_cooperative(session: Session, inspector: Actor, artisan: Actor) -> CertificateRef:
    """The ``artisan`` fixture is the Akhiam cooperative (تعاونية أخيام); its carpet line is
    in the certificate's scope."""
    return make_certificate(session, inspector=inspector, workshop=artisan)
