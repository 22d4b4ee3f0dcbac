"""Tests for the PKCS#11 signer against a real SoftHSM2 token.

Each test that needs an HSM gets a fresh token in its own temp directory (see
``tests/softhsm.py``).  Without SoftHSM2 these tests fail when ``CI`` is set and are
skipped otherwise.  The URI-parsing tests at the end need no HSM.
"""

from __future__ import annotations

import copy
import os
import pickle
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload
from unittest import mock

import pkcs11
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11 import exceptions as p11e

from labeling.keycustody import (
    Pkcs11Signer,
    Signer,
    SignerError,
    SignerUnavailableError,
    generate_hsm_key,
    key_id_for,
    open_signer,
    pkcs11_token,
    pkcs11_uri,
)
from labeling.keycustody.interface import Pkcs11URI, parse_key_uri
from labeling.keycustody.pkcs11 import ED25519_EC_PARAMS, ed25519_public_from_ec_point
from tests import softhsm
from tests.softhsm import SoftHSMToken, create_token

KEY_LABEL = "khatem-registry-2026"


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoftHSMToken]:
    # Registers SOFTHSM2_CONF for restoration; create_token then sets it.
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    created = create_token(tmp_path / "hsm", label="khatem-test")
    # SoftHSM2 reads SOFTHSM2_CONF and scans for tokens only in C_Initialize, and
    # python-pkcs11 keeps the module loaded for the whole process: re-initialise so
    # the library sees this test's token directory.
    pkcs11.lib(created.module).reinitialize()
    yield created


@pytest.fixture
def hsm_key(token: SoftHSMToken) -> bytes:
    return generate_hsm_key(
        module=token.module, token_label=token.label, pin=token.pin, key_label=KEY_LABEL
    )


@pytest.fixture
def signer(token: SoftHSMToken, hsm_key: bytes) -> Iterator[Pkcs11Signer]:
    opened = open_signer(
        pkcs11_uri(token.label, KEY_LABEL), pkcs11_module=token.module, pin=token.pin
    )
    assert isinstance(opened, Pkcs11Signer)
    yield opened
    opened.close()


def _raw_session(token: SoftHSMToken) -> Any:
    """A read/write user session for poking at the token behind the signer's back."""
    hsm_token = pkcs11.lib(token.module).get_token(token_label=token.label)
    try:
        return hsm_token.open(user_pin=token.pin, rw=True)
    except p11e.UserAlreadyLoggedIn:
        # A signer of this process is logged in already; login state is shared.
        return hsm_token.open(rw=True)


class TriggerAt(Sequence[bytes]):
    """A batch of messages that runs ``action`` when the signer reaches ``index``."""

    def __init__(self, messages: list[bytes], index: int, action: Any) -> None:
        self._messages = messages
        self._index = index
        self._action = action
        self.fired = False

    def __len__(self) -> int:
        return len(self._messages)

    @overload
    def __getitem__(self, i: int) -> bytes: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[bytes]: ...

    def __getitem__(self, i: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(i, slice):
            return self._messages[i]
        if i == self._index and not self.fired:
            self.fired = True
            self._action()
        return self._messages[i]


def _verify_all(public_raw: bytes, messages: Sequence[bytes], signatures: list[bytes]) -> None:
    public = Ed25519PublicKey.from_public_bytes(public_raw)
    assert len(signatures) == len(messages)
    for message, signature in zip(messages, signatures, strict=True):
        assert len(signature) == 64
        public.verify(signature, message)


# --- key generation -----------------------------------------------------------------------


def test_generated_key_is_non_extractable(token: SoftHSMToken, hsm_key: bytes) -> None:
    assert len(hsm_key) == 32
    session = _raw_session(token)
    try:
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=KEY_LABEL)
        public = session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=KEY_LABEL)
        with pytest.raises(p11e.AttributeSensitive):
            private[Attribute.VALUE]
        assert private[Attribute.SENSITIVE] is True
        assert private[Attribute.EXTRACTABLE] is False
        assert private[Attribute.ALWAYS_SENSITIVE] is True
        assert private[Attribute.NEVER_EXTRACTABLE] is True
        assert private[Attribute.PRIVATE] is True
        assert private[Attribute.TOKEN] is True
        assert private.key_type == KeyType.EC_EDWARDS
        # The token must also refuse to wrap it out, even with a wrapping key at hand.
        wrapping = session.generate_key(KeyType.AES, 256, label="wrap", store=False)
        with pytest.raises(p11e.PKCS11Error):
            wrapping.wrap_key(private)
        assert public[Attribute.EC_PARAMS] == ED25519_EC_PARAMS
        assert ed25519_public_from_ec_point(public[Attribute.EC_POINT]) == hsm_key
    finally:
        session.close()


def test_generate_refuses_duplicate_label(token: SoftHSMToken, hsm_key: bytes) -> None:
    with pytest.raises(SignerError, match="already holds"):
        generate_hsm_key(
            module=token.module, token_label=token.label, pin=token.pin, key_label=KEY_LABEL
        )


def test_ec_point_forms() -> None:
    raw = bytes(range(32))
    assert ed25519_public_from_ec_point(b"\x04\x20" + raw) == raw
    assert ed25519_public_from_ec_point(raw) == raw
    with pytest.raises(SignerError):
        ed25519_public_from_ec_point(b"\x04\x41" + raw + raw + b"\x00")


# --- signing ------------------------------------------------------------------------------


def test_signer_identity(signer: Pkcs11Signer, hsm_key: bytes, token: SoftHSMToken) -> None:
    assert isinstance(signer, Signer)
    assert signer.backend == "pkcs11"
    assert signer.public_key_raw == hsm_key
    assert signer.key_id == key_id_for(hsm_key)
    assert not signer.is_development
    text = repr(signer)
    assert text == str(signer)
    assert "backend=pkcs11" in text and signer.key_id in text and hsm_key.hex() in text
    assert token.pin not in text and token.so_pin not in text


def test_signatures_verify_with_cryptography(signer: Pkcs11Signer) -> None:
    messages = [os.urandom(n) for n in range(0, 2000, 7)] + [b"", b"\x00" * 10_000]
    signatures = signer.sign_many(messages)
    _verify_all(signer.public_key_raw, messages, signatures)
    # Ed25519 is deterministic: single and batch paths give identical signatures.
    assert [signer.sign(m) for m in messages[:20]] == signatures[:20]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(messages=st.lists(st.binary(max_size=4096), max_size=16))
def test_signatures_verify_property(signer: Pkcs11Signer, messages: list[bytes]) -> None:
    _verify_all(signer.public_key_raw, messages, signer.sign_many(messages))


def test_sign_many_large_batch(signer: Pkcs11Signer) -> None:
    messages = [b"label claim %06d" % i for i in range(3000)]
    _verify_all(signer.public_key_raw, messages, signer.sign_many(messages))


def test_rejects_non_bytes(signer: Pkcs11Signer) -> None:
    # python-pkcs11 would silently UTF-8 encode a str; the signer must not.
    with pytest.raises(TypeError):
        signer.sign("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        signer.sign_many([b"a", "text"])  # type: ignore[list-item]


def test_signer_shared_between_threads(signer: Pkcs11Signer) -> None:
    results: dict[int, list[bytes]] = {}
    batches = {n: [b"thread %d msg %d" % (n, i) for i in range(200)] for n in range(4)}

    def work(n: int) -> None:
        results[n] = signer.sign_many(batches[n])

    threads = [threading.Thread(target=work, args=(n,)) for n in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, batch in batches.items():
        _verify_all(signer.public_key_raw, batch, results[n])


def test_closed_signer_refuses(signer: Pkcs11Signer) -> None:
    signer.close()
    with pytest.raises(SignerError, match="closed"):
        signer.sign(b"x")
    with pytest.raises(SignerError, match="closed"):
        signer.sign_many([b"x"])


def test_signer_cannot_be_pickled_or_copied(signer: Pkcs11Signer, token: SoftHSMToken) -> None:
    for attempt in (
        lambda: pickle.dumps(signer),
        lambda: copy.copy(signer),
        lambda: copy.deepcopy(signer),
    ):
        with pytest.raises(TypeError) as info:
            attempt()
        assert token.pin not in str(info.value)
    assert not hasattr(signer, "__dict__")


# --- the device going away ------------------------------------------------------------------


def test_library_finalised_mid_batch(signer: Pkcs11Signer, token: SoftHSMToken) -> None:
    lib = pkcs11.lib(token.module)
    messages = TriggerAt([b"m%d" % i for i in range(1000)], 400, lib.finalize)
    result: list[bytes] | None = None
    with pytest.raises(SignerUnavailableError, match="no signatures were returned"):
        result = signer.sign_many(messages)
    assert messages.fired
    assert result is None
    # The device is "back" (python-pkcs11 re-initialises the module on reconnect):
    # the next call reconnects and signs with the same key.
    _verify_all(signer.public_key_raw, [b"after"], signer.sign_many([b"after"]))


def test_token_deleted_mid_batch(signer: Pkcs11Signer, token: SoftHSMToken) -> None:
    messages = TriggerAt([b"m%d" % i for i in range(500)], 250, token.delete)
    with pytest.raises(SignerUnavailableError):
        signer.sign_many(messages)
    assert messages.fired
    # The token stays gone: reconnecting fails with the same retryable error.
    with pytest.raises(SignerUnavailableError):
        signer.sign(b"still gone")


def test_device_removed_error_mid_batch(signer: Pkcs11Signer) -> None:
    real_key = signer._key  # noqa: SLF001 - the test stands in for a failing device

    class FlakyKey:
        calls = 0

        def sign(self, data: bytes, **kwargs: Any) -> bytes:
            FlakyKey.calls += 1
            if FlakyKey.calls == 50:
                raise p11e.DeviceRemoved()
            return bytes(real_key.sign(data, **kwargs))

    signer._key = FlakyKey()  # noqa: SLF001
    with pytest.raises(SignerUnavailableError):
        signer.sign_many([b"x%d" % i for i in range(100)])
    # The broken session was dropped; the next call opens a fresh one.
    _verify_all(signer.public_key_raw, [b"y"], signer.sign_many([b"y"]))


def test_non_device_error_is_signer_error(signer: Pkcs11Signer) -> None:
    class RejectingKey:
        def sign(self, data: bytes, **kwargs: Any) -> bytes:
            raise p11e.DataLenRange()

    signer._key = RejectingKey()  # noqa: SLF001
    with pytest.raises(SignerError) as info:
        signer.sign(b"x")
    assert not isinstance(info.value, SignerUnavailableError)


def test_missing_token_is_unavailable(token: SoftHSMToken) -> None:
    with pytest.raises(SignerUnavailableError):
        open_signer(
            pkcs11_uri("no-such-token", KEY_LABEL), pkcs11_module=token.module, pin=token.pin
        )


def test_deleted_token_is_unavailable(token: SoftHSMToken, hsm_key: bytes) -> None:
    token.delete()
    with pytest.raises(SignerUnavailableError):
        open_signer(pkcs11_uri(token.label, KEY_LABEL), pkcs11_module=token.module, pin=token.pin)


def test_key_replaced_on_token_is_refused(signer: Pkcs11Signer, token: SoftHSMToken) -> None:
    session = _raw_session(token)
    try:
        for obj in list(session.get_objects({Attribute.LABEL: KEY_LABEL})):
            obj.destroy()
    finally:
        session.close()
    generate_hsm_key(
        module=token.module, token_label=token.label, pin=token.pin, key_label=KEY_LABEL
    )
    # Simulate the HSM going away and coming back with the new key: the first call
    # finds its session dead, the retry reconnects and must refuse the other key.
    pkcs11.lib(token.module).finalize()
    with pytest.raises(SignerUnavailableError):
        signer.sign(b"x")
    with pytest.raises(SignerError, match="changed") as info:
        signer.sign(b"x")
    assert not isinstance(info.value, SignerUnavailableError)
    assert signer.key_id in str(info.value)


# --- opening errors -------------------------------------------------------------------------


@pytest.mark.parametrize("fresh_process", [True, False])
def test_wrong_pin(token: SoftHSMToken, hsm_key: bytes, fresh_process: bool) -> None:
    if fresh_process:
        # Forget this process's login so the wrong PIN really reaches C_Login.
        pkcs11_token._LOGINS.clear()  # noqa: SLF001
        pkcs11.lib(token.module).reinitialize()
    # Otherwise the process is already logged in (key generation did it): the token
    # never sees the wrong PIN, and the signer must still refuse it.
    wrong = "wrong-pin-" + token.pin
    with pytest.raises(SignerError, match="wrong PIN") as info:
        open_signer(pkcs11_uri(token.label, KEY_LABEL), pkcs11_module=token.module, pin=wrong)
    assert wrong not in str(info.value) and token.pin not in str(info.value)
    assert not isinstance(info.value, SignerUnavailableError)
    # The right PIN still works afterwards.
    open_signer(
        pkcs11_uri(token.label, KEY_LABEL), pkcs11_module=token.module, pin=token.pin
    ).close()


def test_unknown_key_label(token: SoftHSMToken, hsm_key: bytes) -> None:
    with pytest.raises(SignerError, match="no Ed25519"):
        open_signer(pkcs11_uri(token.label, "other"), pkcs11_module=token.module, pin=token.pin)


def test_missing_module(token: SoftHSMToken) -> None:
    with pytest.raises(SignerError, match="does not exist"):
        open_signer(
            pkcs11_uri(token.label, KEY_LABEL),
            pkcs11_module="/nonexistent/libpkcs11.so",
            pin=token.pin,
        )


def test_mismatched_public_object_is_refused(token: SoftHSMToken, hsm_key: bytes) -> None:
    other = "other-key"
    generate_hsm_key(module=token.module, token_label=token.label, pin=token.pin, key_label=other)
    session = _raw_session(token)
    try:
        session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=KEY_LABEL).destroy()
        session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=other)[Attribute.LABEL] = (
            KEY_LABEL
        )
    finally:
        session.close()
    with pytest.raises(SignerError, match="does not match"):
        open_signer(pkcs11_uri(token.label, KEY_LABEL), pkcs11_module=token.module, pin=token.pin)


def test_non_sensitive_key_is_refused(token: SoftHSMToken) -> None:
    session = pkcs11.lib(token.module).get_token(token_label=token.label)
    with session.open(user_pin=token.pin, rw=True) as rw:
        rw.generate_keypair(
            KeyType.EC_EDWARDS,
            mechanism=Mechanism.EC_EDWARDS_KEY_PAIR_GEN,
            store=True,
            label="weak",
            public_template={Attribute.EC_PARAMS: ED25519_EC_PARAMS},
            private_template={Attribute.SENSITIVE: False, Attribute.EXTRACTABLE: True},
        )
    with pytest.raises(SignerError, match="not sensitive"):
        open_signer(pkcs11_uri(token.label, "weak"), pkcs11_module=token.module, pin=token.pin)


def test_two_signers_on_one_token(token: SoftHSMToken, hsm_key: bytes) -> None:
    # PKCS#11 login is per application: the second open must cope with an existing
    # login, and closing one signer must not break the other for good.
    second_key = generate_hsm_key(
        module=token.module, token_label=token.label, pin=token.pin, key_label="checkpoints"
    )
    first = open_signer(
        pkcs11_uri(token.label, KEY_LABEL), pkcs11_module=token.module, pin=token.pin
    )
    second = open_signer(
        pkcs11_uri(token.label, "checkpoints"), pkcs11_module=token.module, pin=token.pin
    )
    assert second.public_key_raw == second_key
    first.close()
    _verify_all(second_key, [b"cp"], second.sign_many([b"cp"]))
    second.close()


# --- CI policy for a missing SoftHSM2 --------------------------------------------------------


def test_missing_softhsm_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with mock.patch("shutil.which", return_value=None):
        with pytest.raises(pytest.fail.Exception):
            softhsm.require_softhsm()


def test_missing_softhsm_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with mock.patch("shutil.which", return_value=None):
        with pytest.raises(pytest.skip.Exception):
            softhsm.require_softhsm()


# --- pkcs11: URIs (no HSM needed) -----------------------------------------------------------


def test_pkcs11_uri_round_trip() -> None:
    uri = pkcs11_uri("Khatem HSM;1", "registry/2026 é", serial="0a1b")
    assert uri.startswith("pkcs11:token=Khatem%20HSM%3B1;object=")
    assert parse_key_uri(uri) == Pkcs11URI("Khatem HSM;1", "registry/2026 é", "0a1b")
    assert parse_key_uri("pkcs11:object=k;token=t;type=private") == Pkcs11URI("t", "k")


@pytest.mark.parametrize(
    ("uri", "match"),
    [
        ("pkcs11:token=t;object=k?pin-value=1234", "query"),
        ("pkcs11:token=t;object=k?module-path=/x.so", "query"),
        ("pkcs11:token=t", "both"),
        ("pkcs11:object=k", "both"),
        ("pkcs11:", "both"),
        ("pkcs11:token=t;object=k;token=u", "twice"),
        ("pkcs11:token=t;object=k;id=%01", "unsupported"),
        ("pkcs11:token=t;object=k;type=public", "private"),
        ("pkcs11:token=t%2;object=k", "percent"),
        ("pkcs11:token=%ff;object=k", "UTF-8"),
        ("pkcs11:token;object=k", "no value"),
    ],
)
def test_bad_pkcs11_uris(uri: str, match: str) -> None:
    with pytest.raises(SignerError, match=match) as info:
        parse_key_uri(uri)
    assert "1234" not in str(info.value)


def test_pkcs11_uri_needs_module_and_pin() -> None:
    with pytest.raises(SignerError, match="module"):
        open_signer("pkcs11:token=t;object=k", pin="1234")
    with pytest.raises(SignerError, match="PIN"):
        open_signer("pkcs11:token=t;object=k", pkcs11_module="/x.so")
