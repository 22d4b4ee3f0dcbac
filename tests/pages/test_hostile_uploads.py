"""Hostile bulk input: the most the API admits, and CSV files shaped to cost memory or time
(one enormous row, a field of 600 KiB, a hundred thousand columns, deep quoting, many
blank lines) answer quickly with a verdict table or a documented problem, never a 500."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from verify.pages import BulkFileError, read_scans
from verify.pages.bulk_csv import MAX_UPLOAD_BYTES

LIMIT = MAX_UPLOAD_BYTES


@pytest.mark.parametrize(
    "data",
    [
        b"x" * (LIMIT - 1),  # one enormous field
        b'"' + b"x" * (LIMIT - 3) + b'"',  # one enormous quoted field
        b"," * (LIMIT - 1),  # a hundred thousand empty columns
        b"a," * (LIMIT // 2 - 1),  # as many one-character columns
        b"\n" * (LIMIT - 1),  # nothing but line ends
        b'"' * (LIMIT - 1),  # quotes all the way
        (b"https://khatem.ma/01/" + b"9" * 4000 + b"\n") * 150,  # long rows
    ],
)
def test_hostile_csv_shapes_are_cheap_and_never_crash(data: bytes) -> None:
    started = time.perf_counter()
    try:
        scans = read_scans(data)
    except BulkFileError as refused:
        assert refused.status in (413, 422)
    else:
        assert len(scans) <= 1000
        assert all(len(scan) <= 4096 for scan in scans)
    assert time.perf_counter() - started < 2.0


def test_a_file_over_the_limit_is_413_before_it_is_parsed() -> None:
    with pytest.raises(BulkFileError) as refused:
        read_scans(b"x" * (LIMIT + 1))
    assert refused.value.status == 413


def test_the_bulk_api_at_its_limits_answers(verify_client: TestClient) -> None:
    """1,000 labels of 4,096 characters each (4 MiB): every one an INVALID verdict."""
    labels = ["https://khatem.ma/01/" + "9" * (4096 - 21)] * 1000
    started = time.perf_counter()
    response = verify_client.post("/api/v1/verify", json={"labels": labels})
    assert response.status_code in (200, 413)
    if response.status_code == 200:
        body = response.json()
        assert body["count"] == 1000
        assert {v["reasons"][0] for v in body["verdicts"]} == {"uri_too_long"}
    assert time.perf_counter() - started < 10.0
    over = verify_client.post("/api/v1/verify", json={"labels": ["x" * 4097]})
    assert over.status_code == 422
    assert "x" * 100 not in over.text  # the input is not echoed back
    many = verify_client.post("/api/v1/verify", json={"labels": ["x"] * 1001})
    assert many.status_code == 422


def test_an_upload_of_enormous_rows_is_a_table_or_a_problem(verify_client: TestClient) -> None:
    for data in (b"," * (LIMIT - 1), b"x" * (LIMIT - 1), b"x" * (4 * LIMIT)):
        response = verify_client.post(
            "/verify/bulk", files={"file": ("scans.csv", data, "text/csv")}
        )
        assert response.status_code in (200, 413, 422), response.status_code
