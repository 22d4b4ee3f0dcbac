"""The public log API: proofs verify against signed checkpoints; bad input is a problem."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlmodel import Session

from core.settings import Settings
from labeling.translog.checkpointer import checkpoint_now
from labeling.translog.proofs import prove_consistency, prove_inclusion
from labeling.translog.tree import MemorySubtreeStore, consistency_proof, inclusion_proof
from tests.translog.helpers import leaf_hashes_from_data, seed_events
from verify.checkpoint import parse_checkpoint
from verify.merkle import verify_consistency, verify_inclusion

PROBLEM = "application/problem+json"


def _checkpoint(client: TestClient) -> tuple[int, bytes]:
    response = client.get("/log/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    checkpoint = parse_checkpoint(response.text)
    return checkpoint.tree_size, checkpoint.root_hash


def test_inclusion_proofs_verify_against_the_checkpoint(
    log_client: TestClient, session: Session, settings: Settings
) -> None:
    seed_events(session, 40)
    checkpoint_now(settings)
    size, root = _checkpoint(log_client)
    assert size == 42  # two key.registered events from start-up, then 40
    for index in (0, 1, 2, 17, 40, 41):
        body = log_client.get("/log/proof/inclusion", params={"index": index, "size": size}).json()
        verify_inclusion(
            leaf_index=index,
            tree_size=size,
            leaf_hash=bytes.fromhex(body["leaf_hash"]),
            proof=[bytes.fromhex(h) for h in body["inclusion_path"]],
            root=root,
        )
    by_hash = log_client.get(
        "/log/proof/inclusion", params={"leaf_hash": body["leaf_hash"], "size": size}
    ).json()
    assert by_hash["leaf_index"] == 41 and by_hash["inclusion_path"] == body["inclusion_path"]


def test_consistency_proofs_verify_between_checkpoints(
    log_client: TestClient, session: Session, settings: Settings
) -> None:
    old_size, old_root = _checkpoint(log_client)
    seed_events(session, 25)
    checkpoint_now(settings)
    new_size, new_root = _checkpoint(log_client)
    body = log_client.get("/log/proof/consistency", params={"from": old_size, "to": new_size})
    assert body.status_code == 200
    verify_consistency(
        size1=old_size,
        size2=new_size,
        root1=old_root,
        root2=new_root,
        proof=[bytes.fromhex(h) for h in body.json()["consistency_path"]],
    )
    same = log_client.get("/log/proof/consistency", params={"from": new_size, "to": new_size})
    assert same.json()["consistency_path"] == []


def test_stored_proofs_equal_in_memory_proofs_for_every_small_tree(session: Session) -> None:
    """Every size 1..70, every index: the database proofs are the reference proofs."""
    for _ in range(70):
        seed_events(session, 1)
    connection = session.connection()
    memory = MemorySubtreeStore(leaf_hashes_from_data(connection))
    for size in range(1, 71):
        for index in range(size):
            stored = prove_inclusion(connection, leaf_index=index, tree_size=size)
            assert stored.path == inclusion_proof(leaf_index=index, tree_size=size, subtree=memory)
        for first in range(1, size + 1):
            assert prove_consistency(connection, first=first, second=size) == consistency_proof(
                size1=first, size2=size, subtree=memory
            )


def test_entries_are_paginated_and_recompute_their_leaf_hashes(
    log_client: TestClient, session: Session
) -> None:
    seed_events(session, 5)
    page = log_client.get("/log/entries", params={"start": 0, "limit": 4}).json()
    assert [e["leaf_index"] for e in page["entries"]] == [0, 1, 2, 3]
    assert page["next_start"] == 4 and page["tree_size"] == 7
    for entry in page["entries"]:
        data = entry["data"].encode()
        assert hashlib.sha256(b"\x00" + data).hexdigest() == entry["leaf_hash"]
    last = log_client.get("/log/entries", params={"start": 4, "limit": 1000}).json()
    assert len(last["entries"]) == 3 and last["next_start"] is None
    end = log_client.get("/log/entries", params={"start": 7}).json()
    assert end["entries"] == [] and end["next_start"] is None


BAD_REQUESTS: list[tuple[str, dict[str, object], int, str]] = [
    ("/log/proof/inclusion", {"index": -1, "size": 2}, 422, "validation-error"),
    ("/log/proof/inclusion", {"index": 2**63, "size": 2}, 422, "validation-error"),
    ("/log/proof/inclusion", {"index": 0, "size": 2**64}, 422, "validation-error"),
    ("/log/proof/inclusion", {"index": "1e3", "size": 2}, 422, "validation-error"),
    ("/log/proof/inclusion", {"index": 2, "size": 2}, 422, "index-outside-tree"),
    ("/log/proof/inclusion", {"index": 0, "size": 0}, 422, "empty-tree-proof"),
    ("/log/proof/inclusion", {"size": 2}, 422, "bad-proof-request"),
    (
        "/log/proof/inclusion",
        {"index": 0, "leaf_hash": "00" * 32, "size": 2},
        422,
        "bad-proof-request",
    ),
    ("/log/proof/inclusion", {"leaf_hash": "zz" * 32, "size": 2}, 422, "leaf-hash-invalid"),
    ("/log/proof/inclusion", {"leaf_hash": "ab", "size": 2}, 422, "leaf-hash-invalid"),
    ("/log/proof/inclusion", {"leaf_hash": "00" * 32, "size": 2}, 404, "leaf-not-found"),
    ("/log/proof/inclusion", {"index": 0, "size": 3}, 404, "tree-size-not-reached"),
    ("/log/proof/inclusion", {"index": 1, "size": 2**63 - 1}, 404, "tree-size-not-reached"),
    ("/log/proof/consistency", {"from": 0, "to": 2}, 422, "sizes-out-of-order"),
    ("/log/proof/consistency", {"from": 2, "to": 1}, 422, "sizes-out-of-order"),
    ("/log/proof/consistency", {"from": 1, "to": 2**63 - 1}, 404, "tree-size-not-reached"),
    ("/log/proof/consistency", {"from": 3, "to": 3}, 404, "tree-size-not-reached"),
    ("/log/proof/consistency", {"from": -5, "to": 2}, 422, "validation-error"),
    ("/log/proof/consistency", {"from": 1, "to": 2**70}, 422, "validation-error"),
    ("/log/entries", {"start": 3}, 404, "entries-not-found"),
    ("/log/entries", {"start": 2**63}, 422, "validation-error"),
    ("/log/entries", {"limit": 1001}, 422, "page-size-too-large"),
    ("/log/entries", {"limit": 0}, 422, "validation-error"),
]


def test_bad_requests_are_problems_never_500(log_client: TestClient) -> None:
    """Negative, huge (> 2**63), out-of-range and contradictory numbers: 422 or 404."""
    for path, params, status, slug in BAD_REQUESTS:
        response = log_client.get(path, params=params)
        case = f"{path} {params}"
        assert response.status_code == status, case
        assert response.headers["content-type"] == PROBLEM, case
        assert response.json()["type"].endswith("/" + slug), case


def test_every_log_route_documents_its_problems(log_client: TestClient) -> None:
    paths = log_client.get("/openapi.json").json()["paths"]
    for path in ("/log/proof/inclusion", "/log/proof/consistency", "/log/entries"):
        responses = paths[path]["get"]["responses"]
        assert {"404", "422"} <= responses.keys()
        assert PROBLEM in responses["422"]["content"]
    assert "503" in paths["/log/checkpoint"]["get"]["responses"]
    assert "503" in paths["/.well-known/khatem/trust-list.json"]["get"]["responses"]
