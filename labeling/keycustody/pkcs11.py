"""PKCS#11 (HSM) backend: Ed25519 keys that never leave the token.

Mechanisms and attributes
-------------------------
Keys are ``CKK_EC_EDWARDS`` pairs generated on the token with
``CKM_EC_EDWARDS_KEY_PAIR_GEN``; ``CKA_EC_PARAMS`` is the DER-encoded curve OID
1.3.101.112 (id-Ed25519, RFC 8410), which PKCS#11 3.0 and SoftHSM2 (>= 2.6) accept.
Existing keys whose parameters use the printable-string form ``"edwards25519"``
are accepted too.  Signing uses ``CKM_EDDSA`` without parameters, i.e. pure
Ed25519 (RFC 8032), so the signatures verify with any Ed25519 library.

The private key is created with ``CKA_TOKEN``, ``CKA_PRIVATE``, ``CKA_SENSITIVE``
true and ``CKA_EXTRACTABLE`` false: the token refuses to reveal ``CKA_VALUE`` or
to wrap the key out.  Opening a signer refuses a key that is not sensitive (its
value could be read in plaintext) and warns about a key that is extractable.

The public key is read from the matching public-key object's ``CKA_EC_POINT``,
which PKCS#11 defines as a DER OCTET STRING around the 32 raw bytes (SoftHSM2 does
this); tokens that return the bare 32 bytes are handled as well.  On open the
signer signs a random challenge and verifies it with ``cryptography`` against that
public key, so a private/public pair that does not belong together (same label,
different keys) is caught before the first label is signed with it.

Sessions, failures and threads
------------------------------
One session is opened per signer and reused: ``sign_many`` runs a whole batch
through it.  Device, token and session failures (unplugged HSM, deleted token,
finalised library, lost session or login) raise :class:`SignerUnavailableError`,
and ``sign_many`` then returns nothing at all.
The next call reconnects: it reloads the module if needed, finds the token and key
again and checks that the key's public key is still the one this signer was opened
with (a different key raises :class:`SignerError`; key ids must not change under a
running process).  To reconnect without asking anyone, the signer keeps the PIN in
memory, as every long-running PKCS#11 client does.

How the token is loaded, logged in to (one login per token for the whole process, and a
second signer's different PIN refused) and told apart when it fails is
:mod:`labeling.keycustody.pkcs11_token`.

A lock serialises use of the session, so one signer may be shared by threads.
PKCS#11 sessions do not survive ``fork()``: open the signer in each worker after
the fork; a signer used in a forked child raises :class:`SignerError`.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Sequence
from typing import Any, NoReturn, final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11 import exceptions as p11e

from labeling.keycustody.errors import SignerError, SignerUnavailableError, Uncopyable
from labeling.keycustody.interface import ED25519_PUBLIC_KEY_SIZE, key_id_for
from labeling.keycustody.pkcs11_token import (
    close_quietly,
    describe,
    find_one,
    find_token,
    forget_login,
    is_unavailable,
    load_module,
    open_user_session,
)

__all__ = [
    "ED25519_EC_PARAMS",
    "Pkcs11Signer",
    "ed25519_public_from_ec_point",
    "generate_hsm_key",
    "open_pkcs11_signer",
]

logger = logging.getLogger(__name__)

# DER OBJECT IDENTIFIER 1.3.101.112 (id-Ed25519), the form used for new keys.
ED25519_EC_PARAMS = bytes.fromhex("06032b6570")
# DER PrintableString "edwards25519", the other form PKCS#11 3.0 allows.
_ED25519_EC_PARAMS_PRINTABLE = b"\x13\x0cedwards25519"
_ED25519_PARAMS = frozenset({ED25519_EC_PARAMS, _ED25519_EC_PARAMS_PRINTABLE})


def ed25519_public_from_ec_point(ec_point: bytes) -> bytes:
    """Extract the raw 32-byte key from a ``CKA_EC_POINT`` value.

    PKCS#11 specifies a DER OCTET STRING (``04 20`` + 32 bytes); some tokens return
    the bare 32 bytes.  Anything else raises :class:`SignerError`.
    """
    if len(ec_point) == ED25519_PUBLIC_KEY_SIZE:
        return bytes(ec_point)
    if len(ec_point) == ED25519_PUBLIC_KEY_SIZE + 2 and ec_point[:2] == b"\x04\x20":
        return bytes(ec_point[2:])
    raise SignerError("CKA_EC_POINT is not an Ed25519 public key")


def _public_raw_of(public_key: Any) -> bytes:
    params = bytes(public_key[Attribute.EC_PARAMS])
    if params not in _ED25519_PARAMS:
        raise SignerError("the PKCS#11 key is an EC_EDWARDS key but not on edwards25519")
    return ed25519_public_from_ec_point(bytes(public_key[Attribute.EC_POINT]))


def _generate_pair(session: Any, key_label: str) -> bytes:
    public_key, _private_key = session.generate_keypair(
        KeyType.EC_EDWARDS,
        mechanism=Mechanism.EC_EDWARDS_KEY_PAIR_GEN,
        store=True,
        label=key_label,
        public_template={
            Attribute.EC_PARAMS: ED25519_EC_PARAMS,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: False,
            Attribute.VERIFY: True,
        },
        private_template={
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.EXTRACTABLE: False,
            Attribute.SIGN: True,
            Attribute.DERIVE: False,
        },
    )
    return ed25519_public_from_ec_point(bytes(public_key[Attribute.EC_POINT]))


def generate_hsm_key(*, module: str, token_label: str, pin: str, key_label: str) -> bytes:
    """Generate a non-extractable Ed25519 key pair on the token; return the public key.

    Refuses (:class:`SignerError`) if any object with ``key_label`` already exists,
    because two keys under one label would make the key URI ambiguous.
    """
    lib = load_module(module)
    token = find_token(lib, token_label, None)
    public_raw: bytes | None = None
    for attempt in (1, 2):
        session = open_user_session(module, token, pin, rw=True)
        try:
            if list(session.get_objects({Attribute.LABEL: key_label})):
                raise SignerError(
                    f"token {token_label!r} already holds objects labelled {key_label!r}"
                )
            public_raw = _generate_pair(session, key_label)
            break
        except p11e.UserNotLoggedIn as exc:
            # The remembered login died (library re-initialised, token replugged):
            # log in afresh once.
            if attempt == 2:
                raise SignerUnavailableError(
                    f"token {token_label!r} lost its login during key generation"
                ) from exc
            forget_login(module, token)
        except p11e.PKCS11Error as exc:
            if is_unavailable(exc):
                raise SignerUnavailableError(
                    f"token {token_label!r} became unavailable during key generation"
                ) from exc
            raise SignerError(
                f"key generation on token {token_label!r} failed: {describe(exc)}"
            ) from exc
        finally:
            close_quietly(session)
    assert public_raw is not None
    logger.info(
        "generated PKCS#11 key %r on token %r key_id=%s",
        key_label,
        token_label,
        key_id_for(public_raw),
    )
    return public_raw


@final
class Pkcs11Signer(Uncopyable):
    """Signs with an Ed25519 private key that stays inside a PKCS#11 token."""

    __slots__ = (
        "_module",
        "_token_label",
        "_token_serial",
        "_key_label",
        "_pin",
        "_session",
        "_key",
        "_public_raw",
        "_key_id",
        "_lock",
        "_pid",
        "_closed",
    )

    def __init__(
        self,
        *,
        module: str,
        token_label: str,
        key_label: str,
        pin: str,
        token_serial: str | None = None,
    ) -> None:
        self._module = module
        self._token_label = token_label
        self._token_serial = token_serial
        self._key_label = key_label
        self._pin = pin
        self._session: Any = None
        self._key: Any = None
        self._public_raw = b""
        self._key_id = ""
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._closed = False
        with self._lock:
            self._connect()

    # -- connection management (caller holds the lock) --------------------------

    def _connect(self) -> None:
        lib = load_module(self._module)
        token = find_token(lib, self._token_label, self._token_serial)
        session = open_user_session(self._module, token, self._pin, rw=False)
        try:
            key = find_one(session, ObjectClass.PRIVATE_KEY, self._key_label)
            if key is None:
                # Private objects are invisible without a login, so a remembered
                # login that died (library re-initialised, token replugged) looks
                # exactly like a missing key: log in afresh once and look again.
                close_quietly(session)
                forget_login(self._module, token)
                session = open_user_session(self._module, token, self._pin, rw=False)
                key = find_one(session, ObjectClass.PRIVATE_KEY, self._key_label)
            if key is None:
                raise SignerError(f"no Ed25519 private key labelled {self._key_label!r}")
            public = find_one(session, ObjectClass.PUBLIC_KEY, self._key_label)
            if public is None:
                raise SignerError(f"no Ed25519 public key labelled {self._key_label!r}")
            public_raw = _public_raw_of(public)
            if not key[Attribute.SENSITIVE]:
                raise SignerError(
                    f"PKCS#11 key {self._key_label!r} is not sensitive; refusing to use it"
                )
            if key[Attribute.EXTRACTABLE]:
                logger.warning("PKCS#11 key %r is extractable", self._key_label)
            challenge = b"khatem signer self-test " + secrets.token_bytes(32)
            signature = key.sign(challenge, mechanism=Mechanism.EDDSA)
        except p11e.PKCS11Error as exc:
            close_quietly(session)
            if is_unavailable(exc):
                raise SignerUnavailableError(
                    f"token {self._token_label!r} became unavailable while opening the key"
                ) from exc
            raise SignerError(
                f"cannot use PKCS#11 key {self._key_label!r}: {describe(exc)}"
            ) from exc
        except BaseException:
            close_quietly(session)
            raise
        try:
            Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, challenge)
        except InvalidSignature:
            close_quietly(session)
            raise SignerError(
                f"PKCS#11 key {self._key_label!r}: the private key does not match the public "
                "key object with the same label"
            ) from None
        if self._public_raw and public_raw != self._public_raw:
            close_quietly(session)
            raise SignerError(
                f"PKCS#11 key {self._key_label!r} changed: was key_id={self._key_id}, "
                f"now key_id={key_id_for(public_raw)}; refusing to sign"
            )
        self._session = session
        self._key = key
        if not self._public_raw:
            self._public_raw = public_raw
            self._key_id = key_id_for(public_raw)

    def _drop_session(self) -> None:
        session, self._session, self._key = self._session, None, None
        if session is not None:
            close_quietly(session)

    def _ready_key(self) -> Any:
        if self._closed:
            raise SignerError("signer is closed")
        if os.getpid() != self._pid:
            raise SignerError("PKCS#11 signer used after fork(); open a new signer in this process")
        if self._key is None:
            self._connect()
        return self._key

    def _fail(self, exc: p11e.PKCS11Error) -> NoReturn:
        if is_unavailable(exc):
            self._drop_session()
            raise SignerUnavailableError(
                f"PKCS#11 token {self._token_label!r} became unavailable while signing "
                f"({describe(exc)}); no signatures were returned"
            ) from exc
        raise SignerError(f"PKCS#11 signing failed: {describe(exc)}") from exc

    # -- the Signer interface ----------------------------------------------------

    @property
    def key_id(self) -> str:
        return self._key_id

    @property
    def public_key_raw(self) -> bytes:
        return self._public_raw

    @property
    def backend(self) -> str:
        return "pkcs11"

    @property
    def is_development(self) -> bool:
        return False

    def sign(self, message: bytes) -> bytes:
        if not isinstance(message, bytes):
            # python-pkcs11 would silently encode a str; the keyfile backend refuses.
            raise TypeError("message must be bytes")
        with self._lock:
            key = self._ready_key()
            try:
                return bytes(key.sign(message, mechanism=Mechanism.EDDSA))
            except p11e.PKCS11Error as exc:
                self._fail(exc)

    def sign_many(self, messages: Sequence[bytes]) -> list[bytes]:
        with self._lock:
            key = self._ready_key()
            signatures: list[bytes] = []
            append = signatures.append
            eddsa = Mechanism.EDDSA
            try:
                for message in messages:
                    if not isinstance(message, bytes):
                        raise TypeError("messages must be bytes")
                    append(bytes(key.sign(message, mechanism=eddsa)))
            except p11e.PKCS11Error as exc:
                # The partial list is discarded with this frame: all or nothing.
                self._fail(exc)
            return signatures

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop_session()

    def __enter__(self) -> Pkcs11Signer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<Pkcs11Signer backend=pkcs11 key_id={self._key_id}"
            f" public_key={self._public_raw.hex()}>"
        )

    __str__ = __repr__


def open_pkcs11_signer(
    *,
    module: str,
    token_label: str,
    key_label: str,
    pin: str,
    token_serial: str | None = None,
) -> Pkcs11Signer:
    """Open a signer for the Ed25519 key ``key_label`` on token ``token_label``."""
    signer = Pkcs11Signer(
        module=module,
        token_label=token_label,
        key_label=key_label,
        pin=pin,
        token_serial=token_serial,
    )
    logger.info(
        "opened pkcs11 signer key_id=%s token=%r object=%r",
        signer.key_id,
        token_label,
        key_label,
    )
    return signer
