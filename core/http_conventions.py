"""HTTP as clients expect it, for every route at once: HEAD, OPTIONS, 405 + ``Allow``, CORS.

:class:`HttpConventions` is the outermost middleware of the app. It knows the app's routes
(:func:`route_table`, built once, with the middleware stack) and, per request:

* **HEAD** is GET without the body (RFC 9110 section 9.3.2): the request goes on as a GET
  (the label URL's fast path answers it too) and the body is dropped on the way out, so the
  status and headers are those of GET, ``Content-Length`` included. No route declares HEAD.
* **OPTIONS** on a path the app serves answers 204 with ``Allow``; a CORS preflight (with
  ``Origin`` and ``Access-Control-Request-Method``) for a cross-origin route (below) answers
  204 with the ``Access-Control-Allow-*`` headers a browser needs.
* **405**: a method that no route of the path serves answers 405 ``method-not-allowed``
  (problem+json) with ``Allow`` listing every method of every route of that path (Starlette
  lists only those of the first route it tried, so ``/api/v1/verify`` lost its POST).
  Routes are told apart as FastAPI's validation would: an ``int`` path parameter only
  stands for digits and an enum one for its values, so ``PATCH /api/v1/artisans/me`` is not
  the ``PATCH`` of ``/api/v1/artisans/{artisan_id}`` but a method ``/api/v1/artisans/me``
  does not have (nor is ``POST …/artwork.svg`` a label command). A path that only an
  invalid value makes match (``/api/v1/artisans/x``) goes to its route, which answers it
  (401 to a stranger, 422 to a caller it admits), as before.
* **CORS**: every answer of a *cross-origin* route carries ``Access-Control-Allow-Origin:
  *`` (and ``Access-Control-Expose-Headers``), errors and 429s included, so that a
  retailer's web app or a kiosk page on its own domain can read verdicts, the trust list,
  the snapshots, the log and the catalogue. Never ``Access-Control-Allow-Credentials``: a
  cross-origin request carries no cookie and no bearer token here.

Which routes are cross-origin is derived from their audience (ADR 0003, :mod:`core.auth`),
not kept in a second list: a ``public`` route is, unless it takes credentials — the
sign-in routes, known by the ``login`` rate-limit budget they all spend. A route guarded by
``allow()`` never is. (ADR 0007 says why.)
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Literal, get_args, get_origin

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount, compile_path

from core.auth import public, route_guard
from core.problems import Problem, problem_response
from core.rate_limit import RateLimit

__all__ = [
    "CORS_HEADERS",
    "HttpConventions",
    "MethodNotAllowed",
    "RouteInfo",
    "RouteTable",
    "route_table",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The order ``Allow`` lists methods in.
_METHOD_ORDER: Final = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
#: Request headers a cross-origin page may send (with no credentials among them).
_ALLOWED_REQUEST_HEADERS: Final = (
    "Accept, Accept-Language, Content-Language, Content-Type, If-None-Match"
)
#: Response headers a cross-origin page may read beyond the CORS-safelisted ones.
_EXPOSED_HEADERS: Final = "ETag, Link, Location, Retry-After, Content-Disposition"
#: How long a browser may keep a preflight's answer (Chromium caps it at two hours).
_PREFLIGHT_MAX_AGE: Final = "7200"

#: Added to every answer of a cross-origin route.
CORS_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", _EXPOSED_HEADERS.encode()),
)
_PARAM: Final = re.compile(r"\(\?P<([a-zA-Z_][a-zA-Z0-9_]*)>")


class MethodNotAllowed(Problem):
    status = 405
    slug = "method-not-allowed"
    title = "Method not allowed"


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """One route as this middleware sees it."""

    path: str
    methods: frozenset[str]
    cross_origin: bool
    typed: re.Pattern[str]  # typed path parameters (int, enum) match their values only
    untyped: re.Pattern[str]  # what the router matches


def _takes_credentials(dependant: Dependant) -> bool:
    """Whether the route spends the ``login`` budget (signing in with a password)."""
    return any(
        (isinstance(dep.call, RateLimit) and dep.call.route_class == "login")
        or _takes_credentials(dep)
        for dep in dependant.dependencies
    )


def _value_pattern(annotation: Any) -> str | None:
    """What a path parameter of this type can be, as a regex (``None``: any segment)."""
    if annotation is int:
        return "[0-9]+"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "|".join(re.escape(str(member.value)) for member in annotation)
    if get_origin(annotation) is Literal:
        return "|".join(re.escape(str(value)) for value in get_args(annotation))
    return None


def _typed_params(dependant: Dependant) -> dict[str, str]:
    """The path parameters whose type narrows the segments they match, by name."""
    found: dict[str, str] = {}
    for dep in dependant.dependencies:
        found.update(_typed_params(dep))
    for param in dependant.path_params:
        pattern = _value_pattern(param.field_info.annotation)
        if pattern is not None:
            found[param.name] = pattern
    return found


def _typed(pattern: str, params: dict[str, str]) -> str:
    """``pattern`` (from ``compile_path``) with typed parameters narrowed to their values."""
    for name, values in params.items():
        pattern = pattern.replace(f"(?P<{name}>[^/]+)", f"(?P<{name}>{values})")
    return pattern


def _anonymous(pattern: str) -> str:
    """``pattern`` without named groups, so that patterns can be joined in one regex."""
    return _PARAM.sub("(?:", pattern)


class RouteTable:
    """The app's routes, in the order the router tries them, and fast lookups over them."""

    def __init__(self, routes: Iterable[RouteInfo]) -> None:
        self.routes: tuple[RouteInfo, ...] = tuple(routes)
        methods = sorted({m for route in self.routes for m in route.methods})
        # Per method, one regex: the routes serving it, in order, each in its own group.
        self._by_method: dict[str, tuple[re.Pattern[str], dict[str, RouteInfo]]] = {}
        for method in methods:
            serving = [(f"r{i}", r) for i, r in enumerate(self.routes) if method in r.methods]
            joined = "|".join(
                f"(?P<{name}>{_anonymous(route.typed.pattern)})" for name, route in serving
            )
            self._by_method[method] = (re.compile(joined), dict(serving))
        # Whether any route matches at all (most paths no route serves are cut short here).
        self._any = re.compile("|".join(_anonymous(r.untyped.pattern) for r in self.routes))

    def serving(self, method: str, path: str) -> RouteInfo | None:
        """The first route (int parameters typed) that serves ``method`` on ``path``."""
        found = self._by_method.get(method)
        if found is None:
            return None
        match = found[0].match(path)
        if match is None or match.lastgroup is None:
            return None
        return found[1][match.lastgroup]

    def candidates(self, path: str) -> list[RouteInfo]:
        """The routes of ``path``: those it matches with int parameters typed, else those
        it matches as the router does (so ``/artisans/me`` is not an artisan id)."""
        if not self._any.match(path):
            return []
        typed = [route for route in self.routes if route.typed.match(path)]
        return typed or [route for route in self.routes if route.untyped.match(path)]


def _allow(routes: Iterable[RouteInfo]) -> str:
    methods = {m for route in routes for m in route.methods} | {"OPTIONS"}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(m for m in _METHOD_ORDER if m in methods) + "".join(
        f", {m}" for m in sorted(methods - set(_METHOD_ORDER))
    )


def route_table(app: FastAPI) -> RouteTable:
    """Every route of ``app`` (API routes and FastAPI's own), in routing order; mounted
    static files are left to themselves (they answer their own methods)."""
    infos: list[RouteInfo] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount) or not context.path or not context.methods:
            continue
        pattern = compile_path(context.path)[0].pattern
        cross_origin = False
        typed: dict[str, str] = {}
        if isinstance(route, APIRoute):
            cross_origin = route_guard(context) is public and not _takes_credentials(
                context.dependant
            )
            typed = _typed_params(context.dependant)
        infos.append(
            RouteInfo(
                path=context.path,
                methods=frozenset(context.methods) - {"HEAD"},
                cross_origin=cross_origin,
                typed=re.compile(_typed(pattern, typed)),
                untyped=re.compile(pattern),
            )
        )
    return RouteTable(infos)


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return bytes(value)
    return None


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path


class HttpConventions:
    """ASGI middleware: HEAD, OPTIONS, 405 with a true ``Allow``, CORS (see module doc)."""

    def __init__(self, app: ASGIApp, *, application: FastAPI) -> None:
        self.app = app
        # Built when Starlette builds the middleware stack, at the first request: routes
        # added after create_app (a benchmark's, a test's) are known too.
        self.routes = route_table(application)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path = _route_path(scope)
        head = method == "HEAD"
        if head:
            scope = dict(scope, method="GET")
            method = "GET"
        elif method == "OPTIONS":
            await self._options(scope, path, receive, send)
            return
        route = self.routes.serving(method, path)
        if route is None:
            candidates = self.routes.candidates(path)
            if candidates and not any(method in r.methods for r in candidates):
                problem = MethodNotAllowed(
                    f"{path} does not take {method}.", headers={"Allow": _allow(candidates)}
                )
                await problem_response(problem)(
                    scope, receive, _without_body(send) if head else send
                )
                return
            route = next((r for r in candidates if method in r.methods), None)
        cross_origin = route is not None and route.cross_origin
        if not (head or cross_origin):
            await self.app(scope, receive, send)
            return

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                if cross_origin:
                    message["headers"] = [*message.get("headers", ()), *CORS_HEADERS]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, answer)

    async def _options(self, scope: Scope, path: str, receive: Receive, send: Send) -> None:
        candidates = self.routes.candidates(path)
        if not candidates:
            await self.app(scope, receive, send)  # not a path of this app: its 404
            return
        headers = [(b"allow", _allow(candidates).encode())]
        requested = _header(scope, b"access-control-request-method")
        if requested is not None and _header(scope, b"origin") is not None:
            wanted = requested.decode("latin-1").strip().upper()
            wanted = "GET" if wanted == "HEAD" else wanted
            route = self.routes.serving(wanted, path)
            if route is not None and route.cross_origin:
                open_routes = [r for r in candidates if r.cross_origin]
                headers += [
                    *CORS_HEADERS,
                    (b"access-control-allow-methods", _allow(open_routes).encode()),
                    (b"access-control-allow-headers", _ALLOWED_REQUEST_HEADERS.encode()),
                    (b"access-control-max-age", _PREFLIGHT_MAX_AGE.encode()),
                ]
        headers.append((b"content-length", b"0"))
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _without_body(send: Send) -> Send:
    async def headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return headers_only
