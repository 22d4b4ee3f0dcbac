"""Status snapshots: the registry's signed, static answer to "is this label still good?".

Two documents, specified in ``docs/status-snapshots.md`` (the decision is ADR 0004):

* the **label status** snapshot lists the labels whose status is not ``active`` — each as
  the first 8 bytes of ``SHA-256("KHATEM-LABEL-ID-V1" LF || GTIN-14 || "/" || serial)``,
  sorted, grouped by status and reason code. A label that is not listed is active.
* the **certificate status** snapshot holds every certificate's status and public facts
  (scheme, level, standards, audit, body, the artisan's public names, region and craft).

Both are JSON objects with ``version``, ``kind``, ``issued_at`` and ``max_age``, signed like
the trust list (docs/keys.md) by the pinned root key::

    ASCII("KHATEM-STATUS-V1") || 0x0A || JCS(document without "signature")

and published as the JCS of the whole document. A verifier accepts only those exact bytes
(so no byte of a snapshot can change without it being rejected), at most
:data:`MAX_SNAPSHOT_BYTES`, strict JSON (no duplicate members, floats, NaN, or non-ASCII
member names). Staleness is not an error here: :class:`LabelStatusSnapshot` and
:class:`CertificateSnapshot` carry ``issued_at`` and ``max_age`` and the verifier
(:mod:`verify.offline`) reports the age in its verdict.

Three modules, one idea each: :mod:`verify.snapshot.envelope` (what both documents share:
header, signature, limits), :mod:`verify.snapshot.label_status` and
:mod:`verify.snapshot.certificates`; this package exports their surface. Pure: nothing
from ``labeling``, never a private key (:func:`sign_snapshot` takes a ``sign`` callback).
The registry builds the documents (``labeling/snapshots/documents.py``); this package
reads them. Errors::

    SnapshotError              malformed, wrong version or kind, or a bad signature
"""

from __future__ import annotations

from verify.snapshot.certificates import CertificateSnapshot, verify_certificate_snapshot
from verify.snapshot.envelope import (
    CERTIFICATE_KIND,
    LABEL_HASH_BYTES,
    LABEL_KIND,
    MAX_SNAPSHOT_BYTES,
    SIGNING_CONTEXT,
    SNAPSHOT_VERSION,
    SnapshotError,
    canonical_bytes,
    sign_snapshot,
)
from verify.snapshot.label_status import (
    LabelStatusSnapshot,
    label_hash,
    verify_label_status_snapshot,
)

__all__ = [
    "CERTIFICATE_KIND",
    "LABEL_HASH_BYTES",
    "LABEL_KIND",
    "MAX_SNAPSHOT_BYTES",
    "SIGNING_CONTEXT",
    "SNAPSHOT_VERSION",
    "CertificateSnapshot",
    "LabelStatusSnapshot",
    "SnapshotError",
    "canonical_bytes",
    "label_hash",
    "sign_snapshot",
    "verify_certificate_snapshot",
    "verify_label_status_snapshot",
]
