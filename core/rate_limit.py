"""Per-client rate limits for the public endpoints: an in-process token bucket per client
address and per route class, answering 429 ``application/problem+json`` with ``Retry-After``.

Each route class (``verify`` — one label, ``bulk`` — up to 1,000 labels a call, ``pages``
— HTML pages, badge, CSV upload; ``evidence`` — the signed-in evidence upload, charged
before the caller is authenticated; ``login`` — signing in, by API or form, each an Argon2
verification; ``report`` — a buyer's report of a suspected fake, by API or form) has its
own budget, set in :class:`core.settings.Settings`
(``KHATEM_RATE_LIMIT_<CLASS>_PER_MINUTE`` and ``KHATEM_RATE_LIMIT_<CLASS>_BURST``):
a client may send ``burst`` requests at once and then ``per_minute`` a minute, steadily.

Routes declare it as a dependency (``async``, so it costs no thread hop)::

    @router.get("/x", dependencies=[Depends(public), Depends(rate_limit("pages"))])

The label URL's fast path (:mod:`labeling.verification.fast_path`), which answers before
any route is matched, spends the same budget with :func:`spend`; a request it hands on to
the route is not charged twice.

The client is ``request.client.host`` as the ASGI server reports it (an IPv6 client by its
/64 network); the app never reads ``X-Forwarded-For`` itself. Behind a reverse proxy run
uvicorn with ``--forwarded-allow-ips`` (the proxy's address only: uvicorn trusts
127.0.0.1 by default) so that it is the real client's address. The buckets live in this
process; with N worker processes each keeps 1/N of the budget (:func:`rate_limiters`), and
several servers behind a load balancer each keep their own (docs/deployment.md). Idle
buckets are swept and the table is bounded, a flood evicting idle clients first.
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import time
from collections.abc import Callable
from typing import Final, Literal

from fastapi import Request
from starlette.requests import HTTPConnection
from starlette.responses import Response

from core.problems import TooManyRequests
from core.settings import Settings

__all__ = [
    "ROUTE_CLASSES",
    "LimitPage",
    "RateLimit",
    "RateLimitedPage",
    "RouteClass",
    "TokenBucket",
    "client_key",
    "rate_limit",
    "rate_limiters",
    "spend",
    "too_many",
]

RouteClass = Literal["verify", "bulk", "pages", "evidence", "login", "report"]
ROUTE_CLASSES: Final[tuple[RouteClass, ...]] = (
    "verify",
    "bulk",
    "pages",
    "evidence",
    "login",
    "report",
)

#: Above this many tracked clients, buckets that have refilled are dropped.
_SWEEP_ABOVE: Final = 50_000
#: Scope key: the route classes this request has already been charged for.
_CHARGED: Final = "khatem.rate_limit.charged"


class TokenBucket:
    """One route class's buckets: ``clients[address] = [tokens, last_refill]``."""

    __slots__ = ("burst", "clients", "per_second")

    def __init__(self, *, per_minute: int, burst: int) -> None:
        self.per_second = per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.clients: dict[str, list[float]] = {}

    def take(self, client: str, now: float | None = None) -> float:
        """Spend one token of ``client``; 0.0 if allowed, else the seconds until one is due."""
        if now is None:
            now = time.monotonic()
        bucket = self.clients.get(client)
        if bucket is None:
            if len(self.clients) >= _SWEEP_ABOVE:
                self._sweep(now)
            self.clients[client] = [self.burst - 1.0, now]
            return 0.0
        if bucket[0] < 1.0:
            # A client short of tokens moves to the young end of the table, so a flood of
            # new addresses evicts the idle clients first and never the busy ones.
            del self.clients[client]
            self.clients[client] = bucket
        tokens = bucket[0] + (now - bucket[1]) * self.per_second
        if tokens > self.burst:
            tokens = self.burst
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        if self.per_second <= 0:
            return 60.0
        return (1.0 - tokens) / self.per_second

    def _sweep(self, now: float) -> None:
        full = [
            client
            for client, (tokens, last) in self.clients.items()
            if tokens + (now - last) * self.per_second >= self.burst
        ]
        for client in full:
            del self.clients[client]
        if len(self.clients) >= _SWEEP_ABOVE:
            # A flood of distinct addresses: drop the oldest half (insertion order, where
            # clients that ran short of tokens were moved to the young end), not everyone:
            # clearing the table would hand every client, the flooder too, a fresh burst.
            for client in list(itertools.islice(self.clients, len(self.clients) // 2)):
                del self.clients[client]


def rate_limiters(settings: Settings) -> dict[str, TokenBucket]:
    """Fresh buckets for every route class, from the settings.

    The buckets live in each worker process: with ``KHATEM_WORKER_PROCESSES`` workers (set by
    ``khatem serve --workers N``) each holds its share of the budget, so that one machine
    admits no more than the configured budget whichever worker a connection reaches.
    """
    workers = settings.worker_processes
    return {
        route_class: TokenBucket(
            per_minute=getattr(settings, f"rate_limit_{route_class}_per_minute") // workers,
            burst=max(1, getattr(settings, f"rate_limit_{route_class}_burst") // workers),
        )
        for route_class in ROUTE_CLASSES
    }


def _buckets(connection: HTTPConnection) -> dict[str, TokenBucket] | None:
    state = connection.app.state
    buckets: dict[str, TokenBucket] | None = getattr(state, "rate_limiters", None)
    if buckets is None:
        settings: Settings = state.settings
        if not settings.rate_limit_enabled:
            return None
        buckets = state.rate_limiters = rate_limiters(settings)
    return buckets


def client_key(host: str) -> str:
    """Whose budget a request spends: the IPv4 address, or the IPv6 /64 network (one
    host's subnet: rotating addresses inside it is not a new client). IPv4-mapped IPv6
    addresses count as their IPv4 address."""
    if ":" not in host:
        return host
    try:
        address = ipaddress.IPv6Address(host.partition("%")[0])
    except ValueError:
        return host
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.IPv6Network((address, 64), strict=False))


def spend(connection: HTTPConnection, route_class: RouteClass) -> int:
    """Spend one token of ``route_class`` for the request's client: 0 if the request may
    go on, else the seconds (at least 1) until the client may retry. A request is charged
    once per class, however many times it is asked (the scope remembers)."""
    scope = connection.scope
    charged = scope.setdefault(_CHARGED, set())
    if route_class in charged:
        return 0
    buckets = _buckets(connection)
    if buckets is None:
        return 0
    client = connection.client
    wait = buckets[route_class].take(client_key(client.host) if client else "-")
    if wait:
        return max(1, math.ceil(wait))
    charged.add(route_class)
    return 0


def too_many(route_class: RouteClass, seconds: int) -> TooManyRequests:
    return TooManyRequests(
        f"Too many {route_class} requests from this address; retry in {seconds} s.",
        slug="rate-limited",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


#: A route's page for a refused browser: given the request and the seconds to wait, the
#: 429 page (with ``Retry-After``) when the client reads pages, else None (problem+json).
LimitPage = Callable[[HTTPConnection, int], Response | None]


class RateLimitedPage(Exception):  # noqa: N818 - an answer, not an error
    """A refusal answered with the route's own page (see :attr:`RateLimit.page`)."""

    def __init__(self, response: Response) -> None:
        super().__init__("rate limited")
        self.response = response


class RateLimit:
    """A FastAPI dependency that spends one token of :attr:`route_class` for the client,
    or answers 429 ``rate-limited`` with ``Retry-After`` (make one with :func:`rate_limit`).

    ``page``, for a route a browser posts a form to: the refusal is that page when it
    returns one (the request guard, which charges a request with a body before reading
    it, sends it), problem+json otherwise."""

    __slots__ = ("__name__", "page", "route_class")

    def __init__(self, route_class: RouteClass, page: LimitPage | None = None) -> None:
        if route_class not in ROUTE_CLASSES:
            raise ValueError(f"unknown route class {route_class!r}")
        self.route_class: RouteClass = route_class
        self.page = page
        self.__name__ = f"rate_limit_{route_class}"

    def refusal(self, connection: HTTPConnection, seconds: int) -> Exception:
        """What to raise when the client is over budget: the route's page for a browser,
        else the problem."""
        if self.page is not None:
            response = self.page(connection, seconds)
            if response is not None:
                return RateLimitedPage(response)
        return too_many(self.route_class, seconds)

    async def __call__(self, request: Request) -> None:
        seconds = spend(request, self.route_class)
        if seconds:
            raise too_many(self.route_class, seconds)


def rate_limit(route_class: RouteClass, page: LimitPage | None = None) -> RateLimit:
    """The dependency that limits ``route_class``: ``Depends(rate_limit("pages"))``; with
    ``page``, a browser refused gets that page (see :class:`RateLimit`)."""
    return RateLimit(route_class, page)
