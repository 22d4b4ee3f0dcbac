"""Where the registry's keys live, and how this process opens them.

A registered key (``signing_key`` row) names its key with a URI, never a secret. This module
turns a row into a :class:`labeling.keycustody.Signer`:

* a key file named like a development key (``*.dev.p8``) is opened with the random
  passphrase file beside it (:func:`labeling.keycustody.generate_development_key` returns both
  for an existing key). A development key under another name is opened like any other
  key file, and still reports ``is_development`` (its file carries the marker);
* the configured key of a purpose (``KHATEM_SIGNING_KEY_URI`` for labels,
  ``KHATEM_ROOT_KEY_URI`` for the root) is opened with the passphrase or PIN configured
  for it;
* any other ``pkcs11:`` key is opened with the configured HSM module and PIN.

Opened signers are cached per process (and per PID: PKCS#11 sessions do not survive a
fork), and every signer is checked against the registered public key before use.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlmodel import Session

from core.settings import Settings
from labeling.keycustody import (
    Signer,
    SignerError,
    generate_development_key,
    is_development_key_name,
    open_signer,
    parse_key_uri,
    read_secret_file,
)
from labeling.keycustody.interface import KeyfileURI
from labeling.keyrecords import repository
from labeling.keyrecords.errors import KeyUnavailable
from schemas.keys import KeyPurpose, SigningKey

__all__ = [
    "configured_key_uri",
    "forget_signers",
    "label_signer",
    "open_configured_signer",
    "open_development_key",
    "read_secret",
    "root_signer",
    "signer_for_key",
]

_cache: dict[tuple[int, str, str], Signer] = {}
_lock = threading.Lock()


def configured_key_uri(settings: Settings, purpose: KeyPurpose) -> str | None:
    """The key URI the operator configured for ``purpose``, if any."""
    if purpose is KeyPurpose.LABEL:
        return settings.signing_key_uri
    # KHATEM_ROOT_KEY_URI: read defensively until core.settings declares it.
    value = getattr(settings, "root_key_uri", None)
    return value if isinstance(value, str) and value else None


def read_secret(value: object, file: object) -> str | None:
    """A secret given inline, or else read from a file (``None`` when neither is set)."""
    if isinstance(value, str) and value:
        return value
    if isinstance(file, str | Path) and str(file):
        return read_secret_file(file)
    return None


def _passphrase(settings: Settings, purpose: KeyPurpose) -> str | None:
    if purpose is KeyPurpose.LABEL:
        return read_secret(settings.signing_key_passphrase, settings.signing_key_passphrase_file)
    return read_secret(
        getattr(settings, "root_key_passphrase", None),
        getattr(settings, "root_key_passphrase_file", None),
    )


def open_development_key(key_uri: str) -> Signer:
    """Open an existing development key with the passphrase file beside it."""
    parsed = parse_key_uri(key_uri)
    if not isinstance(parsed, KeyfileURI) or not is_development_key_name(parsed.path):
        raise KeyUnavailable(f"{key_uri} is not a development key file")
    path = Path(parsed.path)
    if not path.is_file():
        raise KeyUnavailable(f"development key file {path} is missing")
    # For an existing key this only returns its URI and passphrase file; it never replaces it.
    uri, passphrase_file = generate_development_key(path.parent)
    if uri != key_uri:
        raise KeyUnavailable(f"{path} is not where development keys are kept")
    return open_signer(uri, passphrase=read_secret_file(passphrase_file))


def open_configured_signer(settings: Settings, purpose: KeyPurpose) -> Signer:
    """Open the key configured for ``purpose`` (``KeyUnavailable`` if none or unusable)."""
    uri = configured_key_uri(settings, purpose)
    if uri is None:
        raise KeyUnavailable(f"no {purpose.value} key is configured")
    return _open(uri, settings, purpose)


def _open(uri: str, settings: Settings, purpose: KeyPurpose) -> Signer:
    try:
        parsed = parse_key_uri(uri)
        if isinstance(parsed, KeyfileURI) and is_development_key_name(parsed.path):
            return open_development_key(uri)
        configured = uri == configured_key_uri(settings, purpose)
        return open_signer(
            uri,
            passphrase=_passphrase(settings, purpose) if configured else None,
            pkcs11_module=settings.pkcs11_module,
            pin=read_secret(settings.pkcs11_pin, settings.pkcs11_pin_file),
        )
    except SignerError as exc:
        # Signer errors name the backend, the key and the path, never a secret.
        raise KeyUnavailable(f"cannot open the {purpose.value} key {uri}: {exc}") from None


def signer_for_key(key: SigningKey, settings: Settings) -> Signer:
    """The signer of a registered key, opened once per process and checked against it."""
    cache_key = (os.getpid(), key.key_uri, key.kid)
    with _lock:
        signer = _cache.get(cache_key)
    if signer is not None:
        return signer
    signer = _open(key.key_uri, settings, KeyPurpose(key.purpose))
    if signer.public_key_raw != key.public_key:
        signer.close()
        raise KeyUnavailable(
            f"the key at {key.key_uri} is {signer.key_id}, not the registered key {key.kid}"
        )
    with _lock:
        return _cache.setdefault(cache_key, signer)


def root_signer(session: Session, settings: Settings) -> Signer:
    """The root key's signer: it signs checkpoints and the trust list."""
    key = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    if key is None:
        raise KeyUnavailable("no root key is registered; start the registry with `khatem serve`")
    return signer_for_key(key, settings)


def label_signer(session: Session, settings: Settings) -> tuple[SigningKey, Signer]:
    """The label key that signs from now on, and its signer.

    Read it inside the issuing transaction: after a rotation or a compromise the answer
    changes, and a retired key must never sign again.
    """
    key = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    if key is None:
        raise KeyUnavailable("no active label key: run `khatem keys rotate`")
    return key, signer_for_key(key, settings)


def forget_signers() -> None:
    """Close and forget every cached signer (tests; a worker shutting down)."""
    with _lock:
        signers = list(_cache.values())
        _cache.clear()
    for signer in signers:
        signer.close()
