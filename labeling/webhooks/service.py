"""A retailer's webhook subscriptions, its delivery log, and replays.

Everything is scoped to the calling retailer: another retailer's subscription or delivery
answers 404, exactly as one that does not exist (ADR 0003).
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.problems import Conflict, NotFound
from core.settings import Settings
from labeling.webhooks.addresses import Resolver, check_url
from labeling.webhooks.delivery import allow_private
from labeling.webhooks.signing import new_secret
from schemas.retailers import Retailer
from schemas.types import utcnow
from schemas.webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookAttemptPublic,
    WebhookCreate,
    WebhookCreated,
    WebhookDelivery,
    WebhookDeliveryPage,
    WebhookDeliveryPublic,
    WebhookEvent,
    WebhookEventType,
    WebhookPublic,
    WebhookSubscription,
    WebhookUpdate,
)

__all__ = [
    "MAX_SUBSCRIPTIONS",
    "WebhookNotFound",
    "create",
    "delete",
    "get",
    "list_deliveries",
    "list_subscriptions",
    "replay",
    "update",
]

#: Live subscriptions one retailer may hold.
MAX_SUBSCRIPTIONS = 10


class WebhookNotFound(NotFound):
    slug = "webhook-not-found"
    title = "No such webhook"


class DeliveryNotFound(NotFound):
    slug = "webhook-delivery-not-found"
    title = "No such delivery"


def _types(value: list[WebhookEventType]) -> str:
    return ",".join(sorted({t.value for t in value}))


def _public(row: WebhookSubscription) -> WebhookPublic:
    assert row.id is not None
    return WebhookPublic(
        id=row.id,
        url=row.url,
        description=row.description,
        event_types=[WebhookEventType(t) for t in row.event_types.split(",") if t],
        is_active=row.is_active,
        created_at=row.created_at,
    )


def _own(session: Session, retailer: Retailer, webhook_id: int) -> WebhookSubscription:
    row = session.get(WebhookSubscription, webhook_id)
    if row is None or row.retailer_id != retailer.id or row.deleted_at is not None:
        raise WebhookNotFound()
    return row


def create(
    *,
    session: Session,
    settings: Settings,
    retailer: Retailer,
    data: WebhookCreate,
    resolver: Resolver,
) -> WebhookCreated:
    """Subscribe a URL (checked now: https, public address) and return its secret once."""
    assert retailer.id is not None
    check_url(data.url, allow_private=allow_private(settings), resolver=resolver)
    live = session.exec(
        select(func.count())
        .select_from(WebhookSubscription)
        .where(
            WebhookSubscription.retailer_id == retailer.id,
            col(WebhookSubscription.deleted_at).is_(None),
        )
    ).one()
    if live >= MAX_SUBSCRIPTIONS:
        raise Conflict(
            f"A retailer holds at most {MAX_SUBSCRIPTIONS} webhooks; delete one first.",
            slug="too-many-webhooks",
        )
    row = WebhookSubscription(
        retailer_id=retailer.id,
        url=data.url,
        secret=new_secret(),
        description=data.description,
        event_types=_types(data.event_types),
        is_active=True,
        created_at=utcnow(),
    )
    session.add(row)
    session.commit()
    return WebhookCreated(**_public(row).model_dump(), secret=row.secret)


def list_subscriptions(*, session: Session, retailer: Retailer) -> list[WebhookPublic]:
    rows = session.exec(
        select(WebhookSubscription)
        .where(
            WebhookSubscription.retailer_id == retailer.id,
            col(WebhookSubscription.deleted_at).is_(None),
        )
        .order_by(col(WebhookSubscription.id))
    ).all()
    return [_public(row) for row in rows]


def get(*, session: Session, retailer: Retailer, webhook_id: int) -> WebhookPublic:
    return _public(_own(session, retailer, webhook_id))


def update(
    *,
    session: Session,
    settings: Settings,
    retailer: Retailer,
    webhook_id: int,
    data: WebhookUpdate,
    resolver: Resolver,
) -> WebhookPublic:
    row = _own(session, retailer, webhook_id)
    if data.url is not None:
        check_url(data.url, allow_private=allow_private(settings), resolver=resolver)
        row.url = data.url
    if data.description is not None:
        row.description = data.description
    if data.event_types is not None:
        row.event_types = _types(data.event_types)
    if data.is_active is not None:
        row.is_active = data.is_active
    session.add(row)
    session.commit()
    return _public(row)


def delete(*, session: Session, retailer: Retailer, webhook_id: int) -> None:
    """Unsubscribe: pending deliveries to it end as ``failed`` when their turn comes; its
    delivery log stays readable until then through the list of deliveries."""
    row = _own(session, retailer, webhook_id)
    row.deleted_at = utcnow()
    row.is_active = False
    session.add(row)
    session.commit()


def _delivery_public(
    delivery: WebhookDelivery, event: WebhookEvent, attempts: list[WebhookAttempt]
) -> WebhookDeliveryPublic:
    assert delivery.id is not None
    pending = delivery.status == DeliveryStatus.PENDING.value
    return WebhookDeliveryPublic(
        id=delivery.id,
        message_id=event.message_id,
        type=WebhookEventType(event.type),
        status=DeliveryStatus(delivery.status),
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at if pending else None,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
        attempt_log=[
            WebhookAttemptPublic(
                attempted_at=a.attempted_at,
                status_code=a.status_code,
                error=a.error,
                duration_ms=a.duration_ms,
            )
            for a in attempts
        ],
    )


def list_deliveries(
    *, session: Session, retailer: Retailer, webhook_id: int, after: int, limit: int
) -> WebhookDeliveryPage:
    """The delivery log of one webhook, oldest first (keyset on the delivery id)."""
    _own(session, retailer, webhook_id)
    rows = session.exec(
        select(WebhookDelivery, WebhookEvent)
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .where(WebhookDelivery.subscription_id == webhook_id, col(WebhookDelivery.id) > after)
        .order_by(col(WebhookDelivery.id))
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    ids = [d.id for d, _ in page if d.id is not None]
    attempts: dict[int, list[WebhookAttempt]] = {}
    if ids:
        for attempt in session.exec(
            select(WebhookAttempt)
            .where(col(WebhookAttempt.delivery_id).in_(ids))
            .order_by(col(WebhookAttempt.id))
        ).all():
            attempts.setdefault(attempt.delivery_id, []).append(attempt)
    items = [_delivery_public(d, e, attempts.get(d.id or 0, [])) for d, e in page]
    return WebhookDeliveryPage(items=items, next_after=items[-1].id if len(rows) > limit else None)


def replay(
    *, session: Session, retailer: Retailer, webhook_id: int, delivery_id: int
) -> WebhookDeliveryPublic:
    """Send a delivery again, now, with a new retry series (the same ``webhook-id``)."""
    subscription = _own(session, retailer, webhook_id)
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise DeliveryNotFound()
    if not subscription.is_active:
        raise Conflict("This webhook is paused; activate it first.", slug="webhook-inactive")
    now = utcnow()
    delivery.status = DeliveryStatus.PENDING.value
    delivery.next_attempt_at = now
    delivery.series_started_at = now
    delivery.attempts = 0
    delivery.finished_at = None  # pending again: out of the retention job's reach
    session.add(delivery)
    session.commit()
    event = session.get(WebhookEvent, delivery.event_id)
    assert event is not None
    return _delivery_public(delivery, event, [])
