"""Steps of retailer_receipts.feature (state passes through ``target_fixture``)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text
from sqlmodel import Session

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels, make_retailer
from tests.retailers.test_epcis import document

scenarios("retailer_receipts.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Run every scenario on SQLite and on PostgreSQL."""
    return db_url


def _marks(session: Session) -> list[tuple[int, str]]:
    rows = session.exec(text("SELECT label_id, reason FROM label_mark")).all()  # type: ignore[call-overload]
    session.rollback()
    return [(int(row[0]), str(row[1])) for row in rows]


def _record(
    client: TestClient, store: RetailerRef, uris: list[str], shipment: str
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/receipts", json={"shipment_ref": shipment, "labels": uris}, headers=store.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


## Given


@given("a weaving cooperative in Taznakht certified for its carpets", target_fixture="cert")
def a_certified_cooperative(certificate: CertificateRef) -> CertificateRef:
    """The cooperative, its certificate and its carpets' product line (label fixtures)."""
    return certificate


@given(parsers.parse("the cooperative's labels for {count:d} carpets"), target_fixture="carpets")
def carpets(
    verify_client: TestClient, admin: Actor, cert: CertificateRef, count: int
) -> list[dict[str, Any]]:
    """Labels issued for the carpets, one each, as the inspector issues them."""
    return issue_labels(verify_client, admin, cert, count)


@given(
    "Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts",
    target_fixture="stores",
)
def stores(db_url: str) -> dict[str, RetailerRef]:
    """Both accounts opened by the registry's operators, each with its API key."""
    return {
        "Galeries Lafayette": make_retailer(db_url, "Galeries Lafayette", "FR"),
        "El Corte Inglés": make_retailer(db_url, "El Corte Inglés", "ES"),
    }


## When


@when(
    parsers.parse(
        'Galeries Lafayette records the receipt of the {count:d} carpets in shipment "{shipment}"'
    ),
    target_fixture="first_answer",
)
def galeries_receives(
    verify_client: TestClient,
    stores: dict[str, RetailerRef],
    carpets: list[dict[str, Any]],
    shipment: str,
) -> dict[str, Any]:
    uris = [str(carpet["uri"]) for carpet in carpets]
    return _record(verify_client, stores["Galeries Lafayette"], uris, shipment)


@when(
    parsers.parse('El Corte Inglés records the receipt of the first carpet in shipment "{ref}"'),
    target_fixture="corte_answer",
)
def corte_receives(
    verify_client: TestClient,
    stores: dict[str, RetailerRef],
    carpets: list[dict[str, Any]],
    ref: str,
) -> dict[str, Any]:
    return _record(verify_client, stores["El Corte Inglés"], [str(carpets[0]["uri"])], ref)


@when(
    "Galeries Lafayette's warehouse system sends the same receipts again",
    target_fixture="second_answer",
)
def galeries_again(
    verify_client: TestClient, stores: dict[str, RetailerRef], carpets: list[dict[str, Any]]
) -> dict[str, Any]:
    uris = [str(carpet["uri"]) for carpet in carpets]
    return _record(verify_client, stores["Galeries Lafayette"], uris, "DESADV-0412")


@when(
    parsers.parse(
        "Galeries Lafayette's dock scans the first carpet's label twice in shipment \"{ref}\""
    )
)
def scanned_twice(
    verify_client: TestClient,
    stores: dict[str, RetailerRef],
    carpets: list[dict[str, Any]],
    ref: str,
) -> None:
    uri = str(carpets[0]["uri"])
    _record(verify_client, stores["Galeries Lafayette"], [uri, str(carpets[1]["uri"]), uri], ref)


@when(
    parsers.parse(
        "Galeries Lafayette's EPCIS system sends a receiving event for the {count:d} carpets"
    )
)
def epcis_event(
    verify_client: TestClient, stores: dict[str, RetailerRef], carpets: list[dict[str, Any]]
) -> None:
    doc = document([str(carpet["uri"]) for carpet in carpets])
    response = verify_client.post(
        "/api/v1/epcis/events",
        json=doc,
        headers={
            **stores["Galeries Lafayette"].headers,
            "Content-Type": "application/ld+json",
        },
    )
    assert response.status_code == 200, response.text


## Then


@then("the first carpet's label belongs to Galeries Lafayette, received in France")
def bound_to_galeries(first_answer: dict[str, Any]) -> None:
    receipt = first_answer["items"][0]["receipt"]
    assert receipt["binds"] is True and receipt["country"] == "FR"


@then(parsers.parse('El Corte Inglés is told that the label was "{reason}"'))
def corte_told(corte_answer: dict[str, Any], reason: str) -> None:
    receipt = corte_answer["items"][0]["receipt"]
    assert receipt["binds"] is False and receipt["marks"] == [reason]


@then(parsers.parse('the first carpet\'s label is marked "{reason}"'))
def first_marked(session: Session, carpets: list[dict[str, Any]], reason: str) -> None:
    assert _marks(session) == [(int(str(carpets[0]["id"])), reason)]


@then("the other carpets' labels carry no mark")
def others_unmarked(session: Session, carpets: list[dict[str, Any]]) -> None:
    marked = {label_id for label_id, _ in _marks(session)}
    assert not marked & {int(str(carpet["id"])) for carpet in carpets[1:]}


@then("Galeries Lafayette gets the same answer both times")
def same_answer(first_answer: dict[str, Any], second_answer: dict[str, Any]) -> None:
    assert first_answer == second_answer and first_answer["recorded"] == 3


@then("no label is marked")
def nothing_marked(session: Session) -> None:
    assert _marks(session) == []


@then(
    parsers.parse(
        "Galeries Lafayette's receipts list the {count:d} carpets, recorded through EPCIS"
    )
)
def listed(
    verify_client: TestClient,
    stores: dict[str, RetailerRef],
    carpets: list[dict[str, Any]],
    count: int,
) -> None:
    page = verify_client.get(
        "/api/v1/receipts", headers=stores["Galeries Lafayette"].headers
    ).json()
    assert [r["serial"] for r in page["items"]] == [c["serial"] for c in carpets][:count]
    assert {r["channel"] for r in page["items"]} == {"epcis"}
