"""The public transparency-log API: checkpoint, proofs and entries (all ``Depends(public)``).

Numbers in query strings are validated before anything else: not an integer, negative or
above 2**63 - 1 answers 422 ``validation-error``; the relations between them (index below
size, from <= to, a size the log has reached) answer the problems of
:mod:`labeling.translog.errors`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from core.auth import SessionDep, SettingsDep, public
from labeling.translog.checkpointer import serve_checkpoint
from labeling.translog.errors import BadProofRequest, LeafHashInvalid
from labeling.translog.problem_docs import problem_responses
from labeling.translog.proofs import (
    MAX_ENTRIES_PAGE,
    entries_page,
    prove_consistency,
    prove_inclusion,
    prove_inclusion_of_hash,
)
from schemas.translog_api import (
    ConsistencyProofPublic,
    InclusionProofPublic,
    LogEntriesPage,
    LogEntryPublic,
)

__all__ = ["router"]

router = APIRouter(prefix="/log", tags=["transparency log"], dependencies=[Depends(public)])

MAX_INDEX = 2**63 - 1
_VALIDATION = "`validation-error`: a number is missing, not an integer, negative or above 2^63-1"
_NOT_REACHED = "`tree-size-not-reached`: the log has fewer entries than this size"

Size = Annotated[int, Query(ge=0, le=MAX_INDEX, description="Tree size (number of leaves).")]


@router.get(
    "/checkpoint",
    summary="The latest signed checkpoint (C2SP tlog-checkpoint)",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "A signed note: origin, tree size, base64 root hash, blank line, "
            "signature by the root key (the trust list's `log.vkey`).",
        },
        **problem_responses({503: "`checkpoint-unavailable`: no checkpoint has been signed yet"}),
    },
)
def checkpoint(session: SessionDep, settings: SettingsDep) -> Response:
    """Signed by the root key; a new one is made here if the last is older than the
    checkpoint interval and the log grew since."""
    current = serve_checkpoint(session, settings)
    return Response(
        content=current.note.encode("utf-8"),
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


def _hex_hash(value: str) -> bytes:
    if len(value) != 64:
        raise LeafHashInvalid("A leaf hash is 64 hexadecimal digits.")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise LeafHashInvalid("A leaf hash is 64 hexadecimal digits.") from None


@router.get(
    "/proof/inclusion",
    summary="Inclusion proof of a leaf, by index or by leaf hash",
    response_model=InclusionProofPublic,
    responses=problem_responses(
        {
            404: f"{_NOT_REACHED}; `leaf-not-found`: no leaf with this hash",
            422: f"{_VALIDATION}; `index-outside-tree`: index >= size; `empty-tree-proof`: "
            "size 0; `leaf-hash-invalid`; `bad-proof-request`: give exactly one of index "
            "and leaf_hash",
        }
    ),
)
def inclusion(
    session: SessionDep,
    size: Size,
    index: Annotated[
        int | None, Query(ge=0, le=MAX_INDEX, description="Leaf index (or give leaf_hash).")
    ] = None,
    leaf_hash: Annotated[
        str | None, Query(max_length=64, description="SHA-256 leaf hash, 64 hex digits.")
    ] = None,
) -> InclusionProofPublic:
    """RFC 9162 section 2.1.3: verify with ``verify.merkle.verify_inclusion`` against the
    root of a checkpoint of the same size."""
    connection = session.connection()
    if (index is None) == (leaf_hash is None):
        raise BadProofRequest("Give exactly one of index and leaf_hash.")
    if leaf_hash is not None:
        proof = prove_inclusion_of_hash(connection, leaf_hash=_hex_hash(leaf_hash), tree_size=size)
    else:
        assert index is not None
        proof = prove_inclusion(connection, leaf_index=index, tree_size=size)
    return InclusionProofPublic(
        leaf_index=proof.leaf_index,
        tree_size=proof.tree_size,
        leaf_hash=proof.leaf_hash.hex(),
        inclusion_path=[h.hex() for h in proof.path],
    )


@router.get(
    "/proof/consistency",
    summary="Consistency proof between two tree sizes",
    response_model=ConsistencyProofPublic,
    responses=problem_responses(
        {404: _NOT_REACHED, 422: f"{_VALIDATION}; `sizes-out-of-order`: need 0 < from <= to"}
    ),
)
def consistency(
    session: SessionDep,
    first: Annotated[int, Query(alias="from", ge=0, le=MAX_INDEX, description="Older size.")],
    second: Annotated[int, Query(alias="to", ge=0, le=MAX_INDEX, description="Newer size.")],
) -> ConsistencyProofPublic:
    """RFC 9162 section 2.1.4: verify with ``verify.merkle.verify_consistency``."""
    path = prove_consistency(session.connection(), first=first, second=second)
    return ConsistencyProofPublic(
        first=first, second=second, consistency_path=[h.hex() for h in path]
    )


@router.get(
    "/entries",
    summary="Log entries in index order",
    response_model=LogEntriesPage,
    responses=problem_responses(
        {
            404: "`entries-not-found`: start is beyond the end of the log",
            422: f"{_VALIDATION}; `page-size-too-large`: limit above {MAX_ENTRIES_PAGE}",
        }
    ),
)
def entries(
    session: SessionDep,
    start: Annotated[int, Query(ge=0, le=MAX_INDEX, description="First leaf index.")] = 0,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_INDEX,  # above MAX_ENTRIES_PAGE: page-size-too-large, not a bare 422
            json_schema_extra={"maximum": MAX_ENTRIES_PAGE},
            description=f"At most {MAX_ENTRIES_PAGE}.",
        ),
    ] = 100,
) -> LogEntriesPage:
    """Each entry's ``data`` is the exact leaf data, so a monitor recomputes the leaf hash
    and the tree itself. An empty page with ``next_start: null`` means "the end, for now"."""
    page = entries_page(session.connection(), start=start, limit=limit)
    end = page.start + len(page.entries)
    return LogEntriesPage(
        start=page.start,
        tree_size=page.tree_size,
        entries=[
            LogEntryPublic(
                leaf_index=index,
                event_type=event_type,
                occurred_at=at,
                data=data,
                leaf_hash=leaf.hex(),
            )
            for index, event_type, at, data, leaf in page.entries
        ],
        next_start=end if end < page.tree_size else None,
    )
