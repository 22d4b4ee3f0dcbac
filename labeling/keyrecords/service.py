"""Key records: registration, rotation and compromise — each one a transparency-log event.

Windows are aligned to whole minutes because a label's ``issued_at`` is floored to the
minute (docs/label-format.md, section 4.3): a label signed at 12:00:40 says 12:00, so a key
registered at 12:00:10 must already be valid at 12:00. Rotation at instant ``T`` therefore
gives the new key ``not_before = floor(T)`` and the old one ``retired_at = floor(T) + 1
minute``: both keys are valid during the minute of the rotation and never is neither.

Every change takes the log's writer lock first (it appends an event anyway), so key changes
are serialised with each other and with label issuance, which appends label leaves.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from labeling.keycustody import Signer
from labeling.keyrecords import repository
from labeling.keyrecords.errors import KeyNotFound, KeyStateConflict
from labeling.translog.events import append_event
from labeling.translog.store import lock_log
from schemas.keys import KeyPurpose, SigningKey
from schemas.types import utcnow
from verify.trust_list import format_time

__all__ = [
    "Compromise",
    "compromise_label_key",
    "floor_minute",
    "mark_compromised",
    "register_key",
    "rotate_label_key",
]

MINUTE = timedelta(minutes=1)


def floor_minute(at: datetime) -> datetime:
    """``at`` without its seconds and microseconds."""
    return at.replace(second=0, microsecond=0)


def _x(public_key: bytes) -> str:
    return base64.urlsafe_b64encode(public_key).rstrip(b"=").decode("ascii")


def register_key(
    *,
    session: Session,
    signer: Signer,
    key_uri: str,
    purpose: KeyPurpose,
    at: datetime | None = None,
) -> SigningKey:
    """Record a key the registry holds (flushes; the caller commits). Logs ``key.registered``.

    Raises :class:`KeyStateConflict` if the kid is already registered.
    """
    lock_log(session)
    if repository.get_by_kid(session=session, kid=signer.key_id) is not None:
        raise KeyStateConflict(f"key {signer.key_id} is already registered")
    not_before = floor_minute(at or utcnow())
    key = repository.add_key(
        session=session,
        key=SigningKey(
            kid=signer.key_id,
            purpose=purpose.value,
            public_key=signer.public_key_raw,
            backend=signer.backend,
            key_uri=key_uri,
            is_development=signer.is_development,
            not_before=not_before,
        ),
    )
    append_event(
        session,
        event_type="key.registered",
        payload={
            "kid": key.kid,
            "purpose": key.purpose,
            "x": _x(key.public_key),
            "backend": key.backend,
            "development": key.is_development,
            "not_before": format_time(not_before),
        },
    )
    return key


def rotate_label_key(
    *,
    session: Session,
    new_signer: Signer,
    key_uri: str,
    allow_development: bool,
    at: datetime | None = None,
) -> tuple[SigningKey | None, SigningKey]:
    """Make ``new_signer`` the label key from now on and retire the current one.

    The retired key stays published with its window, so everything it signed while valid
    still verifies. Logs ``key.rotated`` and commits. Returns ``(retired, new)``.
    """
    if new_signer.is_development and not allow_development:
        raise KeyStateConflict("a development key cannot become a production label key")
    lock_log(session)
    if repository.get_by_kid(session=session, kid=new_signer.key_id) is not None:
        raise KeyStateConflict(f"key {new_signer.key_id} is already registered; use a new key")
    now = at or utcnow()
    not_before = floor_minute(now)
    retired = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    if retired is not None:
        retired.retired_at = not_before + MINUTE
        repository.save_key(session=session, key=retired)
    new = repository.add_key(
        session=session,
        key=SigningKey(
            kid=new_signer.key_id,
            purpose=KeyPurpose.LABEL.value,
            public_key=new_signer.public_key_raw,
            backend=new_signer.backend,
            key_uri=key_uri,
            is_development=new_signer.is_development,
            not_before=not_before,
        ),
    )
    append_event(
        session,
        event_type="key.rotated",
        payload={
            "kid": new.kid,
            "x": _x(new.public_key),
            "backend": new.backend,
            "development": new.is_development,
            "not_before": format_time(not_before),
            "retired_kid": retired.kid if retired else None,
            "retired_at": format_time(retired.retired_at)
            if retired and retired.retired_at
            else None,
        },
    )
    session.commit()
    return retired, new


@dataclass(frozen=True, slots=True)
class Compromise:
    """What :func:`compromise_label_key` did."""

    key: SigningKey
    #: The key was the active label key: this call retired it, and labels cannot be
    #: issued until a new key is rotated in. False when it was already retired.
    was_active: bool
    #: False when exactly this compromise time was already recorded (nothing changed).
    changed: bool


def mark_compromised(
    *, session: Session, kid: str, since: datetime, at: datetime | None = None
) -> SigningKey:
    """Record that label key ``kid`` is compromised since ``since``; logs ``key.compromised``.

    Signatures by the key made at or after ``since`` (floored to the minute, which only
    widens the rejection) stop verifying; those made before stand. A compromise time can
    move earlier, never later. An active key is retired as well (like a rotation, at the
    end of the current minute), so the registry stops signing with it; a new key must be
    rotated in before labels can be signed again. Commits.
    """
    return compromise_label_key(session=session, kid=kid, since=since, at=at).key


def compromise_label_key(
    *, session: Session, kid: str, since: datetime, at: datetime | None = None
) -> Compromise:
    """:func:`mark_compromised`, also saying whether the key was active until now."""
    if since.utcoffset() is None:
        raise KeyStateConflict("the compromise time must carry a time zone")
    now = at or utcnow()
    since = floor_minute(since)
    if since > now:
        raise KeyStateConflict("the compromise time is in the future")
    lock_log(session)
    key = repository.get_by_kid(session=session, kid=kid)
    if key is None:
        raise KeyNotFound(f"no key with kid {kid[:8]!r}")
    if key.purpose != KeyPurpose.LABEL.value:
        raise KeyStateConflict(
            "the root key cannot be marked compromised here: verifiers must re-pin a new "
            "root key (docs/keys.md, 'Root compromise')"
        )
    if key.compromised_since is not None and key.compromised_since <= since:
        if key.compromised_since == since:
            return Compromise(key=key, was_active=False, changed=False)
        raise KeyStateConflict(
            f"key {kid} is compromised since {format_time(key.compromised_since)}; "
            "a compromise time can only move earlier"
        )
    key.compromised_since = since
    was_active = key.retired_at is None
    if key.retired_at is None:
        key.retired_at = floor_minute(now) + MINUTE
    repository.save_key(session=session, key=key)
    append_event(
        session,
        event_type="key.compromised",
        payload={
            "kid": key.kid,
            "compromised_since": format_time(since),
            "retired_at": format_time(key.retired_at),
        },
    )
    session.commit()
    return Compromise(key=key, was_active=was_active, changed=True)
