"""GS1 Digital Link resolver conventions on the label URL.

A GS1 resolver (GS1 Digital Link standard, resolver section; RFC 9264 linksets) answers:

* ``?linkType=all`` and ``?linkType=linkset`` — the linkset of the item
  (``application/linkset+json``), whatever ``Accept`` says;
* ``?linkType=<a link type of the linkset>`` (``gs1:pip``, ``gs1:certificationInfo``,
  ``gs1:verificationService``, ``gs1:defaultLink``, short or as the full
  ``https://gs1.org/voc/…`` URI) — a 307 redirect to that link's target;
* any other ``linkType`` — the default: the label URL's own answer, as without it (the
  default link of a label is its verification page, the label URL itself);
* on every answer of the label URL, ``Link: <…?…&linkType=linkset>; rel="linkset"`` so a
  client finds the linkset without knowing the convention.

``linkType`` is not part of the label: the label codec ignores parameters other than ``S``,
and the links of the linkset are written without it. Absolute URLs use the registry's
public base URL (``Settings.public_base_url``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Final
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import Response

from core.settings import Settings
from labeling.verification import representation as rep

__all__ = ["LINK_TYPE", "answer_link_type", "linkset_link", "names_link_type"]

#: The query parameter a GS1 resolver reads.
LINK_TYPE: Final = b"linkType"
_LINKSET_TYPES: Final = frozenset({"all", "linkset"})
_GS1_PREFIX: Final = "gs1:"
#: Characters a URI may carry in a ``Link`` header as they are (no ``<>``, ``,``, ``;``,
#: quotes or spaces, which would end the reference or the header's link-value).
_QUOTE_SAFE: Final = "/?=&%._~:@!$'()*+-"
_LINK_SAFE: Final = (
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + _QUOTE_SAFE.encode()
)
_LINKSET_REL: Final = b'>; rel="linkset"; type="application/linkset+json"'

Answer = Callable[[Request], Awaitable[Response]]


def names_link_type(query: bytes) -> bool:
    """Whether the query (raw) may name a ``linkType`` (a cheap test for the hot path)."""
    return LINK_TYPE in query


def _split(query: bytes) -> tuple[str | None, bytes]:
    """The ``linkType`` asked for (the first, percent-decoded) and the query without it."""
    link_type: str | None = None
    kept: list[bytes] = []
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        if unquote(name.decode("latin-1")) == LINK_TYPE.decode():
            if link_type is None:
                link_type = unquote(value.decode("latin-1"))
            continue
        kept.append(part)
    return link_type, b"&".join(kept)


def _expanded(link_type: str) -> str:
    if link_type.startswith(_GS1_PREFIX):
        return rep.GS1_VOC + link_type[len(_GS1_PREFIX) :]
    return link_type


def _with(request: Request, *, query: bytes, accept: bytes | None) -> Request:
    """``request`` with another query string and, if given, another ``Accept`` (and no
    validator: the linkset is read whole)."""
    headers = list(request.scope["headers"])
    if accept is not None:
        drop = (b"accept", b"if-none-match")
        headers = [(k, v) for k, v in headers if k not in drop] + [(b"accept", accept)]
    return Request(dict(request.scope, query_string=query, headers=headers), request.receive)


async def answer_link_type(request: Request, answer: Answer) -> Response:
    """The label URL's answer when its query names a ``linkType`` (see the module doc);
    ``answer`` answers the label URL as if no ``linkType`` were given (without ``Link``)."""
    response = await _resolve(request, answer)
    response.raw_headers.append(linkset_link(request))
    return response


async def _resolve(request: Request, answer: Answer) -> Response:
    link_type, query = _split(request.scope.get("query_string", b""))
    plain = _with(request, query=query, accept=None)
    if link_type is None:
        return await answer(plain)
    if link_type in _LINKSET_TYPES:
        return await answer(_with(request, query=query, accept=rep.LINKSET.encode()))
    wanted = _expanded(link_type)
    linkset = await answer(_with(request, query=query, accept=rep.LINKSET.encode()))
    if linkset.status_code != 200 or not wanted.startswith(rep.GS1_VOC):
        return await answer(plain)
    links = json.loads(bytes(linkset.body))["linkset"][0].get(wanted)
    if not links:
        return await answer(plain)
    cache = linkset.headers.get("cache-control", "no-store")
    return Response(status_code=307, headers={"Location": links[0]["href"], "Cache-Control": cache})


def linkset_link(request: Request) -> tuple[bytes, bytes]:
    """The ``Link`` header that points at the linkset of the label URL ``request`` asked
    (on every scan: raw bytes joined, percent-encoded only if they hold what would end it)."""
    scope = request.scope
    settings: Settings = scope["app"].state.settings
    base = settings.public_base_url.rstrip("/").encode()
    target: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    target += b"?" + query + b"&linkType=linkset" if query else b"?linkType=linkset"
    if target.translate(None, _LINK_SAFE):
        target = quote(target, safe=_QUOTE_SAFE).encode()
    return b"link", b"<" + base + target + _LINKSET_REL
