"""Step definitions of ``shipment_check.feature``: the bulk page and the bulk API flag a
serial that one shipment carries twice. Every scenario runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pytest_bdd import given, parsers, scenarios, then, when

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue

scenarios("shipment_check.feature")

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
HEADER = ["Date", "Scan", "Pallet"]


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _spreadsheet(scans: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n, scan in enumerate(scans, start=1):
        writer.writerow([f"2026-11-20 10:3{n}", scan, f"P{n}"])
    return out.getvalue().encode()


def _upload(client: TestClient, scans: list[str], output: str) -> Response:
    response = client.post(
        "/verify/bulk?lang=en",
        files={"file": ("delivery.csv", _spreadsheet(scans), "text/csv")},
        data={"format": output},
        headers={"Accept": BROWSER},
    )
    assert response.status_code == 200, response.text
    return response


## Given


@given(parsers.parse("the cooperative shipped {count:d} labelled carpets"), target_fixture="labels")
def shipped(
    verify_client: TestClient, inspector: Actor, cert: CertificateRef, count: int
) -> list[str]:
    return issue(verify_client, inspector, cert, count)


@given("someone copied the first carpet's label onto a fourth carpet", target_fixture="scans")
def copied(labels: list[str]) -> list[str]:
    return [*labels, labels[0]]


## When


@when(
    "the clerk uploads the delivery spreadsheet, with its date and pallet columns",
    target_fixture="page",
)
def uploads(verify_client: TestClient, scans: list[str]) -> Response:
    return _upload(verify_client, scans, "html")


@when(
    "the clerk downloads the results of the delivery spreadsheet as CSV",
    target_fixture="results",
)
def downloads(verify_client: TestClient, scans: list[str]) -> list[list[str]]:
    response = _upload(verify_client, scans, "csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@when("the till system sends the four scans to the bulk API", target_fixture="answer")
def till_sends(verify_client: TestClient, scans: list[str]) -> dict[str, object]:
    response = verify_client.post("/api/v1/verify", json={"labels": scans})
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


## Then


def _rows(page: Response) -> dict[int, str]:
    return {
        int(number): row
        for row, number in re.findall(
            r'(<tr data-verdict="[^"]*" data-row="(\d+)"[^>]*>)', page.text
        )
    }


@then("rows 2 and 5 of the spreadsheet are flagged as carrying the same serial")
def flagged(page: Response) -> None:
    rows = _rows(page)
    assert sorted(rows) == [2, 3, 4, 5]
    assert [n for n, row in rows.items() if 'data-repeated="true"' in row] == [2, 5]
    assert page.text.count("Same serial on rows 2, 5") == 2


@then(parsers.parse("the summary warns that {serials:d} serial is repeated on {rows:d} rows"))
def summary(page: Response, serials: int, rows: int) -> None:
    assert f'data-repeated-serials="{serials}"' in page.text
    assert f"Repeated serials: {serials} ({rows} rows)" in page.text


@then("the clerk can show only the rows to look at: rows 2 and 5")
def problems_only(page: Response) -> None:
    assert '<a class="only" href="#problems">Show only the rows to look at (2)</a>' in page.text
    rows = _rows(page)
    assert [n for n, row in rows.items() if 'class="problem"' in row] == [2, 5]
    assert [n for n, row in rows.items() if 'class="fine"' in row] == [3, 4]


@then("the results keep the clerk's columns in their order, with the verdict columns after")
def keeps_columns(results: list[list[str]], scans: list[str]) -> None:
    header = results[0]
    assert header[:3] == HEADER
    assert header[3:6] == ["row", "url", "verdict"]
    assert [row[1] for row in results[1:]] == scans
    assert [row[2] for row in results[1:]] == ["P1", "P2", "P3", "P4"]


@then("each result names its row in the clerk's spreadsheet, the first scan being row 2")
def row_numbers(results: list[list[str]]) -> None:
    assert [row[3] for row in results[1:]] == ["2", "3", "4", "5"]


@then("rows 2 and 5 name each other as carrying the same serial")
def same_serial_rows(results: list[list[str]]) -> None:
    column = results[0].index("same_serial_rows")
    assert [row[column] for row in results[1:]] == ["2 5", "", "", "2 5"]


@then(parsers.parse('each verdict still says "{word}"'))
def verdicts_unchanged(answer: dict[str, object], word: str) -> None:
    verdicts = answer["verdicts"]
    assert isinstance(verdicts, list)
    assert [v["verdict"] for v in verdicts] == [word] * 4


@then("the answer lists the repeated serial at positions 0 and 3")
def lists_repeat(answer: dict[str, object], scans: list[str]) -> None:
    gtin, serial = re.findall(r"/01/(\d{14})/21/([0-9A-Z]+)\?", scans[0])[0]
    assert answer["duplicates"] == [{"gtin": gtin, "serial": serial, "indexes": [0, 3]}]
