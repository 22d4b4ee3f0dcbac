"""A development key is known by what it is, not by its file name.

``generate_development_key`` marks the key file itself (its scrypt salt starts with
``khatem-development-key:``) and the registry records the key as a development key, so a
development key copied or renamed to ``label.p8`` is still refused in production: on a
fresh registry (the file's marker) and on one that recorded the key (the record).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlmodel import Session
from typer.testing import CliRunner

from core.settings import Settings, get_settings
from labeling.keycustody import (
    KeyFileError,
    generate_development_key,
    generate_keyfile,
    has_development_marker,
    is_development_keyfile,
    key_id_for,
    keyfile_uri,
    load_keyfile_signer,
    read_secret_file,
)
from labeling.keycustody.keyfile_format import DEVELOPMENT_SALT_MARKER
from labeling.keyrecords import KeyStateConflict, StartupRefused, repository, rotate_label_key
from labeling.startup import prepare_registry
from schemas.keys import KeyPurpose


@pytest.fixture(autouse=True)
def cheap_key_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production-format key files with the development scrypt cost, for speed."""
    from labeling.keycustody import keyfile

    monkeypatch.setattr(keyfile, "DEFAULT_SCRYPT", keyfile.DEVELOPMENT_SCRYPT)


def _renamed_development_key(directory: Path) -> tuple[str, Path, str]:
    """A development key generated as usual, then renamed to ``label.p8``.

    Returns the new key URI, its (development) passphrase file and its kid.
    """
    uri, passphrase_file = generate_development_key(directory / "dev")
    original = Path(uri.removeprefix("keyfile:"))
    renamed = directory / "label.p8"
    os.rename(original, renamed)
    signer = load_keyfile_signer(renamed, read_secret_file(passphrase_file))
    kid = signer.key_id
    signer.close()
    return keyfile_uri(str(renamed)), passphrase_file, kid


def _real_key(directory: Path, name: str) -> tuple[str, Path, str]:
    """A production key file made with ``khatem keys generate``'s code path."""
    directory.mkdir(parents=True, exist_ok=True)
    passphrase_file = directory / f"{name}.passphrase"
    passphrase_file.write_text(f"correct horse {name} battery staple\n")
    public = generate_keyfile(directory / f"{name}.p8", read_secret_file(passphrase_file))
    return keyfile_uri(str(directory / f"{name}.p8")), passphrase_file, key_id_for(public)


def _with_keys(
    settings: Settings,
    *,
    environment: str,
    root: tuple[str, Path, str] | None = None,
    label: tuple[str, Path, str] | None = None,
) -> Settings:
    update: dict[str, object] = {"environment": environment}
    if root is not None:
        update |= {"root_key_uri": root[0], "root_key_passphrase_file": root[1]}
    if label is not None:
        update |= {"signing_key_uri": label[0], "signing_key_passphrase_file": label[1]}
    return settings.model_copy(update=update)


def _registered(session: Session) -> dict[str, tuple[str, bool]]:
    keys = {k.kid: (k.purpose, k.is_development) for k in repository.list_keys(session=session)}
    session.rollback()
    return keys


# --- the key file says what it is ------------------------------------------------------


def test_a_development_key_file_carries_the_marker_whatever_its_name(tmp_path: Path) -> None:
    uri, passphrase_file, kid = _renamed_development_key(tmp_path)
    renamed = Path(uri.removeprefix("keyfile:"))
    assert renamed.name == "label.p8"
    data = renamed.read_bytes()
    assert has_development_marker(data)
    assert is_development_keyfile(renamed)
    signer = load_keyfile_signer(renamed, read_secret_file(passphrase_file))
    assert signer.is_development and signer.key_id == kid
    # The marker is in the DER form too (PEM is only its armour).
    body = b"".join(data.splitlines()[1:-1])
    der_copy = tmp_path / "label.der"
    der_copy.write_bytes(base64.b64decode(body))
    der_copy.chmod(0o600)
    assert has_development_marker(der_copy.read_bytes())
    assert load_keyfile_signer(der_copy, read_secret_file(passphrase_file)).is_development


def test_a_production_key_file_carries_no_marker(tmp_path: Path) -> None:
    uri, passphrase_file, _ = _real_key(tmp_path, "label")
    path = Path(uri.removeprefix("keyfile:"))
    assert not has_development_marker(path.read_bytes())
    assert not is_development_keyfile(path)
    assert not load_keyfile_signer(path, read_secret_file(passphrase_file)).is_development


def test_the_marker_cannot_be_edited_out(tmp_path: Path) -> None:
    """The marker is part of the scrypt salt: changing it breaks decryption."""
    uri, passphrase_file, _ = _renamed_development_key(tmp_path)
    path = Path(uri.removeprefix("keyfile:"))
    lines = path.read_bytes().splitlines()
    der = bytearray(base64.b64decode(b"".join(lines[1:-1])))
    at = der.find(DEVELOPMENT_SALT_MARKER)
    assert at > 0
    der[at : at + len(DEVELOPMENT_SALT_MARKER)] = b"x" * len(DEVELOPMENT_SALT_MARKER)
    edited = tmp_path / "edited.der"
    edited.write_bytes(bytes(der))
    edited.chmod(0o600)
    assert not has_development_marker(edited.read_bytes())
    with pytest.raises(KeyFileError, match="cannot be decrypted"):
        load_keyfile_signer(edited, read_secret_file(passphrase_file))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_marker_detection_never_fails_on_arbitrary_bytes(data: bytes) -> None:
    pem = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + base64.b64encode(data)
    for candidate in (data, pem + b"\n-----END ENCRYPTED PRIVATE KEY-----\n", pem):
        assert has_development_marker(candidate) in (True, False)


# --- start-up ------------------------------------------------------------------------


def test_a_fresh_production_registry_refuses_a_renamed_development_key(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    label = _renamed_development_key(tmp_path / "keys")
    root = _real_key(tmp_path / "keys", "root")
    production = _with_keys(settings, environment="production", root=root, label=label)
    with pytest.raises(StartupRefused) as refused:
        prepare_registry(production)
    message = str(refused.value)
    assert message.startswith("production refuses development keys")
    assert label[2] in message and "label.p8" in message
    assert "khatem keys generate" in message and "KHATEM_SIGNING_KEY_URI" in message
    assert read_secret_file(label[1]) not in message
    # Nothing was registered: the refusal came before the key reached the registry.
    assert _registered(session) == {}


def test_a_renamed_development_key_in_development_is_accepted_with_the_warning(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    label = _renamed_development_key(tmp_path / "keys")
    development = _with_keys(settings, environment="development", label=label)
    warnings = "\n".join(prepare_registry(development))
    assert "DEVELOPMENT SIGNING KEYS" in warnings
    assert f"label key {label[2]}" in warnings and "label.p8" in warnings
    assert _registered(session)[label[2]] == ("label", True)


def test_a_registry_that_recorded_the_development_key_refuses_it_in_production(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    root = _real_key(tmp_path / "keys", "root")
    # Development start: the label key is generated and recorded as a development key.
    prepare_registry(_with_keys(settings, environment="development", root=root))
    active = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    assert active is not None and active.is_development
    dev_path = Path(active.key_uri.removeprefix("keyfile:"))
    kid = active.kid
    session.rollback()
    passphrase_file = dev_path.with_name("khatem-signing-key.dev.passphrase")
    renamed = tmp_path / "keys" / "label.p8"
    os.rename(dev_path, renamed)
    label = (keyfile_uri(str(renamed)), passphrase_file, kid)
    production = _with_keys(settings, environment="production", root=root, label=label)
    with pytest.raises(StartupRefused, match="production refuses development keys") as refused:
        prepare_registry(production)
    assert kid in str(refused.value)
    # Re-encrypted with another tool the file loses its marker; the record still refuses it.
    key = serialization.load_pem_private_key(
        renamed.read_bytes(), read_secret_file(passphrase_file).encode()
    )
    stripped = tmp_path / "keys" / "stripped.p8"
    stripped.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"another passphrase"),
        )
    )
    stripped.chmod(0o600)
    assert not has_development_marker(stripped.read_bytes())
    other = tmp_path / "keys" / "stripped.passphrase"
    other.write_text("another passphrase\n")
    production = _with_keys(
        settings,
        environment="production",
        root=root,
        label=(keyfile_uri(str(stripped)), other, kid),
    )
    with pytest.raises(StartupRefused, match="registered as a development key"):
        prepare_registry(production)


def test_rotating_to_a_renamed_development_key_records_it_as_one(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    prepare_registry(settings)
    uri, passphrase_file, kid = _renamed_development_key(tmp_path / "keys")
    signer = load_keyfile_signer(
        Path(uri.removeprefix("keyfile:")), read_secret_file(passphrase_file)
    )
    with pytest.raises(KeyStateConflict, match="development key"):
        rotate_label_key(session=session, new_signer=signer, key_uri=uri, allow_development=False)
    session.rollback()
    rotate_label_key(session=session, new_signer=signer, key_uri=uri, allow_development=True)
    assert _registered(session)[kid] == ("label", True)


def test_production_accepts_real_keys(settings: Settings, session: Session, tmp_path: Path) -> None:
    root = _real_key(tmp_path / "keys", "root")
    label = _real_key(tmp_path / "keys", "label")
    production = _with_keys(settings, environment="production", root=root, label=label)
    warnings = "\n".join(prepare_registry(production))
    assert "DEVELOPMENT" not in warnings
    assert _registered(session) == {root[2]: ("root", False), label[2]: ("label", False)}


def test_khatem_serve_refuses_a_renamed_development_key_without_a_traceback(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from labeling.cli import app

    label = _renamed_development_key(tmp_path / "keys")
    root = _real_key(tmp_path / "keys", "root")
    served: list[object] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: served.append(args))
    for name, value in {
        "ENVIRONMENT": "production",
        "DATABASE_URL": settings.resolved_database_url,
        "DATA_DIR": str(settings.data_dir),
        "ROOT_KEY_URI": root[0],
        "ROOT_KEY_PASSPHRASE_FILE": str(root[1]),
        "SIGNING_KEY_URI": label[0],
        "SIGNING_KEY_PASSPHRASE_FILE": str(label[1]),
    }.items():
        monkeypatch.setenv(f"KHATEM_{name}", value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve"])
    finally:
        get_settings.cache_clear()
    assert served == []
    assert result.exit_code == 1
    assert result.output.startswith("Refusing to start: production refuses development keys")
    assert "khatem keys generate" in result.output
    assert "Traceback" not in result.output
    assert read_secret_file(label[1]) not in result.output
