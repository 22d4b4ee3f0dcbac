"""Khatem's verification library: what the world runs without the registry.

The public surface is what this module exports (``__all__``); docs/offline-verification.md
("Using the library") documents it. Five things, each a few names:

* **parse a label**: :func:`parse_label_uri` turns the text of a QR code into a
  :class:`LabelToken` (not yet verified) or raises :class:`LabelFormatError` with a reason
  code of docs/label-format.md;
* **verify it**: :func:`verify_label` (or :func:`verify_token`) runs the checks against a
  :class:`VerificationSource` and returns a :class:`Verdict`. Offline, the source is an
  :class:`OfflineSource` built from synced files; online, the registry implements the same
  protocol from its database (its facts are :class:`KeyFacts`, :class:`LabelRecord` and
  :class:`CertificateFacts`);
* **read the signed files**: :func:`verify_trust_list`,
  :func:`verify_label_status_snapshot` and :func:`verify_certificate_snapshot` accept only
  bytes signed by the pinned root key; :func:`load_offline_data` reads all three from a
  ``khatem verify sync`` directory;
* **check the transparency log**: :func:`parse_vkey`, :func:`verify_checkpoint`,
  :func:`verify_inclusion` and :func:`verify_consistency` (RFC 9162); the monitor an
  outside auditor runs is ``verify.monitor`` (``khatem log audit``);
* the errors each of those raises.

Everything else under ``verify`` (``verify.canonical``, ``verify.signing``,
``verify.strict_json``, the helpers of each module) stays importable, for the registry and
for tests, but is not the surface: it may change without notice.

The package imports nothing from ``labeling`` or ``core`` (tests/offline/test_standalone.py
runs it with only ``verify`` and ``schemas`` on the path) and never holds a private key.
"""

from __future__ import annotations

from verify.checkpoint import (
    Checkpoint,
    CheckpointError,
    VerifierKey,
    parse_vkey,
    verify_checkpoint,
)
from verify.label_codec import LabelError, LabelFormatError, LabelToken, parse_label_uri
from verify.merkle import ProofError, verify_consistency, verify_inclusion
from verify.offline import (
    OfflineData,
    OfflineDataError,
    OfflineSource,
    default_cache_dir,
    load_offline_data,
)
from verify.snapshot import (
    CertificateSnapshot,
    LabelStatusSnapshot,
    SnapshotError,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)
from verify.trust_list import TrustList, TrustListError, verify_trust_list
from verify.verdict import CertificateFacts, Check, Outcome, Overall, Verdict
from verify.verifier import KeyFacts, LabelRecord, VerificationSource, verify_label, verify_token

__all__ = [
    # parse a label
    "LabelError",
    "LabelFormatError",
    "LabelToken",
    "parse_label_uri",
    # verify it, online or offline
    "CertificateFacts",
    "Check",
    "KeyFacts",
    "LabelRecord",
    "OfflineSource",
    "Outcome",
    "Overall",
    "VerificationSource",
    "Verdict",
    "verify_label",
    "verify_token",
    # read the signed files
    "CertificateSnapshot",
    "LabelStatusSnapshot",
    "OfflineData",
    "OfflineDataError",
    "SnapshotError",
    "TrustList",
    "TrustListError",
    "default_cache_dir",
    "load_offline_data",
    "verify_certificate_snapshot",
    "verify_label_status_snapshot",
    "verify_trust_list",
    # check the transparency log
    "Checkpoint",
    "CheckpointError",
    "ProofError",
    "VerifierKey",
    "parse_vkey",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]
