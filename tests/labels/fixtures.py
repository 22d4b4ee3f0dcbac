"""Fixtures of the label tests: an app that serves the label routes with a throwaway signer,
and certificates created straight in the database (the certificate service has its own tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from core import calendar
from core.db import new_session
from labeling.keycustody import KeyfileSigner, ephemeral_signer
from labeling.labels.issuing_key import get_label_signer
from schemas.audits import Audit
from schemas.catalog import LabelScheme
from schemas.certificates import Certificate, CertificateScope
from schemas.labels import LabelBatch
from tests.fixtures.actors import Actor

__all__ = [
    "CertificateRef",
    "certificate",
    "labels_app",
    "labels_client",
    "make_certificate",
    "queued_batch",
    "signer",
]

RAISE = True


@dataclass
class CertificateRef:
    id: int
    code: int
    product_line_id: int


def make_certificate(
    session: Session,
    *,
    inspector: Actor,
    workshop: Actor,
    scheme_code: str = "TAPIS-SUPERIEURE",
    status: str = "active",
    valid_from: date | None = None,
    valid_until: date | None = None,
    code: int = 0x1234ABCD,
) -> CertificateRef:
    """An audit and the certificate it led to, with the workshop's product line in scope."""
    today = calendar.registry_today()
    scheme = session.exec(select(LabelScheme).where(LabelScheme.code == scheme_code)).first()
    assert scheme is not None and scheme.id is not None
    assert workshop.artisan_id is not None and inspector.body_id is not None
    audit = Audit(
        inspector_id=inspector.id,
        body_id=inspector.body_id,
        artisan_id=workshop.artisan_id,
        scheme_id=scheme.id,
        audit_date=today - timedelta(days=10),
        outcome="pass",
        content_hash="0" * 64,
    )
    session.add(audit)
    session.flush()
    assert audit.id is not None
    certificate = Certificate(
        code=code,
        artisan_id=workshop.artisan_id,
        body_id=inspector.body_id,
        scheme_id=scheme.id,
        audit_id=audit.id,
        valid_from=valid_from or today - timedelta(days=5),
        valid_until=valid_until or today + timedelta(days=365),
        status=status,
        created_by=inspector.id,
    )
    session.add(certificate)
    session.flush()
    assert certificate.id is not None
    line_id = workshop.extra["product_line_id"]
    session.add(CertificateScope(certificate_id=certificate.id, product_line_id=line_id))
    session.commit()
    return CertificateRef(id=certificate.id, code=code, product_line_id=line_id)


@pytest.fixture
def signer() -> Iterator[KeyfileSigner]:
    with ephemeral_signer() as key:
        yield key


@pytest.fixture
def labels_app(app: FastAPI, signer: KeyfileSigner) -> FastAPI:
    """The app with the label routes (until main.ROUTERS lists them) and a test signer."""
    from main import ROUTERS

    if "labeling.labels.router" not in ROUTERS:
        from labeling.labels.router import router

        app.include_router(router)
    app.dependency_overrides[get_label_signer] = lambda: signer
    return app


@pytest.fixture
def labels_client(labels_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(labels_app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def certificate(session: Session, inspector: Actor, artisan: Actor) -> CertificateRef:
    return make_certificate(session, inspector=inspector, workshop=artisan)


def queued_batch(url: str, cert: CertificateRef, inspector: Actor, quantity: int, **kw: Any) -> int:
    """A background batch row, as a request (or a dead process) left it."""
    from verify.gtin import normalise_gtin

    with new_session(url) as session:
        gtin = session.exec(
            text("SELECT gtin FROM product_line WHERE id = :p").bindparams(p=cert.product_line_id)
        ).one()[0]  # type: ignore[call-overload]
        artisan_id = session.exec(
            text("SELECT artisan_id FROM certificate WHERE id = :c").bindparams(c=cert.id)
        ).one()[0]  # type: ignore[call-overload]
        batch = LabelBatch(
            body_id=inspector.body_id or 0,
            certificate_id=cert.id,
            artisan_id=artisan_id,
            product_line_id=cert.product_line_id,
            gtin=normalise_gtin(gtin),
            quantity=quantity,
            status=kw.pop("status", "queued"),
            request_hash="0" * 64,
            created_by=inspector.id,
            **kw,
        )
        session.add(batch)
        session.commit()
        assert batch.id is not None
        return batch.id
