"""Exceptions raised by the key-custody package.

Every error raised by :mod:`labeling.keycustody` derives from :class:`SignerError`, so a
caller that signs a batch can roll the whole batch back with a single ``except``.

The messages are written for operators: they name the backend, the key id, the
file path or the token label, and never any secret.  That covers the private key
bytes, the key-file passphrase and the PKCS#11 PIN.  Where an underlying library
error could carry a secret (a ``UnicodeEncodeError`` keeps the whole string it
failed on), the raising code re-raises outside the ``except`` block so the
secret-carrying exception is not even attached as ``__context__``.
"""

from __future__ import annotations

from typing import NoReturn

__all__ = ["Uncopyable", "KeyFileError", "SignerError", "SignerUnavailableError"]


class SignerError(Exception):
    """Base class: the signer could not be opened or could not sign."""


class SignerUnavailableError(SignerError):
    """The signing device is gone: HSM unplugged, token missing or session lost.

    This is the retryable failure.  A batch that catches it must roll back: the
    signer never returns a partial list of signatures.  The PKCS#11 signer tries to
    reconnect on its next call, so a later retry can succeed once the device is back.
    """


class KeyFileError(SignerError):
    """A key file could not be created or opened.

    Raised for a wrong passphrase, a corrupt or unencrypted file, a passphrase that
    is too weak, or an attempt to overwrite an existing key file.
    """


class Uncopyable:
    """A mixin that makes pickling or copying a signer fail loudly.

    A signer holds a private key or an HSM session; a copy would carry the key (or a stale
    session) somewhere this package cannot see, so every copy protocol raises.
    """

    __slots__ = ()

    def _refuse(self) -> NoReturn:
        raise TypeError("a signer cannot be pickled or copied: its key stays inside this object")

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        self._refuse()

    def __reduce__(self) -> NoReturn:
        self._refuse()

    def __getstate__(self) -> NoReturn:
        self._refuse()

    def __copy__(self) -> NoReturn:
        self._refuse()

    def __deepcopy__(self, memo: object) -> NoReturn:
        self._refuse()
