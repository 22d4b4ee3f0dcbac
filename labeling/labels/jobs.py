"""Large label batches as background jobs: one worker thread per server process.

A batch of more than ``KHATEM_LABEL_JOB_THRESHOLD`` labels is answered ``202 Accepted``
as soon as its row is committed (status ``queued``); a worker thread issues it and the
client polls ``GET /api/v1/label-batches/{id}`` for ``status`` and ``issued_count``.

The database is the only source of truth (the server is stateless):

1. **Claim.** A worker takes the batch in a short transaction: ``running``, its process
   as ``lease_owner``, ``lease_expires_at`` a lease ahead, ``attempts + 1``. A batch
   whose lease has run out (its owner crashed or was killed) can be claimed by any
   process: each server looks for such batches when it starts and then every lease.
   After ``KHATEM_LABEL_JOB_MAX_ATTEMPTS`` claims the batch is failed
   (``issuance-interrupted``) instead of looping on whatever kills its workers.
2. **Sign, outside any transaction.** Serials, claims and signatures are made in memory
   (:func:`labeling.labels.issuance.sign_labels`); after every chunk the worker writes
   its progress and renews the lease in a one-statement transaction. Signing 100,000
   labels never holds SQLite's writer lock.
3. **Store, in one short transaction.** The worker checks that it still owns the batch,
   that the certificate is still in force — read under the certificate's row lock
   (:func:`labeling.labels.repository.lock_certificate`), so a suspension or withdrawal
   either committed before and fails the batch (``certificate-suspended`` …, nothing
   issued), or waits for this commit — and that its key is still the active label key
   (after a rotation it signs again with the new one); then inserts every label and its
   log leaf and marks the batch ``completed`` — all or nothing. A crash before the commit
   leaves no label; after it, the batch is complete.

A signer failure fails the batch with ``signer-unavailable``; retrying the request with the
same ``Idempotency-Key`` queues it again.
"""

from __future__ import annotations

import gc
import logging
import os
import queue
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import CursorResult, or_, update
from sqlmodel import Session, col, select

from core.db import new_session
from core.problems import Problem
from core.settings import Settings, get_settings
from labeling.keycustody import Signer, SignerError
from labeling.labels import repository
from labeling.labels.errors import SignerUnavailable
from labeling.labels.issuance import SignedLabels, sign_labels, store_labels
from labeling.labels.issuing_key import key_was_rotated, open_label_signer
from labeling.labels.rules import check_in_force
from schemas.certificates import Certificate
from schemas.labels import BatchStatus, LabelBatch
from schemas.types import utcnow

__all__ = [
    "INTERRUPTED",
    "IssuingJobs",
    "issuing_jobs",
    "jobs",
    "lease_owner",
    "recover_batches",
    "run_batch",
]

logger = logging.getLogger(__name__)

#: Failure slug of a batch whose workers kept dying (see step 1).
INTERRUPTED = "issuance-interrupted"
#: Failure slug of an unexpected error in a worker (the details go to the server log).
FAILED = "issuance-failed"
_UNFINISHED = (BatchStatus.QUEUED.value, BatchStatus.RUNNING.value)
_MAX_KEY_CHANGES = 3


class LeaseLost(RuntimeError):
    """Another process took the batch over (this worker was too slow to renew)."""


_owner: tuple[int, str] | None = None


def lease_owner() -> str:
    """This process's name as a lease owner: host, pid and a random tag (pids are reused)."""
    global _owner
    pid = os.getpid()
    if _owner is None or _owner[0] != pid:
        _owner = (pid, f"{socket.gethostname()[:50]}:{pid}:{secrets.token_hex(4)}")
    return _owner[1]


def _lease_until(settings: Settings) -> datetime:
    return utcnow() + timedelta(seconds=settings.label_job_lease_seconds)


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def _locked_batch(session: Session, batch_id: int) -> LabelBatch | None:
    # FOR UPDATE on PostgreSQL; SQLite transactions already hold the writer lock.
    return session.exec(
        select(LabelBatch).where(LabelBatch.id == batch_id).with_for_update()
    ).first()


def _claim(settings: Settings, batch_id: int, owner: str) -> LabelBatch | None:
    """Step 1: take the batch if it is unfinished and nobody holds a live lease on it."""
    with new_session(settings.resolved_database_url) as session:
        batch = _locked_batch(session, batch_id)
        if batch is None or batch.status not in _UNFINISHED:
            return None
        now = utcnow()
        held = batch.lease_expires_at is not None and batch.lease_expires_at > now
        if batch.lease_owner != owner and held:
            return None
        if batch.attempts >= settings.label_job_max_attempts:
            _mark_failed(batch, INTERRUPTED)
            session.add(batch)
            session.commit()
            logger.error("label batch %s failed after %s attempts", batch_id, batch.attempts)
            return None
        batch.status = BatchStatus.RUNNING.value
        batch.lease_owner = owner
        batch.lease_expires_at = _lease_until(settings)
        batch.attempts += 1
        batch.issued_count = 0
        session.add(batch)
        session.commit()
        return batch


def _mark_failed(batch: LabelBatch, slug: str) -> None:
    batch.status = BatchStatus.FAILED.value
    batch.failure = slug[:60]
    batch.issued_count = 0
    batch.lease_owner = None
    batch.lease_expires_at = None
    batch.completed_at = utcnow()


def _fail(settings: Settings, batch_id: int, owner: str, slug: str) -> None:
    with new_session(settings.resolved_database_url) as session:
        batch = _locked_batch(session, batch_id)
        if batch is None or batch.status != BatchStatus.RUNNING.value:
            return
        if batch.lease_owner != owner:
            return
        _mark_failed(batch, slug)
        session.add(batch)
        session.commit()


def _heartbeat(settings: Settings, batch_id: int, owner: str) -> Callable[[int], None]:
    """Step 2's progress callback: record the count signed and renew the lease, at most
    every second (or third of a lease), each time in its own one-statement transaction."""
    every = min(1.0, settings.label_job_lease_seconds / 3)
    last = time.monotonic()

    def beat(signed: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < every:
            return
        last = now
        with new_session(settings.resolved_database_url) as session:
            result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(LabelBatch)
                .where(
                    col(LabelBatch.id) == batch_id,
                    col(LabelBatch.lease_owner) == owner,
                    col(LabelBatch.status) == BatchStatus.RUNNING.value,
                )
                .values(issued_count=signed, lease_expires_at=_lease_until(settings))
            )
            session.commit()
        if result.rowcount != 1:
            raise LeaseLost(f"label batch {batch_id} was taken over")

    return beat


def run_batch(
    settings: Settings,
    batch_id: int,
    signer: Signer | None = None,
    *,
    serials: Callable[[], str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> str | None:
    """Issue one background batch (steps 1–3); returns its final status, or ``None``
    when this process did not (or no longer) own it.

    ``signer`` is the one the request was given (a test signer, or the keyring's); a
    batch recovered after a restart opens the keyring's active label key.
    ``on_progress`` hears the count signed after every chunk (a progress bar).
    """
    owner = lease_owner()
    batch = _claim(settings, batch_id, owner)
    if batch is None:
        return None
    collecting = gc.isenabled()
    try:
        # A batch allocates a few objects per label and frees none until it is stored: the
        # cyclic collector would scan them again and again for nothing (about 3% of the
        # batch's time). Reference counting still frees everything as usual.
        gc.disable()
        return _issue(settings, batch, owner, signer, serials, on_progress)
    except LeaseLost:
        logger.warning("label batch %s was taken over by another process", batch_id)
        return None
    except (SignerUnavailable, SignerError) as exc:
        logger.error("label batch %s: signer failed: %s", batch_id, exc)
        _fail(settings, batch_id, owner, SignerUnavailable.slug)
        return BatchStatus.FAILED.value
    except Problem as problem:
        _fail(settings, batch_id, owner, problem.instance_slug)
        return BatchStatus.FAILED.value
    except Exception:
        logger.exception("label batch %s failed", batch_id)
        _fail(settings, batch_id, owner, FAILED)
        return BatchStatus.FAILED.value
    finally:
        if collecting:
            gc.enable()


@dataclass(frozen=True, slots=True)
class _Holder:
    """The batch's certificate as read before signing (plain values: the session that read
    them expires its objects when it rolls back)."""

    certificate_id: int
    code: int
    artisan_id: int


@dataclass(frozen=True, slots=True)
class _Rotated:
    """The label key changed while the batch was signed: sign it again with this signer."""

    signer: Signer


def _issue(
    settings: Settings,
    batch: LabelBatch,
    owner: str,
    signer: Signer | None,
    serials: Callable[[], str] | None,
    on_progress: Callable[[int], None] | None,
) -> str | None:
    assert batch.id is not None
    url = settings.resolved_database_url
    with new_session(url) as session:
        certificate = session.get(Certificate, batch.certificate_id)
        assert certificate is not None and certificate.id is not None
        holder = _Holder(certificate.id, certificate.code, certificate.artisan_id)
        if signer is None:
            signer = open_label_signer(session, settings)
        session.rollback()  # release the reader (and SQLite's writer lock) before signing
    heartbeat = _heartbeat(settings, batch.id, owner)

    def beat(signed: int) -> None:
        heartbeat(signed)
        if on_progress is not None:
            on_progress(signed)

    for _ in range(_MAX_KEY_CHANGES):
        # Step 2: sign with no transaction open.
        signed = sign_labels(
            signer=signer,
            gtin=batch.gtin,
            certificate_code=holder.code,
            quantity=batch.quantity,
            issued_at=_minute(utcnow()),
            serials=serials,
            progress=beat,
        )
        outcome = _store(settings, batch, owner, holder, signer, signed, serials)
        if not isinstance(outcome, _Rotated):
            return outcome
        signer = outcome.signer
    raise SignerUnavailable("The label key kept changing while the batch was signed.")


def _store(
    settings: Settings,
    batch: LabelBatch,
    owner: str,
    holder: _Holder,
    signer: Signer,
    signed: SignedLabels,
    serials: Callable[[], str] | None,
) -> str | None | _Rotated:
    """Step 3: store the signed batch, all or nothing, in one transaction; its final status
    (``None`` if this process no longer owns it), or the new key to sign it with."""
    assert batch.id is not None
    with new_session(settings.resolved_database_url) as session:
        current = _locked_batch(session, batch.id)
        if current is None or current.lease_owner != owner:
            raise LeaseLost(f"label batch {batch.id} was taken over")
        if current.status != BatchStatus.RUNNING.value:
            return None
        # The certificate's row lock is held to the commit: a suspension committed
        # while the batch was signed is seen here, and one arriving now waits.
        fresh = repository.lock_certificate(session=session, certificate_id=holder.certificate_id)
        assert fresh is not None
        check_in_force(fresh)
        if key_was_rotated(session, signed.kid):
            rotated = _Rotated(open_label_signer(session, settings))
            session.rollback()
            return rotated
        issued = store_labels(
            session=session,
            signer=signer,
            signed=signed,
            batch_id=batch.id,
            certificate_id=holder.certificate_id,
            certificate_code=holder.code,
            artisan_id=holder.artisan_id,
            gtin=batch.gtin,
            serials=serials,
        )
        current.status = BatchStatus.COMPLETED.value
        current.issued_count = issued.count
        current.kid = signed.kid
        current.issued_at = signed.issued_at
        current.first_log_index = issued.first_log_index
        current.completed_at = utcnow()
        current.lease_owner = None
        current.lease_expires_at = None
        session.add(current)
        session.commit()
        return BatchStatus.COMPLETED.value


def recover_batches(settings: Settings) -> list[int]:
    """Unfinished batches whose lease has run out (their worker died), oldest first."""
    now = utcnow()
    expires = col(LabelBatch.lease_expires_at)
    with new_session(settings.resolved_database_url) as session:
        ids = session.exec(
            select(LabelBatch.id)
            .where(col(LabelBatch.status).in_(_UNFINISHED))
            .where(or_(col(LabelBatch.lease_expires_at).is_(None), expires < now))
            .order_by(col(LabelBatch.id))
        ).all()
        session.rollback()
    return [batch_id for batch_id in ids if batch_id is not None]


@dataclass(frozen=True, slots=True)
class _Job:
    settings: Settings
    batch_id: int
    signer: Signer | None


class IssuingJobs:
    """The process's job queue and its single worker thread (started on first use).

    One thread is enough: signing is CPU-bound and holds the GIL, so a second batch in
    parallel would not finish sooner; queued batches run one after the other.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[_Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._watched: dict[str, Settings] = {}
        self._idle = threading.Condition(self._lock)
        self._busy = 0

    def submit(self, settings: Settings, batch_id: int, signer: Signer | None = None) -> None:
        """Queue a batch for this process's worker."""
        with self._lock:
            self._busy += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="khatem-label-jobs", daemon=True
                )
                self._thread.start()
        self._queue.put(_Job(settings, batch_id, signer))

    def watch(self, settings: Settings) -> None:
        """Recover ``settings``' abandoned batches now and after every lease (lifespan)."""
        with self._lock:
            self._watched[settings.resolved_database_url] = settings
        self.sweep(settings)

    def unwatch(self, settings: Settings) -> None:
        with self._lock:
            self._watched.pop(settings.resolved_database_url, None)

    def sweep(self, settings: Settings) -> int:
        """Queue every abandoned batch of the database; returns how many."""
        try:
            ids = recover_batches(settings)
        except Exception:
            logger.exception("could not look for abandoned label batches")
            return 0
        for batch_id in ids:
            logger.warning("resuming label batch %s (its worker stopped)", batch_id)
            self.submit(settings, batch_id)
        return len(ids)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every submitted batch has been run (tests, the CLI)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                watched = list(self._watched.values())
            interval = min((s.label_job_lease_seconds for s in watched), default=60.0)
            try:
                job = self._queue.get(timeout=interval)
            except queue.Empty:
                with self._lock:  # only databases still served (a test's may be gone)
                    watched = list(self._watched.values())
                for settings in watched:
                    self.sweep(settings)
                continue
            try:
                run_batch(job.settings, job.batch_id, job.signer)
            except Exception:  # run_batch records failures; never let the worker die
                logger.exception("label job %s crashed", job.batch_id)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()


jobs = IssuingJobs()
"""The process's job runner."""


@asynccontextmanager
async def issuing_jobs(app: FastAPI) -> AsyncIterator[None]:
    """Lifespan of the label routes: resume abandoned batches while the app serves."""
    settings = getattr(app.state, "settings", None)
    settings = settings if isinstance(settings, Settings) else get_settings()
    await anyio.to_thread.run_sync(jobs.watch, settings)  # a database query: not on the loop
    try:
        yield
    finally:
        jobs.unwatch(settings)
