"""What the docs and the docstrings point a newcomer to exists: every repository path and
every dotted name of ours quoted in ``README.md`` and ``docs/``, and every Sphinx cross
reference (``:mod:``, ``:func:``, ``:class:``…) in the code. A module moved or renamed
without its mentions fails here, not in a reader's hands."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = r"(?:labeling|verify|core|schemas)"
#: `labeling/labels/jobs.py`, `tests/pages/site.py:12-30`, `docs/adr/`: repository paths.
QUOTED_PATH = re.compile(
    r"`((?:labeling|verify|core|bench|tests|schemas|docs|\.ci)/[^`\s:]*?)(?::[\d,\-]+)?`"
)
#: `verify.offline.OfflineSource`, `labeling.catalog`: dotted names of our packages.
QUOTED_NAME = re.compile(rf"`({PACKAGES}(?:\.[A-Za-z_]\w*)+)(?:\(\))?`")
#: :class:`~verify.verdict.Verdict` and the other roles, in docstrings and comments.
ROLE = re.compile(rf":(?:mod|func|class|meth|data|attr|exc):`~?({PACKAGES}(?:\.[A-Za-z_]\w*)+)`")


def _resolves(dotted: str) -> bool:
    """Whether ``dotted`` names a module of ours, or an attribute of one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _sources() -> list[Path]:
    found = [ROOT / "main.py", *sorted((ROOT / "bench").glob("*.py"))]
    for package in ("labeling", "verify", "core", "schemas", "tests"):
        found += sorted((ROOT / package).rglob("*.py"))
    return [path for path in found if "migrations/versions" not in path.as_posix()]


@pytest.mark.parametrize("document", _documents(), ids=lambda path: path.name)
def test_every_path_and_name_a_document_quotes_exists(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    missing = [
        path
        for path in QUOTED_PATH.findall(text)
        if not any(mark in path for mark in "*{<") and not (ROOT / path.rstrip("/.,")).exists()
    ]
    missing += [name for name in QUOTED_NAME.findall(text) if not _resolves(name)]
    assert missing == [], f"{document.relative_to(ROOT)} quotes what does not exist"


def test_every_cross_reference_in_the_code_resolves() -> None:
    missing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _sources()
        for name in ROLE.findall(path.read_text(encoding="utf-8"))
        if not _resolves(name)
    ]
    assert missing == []


def test_a_missing_name_is_caught() -> None:
    """The check itself can fail: a name that is not there does not resolve."""
    assert _resolves("verify.verdict.Verdict")
    assert not _resolves("verify.verdict.NoSuchVerdict")
    assert not _resolves("verify.no_such_module")
    assert QUOTED_PATH.findall("see `labeling/labels/jobs.py:12-30`") == ["labeling/labels/jobs.py"]
