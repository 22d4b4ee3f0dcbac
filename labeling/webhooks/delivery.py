"""Delivering the outbox: at least once, with leases, backoff and a log.

A :class:`DeliveryWorker` thread runs in every server process (started by the app's
lifespan, like the checkpointer) and, every ``webhook_delivery_interval_seconds``:

1. **claims** due deliveries (``pending``, ``next_attempt_at`` passed, no live lease) in one
   short write transaction, writing its name and ``lease_expires_at`` on them — on
   PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so workers never claim the same row; on SQLite
   the writer lock orders them;
2. **sends** each one, outside any transaction: the URL is checked again
   (:func:`labeling.webhooks.addresses.check_url`; DNS may have changed), the body signed
   (Standard Webhooks) and POSTed to the checked address;
3. **records** the attempt (the delivery log) and the outcome: ``delivered`` on a 2xx;
   otherwise the next attempt's time from the :class:`RetrySchedule`, or ``failed`` when
   the retry window is over.

A worker that dies between 2 and 3 (SIGKILL, power cut) leaves its lease, which expires:
another worker sends the delivery again. So every event is delivered *at least* once, and
receivers deduplicate by ``webhook-id``.

**Retention.** A delivery that ends (delivered, or failed once its retry window is over)
gets ``finished_at``. At most once every :data:`PRUNE_EVERY` seconds the same thread deletes
(:func:`prune_finished`) the events whose every delivery finished more than
``webhook_retention_days`` (90) ago, with their deliveries and attempts — the delivery log a
retailer reads and replays from. An event still pending anywhere, or replayed since (a
replay makes it pending again), is kept whatever its age.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import ColumnElement, and_, delete, exists, or_, update
from sqlmodel import Session, col, select

from core.db import new_session, read_session
from core.settings import Settings, get_settings
from labeling.webhooks.addresses import Resolver, UnsafeWebhookUrl, check_url, system_resolver
from labeling.webhooks.schedule import RetrySchedule
from labeling.webhooks.sender import SendResult, send
from labeling.webhooks.signing import signature_headers
from schemas.types import utcnow
from schemas.webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

__all__ = [
    "PRUNE_EVERY",
    "DeliveryWorker",
    "deliver_due",
    "prune_finished",
    "schedule_of",
    "webhook_delivery",
]

logger = logging.getLogger(__name__)

Sender = Callable[..., SendResult]

#: How often (seconds) a delivery worker prunes events past their retention.
PRUNE_EVERY = 3600.0
#: Events deleted per transaction (a long backlog is pruned over several).
_PRUNE_CHUNK = 500


def schedule_of(settings: Settings) -> RetrySchedule:
    return RetrySchedule(
        base=timedelta(seconds=settings.webhook_retry_base_seconds),
        cap=timedelta(seconds=settings.webhook_retry_cap_seconds),
        window=timedelta(hours=settings.webhook_retry_window_hours),
    )


def allow_private(settings: Settings) -> bool:
    return settings.webhook_allow_private and not settings.is_production


@dataclass(frozen=True, slots=True)
class _Claimed:
    delivery_id: int
    message_id: str
    payload: str
    url: str
    secret: str
    live: bool
    attempts: int
    series_started_at: datetime


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(WebhookDelivery.status) == DeliveryStatus.PENDING.value,
        col(WebhookDelivery.next_attempt_at) <= now,
        or_(
            col(WebhookDelivery.lease_expires_at).is_(None),
            col(WebhookDelivery.lease_expires_at) < now,
        ),
    )


def _any_due(session: Session) -> bool:
    found = session.exec(select(WebhookDelivery.id).where(_due(utcnow())).limit(1)).first()
    return found is not None


def _claim(session: Session, owner: str, lease: timedelta, limit: int) -> list[_Claimed]:
    now = utcnow()
    query = (
        select(WebhookDelivery.id)
        .where(_due(now))
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = [i for i in session.exec(query).all() if i is not None]
    if not ids:
        session.rollback()
        return []
    session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(ids))
        .values(lease_owner=owner, lease_expires_at=now + lease)
    )
    rows = session.exec(
        select(WebhookDelivery, WebhookEvent, WebhookSubscription)
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .join(
            WebhookSubscription,
            col(WebhookSubscription.id) == col(WebhookDelivery.subscription_id),
        )
        .where(col(WebhookDelivery.id).in_(ids))
        .order_by(col(WebhookDelivery.id))
    ).all()
    session.commit()
    claimed = []
    for delivery, event, subscription in rows:
        assert delivery.id is not None
        claimed.append(
            _Claimed(
                delivery_id=delivery.id,
                message_id=event.message_id,
                payload=event.payload,
                url=subscription.url,
                secret=subscription.secret,
                live=subscription.is_active and subscription.deleted_at is None,
                attempts=delivery.attempts,
                series_started_at=delivery.series_started_at,
            )
        )
    return claimed


def _attempt(
    claimed: _Claimed,
    settings: Settings,
    resolver: Resolver,
    sender: Sender,
) -> SendResult:
    if not claimed.live:
        return SendResult(None, "subscription_inactive", 0)
    try:
        target = check_url(claimed.url, allow_private=allow_private(settings), resolver=resolver)
    except UnsafeWebhookUrl as refused:
        return SendResult(None, refused.reason, 0)
    body = claimed.payload.encode("utf-8")
    timestamp = int(utcnow().timestamp())
    headers = signature_headers(claimed.secret, claimed.message_id, timestamp, body)
    return sender(target, headers, body, timeout=settings.webhook_timeout_seconds)


def _record(
    session: Session,
    claimed: _Claimed,
    owner: str,
    result: SendResult,
    schedule: RetrySchedule,
) -> None:
    now = utcnow()
    session.add(
        WebhookAttempt(
            delivery_id=claimed.delivery_id,
            attempted_at=now,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
    )
    attempts = claimed.attempts + 1
    values: dict[str, object] = {
        "attempts": attempts,
        "last_status_code": result.status_code,
        "last_error": result.error,
        "lease_owner": None,
        "lease_expires_at": None,
    }
    if result.delivered:
        values |= {
            "status": DeliveryStatus.DELIVERED.value,
            "delivered_at": now,
            "finished_at": now,
        }
    elif result.error == "subscription_inactive":
        values |= {"status": DeliveryStatus.FAILED.value, "finished_at": now}
    else:
        following = schedule.next_attempt(
            series_started_at=claimed.series_started_at, failed_attempts=attempts, now=now
        )
        if following is None:
            values |= {"status": DeliveryStatus.FAILED.value, "finished_at": now}
        else:
            values |= {"next_attempt_at": following}
    # Only while this worker still holds the lease: a worker that overran it leaves the
    # outcome to the one that took the delivery over (its attempt is logged all the same).
    session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == claimed.delivery_id,
            col(WebhookDelivery.lease_owner) == owner,
        )
        .values(**values)
    )
    session.commit()


def deliver_due(
    settings: Settings,
    *,
    owner: str,
    limit: int = 20,
    resolver: Resolver = system_resolver,
    sender: Sender = send,
) -> int:
    """One round: claim up to ``limit`` due deliveries, send and record them. Returns how
    many were attempted."""
    url = settings.resolved_database_url
    lease = timedelta(seconds=settings.webhook_lease_seconds)
    schedule = schedule_of(settings)
    # A read first: an idle registry (the usual case) never takes SQLite's writer lock here.
    with read_session(url) as session:
        if not _any_due(session):
            return 0
    with new_session(url) as session:
        claimed = _claim(session, owner, lease, limit)
    for item in claimed:
        result = _attempt(item, settings, resolver, sender)
        with new_session(url) as session:
            _record(session, item, owner, result, schedule)
    return len(claimed)


def prune_finished(settings: Settings, *, now: datetime | None = None) -> int:
    """Delete the events whose every delivery ended more than ``webhook_retention_days``
    ago (and events older than that which had no delivery), with their deliveries and
    attempts; how many events went. One short transaction per chunk."""
    cutoff = (now or utcnow()) - timedelta(days=settings.webhook_retention_days)
    url = settings.resolved_database_url
    unfinished = exists().where(
        col(WebhookDelivery.event_id) == col(WebhookEvent.id),
        or_(
            col(WebhookDelivery.finished_at).is_(None),
            col(WebhookDelivery.finished_at) >= cutoff,
        ),
    )
    total = 0
    while True:
        with new_session(url) as session:
            ids = [
                i
                for i in session.exec(
                    select(WebhookEvent.id)
                    .where(col(WebhookEvent.created_at) < cutoff, ~unfinished)
                    .order_by(col(WebhookEvent.id))
                    .limit(_PRUNE_CHUNK)
                ).all()
                if i is not None
            ]
            if not ids:
                session.rollback()
                return total
            deliveries = select(WebhookDelivery.id).where(col(WebhookDelivery.event_id).in_(ids))
            session.execute(
                delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries))
            )
            session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.event_id).in_(ids)))
            session.execute(delete(WebhookEvent).where(col(WebhookEvent.id).in_(ids)))
            session.commit()
        total += len(ids)
        if len(ids) < _PRUNE_CHUNK:
            return total


class DeliveryWorker:
    """The background thread that delivers webhooks from one server process."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="khatem-webhooks", daemon=True)
        self.owner = f"{socket.gethostname()[:50]}:{os.getpid()}:{id(self) % 100000}"

    def start(self) -> DeliveryWorker:
        """Start the thread unless the interval is zero or negative (disabled)."""
        if self._settings.webhook_delivery_interval_seconds > 0:
            self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def tick(self) -> int:
        try:
            return deliver_due(self._settings, owner=self.owner)
        except Exception:
            logger.exception("webhook delivery round failed; retrying next interval")
            return 0

    def prune(self) -> int:
        """Prune the events past their retention (never raises: tried again later)."""
        try:
            return prune_finished(self._settings)
        except Exception:
            logger.exception("webhook events not pruned; retrying at the next prune")
            return 0

    def _run(self) -> None:
        pruned_at = float("-inf")  # prune at the first round
        while not self._stop.wait(self._settings.webhook_delivery_interval_seconds):
            while self.tick() and not self._stop.is_set():
                pass  # a full round: more may be due at once
            if time.monotonic() - pruned_at >= PRUNE_EVERY:
                self.prune()
                pruned_at = time.monotonic()


@asynccontextmanager
async def webhook_delivery(app: FastAPI) -> AsyncIterator[None]:
    """App lifespan: run a :class:`DeliveryWorker` while the app serves."""
    settings = getattr(app.state, "settings", None)
    worker = DeliveryWorker(settings if isinstance(settings, Settings) else get_settings())
    worker.start()
    try:
        yield
    finally:
        worker.stop()
