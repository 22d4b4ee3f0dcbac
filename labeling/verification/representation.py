"""How a verdict is written on the wire: JSON, a GS1 linkset, and their cache validators.

The JSON is the verdict model's own (:class:`verify.verdict.Verdict`, through pydantic's
serializer); bulk answers are :class:`BulkVerdicts`. Content negotiation for the label URL
lives here too (``Accept`` → one of ``html``, ``json``, ``linkset``), memoised per header
value because a handful of values cover nearly every client.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from verify.pages.copies import repeated_serials
from verify.verdict import Verdict

__all__ = [
    "JSON",
    "LINKSET",
    "BulkVerdicts",
    "DuplicateSerial",
    "JsonAnswer",
    "Representation",
    "bulk_body",
    "cache_control",
    "choose",
    "json_answer",
    "linkset_body",
    "verdict_body",
]

JSON: Final = "application/json"
LINKSET: Final = "application/linkset+json"
HTML: Final = "text/html"
Representation = Literal["html", "json", "linkset"]

#: GS1 Web Vocabulary link types, in the expanded form resolvers write in a linkset.
GS1_VOC: Final = "https://gs1.org/voc/"
CERTIFICATION_INFO: Final = GS1_VOC + "certificationInfo"
PIP: Final = GS1_VOC + "pip"
DEFAULT_LINK: Final = GS1_VOC + "defaultLink"
#: Khatem's own link type for the machine-readable verdict.
VERIFICATION_SERVICE: Final = GS1_VOC + "verificationService"

#: A verdict may change the moment a body suspends a certificate, so shared caches keep it
#: briefly; a verdict that rests on the input alone (malformed, tampered) never changes.
VERDICT_MAX_AGE: Final = 30
INPUT_VERDICT_MAX_AGE: Final = 86_400

_OFFERS: Final[dict[str, Representation]] = {HTML: "html", JSON: "json", LINKSET: "linkset"}
_CHOICES: dict[str, Representation] = {}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def choose(accept: str | None) -> Representation:
    """The representation ``Accept`` prefers (q-values honoured; HTML by default)."""
    if not accept:
        return "html"
    found = _CHOICES.get(accept)
    if found is None:
        found = _negotiate(accept)
        if len(_CHOICES) < 256:
            _CHOICES[accept] = found
    return found


def _negotiate(accept: str) -> Representation:
    best: tuple[float, int, int] = (-1.0, -1, 0)
    choice: Representation = "html"
    for position, part in enumerate(accept.split(",")[:32]):
        media, *params = (item.strip() for item in part.split(";"))
        media = media.lower()
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0.0 < quality <= 1.0:
            continue
        if media in _OFFERS:
            candidates = [(media, 2)]
        elif media in ("*/*", "application/*", "text/*"):
            candidates = [(HTML, 0)] if media != "application/*" else [(JSON, 0)]
        else:
            continue
        for offer, specificity in candidates:
            rank = (quality, specificity, -position)
            if rank > best:
                best, choice = rank, _OFFERS[offer]
    return choice


class DuplicateSerial(BaseModel):
    """A GTIN and serial that two or more labels of one bulk call carry."""

    model_config = ConfigDict(frozen=True)

    gtin: str = Field(description="The GTIN-14 of the repeated labels.")
    serial: str = Field(description="The repeated serial.")
    indexes: list[int] = Field(
        description="Where the labels carrying it are in `labels` (and `verdicts`), from 0."
    )


class BulkVerdicts(BaseModel):
    """The answer of ``POST /api/v1/verify``: one verdict per submitted label, in order."""

    model_config = ConfigDict(frozen=True)

    count: int = Field(description="How many labels were submitted (and verdicts follow).")
    verdicts: list[Verdict]
    duplicates: list[DuplicateSerial] = Field(
        default_factory=list,
        description="Every GTIN and serial that two or more of the submitted labels carry, "
        "in order of first appearance; empty when none repeats. One item has one label, so "
        "a repeat means a copied label (or an item scanned twice). Each verdict stays what "
        "its label alone gives.",
    )


#: Where the JSON of a verdict ends: ``checked_at`` is the model's last member.
_CHECKED_AT: Final = b',"checked_at":'
_INSTANT: Final = TypeAdapter(datetime)


@dataclass(frozen=True, slots=True)
class JsonAnswer:
    """A verdict's JSON answer: the body, its weak ETag and its ``Cache-Control``.

    The ETag covers everything but ``checked_at`` (the instant of the check, the last
    member), so a client revalidating an unchanged verdict gets 304.
    """

    body: bytes
    etag: str
    cache_control: str

    def checked_at(self, at: datetime) -> JsonAnswer:
        """The same answer checked at ``at`` (UTC; sub-seconds dropped, as the verifier
        does)."""
        instant = _INSTANT.dump_json(at.replace(microsecond=0))
        cut = self.body.rindex(_CHECKED_AT) + len(_CHECKED_AT)
        if self.body[cut:-1] == instant:
            return self
        return JsonAnswer(self.body[:cut] + instant + b"}", self.etag, self.cache_control)


def json_answer(verdict: Verdict) -> JsonAnswer:
    body = verdict.__pydantic_serializer__.to_json(verdict)
    return JsonAnswer(
        body, _etag(memoryview(body)[: body.rindex(_CHECKED_AT)]), cache_control(verdict)
    )


def _etag(data: bytes | memoryview) -> str:
    # SHA-256 (hardware-accelerated on current CPUs: faster than BLAKE2 here), 96 bits.
    return 'W/"' + hashlib.sha256(data).hexdigest()[:24] + '"'


def verdict_body(verdict: Verdict) -> tuple[bytes, str]:
    """The verdict as JSON bytes and its weak ETag (see :class:`JsonAnswer`)."""
    answer = json_answer(verdict)
    return answer.body, answer.etag


def bulk_body(verdicts: Sequence[Verdict]) -> bytes:
    """``{"count": n, "verdicts": [...], "duplicates": [...]}``, one verdict per submitted
    label, in order, and the serials they repeat."""
    duplicates = [
        DuplicateSerial(gtin=d.gtin, serial=d.serial, indexes=list(d.indexes))
        for d in repeated_serials(verdicts)
    ]
    answer = BulkVerdicts(count=len(verdicts), verdicts=list(verdicts), duplicates=duplicates)
    return answer.__pydantic_serializer__.to_json(answer)


def rests_on_input(verdict: Verdict) -> bool:
    """Whether the verdict follows from the label text alone (a parse failure)."""
    return verdict.label is None


def cache_control(verdict: Verdict) -> str:
    age = INPUT_VERDICT_MAX_AGE if rests_on_input(verdict) else VERDICT_MAX_AGE
    return f"public, max-age={age}"


def linkset_body(
    verdict: Verdict, *, base_url: str, label_url: str, languages: Sequence[str]
) -> tuple[bytes, str]:
    """A GS1 Digital Link linkset (RFC 9264, ``application/linkset+json``) for the label.

    The anchor is the label's GS1 Digital Link on this registry; ``pip`` and the default
    link go to the human verification page (the label URL itself, which verifies the
    signature it carries), ``certificationInfo`` to the public certificate page when the
    label is genuine enough for its certificate to be known.
    """
    base = base_url.rstrip("/")
    label = verdict.label
    anchor = f"{base}/01/{label.gtin}/21/{label.serial}" if label else label_url
    page = {"href": label_url, "type": HTML, "hreflang": list(languages), "title": "Verification"}
    entry: dict[str, Any] = {
        "anchor": anchor,
        DEFAULT_LINK: [page],
        PIP: [page],
        VERIFICATION_SERVICE: [
            {"href": label_url, "type": JSON, "title": f"Verdict: {verdict.verdict.value}"}
        ],
    }
    certificate = verdict.certificate
    if certificate is not None:
        entry[CERTIFICATION_INFO] = [
            {
                "href": f"{base}/certificates/{certificate.code}",
                "type": HTML,
                "title": f"{certificate.conformity.scheme_name} — {certificate.code}",
            }
        ]
    body = _dumps({"linkset": [entry]}).encode()
    return body, _etag(body)
