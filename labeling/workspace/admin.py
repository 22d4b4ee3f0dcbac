"""The body administrator's pages: inspectors and their authorisations, certificates and
their decisions, label batches (issue, follow, print, revoke), the keys and the log.

Every page calls the services the API calls (``labeling.registry.service``,
``labeling.certificates.service``, ``labeling.labels`` …) with the administrator's
principal: they decide what the administrator may see (its body's records; anything else is
their ``NotFound``, a 404 page) and do. The handlers only turn form fields into the API's
own input models and the answers into pages. Every decision that cannot be undone (suspend,
reinstate, withdraw a certificate; revoke labels) has a confirmation page of its own, which
needs no JavaScript: the first page says what the decision does, the second records it.
"""

from __future__ import annotations

import json
import uuid
from base64 import b64encode
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal

from fastapi import Form, Path, Query, Response
from pydantic import ValidationError
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.problems import Conflict, NotFound, Problem
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.keyrecords.publication import current_trust_list
from labeling.labels import artwork_service, lifecycle, reading
from labeling.labels import service as labels
from labeling.labels.issuing_key import LabelSignerDep
from labeling.labels.lifecycle import LabelCommand
from labeling.registry import artisans
from labeling.registry import catalog as catalogue
from labeling.registry import service as registry
from labeling.translog.checkpointer import serve_checkpoint
from labeling.translog.errors import CheckpointUnavailable
from labeling.workspace import messages
from labeling.workspace.admin_words import (
    CERTIFICATE_REASONS,
    LABEL_REASONS,
    PROBLEMS,
    WORDS,
)
from labeling.workspace.i18n import WLang
from labeling.workspace.routing import (
    CSRF,
    AdminViewer,
    FormErrors,
    Viewer,
    form_errors,
    page,
    see_other,
    workspace_router,
)
from schemas.accounts import UserAccount
from schemas.audits_api import MAX_ROW_ID
from schemas.certificates import CertificateStatus
from schemas.certificates_api import CertificatePublic, CertificateStatusChange
from schemas.keys_api import TrustListDocument
from schemas.labels import BatchStatus
from schemas.labels_api import (
    LabelBatchCreate,
    LabelBatchPublic,
    LabelBulkStatusChange,
    LabelReasonCode,
    LabelStatusChange,
)
from schemas.registry_api import InspectorCreate

__all__ = ["home_page", "router"]

router = workspace_router()

# The services' refusals these pages meet, in words (the sentences already there stay).
for _slug, _text in PROBLEMS.items():
    messages.PROBLEMS.setdefault(_slug, _text)

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
LabelId = Annotated[int, Path(ge=1, le=2**63 - 1)]
FormText = Annotated[str | None, Form(max_length=4000)]
Cursor = Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
Decision = Literal["suspend", "reinstate", "withdraw"]
_LIST_SIZE: Final = 20
_LABELS_PAGE: Final = 50
_HOME_SIZE: Final = 10
_EXPIRING_DAYS: Final = 60
_REFRESH_SECONDS: Final = 3
_SHEET_PART: Final = artwork_service.MAX_LABELS_PER_SHEET


def _page(viewer: Viewer, template: str, **values: Any) -> Response:
    return page(viewer, template, words=WORDS, **values)


def _actor_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Display names of the accounts that made decisions (shown in a history)."""
    names = {}
    for user_id in ids:
        user = session.get(UserAccount, user_id)
        names[user_id] = user.display_name if user is not None else f"#{user_id}"
    return names


# --- Home -------------------------------------------------------------------------------


def home_page(*, viewer: Viewer, session: Session) -> Response:
    """My body's work: certificates in force ending within 60 days, suspended ones, label
    batches still being issued."""
    principal = viewer.principal
    expiring = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(expiring_within_days=_EXPIRING_DAYS),
        limit=_HOME_SIZE,
        offset=0,
    )
    suspended = certificates.list_certificates(
        session=session,
        principal=principal,
        filters=CertificateFilters(status=CertificateStatus.SUSPENDED),
        limit=_HOME_SIZE,
        offset=0,
    )
    running = reading.list_batches(
        session=session,
        principal=principal,
        limit=_HOME_SIZE,
        statuses=(BatchStatus.QUEUED, BatchStatus.RUNNING),
    )
    return _page(
        viewer,
        "admin/home.html",
        expiring=expiring,
        suspended=suspended,
        running=running.items,
        days=_EXPIRING_DAYS,
    )


# --- Inspectors -------------------------------------------------------------------------


def _inspectors_page(
    viewer: Viewer,
    session: Session,
    *,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    added: str | None = None,
) -> Response:
    rows, total = registry.list_inspectors(
        session=session, actor=viewer.principal, limit=100, offset=0
    )
    items = registry.inspector_views(session=session, actor=viewer.principal, inspectors=rows)
    return page(
        viewer,
        "admin/inspectors.html",
        status_code=status_code,
        words=WORDS,
        items=items,
        total=total,
        values=values or {},
        errors=errors or FormErrors(),
        added=added,
    )


@router.get("/workspace/inspectors")
def inspectors(
    viewer: AdminViewer,
    session: SessionDep,
    added: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The inspectors of my body with the label schemes each is authorised for."""
    return _inspectors_page(viewer, session, added=added)


@router.post("/workspace/inspectors", dependencies=CSRF)
def add_inspector(
    viewer: AdminViewer,
    session: SessionDep,
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
        return _inspectors_page(viewer, session, values=values, errors=errors, status_code=422)
    except Problem as problem:
        session.rollback()
        field = {"email-taken": "email"}.get(problem.instance_slug)
        errors = form_errors(viewer.lang, problem=problem, problem_field=field)
        return _inspectors_page(
            viewer, session, values=values, errors=errors, status_code=problem.status
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
    return page(
        viewer,
        "admin/inspector.html",
        status_code=status_code,
        words=WORDS,
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


# --- Certificates -----------------------------------------------------------------------


def _regions(session: Session, lang: WLang) -> list[tuple[str, str]]:
    names = catalogue_names()
    return [
        (r.code, names.name("region", r.code, r.name, lang).text)
        for r in catalogue.list_regions(session=session)
    ]


def _crafts(session: Session) -> list[tuple[str, str]]:
    return [(f.code, f"{f.code} — {f.name}") for f in catalogue.list_filieres(session=session)]


_STATUSES: Final = [s.value for s in CertificateStatus]


@router.get("/workspace/certificates")
def certificate_list(
    viewer: AdminViewer,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    region: Annotated[str | None, Query(max_length=5)] = None,
    craft: Annotated[str | None, Query(max_length=5)] = None,
    expiring: Annotated[str | None, Query(max_length=5)] = None,
    cursor: Cursor = None,
) -> Response:
    """My body's certificates, newest first, filtered by status, the artisan's region and
    craft sector, or the days left before they expire; keyset pages (the service's
    cursor)."""
    regions, crafts = _regions(session, viewer.lang), _crafts(session)
    chosen = {
        "status": status if status in _STATUSES else "",
        "region": region if region in dict(regions) else "",
        "craft": craft if craft in dict(crafts) else "",
        "expiring": expiring if (expiring or "").isdigit() and int(expiring or 0) <= 3660 else "",
    }
    filters = CertificateFilters(
        status=CertificateStatus(chosen["status"]) if chosen["status"] else None,
        region_code=chosen["region"] or None,
        filiere_code=chosen["craft"] or None,
        expiring_within_days=int(chosen["expiring"]) if chosen["expiring"] else None,
    )
    found = certificates.list_certificates(
        session=session,
        principal=viewer.principal,
        filters=filters,
        limit=_LIST_SIZE,
        offset=0,
        cursor=cursor,
    )
    query = {k: v for k, v in chosen.items() if v}
    return _page(
        viewer,
        "admin/certificates.html",
        found=found,
        chosen=chosen,
        query=query,
        first_page=cursor is not None,
        statuses=[(s, WORDS[f"status_{s}"](viewer.lang)) for s in _STATUSES],
        regions=regions,
        crafts=crafts,
    )


_DECISIONS: Final[dict[str, tuple[tuple[CertificateStatus, ...], bool]]] = {
    # decision: (stored statuses it applies to, allowed once expired)
    "suspend": ((CertificateStatus.ACTIVE,), False),
    "reinstate": ((CertificateStatus.SUSPENDED,), False),
    "withdraw": ((CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED), True),
}


def _decisions(certificate: CertificatePublic) -> list[str]:
    """The decisions the page offers (the service decides again when one is sent)."""
    status = certificate.status
    offered = []
    for name, (sources, when_expired) in _DECISIONS.items():
        if status in sources or (status is CertificateStatus.EXPIRED and when_expired):
            offered.append(name)
    return offered


def _certificate_page(
    viewer: Viewer, session: Session, certificate_id: int, *, done: str | None = None
) -> Response:
    principal = viewer.principal
    certificate = certificates.get_certificate(
        session=session, principal=principal, certificate_id=certificate_id
    )
    events = certificates.history(
        session=session, principal=principal, certificate_id=certificate_id
    )
    batches = reading.list_batches(
        session=session, principal=principal, limit=_HOME_SIZE, certificate_id=certificate_id
    )
    names = catalogue_names()
    return _page(
        viewer,
        "admin/certificate.html",
        certificate=certificate,
        scheme_name=names.name(
            "scheme", certificate.scheme_code, certificate.scheme_name, viewer.lang
        ),
        region_name=dict(_regions(session, viewer.lang)).get(
            certificate.region_code, certificate.region_code
        ),
        events=events,
        actors=_actor_names(session, {e.actor_id for e in events}),
        reasons=CERTIFICATE_REASONS,
        decisions=_decisions(certificate),
        batches=batches.items,
        more_batches=batches.next_cursor is not None,
        done=done,
    )


@router.get("/workspace/certificates/{certificate_id}")
def certificate_page(
    viewer: AdminViewer,
    session: SessionDep,
    certificate_id: RowId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """A certificate of my body: its facts, its history, the decisions still possible, its
    label batches."""
    return _certificate_page(viewer, session, certificate_id, done=done)


def _decision_form(
    viewer: Viewer,
    session: Session,
    certificate_id: int,
    decision: Decision,
    *,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    certificate = certificates.get_certificate(
        session=session, principal=viewer.principal, certificate_id=certificate_id
    )
    reasons = [(str(code), text(viewer.lang)) for code, text in CERTIFICATE_REASONS.items()]
    return page(
        viewer,
        "admin/certificate_decision.html",
        status_code=status_code,
        words=WORDS,
        certificate=certificate,
        decision=decision,
        reasons=reasons,
        values=values or {},
        errors=errors or FormErrors(),
    )


@router.get("/workspace/certificates/{certificate_id}/{decision}")
def confirm_decision(
    viewer: AdminViewer,
    session: SessionDep,
    certificate_id: RowId,
    decision: Decision,
) -> Response:
    """The confirmation page of a decision: what it does, its reason, the button that
    records it."""
    return _decision_form(viewer, session, certificate_id, decision)


@router.post("/workspace/certificates/{certificate_id}/{decision}", dependencies=CSRF)
def decide(
    viewer: AdminViewer,
    session: SessionDep,
    certificate_id: RowId,
    decision: Decision,
    reason_code: Annotated[str | None, Form(max_length=60)] = None,
    reason_text: FormText = None,
) -> Response:
    """Suspend, reinstate or withdraw, with the API's reason codes."""
    values = {"reason_code": reason_code or "", "reason_text": (reason_text or "").strip()}
    change = {
        "suspend": certificates.suspend,
        "reinstate": certificates.reinstate,
        "withdraw": certificates.withdraw,
    }[decision]
    try:
        request = CertificateStatusChange.model_validate(
            {
                **({"reason_code": values["reason_code"]} if values["reason_code"] else {}),
                **({"reason_text": values["reason_text"]} if values["reason_text"] else {}),
            }
        )
        change(
            session=session,
            principal=viewer.principal,
            certificate_id=certificate_id,
            request=request,
        )
    except ValidationError as exc:
        errors = form_errors(
            viewer.lang,
            validation=exc,
            field_of=lambda loc: str(loc[0]) if loc else "reason_text",
        )
        return _decision_form(
            viewer,
            session,
            certificate_id,
            decision,
            values=values,
            errors=errors,
            status_code=422,
        )
    except NotFound:
        raise
    except Conflict as problem:
        session.rollback()
        now = str(problem.extra.get("status_now", ""))
        errors = FormErrors(
            message=PROBLEMS["invalid-transition"](
                viewer.lang,
                status_now=WORDS.get(f"status_{now}", WORDS["status_active"])(viewer.lang),
            )
            if problem.instance_slug == "invalid-transition"
            else form_errors(viewer.lang, problem=problem).message
        )
        return _decision_form(
            viewer,
            session,
            certificate_id,
            decision,
            values=values,
            errors=errors,
            status_code=problem.status,
        )
    done = {"suspend": "suspended", "reinstate": "reinstated", "withdraw": "withdrawn"}
    return see_other(f"/workspace/certificates/{certificate_id}?done={done[decision]}")


# --- Label batches ----------------------------------------------------------------------


def _batch_form(
    viewer: Viewer,
    session: Session,
    settings: Settings,
    certificate_id: int,
    *,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    principal = viewer.principal
    certificate = certificates.get_certificate(
        session=session, principal=principal, certificate_id=certificate_id
    )
    lines, _ = artisans.list_product_lines(
        session=session, actor=principal, artisan_id=certificate.artisan_id, limit=100, offset=0
    )
    in_scope = [
        (str(line.id), line.name) for line in lines if line.id in certificate.product_line_ids
    ]
    chosen = dict(values or {})
    chosen.setdefault("product_line_id", in_scope[0][0] if len(in_scope) == 1 else "")
    chosen.setdefault("key", str(uuid.uuid4()))
    return page(
        viewer,
        "admin/batch_new.html",
        status_code=status_code,
        words=WORDS,
        certificate=certificate,
        lines=in_scope,
        values=chosen,
        errors=errors or FormErrors(),
        threshold=settings.label_job_threshold,
    )


@router.get("/workspace/certificates/{certificate_id}/batches/new")
def new_batch(
    viewer: AdminViewer, session: SessionDep, settings: SettingsDep, certificate_id: RowId
) -> Response:
    """The form that issues a batch of labels under a certificate (a fresh idempotency
    key: sending it twice issues one batch)."""
    return _batch_form(viewer, session, settings, certificate_id)


@router.post("/workspace/certificates/{certificate_id}/batches/new", dependencies=CSRF)
def issue_batch(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    signer: LabelSignerDep,
    certificate_id: RowId,
    product_line_id: Annotated[str | None, Form(max_length=20)] = None,
    quantity: Annotated[str | None, Form(max_length=20)] = None,
    idempotency_key: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    """Issue the batch: now up to the job threshold, else as the background job whose
    progress the batch page shows."""
    cleaned = (quantity or "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    values = {
        "product_line_id": product_line_id or "",
        "quantity": (quantity or "").strip(),
        "key": (idempotency_key or "").strip(),
    }
    try:
        request = LabelBatchCreate.model_validate(
            {
                "certificate_id": certificate_id,
                "product_line_id": values["product_line_id"],
                "quantity": cleaned,
            }
        )
        outcome = labels.create_batch(
            session=session,
            principal=viewer.principal,
            signer=signer,
            request=request,
            idempotency_key=values["key"] or None,
            settings=settings,
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _batch_form(
            viewer, session, settings, certificate_id, values=values, errors=errors, status_code=422
        )
    except Problem as problem:
        session.rollback()
        if problem.instance_slug == "certificate-not-found":
            raise
        field = {
            "product-line-out-of-scope": "product_line_id",
            "batch-too-large": "quantity",
        }.get(problem.instance_slug)
        errors = form_errors(viewer.lang, problem=problem, problem_field=field)
        return _batch_form(
            viewer,
            session,
            settings,
            certificate_id,
            values=values,
            errors=errors,
            status_code=problem.status,
        )
    done = "queued" if outcome.queued else "issued"
    return see_other(f"/workspace/batches/{outcome.batch.id}?done={done}")


_BATCH_STATUSES: Final = [s.value for s in BatchStatus]


@router.get("/workspace/batches")
def batch_list(
    viewer: AdminViewer,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    cursor: Cursor = None,
) -> Response:
    """My body's label batches, newest first, by status; keyset pages."""
    chosen = status if status in _BATCH_STATUSES else ""
    found = reading.list_batches(
        session=session,
        principal=viewer.principal,
        limit=_LIST_SIZE,
        cursor=cursor,
        statuses=(BatchStatus(chosen),) if chosen else (),
    )
    return _page(
        viewer,
        "admin/batches.html",
        found=found,
        chosen=chosen,
        first_page=cursor is not None,
        statuses=[(s, WORDS[f"batch_status_{s}"](viewer.lang)) for s in _BATCH_STATUSES],
    )


@dataclass(frozen=True, slots=True)
class _SheetPart:
    offset: int
    first: int
    last: int


def _sheet_parts(batch: LabelBatchPublic) -> list[_SheetPart]:
    if batch.status is not BatchStatus.COMPLETED:
        return []
    return [
        _SheetPart(offset, offset + 1, min(offset + _SHEET_PART, batch.quantity))
        for offset in range(0, batch.quantity, _SHEET_PART)
    ]


def _refreshing(batch: LabelBatchPublic) -> bool:
    return batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)


@router.get("/workspace/batches/{batch_id}")
def batch_page(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    batch_id: RowId,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
    count: Annotated[int | None, Query(ge=0, le=10**6)] = None,
) -> Response:
    """A batch: its progress while it runs (the page refreshes itself, no script needed),
    then its sheet, its labels (keyset pages) with their artwork, and revocation."""
    principal = viewer.principal
    batch = reading.get_batch(session=session, principal=principal, batch_id=batch_id)
    certificate = certificates.get_certificate(
        session=session, principal=principal, certificate_id=batch.certificate_id
    )
    found = reading.list_labels(
        session=session,
        filters=reading.reader_filters(principal, batch_id=batch_id, after_id=after),
        limit=_LABELS_PAGE,
        offset=0,
        label_host=settings.label_host,
    )
    following = found.items[-1].id if found.next_offset is not None and found.items else None
    response = _page(
        viewer,
        "admin/batch.html",
        batch=batch,
        certificate=certificate,
        labels=found.items,
        next_after=following,
        first_page=after is not None,
        parts=_sheet_parts(batch),
        refreshing=_refreshing(batch),
        refresh_seconds=_REFRESH_SECONDS,
        percent=(100 * batch.issued_count // batch.quantity) if batch.quantity else 0,
        done=done,
        count=count,
    )
    if _refreshing(batch):
        # The browser reloads the page by itself (no script): the HTTP form of
        # <meta http-equiv="refresh">.
        response.headers["Refresh"] = str(_REFRESH_SECONDS)
    return response


def _download(download: artwork_service.Download) -> Response:
    return Response(
        download.render(),
        media_type=download.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
        },
    )


@router.get("/workspace/batches/{batch_id}/sheet.pdf")
def batch_sheet(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    batch_id: RowId,
    offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
) -> Response:
    """The batch's A4 print sheet (one part of at most 10,000 labels), as the API's."""
    sheet = artwork_service.batch_sheet(
        session=session,
        principal=viewer.principal,
        batch_id=batch_id,
        label_host=settings.label_host,
        offset=offset,
    )
    return _download(sheet)


@router.get("/workspace/labels/{label_id}/artwork.{file_format}")
def label_artwork(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    label_id: LabelId,
    file_format: Literal["svg", "png"],
) -> Response:
    """One label's artwork, SVG or PNG, as the API's."""
    download = artwork_service.label_file(
        session=session,
        principal=viewer.principal,
        label_id=label_id,
        label_host=settings.label_host,
        file_format=file_format,
    )
    return _download(download)


def _revoke_form(
    viewer: Viewer,
    session: Session,
    settings: Settings,
    *,
    batch_id: int | None = None,
    label_id: int | None = None,
    values: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    principal = viewer.principal
    label = None
    if label_id is not None:
        label = reading.get_label(
            session=session, principal=principal, label_id=label_id, label_host=settings.label_host
        )
        batch_id = label.batch_id
    assert batch_id is not None
    batch = reading.get_batch(session=session, principal=principal, batch_id=batch_id)
    remaining = 0
    if label is None:
        remaining = sum(
            reading.list_labels(
                session=session,
                filters=reading.reader_filters(principal, batch_id=batch_id, status=status),
                limit=1,
                offset=0,
                label_host=settings.label_host,
            ).total
            for status in ("active", "suspended")
        )
    reasons = [(str(code), text(viewer.lang)) for code, text in LABEL_REASONS.items()]
    return page(
        viewer,
        "admin/revoke.html",
        status_code=status_code,
        words=WORDS,
        batch=batch,
        label=label,
        remaining=remaining,
        reasons=reasons,
        values=values or {},
        errors=errors or FormErrors(),
    )


@router.get("/workspace/batches/{batch_id}/revoke")
def confirm_revoke_batch(
    viewer: AdminViewer, session: SessionDep, settings: SettingsDep, batch_id: RowId
) -> Response:
    """The confirmation page of revoking a whole batch."""
    return _revoke_form(viewer, session, settings, batch_id=batch_id)


@router.post("/workspace/batches/{batch_id}/revoke", dependencies=CSRF)
def revoke_batch(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    batch_id: RowId,
    reason_code: Annotated[str | None, Form(max_length=60)] = None,
) -> Response:
    """Revoke every label of the batch that is not revoked yet (the API's bulk revoke)."""
    try:
        body = LabelBulkStatusChange.model_validate(
            {"batch_id": batch_id, **({"reason_code": reason_code} if reason_code else {})}
        )
        result = lifecycle.change_labels(
            session=session,
            principal=viewer.principal,
            command=LabelCommand.REVOKE,
            reason=body.reason_code,
            batch_id=body.batch_id,
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _revoke_form(
            viewer, session, settings, batch_id=batch_id, errors=errors, status_code=422
        )
    return see_other(f"/workspace/batches/{batch_id}?done=revoked&count={result.changed}")


@router.get("/workspace/labels/{label_id}/revoke")
def confirm_revoke_label(
    viewer: AdminViewer, session: SessionDep, settings: SettingsDep, label_id: LabelId
) -> Response:
    """The confirmation page of revoking one label."""
    return _revoke_form(viewer, session, settings, label_id=label_id)


@router.post("/workspace/labels/{label_id}/revoke", dependencies=CSRF)
def revoke_label(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    label_id: LabelId,
    reason_code: Annotated[str | None, Form(max_length=60)] = None,
) -> Response:
    """Revoke one label (the API's single-label revoke)."""
    label = reading.get_label(
        session=session,
        principal=viewer.principal,
        label_id=label_id,
        label_host=settings.label_host,
    )
    values = {"reason_code": reason_code or ""}
    try:
        body = LabelStatusChange.model_validate({k: v for k, v in values.items() if v})
        result = lifecycle.change_label(
            session=session,
            principal=viewer.principal,
            label_id=label_id,
            command=LabelCommand.REVOKE,
            reason=LabelReasonCode(body.reason_code),
        )
    except ValidationError as exc:
        errors = form_errors(viewer.lang, validation=exc)
        return _revoke_form(
            viewer, session, settings, label_id=label_id, errors=errors, status_code=422
        )
    except Conflict as problem:
        session.rollback()
        status_now = str(problem.extra.get("current_status", ""))
        word = WORDS.get(f"label_status_{status_now}")
        errors = FormErrors(
            message=PROBLEMS["invalid-label-transition"](
                viewer.lang, current_status=word(viewer.lang) if word else status_now
            )
        )
        return _revoke_form(
            viewer,
            session,
            settings,
            label_id=label_id,
            values=values,
            errors=errors,
            status_code=problem.status,
        )
    return see_other(f"/workspace/batches/{label.batch_id}?done=revoked&count={result.changed}")


# --- Keys and the log -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Checkpoint:
    origin: str
    tree_size: int
    root_hash: str
    created_at: datetime
    note: str


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC) if text else None


@router.get("/workspace/keys")
def keys_page(viewer: AdminViewer, session: SessionDep, settings: SettingsDep) -> Response:
    """Read only: the label keys as the published trust list shows them, and the log's
    latest signed checkpoint (the services of ``/.well-known/khatem/trust-list.json``
    and ``/log/checkpoint``)."""
    trust: TrustListDocument | None = None
    try:
        published = current_trust_list(session, settings)
        trust = TrustListDocument.model_validate(json.loads(published.body))
    except Problem:
        session.rollback()
    keys = [
        {
            "kid": key.kid,
            "x": key.x,
            "since": _time(key.not_before),
            "retired": _time(key.retired_at),
            "compromised": _time(key.compromised_since),
        }
        for key in (trust.keys if trust else [])
    ]
    checkpoint: _Checkpoint | None = None
    try:
        current = serve_checkpoint(session, settings)
        checkpoint = _Checkpoint(
            origin=current.note.split("\n", 1)[0],
            tree_size=current.tree_size,
            root_hash=b64encode(current.root_hash).decode(),
            created_at=current.created_at,
            note=current.note,
        )
    except CheckpointUnavailable:
        checkpoint = None
    return _page(
        viewer,
        "admin/keys.html",
        trust=trust,
        keys=list(reversed(keys)),
        issued_at=_time(trust.issued_at) if trust else None,
        checkpoint=checkpoint,
    )
