"""``khatem keys …`` and ``khatem log …`` from an operator's shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.settings import Settings, get_settings
from labeling.cli_keys import keys_app, log_app
from labeling.startup import prepare_registry
from verify.checkpoint import parse_vkey, verify_checkpoint
from verify.trust_list import verify_trust_list


@pytest.fixture
def shell(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A shell whose KHATEM_* variables name the test registry."""
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "test")
    monkeypatch.setenv("KHATEM_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("KHATEM_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    prepare_registry(settings)
    yield CliRunner()
    get_settings.cache_clear()


def test_rotate_compromise_and_publish_from_the_shell(shell: CliRunner, tmp_path: Path) -> None:
    listed = shell.invoke(keys_app, ["list"])
    assert listed.exit_code == 0 and listed.output.count("DEVELOPMENT") == 2
    old_kid = next(line.split()[0] for line in listed.output.splitlines() if " label " in line)

    rotated = shell.invoke(keys_app, ["rotate"])
    assert rotated.exit_code == 0, rotated.output
    assert f"Key {old_kid} retired at" in rotated.output
    assert "Checkpoint signed" in rotated.output

    vkey = shell.invoke(keys_app, ["root-vkey"]).output.strip()
    out = tmp_path / "trust-list.json"
    assert shell.invoke(keys_app, ["trust-list", "--out", str(out)]).exit_code == 0
    trust_list = verify_trust_list(out.read_bytes(), root_public_key=parse_vkey(vkey).public_key)
    assert trust_list.key(old_kid).retired_at is not None
    assert len(trust_list.keys) == 2

    checkpoint = shell.invoke(log_app, ["checkpoint"])
    assert checkpoint.exit_code == 0
    note = checkpoint.stdout[checkpoint.stdout.index("khatem.ma/log\n") :]
    assert verify_checkpoint(note, verifier_keys=[parse_vkey(vkey)]).tree_size == 3
    verified = shell.invoke(log_app, ["verify"])
    assert verified.exit_code == 0 and "Log verified: 3 leaves" in verified.output


def test_mark_a_key_compromised(shell: CliRunner) -> None:
    listed = shell.invoke(keys_app, ["list"]).output
    kid = next(line.split()[0] for line in listed.splitlines() if " label " in line)
    naive = shell.invoke(keys_app, ["compromised", kid, "--since", "2026-01-01T00:00"])
    assert naive.exit_code == 1 and "time zone" in naive.output
    unknown = shell.invoke(keys_app, ["compromised", "00000000", "--since", "2026-01-01T00:00Z"])
    assert unknown.exit_code == 1 and "no key" in unknown.output
    result = shell.invoke(keys_app, ["compromised", kid, "--since", "2099-01-01T00:00Z"])
    assert result.exit_code == 1 and "future" in result.output
    from datetime import UTC, datetime

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")
    result = shell.invoke(keys_app, ["compromised", kid, "--since", now])
    assert result.exit_code == 0, result.output
    assert f"Key {kid} is compromised since" in result.output
    assert "COMPROMISED" in shell.invoke(keys_app, ["list"]).output


def test_generate_a_key_file_for_production(shell: CliRunner, tmp_path: Path) -> None:
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a long enough passphrase\n")
    result = shell.invoke(
        keys_app, ["generate", str(tmp_path / "label.p8"), "--passphrase-file", str(passphrase)]
    )
    assert result.exit_code == 0 and "keyfile:" in result.output
    again = shell.invoke(
        keys_app, ["generate", str(tmp_path / "label.p8"), "--passphrase-file", str(passphrase)]
    )
    assert again.exit_code == 1 and "overwrite" in again.output
    rotate = shell.invoke(
        keys_app,
        [
            "rotate",
            "--key-uri",
            f"keyfile:{tmp_path / 'label.p8'}",
            "--passphrase-file",
            str(passphrase),
        ],
    )
    assert rotate.exit_code == 0, rotate.output
    assert "signs labels from" in rotate.output
    assert shell.invoke(log_app, ["verify"]).exit_code == 0
