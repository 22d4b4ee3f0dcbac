"""What the server prepares before it accepts requests: keys, then a first checkpoint."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from core.db import is_sqlite, new_session
from core.private_files import exposure_warnings
from core.settings import Settings
from labeling.keyrecords.errors import StartupRefused
from labeling.keyrecords.preparation import prepare_keys
from labeling.translog.checkpointer import checkpoint_now
from verify.checkpoint import CheckpointError, key_hash

__all__ = ["StartupRefused", "prepare_registry"]


def prepare_registry(settings: Settings) -> list[str]:
    """Prepare the registry to serve; returns warnings to print loudly at start-up.

    Raises :class:`StartupRefused` (with an operator-facing message) when it must not
    serve: production without configured keys or with development keys, a configured key
    that is not the registered one, an unusable log origin.
    """
    try:
        # The log origin is also the root key's note name: no spaces, no '+'.
        key_hash(settings.log_origin, bytes(32))
    except CheckpointError as exc:
        raise StartupRefused(f"KHATEM_LOG_ORIGIN is not usable: {exc}") from None
    with new_session(settings.resolved_database_url) as session:
        warnings = prepare_keys(session=session, settings=settings)
    warnings += exposure_warnings(settings.data_dir, _sqlite_file(settings.resolved_database_url))
    # Registering keys appended log events: sign a checkpoint that covers them.
    checkpoint_now(settings)
    return warnings


def _sqlite_file(url: str) -> Path | None:
    path = make_url(url).database if is_sqlite(url) else None
    return Path(path) if path and path != ":memory:" else None
