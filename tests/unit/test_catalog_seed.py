"""The repository stands alone: the catalogue ships inside the package (a clone or a wheel
with nothing beside it can load it), ``KHATEM_SEED_PATH`` points every command elsewhere, and
no code reads ``../shared``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session
from typer.testing import CliRunner

from core.db import new_session
from core.settings import get_settings
from labeling.catalog.seed import SEED_PATH_VARIABLE, read_seed
from labeling.cli import app
from tests.conftest import REPO

runner = CliRunner()
PACKAGED = REPO / "labeling" / "catalog" / "data" / "domain-seed.json"


def test_the_packaged_catalogue_is_read_when_nothing_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SEED_PATH_VARIABLE, raising=False)
    assert read_seed() == json.loads(PACKAGED.read_text(encoding="utf-8"))
    assert {region["code"] for region in read_seed()["regions"]} >= {"MA-01", "MA-12"}


def test_the_seed_path_variable_wins_over_the_packaged_catalogue(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "seed.json"
    other.write_text(json.dumps({"regions": [], "marker": "elsewhere"}), encoding="utf-8")
    monkeypatch.setenv(SEED_PATH_VARIABLE, str(other))
    assert read_seed()["marker"] == "elsewhere"


def test_a_built_wheel_carries_the_catalogue(tmp_path: Path) -> None:
    """The wheel holds the seed, and the package reads it from inside the wheel (a zip on
    ``sys.path``, with no site-packages and no checkout in reach)."""
    from hatchling.builders.wheel import WheelBuilder

    builder = WheelBuilder(str(REPO))
    (wheel,) = map(Path, builder.build(directory=str(tmp_path / "dist"), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        assert "labeling/catalog/data/domain-seed.json" in archive.namelist()
        assert "labeling/catalog/data/domain-notes.md" in archive.namelist()
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from labeling.catalog.seed import read_seed;"
        "import labeling; assert labeling.__file__.startswith(sys.argv[1]), labeling.__file__;"
        "print(len(read_seed()['regions']))"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-S", "-c", script, str(wheel)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(json.loads(PACKAGED.read_text(encoding="utf-8"))["regions"])


def test_no_code_reads_beside_the_repository() -> None:
    """Nothing the product, its benchmarks or its tests run reaches for ``../shared``."""
    pattern = re.compile(r"""\.\./shared|["']shared["']\s*/|/\s*["']shared["']""")
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for folder in ("core", "labeling", "verify", "schemas", "bench", "tests")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "test")
    monkeypatch.setenv("KHATEM_DATABASE_URL", db_url)
    monkeypatch.setenv("KHATEM_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def _region_name(db_url: str, code: str) -> str:
    with new_session(db_url) as session:
        return str(_scalar(session, f"SELECT name FROM region WHERE code = '{code}'"))


def _scalar(session: Session, sql: str) -> object:
    return session.exec(text(sql)).one()[0]  # type: ignore[call-overload]


def test_catalog_load_honours_the_seed_path_variable(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = json.loads(PACKAGED.read_text(encoding="utf-8"))
    seed["regions"][0]["name"] = "Région de test"
    custom = tmp_path / "custom-seed.json"
    custom.write_text(json.dumps(seed), encoding="utf-8")
    monkeypatch.setenv(SEED_PATH_VARIABLE, str(custom))

    result = runner.invoke(app, ["catalog", "load"])

    assert result.exit_code == 0, result.output
    assert _region_name(cli_env, seed["regions"][0]["code"]) == "Région de test"


def test_catalog_load_uses_the_packaged_catalogue_by_default(
    cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SEED_PATH_VARIABLE, raising=False)
    result = runner.invoke(app, ["catalog", "load"])
    assert result.exit_code == 0, result.output
    first = json.loads(PACKAGED.read_text(encoding="utf-8"))["regions"][0]
    assert _region_name(cli_env, first["code"]) == first["name"]


@pytest.mark.parametrize("command", [["catalog", "load"], ["demo"]])
def test_a_missing_seed_is_one_clear_line_not_a_traceback(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv(SEED_PATH_VARIABLE, str(tmp_path / "nowhere.json"))
    result = runner.invoke(app, command)
    assert result.exit_code == 2
    assert "Seed file not found at" in result.output and SEED_PATH_VARIABLE in result.output
    assert "Traceback" not in result.output
