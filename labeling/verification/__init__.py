"""Online verification of labels against the live registry.

* :func:`verify_uri`, :func:`verify_uris` — a label URI (or many) to a verdict;
* :class:`RegistrySource` — the registry as a :class:`verify.verdict.VerificationSource`;
* ``labeling.verification.router`` — the label URL, ``/api/v1/verify`` (single and bulk).
"""

from labeling.verification.service import MAX_BULK_LABELS, registry_for, verify_uri, verify_uris
from labeling.verification.source import Registry, RegistrySource

__all__ = [
    "MAX_BULK_LABELS",
    "Registry",
    "RegistrySource",
    "registry_for",
    "verify_uri",
    "verify_uris",
]
