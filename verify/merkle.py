"""Merkle tree hashing and proof checking for Khatem's transparency log (RFC 9162).

Hashing follows RFC 9162 §2.1.1 (the RFC 6962 tree, with SHA-256):

* ``leaf_hash(d) = SHA-256(0x00 || d)`` and ``node_hash(l, r) = SHA-256(0x01 || l || r)``;
* the root of ``n`` leaves is ``MTH(D[n])``: the empty tree hashes to ``SHA-256("")``, and a
  larger tree splits at ``k``, the largest power of two smaller than ``n``.

Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) step by step.
Verifiers raise ``ProofError`` and never return a boolean that a caller could forget to check.

A *subtree* ``(level, index)`` is the perfect subtree that covers the leaves
``[index * 2**level, (index + 1) * 2**level)``; ``(0, i)`` is the hash of leaf ``i``. The root
of a tree of any size is a right-to-left fold of at most ``log2(n)`` subtrees along its right
edge (:func:`fold_subtrees`); :class:`CompactRange` keeps that edge, so a monitor can extend
a tree it trusts with new leaves and recompute the root (``verify.monitor``).

This module checks; the registry's writer builds proofs from its stored subtrees
(``labeling/translog/tree.py``). It imports nothing from ``labeling`` or ``core``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompactRange",
    "CompletedSubtree",
    "MerkleError",
    "ProofError",
    "Subtree",
    "fold_subtrees",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion_proof",
    "root_from_leaf_hashes",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


# A subtree is named by (level, index); a completed subtree also carries its hash.
Subtree = tuple[int, int]
CompletedSubtree = tuple[int, int, bytes]

_sha256 = hashlib.sha256


class MerkleError(Exception):
    """Base class for every error raised by this module (bad arguments, missing hashes)."""


class ProofError(MerkleError):
    """An inclusion or consistency proof does not verify."""


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 leaf hash ``SHA-256(0x00 || data)``."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash ``SHA-256(0x01 || left || right)``."""
    return _sha256(b"\x01" + left + right).digest()


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """Return ``MTH`` (RFC 9162 §2.1.1) of a list of leaf hashes, hashing level by level.

    Promoting an unpaired right-most hash to the next level unchanged gives the same tree as
    the RFC's split at the largest power of two.
    """
    if any(len(h) != HASH_SIZE for h in hashes):
        raise MerkleError(f"every leaf hash must be {HASH_SIZE} bytes")
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        paired = [
            _sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


# Verification.


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} must be {HASH_SIZE} bytes, got {len(value)}")


def _check_size(value: int, what: str, error: type[MerkleError] = MerkleError) -> None:
    if value < 0:
        raise error(f"{what} must not be negative, got {value}")


def root_from_inclusion_proof(
    *, leaf_index: int, tree_size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes:
    """Return the root implied by an inclusion proof (RFC 9162 §2.1.3.2, steps 1 to 4).

    Raises ``ProofError`` when the proof cannot belong to ``leaf_index`` in ``tree_size``
    (wrong length, wrong element size, index out of range).
    """
    _check_size(leaf_index, "leaf_index", ProofError)
    _check_size(tree_size, "tree_size", ProofError)
    # Step 1: the leaf must be inside the tree.
    if leaf_index >= tree_size:
        raise ProofError(f"leaf index {leaf_index} is outside a tree of size {tree_size}")
    _check_hash(leaf_hash, "leaf hash")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof element {i}")
    # Steps 2 and 3.
    fn, sn = leaf_index, tree_size - 1
    r = leaf_hash
    # Step 4.
    for p in proof:
        if sn == 0:  # 4a: the proof is longer than the path to the root.
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:  # 4b
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1  # 4c
        sn >>= 1
    # Step 5, first half: every level up to the root must have been consumed.
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    return r


def verify_inclusion(
    *, leaf_index: int, tree_size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``leaf_index`` of the tree ``(tree_size, root)``.

    Implements RFC 9162 §2.1.3.2 and raises ``ProofError`` on any failure.
    """
    _check_hash(root, "root")
    computed = root_from_inclusion_proof(
        leaf_index=leaf_index, tree_size=tree_size, leaf_hash=leaf_hash, proof=proof
    )
    # Step 5, second half.
    if computed != root:
        raise ProofError("inclusion proof does not lead to the expected root")


def _check_same_tree(*, size: int, root1: bytes, root2: bytes, proof: Sequence[bytes]) -> None:
    """Check a consistency claim between two trees of the same ``size``.

    Nothing needs proving: the proof must be empty, the roots equal, and the empty tree's root
    must be ``EMPTY_ROOT``.
    """
    if proof:
        raise ProofError("sizes are equal, so the consistency proof must be empty")
    if root1 != root2:
        raise ProofError("sizes are equal but the roots differ")
    if size == 0 and root1 != EMPTY_ROOT:
        raise ProofError("the root of the empty tree must be SHA-256 of the empty string")


def _roots_from_consistency_proof(
    *, size1: int, size2: int, root1: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """Return the two roots a non-empty consistency proof implies (RFC 9162 §2.1.4.2, steps 2
    to 6, and the length check of step 7), for ``0 < size1 < size2``.

    The first root is that of the old tree and the second that of the new one; the caller
    compares them with ``root1`` and ``root2``.
    """
    # Step 2.
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    # Step 3.
    fn, sn = size1 - 1, size2 - 1
    # Step 4.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = path[0]
    # Step 6.
    for c in path[1:]:
        if sn == 0:  # 6a
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:  # 6b
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1  # 6c
        sn >>= 1
    # Step 7, first check: every level up to the new root must have been consumed.
    if sn != 0:
        raise ProofError("consistency proof is too short")
    return fr, sr


def verify_consistency(
    *, size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree ``(size2, root2)`` extends the tree ``(size1, root1)``.

    Implements RFC 9162 §2.1.4.2 for ``0 < size1 < size2`` and raises ``ProofError`` on any
    failure. Outside that range: equal sizes need an empty proof and equal roots (and the
    empty tree's root must be ``EMPTY_ROOT``); ``size1 == 0 < size2`` is rejected, since there
    is nothing to prove (every tree extends the empty one), following the reference vectors.
    """
    _check_size(size1, "size1", ProofError)
    _check_size(size2, "size2", ProofError)
    if size1 > size2:
        raise ProofError(f"size1 ({size1}) is larger than size2 ({size2})")
    if size1 == size2:
        _check_same_tree(size=size1, root1=root1, root2=root2, proof=proof)
        return
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    _check_hash(root1, "root1")
    _check_hash(root2, "root2")
    for i, c in enumerate(proof):
        _check_hash(c, f"proof element {i}")
    # Step 1.
    if not proof:
        raise ProofError("consistency proof is empty")
    fr, sr = _roots_from_consistency_proof(size1=size1, size2=size2, root1=root1, proof=proof)
    # Step 7, then: both computed roots must match the claimed ones.
    if fr != root1:
        raise ProofError("consistency proof does not lead to root1")
    if sr != root2:
        raise ProofError("consistency proof does not lead to root2")


def fold_subtrees(hashes: Sequence[bytes]) -> bytes:
    """The hash of consecutive perfect subtrees (largest first, as along a tree's right
    edge), folded from the right: ``MTH`` of the leaves they cover together."""
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = _sha256(b"\x01" + left + h).digest()
    return h


# Appending.


class CompactRange:
    """The right edge of a tree of ``size`` leaves: one subtree hash per set bit of ``size``.

    ``append`` and ``extend`` add leaf hashes and return the subtrees they complete, as
    ``(level, index, hash)`` tuples (each leaf itself is the subtree ``(0, index)``), so an
    appender can persist exactly those. ``root()`` costs ``popcount(size) - 1`` hashes.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        """Resume a tree of ``size`` leaves from its right-edge subtree hashes.

        ``hashes`` holds one perfect subtree per set bit of ``size``, left-most (largest)
        first (the registry's ``labeling.translog.tree.load_compact_range`` reads them from
        its store).
        """
        _check_size(size, "size")
        if len(hashes) != size.bit_count():
            raise MerkleError(f"a range of size {size} needs {size.bit_count()} hashes")
        if any(len(h) != HASH_SIZE for h in hashes):
            raise MerkleError(f"every hash must be {HASH_SIZE} bytes")
        self._size = size
        self._hashes = list(hashes)

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> list[CompletedSubtree]:
        """Append one leaf hash and return the subtrees it completes, smallest first."""
        return self.extend((leaf_hash,))

    def extend(self, leaf_hashes: Iterable[bytes]) -> list[CompletedSubtree]:
        """Append leaf hashes in order and return every subtree they complete."""
        hashes = leaf_hashes if isinstance(leaf_hashes, list | tuple) else list(leaf_hashes)
        # Validate everything first, so a bad hash leaves the range unchanged.
        if any(len(h) != HASH_SIZE for h in hashes):
            raise MerkleError(f"every leaf hash must be {HASH_SIZE} bytes")
        completed: list[CompletedSubtree] = []
        add = completed.append
        stack = self._hashes
        pop, push = stack.pop, stack.append
        size = self._size
        for h in hashes:
            index, level = size, 0
            add((0, index, h))
            # Each trailing one bit of the old size is a left sibling waiting for this leaf.
            while index & 1:
                h = _sha256(b"\x01" + pop() + h).digest()
                index >>= 1
                level += 1
                add((level, index, h))
            push(h)
            size += 1
        self._size = size
        return completed

    def root(self) -> bytes:
        """Return ``MTH`` of the leaves appended so far."""
        return fold_subtrees(self._hashes) if self._hashes else EMPTY_ROOT
