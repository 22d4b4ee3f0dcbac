"""The label status snapshot: the labels whose status is not ``active``, each as the first
8 bytes of ``SHA-256("KHATEM-LABEL-ID-V1" LF || GTIN-14 || "/" || serial)``, grouped by
status and reason code (docs/status-snapshots.md). A label it does not list is active.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from verify.snapshot.envelope import (
    LABEL_HASH_BYTES,
    LABEL_KIND,
    LABEL_STATUSES,
    MAX_ENTRIES,
    SnapshotError,
    b64url_decode,
    only_members,
    read_header,
    sha256,
    text_member,
    verified_document,
)

__all__ = ["LabelStatusSnapshot", "label_hash", "verify_label_status_snapshot"]


def label_hash(gtin14: str, serial: str) -> bytes:
    """A label's identifier in the label status snapshot (docs/status-snapshots.md)."""
    # GTINs and serials are ASCII by construction (label-format), so UTF-8 is ASCII here;
    # one f-string and one encode is the cheapest spelling (this runs once per scan).
    return sha256(f"KHATEM-LABEL-ID-V1\n{gtin14}/{serial}".encode()).digest()[:LABEL_HASH_BYTES]


@dataclass(frozen=True, slots=True)
class LabelStatusSnapshot:
    """A verified label status snapshot: label hash → (status, reason code)."""

    issued_at: datetime
    max_age: int
    listed: Mapping[bytes, tuple[str, str]]
    total_labels: int
    #: Labels with evidence of a copy: label hash → its reason codes (``suspicious``).
    suspicious: Mapping[bytes, tuple[str, ...]] = field(default_factory=dict)

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + timedelta(seconds=self.max_age)

    def status_of(self, gtin14: str, serial: str) -> tuple[str, str] | None:
        """``(status, reason)`` of a listed label, ``None`` for a label not listed."""
        return self.listed.get(label_hash(gtin14, serial))


_LABEL_MEMBERS: Final = frozenset(
    {
        "version",
        "kind",
        "issued_at",
        "max_age",
        "total_labels",
        "groups",
        "suspicious",
        "signature",
    }
)
_SUSPICIOUS_MEMBERS: Final = frozenset({"reason", "count", "hashes"})
_GROUP_MEMBERS: Final = frozenset({"status", "reason", "count", "hashes"})


def verify_label_status_snapshot(raw: bytes, *, root_public_key: bytes) -> LabelStatusSnapshot:
    """Verify a label status snapshot with the pinned root key; raise :class:`SnapshotError`."""
    document = verified_document(raw, root_public_key=root_public_key, kind=LABEL_KIND)
    issued_at, max_age = read_header(document)
    only_members(document, _LABEL_MEMBERS, "label status snapshot")
    total = document.get("total_labels")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise SnapshotError("total_labels must be a non-negative integer")
    groups = document.get("groups")
    if not isinstance(groups, list):
        raise SnapshotError("groups must be an array")
    listed: dict[bytes, tuple[str, str]] = {}
    for group in groups:
        if not isinstance(group, dict):
            raise SnapshotError("every group is an object")
        only_members(group, _GROUP_MEMBERS, "a group")
        status = group.get("status")
        if status not in LABEL_STATUSES:
            raise SnapshotError("a group's status must be suspended or revoked")
        reason = text_member(group.get("reason"), "a group's reason", limit=40)
        hashes = b64url_decode(group.get("hashes"), "a group's hashes")
        count = group.get("count")
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or count * LABEL_HASH_BYTES != len(hashes)
        ):
            raise SnapshotError("a group's count must match its hashes")
        if len(listed) + count > MAX_ENTRIES:
            raise SnapshotError(f"a snapshot lists at most {MAX_ENTRIES} labels")
        entry = (str(status), str(reason))
        previous = b""
        for offset in range(0, len(hashes), LABEL_HASH_BYTES):
            item = hashes[offset : offset + LABEL_HASH_BYTES]
            if item <= previous:
                raise SnapshotError("a group's hashes must be sorted and distinct")
            if item in listed:
                raise SnapshotError("a label is listed twice")
            listed[item] = entry
            previous = item
    suspicious = _suspicious(document.get("suspicious", []), len(listed))
    return LabelStatusSnapshot(issued_at, max_age, listed, total, suspicious)


def _suspicious(groups: Any, listed: int) -> dict[bytes, tuple[str, ...]]:
    """The optional ``suspicious`` member: ``[{reason, count, hashes}]``, one group per
    copy-evidence reason code (a label may be in several)."""
    if not isinstance(groups, list):
        raise SnapshotError("suspicious must be an array")
    found: dict[bytes, tuple[str, ...]] = {}
    reasons: set[str] = set()
    for group in groups:
        if not isinstance(group, dict):
            raise SnapshotError("every suspicious group is an object")
        only_members(group, _SUSPICIOUS_MEMBERS, "a suspicious group")
        reason = str(text_member(group.get("reason"), "a suspicious group's reason", limit=40))
        if reason in reasons:
            raise SnapshotError("a suspicious reason is listed twice")
        reasons.add(reason)
        hashes = b64url_decode(group.get("hashes"), "a suspicious group's hashes")
        count = group.get("count")
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or count * LABEL_HASH_BYTES != len(hashes)
        ):
            raise SnapshotError("a suspicious group's count must match its hashes")
        if listed + len(found) + count > MAX_ENTRIES:
            raise SnapshotError(f"a snapshot lists at most {MAX_ENTRIES} labels")
        previous = b""
        for offset in range(0, len(hashes), LABEL_HASH_BYTES):
            item = hashes[offset : offset + LABEL_HASH_BYTES]
            if item <= previous:
                raise SnapshotError("a suspicious group's hashes must be sorted and distinct")
            found[item] = (*found.get(item, ()), reason)
            previous = item
    return found
