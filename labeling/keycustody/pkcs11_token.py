"""A PKCS#11 token as the signers use it: the module loaded, the token found, the process's
login held, sessions opened, Ed25519 objects found, failures told apart.

Logins
------
PKCS#11 logins belong to the application, not to a session, and python-pkcs11
logs out whenever a session opened with a PIN is closed.  So this module keeps one
PIN session per (module, token) open for the life of the process, only to hold the
login, and signers sign in PIN-less sessions, which share that login and can be
closed without logging out other signers on the same token.  Because the token
never sees the PIN of a second signer opened in an already logged-in process, the
login remembers a keyed digest of its PIN and a different PIN is refused.

Failures
--------
Device, token and session failures (unplugged HSM, deleted token, finalised library,
lost session or login) are :func:`is_unavailable`: they raise
:class:`SignerUnavailableError`, and a retry may succeed once the token is back.
Everything else is a plain :class:`SignerError`. Errors name python-pkcs11's exception
class (:func:`describe`), never a PIN.

SoftHSM2 specifics (tests, development)
---------------------------------------
SoftHSM2 reads ``SOFTHSM2_CONF`` (the path of a softhsm2.conf naming the token
directory) and scans that directory for tokens only when the library is
initialised.  ``python-pkcs11`` keeps one loaded instance per module path for the
whole process.  Tokens created later are not seen until the library is
re-initialised, which ends every open session of that module in the process.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from typing import Any

import pkcs11 as p11
from pkcs11 import KeyType, ObjectClass
from pkcs11 import exceptions as p11e

from labeling.keycustody.errors import SignerError, SignerUnavailableError

__all__ = [
    "close_quietly",
    "describe",
    "find_one",
    "find_token",
    "forget_login",
    "is_unavailable",
    "load_module",
    "open_user_session",
]

# Errors that mean "the device, token or session is gone"; a retry may succeed once
# it is back.  Everything else from the module is a plain SignerError.
_UNAVAILABLE: tuple[type[p11e.PKCS11Error], ...] = (
    p11e.DeviceError,
    p11e.DeviceMemory,
    p11e.DeviceRemoved,
    p11e.GeneralError,
    p11e.FunctionFailed,
    p11e.SessionClosed,
    p11e.SessionCount,
    p11e.SessionHandleInvalid,
    p11e.TokenNotPresent,
    p11e.TokenNotRecognised,
    p11e.NoSuchToken,
    p11e.UserNotLoggedIn,
    p11e.ObjectHandleInvalid,
    p11e.KeyHandleInvalid,
)


def is_unavailable(exc: p11e.PKCS11Error) -> bool:
    if isinstance(exc, _UNAVAILABLE):
        return True
    # python-pkcs11 maps CKR_CRYPTOKI_NOT_INITIALIZED (the library was finalised
    # under us) to a bare PKCS11Error; its message is the only way to tell.
    return type(exc) is p11e.PKCS11Error and "not initialized" in str(exc)


def describe(exc: BaseException) -> str:
    # Exception *class names* from python-pkcs11 say what happened and carry no
    # secrets; their messages are empty or generic.
    return type(exc).__name__


def load_module(module: str) -> Any:
    if not os.path.isfile(module):
        raise SignerError(f"PKCS#11 module {module} does not exist")
    try:
        # pkcs11.lib caches one instance per path and re-initialises it if it was
        # finalised, which is what a reconnect needs.
        return p11.lib(module)
    except p11e.PKCS11Error as exc:
        raise SignerError(f"cannot load PKCS#11 module {module}: {describe(exc)}") from exc


def find_token(lib: Any, token_label: str, token_serial: str | None) -> Any:
    kwargs: dict[str, Any] = {"token_label": token_label}
    if token_serial is not None:
        kwargs["token_serial"] = token_serial.encode("ascii")
    try:
        return lib.get_token(**kwargs)
    except p11e.MultipleTokensReturned:
        raise SignerError(
            f"several PKCS#11 tokens are labelled {token_label!r}; add serial= to the URI"
        ) from None
    except p11e.PKCS11Error as exc:
        if isinstance(exc, p11e.NoSuchToken) or is_unavailable(exc):
            raise SignerUnavailableError(
                f"PKCS#11 token {token_label!r} is not available ({describe(exc)})"
            ) from exc
        raise SignerError(f"PKCS#11 token {token_label!r}: {describe(exc)}") from exc


# Process-wide logins, one per (module, token serial).  PKCS#11 login state belongs
# to the application, not to a session, and python-pkcs11 calls C_Logout whenever
# a session that was opened with a PIN is closed, which would log out every other
# signer of this process on the same token.  So one PIN session per token is kept
# open here for the life of the process, purely to hold the login, and signers do
# their work in PIN-less sessions, which inherit the login and close without
# logging anybody out.
_LOGIN_LOCK = threading.Lock()
_LOGINS: dict[tuple[str, bytes], tuple[Any, bytes]] = {}
# A login made by one signer would let a later signer with a *wrong* PIN work too
# (the token never sees that PIN).  Each login therefore remembers a keyed digest
# of its PIN, and a different PIN is refused as wrong.  The key is random per
# process so the digest is useless outside it.
_PIN_DIGEST_KEY = secrets.token_bytes(32)


def _pin_digest(pin: str) -> bytes:
    return hmac.new(_PIN_DIGEST_KEY, pin.encode("utf-8"), hashlib.sha256).digest()


def _login_key(module: str, token: Any) -> tuple[str, bytes]:
    return module, bytes(token.serial)


def _ensure_login(module: str, token: Any, pin: str) -> None:
    label = token.label
    digest = _pin_digest(pin)
    with _LOGIN_LOCK:
        known = _LOGINS.get(_login_key(module, token))
        if known is not None:
            if hmac.compare_digest(known[1], digest):
                return
            problem = "wrong PIN (not the PIN this process logged in with)"
        else:
            try:
                session = token.open(user_pin=pin)
                _LOGINS[_login_key(module, token)] = (session, digest)
                return
            except p11e.UserAlreadyLoggedIn:
                # Someone else in this process logged in (outside this registry);
                # the login is shared, so there is nothing to do.  python-pkcs11
                # leaves the session whose C_Login failed open; it goes when the
                # module is finalised.
                return
            except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange):
                problem = "wrong PIN"
            except p11e.PinLocked:
                problem = "the user PIN is locked"
            except p11e.PKCS11Error as exc:
                if is_unavailable(exc):
                    raise SignerUnavailableError(
                        f"cannot log in to token {label!r} ({describe(exc)})"
                    ) from exc
                raise SignerError(f"cannot log in to token {label!r}: {describe(exc)}") from exc
    raise SignerError(f"PKCS#11 login to token {label!r} failed: {problem}")


def forget_login(module: str, token: Any) -> None:
    # The old session is deliberately not closed: if it is dead (library
    # re-initialised, token replugged) closing fails anyway, and if it is alive
    # closing it would log out the whole process.
    with _LOGIN_LOCK:
        _LOGINS.pop(_login_key(module, token), None)


def open_user_session(module: str, token: Any, pin: str, *, rw: bool) -> Any:
    _ensure_login(module, token, pin)
    try:
        return token.open(rw=rw)
    except p11e.PKCS11Error as exc:
        if is_unavailable(exc):
            raise SignerUnavailableError(
                f"cannot open a session on token {token.label!r} ({describe(exc)})"
            ) from exc
        raise SignerError(
            f"cannot open a session on token {token.label!r}: {describe(exc)}"
        ) from exc


def close_quietly(session: Any) -> None:
    try:
        session.close()
    except Exception:  # The session is being thrown away either way.
        pass


def find_one(session: Any, object_class: ObjectClass, label: str) -> Any:
    """The single Ed25519 object of this class and label, or None if there is none."""
    try:
        return session.get_key(object_class=object_class, key_type=KeyType.EC_EDWARDS, label=label)
    except p11e.NoSuchKey:
        return None
    except p11e.MultipleObjectsReturned:
        raise SignerError(
            f"several Ed25519 {object_class.name.lower()} objects are labelled {label!r}"
        ) from None
