"""docs/verification.md documents every verdict, every check and every reason code that
``verify.verdict`` can produce, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from verify.decision import REASONS
from verify.label_codec import REASON_CODES
from verify.verdict import CHECK_NAMES, Overall

DOC = Path(__file__).resolve().parents[2] / "docs" / "verification.md"


def _documented() -> dict[str, set[str]]:
    """``### `check``` sections of "Reason codes by check", each with its table's codes."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 3. Reason codes by check", 1)[1]
    found: dict[str, set[str]] = {}
    for block in re.split(r"^### ", section, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        name = heading.strip().strip("`")
        found[name] = set(re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.M))
    return found


def test_every_check_and_reason_code_is_documented_and_nothing_else() -> None:
    documented = _documented()
    assert list(documented) == [*CHECK_NAMES, "copy_evidence"] == list(REASONS)
    for name in REASONS:
        expected = set(REASONS[name]) - {"not_checked"}
        assert documented[name] == expected, name


def test_not_checked_is_documented_for_every_check() -> None:
    assert "`not_checked` can stand on any check" in DOC.read_text(encoding="utf-8")


def test_every_verdict_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.M))
    assert table == {verdict.value for verdict in Overall}


def test_every_label_format_code_is_a_signature_reason() -> None:
    assert set(REASON_CODES) <= set(REASONS["signature"])
