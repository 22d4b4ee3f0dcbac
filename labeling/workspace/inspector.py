"""The inspector's pages (phone and tablet first)."""

from __future__ import annotations

from fastapi import Response
from sqlmodel import Session

from labeling.workspace.routing import Viewer, page, workspace_router

__all__ = ["home_page", "router"]

router = workspace_router()


def home_page(*, viewer: Viewer, session: Session) -> Response:
    return page(viewer, "home.html")
