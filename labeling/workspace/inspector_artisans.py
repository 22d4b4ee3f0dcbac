"""The inspector's artisans: find them, register one, an artisan's page and its product
lines.

The handlers call the services the API calls (``labeling.registry.search`` and
``labeling.registry.artisans``) with the inspector's principal: another body's artisan is a
404 page.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Query, Response
from pydantic import ValidationError
from sqlmodel import Session

from core.auth import SessionDep
from core.keyset import Keyset
from core.problems import NotFound, Problem, UnprocessableContent
from labeling.audits import service as audits
from labeling.audits.repository import AuditFilters
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.registry import artisans, search
from labeling.registry import catalog as catalogue
from labeling.registry import repository as registry_repository
from labeling.workspace.inspector_common import (
    LIST_SIZE,
    ArtisanId,
    FormText,
    authorised_schemes,
    inspector_page,
)
from labeling.workspace.inspector_words import ARTISAN_KINDS, WORDS
from labeling.workspace.routing import (
    CSRF,
    FormErrors,
    InspectorViewer,
    Viewer,
    form_errors,
    page,
    problem_text,
    see_other,
    workspace_router,
)
from schemas.registry_api import ArtisanCreate, ProductLineCreate
from schemas.text import WITHOUT_BIDI_CONTROLS

__all__ = ["router"]

router = workspace_router()


@router.get("/workspace/artisans")
def find_artisans(
    viewer: InspectorViewer,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The artisans of my body that match ``q`` (name in either script, NIA, registry id,
    city, craft), in registration order, a keyset page at a time (the search service)."""
    query = (q or "").translate(WITHOUT_BIDI_CONTROLS).strip() or None
    error: str | None = None
    try:
        found = search.search_artisans(
            session=session,
            principal=viewer.principal,
            query=query,
            limit=LIST_SIZE,
            cursor=cursor or None,
        )
        items, following = found.items, found.next_cursor
    except UnprocessableContent as problem:
        items, following, error = [], None, problem_text(problem, viewer.lang)
    return inspector_page(
        viewer,
        "inspector/artisans.html",
        q=query or "",
        items=items,
        next_cursor=following,
        first_page=cursor is not None,
        error=error,
    )


_ARTISAN_FIELDS: Final = (
    "nia",
    "kind",
    "display_name_latin",
    "display_name_arabic",
    "region_code",
    "filiere_code",
    "metier",
    "city",
    "national_id",
    "phone",
    "address",
)


def _artisan_form(
    viewer: Viewer,
    session: Session,
    *,
    values: dict[str, str],
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    names = catalogue_names()
    regions = [
        (r.code, names.name("region", r.code, r.name, viewer.lang).text)
        for r in catalogue.list_regions(session=session)
    ]
    filieres = [(f.code, f.name) for f in catalogue.list_filieres(session=session)]
    kinds = [(code, text(viewer.lang)) for code, text in ARTISAN_KINDS.items()]
    return page(
        viewer,
        "inspector/artisan_new.html",
        status_code=status_code,
        words=WORDS,
        values=values,
        errors=errors or FormErrors(),
        regions=regions,
        filieres=filieres,
        kinds=kinds,
    )


def _body_region(session: Session, viewer: Viewer) -> str:
    body = registry_repository.get_body(session=session, body_id=viewer.principal.body_id or 0)
    return (body.region_code or "") if body is not None else ""


@router.get("/workspace/artisans/new")
def new_artisan(viewer: InspectorViewer, session: SessionDep) -> Response:
    return _artisan_form(viewer, session, values={"region_code": _body_region(session, viewer)})


@router.post("/workspace/artisans/new", dependencies=CSRF)
def register_artisan(
    viewer: InspectorViewer,
    session: SessionDep,
    nia: FormText = None,
    kind: FormText = None,
    display_name_latin: FormText = None,
    display_name_arabic: FormText = None,
    region_code: FormText = None,
    filiere_code: FormText = None,
    metier: FormText = None,
    city: FormText = None,
    national_id: FormText = None,
    phone: FormText = None,
    address: FormText = None,
) -> Response:
    sent = {
        "nia": nia,
        "kind": kind,
        "display_name_latin": display_name_latin,
        "display_name_arabic": display_name_arabic,
        "region_code": region_code,
        "filiere_code": filiere_code,
        "metier": metier,
        "city": city,
        "national_id": national_id,
        "phone": phone,
        "address": address,
    }
    values = {name: (value or "").strip() for name, value in sent.items()}
    optional = {"national_id", "phone", "address"}
    data = {k: v for k, v in values.items() if v or k not in optional}
    try:
        artisan = artisans.register_artisan(
            session=session, actor=viewer.principal, data=ArtisanCreate.model_validate(data)
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _artisan_form(viewer, session, values=values, errors=errors, status_code=422)
    except Problem as problem:
        errors = form_errors(viewer.lang, problem=problem, problem_field=_artisan_field(problem))
        return _artisan_form(
            viewer, session, values=values, errors=errors, status_code=problem.status
        )
    return see_other(f"/workspace/artisans/{artisan.id}?done=registered")


def _artisan_field(problem: Problem) -> str | None:
    return {
        "nia-taken": "nia",
        "unknown-region": "region_code",
        "region-outside-body": "region_code",
        "unknown-filiere": "filiere_code",
    }.get(problem.instance_slug)


def _artisan_page(
    viewer: Viewer,
    session: Session,
    artisan_id: int,
    *,
    line_values: dict[str, str] | None = None,
    line_errors: FormErrors | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    principal = viewer.principal
    artisan = artisans.get_artisan(session=session, actor=principal, artisan_id=artisan_id)
    lines, _ = artisans.list_product_lines(
        session=session, actor=principal, artisan_id=artisan_id, limit=100, offset=0
    )
    recorded = audits.audit_keyset_page(
        session=session,
        principal=principal,
        filters=AuditFilters(artisan_id=artisan_id),
        keyset=Keyset(LIST_SIZE),
    )
    held = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(artisan_id=artisan_id),
        limit=LIST_SIZE,
        offset=0,
    )
    names = catalogue_names()
    return page(
        viewer,
        "inspector/artisan.html",
        status_code=status_code,
        words=WORDS,
        artisan=artisans.artisan_view(principal, artisan),
        kind_name=ARTISAN_KINDS[artisan.kind](viewer.lang),
        region_name=names.name("region", artisan.region_code, artisan.region_code, viewer.lang),
        lines=lines,
        audits=recorded.items,
        more_audits=recorded.next_cursor is not None,
        certificates=held.items,
        schemes=authorised_schemes(session, viewer),
        line_values=line_values or {},
        line_errors=line_errors or FormErrors(),
        done=done,
    )


@router.get("/workspace/artisans/{artisan_id}")
def artisan_page(
    viewer: InspectorViewer,
    session: SessionDep,
    artisan_id: ArtisanId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _artisan_page(viewer, session, artisan_id, done=done)


@router.post("/workspace/artisans/{artisan_id}/product-lines", dependencies=CSRF)
def add_product_line(
    viewer: InspectorViewer,
    session: SessionDep,
    artisan_id: ArtisanId,
    family: FormText = None,
    name: FormText = None,
    materials: FormText = None,
    gtin: FormText = None,
) -> Response:
    values = {
        "family": (family or "").strip(),
        "name": (name or "").strip(),
        "materials": (materials or "").strip(),
        "gtin": (gtin or "").strip(),
    }
    data: dict[str, Any] = {
        "family": values["family"],
        "name": values["name"],
        "materials": [m.strip() for m in values["materials"].split(",") if m.strip()],
    }
    if values["gtin"]:
        data["gtin"] = values["gtin"]
    try:
        artisans.register_product_line(
            session=session,
            actor=viewer.principal,
            artisan_id=artisan_id,
            data=ProductLineCreate.model_validate(data),
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _artisan_page(
            viewer, session, artisan_id, line_values=values, line_errors=errors, status_code=422
        )
    except NotFound:
        raise
    except Problem as problem:
        field_name = "gtin" if problem.instance_slug.startswith("gtin") else None
        errors = form_errors(viewer.lang, problem=problem, problem_field=field_name)
        return _artisan_page(
            viewer,
            session,
            artisan_id,
            line_values=values,
            line_errors=errors,
            status_code=problem.status,
        )
    return see_other(f"/workspace/artisans/{artisan_id}?done=line#product-lines")
