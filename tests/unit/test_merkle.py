"""Tests for verify.merkle and labeling.translog.tree: vectors, a reference, appender, tiles."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labeling.translog.tree import (
    MemorySubtreeStore,
    TiledSubtreeHashes,
    consistency_proof,
    inclusion_proof,
    load_compact_range,
    tile_for_subtree,
    tile_path,
    tree_root,
)
from verify.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleError,
    ProofError,
    Subtree,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

# RFC 9162 vectors from transparency-dev/merkle, copied into tests/vectors/ with their licence.
VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "merkle" / "testdata"


def _vector_files(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json"))


INCLUSION_VECTORS = _vector_files("inclusion")
CONSISTENCY_VECTORS = _vector_files("consistency")


def _vector_id(path: Path) -> str:
    return path.relative_to(VECTORS).with_suffix("").as_posix()


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _proof(value: list[str] | None) -> list[bytes]:
    return [_b64(p) for p in value or []]


def test_vectors_are_present() -> None:
    # An empty parametrization would be skipped silently; this makes a missing checkout fail.
    assert len(INCLUSION_VECTORS) > 0, f"no inclusion vectors under {VECTORS}"
    assert len(CONSISTENCY_VECTORS) > 0, f"no consistency vectors under {VECTORS}"
    ids = {_vector_id(p) for p in INCLUSION_VECTORS + CONSISTENCY_VECTORS}
    assert any(i.startswith("inclusion/additional/") for i in ids)
    assert any(i.startswith("consistency/additional/") for i in ids)
    assert any(i.startswith("inclusion/single-entry/") for i in ids)


@pytest.mark.parametrize("path", INCLUSION_VECTORS, ids=_vector_id)
def test_inclusion_vector(path: Path) -> None:
    v = _load(path)

    def run() -> None:
        verify_inclusion(
            leaf_index=v["leafIdx"],
            tree_size=v["treeSize"],
            leaf_hash=_b64(v["leafHash"]),
            proof=_proof(v["proof"]),
            root=_b64(v["root"]),
        )

    if v["wantErr"]:
        with pytest.raises(ProofError):
            run()
    else:
        run()


@pytest.mark.parametrize("path", CONSISTENCY_VECTORS, ids=_vector_id)
def test_consistency_vector(path: Path) -> None:
    v = _load(path)

    def run() -> None:
        verify_consistency(
            size1=v["size1"],
            size2=v["size2"],
            root1=_b64(v["root1"]),
            root2=_b64(v["root2"]),
            proof=_proof(v["proof"]),
        )

    if v["wantErr"]:
        with pytest.raises(ProofError):
            run()
    else:
        run()


# Known answers: the RFC 6962 test leaves used by transparency-dev/merkle, and their roots.
RFC_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
RFC_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_hash_primitives() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_from_leaf_hashes([]) == EMPTY_ROOT
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert (
        node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    )


@pytest.mark.parametrize("size", range(1, 9))
def test_known_roots(size: int) -> None:
    hashes = [leaf_hash(d) for d in RFC_LEAVES[:size]]
    assert root_from_leaf_hashes(hashes).hex() == RFC_ROOTS[size - 1]
    assert tree_root(size, MemorySubtreeStore(hashes)).hex() == RFC_ROOTS[size - 1]


# A naive reference: the recursive definitions of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1.


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: Sequence[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return ref_path(m, d[:k]) + [ref_mth(d[k:])]
    return ref_path(m - k, d[k:]) + [ref_mth(d[:k])]


def ref_subproof(m: int, d: Sequence[bytes], complete: bool) -> list[bytes]:
    if m == len(d):
        return [] if complete else [ref_mth(d)]
    k = _k(len(d))
    if m <= k:
        return ref_subproof(m, d[:k], complete) + [ref_mth(d[k:])]
    return ref_subproof(m - k, d[k:], False) + [ref_mth(d[:k])]


MAX_SIZE = 2000
LEAVES = [leaf_hash(i.to_bytes(4, "big")) for i in range(MAX_SIZE)]
STORE = MemorySubtreeStore(LEAVES)


class BoundedStore:
    """Serve subtrees of STORE, failing on any that reaches past ``tree_size``."""

    def __init__(self, tree_size: int, inner: MemorySubtreeStore | TiledSubtreeHashes = STORE):
        self.tree_size = tree_size
        self.inner = inner
        self.calls = 0
        self.nodes = 0

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        self.calls += 1
        self.nodes += len(nodes)
        for level, index in nodes:
            assert (index + 1) << level <= self.tree_size, (level, index, self.tree_size)
        return self.inner.read_subtrees(nodes)


def _log_bound(n: int) -> int:
    return 2 * n.bit_length() + 2


sizes = st.integers(min_value=1, max_value=MAX_SIZE)


@given(size=sizes, data=st.data())
@settings(max_examples=150, deadline=None)
def test_inclusion_proofs_match_reference_and_verify(size: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    store = BoundedStore(size)
    proof = inclusion_proof(leaf_index=index, tree_size=size, subtree=store)
    assert store.calls == 1 and store.nodes <= _log_bound(size)
    assert proof == ref_path(index, LEAVES[:size])
    root = root_from_leaf_hashes(LEAVES[:size])
    assert root == ref_mth(LEAVES[:size])
    verify_inclusion(
        leaf_index=index, tree_size=size, leaf_hash=LEAVES[index], proof=proof, root=root
    )


@given(size2=sizes, data=st.data())
@settings(max_examples=150, deadline=None)
def test_consistency_proofs_match_reference_and_verify(size2: int, data: st.DataObject) -> None:
    size1 = data.draw(st.integers(min_value=1, max_value=size2))
    store = BoundedStore(size2)
    proof = consistency_proof(size1=size1, size2=size2, subtree=store)
    assert store.calls == 1 and store.nodes <= _log_bound(size2)
    assert proof == ref_subproof(size1, LEAVES[:size2], True)
    verify_consistency(
        size1=size1,
        size2=size2,
        root1=root_from_leaf_hashes(LEAVES[:size1]),
        root2=root_from_leaf_hashes(LEAVES[:size2]),
        proof=proof,
    )


@given(size=st.integers(min_value=0, max_value=MAX_SIZE))
@settings(max_examples=100, deadline=None)
def test_tree_root_matches_reference(size: int) -> None:
    store = BoundedStore(size)
    assert tree_root(size, store) == ref_mth(LEAVES[:size])
    assert store.nodes <= _log_bound(size)
    assert load_compact_range(size, store).root() == ref_mth(LEAVES[:size])


def _flip(value: bytes, bit: int) -> bytes:
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@given(size=sizes, data=st.data())
@settings(max_examples=150, deadline=None)
def test_any_bit_flip_breaks_inclusion(size: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = inclusion_proof(leaf_index=index, tree_size=size, subtree=STORE)
    args: dict[str, Any] = {
        "leaf_index": index,
        "tree_size": size,
        "leaf_hash": LEAVES[index],
        "proof": proof,
        "root": root_from_leaf_hashes(LEAVES[:size]),
    }
    targets = ["root", "leaf_hash"] + [f"proof[{i}]" for i in range(len(proof))]
    target = data.draw(st.sampled_from(targets))
    bit = data.draw(st.integers(min_value=0, max_value=255))
    if target.startswith("proof"):
        i = int(target[6:-1])
        args["proof"] = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
    else:
        args[target] = _flip(args[target], bit)
    with pytest.raises(ProofError):
        verify_inclusion(**args)


@given(size2=st.integers(min_value=2, max_value=MAX_SIZE), data=st.data())
@settings(max_examples=150, deadline=None)
def test_any_bit_flip_breaks_consistency(size2: int, data: st.DataObject) -> None:
    size1 = data.draw(st.integers(min_value=1, max_value=size2 - 1))
    proof = consistency_proof(size1=size1, size2=size2, subtree=STORE)
    args: dict[str, Any] = {
        "size1": size1,
        "size2": size2,
        "root1": root_from_leaf_hashes(LEAVES[:size1]),
        "root2": root_from_leaf_hashes(LEAVES[:size2]),
        "proof": proof,
    }
    targets = ["root1", "root2"] + [f"proof[{i}]" for i in range(len(proof))]
    target = data.draw(st.sampled_from(targets))
    bit = data.draw(st.integers(min_value=0, max_value=255))
    if target.startswith("proof"):
        i = int(target[6:-1])
        args["proof"] = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
    else:
        args[target] = _flip(args[target], bit)
    with pytest.raises(ProofError):
        verify_consistency(**args)


def test_root_from_inclusion_proof_rejects_wrong_lengths() -> None:
    proof = inclusion_proof(leaf_index=5, tree_size=13, subtree=STORE)
    root = root_from_leaf_hashes(LEAVES[:13])
    assert (
        root_from_inclusion_proof(leaf_index=5, tree_size=13, leaf_hash=LEAVES[5], proof=proof)
        == root
    )
    with pytest.raises(ProofError, match="too short"):
        root_from_inclusion_proof(leaf_index=5, tree_size=13, leaf_hash=LEAVES[5], proof=proof[:-1])
    with pytest.raises(ProofError, match="too long"):
        root_from_inclusion_proof(
            leaf_index=5, tree_size=13, leaf_hash=LEAVES[5], proof=[*proof, root]
        )
    with pytest.raises(ProofError, match="32 bytes"):
        root_from_inclusion_proof(
            leaf_index=5, tree_size=13, leaf_hash=LEAVES[5], proof=[*proof[:-1], proof[-1][:31]]
        )
    with pytest.raises(ProofError, match="negative"):
        verify_consistency(size1=-1, size2=3, root1=root, root2=root, proof=[])


def test_generation_rejects_bad_arguments() -> None:
    with pytest.raises(MerkleError, match="outside"):
        inclusion_proof(leaf_index=10, tree_size=10, subtree=STORE)
    with pytest.raises(MerkleError, match="negative"):
        inclusion_proof(leaf_index=-1, tree_size=10, subtree=STORE)
    for size1, size2 in [(0, 5), (6, 5), (0, 0)]:
        with pytest.raises(MerkleError, match="size1"):
            consistency_proof(size1=size1, size2=size2, subtree=STORE)
    assert consistency_proof(size1=7, size2=7, subtree=STORE) == []
    with pytest.raises(MerkleError, match="not stored"):
        inclusion_proof(leaf_index=0, tree_size=MAX_SIZE + 1, subtree=STORE)
    with pytest.raises(MerkleError, match="not stored"):
        STORE.read_subtrees([(-1, 0)])
    assert issubclass(ProofError, MerkleError)


# The appender.


@given(chunks=st.lists(st.integers(min_value=0, max_value=70), max_size=30))
@settings(max_examples=100, deadline=None)
def test_compact_range_in_chunks_matches_store(chunks: list[int]) -> None:
    cr = CompactRange()
    completed: list[tuple[int, int, bytes]] = []
    at = 0
    for n in chunks:
        n = min(n, MAX_SIZE - at)
        completed += cr.extend(LEAVES[at : at + n])
        at += n
        assert cr.size == at
        assert cr.root() == ref_mth(LEAVES[:at])
    # Every completed subtree is reported once, with the hash the store holds for it.
    assert len({(level, index) for level, index, _ in completed}) == len(completed)
    for level, index, h in completed:
        assert (index + 1) << level <= at
        assert STORE.read_subtrees([(level, index)]) == [h]
    # The reported subtrees are exactly the perfect subtrees of the first ``at`` leaves.
    assert len(completed) == sum(at >> level for level in range(at.bit_length()))


def test_compact_range_resumes_from_store_and_append() -> None:
    store = MemorySubtreeStore(LEAVES[:1000])
    resumed = load_compact_range(1000, store)
    assert resumed.append(LEAVES[1000]) == [(0, 1000, LEAVES[1000])]
    completed = resumed.append(LEAVES[1001])
    assert [(level, index) for level, index, _ in completed] == [(0, 1001), (1, 500)]
    assert resumed.root() == ref_mth(LEAVES[:1002])


def test_compact_range_rejects_bad_input_without_changing() -> None:
    with pytest.raises(MerkleError):
        CompactRange(3, [LEAVES[0]])
    cr = CompactRange()
    cr.extend(LEAVES[:3])
    root = cr.root()
    with pytest.raises(MerkleError, match="32 bytes"):
        cr.extend([LEAVES[3], b"short"])
    assert cr.size == 3 and cr.root() == root
    assert CompactRange().root() == EMPTY_ROOT


# Tiles.


def test_tile_for_subtree() -> None:
    assert tile_for_subtree(0, 0) == (0, 0, 0, 1)
    assert tile_for_subtree(0, 300) == (0, 1, 44, 1)
    assert tile_for_subtree(3, 37) == (0, 1, 40, 8)
    assert tile_for_subtree(7, 1) == (0, 0, 128, 128)
    assert tile_for_subtree(8, 5) == (1, 0, 5, 1)
    assert tile_for_subtree(17, 3) == (2, 0, 6, 2)
    with pytest.raises(MerkleError):
        tile_for_subtree(-1, 0)


def test_tile_path() -> None:
    # Examples from C2SP tlog-tiles.
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 5, 17) == "tile/1/005.p/17"
    assert tile_path(2, 0, 1) == "tile/2/000.p/1"
    assert tile_path(0, 1000) == "tile/0/x001/000"
    for bad in [(64, 0, 256), (0, -1, 256), (0, 0, 0), (0, 0, 257)]:
        with pytest.raises(MerkleError):
            tile_path(*bad)


@pytest.fixture(scope="module")
def store_70000() -> MemorySubtreeStore:
    return MemorySubtreeStore(leaf_hash(i.to_bytes(4, "big")) for i in range(70_000))


def test_tiles_of_a_70000_leaf_tree(store_70000: MemorySubtreeStore) -> None:
    # C2SP tlog-tiles: 273 full level-0 tiles, a partial one of width 112, a full level-1
    # tile, a partial level-1 tile of width 17 and a partial level-2 tile of width 1.
    lengths = [
        len(b) // 32 for b in store_70000.read_tiles([(0, 272), (0, 273), (1, 0), (1, 1), (2, 0)])
    ]
    assert lengths == [256, 112, 256, 17, 1]
    with pytest.raises(MerkleError, match="empty"):
        store_70000.read_tiles([(0, 274)])


@pytest.mark.parametrize("size", [1, 255, 256, 257, 65_536, 65_537, 69_999, 70_000])
def test_tiled_reads_give_the_same_proofs(store_70000: MemorySubtreeStore, size: int) -> None:
    tiled = TiledSubtreeHashes(store_70000)
    for index in sorted({0, size // 3, size // 2, size - 1}):
        assert inclusion_proof(leaf_index=index, tree_size=size, subtree=tiled) == (
            inclusion_proof(leaf_index=index, tree_size=size, subtree=store_70000)
        )
    for size1 in sorted({1, size // 2 or 1, size}):
        assert consistency_proof(size1=size1, size2=size, subtree=tiled) == (
            consistency_proof(size1=size1, size2=size, subtree=store_70000)
        )
    assert tree_root(size, tiled) == tree_root(size, store_70000)


@given(size=sizes, data=st.data())
@settings(max_examples=50, deadline=None)
def test_tiled_reads_match_the_reference(size: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    store = BoundedStore(size, TiledSubtreeHashes(STORE))
    assert inclusion_proof(leaf_index=index, tree_size=size, subtree=store) == ref_path(
        index, LEAVES[:size]
    )


def test_tiled_reads_reject_short_tiles() -> None:
    class ShortTiles:
        def read_tiles(self, tiles: Sequence[tuple[int, int]], /) -> list[bytes]:
            return [b"\x00" * 32 * 3 for _ in tiles]

    with pytest.raises(MerkleError, match="slots up to 8"):
        TiledSubtreeHashes(ShortTiles()).read_subtrees([(3, 0)])
