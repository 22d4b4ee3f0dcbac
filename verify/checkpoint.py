"""Signed notes and transparency-log checkpoints (C2SP signed-note and tlog-checkpoint).

Signed note (https://c2sp.org/signed-note)::

    <text: one or more lines, each ending in "\\n">
    <blank line>
    — <key name> <base64(4-byte key ID || signature)>      (one line per signature)

The signature line starts with an em dash (U+2014) and a space. The note text includes its
final newline but not the blank line; the text ends at the *last* blank line. Key names are
non-empty and contain neither Unicode spaces nor ``+``. Ed25519 signatures (RFC 8032) are made
over the note text, and their key ID is ``SHA-256(name || 0x0A || 0x01 || public key)[:4]``.

Checkpoint (https://c2sp.org/tlog-checkpoint): a signed note whose text is::

    <origin>
    <tree size, decimal, no leading zeros>
    <root hash, standard padded base64 of 32 bytes>
    <optional extension lines, each non-empty>

Verifier keys use the note "vkey" form ``<name>+<8 hex digits of key ID>+<base64(0x01 || 32-byte
public key)>``.

Rules enforced on every note read here, each failure raising ``CheckpointError``: at most
``MAX_NOTE_BYTES`` (1 MiB) of valid UTF-8; no ASCII control character except newline (so no
CR); at most ``MAX_SIGNATURES`` signature lines; canonical base64 everywhere. Signatures by
unknown keys (a different name or key ID) are ignored, as the spec requires; a signature by a
known key that fails to verify rejects the whole note; at least one must verify.

Only public keys enter this module: signing goes through a ``sign(message) -> signature``
callback, such as the ``sign`` method of a ``cryptography`` ``Ed25519PrivateKey`` held
elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = [
    "MAX_NOTE_BYTES",
    "MAX_SIGNATURES",
    "MAX_TREE_SIZE",
    "Checkpoint",
    "CheckpointError",
    "NoteSignature",
    "VerifierKey",
    "build_checkpoint",
    "encode_vkey",
    "key_hash",
    "open_note",
    "parse_checkpoint",
    "parse_vkey",
    "sign_note",
    "verify_checkpoint",
]

MAX_NOTE_BYTES = 1 << 20
MAX_SIGNATURES = 100
MAX_TREE_SIZE = (1 << 64) - 1

_ED25519 = b"\x01"
_SIGNATURE_PREFIX = "\u2014 "
_HASH_SIZE = 32
_ED25519_SIGNATURE_SIZE = 64
_TREE_SIZE = re.compile(r"0|[1-9][0-9]*")
_KEY_HASH_HEX = re.compile(r"[0-9a-f]{8}")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_TOO_LARGE = f"note is larger than {MAX_NOTE_BYTES} bytes"


class CheckpointError(Exception):
    """A signed note or checkpoint is malformed, or its signatures do not verify."""


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line: key name, 4-byte key ID and the signature bytes."""

    name: str
    key_hash: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A parsed checkpoint. ``signatures`` holds every signature line, verified or not."""

    origin: str
    tree_size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()
    signatures: tuple[NoteSignature, ...] = ()


@dataclass(frozen=True, slots=True)
class VerifierKey:
    """A trusted Ed25519 note key; ``key_hash`` is derived from the name and public key."""

    name: str
    public_key: bytes
    key_hash: bytes = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_hash", key_hash(self.name, self.public_key))


def _b64decode(text: str, what: str) -> bytes:
    """Decode standard, padded, canonical base64 (re-encoding must give the same text)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise CheckpointError(f"{what} is not valid base64") from e
    if base64.b64encode(raw).decode("ascii") != text:
        raise CheckpointError(f"{what} is not canonical base64")
    return raw


def _check_key_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name) or _CONTROL.search(name):
        raise CheckpointError(f"invalid key name {name!r}: empty, or has a space or '+'")


def _raw_public_key(public_key: bytes | Ed25519PublicKey) -> bytes:
    raw = public_key if isinstance(public_key, bytes) else public_key.public_bytes_raw()
    if len(raw) != 32:
        raise CheckpointError(f"an Ed25519 public key is 32 bytes, got {len(raw)}")
    return raw


def key_hash(name: str, public_key: bytes | Ed25519PublicKey) -> bytes:
    """Return the Ed25519 note key ID: ``SHA-256(name || "\\n" || 0x01 || key)[:4]``."""
    _check_key_name(name)
    raw = _raw_public_key(public_key)
    return hashlib.sha256(name.encode() + b"\n" + _ED25519 + raw).digest()[:4]


def encode_vkey(name: str, public_key: bytes | Ed25519PublicKey) -> str:
    """Return the vkey text ``<name>+<hex key ID>+<base64(0x01 || key)>``."""
    raw = _raw_public_key(public_key)
    material = base64.b64encode(_ED25519 + raw).decode("ascii")
    return f"{name}+{key_hash(name, raw).hex()}+{material}"


def parse_vkey(vkey: str) -> VerifierKey:
    """Parse a vkey; the embedded key ID must match the name and key it names."""
    # The base64 key material may itself contain '+', so split at the first two only.
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise CheckpointError("a vkey has the form <name>+<hex key ID>+<base64 key>")
    name, hex_hash, material = parts
    _check_key_name(name)
    if not _KEY_HASH_HEX.fullmatch(hex_hash):
        raise CheckpointError("a vkey key ID is 8 lower-case hex digits")
    raw = _b64decode(material, "vkey key material")
    if raw[:1] != _ED25519:
        raise CheckpointError("only Ed25519 (type 0x01) vkeys are supported")
    key = VerifierKey(name, _raw_public_key(raw[1:]))
    if key.key_hash.hex() != hex_hash:
        raise CheckpointError("vkey key ID does not match its name and public key")
    return key


# Signed notes.


def _check_text(text: str, what: str) -> bytes:
    """Apply the note character rules and return the UTF-8 bytes."""
    if _CONTROL.search(text):
        raise CheckpointError(f"{what} contains a control character other than newline")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise CheckpointError(f"{what} is not valid Unicode (lone surrogate)") from e


def _split_note(note: str | bytes) -> tuple[str, bytes, tuple[NoteSignature, ...]]:
    """Check a note's syntax and return its text, the text's bytes and its signature lines."""
    if isinstance(note, bytes):
        if len(note) > MAX_NOTE_BYTES:
            raise CheckpointError(_TOO_LARGE)
        raw = note
        try:
            note = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise CheckpointError("note is not valid UTF-8") from e
        if _CONTROL.search(note):
            raise CheckpointError("note contains a control character other than newline")
    else:
        # A character is at least one byte, so this bounds the work before encoding.
        if len(note) > MAX_NOTE_BYTES:
            raise CheckpointError(_TOO_LARGE)
        raw = _check_text(note, "note")
        if len(raw) > MAX_NOTE_BYTES:
            raise CheckpointError(_TOO_LARGE)
    # The text ends at the last blank line; what follows is the signature block. Two newline
    # bytes only ever come from two newline characters, so both searches find the same place.
    split = note.rfind("\n\n")
    if split < 0:
        raise CheckpointError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    message = raw[: raw.rfind(b"\n\n") + 1]
    if not block.endswith("\n"):
        raise CheckpointError("note has no signature lines, or the last one lacks a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointError(f"note has more than {MAX_SIGNATURES} signatures")
    signatures: list[NoteSignature] = []
    for line in lines:
        if not line.startswith(_SIGNATURE_PREFIX):
            raise CheckpointError("signature line does not start with an em dash and a space")
        name, _, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
        _check_key_name(name)
        blob = _b64decode(encoded, f"signature by {name!r}")
        if len(blob) < 5:
            raise CheckpointError(f"signature by {name!r} is too short")
        signatures.append(NoteSignature(name, blob[:4], blob[4:]))
    return text, message, tuple(signatures)


def _verify_signatures(
    message: bytes, signatures: Sequence[NoteSignature], verifier_keys: Iterable[VerifierKey]
) -> None:
    """Require one good signature by a known key and no bad one; ignore unknown keys."""
    known = {(key.name, key.key_hash): key for key in verifier_keys}
    verified = 0
    for sig in signatures:
        key = known.get((sig.name, sig.key_hash))
        if key is None:
            continue
        if len(sig.signature) != _ED25519_SIGNATURE_SIZE:
            raise CheckpointError(f"signature by {sig.name!r} has the wrong length")
        try:
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(sig.signature, message)
        except InvalidSignature as e:
            raise CheckpointError(f"signature by known key {sig.name!r} does not verify") from e
        verified += 1
    if not verified:
        raise CheckpointError("note has no signature by a known key")


def sign_note(
    text: str,
    *,
    sign: Callable[[bytes], bytes],
    key_name: str,
    public_key: bytes | Ed25519PublicKey,
) -> str:
    """Sign a note text with an Ed25519 key reached through the ``sign`` callback.

    The signature is checked against ``public_key`` before it is returned, so a callback
    holding a different key fails here instead of publishing an unverifiable note.
    """
    if not text.endswith("\n"):
        raise CheckpointError("note text must end with a newline")
    message = _check_text(text, "note text")
    raw = _raw_public_key(public_key)
    hash4 = key_hash(key_name, raw)
    signature = sign(message)
    own = NoteSignature(key_name, hash4, signature)
    _verify_signatures(message, [own], [VerifierKey(key_name, raw)])
    line = base64.b64encode(hash4 + signature).decode("ascii")
    return f"{text}\n{_SIGNATURE_PREFIX}{key_name} {line}\n"


def open_note(note: str | bytes, *, verifier_keys: Iterable[VerifierKey]) -> str:
    """Verify a signed note and return its text (with the final newline)."""
    text, message, signatures = _split_note(note)
    _verify_signatures(message, signatures, verifier_keys)
    return text


# Checkpoints.


def _checkpoint_body(
    origin: str, tree_size: int, root_hash: bytes, extensions: Sequence[str]
) -> str:
    lines = [origin, str(tree_size), base64.b64encode(root_hash).decode("ascii"), *extensions]
    return "".join(f"{line}\n" for line in lines)


def _parse_body(text: str, signatures: tuple[NoteSignature, ...]) -> Checkpoint:
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, tree size and root hash lines")
    if any(not line for line in lines):
        raise CheckpointError("checkpoint lines must be non-empty")
    origin, size_text, root_text, *extensions = lines
    if not _TREE_SIZE.fullmatch(size_text):
        raise CheckpointError(f"tree size {size_text!r} is not a canonical decimal number")
    tree_size = int(size_text)
    if tree_size > MAX_TREE_SIZE:
        raise CheckpointError("tree size does not fit in 64 bits")
    root_hash = _b64decode(root_text, "root hash")
    if len(root_hash) != _HASH_SIZE:
        raise CheckpointError(f"root hash is {len(root_hash)} bytes, not {_HASH_SIZE}")
    return Checkpoint(origin, tree_size, root_hash, tuple(extensions), signatures)


def build_checkpoint(
    *,
    origin: str,
    tree_size: int,
    root_hash: bytes,
    sign: Callable[[bytes], bytes],
    key_name: str,
    public_key: bytes | Ed25519PublicKey,
    extensions: Sequence[str] = (),
) -> str:
    """Return a signed checkpoint note for ``(tree_size, root_hash)`` of log ``origin``."""
    if not 0 <= tree_size <= MAX_TREE_SIZE:
        raise CheckpointError(f"tree size {tree_size} is not a 64-bit unsigned integer")
    if len(root_hash) != _HASH_SIZE:
        raise CheckpointError(f"root hash is {len(root_hash)} bytes, not {_HASH_SIZE}")
    for line in (origin, *extensions):
        if not line or "\n" in line:
            raise CheckpointError("origin and extension lines must be non-empty single lines")
    body = _checkpoint_body(origin, tree_size, root_hash, extensions)
    return sign_note(body, sign=sign, key_name=key_name, public_key=public_key)


def parse_checkpoint(text: str | bytes) -> Checkpoint:
    """Parse a checkpoint WITHOUT verifying its signatures; prefer ``verify_checkpoint``."""
    body, _, signatures = _split_note(text)
    return _parse_body(body, signatures)


def verify_checkpoint(
    text: str | bytes, *, verifier_keys: Iterable[VerifierKey], origin: str | None = None
) -> Checkpoint:
    """Parse a checkpoint, check its origin and require a valid signature by a known key."""
    body, message, signatures = _split_note(text)
    checkpoint = _parse_body(body, signatures)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    _verify_signatures(message, signatures, verifier_keys)
    return checkpoint
