"""Fixtures shared by the offline tests and the offline-verification feature."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from core.settings import Settings
from labeling.keyrecords import repository
from labeling.snapshots.publication import forget_snapshots
from schemas.keys import KeyPurpose
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, make_certificate
from verify.checkpoint import encode_vkey

__all__ = ["TajineWorkshop", "root_vkey", "snapshots_reset", "tajine_workshop"]


@dataclass
class TajineWorkshop:
    certificate: CertificateRef
    inspector: Actor


@pytest.fixture
def snapshots_reset() -> Iterator[None]:
    """Snapshots are cached per process and database; each test starts from none."""
    forget_snapshots()
    yield
    forget_snapshots()


@pytest.fixture
def root_vkey(session: Session, settings: Settings, prepared: list[str]) -> str:
    """The vkey a verifier pins: what ``khatem keys root-vkey`` prints."""
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert root is not None
    public_key = root.public_key
    session.rollback()  # SQLite transactions take the write lock: end this one
    return encode_vkey(settings.log_origin, public_key)


@pytest.fixture
def tajine_workshop(
    session: Session, madmoun_inspector: Actor, potter: Actor, snapshots_reset: None
) -> TajineWorkshop:
    """A Safi potter certified Madmoun (culinary pottery) for its tajines."""
    certificate = make_certificate(
        session,
        inspector=madmoun_inspector,
        workshop=potter,
        scheme_code="MADMOUN",
        code=0x2B7C91E4,
    )
    return TajineWorkshop(certificate=certificate, inspector=madmoun_inspector)
