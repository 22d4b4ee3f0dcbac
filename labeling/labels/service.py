"""Label batches: issue them, idempotently (reading them is :mod:`labeling.labels.reading`).
Each public function owns its unit of work and commits once at its end; any failure before
that leaves nothing behind. Batches over the job threshold are committed ``queued`` and
handed to :mod:`labeling.labels.jobs`.

Idempotency: a batch request may carry an ``Idempotency-Key``. The key is unique per body
(database constraint) and the batch stores the SHA-256 of the canonical request, so

* same key, same request → the batch made the first time (``replayed``);
* same key, different request → 422 ``idempotency-key-reused``;
* two concurrent requests with one key → one batch: the second insert of the key waits for
  the first transaction (PostgreSQL) or for the database's writer lock (SQLite, where every
  transaction begins IMMEDIATE), then finds the first batch;
* a job that failed (nothing issued) is queued again by a retry with its key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.auth import Principal
from core.settings import Settings
from labeling.keycustody import Signer, SignerError
from labeling.labels import jobs, repository
from labeling.labels.errors import (
    BatchTooLarge,
    CertificateNotFound,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    NotAuthorisedForScheme,
    ProductLineOutOfScope,
    SignerUnavailable,
)
from labeling.labels.issuance import issue_labels
from labeling.labels.reading import batch_public
from labeling.labels.rules import check_in_force
from schemas.certificates import Certificate
from schemas.labels import MAX_BATCH_SIZE, BatchStatus, LabelBatch
from schemas.labels_api import LabelBatchCreate, LabelBatchPublic
from schemas.registry import ProductLine
from schemas.types import utcnow
from verify.gtin import normalise_gtin, registry_gtin

__all__ = [
    "BatchOutcome",
    "IssuancePlan",
    "batch_public",
    "create_batch",
    "plan_batch",
    "queue_batch",
    "request_hash",
    "run_issuance",
]


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    batch: LabelBatchPublic
    replayed: bool
    #: The batch runs (or runs again) as a background job: poll it.
    queued: bool = False


@dataclass(frozen=True, slots=True)
class IssuancePlan:
    """Everything checked and resolved before a batch is signed."""

    certificate: Certificate
    product_line: ProductLine
    gtin: str


def request_hash(request: LabelBatchCreate) -> str:
    canonical = request.model_dump_json()  # fields in declaration order, no spaces
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check_key(key: str | None) -> None:
    if key is not None and not (0 < len(key) <= 100 and key.isascii() and key.isprintable()):
        raise IdempotencyKeyInvalid()


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def product_gtin(line: ProductLine) -> str:
    """The line's own GTIN as a GTIN-14, or its registry GTIN (``0049…``)."""
    if line.gtin:
        return normalise_gtin(line.gtin)
    assert line.id is not None
    return registry_gtin(line.id)


def plan_batch(
    *, session: Session, principal: Principal, request: LabelBatchCreate
) -> IssuancePlan:
    """The business rules of issuance, in the order a caller should learn about them.

    The certificate is read under its row lock (:func:`repository.lock_certificate`), held
    until the caller's transaction ends: a batch issued in this transaction is decided
    with the certificate's status, and a suspension waits for its commit.
    """
    if principal.body_id is None:
        raise CertificateNotFound()
    certificate = repository.certificate_in_body(
        session=session,
        certificate_id=request.certificate_id,
        body_id=principal.body_id,
        lock=True,
    )
    if certificate is None or certificate.id is None:
        raise CertificateNotFound()
    if principal.is_inspector and not repository.inspector_authorised(
        session=session, inspector_id=principal.user_id, scheme_id=certificate.scheme_id
    ):
        raise NotAuthorisedForScheme()
    check_in_force(certificate)
    line = repository.product_line(session=session, product_line_id=request.product_line_id)
    if line is None or not repository.product_line_in_scope(
        session=session, certificate_id=certificate.id, product_line_id=request.product_line_id
    ):
        raise ProductLineOutOfScope()
    if request.quantity > MAX_BATCH_SIZE:
        raise BatchTooLarge(limit=MAX_BATCH_SIZE)
    return IssuancePlan(certificate=certificate, product_line=line, gtin=product_gtin(line))


def new_batch(
    *,
    session: Session,
    principal: Principal,
    request: LabelBatchCreate,
    plan: IssuancePlan,
    idempotency_key: str | None,
    status: BatchStatus,
) -> LabelBatch:
    assert principal.body_id is not None and plan.certificate.id is not None
    return repository.add_batch(
        session=session,
        batch=LabelBatch(
            body_id=principal.body_id,
            certificate_id=plan.certificate.id,
            artisan_id=plan.certificate.artisan_id,
            product_line_id=request.product_line_id,
            gtin=plan.gtin,
            quantity=request.quantity,
            status=status.value,
            idempotency_key=idempotency_key,
            request_hash=request_hash(request),
            created_by=principal.user_id,
        ),
    )


def run_issuance(
    *,
    session: Session,
    signer: Signer,
    batch: LabelBatch,
    certificate: Certificate,
    serials: Callable[[], str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LabelBatch:
    """Issue the labels of ``batch`` in the session's transaction and mark it completed
    (the caller commits). Signer failures become 503 ``signer-unavailable``.

    The certificate is locked and checked again here, in the transaction that writes the
    labels and their log leaves: a certificate suspended or withdrawn since the caller
    looked at it gets no labels (409), and none can be suspended before the commit.
    """
    assert batch.id is not None and certificate.id is not None
    current = repository.lock_certificate(session=session, certificate_id=certificate.id)
    assert current is not None, "label_batch.certificate_id is a foreign key"
    check_in_force(current)
    issued_at = _minute(utcnow())
    try:
        issued = issue_labels(
            session=session,
            signer=signer,
            batch_id=batch.id,
            certificate_id=certificate.id,
            certificate_code=certificate.code,
            artisan_id=certificate.artisan_id,
            gtin=batch.gtin,
            quantity=batch.quantity,
            issued_at=issued_at,
            serials=serials,
            progress=progress,
        )
    except SignerError:
        raise SignerUnavailable() from None
    batch.status = BatchStatus.COMPLETED.value
    batch.issued_count = issued.count
    batch.kid = signer.key_id
    batch.issued_at = issued_at
    batch.first_log_index = issued.first_log_index
    batch.completed_at = utcnow()
    session.add(batch)
    session.flush()
    return batch


def _replay(
    *, session: Session, body_id: int, key: str, request: LabelBatchCreate, settings: Settings
) -> BatchOutcome | None:
    existing = repository.batch_by_key(session=session, body_id=body_id, key=key)
    if existing is None:
        return None
    if existing.request_hash != request_hash(request):
        raise IdempotencyKeyReused()
    if existing.status == BatchStatus.FAILED.value:
        # A background batch that failed (signer unplugged, certificate suspended …)
        # issued nothing; retrying it with its key queues it again, under today's rules.
        certificate = session.get(Certificate, existing.certificate_id)
        assert certificate is not None
        check_in_force(certificate)
        _queue(existing, settings)
        existing.failure = None
        existing.attempts = 0
        existing.completed_at = None
        session.add(existing)
        session.commit()
        return BatchOutcome(batch=batch_public(existing), replayed=True, queued=True)
    return BatchOutcome(batch=batch_public(existing), replayed=True)


def _queue(batch: LabelBatch, settings: Settings) -> None:
    batch.status = BatchStatus.QUEUED.value
    batch.lease_owner = jobs.lease_owner()
    batch.lease_expires_at = utcnow() + timedelta(seconds=settings.label_job_lease_seconds)


def create_batch(
    *,
    session: Session,
    principal: Principal,
    signer: Signer,
    request: LabelBatchCreate,
    idempotency_key: str | None,
    settings: Settings,
    serials: Callable[[], str] | None = None,
) -> BatchOutcome:
    """Issue a batch (or return the batch this key already made).

    Up to ``settings.label_job_threshold`` labels: now, in this transaction. Above it: the
    batch is committed ``queued`` and handed to this process's worker
    (:mod:`labeling.labels.jobs`); the caller polls it.
    """
    _check_key(idempotency_key)
    outcome = _create(
        session=session,
        principal=principal,
        signer=signer,
        request=request,
        idempotency_key=idempotency_key,
        settings=settings,
        serials=serials,
    )
    if outcome.queued:
        jobs.jobs.submit(settings, outcome.batch.id, signer)
    return outcome


def queue_batch(
    *,
    session: Session,
    principal: Principal,
    signer: Signer,
    request: LabelBatchCreate,
    idempotency_key: str | None,
    settings: Settings,
) -> BatchOutcome:
    """Commit a batch as a queued job whatever its size, for the caller to run
    (:func:`labeling.labels.jobs.run_batch`), or return the batch this key already made
    (queued again if it had failed). The command line issues batches this way."""
    _check_key(idempotency_key)
    return _create(
        session=session,
        principal=principal,
        signer=signer,
        request=request,
        idempotency_key=idempotency_key,
        settings=settings,
        serials=None,
        as_job=True,
    )


def _create(
    *,
    session: Session,
    principal: Principal,
    signer: Signer,
    request: LabelBatchCreate,
    idempotency_key: str | None,
    settings: Settings,
    serials: Callable[[], str] | None,
    as_job: bool | None = None,
) -> BatchOutcome:
    if idempotency_key is not None and principal.body_id is not None:
        replay = _replay(
            session=session,
            body_id=principal.body_id,
            key=idempotency_key,
            request=request,
            settings=settings,
        )
        if replay is not None:
            return replay
    plan = plan_batch(session=session, principal=principal, request=request)
    if as_job is None:
        as_job = request.quantity > settings.label_job_threshold
    try:
        batch = new_batch(
            session=session,
            principal=principal,
            request=request,
            plan=plan,
            idempotency_key=idempotency_key,
            status=BatchStatus.QUEUED if as_job else BatchStatus.RUNNING,
        )
    except IntegrityError:
        # Another request with this key committed its batch while we were checking.
        session.rollback()
        assert idempotency_key is not None and principal.body_id is not None
        replay = _replay(
            session=session,
            body_id=principal.body_id,
            key=idempotency_key,
            request=request,
            settings=settings,
        )
        if replay is None:
            raise
        return replay
    if as_job:
        return _commit_queued(session, batch, settings)
    return _issue_now(session=session, signer=signer, batch=batch, plan=plan, serials=serials)


def _commit_queued(session: Session, batch: LabelBatch, settings: Settings) -> BatchOutcome:
    """Commit the batch as a queued job, for a worker to issue."""
    _queue(batch, settings)
    session.add(batch)
    session.commit()
    return BatchOutcome(batch=batch_public(batch), replayed=False, queued=True)


def _issue_now(
    *,
    session: Session,
    signer: Signer,
    batch: LabelBatch,
    plan: IssuancePlan,
    serials: Callable[[], str] | None,
) -> BatchOutcome:
    """Issue the batch within this request: it commits with all its labels, or not at all."""
    try:
        run_issuance(
            session=session,
            signer=signer,
            batch=batch,
            certificate=plan.certificate,
            serials=serials,
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return BatchOutcome(batch=batch_public(batch), replayed=False)
