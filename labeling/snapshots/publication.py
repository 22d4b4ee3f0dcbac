"""Building, signing and caching the status snapshots (docs/status-snapshots.md).

A signed snapshot is reissued when what it lists changed (a cheap fingerprint query: the
newest label or certificate event) or after :data:`REISSUE_AFTER`. It is kept in the database
(:mod:`labeling.snapshots.store`), so every server serves the same bytes and one server at a
time builds the next, and in each process's memory, so serving one costs the fingerprint
query and no signature. The documents are produced by :mod:`verify.snapshot`, the same module
that verifies them.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from core.db import begin_write
from core.settings import Settings
from labeling.keyrecords.opening import root_signer
from labeling.snapshots import repository, store
from labeling.snapshots.documents import certificate_document, label_status_document
from schemas.types import utcnow
from verify.snapshot import sign_snapshot

__all__ = [
    "HTTP_MAX_AGE",
    "REISSUE_AFTER",
    "SNAPSHOT_MAX_AGE",
    "PublishedSnapshot",
    "current_certificate_snapshot",
    "current_label_snapshot",
    "forget_snapshots",
]

#: How long a verifier may rely on a snapshot without warning (its ``max_age``): one day.
SNAPSHOT_MAX_AGE = 86_400
#: How long HTTP caches and CDNs may serve a copy without revalidating.
HTTP_MAX_AGE = 300
#: A served copy older than this is re-signed with a fresh ``issued_at``.
REISSUE_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class PublishedSnapshot:
    """Signed snapshot bytes, their ETag and issue time, and the same bytes gzipped for
    clients that accept it (a transport encoding: the signed bytes are the plain ones)."""

    body: bytes
    etag: str
    issued_at: datetime
    gzipped: bytes
    gzip_etag: str


_issued: dict[tuple[Any, ...], PublishedSnapshot] = {}
_lock = threading.Lock()
_build_lock = threading.Lock()


def forget_snapshots() -> None:
    """Drop every cached snapshot (tests)."""
    with _lock:
        _issued.clear()


def _publish(
    session: Session,
    settings: Settings,
    kind: str,
    fingerprint: tuple[Any, ...],
    build: Callable[[datetime], dict[str, Any]],
    now: datetime | None,
) -> PublishedSnapshot:
    signer = root_signer(session, settings)
    state = store.fingerprint_text(fingerprint)
    key = (kind, settings.resolved_database_url, signer.key_id, state)
    at = (now or utcnow()).replace(microsecond=0)

    def current(issued_at: datetime) -> bool:
        return timedelta(0) <= at - issued_at < REISSUE_AFTER

    def usable(snapshot: store.StoredSnapshot) -> bool:
        return (
            snapshot.kid == signer.key_id
            and snapshot.fingerprint == state
            and current(snapshot.issued_at)
        )

    def signed() -> store.StoredSnapshot:
        body = sign_snapshot(build(at), sign=signer.sign, public_key=signer.public_key_raw)
        return store.StoredSnapshot(body=body, kid=signer.key_id, fingerprint=state, issued_at=at)

    with _lock:
        cached = _issued.get(key)
    if cached is not None and current(cached.issued_at):
        return cached
    # One thread of this process asks the database at a time; across servers, the stored
    # snapshot is served if it is current, else one server builds it under the row lock and
    # the others adopt its bytes (labeling.snapshots.store).
    with _build_lock:
        with _lock:
            cached = _issued.get(key)
        if cached is not None and current(cached.issued_at):
            return cached
        found = store.stored(session, kind)
        if found is None or not usable(found):
            begin_write(session)  # a GET's read session: this transaction takes the lock
            found = store.publish_once(session, kind, usable=usable, build=signed)
        return _remember(key, found)


def _remember(key: tuple[Any, ...], snapshot: store.StoredSnapshot) -> PublishedSnapshot:
    digest = hashlib.sha256(snapshot.body).hexdigest()[:32]
    published = PublishedSnapshot(
        body=snapshot.body,
        etag=f'"{digest}"',
        issued_at=snapshot.issued_at,
        gzipped=gzip.compress(snapshot.body, compresslevel=9, mtime=0),
        gzip_etag=f'"{digest}-gzip"',
    )
    with _lock:
        stale = [k for k in _issued if k[:3] == key[:3]]
        for old in stale:
            del _issued[old]
        if len(_issued) > 64:
            _issued.clear()
        _issued[key] = published
    return published


def current_label_snapshot(
    session: Session, settings: Settings, *, now: datetime | None = None
) -> PublishedSnapshot:
    """The signed label status snapshot to serve now."""

    def build(at: datetime) -> dict[str, Any]:
        listed = repository.listed_labels(session)
        return label_status_document(
            entries=listed.groups,
            total_labels=listed.total_labels,
            suspicious=listed.suspicious,
            issued_at=at,
            max_age=SNAPSHOT_MAX_AGE,
        )

    fingerprint = repository.labels_fingerprint(session)
    return _publish(session, settings, "labels", fingerprint, build, now)


def current_certificate_snapshot(
    session: Session, settings: Settings, *, now: datetime | None = None
) -> PublishedSnapshot:
    """The signed certificate status snapshot to serve now."""

    def build(at: datetime) -> dict[str, Any]:
        return certificate_document(
            certificates=repository.certificate_facts(session),
            issued_at=at,
            max_age=SNAPSHOT_MAX_AGE,
            items=repository.item_facts(session),
        )

    fingerprint = repository.certificates_fingerprint(session)
    return _publish(session, settings, "certificates", fingerprint, build, now)
