"""The label URL's fast path: everything the verification hot path does for speed alone,
in one place. The rest of the verification package (and all of ``verify/``) is plain
Python that would give the same answers without this module's help, only slower.

Every scan of every QR code is a ``GET /01/{gtin}/21/{serial}?S=…``, the registry's
hottest request by far. ``bench/verify_http.py`` holds its JSON answer to at least 0.60 of
a hello-world route's throughput per server CPU-second. What keeps it there:

1. :class:`ScanCache`, one per database (figures on a shared 2-core machine, 1,000,000
   labels):

   * *at most one statement per scan* (:meth:`ScanCache.scan`): the label row joined with
     what can change at any moment; everything else comes from memory. The row is
     remembered on PostgreSQL under the database's committed state, which each worker
     watches (:mod:`labeling.verification.freshness`), so a label scanned again before
     anything changed costs no statement at all, and a change is seen by every worker
     within a second. On PostgreSQL that statement is
     a network round trip: remembering it is what lifts the ratio there from ~0.30 to the
     figure in the closing note of issue 16 (``KHATEM_BENCH_DATABASE_URL``);
   * *certificate facts keyed by their database version* (:meth:`ScanCache.certificate`):
     a certificate's public facts (artisan names, scheme, standards, audit, body) cost
     four statements to load; they are kept until the certificate's version — its status
     and validity, read with every label row — changes, or :data:`FACTS_TTL` passes (an
     edited display name shows within a minute; statuses show at once). Issue 16 swaps
     the version for a database-wide counter that every worker watches: the interface
     (an id and a version in, facts out) stays;
   * *public keys* (an ``Ed25519PublicKey`` per kid: its bytes never change; its status
     comes with the label row) and *batches* (their first log leaf: immutable);
   * *the JSON answer per label and database version* (:meth:`ScanCache.json_answer`):
     a scan of a label whose row, certificate facts and day are unchanged since its last
     scan reuses that scan's JSON and ETag; only ``checked_at``, the last member, is
     written anew. Serializing the verdict model and making it cost ~40 µs of the ~180 µs
     a scan costs; a hit costs ~2 µs.

2. :class:`LabelUrlFastPath`, an ASGI middleware (ADR 0005): it answers ordinary scans
   before FastAPI routes them, with the route's own answer function
   (:func:`labeling.verification.router.answer_label_url`), after spending the same
   rate-limit budget. Routing, the dependency solver and the middleware in between cost
   ~40 µs a request: without it the ratio was 0.40.

Whatever is not an ordinary scan goes the long way, to the declared route, which answers it
with the documented errors: a method other than GET (HEAD is made a GET without body before
this middleware), a request whose parts could exceed their bounds (422), a client over its
budget (429). A problem raised while answering (the registry database down: 503) is
answered here as the route's handler would, without verifying again; any other exception
goes to the route too. The fast path serves only the path of a route that the route guard
walk admitted as ``public`` and that depends on nothing else than its rate limit, matched
with that route's own pattern (:func:`label_url_pattern`): building the app fails
otherwise, so it can never open what the guards close or skip what the route requires.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import compile_path

from core.auth import api_routes, public, route_guard
from core.problems import Problem, problem_response
from core.rate_limit import RouteClass, spend
from labeling.verification.evidence import evidence_of
from labeling.verification.facts import BY_ID, CertificateRecord, load_certificates, utc
from labeling.verification.freshness import StateWatch, local_generation
from labeling.verification.items import BY_ID as ITEM_BY_ID
from labeling.verification.items import load_items
from labeling.verification.repository import ReadConnection
from labeling.verification.representation import JsonAnswer
from labeling.verification.source import OnlineSource
from verify.item import ItemFacts
from verify.label_codec import LabelToken
from verify.verifier import FUTURE_TOLERANCE, CopyEvidence, KeyFacts

__all__ = ["FACTS_TTL", "LabelUrlFastPath", "ScanCache", "label_url_pattern"]

#: Seconds the cached public facts of a certificate (names, scheme, audit) may be old.
#: Statuses never come from this cache.
FACTS_TTL: Final = 60.0
#: Bounds of the caches (entries); past them a cache starts afresh.
FACTS_CACHE_SIZE: Final = 20_000
BATCH_CACHE_SIZE: Final = 100_000
ROW_CACHE_SIZE: Final = 200_000
ANSWER_CACHE_SIZE: Final = 32_768


@dataclass(frozen=True, slots=True)
class PublicKey:
    public_key: Ed25519PublicKey
    not_before: datetime


@dataclass(frozen=True, slots=True)
class _Facts:
    version: Hashable
    loaded: float
    generation: int  # a new number for every load: answers made from it name it
    record: CertificateRecord


@dataclass(frozen=True, slots=True)
class _Batch:
    first_log_index: int | None
    completed_at: datetime | None
    first_id: int
    contiguous: bool


class ScanCache:
    """The verification path's memory of one database (thread-safe: dict operations are
    atomic, and a racing reload only does the same work twice)."""

    def __init__(self, db: ReadConnection, watch: StateWatch | None = None) -> None:
        self.db = db
        self.watch = watch
        self._rows: dict[tuple[str, str], tuple[Hashable, Any]] = {}
        self._uris: dict[str, Hashable] = {}
        self._keys: dict[str, PublicKey] = {}
        self._facts: dict[int, _Facts] = {}
        self._batches: dict[int, _Batch] = {}
        self._answers: dict[Hashable, JsonAnswer] = {}
        self._evidence: dict[tuple[int, int], tuple[CopyEvidence, ...]] = {}
        #: Counts one scan of a label (:meth:`ScanTelemetry.count`), or None: not counted.
        self.count_scan: Callable[[int, date, str], None] | None = None
        self._items: dict[int, tuple[int, ItemFacts | None]] = {}
        self._generations = itertools.count()

    # ------------------------------------------------------------------ scans

    def current_version(self) -> Hashable | None:
        """The state version remembered rows are valid under now, or None (read them)."""
        watched = self.watch.version() if self.watch is not None else None
        return (watched, local_generation()) if watched is not None else None

    def remembers(self, uri: str) -> bool:
        """Whether scanning ``uri`` needs no statement (its row is remembered under the
        current version): the routes then answer it on the event loop, without a hop to a
        worker thread (~40 µs a scan; a scan that waits on PostgreSQL takes the hop)."""
        version = self.current_version()
        return version is not None and self._uris.get(uri) == version

    def remember_uri(self, uri: str, version: Hashable | None, source: OnlineSource) -> None:
        """Note that ``uri`` was scanned under ``version``, if its row was found (a label the
        registry does not have is read again each time, never on the event loop)."""
        if version is None or source.row is None:
            return
        if len(self._uris) >= ROW_CACHE_SIZE:
            self._uris.clear()
        self._uris[uri] = version

    def scan(self, token: LabelToken | None) -> OnlineSource:
        """A source for one verification: the label's row, as of the registry's state
        version if the watch vouches for one (then no statement), else read now."""
        if token is None:
            return OnlineSource(self, None)
        version = self.current_version()
        key = (token.gtin, token.serial)
        if version is not None:
            remembered = self._rows.get(key)
            if remembered is not None and remembered[0] == version:
                return OnlineSource(self, remembered[1])
        row = self.db.label(token.gtin, token.serial)
        if version is not None and row is not None:
            # Labelled with the version read before the row: never newer than the row.
            if len(self._rows) >= ROW_CACHE_SIZE:
                self._rows.clear()
            self._rows[key] = (version, row)
        return OnlineSource(self, row)

    # ------------------------------------------------------------------ keys

    def public_key(self, kid: str) -> PublicKey | None:
        key = self._keys.get(kid)
        if key is None:
            row = self.db.key(kid)
            if row is None:
                return None  # unknown kids are not cached: junk must not grow the cache
            key = self._keys[kid] = PublicKey(
                Ed25519PublicKey.from_public_bytes(bytes(row.public_key)),
                utc(row.not_before),  # type: ignore[arg-type]
            )
        return key

    def current_key(self, kid: str) -> KeyFacts | None:
        """The key with its status read now (a scan whose label row does not carry it)."""
        row = self.db.key(kid)
        key = self.public_key(kid) if row is not None else None
        if row is None or key is None:
            return None
        return KeyFacts(
            kid=kid,
            public_key=key.public_key,
            not_before=key.not_before,
            retired_at=utc(row.retired_at),
            compromised_since=utc(row.compromised_since),
        )

    # ------------------------------------------------------------------ certificates

    def certificate(self, certificate_id: int, version: Hashable) -> CertificateRecord | None:
        """The certificate's public facts, as of ``version`` (read with the label row)."""
        cached = self._facts.get(certificate_id)
        now = time.monotonic()
        if cached is not None and self._fresh(cached, version, now):
            return cached.record
        found = load_certificates(self.db.run, self.db.mark, where=BY_ID, params=(certificate_id,))
        if not found:
            return None
        if len(self._facts) >= FACTS_CACHE_SIZE:
            self._facts.clear()
        self._facts[certificate_id] = _Facts(version, now, next(self._generations), found[0])
        return found[0]

    @staticmethod
    def _fresh(cached: _Facts, version: Hashable, now: float) -> bool:
        return cached.version == version and now - cached.loaded < FACTS_TTL

    def certificate_by_code(self, code: int) -> CertificateRecord | None:
        found = self.db.certificate_version(code)
        return self.certificate(*found) if found is not None else None

    # ------------------------------------------------------------------ evidence

    def evidence(self, label_id: int, marks: int) -> tuple[CopyEvidence, ...]:
        """The evidence that the label was copied, as of its ``marks`` count (read with its
        row): no statement for a label without marks, one per new count otherwise."""
        if not marks:
            return ()
        key = (label_id, int(marks))
        found = self._evidence.get(key)
        if found is None:
            found = evidence_of(self.db.marks(label_id))
            if len(self._evidence) >= FACTS_CACHE_SIZE:
                self._evidence.clear()
            self._evidence[key] = found
        return found

    # ------------------------------------------------------------------ items

    def item(self, product_line_id: int, version: int) -> ItemFacts | None:
        """The item facts of a product line as of ``version`` (its ``item_version``, read
        with the label row: a description or photo change is seen on the next scan)."""
        cached = self._items.get(product_line_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        found = load_items(self.db.run, self.db.mark, where=ITEM_BY_ID, params=(product_line_id,))
        facts = found[product_line_id][1] if product_line_id in found else None
        if len(self._items) >= FACTS_CACHE_SIZE:
            self._items.clear()
        self._items[product_line_id] = (version, facts)
        return facts

    # ------------------------------------------------------------------ log

    def leaf_index(self, batch_id: int, label_id: int) -> tuple[int | None, datetime | None]:
        """The label's ``label.issued`` leaf: its batch's first leaf plus its rank in the
        batch (labels and leaves are written in the same order, in one transaction)."""
        batch = self._batches.get(batch_id)
        if batch is None:
            row = self.db.batch(batch_id)
            if row is None:
                return None, None
            first_index, completed_at, first_id, last_id, count = row
            batch = _Batch(
                None if first_index is None else int(first_index),
                utc(completed_at),
                int(first_id),
                int(last_id) - int(first_id) + 1 == int(count),
            )
            if first_index is not None:
                if len(self._batches) >= BATCH_CACHE_SIZE:
                    self._batches.clear()
                self._batches[batch_id] = batch
        if batch.first_log_index is None:
            return None, batch.completed_at
        if batch.contiguous:
            rank = label_id - batch.first_id
        else:  # ids interleaved with a concurrent batch (PostgreSQL): count, once per scan
            rank = self.db.rank_in_batch(batch_id, label_id)
        return batch.first_log_index + rank, batch.completed_at

    def tree_size(self) -> int | None:
        return self.db.latest_tree_size()

    # ------------------------------------------------------------------ answers

    def json_answer(
        self,
        token: LabelToken,
        source: OnlineSource,
        now: datetime,
        make: Callable[[], JsonAnswer],
    ) -> JsonAnswer:
        """The JSON answer of ``token``'s verdict as of ``now``: ``make`` makes it, unless
        an earlier scan of the same label made it from the same row, certificate facts
        and day; then only ``checked_at`` (the last member) is written anew."""
        key = self._answer_key(token, source, now)
        found = self._answers.get(key) if key is not None else None
        if found is None:
            found = make()
            key = self._answer_key(token, source, now)  # the facts are loaded by now
            if key is not None:
                if len(self._answers) >= ANSWER_CACHE_SIZE:
                    self._answers.clear()
                self._answers[key] = found
        return found.checked_at(now)

    def _answer_key(
        self, token: LabelToken, source: OnlineSource, now: datetime
    ) -> Hashable | None:
        """What the verdict on ``token`` rests on besides the day, or None when it rests on
        something read afresh on every scan (a label the registry does not have, a key
        other than the label's, an issue time in the future: those verdicts are made anew
        each time, as is anything said about junk)."""
        row = source.row
        if row is None or row.kid != token.kid or token.issued_at > now + FUTURE_TOLERANCE:
            return None
        facts = self._facts.get(row.certificate_id)
        if facts is None or not self._fresh(facts, row.certificate_version, time.monotonic()):
            return None
        return (token, row, facts.generation, now.date())


# ------------------------------------------------------------------------ middleware

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
    from labeling.verification.router import SCAN_LIMIT, label_url  # the router uses this module

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
        from labeling.verification.router import answer_label_url, needs_bounds_check

        self.app = app
        self.pattern, self.route_class = label_url
        self.answer = answer_label_url
        self.needs_bounds_check = needs_bounds_check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope.get("root_path")
            and self.pattern.match(scope["path"])
            and not self.needs_bounds_check(scope)
        ):
            request = Request(scope, receive)
            if not spend(request, self.route_class):
                try:
                    response = await self.answer(request)
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
