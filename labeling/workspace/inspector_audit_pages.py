"""The inspector's pages of one audit: the form of a new audit and its recording, the audit
itself, certification from a passing audit, and a correction (a new audit amending it).

The handlers call ``labeling.audits.service`` and ``labeling.certificates.service`` with the
inspector's principal; the form itself is :mod:`.inspector_audit_form`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Form, Query, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from core import calendar
from core.auth import SessionDep, SettingsDep
from core.problems import NotFound, Problem
from labeling.audits import service as audits
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.registry import artisans
from labeling.workspace.inspector_audit_form import (
    AuditForm,
    render_audit_form,
    scheme_for,
    submit_audit_form,
)
from labeling.workspace.inspector_common import ArtisanId, AuditId, format_number
from labeling.workspace.inspector_words import COMPARISONS, WORDS
from labeling.workspace.routing import (
    CSRF,
    FormErrors,
    InspectorViewer,
    Viewer,
    form_errors,
    page,
    see_other,
    workspace_router,
)
from schemas.audits_api import AuditPublic
from schemas.certificates_api import CertificateCreate, CertificatePublic

__all__ = ["router"]

router = workspace_router()


@router.get("/workspace/artisans/{artisan_id}/audits/new")
def new_audit(
    viewer: InspectorViewer,
    session: SessionDep,
    artisan_id: ArtisanId,
    scheme: Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")],
) -> Response:
    """The audit form of ``scheme``, one field per criterion (a fresh idempotency key)."""
    lines, _ = artisans.list_product_lines(
        session=session, actor=viewer.principal, artisan_id=artisan_id, limit=100, offset=0
    )
    form = AuditForm(
        audit_date=calendar.registry_today().isoformat(),
        product_line_ids=[line.id for line in lines if line.id is not None],
        key=str(uuid.uuid4()),
    )
    return render_audit_form(
        viewer, session, artisan_id=artisan_id, scheme=scheme_for(session, scheme), form=form
    )


@router.post("/workspace/artisans/{artisan_id}/audits", dependencies=CSRF)
async def record_audit(
    request: Request,
    viewer: InspectorViewer,
    session: SessionDep,
    settings: SettingsDep,
    artisan_id: ArtisanId,
    scheme: Annotated[str, Form(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")],
) -> Response:
    """Record the audit the form describes (evidence first, through the evidence service);
    a second submission of the same form (its idempotency key) records nothing more."""
    return await submit_audit_form(
        request, viewer, session, settings, artisan_id=artisan_id, scheme_code=scheme, corrects=None
    )


# --- An audit, its correction, certification ---------------------------------------------


def _certificate_of(
    session: Session, viewer: Viewer, audit: AuditPublic
) -> CertificatePublic | None:
    held = certificates.list_certificates(
        session=session,
        principal=viewer.principal,
        filters=CertificateFilters(artisan_id=audit.artisan_id),
        limit=100,
        offset=0,
    )
    return next((c for c in held.items if c.audit_id == audit.id), None)


def _audit_page(
    viewer: Viewer,
    session: Session,
    audit_id: int,
    *,
    errors: FormErrors | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    audit = audits.get_audit(session=session, principal=viewer.principal, audit_id=audit_id)
    artisan = artisans.get_artisan(
        session=session, actor=viewer.principal, artisan_id=audit.artisan_id
    )
    names = catalogue_names()
    return page(
        viewer,
        "inspector/audit.html",
        status_code=status_code,
        words=WORDS,
        audit=audit,
        artisan=artisan,
        scheme_name=names.name("scheme", audit.scheme_code, audit.scheme_name, viewer.lang),
        certificate=_certificate_of(session, viewer, audit),
        errors=errors or FormErrors(),
        done=done,
        number=lambda value: format_number(value, viewer.lang),
        comparisons=COMPARISONS,
    )


@router.get("/workspace/audits/{audit_id}")
def audit_page(
    viewer: InspectorViewer,
    session: SessionDep,
    audit_id: AuditId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _audit_page(viewer, session, audit_id, done=done)


@router.post("/workspace/audits/{audit_id}/certify", dependencies=CSRF)
def certify(viewer: InspectorViewer, session: SessionDep, audit_id: AuditId) -> Response:
    """Certify from a passing audit (the certificates service decides whether it may)."""
    try:
        certificates.certify(
            session=session,
            principal=viewer.principal,
            request=CertificateCreate(audit_id=audit_id),
        )
    except NotFound:
        raise
    except Problem as problem:
        session.rollback()
        errors = form_errors(viewer.lang, problem=problem)
        return _audit_page(viewer, session, audit_id, errors=errors, status_code=problem.status)
    return see_other(f"/workspace/audits/{audit_id}?done=certified")


def _form_of(audit: AuditPublic) -> AuditForm:
    """A correction starts from what the audit recorded."""
    form = AuditForm(
        audit_date=audit.audit_date.isoformat(),
        product_line_ids=list(audit.product_line_ids),
        general_notes=audit.notes or "",
        kept=[(e.sha256, e.filename) for e in audit.evidence],
        key=str(uuid.uuid4()),
    )
    for finding in audit.findings:
        name = f"c-{finding.criterion_code}"
        if finding.measured_value is not None:
            form.findings[name] = repr(finding.measured_value).removesuffix(".0")
        elif finding.observed is not None:
            form.findings[name] = "yes" if finding.observed else "no"
        form.notes[name] = finding.notes or ""
    return form


@router.get("/workspace/audits/{audit_id}/correction")
def correction_form(viewer: InspectorViewer, session: SessionDep, audit_id: AuditId) -> Response:
    audit = audits.get_audit(session=session, principal=viewer.principal, audit_id=audit_id)
    return render_audit_form(
        viewer,
        session,
        artisan_id=audit.artisan_id,
        scheme=scheme_for(session, audit.scheme_code),
        form=_form_of(audit),
        corrects=audit,
    )


@router.post("/workspace/audits/{audit_id}/correction", dependencies=CSRF)
async def record_correction(
    request: Request,
    viewer: InspectorViewer,
    session: SessionDep,
    settings: SettingsDep,
    audit_id: AuditId,
) -> Response:
    """Record a correction: a new audit that amends this one (append-only)."""
    audit = await run_in_threadpool(
        audits.get_audit, session=session, principal=viewer.principal, audit_id=audit_id
    )
    return await submit_audit_form(
        request,
        viewer,
        session,
        settings,
        artisan_id=audit.artisan_id,
        scheme_code=audit.scheme_code,
        corrects=audit,
    )
