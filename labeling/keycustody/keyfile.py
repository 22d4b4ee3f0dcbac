"""Encrypted key-file backend: an Ed25519 key in a passphrase-protected PKCS#8 file.

The key file's format (PKCS#8 ``EncryptedPrivateKeyInfo`` under scrypt and AES-256-CBC, and
why) is :mod:`labeling.keycustody.keyfile_format`; how a key or passphrase file is written
(0600, atomic, never over an existing file) :mod:`labeling.keycustody.secret_files`. This
module generates key files, development keys among them, and opens a signer on one.

New key files refuse passphrases shorter than 12 characters.

Development keys
----------------
:func:`generate_development_key` creates ``khatem-signing-key.dev.p8`` and, beside
it, ``khatem-signing-key.dev.passphrase`` holding a random 256-bit passphrase (both
mode 0600).  What makes it a development key is the file's *content*, not its name:
its scrypt salt is
:data:`~labeling.keycustody.keyfile_format.DEVELOPMENT_SALT_MARKER` (``khatem-development-key:``,
23 ASCII bytes) followed by 16 random bytes.  The marker

* travels with the key whatever the file is called (a renamed ``label.p8`` is still
  recognised) and whichever registry opens it, even one that never saw the key;
* is read from the unencrypted ``EncryptedPrivateKeyInfo`` header, so recognising a
  development key costs no key derivation and needs no passphrase;
* is bound into the key derivation: editing it out of the salt changes the derived
  key and the file no longer decrypts.  Only decrypting and re-encrypting the key
  with another tool removes it, and that is no accident;
* never appears in a production key: :func:`generate_keyfile` writes a 16-byte
  random salt, shorter than the marker itself.

The ``.dev.p8`` suffix still marks a development key too (it also tells the
registry to look for the passphrase file beside it), so development keys written
before the marker existed are still recognised while they keep their name.
``signer.is_development`` reports either mark (:func:`is_development_keyfile`).
Because the passphrase is random and sits next to the key anyway, development keys
use a cheap scrypt cost (N = 2**14, about 30 ms): a slow KDF would protect nothing
and would only slow every test run and dev-server start.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from labeling.keycustody.errors import KeyFileError, SignerError, Uncopyable
from labeling.keycustody.interface import key_id_for, keyfile_uri
from labeling.keycustody.keyfile_format import (
    ScryptParams,
    decrypt_key,
    encrypted_pem,
    has_development_marker,
    passphrase_bytes,
)
from labeling.keycustody.secret_files import publish_private_file

__all__ = [
    "DEFAULT_SCRYPT",
    "DEVELOPMENT_SCRYPT",
    "MIN_PASSPHRASE_LENGTH",
    "KeyfileSigner",
    "ephemeral_signer",
    "generate_development_key",
    "generate_keyfile",
    "is_development_key_name",
    "is_development_keyfile",
    "load_keyfile_signer",
]

logger = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH = 12
DEV_KEY_SUFFIX = ".dev.p8"
DEV_KEY_NAME = "khatem-signing-key" + DEV_KEY_SUFFIX
DEV_PASSPHRASE_NAME = "khatem-signing-key.dev.passphrase"
_DEV_LOCK_NAME = ".khatem-signing-key.dev.lock"

# The production cost: 128 MiB and about 0.3 s on the reference machine.  Read at
# call time (not bound as a default argument) so tests can lower it temporarily.
DEFAULT_SCRYPT = ScryptParams(log2_n=17, r=8, p=1)
# Development keys have a random 256-bit passphrase stored beside them; see the
# module docstring for why a cheap KDF is the right choice there.
DEVELOPMENT_SCRYPT = ScryptParams(log2_n=14, r=8, p=1)


def _check_new_passphrase(passphrase: str) -> bytes:
    encoded = passphrase_bytes(passphrase)
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise KeyFileError(f"passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters long")
    return encoded


def _write_keyfile(path: str, passphrase: str, params: ScryptParams, *, development: bool) -> bytes:
    encoded = _check_new_passphrase(passphrase)
    if os.path.lexists(path):
        # Checked early so no KDF time is wasted; the hard link is the real guard.
        raise KeyFileError(f"refusing to overwrite existing file {path}")
    key = Ed25519PrivateKey.generate()
    pem = encrypted_pem(key, encoded, params, development=development)
    # Self-check with the standard loader: never publish a file we could not open.
    if decrypt_key(pem, encoded, path).public_key() != key.public_key():
        raise KeyFileError("key file self-check failed")  # pragma: no cover
    publish_private_file(path, pem)
    public_raw = key.public_key().public_bytes_raw()
    logger.info("generated key file %s key_id=%s", path, key_id_for(public_raw))
    return public_raw


def generate_keyfile(path: str | os.PathLike[str], passphrase: str) -> bytes:
    """Create a new encrypted Ed25519 key file and return its raw 32-byte public key.

    The file is written with mode 0600; an existing file is never overwritten
    (:class:`KeyFileError`).  Passphrases shorter than 12 characters are refused.
    """
    return _write_keyfile(os.fspath(path), passphrase, DEFAULT_SCRYPT, development=False)


def is_development_key_name(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is named like a development key (``*.dev.p8``).

    The name says where to look for the passphrase file; whether a key *is* a
    development key is :func:`is_development_keyfile`.
    """
    return os.path.basename(os.fspath(path)).endswith(DEV_KEY_SUFFIX)


def is_development_keyfile(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a development key: named ``*.dev.p8``, or, whatever its name,
    a file that carries the development marker (see the module docstring)."""
    if is_development_key_name(path):
        return True
    try:
        with open(os.fspath(path), "rb") as handle:
            data = handle.read(64 * 1024)
    except OSError:
        return False
    return has_development_marker(data)


def generate_development_key(data_dir: str | os.PathLike[str]) -> tuple[str, Path]:
    """Return ``(key_uri, passphrase_file)`` of the development key in ``data_dir``.

    Creates ``data_dir`` (0700), the key and its 0600 passphrase file on the first
    call; later calls return the existing pair and never replace a key.  Several
    processes starting at once are serialised with a lock file.
    """
    directory = Path(data_dir).resolve()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_path = directory / DEV_KEY_NAME
    passphrase_path = directory / DEV_PASSPHRASE_NAME
    uri = keyfile_uri(str(key_path))
    with open(directory / _DEV_LOCK_NAME, "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if key_path.exists():
            if not passphrase_path.exists():
                raise KeyFileError(
                    f"development key {key_path} exists but {passphrase_path} is missing"
                )
            return uri, passphrase_path
        # A passphrase file without a key is left over from an interrupted run and
        # protects nothing, so it is replaced.
        passphrase_path.unlink(missing_ok=True)
        passphrase = secrets.token_urlsafe(32)
        publish_private_file(str(passphrase_path), passphrase.encode("ascii") + b"\n")
        _write_keyfile(str(key_path), passphrase, DEVELOPMENT_SCRYPT, development=True)
    logger.warning("created DEVELOPMENT signing key %s; never use it for real labels", key_path)
    return uri, passphrase_path


# --- the signer ----------------------------------------------------------------------


def _closed_sign(message: bytes) -> NoReturn:
    raise SignerError("signer is closed")


@final
class KeyfileSigner(Uncopyable):
    """Signs with an Ed25519 key decrypted from a key file (or held only in memory).

    ``__slots__`` means there is no ``__dict__`` for ``vars()`` or a generic
    serialiser to walk, and pickling or copying raises ``TypeError``.
    """

    __slots__ = ("_key", "_sign", "_public_raw", "_key_id", "_is_development")

    _key: Ed25519PrivateKey | None
    _sign: Callable[[bytes], bytes]

    def __init__(self, key: Ed25519PrivateKey, *, is_development: bool = False) -> None:
        if not isinstance(key, Ed25519PrivateKey):
            raise TypeError("KeyfileSigner needs an Ed25519PrivateKey")
        self._key = key
        # Binding the method once keeps sign_many to one C call per message.
        self._sign = key.sign
        self._public_raw = key.public_key().public_bytes_raw()
        self._key_id = key_id_for(self._public_raw)
        self._is_development = is_development

    @property
    def key_id(self) -> str:
        return self._key_id

    @property
    def public_key_raw(self) -> bytes:
        return self._public_raw

    @property
    def backend(self) -> str:
        return "keyfile"

    @property
    def is_development(self) -> bool:
        return self._is_development

    def sign(self, message: bytes) -> bytes:
        return self._sign(message)

    def sign_many(self, messages: Sequence[bytes]) -> list[bytes]:
        # list(map(...)) over the bound method adds almost nothing to the cost of
        # Ed25519PrivateKey.sign itself; an exception leaves no partial result.
        return list(map(self._sign, messages))

    def close(self) -> None:
        self._sign = _closed_sign
        self._key = None

    def __enter__(self) -> KeyfileSigner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        dev = " development" if self._is_development else ""
        return (
            f"<KeyfileSigner backend=keyfile key_id={self._key_id}"
            f" public_key={self._public_raw.hex()}{dev}>"
        )

    __str__ = __repr__


def load_keyfile_signer(path: str | os.PathLike[str], passphrase: str) -> KeyfileSigner:
    """Decrypt the key file once and return a signer holding the key in memory."""
    where = os.fspath(path)
    encoded = passphrase_bytes(passphrase)
    try:
        with open(where, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            data = handle.read()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {where}: {exc.strerror}") from None
    if mode & 0o077:
        logger.warning("key file %s is accessible to group/others; chmod 600 it", where)
    signer = KeyfileSigner(
        decrypt_key(data, encoded, where),
        is_development=is_development_key_name(where) or has_development_marker(data),
    )
    logger.info(
        "opened keyfile signer key_id=%s development=%s path=%s",
        signer.key_id,
        signer.is_development,
        where,
    )
    return signer


def ephemeral_signer() -> KeyfileSigner:
    """A signer for tests: a fresh in-memory key, never written anywhere.

    It reports ``backend == "keyfile"`` and ``is_development`` true, so an app that
    warns on development keys warns on it too.
    """
    return KeyfileSigner(Ed25519PrivateKey.generate(), is_development=True)
