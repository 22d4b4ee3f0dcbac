"""Proofs and entries for the public log API: the service between the routes and the store.

An inclusion proof costs one statement: the leaf's own hash is read in the same batch as
the ``O(log n)`` subtrees of its path, less the upper ones already in memory
(:mod:`labeling.translog.node_cache`). No size query is needed either: every proof about a
tree of ``size`` leaves reads a subtree that ends at leaf ``size - 1``, so a size the log
has not reached shows up as a subtree that is not stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from labeling.translog import store
from labeling.translog.errors import (
    EmptyTreeProof,
    EntriesNotFound,
    IndexOutsideTree,
    LeafNotFound,
    LogPageTooLarge,
    SizesOutOfOrder,
    TreeSizeNotReached,
)
from labeling.translog.node_cache import CachedSubtrees
from labeling.translog.tree import consistency_proof, inclusion_proof
from verify.merkle import MerkleError, Subtree

__all__ = [
    "MAX_ENTRIES_PAGE",
    "EntriesPage",
    "InclusionProof",
    "entries_page",
    "prove_consistency",
    "prove_inclusion",
    "prove_inclusion_of_hash",
]

MAX_ENTRIES_PAGE = 1000


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """``PATH(leaf_index, D[tree_size])`` with the leaf's hash."""

    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]


@dataclass(frozen=True, slots=True)
class EntriesPage:
    """Entries ``[start, start + len(entries))`` and the log's size when read."""

    start: int
    tree_size: int
    entries: list[store.StoredEntry]


class _WithLeaf:
    """Reads a proof's subtrees and the leaf ``(0, index)`` in the same statement."""

    __slots__ = ("_index", "_store", "leaf_hash")

    def __init__(self, connection: Connection, index: int) -> None:
        self._store = CachedSubtrees(store.StoredSubtrees(connection), connection)
        self._index = index
        self.leaf_hash = b""

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        hashes = self._store.read_subtrees([*nodes, (0, self._index)])
        self.leaf_hash = hashes[-1]
        return hashes[:-1]


def _not_reached(size: int) -> TreeSizeNotReached:
    return TreeSizeNotReached(f"The log holds fewer than {size} entries.", tree_size=size)


def prove_inclusion(connection: Connection, *, leaf_index: int, tree_size: int) -> InclusionProof:
    """The inclusion proof of leaf ``leaf_index`` in the tree of ``tree_size`` leaves."""
    if tree_size == 0:
        raise EmptyTreeProof("The empty tree contains no leaf.")
    if not 0 <= leaf_index < tree_size:
        raise IndexOutsideTree(f"Leaf {leaf_index} is not in a tree of {tree_size} leaves.")
    reader = _WithLeaf(connection, leaf_index)
    try:
        # Even the empty path of a one-leaf tree is read through ``reader``, with the leaf.
        path = inclusion_proof(leaf_index=leaf_index, tree_size=tree_size, subtree=reader)
    except MerkleError:
        raise _not_reached(tree_size) from None
    return InclusionProof(leaf_index, tree_size, reader.leaf_hash, path)


def prove_inclusion_of_hash(
    connection: Connection, *, leaf_hash: bytes, tree_size: int
) -> InclusionProof:
    """The inclusion proof of the first leaf with ``leaf_hash`` in the tree of ``tree_size``."""
    if tree_size == 0:
        raise EmptyTreeProof("The empty tree contains no leaf.")
    index = store.find_leaf(connection, leaf_hash, tree_size)
    if index is None:
        raise LeafNotFound("No leaf with this hash among the first entries of this size.")
    return prove_inclusion(connection, leaf_index=index, tree_size=tree_size)


def prove_consistency(connection: Connection, *, first: int, second: int) -> list[bytes]:
    """``PROOF(first, D[second])``: the tree of ``second`` leaves extends that of ``first``."""
    if not 0 < first <= second:
        raise SizesOutOfOrder("A consistency proof needs 0 < from <= to.")
    if first == second:
        if store.tree_size(connection) < second:
            raise _not_reached(second)
        return []
    try:
        subtrees = CachedSubtrees(store.StoredSubtrees(connection), connection)
        return consistency_proof(size1=first, size2=second, subtree=subtrees)
    except MerkleError:
        raise _not_reached(second) from None


def entries_page(connection: Connection, *, start: int, limit: int) -> EntriesPage:
    """At most ``limit`` entries from ``start``; an empty page exactly at the log's end."""
    if not 0 < limit <= MAX_ENTRIES_PAGE:
        raise LogPageTooLarge(
            f"Ask for 1 to {MAX_ENTRIES_PAGE} entries per page.", max_page_size=MAX_ENTRIES_PAGE
        )
    size = store.tree_size(connection)
    if start > size:
        raise EntriesNotFound(f"The log holds {size} entries.", tree_size=size)
    end = min(size, start + limit)
    return EntriesPage(start, size, store.read_entries(connection, start, end))
