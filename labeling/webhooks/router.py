"""A retailer's webhooks: subscribe, change, unsubscribe, read the delivery log, replay."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from core.auth import SessionDep, SettingsDep
from core.paging import KeysetPageDep
from core.problems import problem_responses
from labeling.retailers.router import CurrentRetailer
from labeling.webhooks import service
from labeling.webhooks.addresses import Resolver, system_resolver
from schemas.webhooks import (
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryPage,
    WebhookDeliveryPublic,
    WebhookPublic,
    WebhookUpdate,
)

router = APIRouter(tags=["webhooks"])

WebhookId = Annotated[int, Path(ge=1, le=2**31 - 1, description="One of my webhooks")]
DeliveryId = Annotated[int, Path(ge=1, le=2**63 - 1, description="One of its deliveries")]


async def url_resolver(request: Request) -> Resolver:
    """How webhook hosts are resolved (the system's resolver; tests set their own)."""
    resolver: Resolver = getattr(request.app.state, "webhook_resolver", system_resolver)
    return resolver


ResolverDep = Annotated[Resolver, Depends(url_resolver)]
_REFUSED = {422: "`webhook-url-refused` (with `reason`): not https, or not a public address"}


@router.post(
    "/api/v1/webhooks",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422, descriptions=_REFUSED),
    summary="Subscribe a webhook URL (its signing secret is shown this once)",
)
def create_webhook(
    body: WebhookCreate,
    retailer: CurrentRetailer,
    session: SessionDep,
    settings: SettingsDep,
    resolver: ResolverDep,
) -> WebhookCreated:
    return service.create(
        session=session, settings=settings, retailer=retailer, data=body, resolver=resolver
    )


@router.get("/api/v1/webhooks", response_model=list[WebhookPublic], summary="My webhooks")
def list_webhooks(retailer: CurrentRetailer, session: SessionDep) -> list[WebhookPublic]:
    return service.list_subscriptions(session=session, retailer=retailer)


@router.get(
    "/api/v1/webhooks/{webhook_id}",
    response_model=WebhookPublic,
    responses=problem_responses(404),
    summary="One of my webhooks",
)
def get_webhook(
    webhook_id: WebhookId, retailer: CurrentRetailer, session: SessionDep
) -> WebhookPublic:
    return service.get(session=session, retailer=retailer, webhook_id=webhook_id)


@router.patch(
    "/api/v1/webhooks/{webhook_id}",
    response_model=WebhookPublic,
    responses=problem_responses(404, 422, descriptions=_REFUSED),
    summary="Change a webhook's URL, event types or description, or pause it",
)
def update_webhook(
    webhook_id: WebhookId,
    body: WebhookUpdate,
    retailer: CurrentRetailer,
    session: SessionDep,
    settings: SettingsDep,
    resolver: ResolverDep,
) -> WebhookPublic:
    return service.update(
        session=session,
        settings=settings,
        retailer=retailer,
        webhook_id=webhook_id,
        data=body,
        resolver=resolver,
    )


@router.delete(
    "/api/v1/webhooks/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
    summary="Unsubscribe a webhook",
)
def delete_webhook(
    webhook_id: WebhookId, retailer: CurrentRetailer, session: SessionDep
) -> Response:
    service.delete(session=session, retailer=retailer, webhook_id=webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/api/v1/webhooks/{webhook_id}/deliveries",
    response_model=WebhookDeliveryPage,
    responses=problem_responses(404, 422),
    summary="The delivery log of a webhook, oldest first (keyset pagination)",
)
def list_deliveries(
    webhook_id: WebhookId, retailer: CurrentRetailer, session: SessionDep, page: KeysetPageDep
) -> WebhookDeliveryPage:
    return service.list_deliveries(
        session=session,
        retailer=retailer,
        webhook_id=webhook_id,
        after=page.after,
        limit=page.limit,
    )


@router.post(
    "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
    response_model=WebhookDeliveryPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(404, 409),
    summary="Send a delivery again now (same webhook-id; a new series of retries)",
)
def replay_delivery(
    webhook_id: WebhookId,
    delivery_id: DeliveryId,
    retailer: CurrentRetailer,
    session: SessionDep,
) -> WebhookDeliveryPublic:
    return service.replay(
        session=session, retailer=retailer, webhook_id=webhook_id, delivery_id=delivery_id
    )
