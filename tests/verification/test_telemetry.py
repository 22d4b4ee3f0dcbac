"""Scan counts: written in batches on an interval, at shutdown and on size; a failed write
keeps them; thresholds mark a label once; old counters are pruned. On SQLite and
PostgreSQL. The crash bound (docs/privacy.md): counts wait in memory at most one flush
interval, so after it they are in the database without anyone flushing."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from core.db import engine_for, new_session
from core.settings import Settings
from labeling.verification.suspicion import lift_marks, standing_marks
from labeling.verification.telemetry import ScanTelemetry, _mark_crossings, telemetry_for
from schemas.telemetry import ScanCounter
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import issue_labels

TODAY = date(2026, 12, 7)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        scan_flush_seconds=0.05,
        scan_retention_days=30,
        suspicious_scan_limit=3,
    )


def _counted(db_url: str) -> int:
    with engine_for(db_url).connect() as connection:
        value = connection.execute(text("SELECT COALESCE(SUM(scans), 0) FROM scan_counter")).one()
    return int(value[0])


def _path(label: dict[str, Any]) -> str:
    parts = urlsplit(str(label["uri"]))
    return f"{parts.path}?{parts.query}"


def test_counts_reach_the_database_within_the_flush_interval(
    labels_app: FastAPI, label_key: Any, admin: Actor, certificate: CertificateRef, db_url: str
) -> None:
    with TestClient(labels_app) as client:  # the lifespan runs the flush job
        [label] = issue_labels(client, admin, certificate, 1)
        for _ in range(2):
            assert client.get(_path(label), headers={"Accept": "application/json"}).is_success
        deadline = time.monotonic() + 30  # a generous bound for a loaded machine
        while _counted(db_url) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _counted(db_url) == 2  # written by the job, nobody called flush()
        assert client.get(_path(label), headers={"Accept": "application/json"}).is_success
    assert _counted(db_url) == 3  # the last one written at shutdown, at the latest


def test_a_failed_write_keeps_the_counts_for_the_next(settings: Settings, tmp_path: Path) -> None:
    broken = ScanTelemetry(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}", settings)
    broken.count(1, TODAY, "FR")
    broken.count(1, TODAY, "FR")
    assert broken.flush() == 0
    assert broken.pending() == 2


def test_many_waiting_entries_wake_the_job(settings: Settings) -> None:
    telemetry = ScanTelemetry(
        "sqlite://", settings.model_copy(update={"scan_flush_max_pending": 2})
    )
    telemetry.count(1, TODAY, "")
    assert not telemetry._wake.is_set()
    telemetry.count(2, TODAY, "")
    assert telemetry._wake.is_set()


def test_a_label_over_the_threshold_is_marked_once(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    telemetry = telemetry_for(settings)
    for _ in range(3):
        telemetry.count(int(label["id"]), TODAY, "ES")
    telemetry.flush(now=_noon(TODAY))
    assert _marks(db_url) == []  # 3 is the limit, not over it
    for _ in range(3):
        telemetry.count(int(label["id"]), TODAY, "ES")
        telemetry.flush(now=_noon(TODAY))
    assert _marks(db_url) == [("scanned_too_often", '{"scans":4,"window_days":7}')]


def test_a_lifted_label_is_marked_again_only_by_scans_after_the_lift(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    """The body lifted a threshold mark (a trade fair): the flush counts only the scans
    after the lift against the limit (3 here), so it takes four more to mark it again."""
    [label] = issue_labels(verify_client, admin, certificate, 1)
    telemetry = ScanTelemetry(db_url, settings)
    for _ in range(5):
        telemetry.count(int(label["id"]), TODAY, "")
    telemetry.flush(now=_noon(TODAY))
    assert [reason for reason, _ in _marks(db_url)] == ["scanned_too_often"]
    with new_session(db_url) as session:
        lift_marks(
            session,
            label_id=int(label["id"]),
            lifted_by=admin.id,
            note="Salon de Paris",
            settings=settings,
            at=_noon(TODAY),
        )
        session.commit()
    for expected_standing in (0, 0, 0, 1):
        telemetry.count(int(label["id"]), TODAY, "")
        telemetry.flush(now=_noon(TODAY))
        with new_session(db_url) as session:
            standing = standing_marks(session, [int(label["id"])], "scanned_too_often")
        assert len(standing) == expected_standing


def test_flushes_add_up_per_label_day_and_country(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    """Each flush is one upsert statement: rows it meets are summed into, new ones are
    created, across labels, days and countries (the bench's 12,000-entry flush, small)."""
    labels = [int(label["id"]) for label in issue_labels(verify_client, admin, certificate, 3)]
    telemetry = ScanTelemetry(db_url, settings)
    expected: Counter[tuple[int, str, str]] = Counter()
    rng = random.Random(15)
    for _ in range(3):
        for _ in range(40):
            key = (
                rng.choice(labels),
                TODAY - timedelta(days=rng.randrange(3)),
                rng.choice(["", "FR", "ES"]),
            )
            telemetry.count(*key)
            expected[key[0], key[1].isoformat(), key[2]] += 1
        telemetry.flush(now=_noon(TODAY))
    with engine_for(db_url).connect() as connection:
        rows = connection.execute(text("SELECT label_id, day, country, scans FROM scan_counter"))
        stored = {(int(i), str(d)[:10], str(c)): int(n) for i, d, c, n in rows}
    assert stored == dict(expected)


def test_the_countries_of_a_whole_batch_are_read_in_one_statement(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    """A flush checks its labels against the thresholds in one statement each however many
    they are (a JSON array on SQLite, an array on PostgreSQL), not in chunks: for the
    countries, only known ones within the window count, each once."""
    travelled, stayed = (
        int(label["id"]) for label in issue_labels(verify_client, admin, certificate, 2)
    )
    settings = settings.model_copy(update={"suspicious_scan_limit": 500})  # countries only
    window = settings.suspicious_country_window_days
    counters = [
        (travelled, TODAY, "ES"),
        (travelled, TODAY - timedelta(days=1), "FR"),
        (travelled, TODAY - timedelta(days=2), "IT"),
        (travelled, TODAY - timedelta(days=window - 1), "DE"),  # the window's first day
        (travelled, TODAY, ""),
        (stayed, TODAY, "ES"),
        (stayed, TODAY - timedelta(days=1), "ES"),  # one country, however many days
        (stayed, TODAY, "FR"),
        (stayed, TODAY, "IT"),
        (stayed, TODAY - timedelta(days=window), "DE"),  # the day before the window
        (stayed, TODAY, ""),  # unknown: no country
    ]
    with new_session(db_url) as session:
        for label_id, day, country in counters:
            session.add(ScanCounter(label_id=label_id, day=day, country=country, scans=2))
        session.commit()
    # What the flush saw: the two, and 1,500 labels with no counters (ids no label has).
    batch = {(label_id, TODAY, "MA"): 1 for label_id in range(10**9, 10**9 + 1_500)}
    batch |= {(travelled, TODAY, "ES"): 1, (stayed, TODAY, "ES"): 1}
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = engine_for(db_url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        with new_session(db_url) as session:
            assert _mark_crossings(session, batch, settings, _noon(TODAY))
            session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    evidence = '{"countries":["DE","ES","FR","IT"],"window_days":7}'
    assert _marks(db_url) == [("scanned_in_many_countries", evidence)]
    assert sum("FROM scan_counter" in statement for statement in statements) == 2  # and scans


def test_old_counters_are_pruned_and_recent_ones_kept(
    session: Any,
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    for age in (0, 29, 30, 31, 400):
        session.add(
            ScanCounter(label_id=label["id"], day=TODAY - timedelta(days=age), country="", scans=1)
        )
    session.commit()
    assert ScanTelemetry(db_url, settings).prune(today=TODAY) == 2
    with engine_for(db_url).connect() as connection:
        kept = connection.execute(text("SELECT day FROM scan_counter")).scalars().all()
    ages = sorted((TODAY - date.fromisoformat(str(day)[:10])).days for day in kept)
    assert ages == [0, 29, 30]


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _marks(db_url: str) -> list[tuple[str, str]]:
    with engine_for(db_url).connect() as connection:
        rows = connection.execute(text("SELECT reason, evidence FROM label_mark")).all()
    return [(str(a), str(b)) for a, b in rows]
