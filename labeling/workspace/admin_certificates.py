"""The body administrator's certificate pages: the list with its filters (status, region,
craft, expiring within N days; keyset pages), a certificate with its history and label
batches, and its decisions (suspend, reinstate, withdraw) after a confirmation page
(:mod:`.admin_confirm`).

They call ``labeling.certificates.service`` with the administrator's principal, as the API
does: another body's certificate is its ``NotFound``, a 404 page.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import Form, Query, Response
from sqlmodel import Session

from core.auth import SessionDep
from core.problems import Conflict
from labeling.catalog.names import catalogue_names
from labeling.certificates import service as certificates
from labeling.certificates.repository import CertificateFilters
from labeling.labels import reading
from labeling.workspace.admin_common import (
    HOME_SIZE,
    LIST_SIZE,
    Cursor,
    FormText,
    RowId,
    actor_names,
    admin_page,
    crafts,
    regions,
)
from labeling.workspace.admin_confirm import (
    Confirmation,
    confirmation_page,
    decided,
    reason_choices,
)
from labeling.workspace.admin_words import CERTIFICATE_REASONS, PROBLEMS, WORDS
from labeling.workspace.routing import (
    CSRF,
    AdminViewer,
    FormErrors,
    Viewer,
    form_errors,
    workspace_router,
)
from schemas.certificates import CertificateStatus
from schemas.certificates_api import CertificatePublic, CertificateStatusChange

__all__ = ["router"]

router = workspace_router()

Decision = Literal["suspend", "reinstate", "withdraw"]


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
    region_choices, craft_choices = regions(session, viewer.lang), crafts(session)
    chosen = {
        "status": status if status in _STATUSES else "",
        "region": region if region in dict(region_choices) else "",
        "craft": craft if craft in dict(craft_choices) else "",
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
        limit=LIST_SIZE,
        offset=0,
        cursor=cursor,
    )
    query = {k: v for k, v in chosen.items() if v}
    return admin_page(
        viewer,
        "admin/certificates.html",
        found=found,
        chosen=chosen,
        query=query,
        first_page=cursor is not None,
        statuses=[(s, WORDS[f"status_{s}"](viewer.lang)) for s in _STATUSES],
        regions=region_choices,
        crafts=craft_choices,
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
        session=session, principal=principal, limit=HOME_SIZE, certificate_id=certificate_id
    )
    names = catalogue_names()
    return admin_page(
        viewer,
        "admin/certificate.html",
        certificate=certificate,
        scheme_name=names.name(
            "scheme", certificate.scheme_code, certificate.scheme_name, viewer.lang
        ),
        region_name=dict(regions(session, viewer.lang)).get(
            certificate.region_code, certificate.region_code
        ),
        events=events,
        actors=actor_names(session, {e.actor_id for e in events}),
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


_DONE: Final = {"suspend": "suspended", "reinstate": "reinstated", "withdraw": "withdrawn"}


def _confirmation(
    viewer: Viewer, certificate: CertificatePublic, decision: Decision
) -> Confirmation:
    heading = WORDS[f"confirm_{decision}"](viewer.lang, code=certificate.code)
    return Confirmation(
        heading=heading,
        effects=[WORDS[f"effect_{decision}"](viewer.lang)],
        action=f"/workspace/certificates/{certificate.id}/{decision}",
        cancel=f"/workspace/certificates/{certificate.id}",
        reasons=reason_choices(CERTIFICATE_REASONS, viewer),
        free_text=True,
    )


def _decision_form(
    viewer: Viewer,
    session: Session,
    certificate_id: int,
    decision: Decision,
    **state: Any,
) -> Response:
    certificate = certificates.get_certificate(
        session=session, principal=viewer.principal, certificate_id=certificate_id
    )
    confirm = _confirmation(viewer, certificate, decision)
    return confirmation_page(viewer, confirm, certificate=certificate, **state)


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


def _conflict(viewer: Viewer, problem: Conflict) -> str:
    if problem.instance_slug != "invalid-transition":
        return form_errors(viewer.lang, problem=problem).message or ""
    now = WORDS.get(f"status_{problem.extra.get('status_now', '')}", WORDS["status_active"])
    return PROBLEMS["invalid-transition"](viewer.lang, status_now=now(viewer.lang))


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

    def decide() -> str:
        request = CertificateStatusChange.model_validate({k: v for k, v in values.items() if v})
        change(
            session=session,
            principal=viewer.principal,
            certificate_id=certificate_id,
            request=request,
        )
        return f"/workspace/certificates/{certificate_id}?done={_DONE[decision]}"

    def again(errors: FormErrors, status_code: int) -> Response:
        return _decision_form(
            viewer,
            session,
            certificate_id,
            decision,
            values=values,
            errors=errors,
            status_code=status_code,
        )

    return decided(
        viewer,
        session,
        decide,
        again,
        conflict=lambda problem: _conflict(viewer, problem),
        field_of=lambda loc: str(loc[0]) if loc else "reason_text",
    )
