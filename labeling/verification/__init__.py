"""Online verification of labels against the live registry.

* :func:`verify_uri`, :func:`verify_uris` — a label URI (or many) to a verdict;
* :class:`OnlineSource` — the registry as a :class:`verify.verifier.VerificationSource`;
* :mod:`~labeling.verification.facts` — the one mapper from rows to certificate facts;
* :mod:`~labeling.verification.fast_path` — all that the hot path does for speed alone;
* ``labeling.verification.router`` — the label URL, ``/api/v1/verify`` (single and bulk).
"""

from labeling.verification.service import MAX_BULK_LABELS, scan_cache_for, verify_uri, verify_uris
from labeling.verification.source import OnlineSource

__all__ = [
    "MAX_BULK_LABELS",
    "OnlineSource",
    "scan_cache_for",
    "verify_uri",
    "verify_uris",
]
