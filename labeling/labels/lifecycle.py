"""The label lifecycle: suspend, reinstate, revoke — one label, a batch, or a certificate.

::

    active ⇄ suspended
    active, suspended → revoked   (permanent: nothing leaves ``revoked``)

Every change is one ``label_event`` row (actor, time, reason code) and one transparency-log
leaf (``label.suspended`` / ``label.reinstated`` / ``label.revoked``: GTIN, serial, reason
code), in the same transaction as the status update. Bulk changes apply to the labels of
the scope that are in a state the action applies to and skip the others, so revoked labels
stay revoked whatever happens to their batch or certificate afterwards.

A certificate's own suspension or withdrawal does NOT rewrite its labels: verification
combines the label's status with the certificate's (see ``docs/labels.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, insert, update
from sqlmodel import Session, col, select

from core.auth import Principal
from labeling.labels import repository
from labeling.labels.errors import (
    CertificateNotFound,
    InvalidLabelTransition,
    LabelBatchNotFound,
    LabelNotFound,
)
from labeling.translog.events import LogEvent, append_events
from labeling.webhooks import outbox
from schemas.labels import Label, LabelAction, LabelEvent, LabelStatus
from schemas.labels_api import LabelReasonCode, LabelStatusChangeResult
from schemas.types import utcnow
from schemas.webhooks import WebhookEventType

__all__ = ["LabelCommand", "change_label", "change_labels"]


class LabelCommand(StrEnum):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"


@dataclass(frozen=True, slots=True)
class _Transition:
    action: LabelAction
    sources: frozenset[LabelStatus]
    target: LabelStatus


_TRANSITIONS: dict[LabelCommand, _Transition] = {
    LabelCommand.SUSPEND: _Transition(
        LabelAction.SUSPENDED, frozenset({LabelStatus.ACTIVE}), LabelStatus.SUSPENDED
    ),
    LabelCommand.REINSTATE: _Transition(
        LabelAction.REINSTATED, frozenset({LabelStatus.SUSPENDED}), LabelStatus.ACTIVE
    ),
    LabelCommand.REVOKE: _Transition(
        LabelAction.REVOKED,
        frozenset({LabelStatus.ACTIVE, LabelStatus.SUSPENDED}),
        LabelStatus.REVOKED,
    ),
}


def _apply(
    *,
    session: Session,
    principal: Principal,
    scope: ColumnElement[bool],
    command: LabelCommand,
    reason: LabelReasonCode,
) -> tuple[int, int | None]:
    """Change every label of ``scope`` the command applies to.

    Returns how many changed and the log index of the first change (None if none did)."""
    transition = _TRANSITIONS[command]
    sources = [status.value for status in transition.sources]
    where = [scope, col(Label.status).in_(sources)]
    query = select(Label.id, Label.gtin, Label.serial, Label.status).where(*where)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    rows = session.exec(query.order_by(col(Label.id))).all()
    if not rows:
        return 0, None
    at = utcnow()
    events: list[dict[str, Any]] = [
        {
            "label_id": label_id,
            "action": transition.action.value,
            "from_status": status,
            "to_status": transition.target.value,
            "reason_code": reason.value,
            "actor_id": principal.user_id,
            "at": at,
        }
        for label_id, _gtin, _serial, status in rows
    ]
    session.execute(insert(LabelEvent), events)
    session.execute(
        update(Label)
        .where(*where)
        .values(status=transition.target.value, status_reason=reason.value, status_changed_at=at)
    )
    first = append_events(
        session,
        [
            LogEvent(
                f"label.{transition.action.value}",
                {"gtin": gtin, "serial": serial, "reason": reason.value},
            )
            for _id, gtin, serial, _status in rows
        ],
    )
    # The retailers that received these labels hear of it (the outbox, same transaction).
    outbox.labels_changed(
        session,
        labels=[(label_id, gtin, serial, status) for label_id, gtin, serial, status in rows],
        event_type=WebhookEventType(f"label.{transition.action.value}"),
        to_status=transition.target.value,
        reason_code=reason.value,
        at=at,
    )
    return len(rows), first


def _staff_body(principal: Principal) -> int:
    return principal.body_id if principal.body_id is not None else -1


def change_label(
    *,
    session: Session,
    principal: Principal,
    label_id: int,
    command: LabelCommand,
    reason: LabelReasonCode,
) -> LabelStatusChangeResult:
    """Change one label; 409 ``invalid-label-transition`` when the command does not apply."""
    label = repository.get_label(session=session, label_id=label_id)
    batch = (
        None if label is None else repository.get_batch(session=session, batch_id=label.batch_id)
    )
    if label is None or batch is None or batch.body_id != _staff_body(principal):
        raise LabelNotFound()
    if LabelStatus(label.status) not in _TRANSITIONS[command].sources:
        raise InvalidLabelTransition(
            f"A {label.status} label cannot be {_TRANSITIONS[command].action.value}.",
            current_status=label.status,
        )
    changed, first = _apply(
        session=session,
        principal=principal,
        scope=col(Label.id) == label_id,
        command=command,
        reason=reason,
    )
    session.commit()
    return LabelStatusChangeResult(changed=changed, first_log_index=first)


def change_labels(
    *,
    session: Session,
    principal: Principal,
    command: LabelCommand,
    reason: LabelReasonCode,
    batch_id: int | None = None,
    certificate_id: int | None = None,
) -> LabelStatusChangeResult:
    """Change the labels of one batch or one certificate of the caller's body."""
    body_id = _staff_body(principal)
    scope: ColumnElement[bool]
    if batch_id is not None:
        batch = repository.get_batch(session=session, batch_id=batch_id)
        if batch is None or batch.body_id != body_id:
            raise LabelBatchNotFound()
        scope = col(Label.batch_id) == batch_id
    elif certificate_id is not None:
        certificate = repository.certificate_in_body(
            session=session, certificate_id=certificate_id, body_id=body_id
        )
        if certificate is None:
            raise CertificateNotFound()
        scope = col(Label.certificate_id) == certificate_id
    else:
        raise ValueError("a bulk change needs a batch or a certificate")
    changed, first = _apply(
        session=session, principal=principal, scope=scope, command=command, reason=reason
    )
    session.commit()
    return LabelStatusChangeResult(changed=changed, first_log_index=first)
