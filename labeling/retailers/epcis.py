"""GS1 EPCIS 2.0 receiving events in, :class:`ReceivedItem` out.

A retailer's system sends an ``EPCISDocument`` (JSON / JSON-LD, ``application/ld+json`` or
``application/json``) whose ``epcisBody.eventList`` holds ``ObjectEvent``s:

* ``action`` ``OBSERVE`` or ``ADD``; ``bizStep`` receiving, as the CBV short name
  ``receiving`` or in full (``https://ref.gs1.org/cbv/BizStep-receiving``, or the EPCIS 1.x
  URN ``urn:epcglobal:cbv:bizstep:receiving``);
* ``epcList``: the label URIs, exactly as scanned (GS1 Digital Link, with the signature
  ``S``): one EPC per item received;
* ``eventTime``: when the goods were received;
* the shipment: the event's first ``bizTransactionList`` entry of type ``desadv`` (despatch
  advice), else its first entry, else its ``eventID``;
* the country: the ``countryCode`` master-data attribute of the event's ``bizLocation`` in
  the document's ``epcisHeader.epcisMasterData``, else the retailer's country.

Any other event type, action or business step, a ``quantityList`` (counts, not items) or an
event without a shipment is refused as a whole with a 422 problem: nothing is recorded.
Members Khatem does not use (``readPoint``, ``disposition``, extensions) are accepted and
ignored, as EPCIS asks of a capturing system.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from core.problems import UnprocessableContent
from labeling.retailers.receipts import ReceivedItem

__all__ = [
    "MAX_EPCS",
    "EpcisDocument",
    "EpcisInvalid",
    "received_items",
]

#: The most EPCs (items) one document may carry, as for the JSON call.
MAX_EPCS = 1_000

RECEIVING = frozenset(
    {
        "receiving",
        "https://ref.gs1.org/cbv/BizStep-receiving",
        "urn:epcglobal:cbv:bizstep:receiving",
    }
)
_COUNTRY_ATTRIBUTES = frozenset(
    {
        "urn:epcglobal:cbv:mda#countryCode",
        "cbvmda:countryCode",
        "countryCode",
        "https://ref.gs1.org/cbv/mda#countryCode",
    }
)
_COUNTRY = re.compile(r"[A-Z]{2}")
_PRINTABLE = r"^[!-~](?:[ -~]{0,198}[!-~])?$"


class EpcisInvalid(UnprocessableContent):
    slug = "epcis-invalid"
    title = "Not an EPCIS receiving document Khatem can record"


class _Lenient(BaseModel):
    # EPCIS documents carry many optional members and extensions: those Khatem does not read
    # are ignored (not stored), as the standard asks of a capturing application.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


Text200 = Annotated[str, Field(min_length=1, max_length=200, pattern=_PRINTABLE)]


class EpcisBizTransaction(_Lenient):
    type: str | None = Field(default=None, max_length=200)
    biz_transaction: Text200 = Field(alias="bizTransaction")


class EpcisLocation(_Lenient):
    id: Text200


class EpcisObjectEvent(_Lenient):
    type: str = Field(pattern="^ObjectEvent$", description="ObjectEvent only")
    event_time: AwareDatetime = Field(alias="eventTime")
    event_id: Text200 | None = Field(default=None, alias="eventID")
    action: str = Field(pattern="^(?:OBSERVE|ADD)$")
    biz_step: str = Field(
        alias="bizStep",
        max_length=200,
        json_schema_extra={"enum": [step for step in sorted(RECEIVING)]},
    )
    epc_list: list[Annotated[str, Field(max_length=4096)]] = Field(
        alias="epcList", min_length=1, max_length=MAX_EPCS
    )
    quantity_list: list[Any] | None = Field(default=None, alias="quantityList", max_length=MAX_EPCS)
    biz_location: EpcisLocation | None = Field(default=None, alias="bizLocation")
    biz_transaction_list: list[EpcisBizTransaction] = Field(
        default_factory=list, alias="bizTransactionList", max_length=20
    )

    @field_validator("biz_step")
    @classmethod
    def _receiving(cls, value: str) -> str:
        if value not in RECEIVING:
            raise ValueError(
                "bizStep must be receiving (CBV: 'receiving' or "
                "'https://ref.gs1.org/cbv/BizStep-receiving')"
            )
        return value


class EpcisAttribute(_Lenient):
    id: str = Field(max_length=200)
    attribute: Any = None


class EpcisVocabularyElement(_Lenient):
    id: str = Field(max_length=200)
    attributes: list[EpcisAttribute] = Field(default_factory=list, max_length=100)


class EpcisVocabulary(_Lenient):
    type: str = Field(max_length=200)
    vocabulary_element_list: list[EpcisVocabularyElement] = Field(
        default_factory=list, alias="vocabularyElementList", max_length=1000
    )


class EpcisMasterData(_Lenient):
    vocabulary_list: list[EpcisVocabulary] = Field(
        default_factory=list, alias="vocabularyList", max_length=100
    )


class EpcisHeader(_Lenient):
    epcis_master_data: EpcisMasterData | None = Field(default=None, alias="epcisMasterData")


class EpcisBody(_Lenient):
    event_list: list[EpcisObjectEvent] = Field(alias="eventList", min_length=1, max_length=100)


class EpcisDocument(_Lenient):
    """An EPCIS 2.0 ``EPCISDocument`` of receiving ``ObjectEvent``s."""

    context: Any = Field(default=None, alias="@context")
    type: str = Field(pattern="^EPCISDocument$")
    schema_version: str = Field(alias="schemaVersion", pattern=r"^2\.0(?:\.0)?$")
    creation_date: datetime | None = Field(default=None, alias="creationDate")
    epcis_header: EpcisHeader | None = Field(default=None, alias="epcisHeader")
    epcis_body: EpcisBody = Field(alias="epcisBody")


def _countries(document: EpcisDocument) -> dict[str, str]:
    """Location id → ISO 3166-1 alpha-2, from the document's master data."""
    found: dict[str, str] = {}
    header = document.epcis_header
    if header is None or header.epcis_master_data is None:
        return found
    for vocabulary in header.epcis_master_data.vocabulary_list:
        for element in vocabulary.vocabulary_element_list:
            for attribute in element.attributes:
                value = attribute.attribute
                if (
                    attribute.id in _COUNTRY_ATTRIBUTES
                    and isinstance(value, str)
                    and _COUNTRY.fullmatch(value)
                ):
                    found[element.id] = value
    return found


def _shipment(event: EpcisObjectEvent) -> str | None:
    transactions = event.biz_transaction_list
    for transaction in transactions:
        if (transaction.type or "").rsplit("-", 1)[-1].rsplit(":", 1)[-1] == "desadv":
            return transaction.biz_transaction[:100]
    if transactions:
        return transactions[0].biz_transaction[:100]
    return event.event_id[:100] if event.event_id else None


def received_items(document: EpcisDocument, *, home_country: str) -> list[ReceivedItem]:
    """The items a document says were received, in document order; or :class:`EpcisInvalid`."""
    countries = _countries(document)
    problems: list[dict[str, Any]] = []
    items: list[ReceivedItem] = []
    for number, event in enumerate(document.epcis_body.event_list):
        # As a validation error's location reads (core.problems): strings.
        where = ["body", "epcisBody", "eventList", str(number)]
        if event.quantity_list:
            problems.append(
                {
                    "loc": [*where, "quantityList"],
                    "msg": "receipts are counted per labelled item: list each label in "
                    "epcList, not quantities",
                    "type": "epcis_quantities",
                }
            )
        shipment = _shipment(event)
        if shipment is None:
            problems.append(
                {
                    "loc": [*where, "bizTransactionList"],
                    "msg": "a receiving event needs a bizTransaction (despatch advice) or an "
                    "eventID to name its shipment",
                    "type": "epcis_no_shipment",
                }
            )
            continue
        location = event.biz_location.id if event.biz_location else None
        country = countries.get(location or "", home_country)
        for epc in event.epc_list:
            items.append(
                ReceivedItem(
                    uri=epc,
                    shipment_ref=shipment,
                    country=country,
                    received_at=event.event_time,
                    epcis_event_id=event.event_id,
                )
            )
    if len(items) > MAX_EPCS:
        problems.append(
            {
                "loc": ["body", "epcisBody"],
                "msg": f"at most {MAX_EPCS} EPCs per document",
                "type": "epcis_too_many_epcs",
            }
        )
    if problems:
        raise EpcisInvalid(
            "The document is not one Khatem records: " + problems[0]["msg"] + ".",
            errors=problems,
        )
    return items
