"""An in-process cache of the tree's upper levels, for serving proofs.

Every proof about a large tree needs its few upper subtrees (one per level), and those are
the same for all proofs of the same region of the tree; the lower levels differ from proof
to proof. A stored subtree never changes once written (append-only tables), so the subtrees
of level :data:`MIN_LEVEL` and above — one per 256 leaves — can be kept in memory with no
invalidation. Then a proof reads about ``MIN_LEVEL`` rows from the database whatever the
size of the log, and its time stays flat from thousands to millions of leaves.

The first proof a process serves from a database preloads every stored subtree of level
:data:`MIN_LEVEL` and above (one range scan; fewer levels if that would pass
:data:`MAX_ENTRIES`), so even the first proofs read only the lower levels; subtrees
completed later are cached as proofs ask for them.

Only the proof endpoints read through this cache. The appender, the checkpoint signer and
the integrity check always read the database itself, so a tampered database can never be
hidden by the cache. After restoring a database from a backup, restart the servers (or
call :func:`clear`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

from sqlalchemy import Connection, Engine

from labeling.translog.tree import SubtreeHashes
from verify.merkle import Subtree

__all__ = ["MAX_ENTRIES", "MIN_LEVEL", "CachedSubtrees", "clear"]

MIN_LEVEL = 8
MAX_ENTRIES = 262_144  # about 40 MB at most; one entry per 256 leaves (67M leaves)

_hashes: dict[tuple[str, int, int], bytes] = {}
_lock = threading.Lock()
_database_of: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_preloaded: set[str] = set()


def clear() -> None:
    """Forget every cached subtree."""
    with _lock:
        _hashes.clear()
        _preloaded.clear()


def _preload_level(tree_size: int) -> int:
    """The lowest level whose subtrees, with all those above, fit half the cache."""
    level = MIN_LEVEL
    while sum(tree_size >> upper for upper in range(level, 64)) > MAX_ENTRIES // 2:
        level += 1
    return level


def _preload(connection: Connection, database: str) -> None:
    size = int(
        connection.exec_driver_sql("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM log_entry").one()[
            0
        ]
    )
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    rows = connection.exec_driver_sql(
        f"SELECT level, idx, hash FROM log_node WHERE level >= {mark}", (_preload_level(size),)
    ).all()
    with _lock:
        if len(_hashes) + len(rows) > MAX_ENTRIES:
            _hashes.clear()
            _preloaded.clear()
        for level, index, digest in rows:
            _hashes[database, int(level), int(index)] = bytes(digest)
        _preloaded.add(database)


def _database(connection: Connection) -> str:
    engine = connection.engine
    name = _database_of.get(engine)
    if name is None:
        name = engine.url.render_as_string(hide_password=True)
        _database_of[engine] = name
    return name


class CachedSubtrees:
    """``SubtreeHashes`` that serves levels >= :data:`MIN_LEVEL` from memory."""

    __slots__ = ("_database", "_store")

    def __init__(self, store: SubtreeHashes, connection: Connection) -> None:
        self._store = store
        self._database = _database(connection)
        if self._database not in _preloaded:
            _preload(connection, self._database)

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        """Return the hash of each ``(level, index)``, reading only the uncached ones."""
        database = self._database
        found: dict[Subtree, bytes] = {}
        with _lock:
            for level, index in nodes:
                if level >= MIN_LEVEL:
                    cached = _hashes.get((database, level, index))
                    if cached is not None:
                        found[level, index] = cached
        missing = [node for node in nodes if node not in found]
        if missing:
            read = self._store.read_subtrees(missing)
            found.update(zip(missing, read, strict=True))
            upper = [
                (node, h) for node, h in zip(missing, read, strict=True) if node[0] >= MIN_LEVEL
            ]
            if upper:
                with _lock:
                    if len(_hashes) + len(upper) > MAX_ENTRIES:
                        _hashes.clear()
                    for (level, index), digest in upper:
                        _hashes[database, level, index] = digest
        return [found[node] for node in nodes]
