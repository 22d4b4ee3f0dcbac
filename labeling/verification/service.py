"""Online verification: a label URI in, a :class:`verify.verdict.Verdict` out.

:func:`verify_uri` and :func:`verify_uris` are what every online channel calls (the JSON
API, the bulk API, the label page, the CSV upload page); :func:`verify_uri_json` is
:func:`verify_uri` written as the JSON answer of the label URL and ``GET /api/v1/verify``.
They never raise on bad input: a malformed, truncated, oversized or tampered URI is an
INVALID verdict with its reason.

Pass the request's settings (``SettingsDep``) from a route; without them the process-wide
:func:`core.settings.get_settings` names the database. A route answering a scan passes
``scanned_from`` (the scan's coarse country, ``""`` when unknown): the scan of a label the
registry has is then counted (:mod:`labeling.verification.telemetry`); other callers (a
retailer's receipts) are not scans and pass nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from core.settings import Settings, get_settings
from labeling.verification import representation as rep
from labeling.verification.fast_path import ScanCache
from labeling.verification.freshness import release_state_watch, state_watch
from labeling.verification.repository import close_connections, read_connection
from labeling.verification.source import OnlineSource
from labeling.verification.telemetry import forget_telemetry, telemetry_for
from verify.label_codec import LabelFormatError, LabelToken, parse_label_uri
from verify.verdict import Verdict
from verify.verifier import verify_label, verify_token

__all__ = [
    "MAX_BULK_LABELS",
    "forget_database",
    "forget_registry",
    "scan_cache_for",
    "verify_uri",
    "verify_uri_json",
    "verify_uris",
]

#: The most labels one bulk call may carry (documented in docs/retailer-api.md).
MAX_BULK_LABELS: Final = 1_000

_CACHES: dict[str, ScanCache] = {}
_LOCK = threading.Lock()


def scan_cache_for(settings: Settings | None = None) -> ScanCache:
    """The read connections and caches of the configured database (one per URL)."""
    url = (settings or get_settings()).resolved_database_url
    cache = _CACHES.get(url)
    if cache is None:
        with _LOCK:
            cache = _CACHES.get(url)
            if cache is None:
                cache = ScanCache(read_connection(url), state_watch(url))
                telemetry = telemetry_for(settings)
                cache.count_scan = telemetry.count if telemetry.enabled else None
                _CACHES[url] = cache
    return cache


def forget_registry(settings: Settings) -> None:
    """Drop the caches, stop the state watch and close the read connections of
    ``settings``' database (a worker shutting down; tests)."""
    forget_database(settings.resolved_database_url)


def forget_database(url: str) -> None:
    """:func:`forget_registry` by database URL."""
    with _LOCK:
        _CACHES.pop(url, None)
    forget_telemetry(url)
    release_state_watch(url)
    close_connections(url)


def _token(uri: object) -> LabelToken | None:
    try:
        return parse_label_uri(uri)  # type: ignore[arg-type]
    except LabelFormatError:
        return None


def _verify(token: LabelToken, source: OnlineSource, now: datetime) -> Verdict:
    verdict = verify_token(token, source, now=now)
    if source.assumptions and verdict.certificate is not None:
        # Catalogue records the seed data marks as placeholders: the pages say so.
        verdict = verdict.model_copy(update={"assumptions": source.assumptions})
    return verdict


def _counted(cache: ScanCache, source: OnlineSource, at: datetime, country: str | None) -> None:
    """Count the scan of a label the registry has (``country`` None: not a scan)."""
    row = source.row
    count = cache.count_scan
    if country is not None and row is not None and count is not None:
        count(row.label_id, at.date(), country)


def _verify_uri(uri: str, cache: ScanCache, now: datetime, country: str | None) -> Verdict:
    token = _token(uri)
    if token is None:
        # Not a label: the verifier turns the parse failure into INVALID + reason.
        return verify_label(uri, cache.scan(None), now=now)
    version = cache.current_version()
    source = cache.scan(token)
    verdict = _verify(token, source, now)
    cache.remember_uri(uri, version, source)
    _counted(cache, source, now, country)
    return verdict


def verify_uri(
    uri: str,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    scanned_from: str | None = None,
) -> Verdict:
    """Verify one label URI against the live registry (never raises on bad input)."""
    return _verify_uri(uri, scan_cache_for(settings), now or datetime.now(UTC), scanned_from)


def verify_uris(
    uris: Sequence[str],
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    scanned_from: str | None = None,
) -> list[Verdict]:
    """Verify many label URIs, one verdict per URI in order, all as of the same instant.

    Callers enforce :data:`MAX_BULK_LABELS`; this function verifies whatever it is given.
    """
    cache = scan_cache_for(settings)
    at = now or datetime.now(UTC)
    return [_verify_uri(uri, cache, at, scanned_from) for uri in uris]


def verify_uri_json(
    uri: str,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    scanned_from: str | None = None,
) -> rep.JsonAnswer:
    """:func:`verify_uri`'s verdict as its JSON answer (:func:`rep.json_answer`)."""
    cache = scan_cache_for(settings)
    at = now or datetime.now(UTC)
    token = _token(uri)
    if token is None:
        return rep.json_answer(verify_label(uri, cache.scan(None), now=at))
    version = cache.current_version()
    source = cache.scan(token)
    answer = cache.json_answer(
        token, source, at, lambda: rep.json_answer(_verify(token, source, at))
    )
    cache.remember_uri(uri, version, source)
    _counted(cache, source, at, scanned_from)
    return answer
