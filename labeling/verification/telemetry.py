"""Scan telemetry that watches labels, not people: per-label, per-day scan counters.

Every scan of a label URL (the page, its JSON, ``GET /api/v1/verify``, the bulk API,
``/v/{serial}``) of a label the registry has is counted here: label, day (UTC), and a
coarse country only where a trusted proxy header names one
(``KHATEM_SCAN_COUNTRY_HEADER``, unset by default; anything but an ISO 3166 alpha-2 code is
unknown, ``""``). Nothing else about the request is read: no IP address, user agent,
cookie or identifier reaches this module (docs/privacy.md).

**Why in memory, in batches.** A row written per scan would cost a write transaction per
scan (SQLite's single writer; a PostgreSQL round trip and WAL flush), more than the whole
~180 µs a scan costs. :meth:`ScanTelemetry.count` is a dictionary increment under a lock
(well under a microsecond), and a flush is one upsert statement for the whole batch (see
``_UPSERT_SQL``). What that buys, as ``bench/verify_http.py`` measures it (JSON verify,
SQLite, 1,000,000 labels, ~12,000 label-day entries a flush; 2026-12-07): the flush thread
uses 1.7–2.2 % of the server's CPU, and telemetry on ÷ off per server CPU-second is 0.99
with both servers loaded at once (median of 5 rounds), 0.85–1.03 over four runs with the
rounds one after the other (0.72–0.81 when the flush was an ``executemany`` of one upsert
per row, whose per-row hand-offs of the interpreter stalled the event loop).
Counts are written, summed into ``scan_counter``
rows, in one transaction:

* every ``KHATEM_SCAN_FLUSH_SECONDS`` (5 s) by a background thread,
* sooner when ``KHATEM_SCAN_FLUSH_MAX_PENDING`` label-day-country entries wait,
* and at shutdown (the app lifespan stops the thread after a last flush).

**What a crash may lose:** the counts of the last flush interval (5 s by default) and of a
flush under way — counts only, never a receipt, report, mark or webhook event. A flush
that fails (the database busy or down) keeps its counts for the next one.

The same transaction checks the labels it counted against the thresholds
(``KHATEM_SUSPICIOUS_*``) and marks those that crossed one and stand unmarked
(:func:`labeling.verification.suspicion.mark_crossings`: the mark and its
``label.suspicious`` webhook event together). Counters older than
``KHATEM_SCAN_RETENTION_DAYS`` are pruned by the same periodic job, at most once an hour.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from babel import Locale
from fastapi import FastAPI, Request
from sqlalchemy import delete
from sqlmodel import Session, col, select

from core.db import new_session
from core.settings import Settings, get_settings
from labeling.verification.evidence import evidence_text
from labeling.verification.freshness import NO_VERDICT_CHANGE
from labeling.verification.suspicion import mark_crossings
from schemas.labels import Label
from schemas.retailers import MarkReason
from schemas.telemetry import UNKNOWN_COUNTRY, ScanCounter

__all__ = [
    "ScanTelemetry",
    "count_printed",
    "country_of",
    "forget_telemetry",
    "scan_country",
    "scan_telemetry",
    "telemetry_for",
]

_log = logging.getLogger(__name__)

#: CLDR's territories that are not ISO 3166-1 alpha-2 country codes (exceptional or
#: user-assigned reservations, groupings, "unknown").
_NOT_COUNTRIES: Final = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
#: ISO 3166-1 alpha-2 codes (from Babel's CLDR data, already a dependency).
COUNTRIES: Final = frozenset(
    code
    for code in map(str, Locale("en").territories)
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)
#: How often the counters past their retention are pruned (seconds).
PRUNE_EVERY: Final = 3600.0

Key = tuple[int, date, str]


def country_of(headers: Iterable[tuple[bytes, bytes]], header: bytes | None) -> str:
    """The scan's coarse country from the trusted proxy's header (lower-case name), or
    ``""``: no header configured, absent, or not an ISO 3166 alpha-2 code."""
    if header is None:
        return UNKNOWN_COUNTRY
    for name, value in headers:
        if name == header:
            code = value.decode("latin-1").strip().upper()
            return code if code in COUNTRIES else UNKNOWN_COUNTRY
    return UNKNOWN_COUNTRY


def scan_country(request: Request, settings: Settings) -> str:
    """The scan's coarse country for the counters: the configured trusted proxy header's
    ISO 3166 alpha-2 code, else ``""``. Nothing else of the request is read."""
    header = settings.scan_country_header
    if header is None:
        return UNKNOWN_COUNTRY
    return country_of(request.scope["headers"], header.lower().encode("latin-1"))


def count_printed(
    session: Session, keys: Sequence[tuple[str, str]], country: str, settings: Settings
) -> None:
    """Count a scan of the short address ``/v/{serial}`` for the labels it showed
    (``(gtin, serial)``; one small query, off the label URL's hot path)."""
    telemetry = telemetry_for(settings)
    if not keys or not telemetry.enabled:
        return
    today = datetime.now(UTC).date()
    for gtin, serial in keys:
        label_id = session.exec(
            select(Label.id).where(Label.gtin == gtin, Label.serial == serial)
        ).first()
        if label_id is not None:
            telemetry.count(int(label_id), today, country)


class ScanTelemetry:
    """The counts of one database, waiting to be written (thread-safe)."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self.settings = settings
        self.enabled = settings.scan_telemetry
        self._counts: dict[Key, int] = {}
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_at = float("-inf")  # prune at the first round

    # ------------------------------------------------------------------ the hot path

    def count(self, label_id: int, day: date, country: str) -> None:
        """One scan of the label on ``day`` from ``country`` (``""``: unknown)."""
        key = (label_id, day, country)
        with self._lock:
            counts = self._counts
            counts[key] = counts.get(key, 0) + 1
            full = len(counts) >= self.settings.scan_flush_max_pending
        if full:
            self._wake.set()

    def pending(self) -> int:
        """Scans counted and not yet written."""
        with self._lock:
            return sum(self._counts.values())

    # ------------------------------------------------------------------ writing

    def flush(self, *, now: datetime | None = None) -> int:
        """Write the waiting counts in one transaction (and mark the labels that crossed a
        threshold); how many scans were written. On failure they wait for the next flush."""
        with self._flush_lock:
            with self._lock:
                batch, self._counts = self._counts, {}
            if not batch:
                return 0
            try:
                with new_session(self.url) as session:
                    _add_counts(session, batch)
                    marked = _mark_crossings(session, batch, self.settings, now)
                    # Counts alone change no verdict: the workers' remembered label rows
                    # stay valid (labeling.verification.freshness); a new mark does not.
                    session.info[NO_VERDICT_CHANGE] = not marked
                    session.commit()
            except Exception:  # noqa: BLE001 - the database busy or down: retry next time
                _log.warning("scan counts not written; kept for the next flush", exc_info=True)
                with self._lock:
                    for key, scans in batch.items():
                        self._counts[key] = self._counts.get(key, 0) + scans
                return 0
            return sum(batch.values())

    def prune(self, *, today: date | None = None) -> int:
        """Delete counters older than the retention period; how many rows went."""
        cutoff = (today or datetime.now(UTC).date()) - timedelta(
            days=self.settings.scan_retention_days
        )
        with new_session(self.url) as session:
            result = session.execute(delete(ScanCounter).where(col(ScanCounter.day) < cutoff))
            session.commit()
        return int(getattr(result, "rowcount", 0) or 0)

    # ------------------------------------------------------------------ the job

    def start(self) -> None:
        if self._thread is None and self.enabled:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="khatem-scans", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the job after a last flush (the app shutting down)."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=30)
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.settings.scan_flush_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return  # stop() makes the last flush
            self.flush()
            if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
                try:
                    self.prune()
                    self._pruned_at = time.monotonic()
                except Exception:  # noqa: BLE001 - tried again at the next round
                    _log.warning("scan counters not pruned", exc_info=True)


# The batch travels as ONE statement and one parameter (a JSON array on SQLite, arrays on
# PostgreSQL), not an ``executemany`` of one upsert per row: the sqlite3 driver lets go of
# the interpreter around every row it steps, so under load each of ~12,000 rows a flush
# (bench/verify_http.py) waited for the event loop's thread to hand the interpreter back.
_UPSERT_SQL: Final = {
    "sqlite": (
        "INSERT INTO scan_counter (label_id, day, country, scans)"
        " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
        " json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(?) WHERE true"
    ),
    "postgresql": (
        "INSERT INTO scan_counter (label_id, day, country, scans)"
        " SELECT * FROM unnest(%s::bigint[], %s::date[], %s::varchar[], %s::integer[])"
    ),
}
_ON_CONFLICT: Final = (
    " ON CONFLICT (label_id, day, country)"
    " DO UPDATE SET scans = scan_counter.scans + excluded.scans"
)
#: The known countries each label of the batch was scanned from since a day: one statement
#: and one parameter for the whole batch, as for the upsert.
_COUNTRIES_SQL: Final = {
    "sqlite": (
        "SELECT DISTINCT label_id, country FROM scan_counter"
        " WHERE day >= ? AND country != ? AND label_id IN (SELECT value FROM json_each(?))"
    ),
    "postgresql": (
        "SELECT DISTINCT label_id, country FROM scan_counter"
        " WHERE day >= %s AND country <> %s AND label_id = ANY(%s)"
    ),
}
_BUSY_SQL: Final = {
    "sqlite": (
        "SELECT label_id, SUM(scans) FROM scan_counter"
        " WHERE day >= ? AND label_id IN (SELECT value FROM json_each(?))"
        " GROUP BY label_id HAVING SUM(scans) > ?"
    ),
    "postgresql": (
        "SELECT label_id, SUM(scans) FROM scan_counter"
        " WHERE day >= %s AND label_id = ANY(%s)"
        " GROUP BY label_id HAVING SUM(scans) > %s"
    ),
}


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _add_counts(session: Session, batch: dict[Key, int]) -> None:
    """Add the batch to the counters in one upsert statement (in key order, so that two
    workers' flushes lock rows in the same order)."""
    keys = sorted(batch)
    scans = [batch[key] for key in keys]
    label_ids, days, countries = (list(column) for column in zip(*keys, strict=True))
    connection = session.connection()
    if _sqlite(session):
        iso = {day: day.isoformat() for day in set(days)}
        rows = zip(label_ids, map(iso.__getitem__, days), countries, scans, strict=True)
        connection.exec_driver_sql(_UPSERT_SQL["sqlite"] + _ON_CONFLICT, (json.dumps(list(rows)),))
    else:
        connection.exec_driver_sql(
            _UPSERT_SQL["postgresql"] + _ON_CONFLICT, (label_ids, days, countries, scans)
        )


def _mark_crossings(
    session: Session, batch: dict[Key, int], settings: Settings, now: datetime | None
) -> bool:
    """Mark the labels of ``batch`` whose counters crossed a threshold (the country one
    only for labels this batch saw from a known country: no other can have crossed it);
    whether any mark was added."""
    today = (now or datetime.now(UTC)).date()
    ids = sorted({label_id for label_id, _, _ in batch})
    placed = sorted({label_id for label_id, _, country in batch if country})
    window = settings.suspicious_country_window_days
    travelled = {
        label_id: evidence_text(countries=countries, window_days=window)
        for label_id, countries in _countries(session, placed, settings, today)
    }
    marked = mark_crossings(
        session,
        reason=MarkReason.SCANNED_IN_MANY_COUNTRIES,
        evidence=travelled,
        at=now,
        settings=settings,
    )
    window = settings.suspicious_scan_window_days
    busy = {
        label_id: evidence_text(scans=scans, window_days=window)
        for label_id, scans in _busy(session, ids, settings, today)
    }
    marked |= mark_crossings(
        session, reason=MarkReason.SCANNED_TOO_OFTEN, evidence=busy, at=now, settings=settings
    )
    return marked


def _countries(
    session: Session, ids: Sequence[int], settings: Settings, today: date
) -> Iterator[tuple[int, list[str]]]:
    """The labels of ``ids`` scanned from more known countries than the limit within the
    window, with those countries (marked already or not: :func:`mark_crossings` asks)."""
    if not ids:
        return
    since = today - timedelta(days=settings.suspicious_country_window_days - 1)
    params: tuple[Any, ...]
    if _sqlite(session):
        sql = _COUNTRIES_SQL["sqlite"]
        params = (since.isoformat(), UNKNOWN_COUNTRY, json.dumps(list(ids)))
    else:
        sql, params = _COUNTRIES_SQL["postgresql"], (since, UNKNOWN_COUNTRY, list(ids))
    seen: dict[int, list[str]] = {}
    for label_id, country in session.connection().exec_driver_sql(sql, params):
        seen.setdefault(int(label_id), []).append(str(country))
    for label_id in sorted(seen):
        if len(seen[label_id]) > settings.suspicious_country_limit:
            yield label_id, sorted(seen[label_id])


def _busy(
    session: Session, ids: Sequence[int], settings: Settings, today: date
) -> Iterator[tuple[int, int]]:
    """The labels of ``ids`` scanned more times than the limit within the window, with
    their scans (marked already or not: :func:`mark_crossings` asks)."""
    since = today - timedelta(days=settings.suspicious_scan_window_days - 1)
    limit = settings.suspicious_scan_limit
    params: tuple[Any, ...]
    if _sqlite(session):
        sql, params = _BUSY_SQL["sqlite"], (since.isoformat(), json.dumps(list(ids)), limit)
    else:
        sql, params = _BUSY_SQL["postgresql"], (since, list(ids), limit)
    for label_id, scans in session.connection().exec_driver_sql(sql, params):
        yield int(label_id), int(scans)


# ---------------------------------------------------------------------------- registry

_TELEMETRY: dict[str, ScanTelemetry] = {}
_LOCK = threading.Lock()


def telemetry_for(settings: Settings | None = None) -> ScanTelemetry:
    """The counts of the configured database (one object per database URL)."""
    settings = settings or get_settings()
    url = settings.resolved_database_url
    found = _TELEMETRY.get(url)
    if found is None:
        with _LOCK:
            found = _TELEMETRY.setdefault(url, ScanTelemetry(url, settings))
    return found


def forget_telemetry(url: str) -> None:
    """Flush and drop the counts of ``url`` (a worker shutting down; tests)."""
    with _LOCK:
        found = _TELEMETRY.pop(url, None)
    if found is not None:
        found.stop()


@asynccontextmanager
async def scan_telemetry(app: FastAPI) -> Any:
    """App lifespan: the flush job while the app serves, a last flush at shutdown."""
    settings = getattr(app.state, "settings", None)
    telemetry = telemetry_for(settings if isinstance(settings, Settings) else None)
    telemetry.start()
    try:
        yield
    finally:
        forget_telemetry(telemetry.url)
