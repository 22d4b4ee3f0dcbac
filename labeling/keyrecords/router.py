"""The published trust list: ``GET /.well-known/khatem/trust-list.json`` (public)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from core.auth import SessionDep, SettingsDep, public
from labeling.keyrecords.publication import HTTP_MAX_AGE, current_trust_list
from labeling.translog.problem_docs import problem_responses
from schemas.keys_api import TrustListDocument

__all__ = ["router"]

router = APIRouter(tags=["keys"], dependencies=[Depends(public)])


@router.get(
    "/.well-known/khatem/trust-list.json",
    summary="The registry's label keys, signed by its root key",
    response_model=None,
    responses={
        200: {
            "model": TrustListDocument,
            "description": "The signed trust list (docs/keys.md). Cacheable: `ETag`, "
            f"`Cache-Control: public, max-age={HTTP_MAX_AGE}`.",
        },
        304: {"description": "Not modified (`If-None-Match` matched the `ETag`)."},
        **problem_responses(
            {503: "`key-unavailable`: the root key cannot be opened by this server"}
        ),
    },
)
def trust_list(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Verify it with the pinned root key as docs/keys.md specifies; never fetch keys from
    the host printed on a label."""
    published = current_trust_list(session, settings)
    headers = {"ETag": published.etag, "Cache-Control": f"public, max-age={HTTP_MAX_AGE}"}
    match = request.headers.get("if-none-match", "")
    if published.etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(content=published.body, media_type="application/json", headers=headers)
