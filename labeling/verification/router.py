"""Public verification routes: the label URL itself and ``/api/v1/verify``.

* ``GET /01/{gtin}/21/{serial}?S=…`` — the URL in the QR code answers with the verdict as
  an HTML page (browsers), JSON (``Accept: application/json``) or a GS1 linkset
  (``Accept: application/linkset+json``);
* ``GET /api/v1/verify?label=URI`` — one verdict as JSON;
* ``POST /api/v1/verify`` — up to 1,000 labels, one verdict each, in order.

A label that is not a label is an INVALID verdict (200), never an error; only a request
that is not a verification request (not JSON, too many labels) is a problem+json error.
The routes are ``async``: on SQLite a scan is a few in-process B-tree lookups (tens of
microseconds, less than encoding the answer), cheaper inline than a hop to a worker thread;
on PostgreSQL, whose lookups wait on the network, and for bulk calls, the work runs in the
thread pool.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from core.auth import public
from core.problems import ServiceUnavailable, problem_responses
from core.rate_limit import rate_limit
from core.settings import Settings
from labeling.catalog.names import catalogue_names
from labeling.public.typed import SHORT_PATH, read_typed
from labeling.verification import representation as rep
from labeling.verification import resolver
from labeling.verification.repository import DatabaseUnavailable
from labeling.verification.service import (
    MAX_BULK_LABELS,
    scan_cache_for,
    verify_uri,
    verify_uri_json,
    verify_uris,
)
from labeling.verification.telemetry import scan_country
from verify.label_text import scanned_label
from verify.pages import (
    choose_language,
    etag_for,
    etag_matches,
    page_headers,
    render_label_page,
)
from verify.verdict import Verdict

__all__ = [
    "SCAN_LIMIT",
    "BulkVerifyRequest",
    "answer_label_url",
    "label_url",
    "needs_bounds_check",
    "router",
]

router = APIRouter(tags=["verification"])

LANGUAGES: Final = ("fr", "en", "es", "ar")
#: The longest label text the API admits (a bulk item, ``label=``, each part of the label
#: URL): anything between the label format's 512 characters and this is an INVALID verdict
#: (``uri_too_long``); beyond it the request is refused (422), as documented.
MAX_LABEL_TEXT: Final = 4_096

Scope = MutableMapping[str, Any]

_VARY: Final = "Accept, Accept-Language"
_NOSNIFF: Final = "nosniff"
_STATIC_HEADERS: Final = ((b"vary", _VARY.encode()), (b"x-content-type-options", _NOSNIFF.encode()))
#: The verdict's JSON (docs/verification.md), documented from the model itself.
_VERDICT_JSON: Final[dict[str, Any]] = {
    "model": Verdict,
    "description": "The verdict, whatever the label (an INVALID verdict for malformed input)",
}
_VERDICT_CONTENT: Final[dict[str, Any]] = {
    **_VERDICT_JSON,
    "content": {
        rep.LINKSET: {"schema": {"type": "object", "description": "RFC 9264 linkset"}},
        "text/html": {"schema": {"type": "string"}},
    },
}
_PUBLIC = [Depends(public)]
#: The rate limit of single scans (the label URL, ``GET /api/v1/verify``); the label URL's
#: fast path spends the same budget (see fast_path.label_url_pattern).
SCAN_LIMIT: Final = rate_limit("verify")
_SCANS = [*_PUBLIC, Depends(SCAN_LIMIT)]
_LANG_MAX: Final = 16
_LABEL_URL_PARAMETERS: Final[list[dict[str, Any]]] = [
    {
        "name": "gtin",
        "in": "path",
        "required": True,
        "description": "GTIN-14 (AI 01).",
        "schema": {"type": "string", "maxLength": MAX_LABEL_TEXT},
    },
    {
        "name": "serial",
        "in": "path",
        "required": True,
        "description": "Serial (AI 21).",
        "schema": {"type": "string", "maxLength": MAX_LABEL_TEXT},
    },
    {
        "name": "S",
        "in": "query",
        "required": False,
        "description": "Format version digit and the signed payload (185 digits).",
        "schema": {"type": "string", "maxLength": MAX_LABEL_TEXT},
    },
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Page language (HTML only): fr, en, es or ar; anything else falls "
        "back to Accept-Language.",
        "schema": {"type": "string", "maxLength": _LANG_MAX},
    },
    {
        "name": "linkType",
        "in": "query",
        "required": False,
        "description": "GS1 resolver: `all` or `linkset` answers the linkset; a link type "
        "of the linkset (`gs1:pip`, `gs1:certificationInfo`, …) redirects (307) to its "
        "target; any other answers as without it.",
        "schema": {"type": "string", "maxLength": MAX_LABEL_TEXT},
    },
]
_PUBLIC_PROBLEMS: Final = {
    429: "`rate-limited`: too many requests from this address; see Retry-After",
    503: "`registry-unavailable`: the registry database did not answer; see Retry-After",
}
_LABEL_URL_PROBLEMS: Final = {
    422: "`validation-error`: a part of the URL exceeds its documented bound (a label "
    "within the bounds, however malformed, is a verdict)",
    **_PUBLIC_PROBLEMS,
}


class BulkVerifyRequest(BaseModel):
    """Label URIs as scanned, up to 1,000 per call."""

    model_config = ConfigDict(extra="forbid")

    labels: list[Annotated[str, StringConstraints(max_length=MAX_LABEL_TEXT)]] = Field(
        max_length=MAX_BULK_LABELS,
        description="Label URIs as scanned (each verdict comes back in this order).",
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _verify(uri: str, settings: Settings, country: str) -> Verdict:
    try:
        cache = scan_cache_for(settings)
        if cache.db.sqlite or cache.remembers(uri):
            return verify_uri(uri, settings=settings, scanned_from=country)
        return await run_in_threadpool(verify_uri, uri, settings=settings, scanned_from=country)
    except DatabaseUnavailable:
        raise _unavailable() from None


async def _verify_json(uri: str, settings: Settings, country: str) -> rep.JsonAnswer:
    try:
        cache = scan_cache_for(settings)
        if cache.db.sqlite or cache.remembers(uri):
            return verify_uri_json(uri, settings=settings, scanned_from=country)
        return await run_in_threadpool(
            verify_uri_json, uri, settings=settings, scanned_from=country
        )
    except DatabaseUnavailable:
        raise _unavailable() from None


def _unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(
        "The registry cannot check labels right now; retry shortly.",
        slug="registry-unavailable",
        headers={"Retry-After": "5"},
    )


def _answer(
    body: bytes, etag: str, media_type: str, cache: str, if_none_match: str | None
) -> Response:
    """The verdict's answer with its cache validators, or 304 if the client holds it.
    The header pairs are encoded here (Starlette's own path re-encodes a dict of them on
    every response: this is the hottest answer of the registry)."""
    headers = [
        (b"etag", etag.encode("latin-1")),
        (b"cache-control", cache.encode("latin-1")),
        *_STATIC_HEADERS,
    ]
    if etag_matches(if_none_match, etag):
        response = Response(status_code=304)
        response.raw_headers = headers  # no body, so no content headers either
        return response
    response = Response(body, media_type=media_type)
    response.raw_headers += headers
    return response


def _json(answer: rep.JsonAnswer, if_none_match: str | None) -> Response:
    return _answer(answer.body, answer.etag, rep.JSON, answer.cache_control, if_none_match)


def _negotiation(scope: Scope) -> tuple[str | None, str | None]:
    """The request's ``Accept`` and ``If-None-Match`` (the first of each), in one pass."""
    accept = if_none_match = None
    for name, value in scope["headers"]:
        if name == b"accept":
            if accept is None:
                accept = value.decode("latin-1")
        elif name == b"if-none-match" and if_none_match is None:
            if_none_match = value.decode("latin-1")
    return accept, if_none_match


def _label_uri(request: Request, settings: Settings) -> str:
    """The scanned label rebuilt from the request: the host is not signed, so the
    registry's own label host stands in for whatever ``Host`` the client sent (any case,
    with or without a port); path and query are taken raw, as the QR code carried them."""
    scope = request.scope
    path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    uri: str = "HTTPS://" + settings.label_host + path.decode("latin-1")
    if query:
        uri += "?" + query.decode("latin-1")
    return uri


@router.get(
    "/01/{gtin}/21/{serial}",
    dependencies=_SCANS,
    summary="The label URL: its verdict as an HTML page, JSON or a GS1 linkset",
    response_class=Response,
    responses={
        200: _VERDICT_CONTENT,
        304: {"description": "Not modified"},
        303: {
            "description": "A browser opening a label address without its signature `S` (a "
            "typed or cut address): to the short address page `/v/{serial}`"
        },
        307: {"description": "`linkType` names a link of the linkset: to its target"},
        **problem_responses(422, 429, 503, descriptions=_LABEL_URL_PROBLEMS),
    },
    openapi_extra={"parameters": _LABEL_URL_PARAMETERS},
)
async def label_url(request: Request) -> Response:
    """Verify the label this URL is, and answer in the representation ``Accept`` asks for.

    The parameters are documented (``openapi_extra``) but not declared: the label codec
    parses the URL itself, and the bounds are checked here only when the request is long
    enough to break one. Most scans never reach this route: the fast path
    (:mod:`labeling.verification.fast_path`) gives the same answer before routing.
    """
    _check_bounds(request)
    return await answer_label_url(request)


async def answer_label_url(request: Request) -> Response:
    """The label URL's answer, once the request is admitted (rate limit, bounds): shared
    by the route and the fast path, so that both answer alike, byte for byte. GS1 resolver
    conventions (``linkType``, the ``Link`` to the linkset) are :mod:`.resolver`'s."""
    if resolver.names_link_type(request.scope.get("query_string", b"")):
        return await resolver.answer_link_type(request, _answer_verdict)
    response = await _answer_verdict(request)
    response.raw_headers.append(resolver.linkset_link(request))
    return response


async def _answer_verdict(request: Request) -> Response:
    """The verdict in the representation ``Accept`` asks for."""
    settings = _settings(request)
    accept, if_none_match = _negotiation(request.scope)
    uri = _label_uri(request, settings)
    choice = rep.choose(accept)
    country = scan_country(request, settings)
    if choice == "json":
        return _json(await _verify_json(uri, settings, country), if_none_match)
    if choice == "html" and (short := _typed_address(request, uri)) is not None:
        return RedirectResponse(short, status_code=303)
    verdict = await _verify(uri, settings, country)
    if choice == "linkset":
        page = settings.public_base_url.rstrip("/") + request.scope["path"]
        query = request.scope.get("query_string", b"").decode("latin-1")
        body, etag = rep.linkset_body(
            verdict,
            base_url=settings.public_base_url,
            label_url=page + ("?" + query if query else ""),
            languages=LANGUAGES,
        )
        return _answer(body, etag, rep.LINKSET, rep.cache_control(verdict), if_none_match)
    return _html(request, verdict, if_none_match)


def _typed_address(request: Request, uri: str) -> str | None:
    """A label's address without its signature (typed from the print, or cut) asks for the
    item, not a verdict: the short address's page (``/v/``), which says what the registry
    knows and that only the QR code proves a label; ``None`` for any other address."""
    query_string: bytes = request.scope.get("query_string", b"")
    if query_string.startswith(b"S=") or b"&S=" in query_string:
        return None  # the usual scan: a signature, right or wrong, gets its verdict
    typed = read_typed(uri)
    if typed.kind != "item":
        return None
    query = {"gtin": typed.gtin} if typed.gtin else {}
    lang = request.query_params.get("lang")
    query |= {"lang": lang} if lang else {}
    return SHORT_PATH + typed.serial + ("?" + urlencode(query) if query else "")


def needs_bounds_check(scope: Scope) -> bool:
    """Whether a part of the label URL may exceed its documented bound, or names a page
    language (whose bound is short), or hides a parameter name in percent-encoding; the
    other requests cannot break a bound, so are not examined."""
    query: bytes = scope.get("query_string", b"")
    return (
        len(query) > MAX_LABEL_TEXT
        or len(scope["path"]) > MAX_LABEL_TEXT
        or b"lang=" in query
        or b"%" in query
    )


def _check_bounds(request: Request) -> None:
    """422 when a part of the label URL exceeds its documented bound (see the OpenAPI
    parameters)."""
    if not needs_bounds_check(request.scope):
        return
    errors: list[dict[str, Any]] = []
    gtin, serial = request.path_params.get("gtin", ""), request.path_params.get("serial", "")
    for name, value in (("gtin", gtin), ("serial", serial)):
        if len(value) > MAX_LABEL_TEXT:
            errors.append(_too_long("path", name, MAX_LABEL_TEXT))
    params = request.query_params
    for name, bound in (("S", MAX_LABEL_TEXT), ("lang", _LANG_MAX), ("linkType", MAX_LABEL_TEXT)):
        if any(len(value) > bound for value in params.getlist(name)):
            errors.append(_too_long("query", name, bound))
    if errors:
        raise RequestValidationError(errors)


def _too_long(where: str, name: str, bound: int) -> dict[str, Any]:
    return {
        "type": "string_too_long",
        "loc": (where, name),
        "msg": f"String should have at most {bound} characters",
        "input": None,
        "ctx": {"max_length": bound},
    }


def _html(request: Request, verdict: Verdict, if_none_match: str | None) -> Response:
    """The human page, rendered by :mod:`verify.pages`."""

    lang = choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    query = request.scope.get("query_string", b"").decode("latin-1")
    self_url = request.scope["path"] + ("?" + query if query else "")
    body = render_label_page(
        verdict, lang=lang, self_url=self_url, names=catalogue_names()
    ).encode()
    headers = page_headers(lang, cache_control=rep.cache_control(verdict))
    headers["ETag"] = etag_for(body)
    if etag_matches(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


@router.get(
    "/api/v1/verify",
    dependencies=_SCANS,
    summary="Verify one label (JSON)",
    response_class=Response,
    responses={
        200: _VERDICT_JSON,
        **problem_responses(429, 503, descriptions=_PUBLIC_PROBLEMS),
    },
)
async def verify_one(
    request: Request,
    label: Annotated[
        str,
        Query(
            max_length=MAX_LABEL_TEXT,
            description="The label URI as scanned (URL-encoded).",
        ),
    ],
) -> Response:
    """The verdict on one label; an INVALID verdict (200) when it is not a valid label.
    White space around the label (a scanner's Enter or Tab) is not part of it."""
    settings = _settings(request)
    answer = await _verify_json(scanned_label(label), settings, scan_country(request, settings))
    return _json(answer, request.headers.get("if-none-match"))


@router.post(
    "/api/v1/verify",
    dependencies=[*_PUBLIC, Depends(rate_limit("bulk"))],
    summary="Verify up to 1,000 labels in one call",
    response_class=Response,
    responses={
        200: {
            "model": rep.BulkVerdicts,
            "description": '`{"count": n, "verdicts": [...]}`, one verdict per label, in order',
        },
        **problem_responses(
            422,
            429,
            503,
            descriptions={
                422: '`validation-error`: not `{"labels": [strings]}`, more than 1,000 '
                "labels, or a label over 4,096 characters",
                **_PUBLIC_PROBLEMS,
            },
        ),
    },
)
async def verify_many(request: Request, body: BulkVerifyRequest) -> Response:
    """One verdict per label, in the order given, all checked at the same instant
    (each without the white space around it, as for one label)."""
    settings = _settings(request)
    labels = [scanned_label(label) for label in body.labels]
    try:
        verdicts = await run_in_threadpool(
            verify_uris, labels, settings=settings, scanned_from=scan_country(request, settings)
        )
    except DatabaseUnavailable:
        raise _unavailable() from None
    return Response(
        rep.bulk_body(verdicts),
        media_type=rep.JSON,
        headers={"Cache-Control": "no-store", "Vary": _VARY, "X-Content-Type-Options": _NOSNIFF},
    )
