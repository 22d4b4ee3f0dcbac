"""Building the transparency log's tree: proofs and roots from stored subtrees (RFC 9162).

The registry writes; ``verify.merkle`` checks (hashes, inclusion and consistency proofs,
the right edge a monitor extends). This module is the writer's side: it turns stored
subtree hashes into roots and proofs, and lays subtrees out in tiles.

Subtrees
--------
A *subtree* ``(level, index)`` is the perfect subtree that covers the leaves
``[index * 2**level, (index + 1) * 2**level)``; ``(0, i)`` is the hash of leaf ``i``. Every
element of an inclusion or consistency proof (RFC 9162 §2.1.3.1, §2.1.4.1), and the root of a
tree of any size, is either one subtree or a right-to-left fold of at most ``log2(n)``
subtrees along the tree's right edge. Generating a proof therefore needs ``O(log n)`` subtree
hashes, which this module asks for in one batch.

Storage interface for the database layer
----------------------------------------
Reading: implement ``SubtreeHashes.read_subtrees(nodes) -> list[bytes]``, returning the hash of
each ``(level, index)`` in the order asked (one query per proof), or raise ``MerkleError`` if
one is not stored. ``MemorySubtreeStore`` is the in-memory reference implementation.

Writing: feed leaf hashes, in log order, to ``verify.merkle.CompactRange.extend`` (or
``append``). It returns
every subtree the new leaves complete as ``(level, index, hash)`` tuples, in completion order;
persist them in the same transaction that records the new tree size. To resume after a
restart, ``load_compact_range(tree_size, store)`` reads the ``popcount(tree_size)`` right-edge
subtrees back.

Two layouts fit that interface:

1. Subtree rows: a table keyed by ``(level, index)`` holding a 32-byte hash, one row per
   completed subtree (about ``2n`` rows for ``n`` leaves).
2. Tiles (recommended), as in C2SP tlog-tiles (https://c2sp.org/tlog-tiles) and Go's
   ``golang.org/x/mod/sumdb/tlog``: tiles of height ``TILE_HEIGHT = 8``. Tile ``(L, N)`` is the
   concatenation of the hashes of subtrees ``(8 * L, 256 * N + i)`` for ``i`` in ``0..255``;
   the right-most tile of a level is partial (fewer than 256 hashes). Persist only completed
   subtrees whose level is a multiple of 8: ``tile_for_subtree(level, index)`` gives the tile
   and the slot (``start``) in it, and since subtrees complete in order, a tile only ever grows
   by concatenation. Storage is about ``32 * n`` bytes, and the same blobs can be served as
   static files at ``tile_path(...)`` (the partial tile of width ``W`` is the first ``W``
   hashes of the stored blob). Read through ``TiledSubtreeHashes``, which wraps a
   ``TileReader.read_tiles(tiles) -> list[bytes]`` and recomputes the levels inside a tile
   (at most 127 hashes per subtree).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from verify.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    CompactRange,
    CompletedSubtree,
    MerkleError,
    Subtree,
    fold_subtrees,
    root_from_leaf_hashes,
)

__all__ = [
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "MemorySubtreeStore",
    "SubtreeHashes",
    "TileReader",
    "TileSpan",
    "TiledSubtreeHashes",
    "consistency_proof",
    "inclusion_proof",
    "load_compact_range",
    "tile_for_subtree",
    "tile_path",
    "tree_root",
]

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT


class SubtreeHashes(Protocol):
    """A source of complete perfect-subtree hashes, read in batches."""

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        """Return the hash of each ``(level, index)`` in ``nodes``, in order."""
        ...


class TileReader(Protocol):
    """A source of tlog-tiles blobs: each is the concatenation of up to 256 hashes."""

    def read_tiles(self, tiles: Sequence[tuple[int, int]], /) -> list[bytes]:
        """Return the stored bytes of each ``(tile_level, tile_index)``, in order."""
        ...


# Generation from stored subtrees.


def _check_size(value: int, what: str) -> None:
    if value < 0:
        raise MerkleError(f"{what} must not be negative, got {value}")


def _range_nodes(begin: int, end: int) -> list[Subtree]:
    """Split ``[begin, end)`` into perfect subtrees, largest first.

    Only valid for ranges of the RFC 9162 tree (``begin`` aligned to the largest power of two
    not above ``end - begin``), where the right fold of these subtrees is ``MTH(D[begin:end])``.
    """
    nodes: list[Subtree] = []
    while begin < end:
        level = (end - begin).bit_length() - 1
        nodes.append((level, begin >> level))
        begin += 1 << level
    return nodes


def _range_hashes(ranges: Sequence[tuple[int, int]], subtree: SubtreeHashes) -> list[bytes]:
    """Return ``MTH(D[begin:end])`` for each range, reading all subtrees in one batch."""
    per_range = [_range_nodes(begin, end) for begin, end in ranges]
    wanted = [node for nodes in per_range for node in nodes]
    hashes = subtree.read_subtrees(wanted)
    if len(hashes) != len(wanted):
        raise MerkleError(f"asked for {len(wanted)} subtree hashes, got {len(hashes)}")
    out: list[bytes] = []
    at = 0
    for nodes in per_range:
        out.append(fold_subtrees(hashes[at : at + len(nodes)]))
        at += len(nodes)
    return out


def _largest_power_below(n: int) -> int:
    """Return the largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def tree_root(tree_size: int, subtree: SubtreeHashes) -> bytes:
    """Return ``MTH(D[tree_size])`` from at most ``log2(tree_size) + 1`` stored subtrees."""
    _check_size(tree_size, "tree_size")
    if tree_size == 0:
        return EMPTY_ROOT
    return _range_hashes([(0, tree_size)], subtree)[0]


def inclusion_proof(*, leaf_index: int, tree_size: int, subtree: SubtreeHashes) -> list[bytes]:
    """Return ``PATH(leaf_index, D[tree_size])`` (RFC 9162 §2.1.3.1), leaf side first."""
    _check_size(leaf_index, "leaf_index")
    if leaf_index >= tree_size:
        raise MerkleError(f"leaf index {leaf_index} is outside a tree of size {tree_size}")
    # Walk down from the root; each step contributes the sibling range of the side taken.
    ranges: list[tuple[int, int]] = []
    begin, end = 0, tree_size
    while end - begin > 1:
        k = _largest_power_below(end - begin)
        if leaf_index < begin + k:
            ranges.append((begin + k, end))
            end = begin + k
        else:
            ranges.append((begin, begin + k))
            begin += k
    ranges.reverse()
    return _range_hashes(ranges, subtree)


def consistency_proof(*, size1: int, size2: int, subtree: SubtreeHashes) -> list[bytes]:
    """Return ``PROOF(size1, D[size2])`` (RFC 9162 §2.1.4.1); empty when the sizes are equal."""
    if not 0 < size1 <= size2:
        raise MerkleError(f"need 0 < size1 <= size2, got size1={size1}, size2={size2}")
    # Walk SUBPROOF(m, D[begin:end], complete) down from the root.
    ranges: list[tuple[int, int]] = []
    begin, end, complete = 0, size2, True
    while size1 < end:
        k = _largest_power_below(end - begin)
        if size1 - begin <= k:
            ranges.append((begin + k, end))
            end = begin + k
        else:
            ranges.append((begin, begin + k))
            begin += k
            complete = False
    if not complete:
        # SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's own subtree.
        ranges.append((begin, end))
    ranges.reverse()
    return _range_hashes(ranges, subtree)


def load_compact_range(tree_size: int, subtree: SubtreeHashes) -> CompactRange:
    """Rebuild the right edge of a stored tree with one batched read."""
    _check_size(tree_size, "tree_size")
    nodes = _range_nodes(0, tree_size)
    return CompactRange(tree_size, subtree.read_subtrees(nodes) if nodes else [])


class MemorySubtreeStore:
    """An in-memory log: every completed subtree, by level. For tests and small tools.

    It implements both ``SubtreeHashes`` and ``TileReader`` (tiles are sliced from the
    levels that are multiples of ``TILE_HEIGHT``).
    """

    __slots__ = ("_levels", "_range")

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = []
        self._range = CompactRange()
        self.extend(leaf_hashes)

    @property
    def size(self) -> int:
        """The number of leaves stored."""
        return self._range.size

    def root(self) -> bytes:
        """Return the root of the whole stored tree."""
        return self._range.root()

    def extend(self, leaf_hashes: Iterable[bytes]) -> list[CompletedSubtree]:
        """Append leaf hashes, store every completed subtree and return them."""
        completed = self._range.extend(leaf_hashes)
        levels = self._levels
        for level, _index, h in completed:
            # Subtrees complete in index order at every level, so appending keeps index == slot.
            if level == len(levels):
                levels.append([])
            levels[level].append(h)
        return completed

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        """Return stored subtree hashes; raise ``MerkleError`` for one not yet complete."""
        out: list[bytes] = []
        for level, index in nodes:
            if not 0 <= level < len(self._levels) or not 0 <= index < len(self._levels[level]):
                raise MerkleError(f"subtree (level {level}, index {index}) is not stored")
            out.append(self._levels[level][index])
        return out

    def read_tiles(self, tiles: Sequence[tuple[int, int]], /) -> list[bytes]:
        """Return each tile as stored by a tiled database: up to 256 concatenated hashes."""
        out: list[bytes] = []
        for tile_level, tile_index in tiles:
            level = tile_level * TILE_HEIGHT
            row = self._levels[level] if level < len(self._levels) else []
            blob = b"".join(row[tile_index * TILE_WIDTH : (tile_index + 1) * TILE_WIDTH])
            if not blob:
                raise MerkleError(f"tile (level {tile_level}, index {tile_index}) is empty")
            out.append(blob)
        return out


# Tiles.


class TileSpan(NamedTuple):
    """Where a subtree lives in a tiled store: ``length`` hashes of a tile from ``start``."""

    tile_level: int
    tile_index: int
    start: int
    length: int


def tile_for_subtree(level: int, index: int) -> TileSpan:
    """Locate subtree ``(level, index)`` in tiles of height ``TILE_HEIGHT``.

    The subtree's hash is the root of the ``length`` consecutive hashes of tile
    ``(tile_level, tile_index)`` starting at slot ``start``. When ``length == 1`` (``level`` is
    a multiple of ``TILE_HEIGHT``) the subtree is stored in the tile itself, at slot
    ``start``; those are the only subtrees a tiled store persists.
    """
    if level < 0 or index < 0:
        raise MerkleError(f"subtree (level {level}, index {index}) does not exist")
    tile_level, height = divmod(level, TILE_HEIGHT)
    first = index << height
    return TileSpan(tile_level, first >> TILE_HEIGHT, first & (TILE_WIDTH - 1), 1 << height)


def tile_path(tile_level: int, tile_index: int, width: int = TILE_WIDTH) -> str:
    """Return the C2SP tlog-tiles resource path, e.g. ``tile/0/x001/x234/067.p/5``."""
    if not 0 <= tile_level <= 63 or tile_index < 0 or not 0 < width <= TILE_WIDTH:
        raise MerkleError(f"no tile (level {tile_level}, index {tile_index}, width {width})")
    digits = str(tile_index)
    digits = digits.zfill(-(-len(digits) // 3) * 3)
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([f"x{g}" for g in groups[:-1]] + groups[-1:])
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{tile_level}/{path}{suffix}"


class TiledSubtreeHashes:
    """``SubtreeHashes`` over a ``TileReader``: one batched tile read per call."""

    __slots__ = ("_tiles",)

    def __init__(self, tiles: TileReader) -> None:
        self._tiles = tiles

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        """Return subtree hashes, recomputing the levels inside each tile."""
        spans = [tile_for_subtree(level, index) for level, index in nodes]
        keys = list(dict.fromkeys((s.tile_level, s.tile_index) for s in spans))
        blobs = dict(zip(keys, self._tiles.read_tiles(keys), strict=True))
        out: list[bytes] = []
        for span in spans:
            blob = blobs[span.tile_level, span.tile_index]
            lo, hi = span.start * HASH_SIZE, (span.start + span.length) * HASH_SIZE
            if len(blob) % HASH_SIZE or len(blob) < hi:
                raise MerkleError(
                    f"tile (level {span.tile_level}, index {span.tile_index}) has "
                    f"{len(blob)} bytes; slots up to {span.start + span.length} are needed"
                )
            if span.length == 1:
                out.append(blob[lo:hi])
            else:
                row = [blob[i : i + HASH_SIZE] for i in range(lo, hi, HASH_SIZE)]
                out.append(root_from_leaf_hashes(row))
        return out
