"""The workspace: server-rendered pages for inspectors, body administrators and artisans.

This module is the one ``main.ROUTERS`` lists; it includes every workspace router. Add
yours here (see docs/workspace.md).
"""

from __future__ import annotations

from fastapi import status
from fastapi.responses import RedirectResponse, Response

from core.auth import SESSION_COOKIE, SessionDep, SettingsDep
from labeling.accounts import service as accounts
from labeling.workspace import (
    admin,
    artisan,
    cases,
    inspector,
    inspector_audits,
    offline,
    product_lines,
)
from labeling.workspace.routing import CSRF, AnyViewer, page, workspace_router

__all__ = ["router"]

router = workspace_router(tags=["workspace"])


@router.get("/workspace")
def home(viewer: AnyViewer, session: SessionDep, settings: SettingsDep) -> Response:
    """Each role's home page; the inspector's is its own (``inspector.home_page``)."""
    if viewer.principal.is_inspector:
        return inspector.home_page(viewer=viewer, session=session)
    if viewer.principal.is_admin:
        return admin.home_page(viewer=viewer, session=session)
    if viewer.principal.is_artisan:
        return artisan.home_page(viewer=viewer, session=session, settings=settings)
    return page(viewer, "home.html")


@router.post("/workspace/logout", dependencies=CSRF)
def logout(viewer: AnyViewer, session: SessionDep) -> Response:
    """End this session (the token is revoked, the cookie cleared), back to sign-in."""
    accounts.revoke_token(
        session=session, principal=viewer.principal, token_id=viewer.principal.token_id
    )
    response = RedirectResponse(f"/login?lang={viewer.lang}", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=viewer.secure)
    return response


router.include_router(inspector.router)
router.include_router(inspector_audits.router)
router.include_router(artisan.router)
router.include_router(admin.router)
router.include_router(cases.router)
router.include_router(offline.router)
router.include_router(product_lines.router)
