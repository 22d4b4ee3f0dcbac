"""The log's problem types, each with a stable slug.

Hierarchy (base classes from :mod:`core.problems`)::

    UnprocessableContent (422)   index-outside-tree, empty-tree-proof, sizes-out-of-order,
                                 page-size-too-large, leaf-hash-invalid, bad-proof-request
    NotFound (404)               tree-size-not-reached, leaf-not-found, entries-not-found
    ServiceUnavailable (503)     checkpoint-unavailable

Query parameters that are not integers, are negative or exceed 2**63 - 1 never reach these:
FastAPI answers them with 422 ``validation-error``.
"""

from __future__ import annotations

from core.problems import NotFound, ServiceUnavailable, UnprocessableContent

__all__ = [
    "BadProofRequest",
    "CheckpointUnavailable",
    "EmptyTreeProof",
    "EntriesNotFound",
    "IndexOutsideTree",
    "LeafHashInvalid",
    "LeafNotFound",
    "LogPageTooLarge",
    "SizesOutOfOrder",
    "TreeSizeNotReached",
]


class IndexOutsideTree(UnprocessableContent):
    slug = "index-outside-tree"
    title = "The leaf index is not below the tree size"


class EmptyTreeProof(UnprocessableContent):
    slug = "empty-tree-proof"
    title = "There is no proof about the empty tree"


class SizesOutOfOrder(UnprocessableContent):
    slug = "sizes-out-of-order"
    title = "A consistency proof needs 0 < from <= to"


class LogPageTooLarge(UnprocessableContent):
    slug = "page-size-too-large"
    title = "Page size above the documented maximum"


class LeafHashInvalid(UnprocessableContent):
    slug = "leaf-hash-invalid"
    title = "A leaf hash is 64 hexadecimal digits"


class BadProofRequest(UnprocessableContent):
    slug = "bad-proof-request"
    title = "Give exactly one of index and leaf_hash"


class TreeSizeNotReached(NotFound):
    slug = "tree-size-not-reached"
    title = "The log has not reached this size"


class LeafNotFound(NotFound):
    slug = "leaf-not-found"
    title = "No leaf with this hash in the tree of this size"


class EntriesNotFound(NotFound):
    slug = "entries-not-found"
    title = "The log has no entries from this index"


class CheckpointUnavailable(ServiceUnavailable):
    slug = "checkpoint-unavailable"
    title = "No signed checkpoint is available yet"
