"""The data directory and the SQLite file hold password hashes and artisans' personal data:
Khatem creates them owner-only, and says at start-up when they are open to other users."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.db import engine_for
from core.settings import Settings, get_settings
from labeling.cli import app
from labeling.keyrecords.opening import forget_signers
from labeling.startup import prepare_registry

runner = CliRunner()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The usual umask (022) would leave new files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def fresh_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    data_dir = tmp_path / "khatem-data"
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "development")
    monkeypatch.setenv("KHATEM_DATA_DIR", str(data_dir))
    monkeypatch.delenv("KHATEM_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    settings = get_settings()
    yield settings
    engine_for(settings.resolved_database_url).dispose()
    get_settings.cache_clear()
    forget_signers()


def test_a_new_registry_is_owner_only(fresh_registry: Settings, permissive_umask: None) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output

    data_dir = fresh_registry.data_dir
    database = data_dir / "khatem.db"
    assert _mode(data_dir) == 0o700
    assert _mode(database) == 0o600
    for companion in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        if companion.exists():  # SQLite gives them the database file's mode
            assert _mode(companion) & 0o077 == 0, companion
    assert not [line for line in prepare_registry(fresh_registry) if "open to other" in line]


def test_start_up_warns_when_the_data_is_open_to_others(
    fresh_registry: Settings, permissive_umask: None
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    data_dir = fresh_registry.data_dir
    database = data_dir / "khatem.db"
    data_dir.chmod(0o755)
    database.chmod(0o644)

    warnings = [line for line in prepare_registry(fresh_registry) if "open to other users" in line]

    assert any(str(data_dir) in line and "chmod 700" in line for line in warnings), warnings
    assert any(str(database) in line and "chmod 600" in line for line in warnings), warnings


def test_an_existing_directory_is_reported_not_changed(
    fresh_registry: Settings, permissive_umask: None
) -> None:
    fresh_registry.data_dir.mkdir(mode=0o755)
    fresh_registry.data_dir.chmod(0o755)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert _mode(fresh_registry.data_dir) == 0o755
    assert _mode(fresh_registry.data_dir / "khatem.db") == 0o600
