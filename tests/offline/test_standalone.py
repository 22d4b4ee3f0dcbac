"""The offline verifier runs from ``verify/`` and ``schemas/`` alone, with ``labeling`` absent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import REPO
from tests.offline.simulator import NOW, Registry

SCRIPT = """
import importlib.abc, json, sys
from datetime import datetime
from pathlib import Path

repo, work, cache, uris = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
# Only the copied tree: the editable install of the whole project is taken off the path,
# and any attempt to import the registry's packages fails loudly.
sys.path[:] = [work] + [p for p in sys.path if p and Path(p).resolve() != Path(repo)]

class NoRegistry(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("labeling", "core", "main", "tests"):
            raise ImportError(f"{name} must not be needed offline")
        return None

sys.meta_path.insert(0, NoRegistry())
from verify.offline import OfflineSource
from verify.verifier import verify_label
import verify

assert Path(verify.__file__).resolve().is_relative_to(Path(work).resolve()), verify.__file__
source = OfflineSource.from_directory(Path(cache))
now = datetime.fromisoformat(sys.argv[5])
print(json.dumps([verify_label(uri, source, now=now).verdict.value for uri in uris]))
"""


def test_offline_verification_runs_with_only_verify_and_schemas(tmp_path: Path) -> None:
    work = tmp_path / "work"
    for package in ("verify", "schemas"):
        shutil.copytree(
            REPO / package, work / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    assert not (work / "labeling").exists()
    registry = Registry()
    good, revoked = registry.issue(), registry.issue("8G4M3NQ0YC")
    registry.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
    cache = registry.write_cache(tmp_path / "cache")
    tampered = good.replace("/21/7F3K2MQ9XB", "/21/7F3K2MQ9XC")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(REPO),
            str(work),
            str(cache),
            json.dumps([good, revoked, tampered]),
            NOW.isoformat(),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["AUTHENTIC", "REVOKED", "INVALID"]


def test_the_cli_runs_as_python_m_verify_without_labeling(tmp_path: Path) -> None:
    work = tmp_path / "work"
    for package in ("verify", "schemas"):
        shutil.copytree(
            REPO / package, work / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    registry = Registry()
    uri = registry.issue()
    # The command reads the real clock: data issued just now is fresh.
    cache = registry.write_cache(
        tmp_path / "cache", issued_at=datetime.now(UTC).replace(microsecond=0)
    )
    runner = (
        "import sys; from pathlib import Path; "
        f"sys.path[:] = [{str(work)!r}] + [p for p in sys.path if p and "
        f"Path(p).resolve() != Path({str(REPO)!r})]; "
        "import runpy; sys.argv = ['verify'] + sys.argv[1:]; "
        "runpy.run_module('verify', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, uri, "--offline", "--json", "--dir", str(cache)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    data = json.loads(result.stdout)
    assert data["verdict"] == "AUTHENTIC", result.stdout
    assert data["mode"] == "offline"
    assert result.returncode == 0
