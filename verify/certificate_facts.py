"""A certificate's public facts, as a verdict carries them: scheme, level, standards, the
audit behind it, the artisan's public face.

Frozen pydantic models: the Python value the pages and the offline library read, and the
JSON of a verdict's ``certificate`` member. Attributes keep the names Python readers know
(``conformity.scheme_name``); the JSON nests them as docs/verification.md shows
(``conformity.scheme.name``): the model serializers and ``_flatten`` below are the one
place that says how. :mod:`verify.verdict` holds the verdict around them. Imports nothing
from ``labeling`` or ``core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator
from typing_extensions import TypedDict

__all__ = [
    "ArtisanFacts",
    "ArtisanJson",
    "CertificateFacts",
    "Conformity",
    "ConformityJson",
    "StandardFacts",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ------------------------------------------------------------------------------ facts


class StandardFacts(_Model):
    """A standard the certificate's scheme cites: ``StandardFacts(code, title)``."""

    code: str
    title: str

    def __init__(self, code: str, title: str) -> None:
        BaseModel.__init__(self, code=code, title=title)


class SchemeJson(TypedDict):
    code: str
    name: str
    level: int | None
    level_name: str | None


class AuditJson(TypedDict):
    date: date
    outcome: str


class CodeNameJson(TypedDict):
    code: str
    name: str


class ConformityJson(TypedDict):
    """The JSON of :class:`Conformity` (also the ``conformity`` check's detail)."""

    scheme: SchemeJson
    standards: tuple[StandardFacts, ...]
    criteria_met: tuple[str, ...]
    audit: AuditJson
    certifying_body: CodeNameJson


def _flatten(data: Any, nesting: Mapping[str, Mapping[str, str]]) -> Any:
    """``data`` in the JSON shape (members ``nesting`` names hold objects) as the flat
    fields the model keeps; anything else as it is."""
    if not isinstance(data, Mapping) or not any(member in data for member in nesting):
        return data
    flat = {name: value for name, value in data.items() if name not in nesting}
    for member, fields in nesting.items():
        inner = data.get(member)
        if not isinstance(inner, Mapping):
            flat[member] = inner  # validation says what is wrong with it
            continue
        flat.update({field: inner[key] for key, field in fields.items() if key in inner})
    return flat


_CONFORMITY_NESTING: Final = {
    "scheme": {
        "code": "scheme_code",
        "name": "scheme_name",
        "level": "level",
        "level_name": "level_name",
    },
    "audit": {"date": "audit_date", "outcome": "audit_outcome"},
    "certifying_body": {"code": "body_code", "name": "body_name"},
}
_ARTISAN_NESTING: Final = {"region": {"code": "region_code", "name": "region_name"}}


class Conformity(_Model):
    """What the certificate vouches for: scheme, level, standards, the audit behind it."""

    scheme_code: str
    scheme_name: str
    level: int | None
    level_name: str | None
    standards: tuple[StandardFacts, ...]
    criteria_met: tuple[str, ...]
    audit_date: date
    audit_outcome: str
    body_code: str
    body_name: str

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        return _flatten(data, _CONFORMITY_NESTING)

    @model_serializer(mode="plain")
    def public(self) -> ConformityJson:
        """The facts as the JSON nests them."""
        return {
            "scheme": {
                "code": self.scheme_code,
                "name": self.scheme_name,
                "level": self.level,
                "level_name": self.level_name,
            },
            "standards": self.standards,
            "criteria_met": self.criteria_met,
            "audit": {"date": self.audit_date, "outcome": self.audit_outcome},
            "certifying_body": {"code": self.body_code, "name": self.body_name},
        }


class ArtisanJson(TypedDict):
    display_name_latin: str
    display_name_arabic: str
    region: CodeNameJson
    craft: str


class ArtisanFacts(_Model):
    """The public face of an artisan: names in both scripts, region and craft. Nothing
    personal (no national id, phone, address) and no internal id."""

    display_name_latin: str
    display_name_arabic: str
    region_code: str
    region_name: str
    craft: str

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        return _flatten(data, _ARTISAN_NESTING)

    @model_serializer(mode="plain")
    def public(self) -> ArtisanJson:
        return {
            "display_name_latin": self.display_name_latin,
            "display_name_arabic": self.display_name_arabic,
            "region": {"code": self.region_code, "name": self.region_name},
            "craft": self.craft,
        }


class CertificateFacts(_Model):
    """A certificate's public facts.

    ``status`` is what the registry stored (``active``, ``suspended``, ``withdrawn``); in a
    verdict it is the status as of ``checked_at``, when an active certificate past its
    ``valid_until`` is ``expired``.
    """

    code: str = Field(description="The certificate code, e.g. C-1Z8K3QD.")
    status: Literal["active", "suspended", "withdrawn", "expired"]
    status_reason: str | None = Field(
        description="The body's reason code for a suspension or withdrawal."
    )
    valid_from: date
    valid_until: date
    conformity: Conformity
    artisan: ArtisanFacts
