"""The body administrator's read-only view of the label keys (as the published trust list
shows them) and of the transparency log's latest signed checkpoint."""

from __future__ import annotations

import json
from base64 import b64encode
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Response

from core.auth import SessionDep, SettingsDep
from core.problems import Problem
from labeling.keyrecords.publication import current_trust_list
from labeling.translog.checkpointer import serve_checkpoint
from labeling.translog.errors import CheckpointUnavailable
from labeling.workspace.admin_common import admin_page
from labeling.workspace.routing import AdminViewer, workspace_router
from schemas.keys_api import TrustListDocument

__all__ = ["router"]

router = workspace_router()


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
    return admin_page(
        viewer,
        "admin/keys.html",
        trust=trust,
        keys=list(reversed(keys)),
        issued_at=_time(trust.issued_at) if trust else None,
        checkpoint=checkpoint,
    )
