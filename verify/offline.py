"""The offline verifier: a :class:`~verify.verifier.VerificationSource` from signed files.

A customs officer without signal verifies a label with what an earlier ``khatem verify
sync`` stored: the trust list (label keys), the label status snapshot (suspended and
revoked labels) and the certificate status snapshot (certificate facts), all verified with
the pinned root key when they were loaded. Everything a verification needs is computed
once, at load time (public-key objects, a hash → record map, the certificates' facts), so
verifying one label costs one Ed25519 verification and a few dictionary lookups.

What offline data can and cannot say (docs/offline-verification.md):

* a label that the snapshot does not list is taken as active (``label_not_listed``), unless
  it may have been issued after the status data was made: its issue time is a minute
  (floored), and a label whose minute had not ended by the data's time (``data_as_of``, the
  older snapshot's ``issued_at``) is unknown to the data (``label_not_found`` → UNKNOWN,
  never AUTHENTIC; a status the snapshot lists for it still counts);
* a key or a certificate the files do not know gives UNKNOWN, never INVALID: the registry
  may have issued it after the files were made;
* log inclusion is not checked (``not_checked_offline``);
* data past its ``max_age`` gives a ``data_freshness`` warning (``status_data_stale`` or
  ``trust_list_stale``, with the age), so the verdict is AUTHENTIC_WITH_WARNINGS at best;
  status data older than :data:`STATUS_EXPIRED_AFTER` cannot vouch for a label any more:
  ``status_data_expired`` makes the verdict UNKNOWN (a revocation it lists still stands).

The cache directory (``khatem verify sync`` writes it)::

    <dir>/root.vkey                   the pinned root key (note verifier key), one line
    <dir>/registry.txt                the registry's base URL
    <dir>/trust-list.json             the signed trust list, as published
    <dir>/status/labels.json          the signed label status snapshot, as published
    <dir>/status/certificates.json    the signed certificate status snapshot, as published

This module imports nothing from ``labeling`` and never touches a private key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.checkpoint import CheckpointError, parse_vkey
from verify.item import ItemFacts
from verify.label_codec import LabelToken
from verify.snapshot import (
    LABEL_HASH_BYTES,
    CertificateSnapshot,
    LabelStatusSnapshot,
    SnapshotError,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)
from verify.trust_list import TrustList, TrustListError, format_time, verify_trust_list
from verify.verdict import CertificateFacts, Check, Outcome
from verify.verifier import CopyEvidence, KeyFacts, LabelRecord

__all__ = [
    "CACHE_FILES",
    "LABEL_TIME_STEP",
    "STATUS_EXPIRED_AFTER",
    "OfflineData",
    "OfflineDataError",
    "OfflineSource",
    "default_cache_dir",
    "load_offline_data",
    "parse_root_key",
    "read_pinned_root",
]

#: Status data older than this (from its issue time) no longer vouches for a label that it
#: does not list: the verdict is UNKNOWN (``status_data_expired``).
STATUS_EXPIRED_AFTER: Final = timedelta(days=30)
#: A label's issue time is encoded to the minute, floored (label-format section 4.3): the
#: label was issued at some instant in ``[issued_at, issued_at + LABEL_TIME_STEP)``.
LABEL_TIME_STEP: Final = timedelta(minutes=1)

PIN_FILE: Final = "root.vkey"
REGISTRY_FILE: Final = "registry.txt"
TRUST_LIST_FILE: Final = "trust-list.json"
LABELS_FILE: Final = "status/labels.json"
CERTIFICATES_FILE: Final = "status/certificates.json"
#: The signed files of the cache, by the path the registry publishes them under.
CACHE_FILES: Final[Mapping[str, str]] = {
    "/.well-known/khatem/trust-list.json": TRUST_LIST_FILE,
    "/.well-known/khatem/status/labels.json": LABELS_FILE,
    "/.well-known/khatem/status/certificates.json": CERTIFICATES_FILE,
}


class OfflineDataError(Exception):
    """The cache is missing, unpinned, or holds a file that does not verify."""


def default_cache_dir() -> Path:
    """``$KHATEM_VERIFY_DIR``, else ``$XDG_CACHE_HOME/khatem-verify`` (``~/.cache/…``)."""
    explicit = os.environ.get("KHATEM_VERIFY_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "khatem-verify"


def parse_root_key(text: str) -> tuple[bytes, str]:
    """The raw root public key and its vkey form, from a note verifier key (as printed by
    ``khatem keys root-vkey``). Raises :class:`OfflineDataError`."""
    try:
        vkey = parse_vkey(text.strip())
    except CheckpointError as exc:
        raise OfflineDataError(f"not a root verifier key (vkey): {exc}") from None
    return vkey.public_key, text.strip()


def read_pinned_root(directory: Path) -> bytes:
    """The root key pinned in ``directory`` (written by ``sync --root-key``)."""
    try:
        text = (directory / PIN_FILE).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        raise OfflineDataError(
            f"no root key is pinned in {directory}: run `khatem verify sync --root-key VKEY`"
        ) from None
    return parse_root_key(text)[0]


@dataclass(frozen=True, slots=True)
class OfflineData:
    """The three verified documents an offline verifier works from."""

    trust_list: TrustList
    labels: LabelStatusSnapshot
    certificates: CertificateSnapshot


def _read(directory: Path, name: str) -> bytes:
    try:
        return (directory / name).read_bytes()
    except OSError:
        raise OfflineDataError(
            f"{directory / name} is missing: run `khatem verify sync` while online"
        ) from None


def load_offline_data(directory: Path, *, root_public_key: bytes | None = None) -> OfflineData:
    """Read and verify the cached files with the pinned root key (or ``root_public_key``).

    Stale files load (staleness is reported per verdict); a bad signature does not.
    """
    root = root_public_key if root_public_key is not None else read_pinned_root(directory)
    try:
        trust_list = verify_trust_list(_read(directory, TRUST_LIST_FILE), root_public_key=root)
        labels = verify_label_status_snapshot(_read(directory, LABELS_FILE), root_public_key=root)
        certificates = verify_certificate_snapshot(
            _read(directory, CERTIFICATES_FILE), root_public_key=root
        )
    except (TrustListError, SnapshotError) as exc:
        raise OfflineDataError(f"cached data rejected: {exc}") from None
    return OfflineData(trust_list, labels, certificates)


_sha256: Final = hashlib.sha256
_LOG_NOT_CHECKED: Final = Check(
    name="log_inclusion", outcome=Outcome.NOT_APPLICABLE, reason="not_checked_offline"
)
_NOT_LISTED: Final = LabelRecord(status="active", listed=False)


def _public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def _usable_keys(trust_list: TrustList) -> dict[str, KeyFacts]:
    """The trust list's keys by kid, each with its public-key object made once. A kid held by
    two keys vouches for nothing (label-format section 7): neither is kept."""
    counts: dict[str, int] = {}
    for key in trust_list.keys:
        counts[key.kid] = counts.get(key.kid, 0) + 1
    return {
        key.kid: KeyFacts(
            kid=key.kid,
            public_key=_public_key(key.public_key),
            not_before=key.not_before,
            retired_at=key.retired_at,
            compromised_since=key.compromised_since,
        )
        for key in trust_list.keys
        if counts[key.kid] == 1
    }


def _label_records(labels: LabelStatusSnapshot) -> dict[bytes, LabelRecord]:
    """The snapshot's labels by hash: one shared record per (status, reason); a label with
    evidence of a copy (SUSPICIOUS) gets its own record carrying the reasons."""
    shared: dict[tuple[str, str], LabelRecord] = {}
    records: dict[bytes, LabelRecord] = {}
    for digest, (status, reason) in labels.listed.items():
        record = shared.get((status, reason))
        if record is None:
            record = shared[(status, reason)] = LabelRecord(status=status, reason=reason)
        records[digest] = record
    for digest, reasons in labels.suspicious.items():
        base = records.get(digest) or LabelRecord(status="active")
        evidence = tuple(CopyEvidence(reason=reason) for reason in reasons)
        records[digest] = replace(base, evidence=evidence)
    return records


class OfflineSource:
    """Verification facts from a verified trust list and status snapshots (no network)."""

    authoritative = False
    mode = "offline"

    def __init__(
        self,
        trust_list: TrustList,
        labels: LabelStatusSnapshot,
        certificates: CertificateSnapshot,
        *,
        expired_after: timedelta = STATUS_EXPIRED_AFTER,
    ) -> None:
        self.trust_list = trust_list
        self.labels = labels
        self.certificates = certificates
        self._keys = _usable_keys(trust_list)
        self._labels = _label_records(labels)
        self._certificates: Mapping[int, CertificateFacts] = certificates.certificates
        # Freshness: one comparison on the common path.
        status_issued = min(labels.issued_at, certificates.issued_at)
        self._data_as_of = status_issued
        # A label is newer than the data unless its whole minute ended by the data's time:
        # issued_at + LABEL_TIME_STEP <= status_issued, i.e. issued_at <= _known_until.
        self._known_until = status_issued - LABEL_TIME_STEP
        self._status_stale_at = min(labels.expires_at, certificates.expires_at)
        self._status_expired_at = status_issued + expired_after
        self._trust_stale_at = trust_list.expires_at
        self._fresh_until = min(self._status_stale_at, self._trust_stale_at)
        self._fresh = Check(
            name="data_freshness",
            outcome=Outcome.PASSED,
            reason="data_fresh",
            detail={"status_issued_at": format_time(status_issued)},
        )

    @classmethod
    def from_data(cls, data: OfflineData) -> OfflineSource:
        return cls(data.trust_list, data.labels, data.certificates)

    @classmethod
    def from_directory(
        cls, directory: Path, *, root_public_key: bytes | None = None
    ) -> OfflineSource:
        """Load and verify a ``khatem verify sync`` cache directory."""
        return cls.from_data(load_offline_data(directory, root_public_key=root_public_key))

    # VerificationSource

    def key(self, kid: str) -> KeyFacts | None:
        return self._keys.get(kid)

    def label(self, token: LabelToken) -> LabelRecord | None:
        # verify.snapshot.label_hash, inlined: this runs once per scan.
        digest = _sha256(f"KHATEM-LABEL-ID-V1\n{token.gtin}/{token.serial}".encode()).digest()
        record = self._labels.get(digest[:LABEL_HASH_BYTES])
        if record is not None:
            return record
        if token.issued_at > self._known_until:
            # Perhaps issued after the data was made: the data cannot vouch for it
            # (label_not_found, UNKNOWN offline; the retailer API promises never AUTHENTIC).
            return None
        return _NOT_LISTED

    def certificate(self, code: int) -> CertificateFacts | None:
        return self._certificates.get(code)

    def item(self, gtin: str) -> ItemFacts | None:
        """What labels of ``gtin`` belong to, as the certificate snapshot says (no photos)."""
        return self.certificates.items.get(gtin)

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check:
        return _LOG_NOT_CHECKED

    def freshness(self, now: datetime) -> Check:
        if now < self._fresh_until:
            return self._fresh
        age = _seconds(now - self._data_as_of)
        if now >= self._status_expired_at:
            return Check(
                name="data_freshness",
                outcome=Outcome.FAILED,
                reason="status_data_expired",
                detail={"age_seconds": age, "status_issued_at": format_time(self._data_as_of)},
            )
        if now >= self._status_stale_at:
            return Check(
                name="data_freshness",
                outcome=Outcome.WARNING,
                reason="status_data_stale",
                detail={
                    "age_seconds": age,
                    "status_issued_at": format_time(self._data_as_of),
                    "stale_since": format_time(self._status_stale_at),
                },
            )
        return Check(
            name="data_freshness",
            outcome=Outcome.WARNING,
            reason="trust_list_stale",
            detail={
                "age_seconds": _seconds(now - self.trust_list.issued_at),
                "trust_list_issued_at": format_time(self.trust_list.issued_at),
                "stale_since": format_time(self._trust_stale_at),
            },
        )

    def data_as_of(self) -> datetime | None:
        return self._data_as_of
