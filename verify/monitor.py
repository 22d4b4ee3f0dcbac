"""``khatem log audit``: an independent monitor of a registry's transparency log.

It needs nothing but HTTP access to the registry, the registry's root verifier key
(pinned once, out of band) and a state file. Each run:

1. loads the state: the last checkpoint it trusted (and, if it checks entries, the right
   edge of that tree);
2. fetches ``GET /log/checkpoint`` and verifies its signature with the pinned root vkey
   and its origin (the vkey's name) — a bad signature is an alarm;
3. compares sizes: smaller than trusted is a **rollback**; equal with another root is a
   **fork**;
4. for a larger tree, fetches ``GET /log/proof/consistency`` and verifies it (RFC 9162
   section 2.1.4.2) — a failure means the registry rewrote history: a **fork**;
5. optionally (``check_entries``) fetches the new entries, recomputes every leaf hash from
   the entry data and the new root from the old right edge — a mismatch is an alarm;
6. saves the new checkpoint as trusted, atomically, only when every check passed. On an
   alarm it keeps the old state and writes both signed checkpoints to
   ``<state>.evidence.json``: two notes signed by the same key that cannot both be true are
   proof a third party can check.

Errors: :class:`MonitorAlarm` (the registry misbehaved; ``kind`` is ``rollback``, ``fork``,
``bad-signature`` or ``bad-entries``) and :class:`MonitorError` (the monitor could not
check: network, state file, missing pin).

The monitor is what an outside auditor runs, so it lives in the verification library: it
imports nothing from ``labeling`` or ``core``; ``khatem log audit`` (labeling/cli_keys.py) is
its command line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from verify.checkpoint import (
    Checkpoint,
    CheckpointError,
    VerifierKey,
    parse_vkey,
    verify_checkpoint,
)
from verify.merkle import CompactRange, CompletedSubtree, ProofError, verify_consistency

__all__ = ["AuditReport", "MonitorAlarm", "MonitorError", "MonitorState", "audit_log"]

MAX_RESPONSE_BYTES = 4 << 20
ENTRIES_PAGE = 1000


class MonitorError(Exception):
    """The monitor could not complete a check (nothing is concluded about the registry)."""


class MonitorAlarm(Exception):
    """The registry presented a log that contradicts what it signed before."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


@dataclass
class MonitorState:
    """What the monitor trusts: the pinned vkey and the last verified checkpoint."""

    vkey: str
    checkpoint: str | None = None
    tree_size: int = 0
    root_hash: str = ""
    edge: list[str] | None = None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n"

    @classmethod
    def load(cls, path: Path) -> MonitorState | None:
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise MonitorError(f"cannot read the state file {path}: {exc}") from None


@dataclass(frozen=True)
class AuditReport:
    """The outcome of one clean run."""

    previous_size: int | None
    tree_size: int
    root_hash: bytes
    entries_checked: int = 0

    def summary(self) -> str:
        root = base64.b64encode(self.root_hash).decode()
        if self.previous_size is None:
            head = f"first run: trusting tree size {self.tree_size} (root {root})"
        elif self.previous_size == self.tree_size:
            head = f"unchanged at tree size {self.tree_size}"
        else:
            head = f"consistent: tree grew from {self.previous_size} to {self.tree_size}"
        extra = f"; {self.entries_checked} entries recomputed" if self.entries_checked else ""
        return head + extra


def _get(client: httpx.Client, path: str, params: dict[str, int] | None = None) -> httpx.Response:
    try:
        response = client.get(path, params=params)
    except httpx.HTTPError as exc:
        raise MonitorError(f"GET {path} failed: {exc.__class__.__name__}: {exc}") from None
    if response.status_code != 200:
        raise MonitorError(f"GET {path} answered {response.status_code}")
    if len(response.content) > MAX_RESPONSE_BYTES:
        raise MonitorError(f"GET {path} answered more than {MAX_RESPONSE_BYTES} bytes")
    return response


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise MonitorError(f"{response.request.url.path} did not answer JSON") from None


def _hashes(values: Any, what: str) -> list[bytes]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise MonitorError(f"{what} is not a list of hex hashes")
    try:
        return [bytes.fromhex(v) for v in values]
    except ValueError:
        raise MonitorError(f"{what} holds a value that is not hex") from None


def _right_edge(size: int) -> list[tuple[int, int]]:
    nodes, begin = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            nodes.append((level, begin >> level))
            begin += 1 << level
    return nodes


def _edge_after(
    old_size: int, old_edge: Sequence[bytes], completed: Sequence[CompletedSubtree], size: int
) -> list[bytes]:
    known = dict(zip(_right_edge(old_size), old_edge, strict=True))
    known.update({(level, index): digest for level, index, digest in completed})
    return [known[node] for node in _right_edge(size)]


def _check_entries(
    client: httpx.Client, state: MonitorState | None, checkpoint: Checkpoint
) -> tuple[int, list[bytes]]:
    """Step 5: recompute the new leaves and root; returns (entries checked, new edge)."""
    if state is not None and state.edge is not None:
        start, edge = state.tree_size, [base64.b64decode(h) for h in state.edge]
    else:
        start, edge = 0, []
    tree = CompactRange(start, edge)
    completed: list[CompletedSubtree] = []
    root_at_trusted: bytes | None = None
    index = start
    while index < checkpoint.tree_size:
        limit = min(ENTRIES_PAGE, checkpoint.tree_size - index)
        page = _json(_get(client, "/log/entries", {"start": index, "limit": limit}))
        entries = page.get("entries") if isinstance(page, dict) else None
        if not isinstance(entries, list) or not entries:
            raise MonitorError(f"the registry served no entries from {index}")
        for entry in entries[:limit]:
            if not isinstance(entry, dict) or entry.get("leaf_index") != index:
                raise MonitorAlarm("bad-entries", f"entry {index} is missing or out of order")
            data = entry.get("data")
            if not isinstance(data, str):
                raise MonitorError(f"entry {index} has no data")
            leaf = hashlib.sha256(b"\x00" + data.encode("utf-8", "surrogatepass")).digest()
            if entry.get("leaf_hash") != leaf.hex():
                raise MonitorAlarm("bad-entries", f"entry {index}'s hash is not its data's")
            completed.extend(tree.append(leaf))
            index += 1
            if state is not None and state.edge is None and index == state.tree_size:
                root_at_trusted = tree.root()
    if state is not None and state.edge is None and state.tree_size and root_at_trusted:
        if root_at_trusted.hex() != state.root_hash:
            raise MonitorAlarm("fork", "the entries do not rebuild the tree trusted before")
    if tree.root() != checkpoint.root_hash:
        raise MonitorAlarm("bad-entries", "the entries do not rebuild the checkpoint's root")
    return index - start, _edge_after(start, edge, completed, tree.size)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _alarm(state_path: Path, state: MonitorState, note: str, alarm: MonitorAlarm) -> MonitorAlarm:
    evidence = {"alarm": alarm.kind, "message": str(alarm), "trusted": state.checkpoint}
    evidence["served"] = note
    _write_atomically(
        state_path.with_name(state_path.name + ".evidence.json"),
        json.dumps(evidence, indent=2, sort_keys=True) + "\n",
    )
    return alarm


def _pinned_key(state: MonitorState | None, root_vkey: str | None) -> tuple[str, VerifierKey]:
    """Step 1: the vkey the state pins (or, on a first run, the one given) and its key."""
    if state is not None and root_vkey is not None and root_vkey != state.vkey:
        raise MonitorError("--root-vkey differs from the key pinned in the state file")
    pinned = root_vkey if state is None else state.vkey
    if pinned is None:
        raise MonitorError("first run: pin the registry's root key with --root-vkey")
    try:
        return pinned, parse_vkey(pinned)
    except CheckpointError as exc:
        raise MonitorError(f"the pinned root vkey is invalid: {exc}") from None


def _served_checkpoint(note: str, key: VerifierKey) -> Checkpoint:
    """Step 2: the served checkpoint, signed by the pinned key for the pinned origin."""
    try:
        return verify_checkpoint(note, verifier_keys=[key], origin=key.name)
    except CheckpointError as exc:
        raise MonitorAlarm("bad-signature", f"the checkpoint does not verify: {exc}") from None


def _check_history(client: httpx.Client, state: MonitorState, checkpoint: Checkpoint) -> None:
    """Steps 3 and 4: no rollback, no fork of the same size, and a larger tree extends the
    trusted one (its consistency proof verifies)."""
    old_root = bytes.fromhex(state.root_hash)
    if checkpoint.tree_size < state.tree_size:
        raise MonitorAlarm(
            "rollback",
            f"the registry now shows {checkpoint.tree_size} entries but signed "
            f"{state.tree_size} before",
        )
    if checkpoint.tree_size == state.tree_size and checkpoint.root_hash != old_root:
        raise MonitorAlarm("fork", f"two different trees of size {checkpoint.tree_size}")
    if checkpoint.tree_size > state.tree_size and state.tree_size > 0:
        params = {"from": state.tree_size, "to": checkpoint.tree_size}
        body = _json(_get(client, "/log/proof/consistency", params))
        proof = _hashes(
            body.get("consistency_path") if isinstance(body, dict) else None, "consistency_path"
        )
        try:
            verify_consistency(
                size1=state.tree_size,
                size2=checkpoint.tree_size,
                root1=old_root,
                root2=checkpoint.root_hash,
                proof=proof,
            )
        except ProofError as exc:
            raise MonitorAlarm(
                "fork", f"the new tree does not extend the trusted one: {exc}"
            ) from None


def _new_edge(
    client: httpx.Client, state: MonitorState | None, checkpoint: Checkpoint, check_entries: bool
) -> tuple[int, list[str] | None]:
    """Step 5, optional: recompute the entries; returns (entries checked, right edge to keep)."""
    if check_entries:
        entries_checked, new_edge = _check_entries(client, state, checkpoint)
        return entries_checked, [base64.b64encode(h).decode() for h in new_edge]
    if state is not None and state.edge is not None and state.tree_size == checkpoint.tree_size:
        return 0, state.edge
    return 0, None


def audit_log(
    client: httpx.Client,
    *,
    state_path: Path,
    root_vkey: str | None = None,
    check_entries: bool = False,
) -> AuditReport:
    """One monitoring round against the registry behind ``client`` (see module docstring).

    An alarm keeps the trusted state and, when there is one, writes the evidence beside it.
    """
    state = MonitorState.load(state_path)
    pinned, key = _pinned_key(state, root_vkey)
    note = _get(client, "/log/checkpoint").text
    try:
        checkpoint = _served_checkpoint(note, key)
        if state is not None and state.checkpoint is not None:
            _check_history(client, state, checkpoint)
        entries_checked, edge = _new_edge(client, state, checkpoint, check_entries)
    except MonitorAlarm as alarm:
        raise (_alarm(state_path, state, note, alarm) if state else alarm) from None
    # Step 6: trust the new checkpoint.
    new_state = MonitorState(
        vkey=pinned,
        checkpoint=note,
        tree_size=checkpoint.tree_size,
        root_hash=checkpoint.root_hash.hex(),
        edge=edge,
    )
    _write_atomically(state_path, new_state.to_json())
    return AuditReport(
        previous_size=state.tree_size if state and state.checkpoint else None,
        tree_size=checkpoint.tree_size,
        root_hash=checkpoint.root_hash,
        entries_checked=entries_checked,
    )
