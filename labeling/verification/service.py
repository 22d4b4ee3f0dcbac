"""Online verification: a label URI in, a :class:`verify.verdict.Verdict` out.

:func:`verify_uri` and :func:`verify_uris` are what every online channel calls (the JSON
API, the bulk API, the label page, the CSV upload page). They never raise on bad input:
a malformed, truncated, oversized or tampered URI is an INVALID verdict with its reason.

Pass the request's settings (``SettingsDep``) from a route; without them the process-wide
:func:`core.settings.get_settings` names the database.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final

from core.settings import Settings, get_settings
from labeling.verification.repository import close_connections, read_connection
from labeling.verification.source import Registry
from verify.label_codec import LabelFormatError, parse_label_uri
from verify.verdict import Verdict, verify_label, verify_token

__all__ = ["MAX_BULK_LABELS", "forget_registry", "registry_for", "verify_uri", "verify_uris"]

#: The most labels one bulk call may carry (documented in docs/retailer-api.md).
MAX_BULK_LABELS: Final = 1_000

_REGISTRIES: dict[str, Registry] = {}
_ASSUMPTIONS: dict[tuple[str, ...], Mapping[str, Any]] = {}
_LOCK = threading.Lock()


def registry_for(settings: Settings | None = None) -> Registry:
    """The registry caches and read connections of the configured database (one per URL)."""
    url = (settings or get_settings()).resolved_database_url
    registry = _REGISTRIES.get(url)
    if registry is None:
        with _LOCK:
            registry = _REGISTRIES.get(url)
            if registry is None:
                registry = _REGISTRIES[url] = Registry(read_connection(url))
    return registry


def forget_registry(settings: Settings) -> None:
    """Drop the caches and close the read connections of ``settings``' database (tests,
    or a worker shutting down)."""
    url = settings.resolved_database_url
    with _LOCK:
        _REGISTRIES.pop(url, None)
    close_connections(url)


def _assumptions(assumptions: tuple[str, ...]) -> Mapping[str, Any]:
    """``{"assumptions": assumptions}``, one read-only mapping per set of placeholders (a
    handful: the catalogue's), which the JSON writer then finds by identity."""
    extra = _ASSUMPTIONS.get(assumptions)
    if extra is None:
        extra = _ASSUMPTIONS[assumptions] = MappingProxyType({"assumptions": assumptions})
    return extra


def _verify(uri: object, registry: Registry, now: datetime) -> Verdict:
    source = registry.source()
    try:
        token = parse_label_uri(uri)  # type: ignore[arg-type]
    except LabelFormatError:
        # Not a label: the shared verifier turns the parse failure into INVALID + reason.
        return verify_label(uri, source, now=now)  # type: ignore[arg-type]
    source.prefetch(token)
    verdict = verify_token(token, source, now=now)
    if source.assumptions and verdict.certificate is not None:
        # Catalogue records the seed data marks as placeholders: the pages say so.
        extra = _assumptions(source.assumptions)
        verdict = verdict.with_extra({**verdict.extra, **extra} if verdict.extra else extra)
    return verdict


def verify_uri(
    uri: str, *, now: datetime | None = None, settings: Settings | None = None
) -> Verdict:
    """Verify one label URI against the live registry (never raises on bad input)."""
    return _verify(uri, registry_for(settings), now or datetime.now(UTC))


def verify_uris(
    uris: Sequence[str], *, now: datetime | None = None, settings: Settings | None = None
) -> list[Verdict]:
    """Verify many label URIs, one verdict per URI in order, all as of the same instant.

    Callers enforce :data:`MAX_BULK_LABELS`; this function verifies whatever it is given.
    """
    registry = registry_for(settings)
    at = now or datetime.now(UTC)
    return [_verify(uri, registry, at) for uri in uris]
