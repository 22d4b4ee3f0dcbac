"""Queries on ``signing_key``. Repositories flush; the calling service commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from schemas.keys import KeyPurpose, SigningKey

__all__ = ["active_key", "add_key", "get_by_kid", "list_keys", "save_key"]


def get_by_kid(*, session: Session, kid: str) -> SigningKey | None:
    """The key with this kid, if registered."""
    return session.exec(select(SigningKey).where(SigningKey.kid == kid)).first()


def list_keys(*, session: Session, purpose: KeyPurpose | None = None) -> Sequence[SigningKey]:
    """Registered keys, oldest first."""
    query = select(SigningKey).order_by(col(SigningKey.not_before), col(SigningKey.id))
    if purpose is not None:
        query = query.where(SigningKey.purpose == purpose.value)
    return session.exec(query).all()


def active_key(*, session: Session, purpose: KeyPurpose) -> SigningKey | None:
    """The newest key of ``purpose`` that is neither retired nor compromised."""
    return session.exec(
        select(SigningKey)
        .where(SigningKey.purpose == purpose.value)
        .where(col(SigningKey.retired_at).is_(None))
        .where(col(SigningKey.compromised_since).is_(None))
        .order_by(col(SigningKey.not_before).desc(), col(SigningKey.id).desc())
    ).first()


def add_key(*, session: Session, key: SigningKey) -> SigningKey:
    """Insert a key record."""
    session.add(key)
    session.flush()
    return key


def save_key(*, session: Session, key: SigningKey) -> SigningKey:
    """Write a changed key record (retirement or compromise)."""
    session.add(key)
    session.flush()
    return key
