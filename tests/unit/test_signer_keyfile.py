"""Tests for the encrypted key-file signer, the key URIs and the Signer protocol.

Most tests lower the scrypt cost through ``fast_kdf`` so the suite stays quick; the
tests that check the production parameters generate one real key per module.
"""

from __future__ import annotations

import base64
import copy
import errno
import hashlib
import io
import logging
import os
import pickle
import shutil
import stat
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from labeling.keycustody import (
    KeyFileError,
    KeyfileSigner,
    Signer,
    SignerError,
    ephemeral_signer,
    generate_development_key,
    generate_keyfile,
    is_development_keyfile,
    key_id_for,
    load_keyfile_signer,
    open_signer,
    read_secret_file,
)
from labeling.keycustody import keyfile as keyfile_mod
from labeling.keycustody.interface import KeyfileURI, keyfile_uri, parse_key_uri
from labeling.keycustody.keyfile import DEFAULT_SCRYPT, DEVELOPMENT_SCRYPT, MIN_PASSPHRASE_LENGTH
from labeling.keycustody.keyfile_format import ScryptParams
from tests.tools import require

PASSPHRASE = "correct horse battery staple"
FAST = ScryptParams(log2_n=10, r=8, p=1)


# --- a small DER reader, independent of the encoder under test -----------------------


def _der_read(buf: bytes, pos: int) -> tuple[int, bytes, int]:
    tag = buf[pos]
    length = buf[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(buf[pos : pos + count], "big")
        pos += count
    return tag, buf[pos : pos + length], pos + length


def _der_children(value: bytes) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(value):
        tag, child, pos = _der_read(value, pos)
        out.append((tag, child))
    return out


def _oid(value: bytes) -> str:
    arcs = [value[0] // 40, value[0] % 40]
    acc = 0
    for byte in value[1:]:
        acc = (acc << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(acc)
            acc = 0
    return ".".join(map(str, arcs))


def _pem_body(pem: bytes) -> bytes:
    lines = pem.strip().splitlines()
    assert lines[0] == b"-----BEGIN ENCRYPTED PRIVATE KEY-----"
    assert lines[-1] == b"-----END ENCRYPTED PRIVATE KEY-----"
    return base64.b64decode(b"".join(lines[1:-1]))


def read_kdf_params(path: Path) -> dict[str, object]:
    """Walk the EncryptedPrivateKeyInfo and return its PBES2/scrypt parameters."""
    tag, top, _ = _der_read(_pem_body(path.read_bytes()), 0)
    assert tag == 0x30
    (alg_tag, alg), (data_tag, _ciphertext) = _der_children(top)
    assert (alg_tag, data_tag) == (0x30, 0x04)
    (oid_tag, pbes2_oid), (_, pbes2_params) = _der_children(alg)
    assert oid_tag == 0x06
    (_, kdf), (_, enc) = _der_children(pbes2_params)
    (_, kdf_oid), (_, scrypt_params) = _der_children(kdf)
    salt, n, r, p, key_length = (v for _, v in _der_children(scrypt_params))
    (_, enc_oid), (iv_tag, iv) = _der_children(enc)
    assert iv_tag == 0x04
    return {
        "scheme": _oid(pbes2_oid),
        "kdf": _oid(kdf_oid),
        "salt_len": len(salt),
        "n": int.from_bytes(n, "big"),
        "r": int.from_bytes(r, "big"),
        "p": int.from_bytes(p, "big"),
        "key_length": int.from_bytes(key_length, "big"),
        "cipher": _oid(enc_oid),
        "iv_len": len(iv),
    }


def private_raw_of(path: Path, passphrase: str) -> bytes:
    """Decrypt with cryptography's standard loader (the test's independent oracle)."""
    key = serialization.load_pem_private_key(
        path.read_bytes(), unicodedata.normalize("NFC", passphrase).encode()
    )
    assert isinstance(key, Ed25519PrivateKey)
    return key.private_bytes_raw()


def secret_forms(private_raw: bytes) -> list[bytes | str]:
    """Encodings in which leaked key bytes could show up in text or binary output."""
    return [
        private_raw,
        private_raw.hex(),
        private_raw.hex().upper(),
        base64.b64encode(private_raw).decode(),
        base64.urlsafe_b64encode(private_raw).decode().rstrip("="),
        repr(private_raw),
    ]


@pytest.fixture
def fast_kdf() -> Iterator[None]:
    with mock.patch.object(keyfile_mod, "DEFAULT_SCRYPT", FAST):
        yield


@pytest.fixture(scope="module")
def strong_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, float]:
    """One key with the production KDF: (path, public key, seconds to generate)."""
    path = tmp_path_factory.mktemp("strong") / "registry.p8"
    start = time.perf_counter()
    public = generate_keyfile(path, PASSPHRASE)
    return path, public, time.perf_counter() - start


# --- key ids and the protocol ---------------------------------------------------------


def test_key_id_is_first_four_sha256_bytes() -> None:
    public = bytes(range(32))
    assert key_id_for(public) == hashlib.sha256(public).hexdigest()[:8]
    assert key_id_for(b"\x00" * 32) == "66687aad"
    with pytest.raises(ValueError):
        key_id_for(b"\x00" * 31)


def test_ephemeral_signer_implements_protocol() -> None:
    signer = ephemeral_signer()
    assert isinstance(signer, Signer)
    assert signer.backend == "keyfile"
    assert signer.is_development
    signature = signer.sign(b"claim")
    Ed25519PublicKey.from_public_bytes(signer.public_key_raw).verify(signature, b"claim")


# --- generation and loading with the production KDF -----------------------------------


def test_round_trip_with_production_kdf(strong_key: tuple[Path, bytes, float]) -> None:
    path, public, _ = strong_key
    signer = open_signer(keyfile_uri(str(path)), passphrase=PASSPHRASE)
    assert isinstance(signer, KeyfileSigner)
    assert signer.public_key_raw == public
    assert signer.key_id == key_id_for(public)
    assert signer.backend == "keyfile"
    assert not signer.is_development
    message = b"label claim 0001"
    Ed25519PublicKey.from_public_bytes(public).verify(signer.sign(message), message)


def test_file_records_strong_scrypt_parameters(strong_key: tuple[Path, bytes, float]) -> None:
    params = read_kdf_params(strong_key[0])
    assert params == {
        "scheme": "1.2.840.113549.1.5.13",  # PBES2
        "kdf": "1.3.6.1.4.1.11591.4.11",  # scrypt
        "salt_len": 16,
        "n": 2**17,
        "r": 8,
        "p": 1,
        "key_length": 32,
        "cipher": "2.16.840.1.101.3.4.1.42",  # AES-256-CBC
        "iv_len": 16,
    }
    assert DEFAULT_SCRYPT == ScryptParams(log2_n=17, r=8, p=1)
    # scrypt memory is 128 * r * N bytes: at least 128 MiB per passphrase guess.
    assert 128 * int(params["r"]) * int(params["n"]) >= 128 * 2**20  # type: ignore[call-overload]


def test_file_does_not_contain_the_private_key(strong_key: tuple[Path, bytes, float]) -> None:
    path, public, _ = strong_key
    private_raw = private_raw_of(path, PASSPHRASE)
    on_disk = path.read_bytes()
    der = _pem_body(on_disk)
    for form in secret_forms(private_raw):
        needle = form.encode() if isinstance(form, str) else form
        assert needle not in on_disk
        assert needle not in der
    # Decrypts only with the passphrase.
    assert Ed25519PrivateKey.from_private_bytes(private_raw).public_key().public_bytes_raw() == (
        public
    )
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(on_disk, PASSPHRASE.encode() + b"!")
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(on_disk, None)


def test_file_mode_is_0600_and_no_temp_files_left(strong_key: tuple[Path, bytes, float]) -> None:
    path = strong_key[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_production_kdf_cost_is_substantial(strong_key: tuple[Path, bytes, float]) -> None:
    # Generation derives the key twice (encrypt, then the read-back self-check).
    # A lower bound only: the point is that nobody silently weakens the KDF.
    start = time.perf_counter()
    load_keyfile_signer(strong_key[0], PASSPHRASE)
    assert time.perf_counter() - start > 0.05


def test_wrong_passphrase_is_keyfile_error(strong_key: tuple[Path, bytes, float]) -> None:
    wrong = "not the passphrase at all"
    with pytest.raises(KeyFileError) as info:
        load_keyfile_signer(strong_key[0], wrong)
    assert wrong not in str(info.value)
    assert PASSPHRASE not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__context__ is None


# --- generation rules -------------------------------------------------------------------


def test_refuses_to_overwrite(tmp_path: Path, fast_kdf: None) -> None:
    path = tmp_path / "key.p8"
    generate_keyfile(path, PASSPHRASE)
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="overwrite"):
        generate_keyfile(path, PASSPHRASE)
    assert path.read_bytes() == before
    other = tmp_path / "notes.txt"
    other.write_text("keep me")
    with pytest.raises(KeyFileError, match="overwrite"):
        generate_keyfile(other, PASSPHRASE)
    assert other.read_text() == "keep me"
    dangling = tmp_path / "dangling.p8"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(KeyFileError, match="overwrite"):
        generate_keyfile(dangling, PASSPHRASE)
    assert not (tmp_path / "nowhere").exists()


def test_overwrite_race_is_caught_by_the_hard_link(tmp_path: Path, fast_kdf: None) -> None:
    # Another process creates the file between the early check and publication.
    path = tmp_path / "key.p8"
    real_link = os.link

    def link_after_competitor(src: str, dst: str) -> None:
        Path(dst).write_text("competitor")
        real_link(src, dst)

    with mock.patch.object(os, "link", link_after_competitor):
        with pytest.raises(KeyFileError, match="overwrite"):
            generate_keyfile(path, PASSPHRASE)
    assert path.read_text() == "competitor"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.p8"]


def test_publishes_without_hard_links(tmp_path: Path, fast_kdf: None) -> None:
    def no_links(src: str, dst: str) -> None:
        raise OSError(errno.EPERM, "hard links not supported")

    path = tmp_path / "key.p8"
    with mock.patch.object(os, "link", no_links):
        public = generate_keyfile(path, PASSPHRASE)
        with pytest.raises(KeyFileError, match="overwrite"):
            generate_keyfile(path, PASSPHRASE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyfile_signer(path, PASSPHRASE).public_key_raw == public
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.p8"]


def test_missing_directory(tmp_path: Path, fast_kdf: None) -> None:
    with pytest.raises(KeyFileError, match="does not exist"):
        generate_keyfile(tmp_path / "nope" / "key.p8", PASSPHRASE)


@pytest.mark.parametrize("weak", ["", "short", "elevenchars", " " * 5 + "abcdef"])
def test_refuses_short_passphrase(tmp_path: Path, weak: str) -> None:
    with pytest.raises(KeyFileError, match="at least 12") as info:
        generate_keyfile(tmp_path / "key.p8", weak)
    if weak:
        assert weak not in str(info.value)
    assert not (tmp_path / "key.p8").exists()


def test_twelve_characters_are_enough(tmp_path: Path, fast_kdf: None) -> None:
    generate_keyfile(tmp_path / "key.p8", "twelve chars")


def test_passphrase_is_nfc_normalised(tmp_path: Path, fast_kdf: None) -> None:
    composed = "clé du registre à Fès"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    public = generate_keyfile(tmp_path / "key.p8", decomposed)
    assert load_keyfile_signer(tmp_path / "key.p8", composed).public_key_raw == public


def test_surrogate_passphrase_does_not_leak(tmp_path: Path) -> None:
    bad = "secret\ud800passphrase"
    with pytest.raises(KeyFileError) as info:
        generate_keyfile(tmp_path / "key.p8", bad)
    assert "secret" not in str(info.value)
    assert info.value.__context__ is None and info.value.__cause__ is None


# --- loading errors ----------------------------------------------------------------------


def test_plaintext_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.p8"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(KeyFileError, match="not encrypted"):
        load_keyfile_signer(path, PASSPHRASE)


def test_non_ed25519_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ec.p8"
    path.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    with pytest.raises(KeyFileError, match="Ed25519"):
        load_keyfile_signer(path, PASSPHRASE)


def test_corrupt_and_missing_files(tmp_path: Path, fast_kdf: None) -> None:
    path = tmp_path / "key.p8"
    generate_keyfile(path, PASSPHRASE)
    data = bytearray(_pem_body(path.read_bytes()))
    data[-5] ^= 0xFF  # flip a ciphertext bit in the last block: the padding breaks
    corrupt = tmp_path / "corrupt.p8"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(KeyFileError, match="wrong passphrase or corrupt"):
        load_keyfile_signer(corrupt, PASSPHRASE)
    garbage = tmp_path / "garbage.p8"
    garbage.write_bytes(b"\x00" * 64)
    with pytest.raises(KeyFileError):
        load_keyfile_signer(garbage, PASSPHRASE)
    with pytest.raises(KeyFileError, match="cannot read"):
        load_keyfile_signer(tmp_path / "absent.p8", PASSPHRASE)


def test_der_encoded_file_loads(tmp_path: Path, fast_kdf: None) -> None:
    pem_path = tmp_path / "key.p8"
    public = generate_keyfile(pem_path, PASSPHRASE)
    der_path = tmp_path / "key.der"
    der_path.write_bytes(_pem_body(pem_path.read_bytes()))
    assert load_keyfile_signer(der_path, PASSPHRASE).public_key_raw == public


def test_group_readable_file_is_warned_about(
    tmp_path: Path, fast_kdf: None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "key.p8"
    generate_keyfile(path, PASSPHRASE)
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="labeling.keycustody"):
        load_keyfile_signer(path, PASSPHRASE)
    assert "chmod 600" in caplog.text


def test_openssl_reads_the_file_format(tmp_path: Path) -> None:
    require(shutil.which("openssl") is not None, "the openssl CLI")
    # The OpenSSL CLI caps scrypt at 32 MiB, so interoperability of the encoding is
    # shown on a development-cost file (N = 2**14, 16 MiB).
    uri, passphrase_file = generate_development_key(tmp_path)
    key_path = parse_key_uri(uri)
    assert isinstance(key_path, KeyfileURI)
    done = subprocess.run(
        ["openssl", "pkey", "-in", key_path.path, "-passin", f"file:{passphrase_file}", "-pubout"],
        capture_output=True,
        check=True,
    )
    public = serialization.load_pem_public_key(done.stdout)
    assert isinstance(public, Ed25519PublicKey)
    signer = load_keyfile_signer(key_path.path, read_secret_file(passphrase_file))
    assert public.public_bytes_raw() == signer.public_key_raw


# --- signing -----------------------------------------------------------------------------


def test_sign_many_verifies_and_matches_sign() -> None:
    signer = ephemeral_signer()
    public = Ed25519PublicKey.from_public_bytes(signer.public_key_raw)
    messages = [b"claim %d" % i for i in range(2000)] + [b""]
    signatures = signer.sign_many(messages)
    assert len(signatures) == len(messages)
    for message, signature in zip(messages, signatures, strict=True):
        assert len(signature) == 64
        public.verify(signature, message)
    # Ed25519 is deterministic, so the batch and single paths agree exactly.
    assert signatures[:50] == [signer.sign(m) for m in messages[:50]]
    assert signer.sign_many([]) == []


def test_sign_many_is_all_or_nothing() -> None:
    signer = ephemeral_signer()
    with pytest.raises(TypeError):
        signer.sign_many([b"a", "not bytes", b"c"])  # type: ignore[list-item]


def test_sign_many_costs_no_more_than_a_plain_loop() -> None:
    key = Ed25519PrivateKey.generate()
    signer = KeyfileSigner(key)
    messages = [os.urandom(120) for _ in range(3000)]

    def best_of(fn: object, rounds: int = 5) -> float:
        assert callable(fn)
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        return best

    plain = best_of(lambda: [key.sign(m) for m in messages])
    batch = best_of(lambda: signer.sign_many(messages))
    # Generous bound so a noisy CI machine does not flake; in practice batch <= plain.
    assert batch <= plain * 1.5


def test_closed_signer_refuses_to_sign() -> None:
    signer = ephemeral_signer()
    with signer:
        signer.sign(b"ok")
    with pytest.raises(SignerError, match="closed"):
        signer.sign(b"late")
    with pytest.raises(SignerError, match="closed"):
        signer.sign_many([b"late"])


# --- no leaks: repr, str, pickle, copies, errors, logs ------------------------------------


def _assert_no_secret(text: str | bytes, private_raw: bytes, passphrases: list[str]) -> None:
    haystack = text if isinstance(text, str) else text.decode("latin-1")
    for form in secret_forms(private_raw):
        needle = form if isinstance(form, str) else form.decode("latin-1")
        assert needle not in haystack
    for passphrase in passphrases:
        assert passphrase not in haystack


# Everything fixed that the outputs below may contain: our sources (messages, class
# and module names), logging's level names and the temp directory prefix.
_BENIGN_VOCABULARY = "\n".join(
    [
        *(p.read_text() for p in sorted(Path(keyfile_mod.__file__).parent.glob("*.py"))),
        Path(__file__).read_text(),
        "DEBUG INFO WARNING ERROR CRITICAL",
        tempfile.gettempdir(),
    ]
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    passphrase=st.text(min_size=MIN_PASSPHRASE_LENGTH, max_size=64).filter(
        lambda s: len(unicodedata.normalize("NFC", s)) >= MIN_PASSPHRASE_LENGTH
    )
)
def test_secrets_never_leak(passphrase: str, fast_kdf: None) -> None:
    # Hypothesis mines string literals, so it will try passphrases such as
    # "KeyFileError" that legitimately appear in messages; those prove nothing.
    assume(passphrase not in _BENIGN_VOCABULARY)
    log_buffer = io.StringIO()
    handler = logging.StreamHandler(log_buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    package_logger = logging.getLogger("labeling.keycustody")
    old_level = package_logger.level
    package_logger.addHandler(handler)
    package_logger.setLevel(logging.DEBUG)
    texts: list[str | bytes] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "key.p8"
            generate_keyfile(path, passphrase)
            private_raw = private_raw_of(path, passphrase)
            signer = open_signer(keyfile_uri(str(path)), passphrase=passphrase)
            texts += [repr(signer), str(signer), f"{signer}", f"{signer!r}"]
            texts.append(signer.sign(b"message"))
            texts += signer.sign_many([b"a", b"b"])
            texts += [signer.public_key_raw, signer.key_id]
            assert not hasattr(signer, "__dict__")
            with pytest.raises(TypeError):
                vars(signer)
            for attempt in (
                lambda: pickle.dumps(signer),
                lambda: pickle.dumps(signer, protocol=0),
                lambda: copy.copy(signer),
                lambda: copy.deepcopy(signer),
                lambda: KeyfileSigner.__getstate__(signer),  # type: ignore[arg-type]
            ):
                with pytest.raises(TypeError) as pickled:
                    attempt()
                texts += [str(pickled.value), repr(pickled.value)]
            wrong = passphrase + "x"
            with pytest.raises(KeyFileError) as info:
                load_keyfile_signer(path, wrong)
            assert info.value.__context__ is None
            texts += [str(info.value), repr(info.value)]
            with pytest.raises(KeyFileError) as again:
                generate_keyfile(path, passphrase)
            texts += [str(again.value), repr(again.value)]
            signer.close()
    finally:
        package_logger.removeHandler(handler)
        package_logger.setLevel(old_level)
    texts.append(log_buffer.getvalue())
    assert "key_id=" in log_buffer.getvalue()
    for text in texts:
        _assert_no_secret(text, private_raw, [passphrase, wrong])


def test_logging_output_has_no_secrets(
    tmp_path: Path, fast_kdf: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        path = tmp_path / "key.p8"
        generate_keyfile(path, PASSPHRASE)
        signer = load_keyfile_signer(path, PASSPHRASE)
        signer.sign_many([b"x"] * 10)
        with pytest.raises(KeyFileError):
            load_keyfile_signer(path, "wrong passphrase!")
        generate_development_key(tmp_path / "dev")
    private_raw = private_raw_of(path, PASSPHRASE)
    dev_passphrase = read_secret_file(tmp_path / "dev" / keyfile_mod.DEV_PASSPHRASE_NAME)
    assert caplog.records
    _assert_no_secret(caplog.text, private_raw, [PASSPHRASE, "wrong passphrase!", dev_passphrase])


# --- development keys ----------------------------------------------------------------------


def test_development_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    uri, passphrase_file = generate_development_key(data_dir)
    parsed = parse_key_uri(uri)
    assert isinstance(parsed, KeyfileURI)
    key_path = Path(parsed.path)
    assert key_path.parent == data_dir.resolve()
    assert passphrase_file.parent == data_dir.resolve()
    assert is_development_keyfile(key_path)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(passphrase_file.stat().st_mode) == 0o600
    passphrase = read_secret_file(passphrase_file)
    assert len(passphrase) >= 43  # 256 random bits, URL-safe base64
    signer = open_signer(uri, passphrase=passphrase)
    assert signer.is_development
    params = read_kdf_params(key_path)
    assert (params["n"], params["r"], params["p"]) == (
        DEVELOPMENT_SCRYPT.n,
        DEVELOPMENT_SCRYPT.r,
        DEVELOPMENT_SCRYPT.p,
    )
    # Later calls return the same key and never replace it.
    key_bytes = key_path.read_bytes()
    assert generate_development_key(data_dir) == (uri, passphrase_file)
    assert key_path.read_bytes() == key_bytes
    assert read_secret_file(passphrase_file) == passphrase


def test_development_key_concurrent_first_run(tmp_path: Path) -> None:
    results: list[tuple[str, Path]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(generate_development_key(tmp_path))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    uri, passphrase_file = results[0]
    open_signer(uri, passphrase=read_secret_file(passphrase_file))


def test_development_key_without_passphrase_file(tmp_path: Path) -> None:
    _, passphrase_file = generate_development_key(tmp_path)
    passphrase_file.unlink()
    with pytest.raises(KeyFileError, match="missing"):
        generate_development_key(tmp_path)


def test_production_keys_are_not_development(tmp_path: Path, fast_kdf: None) -> None:
    assert not is_development_keyfile(tmp_path / "key.p8")
    assert is_development_keyfile(tmp_path / "anything.dev.p8")


# --- secret files and URIs -----------------------------------------------------------------


def test_read_secret_file(tmp_path: Path) -> None:
    path = tmp_path / "pin"
    path.write_bytes(b"s3cret value\r\n\n")
    assert read_secret_file(path) == "s3cret value"
    path.write_bytes(b"\n")
    with pytest.raises(KeyFileError, match="empty"):
        read_secret_file(path)
    path.write_bytes(b"\xff\xfezq-hidden-9")
    with pytest.raises(KeyFileError, match="UTF-8") as info:
        read_secret_file(path)
    assert "zq-hidden-9" not in str(info.value)
    assert info.value.__context__ is None
    with pytest.raises(KeyFileError, match="cannot read"):
        read_secret_file(tmp_path / "absent")


@pytest.mark.parametrize(
    "uri",
    ["keyfile:relative/key.p8", "keyfile://host/key.p8", "keyfile:", "file:/key.p8", "key.p8"],
)
def test_bad_keyfile_uris(uri: str) -> None:
    with pytest.raises(SignerError):
        open_signer(uri, passphrase=PASSPHRASE)


def test_keyfile_uri_needs_passphrase(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="passphrase is required"):
        open_signer(f"keyfile:{tmp_path}/key.p8")


def test_keyfile_uri_round_trip() -> None:
    assert parse_key_uri(keyfile_uri("/srv/khatem/key.p8")) == KeyfileURI("/srv/khatem/key.p8")
    with pytest.raises(ValueError):
        keyfile_uri("relative.p8")
