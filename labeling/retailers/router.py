"""The retailer API: its account, receipts (JSON and GS1 EPCIS 2.0). Retailers only."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends

from core.auth import Principal, SessionDep, SettingsDep, allow
from core.paging import KeysetPageDep
from core.problems import UnprocessableContent, problem_responses
from labeling.retailers import epcis, receipts, service
from labeling.retailers.epcis import EpcisDocument
from labeling.retailers.receipts import ReceivedItem
from schemas.retailers import (
    ReceiptChannel,
    ReceiptPage,
    ReceiptsRecorded,
    Retailer,
    RetailerPublic,
    ShipmentReceipt,
)
from schemas.types import Role, utcnow

router = APIRouter(tags=["retailers"])

RetailerPrincipal = Annotated[Principal, Depends(allow(Role.RETAILER))]

#: How far in the future a receipt time may lie (clocks drift; goods do not arrive early).
_CLOCK_SKEW = timedelta(hours=1)


def current_retailer(principal: RetailerPrincipal, session: SessionDep) -> Retailer:
    """The retailer organisation the caller's key belongs to."""
    return service.retailer_of(session=session, principal=principal)


CurrentRetailer = Annotated[Retailer, Depends(current_retailer)]

_RECORDED = (
    "One answer per item, in the order sent: `recorded` (with the receipt: the first one "
    "if you had recorded this label before) or `refused` (with reason codes). Nothing is "
    "recorded unless the whole request is."
)


@router.get(
    "/api/v1/retailers/me", response_model=RetailerPublic, summary="My retailer organisation"
)
def my_retailer(retailer: CurrentRetailer) -> RetailerPublic:
    return service.public(retailer)


@router.post(
    "/api/v1/receipts",
    response_model=ReceiptsRecorded,
    responses=problem_responses(422),
    summary="Record the receipt of a shipment's labelled items",
    description=_RECORDED,
)
def record_receipts(
    body: ShipmentReceipt,
    retailer: CurrentRetailer,
    session: SessionDep,
    settings: SettingsDep,
) -> ReceiptsRecorded:
    now = utcnow()
    received_at = body.received_at or now
    if received_at > now + _CLOCK_SKEW:
        raise UnprocessableContent("received_at lies in the future.", slug="received-in-the-future")
    country = body.country or retailer.country
    items = [
        ReceivedItem(
            uri=uri, shipment_ref=body.shipment_ref, country=country, received_at=received_at
        )
        for uri in body.labels
    ]
    return receipts.record_receipts(
        session=session,
        settings=settings,
        retailer=retailer,
        items=items,
        channel=ReceiptChannel.JSON,
    )


@router.post(
    "/api/v1/epcis/events",
    response_model=ReceiptsRecorded,
    responses=problem_responses(
        422, descriptions={422: "`epcis-invalid` or `validation-error`: not a receiving document"}
    ),
    summary="Record receipts sent as a GS1 EPCIS 2.0 document of receiving ObjectEvents",
    description="Content type `application/ld+json` or `application/json`. " + _RECORDED,
)
def capture_epcis(
    body: EpcisDocument,
    retailer: CurrentRetailer,
    session: SessionDep,
    settings: SettingsDep,
) -> ReceiptsRecorded:
    items = epcis.received_items(body, home_country=retailer.country)
    now = utcnow()
    if any(item.received_at > now + _CLOCK_SKEW for item in items):
        raise UnprocessableContent(
            "An eventTime lies in the future.", slug="received-in-the-future"
        )
    return receipts.record_receipts(
        session=session,
        settings=settings,
        retailer=retailer,
        items=items,
        channel=ReceiptChannel.EPCIS,
    )


@router.get(
    "/api/v1/receipts",
    response_model=ReceiptPage,
    responses=problem_responses(422),
    summary="My receipts, oldest first (keyset pagination)",
)
def list_receipts(
    retailer: CurrentRetailer, session: SessionDep, page: KeysetPageDep
) -> ReceiptPage:
    return receipts.list_receipts(
        session=session, retailer=retailer, after=page.after, limit=page.limit
    )
