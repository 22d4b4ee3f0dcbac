"""The per-process cache of the log's right edge (its "frontier").

Appending ``k`` leaves to a tree of ``n`` needs only the ``popcount(n)`` perfect subtrees
along the tree's right edge (``verify.merkle.CompactRange``). Loading them costs one
statement; this cache saves even that on the common path where this process made the last
append.

Correctness rules, because a wrong frontier would corrupt the tree for good:

1. The cache is keyed by database and tree size. The appender holds the log's writer lock
   and reads the committed size first; any other size (another process appended, or the
   database was restored) means a fresh load from the stored subtrees.
2. Only *committed* frontiers enter the cache. An append records its new frontier in
   ``session.info``; a listener promotes it after the session commits and drops it on any
   rollback. Otherwise a rolled-back append could leave a frontier of size ``n + k`` that
   another writer's *different* ``k`` leaves would later seem to match.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from labeling.translog.tree import SubtreeHashes
from verify.merkle import CompactRange, CompletedSubtree, Subtree

__all__ = ["Frontier", "clear_cache", "load_frontier", "record_frontier", "right_edge"]

_PENDING = "khatem.translog.frontier"


@dataclass(frozen=True, slots=True)
class Frontier:
    """The right edge of the tree of ``size`` leaves in database ``database``."""

    database: str
    size: int
    edge: tuple[bytes, ...]

    def compact_range(self) -> CompactRange:
        """A fresh, mutable ``CompactRange`` at this frontier."""
        return CompactRange(self.size, self.edge)


_committed: dict[str, Frontier] = {}
_lock = threading.Lock()


def right_edge(size: int) -> list[Subtree]:
    """The perfect subtrees along the right edge of a tree of ``size``, largest first."""
    nodes: list[Subtree] = []
    begin = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            nodes.append((level, begin >> level))
            begin += 1 << level
    return nodes


def load_frontier(session: Session, *, database: str, size: int, store: SubtreeHashes) -> Frontier:
    """The frontier of the tree of ``size`` leaves: this transaction's, cached, or loaded."""
    pending = session.info.get(_PENDING)
    if isinstance(pending, Frontier) and pending.database == database and pending.size == size:
        return pending
    with _lock:
        cached = _committed.get(database)
    if cached is not None and cached.size == size:
        return cached
    nodes = right_edge(size)
    return Frontier(database, size, tuple(store.read_subtrees(nodes)) if nodes else ())


def record_frontier(
    session: Session, previous: Frontier, completed: Sequence[CompletedSubtree], size: int
) -> Frontier:
    """Note the frontier after an append in this transaction (cached once committed)."""
    wanted = right_edge(size)
    known: dict[Subtree, bytes] = dict(zip(right_edge(previous.size), previous.edge, strict=True))
    missing = set(wanted) - known.keys()
    for level, index, digest in reversed(completed):
        if not missing:
            break
        if (level, index) in missing:
            known[level, index] = digest
            missing.discard((level, index))
    frontier = Frontier(previous.database, size, tuple(known[node] for node in wanted))
    session.info[_PENDING] = frontier
    return frontier


def clear_cache() -> None:
    """Forget every cached frontier (tests, and tools that rewrite a database file)."""
    with _lock:
        _committed.clear()


@event.listens_for(OrmSession, "after_commit")
def _promote(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING, None)
    if isinstance(pending, Frontier):
        with _lock:
            _committed[pending.database] = pending


@event.listens_for(OrmSession, "after_rollback")
def _drop(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(OrmSession, "after_soft_rollback")
def _drop_soft(session: OrmSession, previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)
