"""Wycheproof's Ed25519 vectors (C2SP/wycheproof, Apache-2.0, copied into tests/vectors/)
against the verifier's signature check: every valid signature passes, every invalid one
(malleable S, non-canonical R, wrong lengths, edge-case keys) is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import VECTORS
from verify.signing import check_signature

SUITE = json.loads((VECTORS / "wycheproof" / "ed25519_test.json").read_text(encoding="utf-8"))
CASES: list[tuple[str, dict[str, Any]]] = [
    (group["publicKey"]["pk"], case) for group in SUITE["testGroups"] for case in group["tests"]
]


class Refused(Exception):
    pass


def test_the_whole_suite_is_here() -> None:
    assert len(CASES) == SUITE["numberOfTests"] > 100
    assert {case["result"] for _, case in CASES} == {"valid", "invalid"}


@pytest.mark.parametrize(("public_key", "case"), CASES, ids=[f"tc{c['tcId']}" for _, c in CASES])
def test_wycheproof_case(public_key: str, case: dict[str, Any]) -> None:
    def check() -> None:
        check_signature(
            bytes.fromhex(public_key),
            bytes.fromhex(case["sig"]),
            bytes.fromhex(case["msg"]),
            error=Refused,
            failure=case["comment"] or "refused",
        )

    if case["result"] == "valid":
        check()
    else:
        with pytest.raises(Refused):
            check()
