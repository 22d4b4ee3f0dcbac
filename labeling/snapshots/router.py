"""The published status snapshots (public, static, cacheable):

* ``GET /.well-known/khatem/status/labels.json`` — suspended and revoked labels;
* ``GET /.well-known/khatem/status/certificates.json`` — certificate statuses and public facts.

Both are signed by the root key (docs/status-snapshots.md) and carry ``ETag`` and
``Cache-Control``; ``If-None-Match`` answers 304. Clients that send
``Accept-Encoding: gzip`` get the same bytes gzip-encoded (its own ETag).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from core.auth import SessionDep, SettingsDep, public
from core.problems import problem_responses
from core.rate_limit import rate_limit
from labeling.snapshots.publication import (
    HTTP_MAX_AGE,
    PublishedSnapshot,
    current_certificate_snapshot,
    current_label_snapshot,
)

__all__ = ["router"]

# Rate-limited like the pages: serving a snapshot costs a fingerprint query (a count of
# the certificates) even when the signed copy is cached; CDNs and verifiers revalidate.
router = APIRouter(
    tags=["status snapshots"], dependencies=[Depends(public), Depends(rate_limit("pages"))]
)

_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "The signed snapshot (docs/status-snapshots.md). Cacheable: `ETag`, "
        f"`Cache-Control: public, max-age={HTTP_MAX_AGE}`.",
    },
    304: {"description": "Not modified (`If-None-Match` matched the `ETag`)."},
    **problem_responses(
        429,
        503,
        descriptions={
            429: "`rate-limited`: too many requests from this address; see Retry-After",
            503: "`key-unavailable`: the root key cannot be opened by this server",
        },
    ),
}


def _accepts_gzip(request: Request) -> bool:
    for coding in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _serve(request: Request, published: PublishedSnapshot) -> Response:
    gzipped = _accepts_gzip(request)
    etag = published.gzip_etag if gzipped else published.etag
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={HTTP_MAX_AGE}",
        "Vary": "Accept-Encoding",
    }
    match = request.headers.get("if-none-match", "")
    if etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*":
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return Response(content=published.gzipped, media_type="application/json", headers=headers)
    return Response(content=published.body, media_type="application/json", headers=headers)


@router.get(
    "/.well-known/khatem/status/labels.json",
    summary="Suspended and revoked labels, signed by the root key",
    response_class=Response,
    responses=_RESPONSES,
)
def label_status(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """A label not listed is active. Verify with the pinned root key."""
    return _serve(request, current_label_snapshot(session, settings))


@router.get(
    "/.well-known/khatem/status/certificates.json",
    summary="Certificate statuses and public facts, signed by the root key",
    response_class=Response,
    responses=_RESPONSES,
)
def certificate_status(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Public facts only: no personal data, no internal ids."""
    return _serve(request, current_certificate_snapshot(session, settings))
