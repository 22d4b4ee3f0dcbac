"""Liveness and readiness: what a load balancer asks."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import text

from core.auth import SessionDep, public

router = APIRouter(tags=["health"], dependencies=[Depends(public)])


@router.get("/healthz", summary="Liveness and database reachability")
def health(session: SessionDep) -> dict[str, str]:
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return {"status": "ok"}
