"""Recompute the whole log from its leaves and compare with everything stored.

Used by ``khatem log verify`` and by the crash tests. It checks, reading the database only:

1. leaf indexes are dense from 0, and every stored leaf hash is ``SHA-256(0x00 || data)``;
2. every stored interior subtree equals the one recomputed from the leaves, and there are
   exactly as many as the tree has (``store.stored_node_count``);
3. every checkpoint's root is the recomputed root of its size, and (with verifier keys)
   its signature verifies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from labeling.translog import store
from labeling.translog.checkpoints import LogIntegrityError
from verify.checkpoint import CheckpointError, VerifierKey, verify_checkpoint
from verify.merkle import CompactRange, CompletedSubtree, MerkleError

__all__ = ["IntegrityReport", "verify_log"]

_CHUNK = 50_000
_NODE_BATCH = 2_000


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    """What :func:`verify_log` checked."""

    tree_size: int
    root_hash: bytes
    nodes_checked: int
    checkpoints_checked: int


def _checkpoints(connection: Connection) -> list[tuple[int, bytes, str]]:
    rows = connection.exec_driver_sql(
        "SELECT tree_size, root_hash, note FROM log_checkpoint ORDER BY tree_size, id"
    )
    return [(int(size), bytes(root), str(note)) for size, root, note in rows]


def _compare_nodes(subtrees: store.StoredSubtrees, nodes: Sequence[CompletedSubtree]) -> None:
    for start in range(0, len(nodes), _NODE_BATCH):
        batch = nodes[start : start + _NODE_BATCH]
        try:
            stored = subtrees.read_subtrees([(level, index) for level, index, _ in batch])
        except MerkleError as exc:
            raise LogIntegrityError(f"an interior subtree is missing: {exc}") from None
        for (level, index, expected), found in zip(batch, stored, strict=True):
            if expected != found:
                raise LogIntegrityError(f"stored subtree (level {level}, index {index}) is wrong")


def verify_log(
    connection: Connection, *, verifier_keys: Iterable[VerifierKey] = ()
) -> IntegrityReport:
    """Check the stored log against its leaves; raise :class:`LogIntegrityError` if not."""
    keys = list(verifier_keys)
    size = store.tree_size(connection)
    checkpoints = _checkpoints(connection)
    pending = [cp for cp in checkpoints if cp[0] <= size]
    if len(pending) != len(checkpoints):
        raise LogIntegrityError("a checkpoint covers more leaves than the log holds")
    subtrees = store.StoredSubtrees(connection)
    tree = CompactRange()
    nodes_checked = 0
    checked = 0

    def settle_checkpoints() -> None:
        nonlocal checked
        while pending and pending[0][0] == tree.size:
            cp_size, cp_root, note = pending.pop(0)
            if cp_root != tree.root():
                raise LogIntegrityError(f"checkpoint of size {cp_size} has a wrong root")
            if keys:
                try:
                    verify_checkpoint(note, verifier_keys=keys)
                except CheckpointError as exc:
                    raise LogIntegrityError(f"checkpoint {cp_size}: {exc}") from None
            checked += 1

    settle_checkpoints()
    for start in range(0, size, _CHUNK):
        end = min(size, start + _CHUNK)
        entries = store.read_entries(connection, start, end)
        if len(entries) != end - start:
            raise LogIntegrityError(f"leaves are missing between {start} and {end}")
        inner: list[CompletedSubtree] = []
        for offset, (index, _type, _at, data, leaf) in enumerate(entries):
            # Step 1: dense indexes and honest leaf hashes.
            if index != start + offset:
                raise LogIntegrityError(f"leaf index {start + offset} is missing")
            if hashlib.sha256(b"\x00" + data.encode("utf-8")).digest() != leaf:
                raise LogIntegrityError(f"leaf {index}'s hash does not match its data")
            inner.extend(n for n in tree.append(leaf) if n[0] >= store.STORED_FROM_LEVEL)
            # Step 3: the root at every checkpointed size.
            settle_checkpoints()
        # Step 2: the interior subtrees these leaves complete, read back in batches.
        _compare_nodes(subtrees, inner)
        nodes_checked += len(inner)
    row = connection.exec_driver_sql("SELECT COUNT(*) FROM log_node").one()
    expected = store.stored_node_count(size)
    if int(row[0]) != expected:
        raise LogIntegrityError(
            f"log_node holds {row[0]} subtrees; a tree of {size} has {expected}"
        )
    return IntegrityReport(size, tree.root(), nodes_checked, checked)
