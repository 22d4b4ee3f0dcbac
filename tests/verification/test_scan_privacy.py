"""Scans are counted per label, day and country, and nothing about the scanner is kept:
after scans through every channel with a distinctive IP address, X-Forwarded-For, user
agent and cookie, no text of any row of any table, and no log record, holds any of them
(docs/privacy.md). On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from core.db import engine_for
from core.settings import Settings
from labeling.verification.telemetry import telemetry_for
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import issue_labels

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "Mozilla/5.0 (KhatemPrivacyProbe 9.9; Nokia 3310)"
COOKIE = "probe-cookie-7f3k2mq9"
PROBES = (ADDRESS, FORWARDED, AGENT, "KhatemPrivacyProbe", COOKIE)
HEADERS = {
    "User-Agent": AGENT,
    "X-Forwarded-For": f"{FORWARDED}, {ADDRESS}",
    "X-Real-IP": ADDRESS,
    "Forwarded": f"for={FORWARDED}",
    "Cookie": f"tracker={COOKIE}",
    "CF-IPCountry": "FR",
}


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        scan_country_header="CF-IPCountry",
        scan_flush_seconds=3600,
        suspicious_scan_limit=3,  # a mark is written too: its evidence is checked as well
    )


@pytest.fixture
def scanner(labels_app: FastAPI, label_key: Any) -> Iterator[TestClient]:
    """A phone at a distinctive address, sending every identifying header there is."""
    with TestClient(
        labels_app, raise_server_exceptions=False, client=(ADDRESS, 40404), headers=HEADERS
    ) as client:
        yield client


def _texts(db_url: str) -> Iterator[tuple[str, str]]:
    """Every value of every row of every table, as text."""
    engine = engine_for(db_url)
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for value in row:
                    if value is not None:
                        yield (
                            table,
                            value.decode("latin-1")
                            if isinstance(value, bytes | memoryview)
                            else str(value),
                        )


def test_scans_leave_counts_and_nothing_about_the_scanner(
    scanner: TestClient,
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    [label] = issue_labels(verify_client, admin, certificate, 1)
    uri = str(label["uri"])
    parts = urlsplit(uri)
    path = f"{parts.path}?{parts.query}"
    answers = [
        scanner.get(path, headers={"Accept": "application/json"}),
        scanner.get(path, headers={"Accept": "text/html"}),
        scanner.get("/api/v1/verify", params={"label": uri}),
        scanner.post("/api/v1/verify", json={"labels": [uri, uri]}),
        scanner.get(f"/v/{label['serial']}", headers={"Accept": "text/html"}),
    ]
    assert [answer.status_code for answer in answers] == [200] * 5
    assert "set-cookie" not in {name.lower() for a in answers for name in a.headers}
    assert telemetry_for(settings).flush() == 6

    texts = list(_texts(db_url))
    leaks = [(table, value) for table, value in texts if any(p in value for p in PROBES)]
    assert leaks == []
    logged = [record.getMessage() + repr(record.__dict__) for record in caplog.records]
    assert [line for line in logged if any(p in line for p in PROBES)] == []

    # Not vacuous: the counts and the mark are there, with the country and nothing else.
    engine = engine_for(db_url)
    with engine.connect() as connection:
        counters = connection.execute(
            text("SELECT label_id, country, scans FROM scan_counter")
        ).all()
        marks = connection.execute(text("SELECT reason, evidence FROM label_mark")).all()
    assert [(int(a), b, int(c)) for a, b, c in counters] == [(int(label["id"]), "FR", 6)]
    assert [reason for reason, _ in marks] == ["scanned_too_often"]
