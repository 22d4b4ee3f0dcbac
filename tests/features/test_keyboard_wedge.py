"""Step definitions of ``keyboard_wedge.feature``: what a keyboard-wedge scanner types after
(or before) a label is not part of it (verify.label_text)."""

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
from tests.labels.fixtures import *  # noqa: F403  (labels_app, signer …)
from tests.labels.fixtures import CertificateRef, make_certificate
from tests.verification.fixtures import *  # noqa: F403  (verify_client, label_key …)
from tests.verification.fixtures import issue

scenarios("keyboard_wedge.feature")

#: What the scanner types after the label, by the name a clerk gives the key.
KEYS = {"Enter": "\n", "Enter on Windows": "\r\n", "Tab": "\t", "a space": " "}


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str, settings: Settings) -> Any:
    """Each scenario runs on SQLite and on PostgreSQL; the verification read connections
    are closed before the test database is dropped."""
    yield db_url
    forget_registry(settings)


def _scan(client: TestClient, text: str) -> Any:
    """What the till does with one scan: ``GET /api/v1/verify?label=`` with the text."""
    response = client.get("/api/v1/verify", params={"label": text})
    assert response.status_code == 200, response.text
    return response.json()


## Given


@given("a weaving cooperative in Taznakht certified for its carpets", target_fixture="cert")
def certified_cooperative(session: Session, inspector: Actor, artisan: Actor) -> CertificateRef:
    return make_certificate(session, inspector=inspector, workshop=artisan)


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
    return issue(verify_client, inspector, cert, count)


## When


@when(
    parsers.parse("the clerk scans a carpet label and the scanner adds {key} after it"),
    target_fixture="answer",
)
def scan_with_key(verify_client: TestClient, labels: list[str], key: str) -> Any:
    return _scan(verify_client, labels[0] + KEYS[key])


@when(
    "the scanner puts a space before a carpet label and presses Enter after it",
    target_fixture="answer",
)
def scan_with_space_and_enter(verify_client: TestClient, labels: list[str]) -> Any:
    return _scan(verify_client, " " + labels[1] + "\r\n")


@when(
    parsers.parse(
        "the clerk scans the {count:d} carpets of a pallet and the till sends them in one "
        "call, each with the scanner's Enter"
    ),
    target_fixture="pallet",
)
def scan_pallet(verify_client: TestClient, labels: list[str], count: int) -> tuple[list[str], Any]:
    endings = ("\n", "\r\n", " \t")
    scans = [label + endings[i % 3] for i, label in enumerate(labels[:count])]
    response = verify_client.post("/api/v1/verify", json={"labels": scans})
    assert response.status_code == 200, response.text
    return labels[:count], response.json()


@when("the clerk scans a carpet label that has a space inside it", target_fixture="answer")
def scan_broken(verify_client: TestClient, labels: list[str]) -> Any:
    label = labels[2]
    broken = label.replace("/21/", "/21/ ", 1)
    return _scan(verify_client, broken + "\n")


## Then


@then(parsers.parse('the till shows "{verdict}" for the carpet'))
def till_shows(answer: Any, verdict: str) -> None:
    assert answer["verdict"] == verdict, answer["reasons"]
    assert answer["reasons"] == []


@then(
    parsers.parse(
        'the till shows "{verdict}" for each of the {count:d} carpets, in the order scanned'
    )
)
def till_shows_each(pallet: tuple[list[str], Any], verdict: str, count: int) -> None:
    labels, body = pallet
    assert body["count"] == count
    for label, answer in zip(labels, body["verdicts"], strict=True):
        assert answer["verdict"] == verdict, answer["reasons"]
        assert f"/21/{answer['label']['serial']}?" in label


@then(parsers.parse('the till shows "{verdict}" because the label is "{reason}"'))
def till_refuses(answer: Any, verdict: str, reason: str) -> None:
    assert answer["verdict"] == verdict
    assert answer["reasons"] == [reason]
