"""The ``Signer`` interface, key ids, key URIs and the :func:`open_signer` factory.

Only :mod:`labeling.keycustody` ever touches private-key material.  Everything else in
Khatem holds a :class:`Signer` and asks it to sign; the private key never leaves it.

Key URIs
--------
``keyfile:/abs/path/to/key.p8``
    An encrypted PKCS#8 file written by :func:`labeling.keycustody.keyfile.generate_keyfile`.
    The path must be absolute and is taken literally (no percent-decoding), so the
    URI can be pasted from a shell.  ``keyfile://host/...`` is refused because a key
    file on another host is not something this backend can open.  Opening needs
    ``passphrase=``.

``pkcs11:token=<token label>;object=<key label>``
    An RFC 7512 URI naming an Ed25519 private key on a PKCS#11 token.  Values are
    percent-decoded.  Supported path attributes: ``token`` and ``object``
    (required), ``serial`` (to tell apart two tokens with the same label) and
    ``type`` (must be ``private`` when present).  Anything else, and any query
    part, is refused: in particular ``pin-value`` is rejected because a URI ends
    up in logs and settings dumps, where a PIN must never go.  Opening needs
    ``pkcs11_module=`` (path of the PKCS#11 shared library) and ``pin=``.

What the application must provide
---------------------------------
The application reads its settings and calls :func:`open_signer` once at start-up
(in each worker process, after any fork: PKCS#11 sessions do not survive a fork):

* ``KHATEM_SIGNING_KEY`` (or however the app names it): the key URI.
* For ``keyfile:``: the passphrase, e.g. from a passphrase file read with
  :func:`labeling.keycustody.secret_files.read_secret_file`.
* For ``pkcs11:``: ``KHATEM_PKCS11_MODULE`` (for SoftHSM2 on Debian
  ``/usr/lib/softhsm/libsofthsm2.so``) and ``KHATEM_PKCS11_PIN`` or a PIN file
  (again :func:`~labeling.keycustody.secret_files.read_secret_file`).  With SoftHSM2 the
  process environment must also carry ``SOFTHSM2_CONF`` pointing at the
  softhsm2.conf that names the token directory; SoftHSM2 reads it once, when the
  library is initialised.

Arguments that do not apply to the URI's backend are ignored, so the app may pass
every configured value unconditionally.

The app should compare ``signer.key_id`` with the key id it publishes (transparency
log, verification page) and refuse to start on a mismatch, and it should warn
loudly when ``signer.is_development`` is true.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from urllib.parse import quote

from labeling.keycustody.errors import KeyFileError, SignerError
from verify.canonical import key_id as key_id_for  # the project's one key-id function

__all__ = [
    "KeyfileURI",
    "Pkcs11URI",
    "Signer",
    "key_id_for",
    "keyfile_uri",
    "open_signer",
    "parse_key_uri",
    "pkcs11_uri",
]

ED25519_PUBLIC_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64


@runtime_checkable
class Signer(Protocol):
    """Something that holds an Ed25519 private key and signs with it.

    Implementations never expose the private key: not through attributes, ``repr``,
    ``str``, pickling, log lines or exception messages.
    """

    @property
    def key_id(self) -> str:
        """The key id of the public key (:func:`verify.canonical.key_id`): the first 4
        bytes of SHA-256 of the raw key, as 8 lower-case hex chars."""
        ...

    @property
    def public_key_raw(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        ...

    @property
    def backend(self) -> str:
        """``"keyfile"`` or ``"pkcs11"``."""
        ...

    @property
    def is_development(self) -> bool:
        """True for a throwaway development key that must never sign real labels."""
        ...

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message``."""
        ...

    def sign_many(self, messages: Sequence[bytes]) -> list[bytes]:
        """Sign every message, in order; all or nothing (never a partial list)."""
        ...

    def close(self) -> None:
        """Release the key or the HSM session; later calls raise :class:`SignerError`."""
        ...


@dataclass(frozen=True, slots=True)
class KeyfileURI:
    """A parsed ``keyfile:`` URI."""

    path: str


@dataclass(frozen=True, slots=True)
class Pkcs11URI:
    """A parsed ``pkcs11:`` URI (the subset Khatem supports)."""

    token: str
    object: str
    serial: str | None = None


_PCT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PKCS11_ALLOWED = frozenset({"token", "object", "serial", "type"})


def _pct_decode(value: str, attr: str) -> str:
    # RFC 7512 requires percent-encoding for reserved characters; a stray "%" is
    # an encoding mistake that would otherwise silently select a different label.
    if _PCT_RE.search(value):
        raise SignerError(f"pkcs11 URI: malformed percent-encoding in {attr!r}")
    raw = bytearray()
    i = 0
    while i < len(value):
        if value[i] == "%":
            raw.append(int(value[i + 1 : i + 3], 16))
            i += 3
        else:
            raw += value[i].encode("utf-8")
            i += 1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raise SignerError(f"pkcs11 URI: {attr!r} is not valid UTF-8 after percent-decoding")


def parse_key_uri(uri: str) -> KeyfileURI | Pkcs11URI:
    """Parse a key URI; raise :class:`SignerError` if it is malformed or unsupported."""
    if uri.startswith("keyfile:"):
        path = uri[len("keyfile:") :]
        if path.startswith("//"):
            raise SignerError("keyfile URI must be keyfile:/absolute/path (no host part)")
        if not path.startswith("/"):
            raise SignerError("keyfile URI must contain an absolute path")
        return KeyfileURI(path=path)
    if uri.startswith("pkcs11:"):
        body = uri[len("pkcs11:") :]
        if "?" in body or "#" in body:
            raise SignerError(
                "pkcs11 URI: query attributes (pin-value, module-path, ...) are not "
                "accepted; pass the module path and PIN as arguments"
            )
        attrs: dict[str, str] = {}
        for part in body.split(";") if body else []:
            name, sep, value = part.partition("=")
            if not sep:
                raise SignerError(f"pkcs11 URI: attribute {name!r} has no value")
            if name not in _PKCS11_ALLOWED:
                raise SignerError(f"pkcs11 URI: unsupported attribute {name!r}")
            if name in attrs:
                raise SignerError(f"pkcs11 URI: attribute {name!r} given twice")
            attrs[name] = _pct_decode(value, name)
        if "type" in attrs and attrs["type"] != "private":
            raise SignerError("pkcs11 URI: type must be 'private' (a signing key)")
        if not attrs.get("token") or not attrs.get("object"):
            raise SignerError("pkcs11 URI must name both token= and object=")
        return Pkcs11URI(token=attrs["token"], object=attrs["object"], serial=attrs.get("serial"))
    raise SignerError("unsupported key URI scheme (expected keyfile: or pkcs11:)")


def keyfile_uri(path: str) -> str:
    """Build the ``keyfile:`` URI for an absolute path."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError("keyfile URIs need an absolute path")
    return f"keyfile:{path}"


def pkcs11_uri(token_label: str, key_label: str, *, serial: str | None = None) -> str:
    """Build an RFC 7512 ``pkcs11:`` URI, percent-encoding the labels."""

    def enc(value: str) -> str:
        return quote(value, safe="-._~")

    uri = f"pkcs11:token={enc(token_label)};object={enc(key_label)}"
    if serial is not None:
        uri += f";serial={enc(serial)}"
    return uri


def open_signer(
    uri: str,
    *,
    passphrase: str | None = None,
    pkcs11_module: str | None = None,
    pin: str | None = None,
) -> Signer:
    """Open the signer named by ``uri``.

    ``passphrase`` is used for ``keyfile:`` URIs; ``pkcs11_module`` and ``pin`` for
    ``pkcs11:`` URIs.  Raises :class:`KeyFileError` for key-file problems,
    :class:`SignerUnavailableError` when the HSM or token cannot be reached, and
    :class:`SignerError` for everything else.
    """
    parsed = parse_key_uri(uri)
    if isinstance(parsed, KeyfileURI):
        if passphrase is None:
            raise KeyFileError("a passphrase is required to open a keyfile: signer")
        # Imported here so that importing this module stays cheap and free of cycles
        # (the backends import key_id_for from this module).
        from labeling.keycustody.keyfile import load_keyfile_signer

        return load_keyfile_signer(parsed.path, passphrase)
    if pkcs11_module is None:
        raise SignerError("a PKCS#11 module path is required to open a pkcs11: signer")
    if pin is None:
        raise SignerError("a PIN is required to open a pkcs11: signer")
    from labeling.keycustody.pkcs11 import open_pkcs11_signer

    return open_pkcs11_signer(
        module=pkcs11_module,
        token_label=parsed.token,
        key_label=parsed.object,
        pin=pin,
        token_serial=parsed.serial,
    )
