"""The body administrator's report cases: buyers' reports of suspected fakes.

* ``GET /workspace/cases?state=open|closed&before=ID`` — the body's cases, newest first,
  paginated by keyset (the case id): each with its label, product and reports count;
* ``GET /workspace/cases/{id}`` — one case: its reports (the photos served by the route
  below), the label's receipts by retailers, and the decision form while it is open;
* ``POST /workspace/cases/{id}/decision`` — confirm a clone (optionally revoking the label)
  or dismiss (CSRF, :func:`labeling.reports.service.decide_case`);
* ``GET /workspace/cases/{id}/reports/{report_id}/photo.jpg`` — a report's photo;
* ``GET /workspace/cases/marks`` — the body's labels standing marked by a scan threshold
  (scanned too often, in too many countries), with a form each to lift the mark;
* ``POST /workspace/cases/marks/{label_id}/lift`` — lift them with a note (CSRF,
  :func:`labeling.reports.service.lift_label_marks`): the verdict is AUTHENTIC again unless
  other evidence stands, the retailers that received the label hear ``label.mark_lifted``,
  and the transparency log records the decision. A case page whose label stands marked so
  carries the same form.

Only administrators of the body that certified the label's artisan see a case: the service
answers 404 to anyone else's, whether or not it exists. Photos are served to them alone,
never cached, never from another origin.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import Form, Path, Query, Response

from core.auth import SessionDep, SettingsDep
from labeling.reports import service as reports
from labeling.workspace import messages
from labeling.workspace.admin_words import WORDS as ADMIN_WORDS
from labeling.workspace.cases_words import PROBLEMS, WORDS
from labeling.workspace.routing import CSRF, AdminViewer, page, see_other, workspace_router
from schemas.reports import CaseDecision

__all__ = ["router"]

router = workspace_router()

for _slug, _text in PROBLEMS.items():
    messages.PROBLEMS.setdefault(_slug, _text)

#: The administrator's shared words these pages use (statuses, pager), then their own.
_SHARED: Final = ("pages", "first_page", "next_page", "none_now")
_WORDS: Final = {
    **{k: v for k, v in ADMIN_WORDS.items() if k.startswith("label_status_") or k in _SHARED},
    **WORDS,
}
_PAGE_SIZE: Final = 20
CaseId = Annotated[int, Path(ge=1, le=2**63 - 1)]
State = Literal["open", "closed"]
LiftNote = Annotated[str, Form(min_length=3, max_length=500)]


@router.get("/workspace/cases")
def cases_page(
    viewer: AdminViewer,
    session: SessionDep,
    state: Annotated[State, Query()] = "open",
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """The body's open (or closed) cases, newest first."""
    found = reports.list_cases(
        session=session,
        principal=viewer.principal,
        closed=state == "closed",
        before=before,
        limit=_PAGE_SIZE,
    )
    return page(
        viewer,
        "admin/cases.html",
        words=_WORDS,
        found=found,
        state=state,
        first_page=before is not None,
    )


@router.get("/workspace/cases/marks")
def marks_page(
    viewer: AdminViewer,
    session: SessionDep,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    done: Annotated[Literal["lifted", "lifted_still"] | None, Query()] = None,
) -> Response:
    """The body's labels standing marked by a scan threshold, each with a lift form."""
    found = reports.marked_labels(
        session=session, principal=viewer.principal, before=before, limit=_PAGE_SIZE
    )
    return page(
        viewer,
        "admin/marks.html",
        words=_WORDS,
        found=found,
        done=done,
        first_page=before is not None,
    )


@router.post("/workspace/cases/marks/{label_id}/lift", dependencies=CSRF)
def lift(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    label_id: CaseId,
    note: LiftNote,
    case: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """Lift the label's scan-threshold marks: the scans were legitimate (a trade fair)."""
    done = reports.lift_label_marks(
        session=session,
        principal=viewer.principal,
        settings=settings,
        label_id=label_id,
        note=note.strip(),
    )
    outcome = "lifted_still" if done.still else "lifted"
    if case is not None:
        return see_other(f"/workspace/cases/{case}?done={outcome}")
    return see_other(f"/workspace/cases/marks?done={outcome}")


@router.get("/workspace/cases/{case_id}")
def case_page(
    viewer: AdminViewer,
    session: SessionDep,
    case_id: CaseId,
    done: Annotated[
        Literal["confirmed", "dismissed", "lifted", "lifted_still"] | None, Query()
    ] = None,
) -> Response:
    """One case: the label, the reports, the receipts, and the decision while open."""
    detail = reports.case_detail(session=session, principal=viewer.principal, case_id=case_id)
    values: dict[str, Any] = {"detail": detail, "case": detail.row.case, "done": done}
    return page(viewer, "admin/case.html", words=_WORDS, **values)


@router.post("/workspace/cases/{case_id}/decision", dependencies=CSRF)
def decide(
    viewer: AdminViewer,
    session: SessionDep,
    case_id: CaseId,
    decision: Annotated[CaseDecision, Form()],
    revoke: Annotated[Literal["yes"] | None, Form()] = None,
) -> Response:
    """Confirm a clone (and revoke the label if asked) or dismiss the case."""
    case = reports.decide_case(
        session=session,
        principal=viewer.principal,
        case_id=case_id,
        decision=decision,
        revoke=revoke == "yes",
    )
    return see_other(f"/workspace/cases/{case_id}?done={case.status}")


@router.get("/workspace/cases/{case_id}/reports/{report_id}/photo.jpg")
def report_photo(
    viewer: AdminViewer, session: SessionDep, case_id: CaseId, report_id: CaseId
) -> Response:
    """A report's photo (re-encoded JPEG without metadata), for the case's body only."""
    photo = reports.report_photo(
        session=session, principal=viewer.principal, case_id=case_id, report_id=report_id
    )
    return Response(
        photo,
        media_type="image/jpeg",
        headers={
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
            "Cross-Origin-Resource-Policy": "same-origin",
        },
    )
