"""The body administrator's pages about people: the inspectors of the body, adding one,
and each inspector's per-scheme authorisations (granted, withdrawn).

They call ``labeling.registry.service`` with the administrator's principal, as the API does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Form, Path, Query, Response
from pydantic import ValidationError
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.keyset import Keyset
from core.problems import Problem
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.registry import catalog as catalogue
from labeling.registry import service as registry
from labeling.workspace import messages
from labeling.workspace.admin_common import Cursor, FormText, RowId, admin_page
from labeling.workspace.i18n import WLang
from labeling.workspace.routing import (
    CSRF,
    AdminViewer,
    FormErrors,
    Viewer,
    form_errors,
    see_other,
    workspace_router,
)
from schemas.registry_api import InspectorCreate

__all__ = ["router"]

router = workspace_router()


def _inspectors_page(
    viewer: Viewer,
    session: Session,
    settings: Settings,
    *,
    cursor: str | None = None,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    added: str | None = None,
) -> Response:
    found = registry.inspector_keyset_page(
        session=session,
        actor=viewer.principal,
        keyset=Keyset.of(cursor, settings.workspace_page_size),
    )
    items = registry.inspector_views(
        session=session, actor=viewer.principal, inspectors=found.items
    )
    return admin_page(
        viewer,
        "admin/inspectors.html",
        status_code=status_code,
        items=items,
        found=found,
        values=values or {},
        errors=errors or FormErrors(),
        added=added,
    )


@router.get("/workspace/inspectors")
def inspectors(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    added: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Cursor = None,
) -> Response:
    """The inspectors of my body (newest first, keyset pages) with the label schemes each
    is authorised for."""
    return _inspectors_page(viewer, session, settings, cursor=cursor, added=added)


@router.post("/workspace/inspectors", dependencies=CSRF)
def add_inspector(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    display_name: FormText = None,
    email: FormText = None,
    password: FormText = None,
) -> Response:
    values = {"display_name": (display_name or "").strip(), "email": (email or "").strip()}
    try:
        data = InspectorCreate.model_validate({**values, "password": password or ""})
        user = registry.create_inspector(session=session, actor=viewer.principal, data=data)
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _inspectors_page(
            viewer, session, settings, values=values, errors=errors, status_code=422
        )
    except Problem as problem:
        session.rollback()
        field = {"email-taken": "email"}.get(problem.instance_slug)
        errors = form_errors(viewer.lang, problem=problem, problem_field=field)
        return _inspectors_page(
            viewer, session, settings, values=values, errors=errors, status_code=problem.status
        )
    return see_other(f"/workspace/inspectors/{user.id}?done=added")


@dataclass(frozen=True, slots=True)
class _SchemeChoice:
    code: str
    name: str
    lang: str


def _scheme_choices(session: Session, lang: WLang) -> list[_SchemeChoice]:
    names = catalogue_names()
    choices = []
    for scheme in catalogue.list_schemes(session=session, family=None):
        name = names.name("scheme", scheme.code, scheme.name, lang)
        choices.append(_SchemeChoice(scheme.code, name.text, name.lang))
    return choices


def _inspector_page(
    viewer: Viewer,
    session: Session,
    inspector_id: int,
    *,
    errors: FormErrors | None = None,
    status_code: int = 200,
    done: str | None = None,
    scheme: str | None = None,
) -> Response:
    principal = viewer.principal
    user = registry.get_inspector(session=session, actor=principal, inspector_id=inspector_id)
    [inspector] = registry.inspector_views(session=session, actor=principal, inspectors=[user])
    granted = registry.list_authorisations(
        session=session, actor=principal, inspector_id=inspector_id, include_revoked=True
    )
    names = catalogue_names()
    active = {a.scheme_code for a in granted if a.is_active}
    schemes = [c for c in _scheme_choices(session, viewer.lang) if c.code not in active]
    return admin_page(
        viewer,
        "admin/inspector.html",
        status_code=status_code,
        inspector=inspector,
        authorisations=[
            (a, names.name("scheme", a.scheme_code, a.scheme_name, viewer.lang)) for a in granted
        ],
        schemes=schemes,
        errors=errors or FormErrors(),
        done=done,
        scheme=scheme,
    )


@router.get("/workspace/inspectors/{inspector_id}")
def inspector_page(
    viewer: AdminViewer,
    session: SessionDep,
    inspector_id: RowId,
    done: Annotated[str | None, Query(max_length=20)] = None,
    scheme: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Z0-9-]+$")] = None,
) -> Response:
    """An inspector of my body and its authorisations, current and withdrawn."""
    return _inspector_page(viewer, session, inspector_id, done=done, scheme=scheme)


@router.post("/workspace/inspectors/{inspector_id}/authorisations", dependencies=CSRF)
def grant(
    viewer: AdminViewer,
    session: SessionDep,
    inspector_id: RowId,
    scheme: Annotated[str | None, Form(max_length=40)] = None,
) -> Response:
    """Authorise the inspector for one label scheme (granting it twice changes nothing)."""
    code = (scheme or "").strip()
    try:
        if not code:
            errors = form_errors(viewer.lang)
            errors.fields["scheme"] = messages.FIELD_ERRORS["missing"](viewer.lang)
            errors.message = messages.WORDS["form_has_errors"](viewer.lang)
            return _inspector_page(viewer, session, inspector_id, errors=errors, status_code=422)
        registry.grant_authorisation(
            session=session, actor=viewer.principal, inspector_id=inspector_id, scheme_code=code
        )
    except Problem as problem:
        if problem.instance_slug == "inspector-not-found":
            raise
        session.rollback()
        errors = form_errors(viewer.lang, problem=problem, problem_field="scheme")
        return _inspector_page(
            viewer, session, inspector_id, errors=errors, status_code=problem.status
        )
    return see_other(f"/workspace/inspectors/{inspector_id}?done=granted&scheme={code}")


@router.post(
    "/workspace/inspectors/{inspector_id}/authorisations/{scheme_code}/withdraw",
    dependencies=CSRF,
)
def withdraw_authorisation(
    viewer: AdminViewer,
    session: SessionDep,
    inspector_id: RowId,
    scheme_code: Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Z0-9-]+$")],
) -> Response:
    """Withdraw one authorisation: from this moment the inspector cannot record audits,
    certify or issue labels for that scheme, even in a session already open."""
    try:
        registry.revoke_authorisation(
            session=session,
            actor=viewer.principal,
            inspector_id=inspector_id,
            scheme_code=scheme_code,
        )
    except Problem as problem:
        if problem.instance_slug == "inspector-not-found":
            raise
        session.rollback()
        errors = form_errors(viewer.lang, problem=problem)
        return _inspector_page(
            viewer, session, inspector_id, errors=errors, status_code=problem.status
        )
    return see_other(f"/workspace/inspectors/{inspector_id}?done=withdrawn&scheme={scheme_code}")
