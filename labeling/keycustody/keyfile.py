"""Encrypted key-file backend: an Ed25519 key in a passphrase-protected PKCS#8 file.

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
on keyboards that compose accents differently opens the same file.  New key files
refuse passphrases shorter than 12 characters.

Development keys
----------------
:func:`generate_development_key` creates ``khatem-signing-key.dev.p8`` and, beside
it, ``khatem-signing-key.dev.passphrase`` holding a random 256-bit passphrase (both
mode 0600).  What makes it a development key is the file's *content*, not its name:
its scrypt salt is :data:`DEVELOPMENT_SALT_MARKER` (``khatem-development-key:``,
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

Writing files
-------------
Key and passphrase files are written to a 0600 temporary file in the target
directory, fsynced, then published with ``os.link``, which (unlike ``os.replace``)
fails if the target exists.  That makes publication both atomic and race-free
no-clobber.  On file systems without hard links the name is first reserved with
``O_CREAT | O_EXCL`` and the temporary file is then renamed over that placeholder.
"""

from __future__ import annotations

import base64
import errno
import fcntl
import logging
import os
import secrets
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, final

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from labeling.keycustody.errors import KeyFileError, SignerError, Uncopyable
from labeling.keycustody.interface import key_id_for, keyfile_uri

__all__ = [
    "DEFAULT_SCRYPT",
    "DEVELOPMENT_SALT_MARKER",
    "DEVELOPMENT_SCRYPT",
    "MIN_PASSPHRASE_LENGTH",
    "KeyfileSigner",
    "ScryptParams",
    "ephemeral_signer",
    "generate_development_key",
    "generate_keyfile",
    "has_development_marker",
    "is_development_key_name",
    "is_development_keyfile",
    "load_keyfile_signer",
    "read_secret_file",
]

logger = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH = 12
DEV_KEY_SUFFIX = ".dev.p8"
DEV_KEY_NAME = "khatem-signing-key" + DEV_KEY_SUFFIX
DEV_PASSPHRASE_NAME = "khatem-signing-key.dev.passphrase"
_DEV_LOCK_NAME = ".khatem-signing-key.dev.lock"

_PEM_BEGIN = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"
_PEM_END = b"-----END ENCRYPTED PRIVATE KEY-----"

# Object identifiers used in the EncryptedPrivateKeyInfo.
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_SCRYPT = "1.3.6.1.4.1.11591.4.11"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"

_SALT_BYTES = 16
# The scrypt salt of every development key file starts with these bytes (then
# _SALT_BYTES random ones); see "Development keys" in the module docstring.
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


# The production cost: 128 MiB and about 0.3 s on the reference machine.  Read at
# call time (not bound as a default argument) so tests can lower it temporarily.
DEFAULT_SCRYPT = ScryptParams(log2_n=17, r=8, p=1)
# Development keys have a random 256-bit passphrase stored beside them; see the
# module docstring for why a cheap KDF is the right choice there.
DEVELOPMENT_SCRYPT = ScryptParams(log2_n=14, r=8, p=1)


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


def _passphrase_bytes(passphrase: str) -> bytes:
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


def _check_new_passphrase(passphrase: str) -> bytes:
    encoded = _passphrase_bytes(passphrase)
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise KeyFileError(f"passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters long")
    return encoded


def read_secret_file(path: str | os.PathLike[str]) -> str:
    """Read a passphrase or PIN file: UTF-8 text, trailing newlines removed.

    The application uses this for the development passphrase file and for PIN
    files, so every secret file is read the same way.  Errors name the path only.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read secret file {os.fspath(path)}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        raise KeyFileError(f"secret file {os.fspath(path)} is not UTF-8 text")
    text = text.rstrip("\r\n")
    if not text:
        raise KeyFileError(f"secret file {os.fspath(path)} is empty")
    return text


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


def _decrypt(data: bytes, passphrase: bytes, where: str) -> Ed25519PrivateKey:
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


# --- writing files -------------------------------------------------------------------

_NO_HARDLINK_ERRNOS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}
)


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish_private_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, atomically, never overwriting."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise KeyFileError(f"directory {directory} does not exist")
    # mkstemp creates the file 0600 whatever the umask, so the secret is never
    # readable by others, not even for an instant.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    exists = False
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), stat.S_IRUSR | stat.S_IWUSR)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            exists = True
        except OSError as exc:
            if exc.errno not in _NO_HARDLINK_ERRNOS:
                raise KeyFileError(f"cannot write {path}: {exc.strerror}") from None
            exists = not _publish_without_hardlink(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    if exists:
        raise KeyFileError(f"refusing to overwrite existing file {path}")
    _fsync_dir(directory)


def _publish_without_hardlink(tmp: str, path: str) -> bool:
    # Reserve the name exclusively, then rename our file over our own placeholder.
    # Returns False if the name was already taken.
    try:
        placeholder = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(placeholder)
    os.replace(tmp, path)
    return True


def _write_keyfile(path: str, passphrase: str, params: ScryptParams, *, development: bool) -> bytes:
    encoded = _check_new_passphrase(passphrase)
    if os.path.lexists(path):
        # Checked early so no KDF time is wasted; the hard link is the real guard.
        raise KeyFileError(f"refusing to overwrite existing file {path}")
    key = Ed25519PrivateKey.generate()
    pem = _to_pem(_encrypt_pkcs8(key, encoded, params, development=development))
    # Self-check with the standard loader: never publish a file we could not open.
    if _decrypt(pem, encoded, path).public_key() != key.public_key():
        raise KeyFileError("key file self-check failed")  # pragma: no cover
    _publish_private_file(path, pem)
    public_raw = key.public_key().public_bytes_raw()
    logger.info("generated key file %s key_id=%s", path, key_id_for(public_raw))
    return public_raw


def generate_keyfile(path: str | os.PathLike[str], passphrase: str) -> bytes:
    """Create a new encrypted Ed25519 key file and return its raw 32-byte public key.

    The file is written with mode 0600; an existing file is never overwritten
    (:class:`KeyFileError`).  Passphrases shorter than 12 characters are refused.
    """
    return _write_keyfile(os.fspath(path), passphrase, DEFAULT_SCRYPT, development=False)


def has_development_marker(data: bytes) -> bool:
    """True if ``data`` (a key file's bytes, PEM or DER) is a development key file.

    Reads only the unencrypted header (the scrypt salt): no passphrase, no KDF.
    """
    try:
        return _scrypt_salt(_der_of_file(data)).startswith(DEVELOPMENT_SALT_MARKER)
    except _NotOurs:
        return False


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
        _publish_private_file(str(passphrase_path), passphrase.encode("ascii") + b"\n")
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
    encoded = _passphrase_bytes(passphrase)
    try:
        with open(where, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            data = handle.read()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {where}: {exc.strerror}") from None
    if mode & 0o077:
        logger.warning("key file %s is accessible to group/others; chmod 600 it", where)
    signer = KeyfileSigner(
        _decrypt(data, encoded, where),
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
