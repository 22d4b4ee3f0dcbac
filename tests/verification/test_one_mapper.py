"""One mapper turns rows into certificate facts (labeling/verification/facts.py): the online
verdict, the status snapshot and the public certificate page say the same facts, and names
stored before bidi controls were refused at the door come back without them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.calendar import registry_today
from core.settings import Settings
from labeling.demo import load_demo
from labeling.public.service import certificate_page
from labeling.snapshots.repository import certificate_facts
from main import create_app
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue, sql
from tests.verification.golden_demo import demo_labels
from verify.label_codec import format_certificate_code, parse_label_uri
from verify.verdict import CertificateFacts

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _path(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


def _three_ways(
    client: TestClient, session: Session, uri: str, code: int
) -> tuple[CertificateFacts, CertificateFacts, CertificateFacts]:
    """The certificate's facts as a verdict, the snapshot and the public page say them."""
    answer = client.get(_path(uri), headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    online = CertificateFacts.model_validate(answer.json()["certificate"])
    text = format_certificate_code(code)
    [snapshot] = [facts for facts in certificate_facts(session) if facts.code == text]
    page = certificate_page(session=session, code_text=text, today=registry_today()).facts
    session.rollback()
    return online, snapshot, page


@pytest.fixture
def demo(session: Session, settings: Settings, prepared: list[str]) -> Iterator[TestClient]:
    """The demo registry: certificates active and suspended, audits with criteria met."""
    load_demo(session=session, settings=settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_the_verdict_the_snapshot_and_the_page_say_the_same_facts(
    demo: TestClient, session: Session, settings: Settings
) -> None:
    seen = set()
    for _, uri in demo_labels(session, settings.label_host):
        code = parse_label_uri(uri).certificate_code
        online, snapshot, page = _three_ways(demo, session, uri, code)
        assert online.model_dump() == snapshot.model_dump() == page.model_dump()
        seen.add(online.status)
        assert online.conformity.criteria_met  # the page used to leave them out
    assert seen == {"active", "suspended"}


def test_names_stored_with_bidi_controls_come_back_without_them(
    verify_client: TestClient,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    artisan: Actor,
) -> None:
    """Rows written before names were refused at the door: the JSON a retailer's system
    prints, the snapshot and the page are cleaned where the facts are read."""
    sql(
        session,
        "UPDATE artisan SET display_name_latin = :latin, display_name_arabic = :arabic, "
        "metier = :craft WHERE id = :id",
        latin="Coop \u202egnp.exe",
        arabic="\u2067تعاونية\u2069",
        craft="Tissage\u202b",
        id=artisan.artisan_id,
    )
    [uri] = issue(verify_client, inspector, certificate, 1)
    for facts in _three_ways(verify_client, session, uri, certificate.code):
        artisan = facts.artisan
        assert (artisan.display_name_latin, artisan.display_name_arabic, artisan.craft) == (
            "Coop gnp.exe",
            "تعاونية",
            "Tissage",
        )
        shown = facts.model_dump_json()
        assert not any(control in shown for control in BIDI_CONTROLS)


def test_a_certificate_page_shows_the_status_since_its_change(
    verify_client: TestClient, session: Session, admin: Actor, certificate: CertificateRef
) -> None:
    response = verify_client.post(
        f"/api/v1/certificates/{certificate.id}/suspend",
        json={"reason_code": "surveillance_nonconformity"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    page = certificate_page(
        session=session,
        code_text=format_certificate_code(certificate.code),
        today=registry_today(),
    )
    assert page.status == "suspended"
    assert page.status_since is not None
    assert page.facts.status_reason == "surveillance_nonconformity"
