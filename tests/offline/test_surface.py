"""``verify``'s public surface: every name it exports exists and is documented."""

from __future__ import annotations

import re

import verify
from tests.conftest import REPO


def test_every_exported_name_is_defined() -> None:
    missing = [name for name in verify.__all__ if not hasattr(verify, name)]
    assert missing == []
    assert len(set(verify.__all__)) == len(verify.__all__)


def test_every_exported_name_is_in_the_library_docs() -> None:
    text = (REPO / "docs" / "offline-verification.md").read_text(encoding="utf-8")
    surface = text.split("### The public surface", 1)[1]
    undocumented = [n for n in verify.__all__ if not re.search(rf"\b{n}\b", surface)]
    assert undocumented == []
