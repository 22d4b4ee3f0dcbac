"""The inspector's lists of audits, a keyset page at a time (newest recorded first, then by
id; ``KHATEM_WORKSPACE_PAGE_SIZE`` rows a page, next and previous links): the audits I
recorded, and all the audits of one artisan of my body.

They call ``labeling.audits.service.audit_keyset_page`` with the inspector's principal, as
the API's lists call the audit service: another body's artisan is a 404 page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from core.auth import SessionDep, SettingsDep
from core.keyset import Keyset
from labeling.audits import service as audits
from labeling.audits.repository import AuditFilters
from labeling.registry import artisans
from labeling.workspace.inspector_words import WORDS
from labeling.workspace.routing import Cursor, InspectorViewer, page, workspace_router
from schemas.audits_api import MAX_ROW_ID

__all__ = ["router"]

router = workspace_router()


@router.get("/workspace/audits")
def my_audits(
    viewer: InspectorViewer, session: SessionDep, settings: SettingsDep, cursor: Cursor = None
) -> Response:
    """The audits I recorded, newest first."""
    found = audits.audit_keyset_page(
        session=session,
        principal=viewer.principal,
        filters=AuditFilters(inspector_id=viewer.principal.user_id),
        keyset=Keyset.of(cursor, settings.workspace_page_size),
    )
    return page(viewer, "inspector/audits.html", words=WORDS, found=found, artisan=None)


@router.get("/workspace/artisans/{artisan_id}/audits")
def artisan_audits(
    viewer: InspectorViewer,
    session: SessionDep,
    settings: SettingsDep,
    artisan_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    cursor: Cursor = None,
) -> Response:
    """Every audit of an artisan of my body, newest first."""
    artisan = artisans.get_artisan(session=session, actor=viewer.principal, artisan_id=artisan_id)
    found = audits.audit_keyset_page(
        session=session,
        principal=viewer.principal,
        filters=AuditFilters(artisan_id=artisan_id),
        keyset=Keyset.of(cursor, settings.workspace_page_size),
    )
    return page(viewer, "inspector/audits.html", words=WORDS, found=found, artisan=artisan)
