"""What the inspector's pages share: their words, path and form parameters, list sizes, the
schemes the inspector may audit, numbers as the inspector's language writes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final

from babel.numbers import format_decimal
from fastapi import Form, Path, Response
from sqlmodel import Session

from labeling.catalog.names import catalogue_names
from labeling.registry import service as registry
from labeling.workspace.i18n import WLang
from labeling.workspace.inspector_words import WORDS
from labeling.workspace.routing import Viewer, page
from schemas.audits_api import MAX_ROW_ID

__all__ = [
    "LIST_SIZE",
    "ArtisanId",
    "AuditId",
    "FormText",
    "SchemeChoice",
    "authorised_schemes",
    "format_number",
    "inspector_page",
]

ArtisanId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
AuditId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
FormText = Annotated[str | None, Form(max_length=4000)]
#: Rows of a list on an inspector's page (search results, an artisan's audits …).
LIST_SIZE: Final = 20


def inspector_page(viewer: Viewer, template: str, **values: Any) -> Response:
    """A page of the inspector's, with the inspector's words."""
    return page(viewer, template, words=WORDS, **values)


def format_number(value: float, lang: WLang) -> str:
    return format_decimal(value, locale=lang)


@dataclass(frozen=True, slots=True)
class SchemeChoice:
    code: str
    name: str


def authorised_schemes(session: Session, viewer: Viewer) -> list[SchemeChoice]:
    """The schemes the inspector is authorised to audit, named in the viewer's language."""
    names = catalogue_names()
    granted = registry.list_authorisations(
        session=session,
        actor=viewer.principal,
        inspector_id=viewer.principal.user_id,
        include_revoked=False,
    )
    return [
        SchemeChoice(
            a.scheme_code, names.name("scheme", a.scheme_code, a.scheme_name, viewer.lang).text
        )
        for a in granted
    ]
