"""Start-up: development keys are generated loudly; production refuses unsafe keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from core.settings import Settings
from labeling.keycustody import generate_development_key, generate_keyfile, key_id_for
from labeling.keycustody.keyfile import DEV_KEY_NAME
from labeling.keyrecords import StartupRefused, repository
from labeling.keyrecords.preparation import new_development_label_key
from labeling.startup import prepare_registry
from schemas.keys import KeyPurpose


@pytest.fixture(autouse=True)
def cheap_key_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production-format key files with the development scrypt cost, for speed."""
    from labeling.keycustody import keyfile

    monkeypatch.setattr(keyfile, "DEFAULT_SCRYPT", keyfile.DEVELOPMENT_SCRYPT)


class RootKeySettings(Settings):
    """The settings with the root-key fields core.settings is asked to declare."""

    root_key_uri: str | None = None
    root_key_passphrase: str | None = None


def _production(settings: Settings, **keys: str | None) -> RootKeySettings:
    values = settings.model_dump() | {"environment": "production"} | keys
    return RootKeySettings(**values)


def _keyfile(directory: Path, name: str) -> tuple[str, str, str]:
    """A production key file: (uri, passphrase, kid)."""
    directory.mkdir(parents=True, exist_ok=True)
    passphrase = f"correct horse {name} staple"
    public = generate_keyfile(directory / f"{name}.p8", passphrase)
    return f"keyfile:{directory / name}.p8", passphrase, key_id_for(public)


def _registered(session: Session) -> list[tuple[str, str, bool]]:
    rows = [(k.purpose, k.kid, k.is_development) for k in repository.list_keys(session=session)]
    session.rollback()
    return rows


def test_first_development_start_generates_both_keys_loudly(
    settings: Settings, session: Session
) -> None:
    warnings = prepare_registry(settings)
    text = "\n".join(warnings)
    assert "DEVELOPMENT SIGNING KEYS" in text and "prove NOTHING" in text
    assert (settings.data_dir / DEV_KEY_NAME).exists()
    assert (settings.data_dir / "root-key" / DEV_KEY_NAME).exists()
    keys = _registered(session)
    assert sorted(purpose for purpose, _, _ in keys) == ["label", "root"]
    assert all(dev for _, _, dev in keys)
    assert all(kid in text for _, kid, _ in keys)
    # A second start reuses them: no new key, the same warning.
    assert prepare_registry(settings) == warnings
    assert _registered(session) == keys


def test_production_refuses_to_start_without_configured_keys(settings: Settings) -> None:
    with pytest.raises(StartupRefused, match="KHATEM_ROOT_KEY_URI"):
        prepare_registry(_production(settings))
    root_uri, root_pass, _ = _keyfile(settings.data_dir / "keys", "root")
    with pytest.raises(StartupRefused, match="KHATEM_SIGNING_KEY_URI"):
        prepare_registry(
            _production(settings, root_key_uri=root_uri, root_key_passphrase=root_pass)
        )


def test_production_refuses_development_keys(settings: Settings) -> None:
    prepare_registry(settings)  # development keys are now registered
    root_uri, root_pass, _ = _keyfile(settings.data_dir / "keys", "root")
    label_uri, label_pass, _ = _keyfile(settings.data_dir / "keys", "label")
    production = _production(
        settings,
        root_key_uri=root_uri,
        root_key_passphrase=root_pass,
        signing_key_uri=label_uri,
        signing_key_passphrase=label_pass,
    )
    with pytest.raises(StartupRefused, match="verifiers pin the registered root key"):
        prepare_registry(production)
    dev_label_uri, _ = new_development_label_key(settings, first=True)
    dev_root_uri, _ = generate_development_key(settings.data_dir / "root-key")
    configured_dev = _production(settings, signing_key_uri=dev_label_uri, root_key_uri=dev_root_uri)
    with pytest.raises(StartupRefused, match="production refuses development keys"):
        prepare_registry(configured_dev)


def test_production_starts_on_configured_key_files(settings: Settings, session: Session) -> None:
    settings.data_dir.mkdir(mode=0o700)  # as an operator's is: start-up warns of anything wider
    root_uri, root_pass, root_kid = _keyfile(settings.data_dir / "keys", "root")
    label_uri, label_pass, label_kid = _keyfile(settings.data_dir / "keys", "label")
    production = _production(
        settings,
        root_key_uri=root_uri,
        root_key_passphrase=root_pass,
        signing_key_uri=label_uri,
        signing_key_passphrase=label_pass,
    )
    assert prepare_registry(production) == []
    assert sorted(_registered(session)) == [("label", label_kid, False), ("root", root_kid, False)]
    rows = session.connection().exec_driver_sql("SELECT payload FROM log_entry").all()
    session.rollback()
    registered = [json.loads(data) for (data,) in rows]
    assert [(e["type"], e["kid"]) for e in registered] == [
        ("key.registered", root_kid),
        ("key.registered", label_kid),
    ]
    assert all(label_pass not in data and root_pass not in data for (data,) in rows)
    # A different label key configured later must come through `khatem keys rotate`.
    other_uri, other_pass, _ = _keyfile(settings.data_dir / "keys", "other")
    rotated = production.model_copy(
        update={"signing_key_uri": other_uri, "signing_key_passphrase": other_pass}
    )
    with pytest.raises(StartupRefused, match="khatem keys rotate"):
        prepare_registry(rotated)
    with pytest.raises(StartupRefused, match="cannot open"):
        prepare_registry(production.model_copy(update={"signing_key_passphrase": "wrong" * 4}))


def test_an_unusable_log_origin_is_refused(settings: Settings) -> None:
    with pytest.raises(StartupRefused, match="KHATEM_LOG_ORIGIN"):
        prepare_registry(settings.model_copy(update={"log_origin": "khatem ma"}))


def test_a_label_key_is_replaced_in_development_after_a_compromise(
    settings: Settings, session: Session
) -> None:
    from datetime import UTC, datetime

    from labeling.keyrecords import mark_compromised

    prepare_registry(settings)
    active = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    assert active is not None
    kid = active.kid
    session.rollback()
    mark_compromised(session=session, kid=kid, since=datetime.now(UTC))
    warnings = prepare_registry(settings)
    replacement = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    assert replacement is not None and replacement.kid != kid
    assert replacement.kid in "\n".join(warnings)
    session.rollback()
