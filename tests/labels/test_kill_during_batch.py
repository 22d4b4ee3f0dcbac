"""SIGKILL the real server in the middle of a large batch: the batch's labels are then all
there or not there at all, with exactly one log leaf per label; a restarted server resumes
the batch and completes it.

The server is ``uvicorn main:create_app`` in a subprocess on a free 127.0.0.1 port, over
the test's database (SQLite file or PostgreSQL), with the registry's development keys.
It is killed once the batch is under way (its progress shows), at once or after a random
delay, so that over runs the kill lands while it signs, while it stores, or after.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from core.db import new_session
from core.settings import Settings
from labeling.startup import prepare_registry
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef

REPO = Path(__file__).resolve().parents[2]
QUANTITY = 20_000
LEASE_SECONDS = 1.0
PATIENCE = 90.0  # a bound on waiting (not an assertion on speed): loaded CI machines


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(settings: Settings, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    env = {
        **os.environ,
        "KHATEM_ENVIRONMENT": "test",
        "KHATEM_DATABASE_URL": settings.resolved_database_url,
        "KHATEM_DATA_DIR": str(settings.data_dir),
        "KHATEM_LABEL_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "KHATEM_CHECKPOINT_INTERVAL_SECONDS": "0",
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "main:create_app", "--factory"]
            + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: _healthy(base, process, log), "the server up", log)
        yield process, base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no server log)"


def _healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> bool:
    assert process.poll() is None, f"the server exited:\n{_tail(log)}"
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _until(condition: Any, what: str, log: Path | None = None) -> Any:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for: {what}\n{_tail(log) if log else ''}")


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def _state(url: str, batch_id: int) -> tuple[str, int, int]:
    """The batch's status, its labels, and the ``label.issued`` leaves in the log."""
    with new_session(url) as session:
        connection = session.connection()
        mark = "?" if url.startswith("sqlite") else "%s"
        status = connection.exec_driver_sql(
            f"SELECT status FROM label_batch WHERE id = {mark}", (batch_id,)
        ).scalar_one()
        labels = connection.exec_driver_sql(
            f"SELECT COUNT(*) FROM label WHERE batch_id = {mark}", (batch_id,)
        ).scalar_one()
        leaves = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM log_entry WHERE event_type = 'label.issued'"
        ).scalar_one()
        session.rollback()
    return str(status), int(labels), int(leaves)


def _all_or_nothing(url: str, batch_id: int) -> tuple[str, int]:
    status, labels, leaves = _state(url, batch_id)
    assert labels in (0, QUANTITY), f"{labels} of {QUANTITY} labels: a half-issued batch"
    assert leaves == labels, f"{labels} labels but {leaves} issuance leaves"
    assert (status == "completed") == (labels == QUANTITY), (status, labels)
    return status, labels


@pytest.mark.slow
def test_killing_the_server_mid_batch_leaves_it_whole_or_absent(
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    tmp_path: Path,
) -> None:
    prepare_registry(settings)  # the development keys the server signs with
    url = settings.resolved_database_url
    log = tmp_path / "server.log"
    body = {
        "certificate_id": certificate.id,
        "product_line_id": certificate.product_line_id,
        "quantity": QUANTITY,
    }
    headers = {**inspector.headers, "Idempotency-Key": "print-run-killed"}

    # 1. Start a batch, and kill the server once it is under way: while it signs, or a
    #    little later (storing, or done), at a moment drawn at random.
    rng = random.Random()
    with _server(settings, log) as (process, base):
        response = httpx.post(f"{base}/api/v1/label-batches", json=body, headers=headers)
        assert response.status_code == 202, response.text
        batch_id = int(response.json()["id"])
        location = base + response.headers["Location"]

        def signing() -> bool:
            batch = httpx.get(location, headers=inspector.headers, timeout=5).json()
            assert batch["status"] != "failed", f"{batch}\n{_tail(log)}"
            return batch["status"] == "completed" or batch["issued_count"] > 0

        _until(signing, "the batch under way", log)
        delay = rng.choice([0.0, rng.uniform(0.0, 1.5)])
        time.sleep(delay)
        _kill(process)
    print(f"killed {delay:.2f} s after the batch got under way")  # shown if the test fails
    _all_or_nothing(url, batch_id)

    # 2. Restart: the server resumes the batch (its lease ran out) and completes it,
    #    whole, one leaf per label.
    with _server(settings, log) as (_process, base):

        def finished() -> dict[str, Any] | None:
            batch: dict[str, Any] = httpx.get(
                f"{base}/api/v1/label-batches/{batch_id}", headers=inspector.headers, timeout=5
            ).json()
            return batch if batch["status"] in ("completed", "failed") else None

        batch = _until(finished, "the batch finished", log)
        assert (batch["status"], batch["issued_count"]) == ("completed", QUANTITY), (
            f"{batch}\n{_tail(log)}"
        )
        again = httpx.post(f"{base}/api/v1/label-batches", json=body, headers=headers)
        assert again.status_code == 200 and again.json()["id"] == batch_id
    status, labels, leaves = _state(url, batch_id)
    assert (status, labels, leaves) == ("completed", QUANTITY, QUANTITY)
    with new_session(url) as session:
        distinct = session.exec(  # type: ignore[call-overload]
            text("SELECT COUNT(DISTINCT serial) FROM label WHERE batch_id = :b").bindparams(
                b=batch_id
            )
        ).one()[0]
        session.rollback()
    assert distinct == QUANTITY
