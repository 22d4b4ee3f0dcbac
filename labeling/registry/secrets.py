"""Keys every worker of one registry agrees on, derived from the registry's shared secret.

The registry draws 32 random bytes once (``registry_secret`` row ``"root"``): the first
worker that needs a key inserts it, every other worker — on this server or another, now or
after a restart — reads the same row, since they all share the database. Each use derives
its own key with HKDF-SHA-256 (RFC 5869) under its own ``info`` label, so a key of one
use tells nothing about another's. Keys are cached per process (the secret never changes).

Why not another secret: the workspace's CSRF tokens need none (they are derived from the
session token); a passphrase or PKCS#11 PIN is too weak to key an HMAC whose tokens are
public (they could be brute-forced offline); and signing keys never leave their custody.
"""

from __future__ import annotations

import secrets
import threading
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from core.db import new_session
from schemas.secrets import RegistrySecret

__all__ = ["derived_key", "forget_derived_keys", "registry_secret"]

_ROOT: Final = "root"
_SALT: Final = b"khatem registry secret v1"
_cache: dict[tuple[str, bytes], bytes] = {}
_lock = threading.Lock()


def registry_secret(session: Session) -> bytes:
    """The registry's shared secret, drawn and stored by the first caller (commits)."""
    found = session.exec(select(RegistrySecret.value).where(RegistrySecret.name == _ROOT)).first()
    if found is None:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(RegistrySecret)
            .values(name=_ROOT, value=secrets.token_bytes(32))
            .on_conflict_do_nothing()
        )
        session.execute(statement)
        session.commit()
        # Another worker may have inserted first: everyone keeps the row that won.
        found = session.exec(select(RegistrySecret.value).where(RegistrySecret.name == _ROOT)).one()
    return bytes(found)


def derived_key(database_url: str, info: bytes, length: int = 32) -> bytes:
    """The key for ``info`` (a use's label, e.g. ``b"report-form v1"``) of the registry at
    ``database_url``: the same in every worker of that registry."""
    key = (database_url, info)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                with new_session(database_url) as session:
                    root = registry_secret(session)
                found = HKDF(
                    algorithm=hashes.SHA256(), length=length, salt=_SALT, info=info
                ).derive(root)
                _cache[key] = found
    return found


def forget_derived_keys() -> None:
    """Drop this process's cached keys (a test standing in for a new process)."""
    with _lock:
        _cache.clear()
