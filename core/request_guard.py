"""An ASGI middleware that refuses hostile requests before any route sees them.

Each refusal is a problem+json answer and nothing reaches a service:

* a body over ``max_body_bytes`` (or a multipart upload over ``max_upload_bytes``) -> 413,
  whether announced by ``Content-Length`` or streamed without one;
* a body whose content type the route does not take -> 415: a JSON route takes
  ``application/json`` (or ``*+json``), a form route ``application/x-www-form-urlencoded``
  or ``multipart/form-data``, an upload route ``multipart/form-data``, and a route without a
  body at most JSON; a body without a content type is always refused;
* JSON that Python's parser would accept but that is ambiguous or unsafe -> 400: duplicate
  keys, ``NaN``/``Infinity``, integers outside the signed 64-bit range that every database
  column holds, nesting deeper than 32 levels, invalid UTF-8, lone surrogates (``"\\ud800"``)
  and NUL characters (``"\\u0000"``, which PostgreSQL cannot store);
* a NUL character in the path, the query string or a urlencoded form -> 400.

A route that reads its own multipart upload (declared with :func:`multipart_upload`, such as
``POST /api/v1/evidence``) is not buffered: its content type and ``Content-Length`` are
checked as above without reading anything, then the body is handed on as it arrives, counted
against the upload limit (413 past it). Authentication runs before such a route reads a
single byte, so an anonymous or wrong-role upload costs the server nothing but its headers.

A request with a body, to a route that declares a rate limit (:mod:`core.rate_limit`), is
charged to that budget here, before its body is read: a flood of bodies that would be
refused (malformed JSON, a wrong content type) is then answered 429 without parsing them.
The route's own dependency sees the request already charged and does not charge it again.
A route a browser posts a form to may give its limit a page (``rate_limit(cls, page=…)``):
a browser refused then gets that page (429, ``Retry-After``, in its language) instead.

These checks concern the transport, not the route, so they come before authentication (see
:mod:`core.auth`); validation of a body against a route's schema (422) comes after it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Literal
from urllib.parse import unquote_to_bytes

from fastapi import params
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.requests import HTTPConnection
from starlette.routing import Match

from core.problems import BadRequest, PayloadTooLarge, Problem, UnsupportedMediaType
from core.rate_limit import RateLimit, RateLimitedPage, spend

__all__ = [
    "RequestGuard",
    "StrictJSONError",
    "multipart_upload",
    "streams_upload",
    "strict_json_loads",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BodyKind = Literal["json", "form", "upload", "stream", "none", "unknown"]

_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_MAX_DEPTH = 32
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


class StrictJSONError(ValueError):
    """The body is JSON that the registry refuses to interpret."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError(f"duplicate key {key[:40]!r}")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a JSON number")


def _int(text: str) -> int:
    # Length first: int() of a huge digit string is itself slow (CVE-2020-10735).
    if len(text) > 20 or not _INT64_MIN <= (value := int(text)) <= _INT64_MAX:
        raise StrictJSONError("integer out of the 64-bit range")
    return value


def _float(text: str) -> float:
    if len(text) > 64:
        raise StrictJSONError("number too long")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise StrictJSONError("number out of range")
    return value


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise StrictJSONError("NUL character in string")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StrictJSONError("lone surrogate in string") from exc


def _check(value: Any, depth: int = 0) -> None:
    """Strings are clean and containers nest at most ``_MAX_DEPTH`` levels (the outermost is 1)."""
    if isinstance(value, str):
        _check_text(value)
        return
    if not isinstance(value, dict | list):
        return
    depth += 1
    if depth > _MAX_DEPTH:
        raise StrictJSONError("nesting too deep")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check(item, depth)
    else:
        for item in value:
            _check(item, depth)


def strict_json_loads(body: bytes) -> Any:
    """Parse JSON the way the registry accepts it, or raise :class:`StrictJSONError`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictJSONError("body is not UTF-8") from exc
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except RecursionError as exc:
        raise StrictJSONError("nesting too deep") from exc
    except json.JSONDecodeError as exc:
        raise StrictJSONError(f"malformed JSON at line {exc.lineno} column {exc.colno}") from exc
    _check(value)
    return value


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def _media_type(scope: Scope) -> str:
    value = _header(scope, b"content-type") or ""
    return value.split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _announces_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    return _header(scope, b"transfer-encoding") is not None or (
        length is not None and length.strip() not in ("", "0")
    )


def multipart_upload(*, field: str, description: str) -> dict[str, Any]:
    """``openapi_extra`` of a route that reads its own ``multipart/form-data`` upload from
    ``request.stream()`` (one file in ``field``): it documents the body, and it tells the
    request guard to stream the body to the route instead of buffering it.

    FastAPI parses a ``File()``/``Form()`` body before it runs any dependency, so a route that
    declares one reads the whole upload before it knows who is calling; a route declared this
    way takes the ``Request`` and reads the body after its guard has admitted the caller.
    """
    schema = {
        "type": "object",
        "required": [field],
        "properties": {
            field: {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "title": field.title(),
                "description": description,
            }
        },
    }
    return {"requestBody": {"required": True, "content": {_MULTIPART: {"schema": schema}}}}


def streams_upload(route: RouteContext) -> bool:
    """Whether ``route`` reads its own multipart body (see :func:`multipart_upload`)."""
    original = route.original_route
    if not isinstance(original, APIRoute) or route.body_field is not None:
        return False
    body = (original.openapi_extra or {}).get("requestBody", {})
    return _MULTIPART in body.get("content", {})


def _body_kind(route: RouteContext) -> BodyKind:
    if not isinstance(route.original_route, APIRoute):
        return "unknown"
    field = route.body_field
    if field is None:
        return "stream" if streams_upload(route) else "none"
    if isinstance(field.field_info, params.File):
        return "upload"
    if isinstance(field.field_info, params.Form):
        return "form"
    return "json"


def _accepts(kind: BodyKind, media_type: str) -> bool:
    if kind == "json" or kind == "none":
        return _is_json(media_type)
    if kind == "upload" or kind == "stream":
        return media_type == _MULTIPART
    if kind == "form":
        return media_type in (_FORM, _MULTIPART)
    return _is_json(media_type) or media_type in (_FORM, _MULTIPART)


def _refuse_nul_in_target(scope: Scope) -> None:
    if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
        raise BadRequest("NUL characters are not accepted.", slug="nul-character")


class RequestGuard:
    """Buffers request bodies, enforces the limits and replays the body downstream."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _refuse_nul_in_target(scope)
            if scope["method"] not in _WRITE_METHODS and not _announces_body(scope):
                await self.app(scope, receive, send)
                return
            kind, limit = self._admit(scope)
            body = None if kind == "stream" else await self._read(scope, receive, kind, limit)
        except Problem as problem:
            await _send_problem(send, problem)
            return
        except RateLimitedPage as refused:  # a browser's form: the route's own page
            await refused.response(scope, receive, send)
            return
        if kind == "stream":
            await self.app(scope, _counted(receive, limit), send)
            return
        if body is None:  # the client went away before it finished sending
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _route(scope: Scope) -> RouteContext | None:
        """The route that will serve this request (FastAPI sets scope["app"])."""
        for route in iter_route_contexts(getattr(scope.get("app"), "routes", ())):
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route
        return None

    def _admit(self, scope: Scope) -> tuple[BodyKind, int]:
        """The checks made before reading any of the body: the route's rate limits, its
        content type, the announced length. Returns the body kind and its size limit."""
        media_type = _media_type(scope)
        route = self._route(scope)
        kind = _body_kind(route) if route is not None else "unknown"
        if route is not None and isinstance(route.original_route, APIRoute):
            _charge_rate_limits(scope, route)
        # Refuse a content type the route does not take before reading anything: a client
        # that calls a JSON route "multipart" must not get the upload limit.
        if media_type and _announces_body(scope) and not _accepts(kind, media_type):
            raise _unsupported(kind)
        if kind == "stream" and _announces_body(scope) and not media_type:
            raise _unsupported(kind)  # a streamed body is never read to find this out
        takes_uploads = media_type == _MULTIPART and kind in ("upload", "stream", "form", "unknown")
        limit = self.max_upload_bytes if takes_uploads else self.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                raise BadRequest("Content-Length is not a number.")
            if int(declared) > limit:
                raise PayloadTooLarge(f"The body limit here is {limit} bytes.", limit=limit)
        return kind, limit

    async def _read(
        self, scope: Scope, receive: Receive, kind: BodyKind, limit: int
    ) -> bytes | None:
        media_type = _media_type(scope)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"The body limit here is {limit} bytes.", limit=limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if not body:
            return body
        if not media_type or not _accepts(kind, media_type):
            raise _unsupported(kind)
        if _is_json(media_type):
            try:
                strict_json_loads(body)
            except StrictJSONError as exc:
                raise BadRequest(str(exc), slug="malformed-json", title="Malformed JSON") from exc
        elif media_type == _FORM and b"\x00" in unquote_to_bytes(body):
            raise BadRequest("NUL characters are not accepted.", slug="nul-character")
        return body


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive`` for a streamed body: the body is handed on as it comes, and the message
    that takes it past ``limit`` raises 413 (in the route, which answers it as a problem)."""
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise PayloadTooLarge(f"The body limit here is {limit} bytes.", limit=limit)
        return message

    return counted


def _charge_rate_limits(scope: Scope, route: RouteContext) -> None:
    """Spend the budgets the route declares, or raise 429 (see the module doc)."""
    for dependency in route.dependant.dependencies:
        limit = dependency.call
        if isinstance(limit, RateLimit):
            connection = HTTPConnection(scope)
            seconds = spend(connection, limit.route_class)
            if seconds:
                raise limit.refusal(connection, seconds)


def _unsupported(kind: BodyKind) -> UnsupportedMediaType:
    wanted = {"upload": _MULTIPART, "stream": _MULTIPART, "form": f"{_FORM} or {_MULTIPART}"}
    return UnsupportedMediaType(f"Send the body as {wanted.get(kind, 'application/json')}.")


async def _send_problem(send: Send, problem: Problem) -> None:
    payload = json.dumps(problem.to_dict()).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
