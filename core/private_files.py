"""The data directory and the SQLite file are the owner's alone.

They hold password hashes, artisans' national ids, phone numbers and addresses, evidence and
the development keys, so Khatem creates the directory 0700 and the database file 0600 (SQLite
gives its ``-wal`` and ``-shm`` files the database file's mode), and says at start-up when an
existing one is open to other users: a directory made by hand, or by an older version, is
reported rather than silently changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["create_private_dir", "create_private_file", "exposure_warnings"]

_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def create_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) if needed; the directory itself is 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 unless it exists, in a 0700 directory if that is new."""
    create_private_dir(path.parent)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def exposure_warnings(data_dir: Path, database_file: Path | None) -> list[str]:
    """One line per existing place that users other than the owner may read or enter."""
    places = [data_dir]
    if database_file is not None:
        places += [database_file, *(Path(f"{database_file}{end}") for end in ("-wal", "-shm"))]
    warnings = []
    for place in places:
        try:
            mode = place.stat().st_mode
        except FileNotFoundError:
            continue
        if mode & _OTHERS:
            wanted = "700" if stat.S_ISDIR(mode) else "600"
            warnings.append(
                f"{place} is open to other users (mode {stat.S_IMODE(mode):03o}) and holds "
                f"personal data and password hashes: chmod {wanted} {place}"
            )
    return warnings
