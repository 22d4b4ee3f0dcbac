"""The key file's format: an Ed25519 key in a passphrase-protected PKCS#8 file.

File format and KDF choice
--------------------------
A key file is a standard PEM ``ENCRYPTED PRIVATE KEY`` (PKCS#8
``EncryptedPrivateKeyInfo``, RFC 5958) using PBES2 (RFC 8018) with the scrypt KDF
(``id-scrypt``, RFC 7914 section 7) and AES-256-CBC.  Parameters of a production
key: scrypt N = 2**17, r = 8, p = 1 (128 MiB of memory), a 16-byte random salt and
a 32-byte derived key.  Deriving the key costs about 0.3 s on the 2-core reference
machine, paid once when the key is generated (twice: the file is read back as a
self-check) and once per process start.

Why not what ``cryptography`` offers directly (checked against cryptography 50):

* ``BestAvailableEncryption`` for PKCS#8 uses PBKDF2-HMAC-SHA256 with only 2048
  iterations, and ``PrivateFormat.PKCS8.encryption_builder()`` raises
  ``ValueError`` ("only supported with PrivateFormat.OpenSSH and PKCS12"), so the
  cost cannot be raised through the public API.
* PKCS#12 with ``kdf_rounds(N)`` does raise the PBKDF2 cost of the *key bag*, but
  the PFX integrity MAC is still keyed with the PKCS#12 KDF at a fixed 2048
  iterations.  An attacker tests passphrase guesses against the cheap MAC and
  never touches the expensive KDF, so the file is no stronger than the default.
* OpenSSH's bcrypt KDF needs the separate ``bcrypt`` package, which is not a
  dependency of this project.

So this module builds the ``EncryptedPrivateKeyInfo`` itself, but only the
*encoding* is ours: scrypt, AES and padding come from ``cryptography``, and every
file is decrypted with ``cryptography``'s own standard PKCS#8 loader before it is
published, so a file that the standard loader could not read is never written.
scrypt is memory-hard, which makes GPU and ASIC guessing far more expensive than
for PBKDF2 (reaching the same 0.3 s with PBKDF2-SHA256 would take about 2 million
iterations, and each guess would still need almost no memory).  The OpenSSL 3
command line caps scrypt at 32 MiB by default and so refuses these files;
``cryptography`` reads them.  PKCS#8 encryption has no MAC: a wrong passphrase is
detected by the padding and DER checks, and a tampered file yields an error or a
different key, whose key id the application checks against the published one.

Passphrases are NFC-normalised before UTF-8 encoding, so the same passphrase typed
on keyboards that compose accents differently opens the same file.

Development key files carry a marker at the start of their scrypt salt
(:data:`DEVELOPMENT_SALT_MARKER`; why, in :mod:`labeling.keycustody.keyfile`), readable
without the passphrase (:func:`has_development_marker`).
"""

from __future__ import annotations

import base64
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from labeling.keycustody.errors import KeyFileError

__all__ = [
    "DEVELOPMENT_SALT_MARKER",
    "ScryptParams",
    "decrypt_key",
    "encrypted_pem",
    "has_development_marker",
    "passphrase_bytes",
]

_PEM_BEGIN = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"
_PEM_END = b"-----END ENCRYPTED PRIVATE KEY-----"

# Object identifiers used in the EncryptedPrivateKeyInfo.
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_SCRYPT = "1.3.6.1.4.1.11591.4.11"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"

_SALT_BYTES = 16
# The scrypt salt of every development key file starts with these bytes (then
# _SALT_BYTES random ones); see "Development keys" in :mod:`labeling.keycustody.keyfile`.
DEVELOPMENT_SALT_MARKER = b"khatem-development-key:"
_AES_KEY_BYTES = 32
_AES_BLOCK_BYTES = 16


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost parameters: N = 2**log2_n, block size r, parallelism p."""

    log2_n: int
    r: int
    p: int

    @property
    def n(self) -> int:
        return 1 << self.log2_n


# --- minimal DER encoder (only what EncryptedPrivateKeyInfo needs) ---------------


def _der(tag: int, value: bytes) -> bytes:
    length = len(value)
    if length < 0x80:
        return bytes([tag, length]) + value
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(encoded)]) + encoded + value


def _der_seq(*items: bytes) -> bytes:
    return _der(0x30, b"".join(items))


def _der_octets(value: bytes) -> bytes:
    return _der(0x04, value)


def _der_uint(value: int) -> bytes:
    # One extra byte of room keeps the sign bit clear for positive integers.
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _der_oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(chunk))
    return _der(0x06, bytes(out))


def _to_pem(der: bytes) -> bytes:
    b64 = base64.b64encode(der)
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return b"\n".join([_PEM_BEGIN, *lines, _PEM_END]) + b"\n"


# --- minimal DER reader (only to find the scrypt salt of a key file) ----------------


class _NotOurs(Exception):
    """The bytes are not an EncryptedPrivateKeyInfo in the form this module writes."""


def _der_read(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """The tag and value of the element at ``pos``, and the position after it."""
    if pos + 2 > len(data):
        raise _NotOurs
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if not 0 < count <= 4 or pos + count > len(data):
            raise _NotOurs
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise _NotOurs
    return tag, data[pos : pos + length], pos + length


def _der_children(value: bytes, tags: Sequence[int]) -> list[bytes]:
    """The values of the first ``len(tags)`` elements of a constructed value."""
    children: list[bytes] = []
    pos = 0
    for expected in tags:
        tag, child, pos = _der_read(value, pos)
        if tag != expected:
            raise _NotOurs
        children.append(child)
    return children


def _scrypt_salt(der: bytes) -> bytes:
    """The scrypt salt of a PBES2/scrypt ``EncryptedPrivateKeyInfo`` (else ``_NotOurs``)."""
    tag, top, _ = _der_read(der, 0)
    if tag != 0x30:
        raise _NotOurs
    algorithm, _ciphertext = _der_children(top, (0x30, 0x04))
    scheme, pbes2 = _der_children(algorithm, (0x06, 0x30))
    kdf, _cipher = _der_children(pbes2, (0x30, 0x30))
    kdf_oid, scrypt_params = _der_children(kdf, (0x06, 0x30))
    if scheme != _der_oid(_OID_PBES2)[2:] or kdf_oid != _der_oid(_OID_SCRYPT)[2:]:
        raise _NotOurs
    (salt,) = _der_children(scrypt_params, (0x04,))
    return salt


def _der_of_file(data: bytes) -> bytes:
    """The DER of a PEM ``ENCRYPTED PRIVATE KEY`` file, or the file itself if DER."""
    start = data.find(_PEM_BEGIN)
    if start < 0:
        return data
    end = data.find(_PEM_END, start)
    if end < 0:
        raise _NotOurs
    try:
        return base64.b64decode(
            b"".join(data[start + len(_PEM_BEGIN) : end].split()), validate=True
        )
    except ValueError:
        raise _NotOurs from None


# --- passphrases -------------------------------------------------------------------


def passphrase_bytes(passphrase: str) -> bytes:
    if not isinstance(passphrase, str):
        raise TypeError("passphrase must be a str")
    normalized = unicodedata.normalize("NFC", passphrase)
    try:
        return normalized.encode("utf-8")
    except UnicodeEncodeError:
        # The UnicodeEncodeError holds the whole passphrase in its .object
        # attribute; raising after the except block keeps it out of __context__.
        pass
    raise KeyFileError("passphrase is not valid Unicode text")


# --- encrypting and decrypting -------------------------------------------------------


def _encrypt_pkcs8(
    key: Ed25519PrivateKey, passphrase: bytes, params: ScryptParams, *, development: bool
) -> bytes:
    salt = (DEVELOPMENT_SALT_MARKER if development else b"") + os.urandom(_SALT_BYTES)
    iv = os.urandom(_AES_BLOCK_BYTES)
    kek = Scrypt(salt=salt, length=_AES_KEY_BYTES, n=params.n, r=params.r, p=params.p).derive(
        passphrase
    )
    # The unencrypted PKCS#8 exists only in this frame.  Python cannot wipe bytes
    # objects, so the best we can do is keep it short-lived and never store it.
    plain = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    padder = padding.PKCS7(_AES_BLOCK_BYTES * 8).padder()
    padded = padder.update(plain) + padder.finalize()
    del plain
    encryptor = Cipher(algorithms.AES(kek), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    del padded, kek
    scrypt_params = _der_seq(
        _der_octets(salt),
        _der_uint(params.n),
        _der_uint(params.r),
        _der_uint(params.p),
        _der_uint(_AES_KEY_BYTES),
    )
    algorithm = _der_seq(
        _der_oid(_OID_PBES2),
        _der_seq(
            _der_seq(_der_oid(_OID_SCRYPT), scrypt_params),
            _der_seq(_der_oid(_OID_AES256_CBC), _der_octets(iv)),
        ),
    )
    return _der_seq(algorithm, _der_octets(ciphertext))


def encrypted_pem(
    key: Ed25519PrivateKey, passphrase: bytes, params: ScryptParams, *, development: bool
) -> bytes:
    """``key`` as a PEM ``ENCRYPTED PRIVATE KEY`` under ``passphrase`` (its bytes, from
    :func:`passphrase_bytes`); a ``development`` key's salt starts with the marker."""
    return _to_pem(_encrypt_pkcs8(key, passphrase, params, development=development))


def decrypt_key(data: bytes, passphrase: bytes, where: str) -> Ed25519PrivateKey:
    problem: str | None = None
    key: object = None
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, passphrase)
        else:
            key = serialization.load_der_private_key(data, passphrase)
    except TypeError:
        # cryptography raises TypeError when a password is given for a plaintext key.
        problem = "is not encrypted; refusing a plaintext private key"
    except (ValueError, UnsupportedAlgorithm):
        problem = "cannot be decrypted: wrong passphrase or corrupt file"
    # Raised outside the except blocks: the library's exception is not chained,
    # so nothing but this message reaches logs or error trackers.
    if problem is not None:
        raise KeyFileError(f"key file {where} {problem}")
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"key file {where} does not hold an Ed25519 key")
    return key


def has_development_marker(data: bytes) -> bool:
    """True if ``data`` (a key file's bytes, PEM or DER) is a development key file.

    Reads only the unencrypted header (the scrypt salt): no passphrase, no KDF.
    """
    try:
        return _scrypt_salt(_der_of_file(data)).startswith(DEVELOPMENT_SALT_MARKER)
    except _NotOurs:
        return False
