"""Revoking labels from the body administrator's pages: one label, or every label of a batch
not revoked yet, each after its confirmation page (:mod:`.admin_confirm`).

They call ``labeling.labels.lifecycle`` with the administrator's principal, as the API's
single and bulk revoke do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Response
from sqlmodel import Session

from core.auth import SessionDep, SettingsDep
from core.problems import Conflict
from core.settings import Settings
from labeling.labels import lifecycle, reading
from labeling.labels.lifecycle import LabelCommand
from labeling.workspace.admin_common import LabelId, RowId
from labeling.workspace.admin_confirm import (
    Confirmation,
    confirmation_page,
    decided,
    reason_choices,
)
from labeling.workspace.admin_words import LABEL_REASONS, PROBLEMS, WORDS
from labeling.workspace.routing import CSRF, AdminViewer, FormErrors, Viewer, workspace_router
from schemas.labels_api import (
    LabelBulkStatusChange,
    LabelPublic,
    LabelReasonCode,
    LabelStatusChange,
)

__all__ = ["router"]

router = workspace_router()

ReasonCode = Annotated[str | None, Form(max_length=60)]


def _remaining(session: Session, viewer: Viewer, settings: Settings, batch_id: int) -> int:
    """How many labels of the batch a revocation would still change."""
    return sum(
        reading.list_labels(
            session=session,
            filters=reading.reader_filters(viewer.principal, batch_id=batch_id, status=status),
            limit=1,
            offset=0,
            label_host=settings.label_host,
        ).total
        for status in ("active", "suspended")
    )


def _batch_form(
    viewer: Viewer, session: Session, settings: Settings, batch_id: int, **state: Any
) -> Response:
    batch = reading.get_batch(session=session, principal=viewer.principal, batch_id=batch_id)
    lang = viewer.lang
    remaining = _remaining(session, viewer, settings, batch.id)
    confirm = Confirmation(
        heading=WORDS["confirm_revoke_batch"](lang, id=batch.id),
        effects=[WORDS["effect_revoke"](lang), WORDS["effect_revoke_batch"](lang, count=remaining)],
        action=f"/workspace/batches/{batch.id}/revoke",
        cancel=f"/workspace/batches/{batch.id}",
        reasons=reason_choices(LABEL_REASONS, viewer),
    )
    return confirmation_page(viewer, confirm, **state)


def _label(viewer: Viewer, session: Session, settings: Settings, label_id: int) -> LabelPublic:
    return reading.get_label(
        session=session,
        principal=viewer.principal,
        label_id=label_id,
        label_host=settings.label_host,
    )


def _label_form(viewer: Viewer, label: LabelPublic, **state: Any) -> Response:
    confirm = Confirmation(
        heading=WORDS["confirm_revoke_label"](viewer.lang, serial=label.serial),
        effects=[WORDS["effect_revoke"](viewer.lang)],
        action=f"/workspace/labels/{label.id}/revoke",
        cancel=f"/workspace/batches/{label.batch_id}",
        reasons=reason_choices(LABEL_REASONS, viewer),
    )
    return confirmation_page(viewer, confirm, **state)


@router.get("/workspace/batches/{batch_id}/revoke")
def confirm_revoke_batch(
    viewer: AdminViewer, session: SessionDep, settings: SettingsDep, batch_id: RowId
) -> Response:
    """The confirmation page of revoking a whole batch (it says how many labels)."""
    return _batch_form(viewer, session, settings, batch_id)


def _label_conflict(viewer: Viewer, problem: Conflict) -> str:
    status_now = str(problem.extra.get("current_status", ""))
    word = WORDS.get(f"label_status_{status_now}")
    return PROBLEMS["invalid-label-transition"](
        viewer.lang, current_status=word(viewer.lang) if word else status_now
    )


@router.post("/workspace/batches/{batch_id}/revoke", dependencies=CSRF)
def revoke_batch(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    batch_id: RowId,
    reason_code: ReasonCode = None,
) -> Response:
    """Revoke every label of the batch that is not revoked yet (the API's bulk revoke)."""

    def decide() -> str:
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
        return f"/workspace/batches/{batch_id}?done=revoked&count={result.changed}"

    def again(errors: FormErrors, status_code: int) -> Response:
        return _batch_form(
            viewer, session, settings, batch_id, errors=errors, status_code=status_code
        )

    return decided(viewer, session, decide, again, conflict=lambda p: _label_conflict(viewer, p))


@router.get("/workspace/labels/{label_id}/revoke")
def confirm_revoke_label(
    viewer: AdminViewer, session: SessionDep, settings: SettingsDep, label_id: LabelId
) -> Response:
    """The confirmation page of revoking one label."""
    return _label_form(viewer, _label(viewer, session, settings, label_id))


@router.post("/workspace/labels/{label_id}/revoke", dependencies=CSRF)
def revoke_label(
    viewer: AdminViewer,
    session: SessionDep,
    settings: SettingsDep,
    label_id: LabelId,
    reason_code: ReasonCode = None,
) -> Response:
    """Revoke one label (the API's single-label revoke)."""
    label = _label(viewer, session, settings, label_id)
    values = {"reason_code": reason_code or ""}

    def decide() -> str:
        body = LabelStatusChange.model_validate({k: v for k, v in values.items() if v})
        result = lifecycle.change_label(
            session=session,
            principal=viewer.principal,
            label_id=label_id,
            command=LabelCommand.REVOKE,
            reason=LabelReasonCode(body.reason_code),
        )
        return f"/workspace/batches/{label.batch_id}?done=revoked&count={result.changed}"

    def again(errors: FormErrors, status_code: int) -> Response:
        return _label_form(viewer, label, values=values, errors=errors, status_code=status_code)

    return decided(viewer, session, decide, again, conflict=lambda p: _label_conflict(viewer, p))
