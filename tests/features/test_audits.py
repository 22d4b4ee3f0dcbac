"""Steps of audits.feature: inspectors record audits, the registry decides the outcome.

Workshops and accounts are created straight in the database through the actor fixtures
(the registry's own endpoints belong to another story); everything the people in the
scenarios do goes through the API. State passes between steps through ``target_fixture``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from schemas.registry import Body
from tests.audits.helpers import (
    audit_body,
    carpet_findings,
    certify,
    count,
    madmoun_findings,
    record_audit,
    register_workshop,
    submit_audit,
)
from tests.fixtures.actors import Actor

scenarios("audits.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Run every scenario on SQLite and on PostgreSQL."""
    return db_url


## Given


@given(
    "the Taznakht weaving cooperative registered with the Drâa-Tafilalet chambre",
    target_fixture="workshop",
)
def taznakht_cooperative(artisan: Actor) -> Actor:
    """The cooperative of the ``artisan`` fixture, with its hand-knotted carpet line."""
    return artisan


@given("a Safi potter registered with the Marrakech-Safi chambre", target_fixture="workshop")
def safi_potter(potter: Actor) -> Actor:
    return potter


@given("a potter registered with the Drâa-Tafilalet chambre", target_fixture="workshop")
def draa_potter(session: Session, chambre: Body) -> Actor:
    """A potter of the same chambre as the carpet inspector, so that only the scheme
    authorisation stands between them."""
    assert chambre.id is not None
    return register_workshop(
        session,
        body_id=chambre.id,
        nia="NIA-08-000999",
        public_id="TAMEGR0UTE",
        latin="Poterie de Tamegroute",
        region="MA-08",
        filiere="F04",
        metier="Potier",
        city="Tamegroute",
        product=("poterie", "Tajine vert de Tamegroute"),
    )


@given("an inspector of that chambre authorised for the carpet stamp", target_fixture="auditor")
def carpet_inspector(inspector: Actor, workshop: Actor) -> Actor:
    """Authorised for TAPIS-* and MFM-*, not for Madmoun (see the actor fixtures)."""
    assert inspector.body_id == workshop.body_id
    return inspector


@given("an inspector of that chambre authorised for Madmoun", target_fixture="auditor")
def madmoun_auditor(madmoun_inspector: Actor, workshop: Actor) -> Actor:
    assert madmoun_inspector.body_id == workshop.body_id
    return madmoun_inspector


@given(
    parsers.parse('the inspector has recorded a "{scheme}" audit of the workshop'),
    target_fixture="recorded",
)
def recorded_audit(
    client: TestClient, auditor: Actor, workshop: Actor, scheme: str
) -> dict[str, Any]:
    return record_audit(client, auditor, workshop, scheme=scheme)


@given("Fatima Aït Ali, a weaver of the same chambre, is signed in", target_fixture="fatima")
def fatima(other_artisan_user: Actor) -> Actor:
    return other_artisan_user


## When


@when(
    parsers.parse(
        'the inspector records a "{scheme}" audit counting {knots:d} knots per square metre'
    ),
    target_fixture="submitted",
)
def record_carpet_audit(
    client: TestClient, auditor: Actor, workshop: Actor, scheme: str, knots: int
) -> httpx.Response:
    body = audit_body(workshop, scheme=scheme, findings=carpet_findings(knots))
    return submit_audit(client, auditor, body)


@when(
    parsers.parse(
        "the inspector records a Madmoun audit measuring {lead:g} mg/dm2 of lead release"
    ),
    target_fixture="submitted",
)
def record_madmoun_audit(
    client: TestClient, auditor: Actor, workshop: Actor, lead: float
) -> httpx.Response:
    body = audit_body(workshop, scheme="MADMOUN", findings=madmoun_findings(lead))
    return submit_audit(client, auditor, body)


@when("the inspector certifies the workshop from that audit", target_fixture="certified")
@when("the inspector tries to certify the workshop from that audit", target_fixture="certified")
def certify_from_audit(
    client: TestClient, auditor: Actor, submitted: httpx.Response
) -> httpx.Response:
    return certify(client, auditor, submitted.json()["id"])


@when("Fatima opens the cooperative's audit", target_fixture="answer")
def fatima_opens(client: TestClient, fatima: Actor, recorded: dict[str, Any]) -> httpx.Response:
    return client.get(f"/api/v1/audits/{recorded['id']}", headers=fatima.headers)


@when(
    parsers.parse("the inspector corrects it with a count of {knots:d} knots per square metre"),
    target_fixture="correction",
)
def correct_audit(
    client: TestClient, auditor: Actor, workshop: Actor, submitted: httpx.Response, knots: int
) -> httpx.Response:
    body = audit_body(workshop, findings=carpet_findings(knots), notes="Comptage refait")
    del body["artisan_id"]
    original = submitted.json()["id"]
    return client.post(f"/api/v1/audits/{original}/corrections", json=body, headers=auditor.headers)


## Then


@then("the audit passes")
def audit_passes(submitted: httpx.Response) -> None:
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["outcome"] == "pass"


@then(parsers.parse('the audit fails on "{criterion}" only'))
def audit_fails_on(submitted: httpx.Response, criterion: str) -> None:
    assert submitted.status_code == 201, submitted.text
    audit = submitted.json()
    assert audit["outcome"] == "fail"
    assert [f["criterion_code"] for f in audit["findings"] if not f["passed"]] == [criterion]


@then(
    parsers.parse('the workshop holds an active "{scheme}" certificate valid for {months:d} months')
)
def holds_certificate(
    client: TestClient, certified: httpx.Response, workshop: Actor, scheme: str, months: int
) -> None:
    from datetime import date, timedelta

    from core.calendar import add_months

    assert certified.status_code == 201, certified.text
    certificate = certified.json()
    assert (certificate["status"], certificate["scheme_code"]) == ("active", scheme)
    assert certificate["artisan_id"] == workshop.artisan_id
    valid_from = date.fromisoformat(certificate["valid_from"])
    assert date.fromisoformat(certificate["valid_until"]) == (
        add_months(valid_from, months) - timedelta(days=1)
    )


def _refused(answer: httpx.Response, detail: str, status: int) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == detail


@then(parsers.parse('the audit is refused with "{detail}" ({status:d})'))
def audit_refused(submitted: httpx.Response, detail: str, status: int) -> None:
    _refused(submitted, detail, status)


@then(parsers.parse('the certificate is refused with "{detail}" ({status:d})'))
def certificate_refused(certified: httpx.Response, detail: str, status: int) -> None:
    _refused(certified, detail, status)


@then(parsers.parse('Fatima is told "{detail}" ({status:d})'))
def fatima_is_told(answer: httpx.Response, detail: str, status: int) -> None:
    _refused(answer, detail, status)


@then("Fatima's list of audits is empty")
def fatima_list_is_empty(client: TestClient, fatima: Actor) -> None:
    page = client.get("/api/v1/audits", headers=fatima.headers).json()
    assert (page["items"], page["total"]) == ([], 0)


@then("the workshop holds no certificate")
def no_certificate(session: Session) -> None:
    assert count(session, "certificate") == 0


@then("no audit of the workshop is on record")
def no_audit(session: Session) -> None:
    assert count(session, "audit") == 0


@then("the correction passes and names the original audit")
def correction_passes(correction: httpx.Response, submitted: httpx.Response) -> None:
    assert correction.status_code == 201, correction.text
    assert correction.json()["outcome"] == "pass"
    assert correction.json()["corrects_audit_id"] == submitted.json()["id"]


@then("the original audit still fails and points to its correction")
def original_stands(
    client: TestClient, auditor: Actor, submitted: httpx.Response, correction: httpx.Response
) -> None:
    original = client.get(f"/api/v1/audits/{submitted.json()['id']}", headers=auditor.headers)
    assert original.json()["outcome"] == "fail"
    assert original.json()["corrected_by_audit_id"] == correction.json()["id"]
