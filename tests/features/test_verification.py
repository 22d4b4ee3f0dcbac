"""Step definitions of ``verification.feature`` (state passes through ``target_fixture``)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from core.settings import Settings
from labeling.verification.service import forget_registry
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import checkpoint, issue

scenarios("verification.feature")

JSON = {"Accept": "application/json"}
GS1 = "https://gs1.org/voc/"
PERSONAL = ("CIN-", "+212", "Derb ", "national_id", "phone", "address", "email")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str, settings: Settings) -> Any:
    """Requesting ``db_url`` runs each scenario on SQLite and on PostgreSQL; the
    verification read connections are closed before the test database is dropped."""
    yield db_url
    forget_registry(settings)


def _path(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


## Given


@given(
    parsers.parse("the inspector issued {count:d} labels for the cooperative's carpets"),
    target_fixture="labels",
)
def issued(
    verify_client: TestClient,
    labels_app: FastAPI,
    inspector: Actor,
    cert: CertificateRef,
    count: int,
) -> list[str]:
    uris = issue(verify_client, inspector, cert, count)
    checkpoint(labels_app)  # the registry signs a checkpoint every minute
    return uris


@given(parsers.parse('the chambre suspended the cooperative\'s certificate for "{reason}"'))
def suspended(verify_client: TestClient, admin: Actor, cert: CertificateRef, reason: str) -> None:
    response = verify_client.post(
        f"/api/v1/certificates/{cert.id}/suspend",
        json={"reason_code": reason},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


## When


@when("a buyer's phone asks for the verdict of one of the carpet labels", target_fixture="answer")
def buyer_scans(verify_client: TestClient, labels: list[str]) -> Any:
    response = verify_client.get(_path(labels[17]), headers=JSON)
    assert response.status_code == 200
    return response.json()


@when(
    "a buyer's phone asks for the verdict of a carpet label whose serial was altered",
    target_fixture="answer",
)
def buyer_scans_altered(verify_client: TestClient, labels: list[str]) -> Any:
    path = _path(labels[3])
    serial = path.split("/")[4].split("?")[0]
    altered = serial[:4] + ("X" if serial[4] != "X" else "Y") + serial[5:]
    response = verify_client.get(path.replace(f"/{serial}?", f"/{altered}?"), headers=JSON)
    assert response.status_code == 200
    return response.json()


@when(
    "a receiving clerk sends the 400 scanned labels of the pallet in one bulk request",
    target_fixture="pallet",
)
def clerk_checks_pallet(verify_client: TestClient, labels: list[str]) -> tuple[list[str], Any]:
    scans = list(reversed(labels))
    response = verify_client.post("/api/v1/verify", json={"labels": scans})
    assert response.status_code == 200, response.text
    return scans, response.json()


@when(
    "a receiving clerk sends the 400 scanned labels of the pallet with one misread in the middle",
    target_fixture="pallet",
)
def clerk_checks_pallet_with_misread(
    verify_client: TestClient, labels: list[str]
) -> tuple[list[str], Any]:
    scans = [*labels[:200], "HTTPS://KHATEM.MA/01/0611\x1d", *labels[200:]]
    response = verify_client.post("/api/v1/verify", json={"labels": scans})
    assert response.status_code == 200, response.text
    return scans, response.json()


@when("the retailer's system asks the label URL for a GS1 linkset", target_fixture="linkset")
def retailer_asks_linkset(verify_client: TestClient, labels: list[str]) -> Any:
    response = verify_client.get(_path(labels[0]), headers={"Accept": "application/linkset+json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/linkset+json"
    return response.json()["linkset"][0]


## Then


@then(parsers.parse('the verdict is "{verdict}" with no reasons'))
def verdict_without_reasons(answer: Any, verdict: str) -> None:
    assert answer["verdict"] == verdict
    assert answer["reasons"] == []


@then(parsers.parse('the verdict is "{verdict}" because of "{reason}"'))
def verdict_because(answer: Any, verdict: str, reason: str) -> None:
    assert answer["verdict"] == verdict
    assert answer["reasons"] == [reason]


@then("the verdict names the cooperative in Latin and Arabic script")
def names_both_scripts(answer: Any, artisan: Actor, session: Session) -> None:
    from schemas.registry import Artisan

    row = session.get(Artisan, artisan.artisan_id)
    assert row is not None
    shown = answer["certificate"]["artisan"]
    assert shown["display_name_latin"] == row.display_name_latin
    assert shown["display_name_arabic"] == row.display_name_arabic


@then("the verdict shows no personal data of the cooperative")
def no_personal_data(answer: Any, artisan: Actor, session: Session) -> None:
    import json

    from schemas.registry import Artisan

    row = session.get(Artisan, artisan.artisan_id)
    assert row is not None
    text = json.dumps(answer, ensure_ascii=False)
    for private in (row.national_id, row.phone, row.address, row.nia, *PERSONAL):
        assert private and private not in text
    assert f'"id": {row.id}' not in text


@then(parsers.parse('the verdict gives "{reason}" as the certificate\'s status reason'))
def status_reason(answer: Any, reason: str) -> None:
    assert answer["certificate"]["status_reason"] == reason
    status = next(c for c in answer["checks"] if c["name"] == "certificate_status")
    assert status["detail"] == {"reason_code": reason}


@then(
    parsers.parse('the clerk gets {count:d} verdicts, in the order of the scans, all "{verdict}"')
)
def pallet_all(pallet: tuple[list[str], Any], count: int, verdict: str) -> None:
    scans, body = pallet
    assert body["count"] == count == len(body["verdicts"])
    assert {v["verdict"] for v in body["verdicts"]} == {verdict}
    _in_order(scans, body)


@then(parsers.parse("the clerk gets {count:d} verdicts, in the order of the scans"))
def pallet_in_order(pallet: tuple[list[str], Any], count: int) -> None:
    scans, body = pallet
    assert body["count"] == count == len(body["verdicts"])
    _in_order(scans, body)


def _in_order(scans: list[str], body: Any) -> None:
    for scan, verdict in zip(scans, body["verdicts"], strict=True):
        if verdict["label"] is not None:
            assert f"/21/{verdict['label']['serial']}?" in scan


@then(parsers.parse('the misread scan\'s verdict is "{verdict}" because of "{reason}"'))
def misread(pallet: tuple[list[str], Any], verdict: str, reason: str) -> None:
    _, body = pallet
    assert body["verdicts"][200]["verdict"] == verdict
    assert body["verdicts"][200]["reasons"] == [reason]


@then("the linkset's certification link leads to the cooperative's public certificate page")
def certification_link(linkset: Any, verify_client: TestClient, labels: list[str]) -> None:
    code = verify_client.get(_path(labels[0]), headers=JSON).json()["certificate"]["code"]
    [link] = linkset[GS1 + "certificationInfo"]
    assert link["href"].endswith(f"/certificates/{code}")


@then("the linkset's product information link leads to the label's verification page")
def pip_link(linkset: Any, labels: list[str]) -> None:
    [page] = linkset[GS1 + "pip"]
    assert page["href"].endswith(_path(labels[0]))
    assert page["type"] == "text/html"
