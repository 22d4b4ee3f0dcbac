"""The label URL's fast path: scans answered before FastAPI routes the request.

Every scan of every QR code is a ``GET /01/{gtin}/21/{serial}?S=…``, the registry's
hottest request by far. Through FastAPI it pays for routing, the dependency solver and the
middleware that sits between (about 40 µs a request on FastAPI 0.165, as much again as the
verification itself). :class:`LabelUrlFastPath`, an ASGI middleware placed just inside
:class:`core.request_guard.RequestGuard` (so NUL characters and request bodies are refused
as for any route), answers the ordinary scan itself with
:func:`labeling.verification.router.answer_label_url` — the very function the route calls,
so both give the same bytes — after spending the same rate-limit budget.

Whatever is not an ordinary scan goes the long way, to the declared route, which answers it
with the documented errors: a method other than GET, a request whose parts could exceed
their bounds (422), a client over its budget (429). A problem raised while answering (the
registry database down: 503) is answered here as the route's handler would, without
verifying again; any other exception goes to the route too. The fast path holds no rule
of its own beyond that.

It serves only the path of a route that the route guard walk admitted as ``public`` and
that depends on nothing else than its rate limit, matched with that route's own pattern
(:func:`label_url_pattern`): building the app fails otherwise, so the fast path can never
open what the guards close or skip what the route requires.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import compile_path

from core.auth import api_routes, public, route_guard
from core.problems import Problem, problem_response
from core.rate_limit import RouteClass, spend
from labeling.verification.router import (
    SCAN_LIMIT,
    answer_label_url,
    label_url,
    needs_bounds_check,
)

__all__ = ["LabelUrlFastPath", "label_url_pattern"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def label_url_pattern(app: FastAPI) -> tuple[re.Pattern[str], RouteClass]:
    """The path pattern of the app's label URL route and the rate-limit class it spends.

    Refused (``RuntimeError``) unless the route is ``public`` and depends on nothing but
    that and :data:`~labeling.verification.router.SCAN_LIMIT` (an app- or router-wide
    dependency, say a maintenance switch, would be skipped by the fast path), and unless
    no route matched before it serves the same URLs.
    """
    earlier: list[re.Pattern[str]] = []
    for route in api_routes(app):
        path = route.path
        if route.endpoint is label_url and "GET" in (route.methods or ()) and path:
            if route_guard(route) is not public:
                raise RuntimeError(f"{path} is not public: no fast path for it")
            calls = {dependency.call for dependency in route.dependant.dependencies}
            if calls != {public, SCAN_LIMIT}:
                names = sorted(getattr(call, "__name__", repr(call)) for call in calls)
                raise RuntimeError(f"{path} depends on {names}: the fast path would skip some")
            pattern, _, _ = compile_path(path)
            if any(other.fullmatch(sample) for other in earlier for sample in _SAMPLES):
                raise RuntimeError(f"a route before {path} serves label URLs")
            return pattern, SCAN_LIMIT.route_class
        if path:
            earlier.append(compile_path(path)[0])
    raise RuntimeError("the app has no label URL route")


#: Label URLs (a real one's shape, and the shortest) that no route before the label URL's
#: may match.
_SAMPLES: Final = ("/01/06111234000019/21/7F3K2MQ9XB", "/01/0/21/0")


class LabelUrlFastPath:
    """ASGI middleware: answers ordinary label scans, hands everything else on."""

    def __init__(self, app: ASGIApp, *, label_url: tuple[re.Pattern[str], RouteClass]) -> None:
        self.app = app
        self.pattern, self.route_class = label_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope.get("root_path")
            and self.pattern.match(scope["path"])
            and not needs_bounds_check(scope)
        ):
            request = Request(scope, receive)
            if not spend(request, self.route_class):
                try:
                    response = await answer_label_url(request)
                except Problem as problem:
                    # Answered as the route's problem handler would (the registry database
                    # down: 503): handing it on would only run the verification again.
                    response = problem_response(problem)
                except Exception:  # noqa: BLE001 - a bug: the route answers it, as documented
                    await self.app(scope, receive, send)
                    return
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
