"""The key records' errors.

Hierarchy::

    KeyringError                   (base; also a core.problems.Problem where an API sees it)
    ├── KeyNotFound         404    key-not-found
    ├── KeyStateConflict    409    key-state-conflict: rotate onto a known key, move a
    │                              compromise time later, compromise the root key …
    ├── KeyUnavailable      503    key-unavailable: this process cannot open a registered key
    └── StartupRefused             the registry must not serve (production safety rules)

``StartupRefused`` is raised by :func:`labeling.startup.prepare_registry`; its message is
written for the operator and names the setting to fix, never a secret.
"""

from __future__ import annotations

from core.problems import Conflict, NotFound, ServiceUnavailable

__all__ = ["KeyNotFound", "KeyStateConflict", "KeyUnavailable", "KeyringError", "StartupRefused"]


class KeyringError(Exception):
    """Base class of the key records' errors."""


class KeyNotFound(KeyringError, NotFound):
    slug = "key-not-found"
    title = "No such signing key"


class KeyStateConflict(KeyringError, Conflict):
    slug = "key-state-conflict"
    title = "The key cannot change this way"


class KeyUnavailable(KeyringError, ServiceUnavailable):
    slug = "key-unavailable"
    title = "The signing key cannot be opened by this server"


class StartupRefused(KeyringError):
    """The registry refuses to start; the message says which setting to fix."""
