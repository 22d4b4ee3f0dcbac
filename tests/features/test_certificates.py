"""Steps of certificates.feature: a body admin suspends, reinstates and withdraws.

The certificate is issued through the API from a passing audit recorded by the chambre's
inspector; the workshop and the accounts come from the actor fixtures. State passes between
steps through ``target_fixture``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from core import calendar
from tests.audits.helpers import issue_certificate, log_events
from tests.fixtures.actors import Actor

scenarios("certificates.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Run every scenario on SQLite and on PostgreSQL."""
    return db_url


def _status_change(
    client: TestClient,
    actor: Actor,
    certificate: dict[str, Any],
    action: str,
    reason: str,
    note: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"reason_code": reason}
    if note is not None:
        body["reason_text"] = note
    return client.post(
        f"/api/v1/certificates/{certificate['id']}/{action}", json=body, headers=actor.headers
    )


## Given


@given(
    parsers.parse('the Taznakht weaving cooperative holds an active "{scheme}" certificate'),
    target_fixture="certificate",
)
def active_certificate(
    client: TestClient, inspector: Actor, artisan: Actor, scheme: str
) -> dict[str, Any]:
    """Recorded and certified by the chambre's carpet inspector."""
    return issue_certificate(client, inspector, artisan, scheme=scheme)


@given("the admin of the Drâa-Tafilalet chambre is signed in", target_fixture="body_admin")
def body_admin(admin: Actor) -> Actor:
    return admin


@given(parsers.parse('the admin has suspended the certificate for "{reason}"'))
def suspended_before(
    client: TestClient, body_admin: Actor, certificate: dict[str, Any], reason: str
) -> None:
    assert _status_change(client, body_admin, certificate, "suspend", reason).status_code == 200


## When


@when(
    parsers.parse('the admin suspends the certificate for "{reason}" noting "{note}"'),
    target_fixture="answer",
)
def suspend_with_note(
    client: TestClient, body_admin: Actor, certificate: dict[str, Any], reason: str, note: str
) -> httpx.Response:
    return _status_change(client, body_admin, certificate, "suspend", reason, note)


@when(
    parsers.re(
        r"the admin (?P<action>suspends|reinstates|withdraws) the certificate "
        r'for "(?P<reason>[a-z_]+)"'
    ),
    target_fixture="answer",
)
def admin_changes_status(
    client: TestClient, body_admin: Actor, certificate: dict[str, Any], action: str, reason: str
) -> httpx.Response:
    verb = {"suspends": "suspend", "reinstates": "reinstate", "withdraws": "withdraw"}[action]
    return _status_change(client, body_admin, certificate, verb, reason)


@when(
    parsers.parse('the inspector who certified suspends the certificate for "{reason}"'),
    target_fixture="answer",
)
def inspector_suspends(
    client: TestClient, inspector: Actor, certificate: dict[str, Any], reason: str
) -> httpx.Response:
    return _status_change(client, inspector, certificate, "suspend", reason)


@when("the certificate's validity has run out")
def validity_runs_out(certificate: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    day_after = date.fromisoformat(certificate["valid_until"]) + timedelta(days=1)
    monkeypatch.setattr(calendar, "registry_today", lambda: day_after)


## Then


@then(parsers.parse('the certificate is "{status}"'))
def certificate_is(
    client: TestClient, body_admin: Actor, certificate: dict[str, Any], status: str
) -> None:
    current = client.get(f"/api/v1/certificates/{certificate['id']}", headers=body_admin.headers)
    assert current.json()["status"] == status


@then("the certificate's history reads:")
def history_reads(
    client: TestClient, body_admin: Actor, certificate: dict[str, Any], datatable: list[list[str]]
) -> None:
    header, *rows = datatable
    assert header == ["action", "from", "to", "reason"]
    history = client.get(
        f"/api/v1/certificates/{certificate['id']}/history", headers=body_admin.headers
    ).json()
    seen = [
        [e["action"], e["from_status"] or "", e["to_status"], e["reason_code"]] for e in history
    ]
    assert seen == rows
    assert all(e["actor_id"] for e in history)


@then("the suspension note is in the history but not in the public log")
def note_stays_private(
    client: TestClient, body_admin: Actor, certificate: dict[str, Any], session: Session
) -> None:
    history = client.get(
        f"/api/v1/certificates/{certificate['id']}/history", headers=body_admin.headers
    ).json()
    note = history[1]["reason_text"]
    assert note and note.startswith("Densité relevée")
    logged = log_events(session, "certificate.suspended")
    assert [event["reason_code"] for event in logged] == ["surveillance_nonconformity"]
    assert all(note not in str(event) for event in logged)


@then(parsers.parse('the {who:w} is told "{detail}" ({status:d})'))
def told(answer: httpx.Response, who: str, detail: str, status: int) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == detail
