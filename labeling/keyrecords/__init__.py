"""Key records: what the registry knows about its keys — rotation, compromise, the trust
list and start-up checks.

Private keys stay in key custody, :mod:`labeling.keycustody` (the signer backends); this
package holds what the registry knows *about* its keys — which key signs labels now, which
signed before and until when, which is compromised since when — and publishes it as the
signed trust list.

Modules: ``repository`` (queries), ``service`` (register, rotate, compromise), ``opening``
(the signer of a registered key, opened through key custody), ``preparation`` (start-up
rules), ``publication`` (the trust list), ``router`` (``/.well-known/khatem/trust-list.json``).
"""

from labeling.keyrecords.errors import KeyNotFound, KeyStateConflict, KeyUnavailable, StartupRefused
from labeling.keyrecords.opening import label_signer, root_signer
from labeling.keyrecords.service import mark_compromised, register_key, rotate_label_key

__all__ = [
    "KeyNotFound",
    "KeyStateConflict",
    "KeyUnavailable",
    "StartupRefused",
    "label_signer",
    "mark_compromised",
    "register_key",
    "root_signer",
    "rotate_label_key",
]
