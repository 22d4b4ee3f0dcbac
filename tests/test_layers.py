"""The layering contracts of pyproject.toml ([tool.importlinter]) hold, and they can fail.

import-linter checks imports at module level: ``verify`` and ``schemas`` import nothing of
``labeling`` or ``core``; within a labeling package a router may call its service and a
service its repository, never the other way; only the key-custody package imports the
private-key backends. What import-linter cannot see (a name imported from a module the rest
may use) the AST check below covers: cryptography's private-key API appears in key custody
only.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("core", "schemas", "labeling", "verify")
KEY_CUSTODY = REPO / "labeling" / "keycustody"
#: cryptography's names for private keys and their serialisation.
PRIVATE_KEY_NAMES = frozenset(
    {
        "Ed25519PrivateKey",
        "load_pem_private_key",
        "load_der_private_key",
        "load_ssh_private_key",
        "PrivateFormat",
        "private_bytes",
        "private_bytes_raw",
    }
)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` as a developer runs it, in ``cwd``, without a cache directory."""
    script = "import sys; from importlinter.cli import lint_imports_command as c; c()"
    return subprocess.run(
        [sys.executable, "-c", script, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layering_contracts_hold() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "violation", "contract"),
    [
        ("verify/gtin.py", "import labeling.labels.service", "verify stands alone"),
        ("schemas/types.py", "import core.settings", "schemas import nothing"),
        (
            "labeling/certificates/repository.py",
            "import labeling.certificates.service",
            "routes call services",
        ),
        ("labeling/labels/service.py", "import labeling.keycustody.keyfile", "only key custody"),
    ],
)
def test_a_violation_breaks_its_contract(
    tmp_path: Path, module: str, violation: str, contract: str
) -> None:
    """A copy of the code with one forbidden import added fails the contract it breaks."""
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{violation}\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert len(broken) == 1 and broken[0].startswith(contract), result.stdout


def _private_key_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [alias.name for alias in node.names if alias.name in PRIVATE_KEY_NAMES]
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE_KEY_NAMES:
            found.append(node.attr)
        elif isinstance(node, ast.Name) and node.id in PRIVATE_KEY_NAMES:
            found.append(node.id)
    return [f"{path.relative_to(REPO)}: {name}" for name in found]


def test_only_key_custody_touches_private_keys() -> None:
    sources = [REPO / "main.py"] + [
        path for package in PACKAGES for path in sorted((REPO / package).rglob("*.py"))
    ]
    outside = [path for path in sources if KEY_CUSTODY not in path.parents]
    uses = [use for path in outside for use in _private_key_uses(path)]
    assert uses == []
    inside = [use for path in KEY_CUSTODY.rglob("*.py") for use in _private_key_uses(path)]
    assert inside, "the AST check finds nothing even in key custody: it checks nothing"
