"""Appending registry events to the log: the one seam every domain writes through.

A leaf's data is the RFC 8785 canonical JSON (:func:`verify.canonical.canonical_json`:
sorted keys, no spaces, UTF-8) of ``{"type": ..., "at": ..., **payload}``. Payloads hold
event types, times, public ids, reason codes and content hashes — never personal data
(:data:`PRIVATE_FIELDS` are refused outright, as a safety net).

Services call :func:`append_event` (or :func:`append_events` for a batch, or
:func:`append_uniform_events` for many events of one shape) inside their own
transaction, before they commit, so an event is logged if and only if the change it
records is committed. The appender, in the caller's transaction:

1. validates and serialises every event, before taking any lock;
2. takes the log's writer lock (an advisory lock on PostgreSQL; SQLite transactions
   already begin IMMEDIATE) and reads the committed tree size ``n``;
3. loads the tree's right edge (cached per process, keyed by size: see ``frontier``);
4. hashes the leaves (RFC 9162: ``SHA-256(0x00 || data)``) into the edge, collecting
   every perfect subtree they complete;
5. inserts the leaves ``n, n+1, …`` and those subtrees of level 3 and above (levels 1
   and 2 are recomputed from the leaves when read) with one ``executemany`` each.

Leaf indexes are therefore dense: a rolled-back transaction leaves no gap, and two writers
never share an index (the second waits for the first's commit, then reads the new size).
On PostgreSQL this relies on READ COMMITTED (the default): the size is read by a statement
that starts after the lock is granted. Under REPEATABLE READ a stale size would collide
with the primary key and fail the transaction — never reuse an index silently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import chain, repeat
from operator import methodcaller
from typing import Any, NamedTuple

from sqlmodel import Session

from labeling.translog import store
from labeling.translog.frontier import load_frontier, record_frontier
from schemas.types import utcnow
from verify.canonical import CanonicalError, canonical_json, json_string

__all__ = [
    "LOG_LOCK_KEY",
    "MAX_BATCH",
    "PRIVATE_FIELDS",
    "LogEvent",
    "LogEventError",
    "append_event",
    "append_events",
    "append_uniform_events",
    "canonical_payload",
    "format_time",
]

LOG_LOCK_KEY = store.LOG_LOCK_KEY
MAX_BATCH = 1_000_000
MAX_STRING = 512
MAX_INTEGER = 2**53 - 1  # beyond this, JSON numbers lose precision in common parsers
EVENT_TYPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")

#: Keys that name personal or free-text data; a payload that carries one is refused.
PRIVATE_FIELDS = frozenset(
    {
        "address",
        "cin",
        "display_name",
        "display_name_arabic",
        "display_name_latin",
        "email",
        "national_id",
        "notes",
        "password",
        "phone",
        "reason_text",
    }
)


class LogEventError(ValueError):
    """An event cannot become a log leaf (bad type, reserved or private key, bad value)."""


class LogEvent(NamedTuple):
    """One event to append: a dotted type (``certificate.suspended``) and its payload."""

    event_type: str
    payload: Mapping[str, Any]


def format_time(at: datetime) -> str:
    """The leaf's time text: UTC, microseconds, ``Z`` (e.g. ``2026-11-22T13:38:44.865374Z``)."""
    if at.utcoffset() is None:
        raise LogEventError("event times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_value(value: Any, depth: int = 0) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            raise LogEventError("integers in a log payload must fit in 53 bits")
    elif isinstance(value, str):
        if len(value) > MAX_STRING:
            raise LogEventError(f"strings in a log payload are at most {MAX_STRING} characters")
    elif isinstance(value, list | tuple) and depth < 4:
        for item in value:
            _check_value(item, depth + 1)
    elif isinstance(value, Mapping) and depth < 4:
        _check_keys(value)
        for item in value.values():
            _check_value(item, depth + 1)
    else:
        # The log's numbers are integers (docs/transparency-log.md): no floats. Anything
        # else is not JSON at all.
        raise LogEventError(f"a log payload cannot hold {type(value).__name__} values here")


def _check_keys(payload: Mapping[str, Any]) -> None:
    for key in payload:
        if not isinstance(key, str):
            raise LogEventError("log payload keys must be strings")
        if key in PRIVATE_FIELDS:
            raise LogEventError(f"{key!r} is personal or free-text data; log a hash or a code")


def _check_event_type(event_type: str) -> None:
    if not isinstance(event_type, str) or len(event_type) > 40:
        raise LogEventError("event types are strings of at most 40 characters")
    if not EVENT_TYPE.fullmatch(event_type):
        raise LogEventError(f"event type {event_type[:40]!r} is not dotted lower case")


# A batch repeats the same event shape (type and payload keys) thousands of times, so each
# shape's type and keys are checked once.
_checked_shapes: set[tuple[str, tuple[Any, ...]]] = set()


def _check_shape(event_type: str, keys: tuple[Any, ...]) -> None:
    if (event_type, keys) in _checked_shapes:
        return
    _check_event_type(event_type)
    _check_keys(dict.fromkeys(keys))
    if "type" in keys or "at" in keys:
        raise LogEventError("'type' and 'at' are set by the log, not by the payload")
    if len(_checked_shapes) >= 1024:
        _checked_shapes.clear()
    _checked_shapes.add((event_type, keys))


def _leaf_data(event_type: str, at_text: str, payload: Mapping[str, Any]) -> str:
    """Validate and serialise one event: canonical JSON of ``{"type", "at", **payload}``."""
    try:
        _check_shape(event_type, tuple(payload))
    except TypeError:  # unhashable keys
        raise LogEventError("log payload keys must be strings") from None
    for value in payload.values():
        if value.__class__ is not str or len(value) > MAX_STRING:
            _check_value(value)
    try:
        return canonical_json({"type": event_type, "at": at_text, **payload}).decode("utf-8")
    except CanonicalError as exc:
        raise LogEventError(f"a log payload has no canonical JSON form: {exc}") from None


def canonical_payload(event_type: str, at: datetime, payload: Mapping[str, Any]) -> str:
    """The leaf data of an event: canonical JSON of ``{"type", "at", **payload}``."""
    return _leaf_data(event_type, format_time(at), payload)


def append_event(session: Session, *, event_type: str, payload: dict[str, Any]) -> int:
    """Append one event in the caller's transaction; returns its leaf index."""
    return append_events(session, [LogEvent(event_type, payload)])


def append_events(
    session: Session, events: Iterable[LogEvent | tuple[str, Mapping[str, Any]]]
) -> int:
    """Append events, in order, in the caller's transaction; returns the first leaf index.

    Raises :class:`LogEventError` (before touching the database) if any event is invalid,
    or if the batch is empty or larger than :data:`MAX_BATCH`.
    """
    # Step 1: everything that can fail on bad input happens before the lock is taken.
    at = utcnow()
    at_text = format_time(at)
    event_types: list[str] = []
    payloads: list[str] = []
    add_type, add_payload = event_types.append, payloads.append
    for event_type, payload in events:
        add_payload(_leaf_data(event_type, at_text, payload))
        add_type(event_type)
    return _append_leaves(session, event_types, payloads, at)


def append_uniform_events(
    session: Session,
    event_type: str,
    *,
    common: Mapping[str, Any],
    columns: Mapping[str, Sequence[str]],
) -> int:
    """Append many events of one type and one shape, in order: ``common`` members are the
    same in every event; ``columns`` maps each other member to its strings, one per event
    (event ``i`` is ``{**common, **{key: column[i] for key, column in columns.items()}}``).

    The leaves are exactly what :func:`append_events` writes for the same events (canonical
    JSON of ``{"type", "at", ...}``): the shape is validated and serialised once, with a
    marker where each column's value goes, and every event is that text with its quoted
    strings put in, assembled in C (``map``/``zip``/``str.join``), not a loop per member.
    This is the path of a label batch (100,000 ``label.issued`` events of one shape).
    """
    at = utcnow()
    at_text = format_time(at)
    names = tuple(columns)
    if set(names) & set(common):
        raise LogEventError("each member of an event is given once")
    _check_value(dict(common))
    _check_shape(event_type, (*common, *names))  # the type, the keys and "type"/"at"
    values = list(columns.values())
    count = len(values[0]) if values else 0
    if any(len(column) != count for column in values):
        raise LogEventError("every column gives one value per event")
    # Checked with C-level iteration: this runs over every member of every event.
    if not set(map(type, chain.from_iterable(values))) <= {str}:
        raise LogEventError("column members of uniform events are strings")
    if count and max(map(len, chain.from_iterable(values))) > MAX_STRING:
        raise LogEventError(f"strings in a log payload are at most {MAX_STRING} characters")
    # The canonical text with a marker per column, cut around the markers.
    raw = {name: f"\x00{index}\x00" for index, name in enumerate(names)}
    markers = {name: json_string(marker) for name, marker in raw.items()}
    template = _leaf_data(event_type, at_text, {**common, **raw})
    parts: list[Iterable[str]] = []
    rest = template
    while True:
        found = [(rest.find(marker), name) for name, marker in markers.items()]
        placed = [(position, name) for position, name in found if position >= 0]
        if not placed:
            parts.append(repeat(rest, count))
            break
        position, name = min(placed)
        parts.append(repeat(rest[:position], count))
        parts.append(map(json_string, columns[name]))
        rest = rest[position + len(markers[name]) :]
    payloads = list(map("".join, zip(*parts, strict=True)))
    if payloads and payloads[0] != _leaf_data(
        event_type, at_text, {**common, **{name: columns[name][0] for name in names}}
    ):  # a common value that mimics a marker: refuse rather than log a wrong leaf
        raise LogEventError("uniform events: the template does not reproduce the event")
    return _append_leaves(session, [event_type] * len(payloads), payloads, at)


def _append_leaves(
    session: Session, event_types: list[str], payloads: list[str], at: datetime
) -> int:
    """Steps 2–5 of :func:`append_events` for serialised leaves."""
    if len(payloads) > MAX_BATCH:
        raise LogEventError(f"a batch holds at most {MAX_BATCH} events")
    if not payloads:
        raise LogEventError("nothing to append")
    try:
        # Encoded in one piece (canonical JSON holds no raw newline), hashed in C.
        encoded = "\n".join(payloads).encode("utf-8").split(b"\n")
        leaf_hashes = list(
            map(methodcaller("digest"), map(hashlib.sha256, map(b"\x00".__add__, encoded)))
        )
    except UnicodeEncodeError:
        raise LogEventError("log payloads must be valid Unicode (no lone surrogates)") from None
    # Step 2: the writer lock, then the size under it.
    connection = store.lock_log(session)
    size = store.tree_size(connection)
    # Step 3: the right edge of the committed tree.
    frontier = load_frontier(
        session,
        database=store.database_key(session),
        size=size,
        store=store.StoredSubtrees(connection),
    )
    # Step 4: hash the leaves into it.
    tree = frontier.compact_range()
    completed = tree.extend(leaf_hashes)
    # Step 5: the leaves and the stored interior subtrees (see store.STORED_FROM_LEVEL).
    store.insert_leaves(
        connection,
        first_index=size,
        event_types=event_types,
        at=at,
        payloads=payloads,
        leaf_hashes=leaf_hashes,
        nodes=[node for node in completed if node[0] >= store.STORED_FROM_LEVEL],
    )
    record_frontier(session, frontier, completed, tree.size)
    return size
