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
their bounds (422), a client over its budget (429), and any exception before the answer is
sent (the registry database down: 503). The fast path holds no rule of its own beyond that.

It serves only the path of a route that the route guard walk admitted as ``public``
(:func:`core.auth.route_guard`), matched with that route's own pattern: building the app
fails otherwise, so it can never open what the guards close.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import compile_path

from core.auth import api_routes, public, route_guard
from core.rate_limit import spend
from labeling.verification.router import answer_label_url, label_url, needs_bounds_check

__all__ = ["LabelUrlFastPath", "label_url_pattern"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def label_url_pattern(app: FastAPI) -> re.Pattern[str]:
    """The path pattern of the app's label URL route, which must be public."""
    for route in api_routes(app):
        path = route.path
        if route.endpoint is label_url and "GET" in (route.methods or ()) and path:
            if route_guard(route) is not public:
                raise RuntimeError(f"{path} is not public: no fast path for it")
            pattern, _, _ = compile_path(path)
            return pattern
    raise RuntimeError("the app has no label URL route")


class LabelUrlFastPath:
    """ASGI middleware: answers ordinary label scans, hands everything else on."""

    def __init__(self, app: ASGIApp, *, pattern: re.Pattern[str]) -> None:
        self.app = app
        self.pattern = pattern

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope.get("root_path")
            and self.pattern.match(scope["path"])
            and not needs_bounds_check(scope)
        ):
            request = Request(scope, receive)
            if not spend(request, "verify"):
                try:
                    response = await answer_label_url(request)
                except Exception:  # noqa: BLE001 - the route answers it, as documented
                    pass
                else:
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
