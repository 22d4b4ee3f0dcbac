"""Signed checkpoints of the log (C2SP tlog-checkpoint, signed by the root key).

A checkpoint commits the registry to the first ``tree_size`` leaves. Before signing a new
one the registry checks, from its own stored subtrees, that the new tree extends the last
checkpointed one (a consistency proof): a corrupted store makes it refuse to sign rather
than publish a fork that monitors would then catch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from labeling.keycustody import Signer
from labeling.translog import store
from labeling.translog.tree import consistency_proof, tree_root
from schemas.types import utcnow
from verify.checkpoint import build_checkpoint
from verify.merkle import MerkleError, verify_consistency

__all__ = ["LogIntegrityError", "SignedCheckpoint", "is_due", "latest", "make_checkpoint"]


class LogIntegrityError(RuntimeError):
    """The stored tree does not extend the last signed checkpoint; nothing is signed."""


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """A stored checkpoint."""

    tree_size: int
    root_hash: bytes
    note: str
    created_at: datetime


def latest(session: Session) -> SignedCheckpoint | None:
    """The newest signed checkpoint, if any."""
    row = store.latest_checkpoint(session.connection())
    return SignedCheckpoint(*row) if row else None


def is_due(
    checkpoint: SignedCheckpoint | None, *, tree_size: int, interval: timedelta, now: datetime
) -> bool:
    """Whether a new checkpoint is owed: none yet, or the tree grew and the last is old."""
    if checkpoint is None:
        return True
    return tree_size > checkpoint.tree_size and now - checkpoint.created_at >= interval


def make_checkpoint(
    session: Session, *, signer: Signer, origin: str, interval: timedelta | None = None
) -> tuple[SignedCheckpoint, bool]:
    """Sign and store a checkpoint of the current tree, unless there is no need.

    With ``interval``, a checkpoint is made only when :func:`is_due`; without, whenever the
    tree grew since the last one. Commits. Returns ``(checkpoint, created)``.
    """
    # 1. Serialise with appenders and other checkpointers, then read the state.
    connection = store.lock_log(session)
    size = store.tree_size(connection)
    previous = latest(session)
    now = utcnow()
    if previous is not None and (
        previous.tree_size == size
        or (
            interval is not None
            and not is_due(previous, tree_size=size, interval=interval, now=now)
        )
    ):
        session.rollback()
        return previous, False
    # 2. The root from the stored subtrees (at most log2(n) + 1 of them, one query).
    subtrees = store.StoredSubtrees(connection)
    try:
        root = tree_root(size, subtrees)
    except MerkleError as exc:
        session.rollback()
        raise LogIntegrityError(f"the stored tree of {size} leaves is incomplete: {exc}") from None
    # 3. The new tree must extend the last signed one.
    if previous is not None and previous.tree_size > 0:
        try:
            proof = consistency_proof(size1=previous.tree_size, size2=size, subtree=subtrees)
            verify_consistency(
                size1=previous.tree_size,
                size2=size,
                root1=previous.root_hash,
                root2=root,
                proof=proof,
            )
        except MerkleError as exc:  # ProofError included
            session.rollback()
            raise LogIntegrityError(
                f"the stored tree of {size} leaves does not extend checkpoint "
                f"{previous.tree_size}: {exc}"
            ) from None
    # 4. Sign (the root key's note name is the origin) and store.
    note = build_checkpoint(
        origin=origin,
        tree_size=size,
        root_hash=root,
        sign=signer.sign,
        key_name=origin,
        public_key=signer.public_key_raw,
    )
    store.insert_checkpoint(connection, tree_size=size, root_hash=root, note=note, at=now)
    session.commit()
    return SignedCheckpoint(size, root, note, now), True
