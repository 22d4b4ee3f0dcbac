"""Nothing is issued under a suspended certificate, however the requests interleave.

A batch's certificate check and its write are one decision with the certificate's
lifecycle: the batch holds a lock on the certificate row from its check to its commit,
and a suspension (or withdrawal) takes the same row's lock. PostgreSQL only: there two
transactions run at once; SQLite serialises every writer from its first statement.

Each round races a batch against a suspension, then reinstates the certificate. Three
kinds of round, on the request path (small batches) and the job path (large ones):

* *batch first*: the batch is held after its check until the suspension answers (or a
  short hold runs out) — without the lock the suspension commits inside the window;
* *suspension first*: the suspension is held after taking its lock, before it logs and
  commits, while the batch arrives — the batch must then be refused (409, or a failed
  job), not issue behind it;
* *plain*: both are sent at once.

The holds only widen windows that exist anyway; the verdict is read from the
transparency log: no ``label.issued`` leaf of a certificate between its
``certificate.suspended`` (or ``withdrawn``) leaf and its next ``certificate.reinstated``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from core.db import new_session
from core.settings import Settings
from labeling.certificates import service as certificates_service
from labeling.labels import jobs, service
from labeling.labels.issuance import ISSUED_EVENT, sign_labels
from labeling.labels.rules import check_in_force
from labeling.translog.events import append_event
from tests.fixtures.actors import Actor
from tests.labels.batches import URL, post_batch
from tests.labels.fixtures import CertificateRef
from verify.label_codec import format_certificate_code

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]

THRESHOLD = 40  # batches above this run as background jobs
HOLD = 0.4  # seconds a held transaction waits for the other side
WAIT = 60.0  # bound on anything that should take milliseconds

SUSPENDED = "certificate.suspended"
WITHDRAWN = "certificate.withdrawn"
REINSTATED = "certificate.reinstated"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        label_job_threshold=THRESHOLD,
    )


class Holds:
    """Hooks that hold one side of a round at the point where the race is decided.

    ``arm(name)`` arms one hook for its next call only:

    * ``"request"`` / ``"job"``: the batch's certificate check (``check_in_force`` as the
      request path or the job runner calls it) passes, then waits until the suspension
      has answered, at most :data:`HOLD`;
    * ``"lifecycle"``: the suspension has locked and changed the certificate and waits
      :data:`HOLD` before it logs and commits;
    * ``"signed"``: a job has signed its labels; the suspension starts (held as above)
      and the job goes on to store once the suspension holds its lock.
    """

    def __init__(self) -> None:
        self._armed: set[str] = set()
        self._lock = threading.Lock()
        self.checked = threading.Event()
        self.changed = threading.Event()
        self.suspension_answered = threading.Event()
        self.start_suspension: Callable[[], None] = lambda: None

    def arm(self, *names: str) -> None:
        with self._lock:
            self._armed = set(names)
        for event in (self.checked, self.changed, self.suspension_answered):
            event.clear()

    def _take(self, name: str) -> bool:
        with self._lock:
            if name in self._armed:
                self._armed.discard(name)
                return True
            return False

    def check(self, name: str, real: Callable[[Any], None]) -> Callable[[Any], None]:
        def held_check(certificate: Any) -> None:
            real(certificate)
            if self._take(name):
                self.checked.set()
                self.suspension_answered.wait(HOLD)

        return held_check

    def lifecycle(self, real: Callable[..., int]) -> Callable[..., int]:
        def held_append(session: Any, **kwargs: Any) -> int:
            if self._take("lifecycle"):
                self.changed.set()
                time.sleep(HOLD)
            return real(session, **kwargs)

        return held_append

    def signed(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def held_sign(**kwargs: Any) -> Any:
            result = real(**kwargs)
            if self._take("signed"):
                self.start_suspension()
                assert self.changed.wait(WAIT)
            return result

        return held_sign


@pytest.fixture
def holds(monkeypatch: pytest.MonkeyPatch) -> Iterator[Holds]:
    hooks = Holds()
    # Each module calls these by the name it imported: patch them there.
    monkeypatch.setattr(service, "check_in_force", hooks.check("request", check_in_force))
    monkeypatch.setattr(jobs, "check_in_force", hooks.check("job", check_in_force))
    monkeypatch.setattr(jobs, "sign_labels", hooks.signed(sign_labels))
    monkeypatch.setattr(certificates_service, "append_event", hooks.lifecycle(append_event))
    yield hooks
    hooks.arm()


def _change(client: TestClient, admin: Actor, cert: CertificateRef, action: str) -> httpx.Response:
    reason = "corrective_action_closed" if action == "reinstate" else "surveillance_nonconformity"
    return client.post(
        f"/api/v1/certificates/{cert.id}/{action}",
        json={"reason_code": reason},
        headers=admin.headers,
    )


def _log(url: str) -> list[tuple[int, str, dict[str, Any]]]:
    with new_session(url) as session:
        rows = session.exec(  # type: ignore[call-overload]
            text("SELECT leaf_index, event_type, payload FROM log_entry ORDER BY leaf_index")
        ).all()
        session.rollback()
    return [(int(index), str(kind), json.loads(payload)) for index, kind, payload in rows]


def issued_while_not_in_force(url: str) -> list[int]:
    """Leaf indexes of ``label.issued`` leaves logged while their certificate was suspended
    or withdrawn (by the log's own order)."""
    stopped: set[str] = set()
    found: list[int] = []
    for index, kind, data in _log(url):
        if kind in (SUSPENDED, WITHDRAWN):
            stopped.add(format_certificate_code(data["certificate_code"]))
        elif kind == REINSTATED:
            stopped.discard(format_certificate_code(data["certificate_code"]))
        elif kind == ISSUED_EVENT and data["certificate"] in stopped:
            found.append(index)
    return found


def _scalar(url: str, sql: str, **params: Any) -> int:
    with new_session(url) as session:
        value = session.exec(text(sql).bindparams(**params)).one()[0]  # type: ignore[call-overload]
        session.rollback()
    return int(value)


def _refused(response: httpx.Response, slug: str) -> bool:
    return (
        response.status_code == 409
        and response.headers["content-type"].startswith("application/problem+json")
        and response.json()["type"].endswith("/" + slug)
    )


def test_no_label_is_issued_under_a_suspended_certificate(
    labels_client: TestClient,
    settings: Settings,
    inspector: Actor,
    admin: Actor,
    certificate: CertificateRef,
    holds: Holds,
) -> None:
    url = settings.resolved_database_url
    client = labels_client
    pool = ThreadPoolExecutor(max_workers=3)
    outcomes: list[tuple[str, int, str]] = []

    def suspend(action: str = "suspend") -> httpx.Response:
        response = _change(client, admin, certificate, action)
        holds.suspension_answered.set()
        return response

    def request_round(kind: str, quantity: int, action: str = "suspend") -> None:
        """A small batch (issued within its request) against a suspension."""
        if kind == "batch first":
            holds.arm("request")
            batch = pool.submit(post_batch, client, inspector, certificate, quantity)
            assert holds.checked.wait(WAIT)
            change = pool.submit(suspend, action)
        elif kind == "suspension first":
            holds.arm("lifecycle")
            change = pool.submit(suspend, action)
            assert holds.changed.wait(WAIT)
            batch = pool.submit(post_batch, client, inspector, certificate, quantity)
        else:
            holds.arm()
            barrier = threading.Barrier(2, timeout=WAIT)

            def together(call: Callable[[], httpx.Response]) -> httpx.Response:
                barrier.wait()
                return call()

            batch = pool.submit(
                together, lambda: post_batch(client, inspector, certificate, quantity)
            )
            change = pool.submit(together, lambda: suspend(action))
        changed, issued = change.result(WAIT), batch.result(WAIT)
        assert changed.status_code == 200, changed.text
        slug = {"suspend": "certificate-suspended", "withdraw": "certificate-withdrawn"}[action]
        assert issued.status_code == 201 or _refused(issued, slug), issued.text
        outcomes.append((kind, issued.status_code, ""))

    def job_round(kind: str, quantity: int) -> None:
        """A batch over the job threshold: answered 202, issued by the worker thread."""
        change = None
        if kind == "batch first":
            holds.arm("job")
            accepted = post_batch(client, inspector, certificate, quantity)
            assert holds.checked.wait(WAIT)
            change = pool.submit(suspend)
        elif kind == "suspension first":
            started: list[Any] = []
            holds.start_suspension = lambda: started.append(pool.submit(suspend))
            holds.arm("signed", "lifecycle")
            accepted = post_batch(client, inspector, certificate, quantity)
        else:
            holds.arm()
            accepted = post_batch(client, inspector, certificate, quantity)
            change = pool.submit(suspend)
        assert accepted.status_code == 202, accepted.text
        assert jobs.jobs.wait_idle(timeout=WAIT)
        if change is None:
            assert started, "the job never signed"
            change = started[0]
        assert change.result(WAIT).status_code == 200
        batch = client.get(f"{URL}/{accepted.json()['id']}", headers=inspector.headers).json()
        labels = _scalar(url, "SELECT COUNT(*) FROM label WHERE batch_id = :b", b=batch["id"])
        if batch["status"] == "completed":
            assert labels == batch["issued_count"] == quantity
        else:  # refused as a whole, with the reason, nothing half-issued
            assert (batch["status"], batch["failure"], labels) == (
                "failed",
                "certificate-suspended",
                0,
            )
        outcomes.append((f"job, {kind}", 202, batch["status"]))

    def reinstate() -> None:
        response = _change(client, admin, certificate, "reinstate")
        assert response.status_code == 200, response.text

    try:
        kinds = ("batch first", "suspension first", "plain")
        for round_number in range(15):  # 15 small batches of 5 to 39 labels
            request_round(kinds[round_number % 3], 5 + (round_number * 7) % 35)
            reinstate()
        for round_number, kind in enumerate(kinds):  # 3 jobs of 41 to 120 labels
            job_round(kind, THRESHOLD + 1 + 40 * round_number)
            reinstate()
        request_round("batch first", 12, "withdraw")  # a withdrawal takes the same lock
    finally:
        holds.arm()
        pool.shutdown(wait=True, cancel_futures=True)

    late = issued_while_not_in_force(url)
    assert not late, f"{len(late)} labels logged as issued after a suspension; rounds: {outcomes}"
    labels = _scalar(url, "SELECT COUNT(*) FROM label")
    assert labels == _scalar(
        url, f"SELECT COUNT(*) FROM log_entry WHERE event_type = '{ISSUED_EVENT}'"
    )
    # The holds decide these rounds: a batch held after its check is issued before the
    # suspension; a batch that arrives while a suspension holds the lock is refused.
    decided = [(kind, code, status) for kind, code, status in outcomes if kind != "plain"]
    assert all(
        code == (201 if kind == "batch first" else 409)
        for kind, code, _ in decided
        if not kind.startswith("job")
    ), outcomes
    assert ("job, suspension first", 202, "failed") in outcomes, outcomes
    assert ("job, batch first", 202, "completed") in outcomes, outcomes
